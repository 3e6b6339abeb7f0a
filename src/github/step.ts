import { Duration } from '../core/duration';
import { Action } from './actions/action';
import { invalid } from '../core/strict';

/** Step ids follow the job id rules. */
const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Options common to `run` and `uses` steps. */
export interface StepOptions {
  /**
   * The step id, for `steps.<id>.outputs` and `steps.<id>.outcome`. Unique in
   * its job.
   * @default - no id
   */
  readonly id?: string;

  /**
   * The name shown in the run log.
   * @default - the command (run steps) or action (uses steps)
   */
  readonly name?: string;

  /**
   * A condition; an Expression's text, with or without `${{ }}`, e.g.
   * `Expression.always().toString()`.
   * @default - run when every previous step succeeded (`success()`)
   */
  readonly if?: string;

  /**
   * Environment variables of the step. Keys are kept exactly as written.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Cancel the step after this long (rounded up to whole minutes).
   * @default - the job's timeout
   */
  readonly timeout?: Duration;

  /**
   * Let the job pass when this step fails.
   * @default false
   */
  readonly continueOnError?: boolean;

  /**
   * Run the step in the background (`background: true`): the job goes on to
   * the next step at once. Give it an `id` to wait for it
   * (`Step.waitFor([id])`) or stop it (`Step.cancel(id)`); `Step.waitForAll()`
   * waits for every background step started before it. Workflow jobs only
   * (composite actions have no background steps).
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsbackground
   * @default false
   */
  readonly background?: boolean;
}

/**
 * Options of the steps that wait for or stop background steps
 * (`Step.waitFor`, `Step.waitForAll`, `Step.cancel`).
 */
export interface ControlStepOptions {
  /**
   * The step id. Unique in its job.
   * @default - no id
   */
  readonly id?: string;

  /**
   * The name shown in the run log.
   * @default - GitHub's: "Wait", "Wait for all" or "Cancel"
   */
  readonly name?: string;

  /**
   * Let the job pass when this step fails (e.g. when a waited-for step failed).
   * @default false
   */
  readonly continueOnError?: boolean;
}

/** Options of a `run:` step. */
export interface RunStepOptions extends StepOptions {
  /**
   * The shell: `bash`, `sh`, `pwsh`, `python`, `cmd`, `powershell`, or a
   * custom command containing `{0}`.
   * @default - the job's `defaults.run.shell`, else bash on Linux and macOS, pwsh on Windows
   */
  readonly shell?: string;

  /**
   * Directory the script runs in.
   * @default - the job's `defaults.run.working-directory`, else the workspace
   */
  readonly workingDirectory?: string;
}

/** Options of a `uses:` step. */
export interface UsesStepOptions extends StepOptions {
  /**
   * The action's inputs. Keys are kept exactly as written; values are
   * strings, numbers or booleans.
   * @default - none
   */
  readonly with?: { [key: string]: any };
}

/**
 * One step of a job: a shell script (`Step.run`) or an action (`Step.uses`).
 * Steps are values: create them once and add them to any number of jobs.
 *
 * Untrusted event text (a pull request title, a branch name...) that a
 * `run:` script interpolates with `${{ }}` is moved into the step's `env:`
 * at synth, and the script refers to the variable instead.
 *
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idsteps
 */
export class Step {
  /**
   * A shell script. A multi-line script is rendered as a literal block.
   * @param script the commands
   */
  public static run(script: string, options: RunStepOptions = {}): Step {
    const step = new Step(options, script, undefined, options.shell, options.workingDirectory, undefined);
    // reported by the job that receives the step, with every other problem
    if (typeof script === 'string' && script.trim() === '') invalid(step, `Step.run${options.id ? ` "${options.id}"` : ''} needs a non-empty script, e.g. Step.run('npm test')`);
    return step;
  }

  /**
   * An action, pinned to a commit SHA through the lock file, e.g.
   * `Step.uses(Action.of('actions/checkout', 'v4'))`.
   */
  public static uses(action: Action, options: UsesStepOptions = {}): Step {
    return new Step(options, undefined, action, undefined, undefined, options.with);
  }

