/**
 * A concurrency group: at most one running and one pending run (or job) per
 * group.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#concurrency
 */
export interface Concurrency {
  /**
   * The group key; expressions are allowed, e.g.
   * `${Expression.github('workflow')}-${Expression.github('ref')}`.
   */
  readonly group: string;

  /**
   * Cancel a run of the group that is in progress when a new one starts.
   * @default false
   */
  readonly cancelInProgress?: boolean;
}

/**
 * The defaults of every `run:` step (`defaults.run`).
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#defaultsrun
 */
export interface RunDefaults {
  /**
   * The shell, e.g. `bash`, `pwsh`, `python`.
   * @default - bash on Linux and macOS, pwsh on Windows
   */
  readonly shell?: string;

  /**
   * The working directory.
   * @default - the workspace root
   */
  readonly workingDirectory?: string;
}
