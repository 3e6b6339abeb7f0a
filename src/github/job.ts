import { ActionLock } from './actions/action-lock';
import { RunDefaults } from './concurrency';
import { Expression } from './expression';
import { unwrapCondition } from './expression-scan';
import { JobBase, JobBaseProps, JobEnvironment } from './job-base';
import { RunsOn } from './runs-on';
import { ServiceContainer } from './service-container';
import { Step } from './step';
import { backgroundStepProblems, flatSteps, outputReferenceProblems, renderStep, stepIdProblems, stringMap } from './step-render';
import { concurrencyToWire, defaultsToWire, environmentToWire, RenderedJob, strategyToWire } from './wire';
import type { Workflow } from './workflow';
import type * as wf from './workflows-model';
import { Duration } from '../core/duration';

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A custom runner image GitHub makes from the job's runner after the job
 * succeeds (`snapshot:`). Needs a larger runner that supports custom images.
 * @see https://docs.github.com/en/actions/how-tos/manage-runners/larger-runners/use-custom-images
 */
export interface JobSnapshot {
  /** The name of the custom image to create or update. */
  readonly imageName: string;

  /**
   * The major version the snapshot updates, e.g. `2.*`.
   * @default - GitHub's default: a new version of the image's current major
   */
  readonly version?: string;

  /**
   * Take the snapshot only when this condition holds: an expression in
   * `${{ }}`, as `Expression.toString()` writes it (contexts `github`,
   * `inputs`, `vars`, `needs`, `strategy` and `matrix`). Rendered as written.
   * @default - always, when the job succeeds
   */
  readonly if?: string;
}

/**
 * Properties of a {@link Job}.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobs
 */
export interface JobProps extends JobBaseProps {
  /**
   * The runner.
   * @default RunsOn.UBUNTU_LATEST
   */
  readonly runsOn?: RunsOn;

  /**
   * The deployment environment; its protection rules and secrets apply.
   * @default - none
   */
  readonly environment?: JobEnvironment;

  /**
   * Outputs other jobs can read (`job.output(name)`), e.g.
   * `{ digest: Expression.stepOutput('push', 'digest').toString() }`.
   * Keys are kept exactly as written.
   * @default - none
   */
  readonly outputs?: { [name: string]: string };

  /**
   * Environment variables of every step. Keys are kept exactly as written.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Defaults of the job's `run:` steps.
   * @default - the workflow's defaults
   */
  readonly defaults?: RunDefaults;

  /**
   * Cancel the job after this long (rounded up to whole minutes).
   * @default - GitHub's limit, 360 minutes
   */
  readonly timeout?: Duration;

  /**
   * How long the runner has to finish the job after it is cancelled
   * (`cancel-timeout-minutes`, rounded up to whole minutes). A field of
   * GitHub's workflow schema; the workflow syntax reference does not describe
   * it.
   * @default - not rendered: the runner's default (5 minutes)
   */
  readonly cancelTimeout?: Duration;

  /**
   * Let the workflow pass when this job fails.
   * @default false
   */
  readonly continueOnError?: boolean;

  /**
   * Make a custom runner image from the runner when the job succeeds.
   * @default - no snapshot
   */
  readonly snapshot?: JobSnapshot;

  /**
   * A container the steps run in.
   * @default - steps run on the runner host
   */
  readonly container?: ServiceContainer;

  /**
   * Service containers by id (the host name steps in a container job use),
   * e.g. `{ postgres: ServiceContainer.postgres('15') }`.
   * @default - none
   */
  readonly services?: { [id: string]: ServiceContainer };

  /**
   * The steps, in order. More can be added with `addSteps`.
   * @default - none (add at least one)
   */
  readonly steps?: Step[];
}

/**
 * A job of a workflow that runs steps on a runner.
 *
 * @example
 * const build = new Job(workflow, 'build', {
 *   steps: [Step.uses(Action.of('actions/checkout', 'v4')), Step.run('make')],
 * });
 */
export class Job extends JobBase {
  /** The runner. */
  public readonly runsOn: RunsOn;
  /** The environment, if any. */
  public readonly environment?: JobEnvironment;
  /** The job's env. */
  public readonly env?: { [name: string]: string };
  /** The job's run defaults. */
  public readonly defaults?: RunDefaults;
  /** The job's timeout. */
  public readonly timeout?: Duration;
  /** The job's cancel timeout. */
  public readonly cancelTimeout?: Duration;
  /** Whether the workflow passes when this job fails. */
  public readonly continueOnError?: boolean;
  /** The snapshot, if any. */
  public readonly snapshot?: JobSnapshot;
  /** The container, if any. */
  public readonly container?: ServiceContainer;

  private readonly _steps: Step[] = [];
  private readonly _outputs: { [name: string]: string } = {};
  private readonly _services: { [id: string]: ServiceContainer } = {};

  constructor(scope: Workflow, id: string, props: JobProps = {}) {
    super(scope, id, props);
    this.runsOn = props.runsOn ?? RunsOn.UBUNTU_LATEST;
    this.environment = props.environment;
    this.env = props.env ? { ...props.env } : undefined;
    this.defaults = props.defaults;
    this.timeout = props.timeout;
    this.cancelTimeout = props.cancelTimeout;
    this.continueOnError = props.continueOnError;
    this.snapshot = props.snapshot;
    this.container = props.container;
    Object.assign(this._outputs, props.outputs ?? {});
    Object.assign(this._services, props.services ?? {});
    this._steps.push(...(props.steps ?? []));
  }

