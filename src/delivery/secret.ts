import { ENV_NAME } from '../core/names';
import { invalid } from '../core/strict';

/**
 * A reference to a secret stored in GitHub (repository, organization or
 * environment secret). Only the name reaches the output, as
 * `${{ secrets.NAME }}`; slipway never sees the value.
 */
export class Secret {
  /**
   * The GitHub Actions secret `name`, e.g. `KUBECONFIG_PRODUCTION`.
   */
  public static github(name: string): Secret {
    const secret = new Secret(name);
    if (!ENV_NAME.test(name) || /^GITHUB_/i.test(name)) {
      const fix = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^(GITHUB_)+/, '').replace(/^(\d)/, '_$1');
      invalid(secret, `Secret.github("${name}") is not a valid secret name: use letters, digits and "_", not starting with a digit or "GITHUB_"${fix && fix !== name ? `, e.g. "${fix}"` : ''}`);
    }
    return secret;
  }

  /** The secret's name. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** The expression that reads the secret in a workflow: `${{ secrets.NAME }}`. */
  public get expression(): string {
    return `\${{ secrets.${this.name} }}`;
  }

  /** Same as {@link expression}. */
  public toString(): string {
    return this.expression;
  }
}
