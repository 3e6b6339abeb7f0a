/**
 * Inputs of `amannn/action-semantic-pull-request`: checks that the pull
 * request title follows Conventional Commits. It reads the pull request, so
 * the job gets `pull-requests: read`.
 * @see https://github.com/amannn/action-semantic-pull-request#configuration
 */
export interface SemanticPullRequestProps {
  /**
   * Token the action reads the pull request with; rendered as the step's
   * `GITHUB_TOKEN` environment variable.
   * @default "${{ secrets.GITHUB_TOKEN }}"
   */
  readonly githubToken?: string;

  /**
   * Allowed types, e.g. `feat`, `fix` (`types`, one per line).
   * @default - the Conventional Commits types
   */
  readonly types?: string[];

  /**
   * Allowed scopes (`scopes`, one per line).
   * @default - any scope
   */
  readonly scopes?: string[];

  /**
   * Whether a scope is required (`requireScope`).
   * @default false
   */
  readonly requireScope?: boolean;

  /**
   * Regular expression the subject must match (`subjectPattern`).
   * @default - any subject
   */
  readonly subjectPattern?: string;

  /**
   * Error shown when the subject does not match (`subjectPatternError`).
   * @default - a generic message
   */
  readonly subjectPatternError?: string;

  /**
   * Labels that skip the check (`ignoreLabels`, one per line).
   * @default - none
   */
  readonly ignoreLabels?: string[];

  /**
   * Whether a single-commit pull request's commit must also be semantic
   * (`validateSingleCommit`).
   * @default false
   */
  readonly validateSingleCommit?: boolean;

  /**
   * Whether `[WIP]` titles are reported as pending (`wip`).
   * @default false
   */
  readonly wip?: boolean;
}

/**
 * Inputs of `codelytv/pr-size-labeler`: labels a pull request by the number
 * of changed lines. It writes labels, so the job gets
 * `pull-requests: write`.
 * @see https://github.com/CodelyTV/pr-size-labeler#-usage
 */
export interface PrSizeLabelerProps {
  /**
   * Token (`GITHUB_TOKEN`).
   * @default "${{ github.token }}"
   */
  readonly githubToken?: string;

  /**
   * Label of extra-small pull requests (`xs_label`).
   * @default "size/xs"
   */
  readonly xsLabel?: string;

  /**
   * Largest extra-small size, in changed lines (`xs_max_size`).
   * @default 10
   */
  readonly xsMaxSize?: number;

  /**
   * Label of small pull requests (`s_label`).
   * @default "size/s"
   */
  readonly sLabel?: string;

  /**
   * Largest small size (`s_max_size`).
   * @default 100
   */
  readonly sMaxSize?: number;

  /**
   * Label of medium pull requests (`m_label`).
   * @default "size/m"
   */
  readonly mLabel?: string;

  /**
   * Largest medium size (`m_max_size`).
   * @default 500
   */
  readonly mMaxSize?: number;

  /**
   * Label of large pull requests (`l_label`).
   * @default "size/l"
   */
  readonly lLabel?: string;

  /**
   * Largest large size (`l_max_size`).
   * @default 1000
   */
  readonly lMaxSize?: number;

  /**
   * Label of extra-large pull requests (`xl_label`).
   * @default "size/xl"
   */
  readonly xlLabel?: string;

  /**
   * Whether an extra-large pull request fails the step (`fail_if_xl`).
   * @default false
   */
  readonly failIfXl?: boolean;

  /**
   * Comment posted on extra-large pull requests (`message_if_xl`).
   * @default - a message asking to split the pull request
   */
  readonly messageIfXl?: string;

  /**
   * Files not counted, space-separated globs (`files_to_ignore`).
   * @default - none
   */
  readonly filesToIgnore?: string;
}