  /** Appends steps. */
  public addSteps(...steps: Step[]): void {
    this._steps.push(...steps);
  }

  /** The steps, in order. */
  public get steps(): Step[] {
    return [...this._steps];
  }

  /**
   * Declares an output and returns the expression other jobs use to read it
   * (which also makes them need this job).
   * @param name output name
   * @param value usually `Expression.stepOutput(stepId, name).toString()`
   */
  public addOutput(name: string, value: string): Expression {
    this._outputs[name] = value;
    return this.output(name);
  }

  /** Adds a service container. */
  public addService(id: string, service: ServiceContainer): void {
    this._services[id] = service;
  }

  /** The images of the job's container and services, by what they are. @internal */
  public _images(): Array<{ readonly what: string; readonly image: string }> {
    const out: Array<{ what: string; image: string }> = [];
    if (this.container) out.push({ what: 'its container', image: this.container.image });
    for (const [id, s] of Object.entries(this._services)) out.push({ what: `service "${id}"`, image: s.image });
    return out;
  }

  /** @internal */
  public _outputNames(): string[] | undefined {
    return Object.keys(this._outputs);
  }

  /** @internal */
  public _render(): RenderedJob {
    const problems: string[] = [...this._baseProblems()];
    if (this._steps.length === 0) problems.push('has no steps; add them with the "steps" prop or job.addSteps(...)');
    const allSteps = this._steps.some((st) => st.group) ? flatSteps(this._steps) : this._steps;
    problems.push(...stepIdProblems(allSteps));
    problems.push(...backgroundStepProblems(this._steps));
    for (const name of Object.keys(this._outputs)) {
      if (!OUTPUT_NAME.test(name)) problems.push(`output name "${name}" is invalid: start with a letter or "_", then use letters, digits, "-" or "_"`);
    }
    for (const id of Object.keys(this._services)) {
      if (!OUTPUT_NAME.test(id)) problems.push(`service id "${id}" is invalid: start with a letter or "_", then use letters, digits, "-" or "_" (it becomes the service's host name)`);
    }
    if (this.timeout !== undefined && this.timeout.toMinutes() === 0) problems.push('timeout must be at least one minute');
    if (this.cancelTimeout !== undefined && this.cancelTimeout.toMinutes() === 0) problems.push('cancelTimeout must be at least one minute');
    problems.push(...snapshotProblems(this.snapshot));
    if (this.container) problems.push(...this.container._problems('container', false));
    for (const [id, s] of Object.entries(this._services)) problems.push(...s._problems(`service "${id}"`, true));

    const runsOn = this.runsOn._toWire();

    const actionPermissions: Array<{ readonly [scope: string]: string }> = [];
    const steps = this._steps.map((step, i) => {
      const r = renderStep(step, { scope: this, composite: false }, problems, i);
      actionPermissions.push(r.permissions);
      return r.wire;
    });

    const services: { [id: string]: wf.Container } = {};
    // an image the lock pins (`npx slipway pin --images`) is rendered by digest
    const lock = ActionLock.of(this);
    for (const [id, s] of Object.entries(this._services)) services[id] = s._toWire(lock._imageRef(s.image));

    const wire: { [key: string]: unknown } = {
      'name': this.name,
      'needs': undefined,
      'if': this.condition !== undefined ? unwrapCondition(this.condition) : undefined,
      'runs-on': runsOn,
      'environment': environmentToWire(this.environment),
      'concurrency': concurrencyToWire(this.concurrency),
      'permissions': undefined,
      'outputs': Object.keys(this._outputs).length > 0 ? stringMap(this._outputs) : undefined,
      'env': this.env ? stringMap(this.env) : undefined,
      'defaults': defaultsToWire(this.defaults),
      'timeout-minutes': this.timeout?.toMinutes(),
      'cancel-timeout-minutes': this.cancelTimeout?.toMinutes(),
      'continue-on-error': this.continueOnError,
      'strategy': strategyToWire(this.strategy),
      'container': this.container?._toWire(lock._imageRef(this.container.image)),
      'services': Object.keys(services).length > 0 ? services : undefined,
      'steps': steps,
      'snapshot': snapshotToWire(this.snapshot),
    };
    problems.push(...outputReferenceProblems(allSteps, { steps, outputs: wire.outputs }, this));
    return {
      wire,
      problems,
      actionPermissions,
      matrixKeys: this._strategyMatrixKeys(),
      stepIds: [...new Set(allSteps.filter((s) => s.id).map((s) => s.id!))],
    };
  }
}

function snapshotProblems(s: JobSnapshot | undefined): string[] {
  if (!s) return [];
  const problems: string[] = [];
  if (s.imageName.trim() === '') problems.push('snapshot.imageName is empty; name the custom image to create, e.g. "ci-image"');
  if (s.version !== undefined && s.version.trim() === '') problems.push('snapshot.version is empty; give a major version such as "2.*", or leave it out');
  for (const [key, v] of [['imageName', s.imageName], ['version', s.version]] as const) {
    if (v !== undefined && v.includes('${{')) problems.push(`snapshot.${key} "${v}" holds an expression, which GitHub does not evaluate there; write the value itself`);
  }
  if (s.if !== undefined && s.if.trim() === '') problems.push('snapshot.if is empty; give a condition, or leave it out');
  return problems;
}

function snapshotToWire(s: JobSnapshot | undefined): wf.Snapshot | undefined {
  if (!s) return undefined;
  if (s.version === undefined && s.if === undefined) return s.imageName;
  return { 'image-name': s.imageName, 'version': s.version, 'if': s.if };
}
