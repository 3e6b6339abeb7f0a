/**
 * The GitHub Actions workflow file format, as plain readonly interfaces that
 * mirror the wire syntax (keys spelled exactly as GitHub spells them). The
 * user-facing constructs (`Workflow`, `Job`, `Step`, `Trigger`, ...) render
 * into these shapes. Import this module as types only:
 *
 * ```ts
 * import type * as wf from './workflows-model';
 * ```
 *
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions
 * @see https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions
 * @internal
 */

/* eslint-disable @typescript-eslint/naming-convention */

/**
 * A permission level of one `GITHUB_TOKEN` scope.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
 */
export type PermissionValue = 'read' | 'write' | 'none';

/** `permissions:` as a map of scope to level (`{}` grants nothing). */
export type Permissions = { readonly [scope: string]: PermissionValue };

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#concurrency */
export interface Concurrency {
  readonly 'group': string;
  readonly 'cancel-in-progress'?: boolean | string;
  readonly 'queue'?: 'single' | 'max';
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#defaultsrun */
export interface Defaults {
  readonly run?: {
    readonly 'shell'?: string;
    readonly 'working-directory'?: string;
  };
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onpushpull_requestpull_request_targetpathspaths-ignore */
export interface PushEvent {
  readonly 'branches'?: string[];
  readonly 'branches-ignore'?: string[];
  readonly 'tags'?: string[];
  readonly 'tags-ignore'?: string[];
  readonly 'paths'?: string[];
  readonly 'paths-ignore'?: string[];
}

/** `pull_request` and `pull_request_target`. */
export interface PullRequestEvent {
  readonly 'types'?: string[];
  readonly 'branches'?: string[];
  readonly 'branches-ignore'?: string[];
  readonly 'paths'?: string[];
  readonly 'paths-ignore'?: string[];
}

/** One entry of `on.schedule`. */
export interface ScheduleEntry {
  readonly cron: string;
  /** An IANA time zone name; GitHub runs the schedule in UTC without it. */
  readonly timezone?: string;
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onworkflow_dispatchinputs */
export interface DispatchInput {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: string | number | boolean;
  readonly type?: 'string' | 'boolean' | 'choice' | 'number' | 'environment';
  readonly options?: string[];
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onworkflow_call */
export interface WorkflowCallEvent {
  readonly inputs?: { readonly [name: string]: DispatchInput };
  readonly outputs?: { readonly [name: string]: { readonly description?: string; readonly value: string } };
  readonly secrets?: { readonly [name: string]: { readonly description?: string; readonly required?: boolean } };
}

/** @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#workflow_run */
export interface WorkflowRunEvent {
  readonly 'workflows': string[];
  readonly 'types'?: string[];
  readonly 'branches'?: string[];
  readonly 'branches-ignore'?: string[];
}

/** `on:` as a map of event name to its configuration. */
export interface On {
  readonly [event: string]: unknown;
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontainer */
export interface Container {
  readonly image: string;
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly env?: { readonly [name: string]: string };
  readonly ports?: Array<string | number>;
  readonly volumes?: string[];
  readonly options?: string;
  /** Services only: overrides the image's ENTRYPOINT. */
  readonly entrypoint?: string;
  /** Services only: overrides the image's CMD. */
  readonly command?: string;
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idenvironment */
export type Environment = string | { readonly name: string; readonly url?: string; readonly deployment?: boolean };

/** A custom runner image made from the job's runner when the job succeeds. */
export type Snapshot = string | { readonly 'image-name': string; readonly 'version'?: string; readonly 'if'?: string };

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstrategy */
export interface Strategy {
  readonly 'matrix'?: { readonly [key: string]: unknown } | string;
  readonly 'fail-fast'?: boolean;
  readonly 'max-parallel'?: number;
}

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idruns-on */
export type RunsOn = string | string[] | { readonly group?: string; readonly labels?: string | string[] };

/** @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idsteps */
export interface Step {
  readonly 'id'?: string;
  readonly 'name'?: string;
  readonly 'if'?: string;
  /** A string, or a YAML scalar carrying the `# vX.Y.Z` comment of a pinned action. */
  readonly 'uses'?: unknown;
  readonly 'with'?: { readonly [key: string]: unknown };
  readonly 'run'?: string;
  readonly 'shell'?: string;
  readonly 'working-directory'?: string;
  readonly 'env'?: { readonly [name: string]: string };
  readonly 'timeout-minutes'?: number;
  readonly 'continue-on-error'?: boolean;
  /** Run and uses steps of a workflow job. */
  readonly 'background'?: boolean;
  /** The steps that wait for or stop background steps. */
  readonly 'wait'?: string | string[];
  readonly 'wait-all'?: boolean;
  readonly 'cancel'?: string;
  /** A group of steps run at once. */
  readonly 'parallel'?: Step[];
}

/** A job that runs steps. */
export interface Job {
  readonly 'name'?: string;
  readonly 'needs'?: string | string[];
  readonly 'if'?: string;
  readonly 'runs-on': RunsOn;
  readonly 'environment'?: Environment;
  readonly 'concurrency'?: Concurrency;
  readonly 'permissions'?: Permissions;
  readonly 'outputs'?: { readonly [name: string]: string };
  readonly 'env'?: { readonly [name: string]: string };
  readonly 'defaults'?: Defaults;
  readonly 'timeout-minutes'?: number;
  readonly 'cancel-timeout-minutes'?: number;
  readonly 'continue-on-error'?: boolean;
  readonly 'strategy'?: Strategy;
  readonly 'container'?: Container;
  readonly 'services'?: { readonly [id: string]: Container };
  readonly 'steps': Step[];
  readonly 'snapshot'?: Snapshot;
}

/**
 * A job that calls a reusable workflow.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_iduses
 */
export interface CallJob {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Permissions;
  readonly concurrency?: Concurrency;
  readonly strategy?: Strategy;
  readonly uses: string;
  readonly with?: { readonly [key: string]: unknown };
  readonly secrets?: 'inherit' | { readonly [name: string]: string };
}

/** A workflow file. */
export interface Workflow {
  readonly 'name'?: string;
  readonly 'description'?: string;
  readonly 'run-name'?: string;
  readonly 'on': On;
  readonly 'permissions': Permissions;
  readonly 'env'?: { readonly [name: string]: string };
  readonly 'defaults'?: Defaults;
  readonly 'concurrency'?: Concurrency;
  readonly 'jobs': { readonly [id: string]: Job | CallJob };
}

/**
 * A composite action's `action.yml`.
 * @see https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions#runs-for-composite-actions
 */
export interface CompositeActionMetadata {
  readonly name: string;
  readonly author?: string;
  readonly description: string;
  readonly inputs?: { readonly [name: string]: { readonly description?: string; readonly required?: boolean; readonly default?: string } };
  readonly outputs?: { readonly [name: string]: { readonly description?: string; readonly value: string } };
  readonly runs: { readonly using: 'composite'; readonly steps: Step[] };
  readonly branding?: { readonly icon?: string; readonly color?: string };
}
