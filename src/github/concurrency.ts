/**
 * How many runs (or jobs) of a concurrency group may wait (`concurrency.queue`).
 * @see https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency
 */
export enum ConcurrencyQueue {
  /** At most one pending run; a newer one cancels the pending one (GitHub's default). */
  SINGLE = 'single',
  /**
   * Pending runs wait in order, up to GitHub's queue limit (100 per group).
   * GitHub accepts it only when `cancelInProgress` is not true.
   */
  MAX = 'max',
}

/**
 * A concurrency group: at most one running run (or job) per group, and one
 * pending (or a queue of them, with `queue: ConcurrencyQueue.MAX`).
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

  /**
   * How many runs may wait in the group (`queue:`). `MAX` keeps every pending
   * run, in order, instead of cancelling the older pending one; GitHub rejects
   * it together with `cancelInProgress: true`.
   * @default - not rendered: GitHub's default, `single` (one pending run)
   */
  readonly queue?: ConcurrencyQueue;
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
