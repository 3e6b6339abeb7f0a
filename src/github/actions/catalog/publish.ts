/**
 * Inputs of `softprops/action-gh-release`. Creating a release needs
 * `contents: write`, which the job gets.
 * @see https://github.com/softprops/action-gh-release#inputs
 */
export interface GhReleaseProps {
  /**
   * Files to attach, globs, one per line (`files`).
   * @default - none
   */
  readonly files?: string[];

  /**
   * Tag of the release (`tag_name`).
   * @default - the pushed tag (`github.ref_name`)
   */
  readonly tagName?: string;

  /**
   * Release title (`name`).
   * @default - the tag
   */
  readonly name?: string;

  /**
   * Release notes (`body`).
   * @default - none
   */
  readonly body?: string;

  /**
   * File holding the release notes (`body_path`).
   * @default - none
   */
  readonly bodyPath?: string;

  /**
   * Whether GitHub generates the release notes (`generate_release_notes`).
   * @default false
   */
  readonly generateReleaseNotes?: boolean;

  /**
   * Whether the release is a draft (`draft`).
   * @default false
   */
  readonly draft?: boolean;

  /**
   * Whether the release is a prerelease (`prerelease`).
   * @default false
   */
  readonly prerelease?: boolean;

  /**
   * Whether to mark it the latest release: `true`, `false` or `legacy`
   * (`make_latest`).
   * @default "legacy"
   */
  readonly makeLatest?: string;

  /**
   * Whether to fail when a `files` glob matches nothing
   * (`fail_on_unmatched_files`).
   * @default false
   */
  readonly failOnUnmatchedFiles?: boolean;

  /**
   * Commitish the tag is created from, when the tag does not exist
   * (`target_commitish`).
   * @default - the repository's default branch
   */
  readonly targetCommitish?: string;

  /**
   * Token (`token`).
   * @default "${{ github.token }}"
   */
  readonly token?: string;
}

/**
 * Inputs of `peaceiris/actions-gh-pages`: pushes a directory to the
 * `gh-pages` branch. Pushing with the workflow token needs
 * `contents: write`, which the job gets.
 * @see https://github.com/peaceiris/actions-gh-pages#options
 */
export interface GhPagesProps {
  /**
   * Directory to publish (`publish_dir`).
   * @default "public"
   */
  readonly publishDir?: string;

  /**
   * Token to push with, usually `${{ secrets.GITHUB_TOKEN }}`
   * (`github_token`).
   * @default - none; set this, `deployKey` or `personalToken`
   */
  readonly githubToken?: string;

  /**
   * SSH deploy key, as a secret expression (`deploy_key`).
   * @default - none
   */
  readonly deployKey?: string;

  /**
   * Personal access token, as a secret expression (`personal_token`).
   * @default - none
   */
  readonly personalToken?: string;

  /**
   * Branch to push to (`publish_branch`).
   * @default "gh-pages"
   */
  readonly publishBranch?: string;

  /**
   * Sub-directory of the branch to publish into (`destination_dir`).
   * @default - the branch root
   */
  readonly destinationDir?: string;

  /**
   * Repository to push to, `owner/repo` (`external_repository`).
   * @default - this repository
   */
  readonly externalRepository?: string;

  /**
   * Whether to keep files already on the branch (`keep_files`).
   * @default false
   */
  readonly keepFiles?: boolean;

  /**
   * Whether to replace the branch history with one commit (`force_orphan`).
   * @default false
   */
  readonly forceOrphan?: boolean;

  /**
   * Custom domain written to `CNAME` (`cname`).
   * @default - none
   */
  readonly cname?: string;

  /**
   * Commit message (`commit_message`).
   * @default - "deploy: <sha>"
   */
  readonly commitMessage?: string;

  /**
   * Whether to keep Jekyll processing (no `.nojekyll`) (`enable_jekyll`).
   * @default false
   */
  readonly enableJekyll?: boolean;
}

/**
 * Inputs of `actions/upload-pages-artifact`: packages a directory for
 * `Actions.deployPages()`.
 * @see https://github.com/actions/upload-pages-artifact#inputs
 */
export interface UploadPagesArtifactProps {
  /**
   * Directory of the built site (`path`).
   * @default "_site/"
   */
  readonly path?: string;

  /**
   * Artifact name (`name`).
   * @default "github-pages"
   */
  readonly name?: string;

  /**
   * Days before the artifact expires (`retention-days`).
   * @default 1
   */
  readonly retentionDays?: number;
}

/**
 * Inputs of `actions/deploy-pages`. Deploying needs `pages: write` and
 * `id-token: write`, which the job gets; the job should use the
 * `github-pages` environment.
 * @see https://github.com/actions/deploy-pages#inputs
 */
export interface DeployPagesProps {
  /**
   * Name of the artifact to deploy (`artifact_name`).
   * @default "github-pages"
   */
  readonly artifactName?: string;

  /**
   * Time to wait for the deployment, in milliseconds (`timeout`).
   * @default 600000
   */
  readonly timeout?: number;

  /**
   * Whether this is a pull request preview (`preview`).
   * @default false
   */
  readonly preview?: boolean;
}

/**
 * Inputs of `pypa/gh-action-pypi-publish`. Trusted publishing (no
 * `password`) authenticates through OIDC: the job gets `id-token: write`.
 * @see https://github.com/pypa/gh-action-pypi-publish#usage
 */
export interface PypiPublishProps {
  /**
   * Directory of the distributions (`packages-dir`).
   * @default "dist"
   */
  readonly packagesDir?: string;

  /**
   * Repository upload URL, e.g. `https://test.pypi.org/legacy/`
   * (`repository-url`).
   * @default "https://upload.pypi.org/legacy/"
   */
  readonly repositoryUrl?: string;

  /**
   * API token, as a secret expression, instead of trusted publishing
   * (`password`).
   * @default - none: trusted publishing
   */
  readonly password?: string;

  /**
   * Whether to skip files already uploaded (`skip-existing`).
   * @default false
   */
  readonly skipExisting?: boolean;

  /**
   * Whether to check the metadata before uploading (`verify-metadata`).
   * @default true
   */
  readonly verifyMetadata?: boolean;

  /**
   * Whether to generate and upload PEP 740 attestations (`attestations`).
   * @default true
   */
  readonly attestations?: boolean;

  /**
   * Whether to print verbose logs (`verbose`).
   * @default false
   */
  readonly verbose?: boolean;
}
