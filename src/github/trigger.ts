import { cronProblem } from './cron';
import { activityTypeProblems, eventNameProblem, filterProblems } from './events';
import { DispatchInput, WorkflowCallInput, WorkflowCallOutput, WorkflowCallSecret } from './inputs';

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Filters of a `push` trigger. A `-ignore` filter cannot be combined with its
 * positive form.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onpushbranchestagsbranches-ignoretags-ignore
 */
export interface PushTriggerOptions {
  /** Branch globs that trigger the workflow. @default - every branch */
  readonly branches?: string[];
  /** Branch globs that do not trigger it. @default - none excluded */
  readonly branchesIgnore?: string[];
  /** Tag globs that trigger it. @default - every tag (when no branch filter is set) */
  readonly tags?: string[];
  /** Tag globs that do not trigger it. @default - none excluded */
  readonly tagsIgnore?: string[];
  /** Path globs, at least one changed file must match. @default - any path */
  readonly paths?: string[];
  /** Path globs ignored when deciding whether to run. @default - none ignored */
  readonly pathsIgnore?: string[];
}

/**
 * Filters of a `pull_request` or `pull_request_target` trigger.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request
 */
export interface PullRequestTriggerOptions {
  /** Activity types, e.g. `opened`, `synchronize`, `reopened`, `labeled`. @default - opened, synchronize, reopened */
  readonly types?: string[];
  /** Base-branch globs. @default - every base branch */
  readonly branches?: string[];
  /** Base-branch globs that do not trigger it. @default - none excluded */
  readonly branchesIgnore?: string[];
  /** Path globs, at least one changed file must match. @default - any path */
  readonly paths?: string[];
  /** Path globs ignored when deciding whether to run. @default - none ignored */
  readonly pathsIgnore?: string[];
}

/** Options of a `workflow_dispatch` trigger. */
export interface WorkflowDispatchOptions {
  /** Typed inputs of the "Run workflow" form, by name. @default - no inputs */
  readonly inputs?: { [name: string]: DispatchInput };
}

/** Options of a `workflow_call` trigger: the interface of a reusable workflow. */
export interface WorkflowCallOptions {
  /** Typed inputs, by name. @default - no inputs */
  readonly inputs?: { [name: string]: WorkflowCallInput };
  /** Outputs, by name. @default - no outputs */
  readonly outputs?: { [name: string]: WorkflowCallOutput };
  /** Secrets callers pass, by name. @default - no secrets */
  readonly secrets?: { [name: string]: WorkflowCallSecret };
}

/**
 * Options of a `workflow_run` trigger.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#workflow_run
 */
export interface WorkflowRunTriggerOptions {
  /** Names (the `name:`) of the workflows whose runs trigger this one. */
  readonly workflows: string[];
  /** Activity types: `completed`, `requested`, `in_progress`. @default - completed and requested */
  readonly types?: string[];
  /** Head-branch globs of the triggering run. @default - every branch */
  readonly branches?: string[];
  /** Head-branch globs that do not trigger it. @default - none excluded */
  readonly branchesIgnore?: string[];
}

/**
 * Options of a `schedule` trigger.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule
 */
export interface ScheduleOptions {
  /**
   * The IANA time zone the cron times are in (`timezone:`), e.g.
   * `Europe/London` or `America/New_York`. In a zone with daylight saving
   * time, a time skipped when clocks go forward runs at the next valid time.
   * @default - UTC
   */
  readonly timezone?: string;
}

/**
 * Options of a `merge_group` trigger.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#merge_group
 */
export interface MergeGroupTriggerOptions {
  /** Activity types: `checks_requested`. @default - every type */
  readonly types?: string[];
  /** Base-branch globs of the merge queue. @default - every branch */
  readonly branches?: string[];
  /** Base-branch globs that do not trigger it. @default - none excluded */
  readonly branchesIgnore?: string[];
}

/**
 * Options of an `image_version` trigger: a version of a custom runner image
 * was created, became ready or was deleted.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#image_version
 */
export interface ImageVersionTriggerOptions {
  /** Activity types: `created`, `ready`, `deleted`. @default - every type */
  readonly types?: string[];
  /** Image names (globs) whose versions trigger the workflow. @default - every image */
  readonly names?: string[];
  /** Version globs, e.g. `2.*`. @default - every version */
  readonly versions?: string[];
}

/** Options of a trigger that only filters by activity type. */
export interface TypesTriggerOptions {
  /** Activity types. @default - every type the event has */
  readonly types?: string[];
}

/**
 * An event that starts a workflow (one entry of `on:`).
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows
 */
