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
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) {
      throw new Error(`Secret.github("${name}") is not a valid secret name: use letters, digits and "_", not starting with a digit or "GITHUB_"`);
    }
    return new Secret(name);
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
