/**
 * The access level of one `GITHUB_TOKEN` scope.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
 */
export enum PermissionLevel {
  /** Read access. */
  READ = 'read',
  /** Read and write access. */
  WRITE = 'write',
  /** No access. */
  NONE = 'none',
}

/**
 * The `GITHUB_TOKEN` scopes granted to a workflow or a job. Scopes not listed
 * get no access (GitHub's rule once `permissions:` is present).
 *
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
 */
export interface JobPermissions {
  /** `actions`: workflow runs and artifacts. @default - no access */
  readonly actions?: PermissionLevel;
  /** `artifact-metadata`: storage records of artifacts. @default - no access */
  readonly artifactMetadata?: PermissionLevel;
  /** `attestations`: artifact attestations. @default - no access */
  readonly attestations?: PermissionLevel;
  /** `checks`: check runs and suites. @default - no access */
  readonly checks?: PermissionLevel;
  /** `code-quality`: code quality data. @default - no access */
  readonly codeQuality?: PermissionLevel;
  /** `contents`: repository contents, commits, releases. @default - no access */
  readonly contents?: PermissionLevel;
  /**
   * `copilot-requests`: requests to GitHub Copilot. GitHub grants `WRITE` or
   * `NONE` only.
   * @default - no access
   */
  readonly copilotRequests?: PermissionLevel;
  /** `deployments`: deployments. @default - no access */
  readonly deployments?: PermissionLevel;
  /** `discussions`: discussions. @default - no access */
  readonly discussions?: PermissionLevel;
  /**
   * `drives`: GitHub Drives workspace storage (`READ` to check out, `WRITE` to
   * commit changes).
   * @default - no access
   */
  readonly drives?: PermissionLevel;
  /** `id-token`: fetch an OIDC token. GitHub grants `WRITE` or `NONE` only. @default - no access */
  readonly idToken?: PermissionLevel;
  /** `issues`: issues and their comments. @default - no access */
  readonly issues?: PermissionLevel;
  /** `models`: GitHub Models inference. GitHub grants `READ` or `NONE` only. @default - no access */
  readonly models?: PermissionLevel;
  /** `packages`: GitHub Packages (GHCR). @default - no access */
  readonly packages?: PermissionLevel;
  /** `pages`: GitHub Pages builds. @default - no access */
  readonly pages?: PermissionLevel;
  /** `pull-requests`: pull requests, their labels and comments. @default - no access */
  readonly pullRequests?: PermissionLevel;
  /** `repository-projects`: classic projects. @default - no access */
  readonly repositoryProjects?: PermissionLevel;
  /** `security-events`: code scanning alerts (SARIF upload). @default - no access */
  readonly securityEvents?: PermissionLevel;
  /** `statuses`: commit statuses. @default - no access */
  readonly statuses?: PermissionLevel;
  /** `vulnerability-alerts`: Dependabot alerts. @default - no access */
  readonly vulnerabilityAlerts?: PermissionLevel;
}