export class Trigger {
  /** `push`: commits or tags pushed. */
  public static push(options: PushTriggerOptions = {}): Trigger {
    return new Trigger('push', {
      'branches': options.branches,
      'branches-ignore': options.branchesIgnore,
      'tags': options.tags,
      'tags-ignore': options.tagsIgnore,
      'paths': options.paths,
      'paths-ignore': options.pathsIgnore,
    }, [
      exclusive('push', 'branches', options.branches, 'branchesIgnore', options.branchesIgnore),
      exclusive('push', 'tags', options.tags, 'tagsIgnore', options.tagsIgnore),
      exclusive('push', 'paths', options.paths, 'pathsIgnore', options.pathsIgnore),
    ]);
  }

  /** `pull_request`: activity on a pull request, run in the context of its merge commit. */
  public static pullRequest(options: PullRequestTriggerOptions = {}): Trigger {
    return Trigger.pr('pull_request', options);
  }

  /**
   * `pull_request_target`: activity on a pull request, run in the context of
   * the base branch, with secrets. Never check out and run the pull request's
   * code in such a workflow.
   */
  public static pullRequestTarget(options: PullRequestTriggerOptions = {}): Trigger {
    return Trigger.pr('pull_request_target', options);
  }

  /**
   * `schedule`: a POSIX cron schedule, checked at synth (5 fields), in UTC
   * unless `options.timezone` names an IANA time zone.
   * @param cron e.g. `0 6 * * *` (daily at 06:00)
   */
  public static schedule(cron: string, options: ScheduleOptions = {}): Trigger {
    const entry = options.timezone === undefined ? { cron } : { cron, timezone: options.timezone };
    return new Trigger('schedule', [entry], [cronProblem(cron), timezoneProblem(options.timezone)]);
  }

  /** `workflow_dispatch`: a manual run, with typed inputs. */
  public static workflowDispatch(options: WorkflowDispatchOptions = {}): Trigger {
    const inputs = options.inputs;
    const problems: Array<string | undefined> = [];
    if (inputs) {
      for (const [name, input] of Object.entries(inputs)) {
        problems.push(inputNameProblem('workflow_dispatch', name), ...input._problems(name));
      }
      if (Object.keys(inputs).length > 25) problems.push(`workflow_dispatch has ${Object.keys(inputs).length} inputs; GitHub allows at most 25`);
    }
    return new Trigger('workflow_dispatch', {
      inputs: inputs === undefined ? undefined : mapValues(inputs, (i) => i._toWire()),
    }, problems);
  }

  /** `workflow_call`: makes the workflow reusable, with typed inputs, outputs and secrets. */
  public static workflowCall(options: WorkflowCallOptions = {}): Trigger {
    const problems: Array<string | undefined> = [];
    for (const name of Object.keys(options.inputs ?? {})) problems.push(inputNameProblem('workflow_call input', name));
    for (const name of Object.keys(options.outputs ?? {})) problems.push(inputNameProblem('workflow_call output', name));
    for (const name of Object.keys(options.secrets ?? {})) problems.push(inputNameProblem('workflow_call secret', name));
    return new Trigger('workflow_call', {
      inputs: options.inputs === undefined ? undefined : mapValues(options.inputs, (i) => i._toWire()),
      outputs: options.outputs === undefined ? undefined : mapValues(options.outputs, (o) => ({ description: o.description, value: o.value })),
      secrets: options.secrets === undefined ? undefined : mapValues(options.secrets, (s) => ({ description: s.description, required: s.required })),
    }, problems);
  }

  /** `workflow_run`: another workflow's run was requested or completed. */
  public static workflowRun(options: WorkflowRunTriggerOptions): Trigger {
    const problems = [options.workflows.length === 0 ? 'workflow_run needs at least one workflow name in "workflows"' : undefined,
      exclusive('workflow_run', 'branches', options.branches, 'branchesIgnore', options.branchesIgnore)];
    return new Trigger('workflow_run', {
      'workflows': options.workflows,
      'types': options.types,
      'branches': options.branches,
      'branches-ignore': options.branchesIgnore,
    }, problems);
  }

  /** `release`: release activity, e.g. types `published`. */
  public static release(options: TypesTriggerOptions = {}): Trigger {
    return new Trigger('release', { types: options.types });
  }

  /** `repository_dispatch`: an API call to the repository dispatch endpoint; types are the custom event types. */
  public static repositoryDispatch(options: TypesTriggerOptions = {}): Trigger {
    return new Trigger('repository_dispatch', { types: options.types });
  }

