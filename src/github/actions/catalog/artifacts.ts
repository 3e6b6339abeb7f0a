/**
 * Inputs of `actions/upload-artifact`.
 * @see https://github.com/actions/upload-artifact#inputs
 */
export interface UploadArtifactProps {
  /**
   * Files, directories and globs to upload, one per line (`path`).
   */
  readonly path: string[];

  /**
   * Artifact name (`name`). From v4 on, names must be unique in a run.
   * @default "artifact"
   */
  readonly name?: string;

  /**
   * What to do when no file matches: `warn`, `error` or `ignore`
   * (`if-no-files-found`).
   * @default "warn"
   */
  readonly ifNoFilesFound?: string;

  /**
   * Days before the artifact expires, 1 to 90 (`retention-days`).
   * @default - the repository's setting
   */
  readonly retentionDays?: number;

  /**
   * zlib compression level, 0 (none) to 9 (best) (`compression-level`).
   * @default 6
   */
  readonly compressionLevel?: number;

  /**
   * Whether to replace an artifact of the same name (`overwrite`).
   * @default false
   */
  readonly overwrite?: boolean;

  /**
   * Whether to include hidden files (`include-hidden-files`).
   * @default false
   */
  readonly includeHiddenFiles?: boolean;
}

/**
 * Inputs of `actions/download-artifact`.
 * @see https://github.com/actions/download-artifact#inputs
 */
export interface DownloadArtifactProps {
  /**
   * Name of the artifact to download (`name`).
   * @default - every artifact of the run
   */
  readonly name?: string;

  /**
   * Destination directory (`path`).
   * @default "$GITHUB_WORKSPACE"
   */
  readonly path?: string;

  /**
   * Glob of artifact names to download; ignored when `name` is set
   * (`pattern`).
   * @default - none
   */
  readonly pattern?: string;

  /**
   * Whether artifacts matched by `pattern` are extracted into one directory
   * (`merge-multiple`).
   * @default false
   */
  readonly mergeMultiple?: boolean;

  /**
   * Token to download from another repository or run (`github-token`).
   * @default - the run's token, for artifacts of the current run
   */
  readonly githubToken?: string;

  /**
   * Repository of the run to download from (`repository`).
   * @default "${{ github.repository }}"
   */
  readonly repository?: string;

  /**
   * Id of the run to download from (`run-id`).
   * @default "${{ github.run_id }}"
   */
  readonly runId?: string;
}
