import { Construct } from 'constructs';
import { Concurrency } from './concurrency';
import { Expression } from './expression';
import { Strategy } from './matrix';
import { Overrides } from './overrides';
import { JobPermissions } from './permissions';
import { concurrencyProblems, RenderedJob } from './wire';
import type { Workflow } from './workflow';
import { fail } from '../core/errors';

/** Job ids: a letter or `_`, then letters, digits, `-` or `_`. */
const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Properties every kind of job has. */
export interface JobBaseProps {
  /**
   * The name shown in the GitHub UI.
   * @default - the job id
   */
  readonly name?: string;

  /**
   * Ids of jobs of the same workflow that must succeed first. Jobs whose
   * outputs this job reads (`otherJob.output('x')`) are added automatically.
   * @default - none besides those whose outputs are read
   */
  readonly needs?: string[];

  /**
   * A condition; an Expression's text, with or without `${{ }}`.
   * @default - run when every needed job succeeded
   */
  readonly if?: string;

  /**
   * `GITHUB_TOKEN` scopes of this job. The scopes its actions declare are
   * added. Rendered only when they differ from the workflow's.
   * @default - the workflow's permissions plus what the job's actions declare
   */
  readonly permissions?: JobPermissions;

  /**
   * A concurrency group for this job.
   * @default - no limit
   */
  readonly concurrency?: Concurrency;

  /**
   * A matrix strategy.
   * @default - a single run
   */
  readonly strategy?: Strategy;
}

/**
 * What all jobs of a workflow share: id, needs, condition, permissions,
 * strategy, outputs as expressions and raw overrides.
 */
export abstract class JobBase extends Construct {
  /** The job id (the construct id), as used in `needs:`. */
  public readonly jobId: string;

  /** The workflow the job belongs to. */
  public readonly workflow: Workflow;

  /** The display name, if any. */
  public readonly name?: string;

  /** The condition, if any. */
  public readonly condition?: string;

  /** The typed permissions given, if any. */
  public readonly permissions?: JobPermissions;

  /** The concurrency group, if any. */
  public readonly concurrency?: Concurrency;

  /** The strategy, if any. */
  public readonly strategy?: Strategy;

  private readonly explicitNeeds: string[] = [];
  private readonly overrides = new Overrides();

  constructor(scope: Workflow, id: string, props: JobBaseProps) {
    if (!scope || typeof (scope as any)._registerJob !== 'function') {
      throw new Error(`job "${id}" must be created in a Workflow: new Job(workflow, "${id}", {...}) or workflow.addJob("${id}", {...})`);
    }
    if (!JOB_ID.test(id)) {
      fail(scope, `job id "${id}" is invalid: start with a letter or "_", then use letters, digits, "-" or "_" (e.g. "unit-tests")`);
    }
    if (scope.node.tryFindChild(id)) {
      fail(scope, `job id "${id}" is already used in workflow "${scope.fileName.replace(/\.ya?ml$/, '')}"; job ids must be unique within a workflow. Rename one of the jobs`);
    }
    super(scope, id);
    this.jobId = id;
    this.workflow = scope;
    this.name = props.name;
    this.condition = props.if;
    this.permissions = props.permissions;
    this.concurrency = props.concurrency;
    this.strategy = props.strategy;
    this.explicitNeeds.push(...(props.needs ?? []));
    scope._registerJob(this);
    this.node.addValidation({ validate: () => this.workflow._problemsOf(this) });
  }

  /**
   * Makes this job wait for other jobs of the same workflow.
   */
  public addNeeds(...jobs: JobBase[]): void {
    for (const j of jobs) {
      if (!this.explicitNeeds.includes(j.jobId)) this.explicitNeeds.push(j.jobId);
    }
  }

  /** The job ids given in `needs` or with `addNeeds`, in order. */
  public get needs(): string[] {
    return [...this.explicitNeeds];
  }

  /**
   * `needs.<this job>.outputs.<name>`. Using it in another job of the same
   * workflow (in `if`, env, `with`, a script) adds this job to that job's
   * `needs` automatically.
   */
  public output(name: string): Expression {
    return Expression.needs(this.jobId, name);
  }

  /**
   * `needs.<this job>.result`: `success`, `failure`, `cancelled` or `skipped`.
   * Adds this job to the reading job's `needs` like {@link output}.
   */
  public get result(): Expression {
    return Expression.raw(`needs.${this.jobId}.result`);
  }

  /**
   * Sets a value in the rendered job object (the escape hatch): a dot path
   * relative to the job, e.g. `addOverride('steps.0.with.fetch-depth', 0)`
   * or `addOverride('continue-on-error', '${{ matrix.experimental }}')`.
   * Applied after every check.
   */
  public addOverride(path: string, value: any): void {
    this.overrides.set(path, value);
  }

  /** Removes a key from the rendered job object, e.g. `addDeletionOverride('timeout-minutes')`. */
  public addDeletionOverride(path: string): void {
    this.overrides.delete(path);
  }

  /**
   * Renders the job (without its final `needs`).
   * @internal
   */
  public abstract _render(): RenderedJob;

  /** @internal */
  public _applyOverrides(job: { [key: string]: unknown }): { [key: string]: unknown } {
    return this.overrides.apply(job);
  }

  /** Output names this job declares, or undefined when unknown (a called workflow's). @internal */
  public abstract _outputNames(): string[] | undefined;

  /** @internal */
  protected _strategyMatrixKeys(): string[] | undefined | null {
    return this.strategy ? this.strategy.matrix._keys() : null;
  }

  /** Problems of the props every job has: strategy and concurrency. @internal */
  protected _baseProblems(): string[] {
    const problems = this.strategy ? this.strategy.matrix._problems() : [];
    problems.push(...concurrencyProblems(this.concurrency));
    const max = this.strategy?.maxParallel;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) problems.push(`strategy.maxParallel must be a whole number ≥ 1, got ${max}`);
    return problems;
  }
}

/** Environment a job deploys to. */
export interface JobEnvironment {
  /** The environment name; its protection rules (reviewers, wait timer) apply. */
  readonly name: string;

  /**
   * The URL shown on the deployment, e.g. a job output expression.
   * @default - none
   */
  readonly url?: string;

  /**
   * Whether GitHub creates a deployment record for the job. `false` keeps the
   * environment's protection rules and secrets without a deployment (for a
   * job that only reads the environment, such as a plan or a smoke test).
   * @default - not rendered: GitHub creates a deployment (true)
   */
  readonly deployment?: boolean;
}