  /** `merge_group`: a pull request was added to the merge queue (type `checks_requested`). */
  public static mergeGroup(options: MergeGroupTriggerOptions = {}): Trigger {
    return new Trigger('merge_group', {
      'types': options.types,
      'branches': options.branches,
      'branches-ignore': options.branchesIgnore,
    }, [exclusive('merge_group', 'branches', options.branches, 'branchesIgnore', options.branchesIgnore)]);
  }

  /** `image_version`: a version of a custom runner image was created, became ready or was deleted. */
  public static imageVersion(options: ImageVersionTriggerOptions = {}): Trigger {
    const problems: string[] = [];
    for (const key of ['names', 'versions'] as const) {
      const v = options[key];
      if (v === undefined) continue;
      if (v.length === 0) problems.push(`image_version "${key}" is an empty list, which matches nothing; leave it out or give a pattern`);
      v.forEach((p, i) => {
        if (p.trim() === '') problems.push(`image_version "${key}" entry ${i + 1} is empty; give a name or pattern`);
      });
    }
    return new Trigger('image_version', { types: options.types, names: options.names, versions: options.versions }, problems);
  }

  /**
   * Any other event, with its configuration as GitHub spells it, e.g.
   * `Trigger.event('issue_comment', { types: ['created'] })`.
   * @param name the event name
   * @param config the event's configuration
   */
  public static event(name: string, config: { [key: string]: any } = {}): Trigger {
    const problems = [/^[a-z_]+$/.test(name) ? undefined : `event name "${name}" must be lowercase letters and "_", e.g. "issue_comment"`];
    if (['schedule', 'push', 'pull_request', 'pull_request_target', 'workflow_dispatch', 'workflow_call'].includes(name)) {
      problems.push(`event "${name}" has a typed factory; use Trigger.${camel(name)}(...) instead of Trigger.event("${name}")`);
    }
    return new Trigger(name, { ...config }, problems);
  }

  private static pr(name: string, options: PullRequestTriggerOptions): Trigger {
    return new Trigger(name, {
      'types': options.types,
      'branches': options.branches,
      'branches-ignore': options.branchesIgnore,
      'paths': options.paths,
      'paths-ignore': options.pathsIgnore,
    }, [
      exclusive(name, 'branches', options.branches, 'branchesIgnore', options.branchesIgnore),
      exclusive(name, 'paths', options.paths, 'pathsIgnore', options.pathsIgnore),
    ]);
  }

  /** The event name as GitHub spells it, e.g. `pull_request`. */
  public readonly eventName: string;

  private readonly config: unknown;
  private readonly problems: string[];

  private constructor(eventName: string, config: unknown, problems: Array<string | undefined> = []) {
    this.eventName = eventName;
    this.config = config;
    const config_ = config as { [key: string]: unknown } | undefined;
    this.problems = [
      ...problems.filter((p): p is string => p !== undefined),
      ...[eventNameProblem(eventName)].filter((p): p is string => p !== undefined),
      ...activityTypeProblems(eventName, Array.isArray(config_) ? undefined : config_?.types),
      ...filterProblems(eventName, config),
    ];
  }

  /** Why this trigger is invalid (checked at synth, reported with the workflow's path). @internal */
  public _problems(): string[] {
    return [...this.problems];
  }

  /** The value under `on.<eventName>`. @internal */
  public _config(): unknown {
    return this.config;
  }
}

function exclusive(event: string, a: string, av: unknown, b: string, bv: unknown): string | undefined {
  return av !== undefined && bv !== undefined
    ? `${event} sets both "${a}" and "${b}"; GitHub rejects that combination. Keep one (use "!pattern" entries in "${a}" to exclude)`
    : undefined;
}

/** Why `timezone` is not an IANA time zone name, or undefined. @internal */
export function timezoneProblem(timezone: string | undefined): string | undefined {
  if (timezone === undefined) return undefined;
  const example = 'e.g. "Europe/London", "America/New_York" or "UTC"';
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone) || /^(GMT|UTC)?[+-]\d/.test(timezone)) {
    return `schedule timezone "${timezone}" is not an IANA time zone name; ${example}`;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return `schedule timezone "${timezone}" is not a time zone of the IANA database; ${example}`;
  }
  return undefined;
}

function inputNameProblem(kind: string, name: string): string | undefined {
  return INPUT_NAME.test(name) ? undefined : `${kind} name "${name}" must start with a letter or "_" and contain only letters, digits, "-" and "_"`;
}

function mapValues<T, U>(m: { [k: string]: T }, f: (v: T) => U): { [k: string]: U } {
  const out: { [k: string]: U } = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
