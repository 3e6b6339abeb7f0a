/**
 * Name patterns shared by every construct that checks such a name.
 * @internal
 */

/**
 * An environment variable name, which is also the form of a GitHub secret
 * name: letters, digits and "_", not starting with a digit.
 * @internal
 */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
