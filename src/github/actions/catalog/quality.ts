/**
 * Inputs of `codecov/codecov-action`.
 * @see https://github.com/codecov/codecov-action#arguments
 */
export interface CodecovProps {
  /**
   * Coverage reports to upload (`files`, comma-separated).
   * @default - reports found by search
   */
  readonly files?: string[];

  /**
   * One coverage report: the input `file` of v3 and v4. v5 removed it, so
   * with v5 and later the report is added to `files` instead.
   * @default - none
   */
  readonly file?: string;

  /**
   * Upload token, as a secret expression (`token`).
   * @default - none (tokenless upload for public repositories)
   */
  readonly token?: string;

  /**
   * Whether to authenticate through OIDC instead of a token (`use_oidc`);
   * the job then gets `id-token: write`.
   * @default false
   */
  readonly useOidc?: boolean;

  /**
   * Flags to tag the upload with (`flags`, comma-separated).
   * @default - none
   */
  readonly flags?: string[];

  /**
   * Name of the upload (`name`).
   * @default - none
   */
  readonly name?: string;

  /**
   * Whether a failed upload fails the step (`fail_ci_if_error`).
   * @default false
   */
  readonly failCiIfError?: boolean;

  /**
   * Directory to search for reports (`directory`).
   * @default - the working directory
   */
  readonly directory?: string;

  /**
   * Whether to upload only `files`, without searching (`disable_search`).
   * @default false
   */
  readonly disableSearch?: boolean;

  /**
   * Whether to print verbose logs (`verbose`).
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * Inputs of `aquasecurity/trivy-action`.
 * @see https://github.com/aquasecurity/trivy-action#inputs
 */
export interface TrivyProps {
  /**
   * What to scan: `image`, `fs`, `repo`, `config`, `rootfs` or `sbom`
   * (`scan-type`).
   * @default "image"
   */
  readonly scanType?: string;

  /**
   * Image to scan, for `image` (`image-ref`).
   * @default - none
   */
  readonly imageRef?: string;

  /**
   * Path or repository to scan, for `fs`, `repo`, `config` (`scan-ref`).
   * @default "."
   */
  readonly scanRef?: string;

  /**
   * Image tarball to scan, instead of `imageRef` (`input`).
   * @default - none
   */
  readonly input?: string;

  /**
   * Output format: `table`, `json`, `sarif`, `cyclonedx`, ... (`format`).
   * @default "table"
   */
  readonly format?: string;

  /**
   * File to write the report to (`output`).
   * @default - the log
   */
  readonly output?: string;

  /**
   * Severities to report, e.g. `CRITICAL`, `HIGH` (`severity`,
   * comma-separated).
   * @default - all
   */
  readonly severity?: string[];

  /**
   * Exit code when vulnerabilities are found; 1 fails the step
   * (`exit-code`).
   * @default 0
   */
  readonly exitCode?: number;

  /**
   * Whether to hide vulnerabilities without a fix (`ignore-unfixed`).
   * @default false
   */
  readonly ignoreUnfixed?: boolean;

  /**
   * Scanners: `vuln`, `secret`, `misconfig`, `license` (`scanners`,
   * comma-separated).
   * @default - vuln and secret
   */
  readonly scanners?: string[];

  /**
   * Vulnerability types: `os`, `library` (`vuln-type`, comma-separated).
   * @default - os and library
   */
  readonly vulnType?: string[];

  /**
   * Directories to skip (`skip-dirs`, comma-separated).
   * @default - none
   */
  readonly skipDirs?: string[];

  /**
   * Ignore files, comma-separated paths (`trivyignores`).
   * @default - none
   */
  readonly trivyignores?: string[];

  /**
   * Scan timeout, e.g. `10m` (`timeout`).
   * @default "5m0s"
   */
  readonly timeout?: string;

  /**
   * Trivy version to install, e.g. `v0.69.3` (`version`).
   * @default - the version the action release names
   */
  readonly version?: string;
}

/**
 * Inputs of `github/codeql-action/upload-sarif`. Uploading needs
 * `security-events: write`, which the job gets (private repositories also
 * need `actions: read` and `contents: read`: add them with `permissions`).
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/uploading-a-sarif-file-to-github
 */
export interface UploadSarifProps {
  /**
   * SARIF file or directory of SARIF files (`sarif_file`).
   */
  readonly sarifFile: string;

  /**
   * Category distinguishing several analyses of one commit (`category`).
   * @default - the workflow, job and matrix values
   */
  readonly category?: string;

  /**
   * Whether to wait for the results to be processed
   * (`wait-for-processing`).
   * @default true
   */
  readonly waitForProcessing?: boolean;

  /**
   * Path of the checkout the paths in the SARIF are relative to
   * (`checkout_path`).
   * @default "${{ github.workspace }}"
   */
  readonly checkoutPath?: string;
}
