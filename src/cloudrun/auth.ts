import { ENV_NAME as SECRET_NAME } from '../core/names';
import { invalid } from '../core/strict';
import { Action } from '../github/actions/action';
import { Expression } from '../github/expression';

/**
 * Options of {@link CloudRunAuth.workloadIdentity}.
 */
export interface CloudRunWorkloadIdentityOptions {
  /**
   * Full name of the Workload Identity Provider,
   * `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.
   */
  readonly workloadIdentityProvider: string;

  /**
   * Email of the service account the workflow impersonates, e.g.
   * `deployer@my-project.iam.gserviceaccount.com`.
   */
  readonly serviceAccount: string;
}

const PROVIDER = /^projects\/[0-9]+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/providers\/[a-z0-9-]+$/;
const SERVICE_ACCOUNT = /^[a-z0-9][-a-z0-9]*@[a-z0-9][-a-z0-9.:]*\.gserviceaccount\.com$/;

/**
 * How a deploy job authenticates to Google Cloud, through
 * `google-github-actions/auth`.
 *
 * @see https://github.com/google-github-actions/auth
 */
/** A whole-value expression such as `${{ vars.GCP_SERVICE_ACCOUNT }}` (checked when the workflow runs). */
const EXPRESSION = /^\$\{\{\s*[^}]+\s*\}\}$/;

export class CloudRunAuth {
  /**
   * Workload Identity Federation: GitHub's OIDC token is exchanged for a
   * short-lived credential of `serviceAccount`. No long-lived key exists;
   * the job needs `id-token: write`, which the step requests.
   */
  public static workloadIdentity(options: CloudRunWorkloadIdentityOptions): CloudRunAuth {
    const problems: string[] = [];
    if (!PROVIDER.test(options.workloadIdentityProvider) && !EXPRESSION.test(options.workloadIdentityProvider)) {
      problems.push(`CloudRunAuth.workloadIdentity: workloadIdentityProvider "${options.workloadIdentityProvider}" must be "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>"`);
    }
    if (!SERVICE_ACCOUNT.test(options.serviceAccount) && !EXPRESSION.test(options.serviceAccount)) {
      problems.push(`CloudRunAuth.workloadIdentity: serviceAccount "${options.serviceAccount}" is not a service account email such as "deployer@my-project.iam.gserviceaccount.com"`);
    }
    return invalid(new CloudRunAuth(
      { workload_identity_provider: options.workloadIdentityProvider, service_account: options.serviceAccount },
      { 'id-token': 'write' },
      'Workload Identity Federation',
    ), ...problems);
  }

  /**
   * A service-account JSON key kept in a GitHub secret
   * (`credentials_json: ${{ secrets.<name> }}`), as seed 002 does. Prefer
   * Workload Identity Federation: a key never expires on its own.
   * @param secretName the GitHub secret holding the key
   */
  public static serviceAccountKey(secretName: string = 'GCP_SA_KEY'): CloudRunAuth {
    const valid = SECRET_NAME.test(secretName);
    // Expression.secret throws on a name that is not one; the problem is recorded instead
    const auth = new CloudRunAuth({ credentials_json: valid ? Expression.secret(secretName).toString() : '' }, {}, `the service-account key in secret ${secretName}`);
    if (!valid) {
      invalid(auth, `CloudRunAuth.serviceAccountKey: "${secretName}" is not a GitHub secret name (letters, digits and "_", not starting with a digit), e.g. "${secretName.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}"`);
    }
    return auth;
  }

  /** Inputs of `google-github-actions/auth`. */
  public readonly inputs: { [key: string]: string };
  /** Permission scopes the job needs for this method. */
  public readonly permissions: { [scope: string]: string };
  /** A short description for step names and docs. */
  public readonly description: string;

  private constructor(inputs: { [key: string]: string }, permissions: { [scope: string]: string }, description: string) {
    this.inputs = inputs;
    this.permissions = permissions;
    this.description = description;
  }

  /** The pinned `google-github-actions/auth` action with these inputs. */
  public toAction(): Action {
    return Action.of('google-github-actions/auth', 'v2', { permissions: this.permissions, inputs: this.inputs });
  }
}