  /**
   * Waits until the named background steps finish (`wait:`). Each must be an
   * earlier step of the job with `background: true`.
   * @param stepIds ids of earlier background steps
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepswait
   */
  public static waitFor(stepIds: string[], options: ControlStepOptions = {}): Step {
    return Step.control(options, { waitFor: [...stepIds] });
  }

  /**
   * Waits until every background step started before it finishes
   * (`wait-all: true`).
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepswait-all
   */
  public static waitForAll(options: ControlStepOptions = {}): Step {
    return Step.control(options, { waitForAll: true });
  }

  /**
   * Stops a background step (`cancel:`), e.g. a server started for the tests.
   * @param stepId the id of an earlier background step
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepscancel
   */
  public static cancel(stepId: string, options: ControlStepOptions = {}): Step {
    return Step.control(options, { cancel: stepId });
  }

  /**
   * Runs run and uses steps at the same time (`parallel:`): each starts as a
   * background step, and the job waits for all of them before the next step.
   * The steps may not be background steps themselves, nor groups.
   * @param steps the steps of the group
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsparallel
   */
  public static parallel(steps: Step[]): Step {
    const step = new Step({}, undefined, undefined, undefined, undefined, undefined);
    Object.assign(step, { group: [...steps] });
    return step;
  }

  private static control(options: ControlStepOptions, control: { waitFor?: string[]; waitForAll?: boolean; cancel?: string }): Step {
    const base = { id: options.id, name: options.name, continueOnError: options.continueOnError };
    const step = new Step(base, undefined, undefined, undefined, undefined, undefined);
    Object.assign(step, { waitsFor: control.waitFor, waitsForAll: control.waitForAll, cancels: control.cancel });
    return step;
  }

  /** The step id, if any. */
  public readonly id?: string;
  /** The display name, if any. */
  public readonly name?: string;
  /** The condition, if any. */
  public readonly condition?: string;
  /** The script of a run step. */
  public readonly script?: string;
  /** The action of a uses step. */
  public readonly action?: Action;
  /** The shell of a run step. */
  public readonly shell?: string;
  /** The working directory of a run step. */
  public readonly workingDirectory?: string;
  /** The inputs of a uses step. */
  public readonly with?: { [key: string]: any };
  /** The step's environment variables. */
  public readonly env?: { [name: string]: string };
  /** The step's timeout. */
  public readonly timeout?: Duration;
  /** Whether the job passes when this step fails. */
  public readonly continueOnError?: boolean;
  /** Whether the step runs in the background. */
  public readonly background?: boolean;
  /** The background steps a `Step.waitFor` step waits for. */
  public readonly waitsFor?: string[];
  /** Whether this is a `Step.waitForAll` step. */
  public readonly waitsForAll?: boolean;
  /** The background step a `Step.cancel` step stops. */
  public readonly cancels?: string;
  /** The steps of a `Step.parallel` group. */
  public readonly group?: Step[];

  private constructor(options: StepOptions, script: string | undefined, action: Action | undefined,
    shell: string | undefined, workingDirectory: string | undefined, withInputs: { [key: string]: any } | undefined) {
    if (options.id !== undefined && !STEP_ID.test(options.id)) {
      invalid(this, `step id "${options.id}" is invalid: start with a letter or "_", then use letters, digits, "-" or "_" (e.g. "build-image")`);
    }
    this.id = options.id;
    this.name = options.name;
    this.condition = options.if;
    this.env = options.env ? { ...options.env } : undefined;
    this.timeout = options.timeout;
    this.continueOnError = options.continueOnError;
    this.background = options.background;
    this.script = script;
    this.action = action;
    this.shell = shell;
    this.workingDirectory = workingDirectory;
    this.with = withInputs ? { ...withInputs } : undefined;
  }

  /** A short description for messages: the id, else the name, else the position. @internal */
  public _describe(index: number): string {
    if (this.id) return `step "${this.id}"`;
    if (this.name) return `step ${index + 1} ("${this.name}")`;
    return `step ${index + 1}`;
  }
}
