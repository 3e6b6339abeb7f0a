import { Construct, IConstruct } from 'constructs';
import { lockPinsImage } from './actions/action-lock';
import { Concurrency, RunDefaults } from './concurrency';
import { expressionProblems } from './expression-check';
import { expressionsOf, matrixReferences, needsReferences, stepsReferences, visitStrings } from './expression-scan';
import { Job, JobProps } from './job';
import { JobBase } from './job-base';
import { findCycle, NeedsGraph, pathBetween } from './job-graph';
import { Overrides } from './overrides';
import { JobPermissions } from './permissions';
import { ReusableWorkflowJob, ReusableWorkflowJobProps } from './reusable-workflow-job';
import { secretLiteralProblems } from './secret-scan';
import type { Step } from './step';
import { stringMap } from './step-render';
import { walkWorkflow } from './taint';
import { Trigger } from './trigger';
import { mayRunOnWindows, secureStep } from './untrusted-input';
import {
  Compiled, concurrencyProblems, concurrencyToWire, defaultsToWire, mergePermissions, permissionProblems, permissionsToWire, ProblemMap,
  samePermissions, sortPermissions,
} from './wire';
import type * as wf from './workflows-model';
import { passMemo } from '../core/app';
import { closest, fail } from '../core/errors';
import { pinnedByReference, UnpinnedImage } from '../core/image-pinning';
import { register, registered, REGISTRY_KIND } from '../core/registry';
import type { SynthesisSession } from '../core/synthesis';

/**
 * Properties of a {@link Workflow}.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions
 */
export interface WorkflowProps {
  /**
   * The events that start the workflow (`on:`). More can be added with
   * `addTrigger`.
   * @default - none; add at least one before synth
   */
  readonly triggers?: Trigger[];

  /**
   * The name shown in the Actions tab.
   * @default - GitHub shows the file path
   */
  readonly name?: string;

  /**
   * What the workflow does, shown with it on GitHub (`description:`).
   * @default - none
   */
  readonly description?: string;

  /**
   * The name of each run; may use the `github` and `inputs` contexts.
   * @default - GitHub's default (the commit message or event)
   */
  readonly runName?: string;

  /**
   * Environment variables of every job. Keys are kept exactly as written.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * `GITHUB_TOKEN` scopes of every job. Always rendered. Jobs get the extra
   * scopes their actions declare.
   * @default { contents: PermissionLevel.READ }
   */
  readonly permissions?: JobPermissions;

  /**
   * A concurrency group for the whole workflow.
   * @default - no limit
   */
  readonly concurrency?: Concurrency;

  /**
   * Defaults of every `run:` step.
   * @default - bash on Linux and macOS, pwsh on Windows; the workspace directory
   */
  readonly defaults?: RunDefaults;

  /**
   * The file name under `.github/workflows/`.
   * @default - `<construct id>.yml`
   */
  readonly fileName?: string;
}

/** Workflows whose scripts are being secured: a call back into one of them (a call cycle) is not followed. */
const COMPILING = new Set<Workflow>();

/**
 * A GitHub Actions workflow, written to `.github/workflows/<fileName>`.
 *
 * At synth, slipway checks the job graph (unknown and cyclic `needs`),
 * expressions (`matrix.*` outside a matrix job, outputs read from jobs that
 * are not upstream, unknown step ids), triggers (cron) and action pinning;
 * it adds `needs` for job outputs that are read, moves untrusted event text
 * out of scripts into `env:`, and computes least-privilege permissions.
 *
 * @example
 * const ci = new Workflow(app, 'ci', { name: 'CI', triggers: [Trigger.push({ branches: ['main'] })] });
 * const test = ci.addJob('test', { steps: [Step.run('npm test')] });
 */
export class Workflow extends Construct {
  /** Whether `x` is a Workflow. */
  public static isWorkflow(x: any): x is Workflow {
    return x instanceof Workflow;
  }

  /** The display name, if any. */
  public readonly name?: string;
  /** The file name under `.github/workflows/`. */
  public readonly fileName: string;
  /** The run-step defaults, if any. */
  public readonly defaults?: RunDefaults;

  private readonly props: WorkflowProps;
  private readonly triggers: Trigger[] = [];
  private readonly jobList: JobBase[] = [];
  private readonly overrides = new Overrides();

  constructor(scope: Construct, id: string, props: WorkflowProps = {}) {
    super(scope, id);
    register(this, REGISTRY_KIND.workflow);
    this.props = props;
    this.name = props.name;
    this.defaults = props.defaults;
    this.fileName = props.fileName ?? `${id}.yml`;
    if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(this.fileName)) {
      fail(this, `fileName "${this.fileName}" must be a file name ending in .yml or .yaml, without directories (it is written under .github/workflows/)`);
    }
    this.triggers.push(...(props.triggers ?? []));
    this.node.addValidation({ validate: () => this._problemsOf(this) });
  }

  /** The path of the generated file, relative to the output directory. */
  public get filePath(): string {
    return `.github/workflows/${this.fileName}`;
  }

  /** How a job in this repository calls this workflow: `./.github/workflows/<fileName>`. */
  public get localReference(): string {
    return `./${this.filePath}`;
  }

  /** The jobs, in the order they were added. */
  public get jobs(): JobBase[] {
    return [...this.jobList];
  }

  /** Adds an event that starts the workflow. */
  public addTrigger(trigger: Trigger): void {
    this.triggers.push(trigger);
  }

  /** Adds a job that runs steps. Same as `new Job(this, id, props)`. */
  public addJob(id: string, props: JobProps = {}): Job {
    return new Job(this, id, props);
  }

  /** Adds a job that calls a reusable workflow. */
  public addReusableWorkflowJob(id: string, props: ReusableWorkflowJobProps): ReusableWorkflowJob {
    return new ReusableWorkflowJob(this, id, props);
  }

  /**
   * Sets a value in the rendered workflow (the escape hatch): a dot path,
   * e.g. `addOverride('on.push.branches', ['main'])`. A numeric segment
   * indexes an array; `\.` is a dot inside a key. Applied after every check.
   */
  public addOverride(path: string, value: any): void {
    this.overrides.set(path, value);
  }

  /** Removes a key from the rendered workflow, e.g. `addDeletionOverride('jobs.test.timeout-minutes')`. */
  public addDeletionOverride(path: string): void {
    this.overrides.delete(path);
  }

  /**
   * Warnings: repository actions that declare no permission scopes (the job
   * grants them only its own scopes; if they need more they fail at run
   * time, and a reviewer cannot see what they need), and inputs the action
   * deprecates (`deprecationMessage` in its recorded metadata).
   * @internal
   */
  public _warnings(): string[] {
    const out: string[] = [];
    for (const job of this.jobList) {
      if (!(job instanceof Job)) continue;
      // each step with how messages name it; the steps of a parallel group by their group
      const steps: Array<{ step: Step; where: string }> = [];
      job.steps.forEach((step, i) => {
        if (!step.group) steps.push({ step, where: step._describe(i) });
        else step.group.forEach((inner, j) => steps.push({ step: inner, where: `${step._describe(i)} (parallel step ${j + 1})` }));
      });
      const pushes = steps.find(({ step: st }) => st.script !== undefined && /\bgit\s+push\b/.test(st.script));
      const dropped = steps.find(({ step: st }) => st.action?.repository === 'actions/checkout' && st.action.inputs['persist-credentials'] === false
        && (st.with ?? {})['persist-credentials'] === undefined);
      if (pushes && dropped) {
        out.push(`job "${job.jobId}" ${pushes.where} runs "git push", but the job's checkout keeps no credentials (slipway's default); `
          + 'pass Actions.checkout({ persistCredentials: true }) if the push relies on them');
      }
      for (const { step, where } of steps) {
        const a = step.action;
        if (!a || a._permissionsDeclared) continue;
        out.push(`job "${job.jobId}" ${where} uses "${a}", which declares no permission scopes; the job's token has only the job's scopes. `
          + `Declare what it needs, e.g. Action.of('${a.repository}', '${a.version}', { permissions: { 'pull-requests': 'write' } }), or { permissions: {} } if it needs none`);
      }
      for (const { step, where } of steps) {
        const metadata = step.action?._metadataAt(job);
        if (!metadata) continue;
        for (const key of Object.keys({ ...step.action!.inputs, ...step.with })) {
          const message = metadata.inputs[key]?.deprecationMessage;
          if (message) out.push(`job "${job.jobId}" ${where} sets "${key}", which ${step.action} deprecates: ${message.trim().split('\n')[0]}`);
        }
      }
    }
    return out;
  }

  /**
   * The images of job containers, services and `docker://` steps that
   * neither their reference nor the lock file pins by digest.
   * @internal
   */
  public _unpinnedImages(): UnpinnedImage[] {
    const out: UnpinnedImage[] = [];
    const add = (what: string, image: string) => {
      if (!pinnedByReference(image) && !lockPinsImage(this, image)) out.push({ what, image });
    };
    for (const job of this.jobList) {
      if (!(job instanceof Job)) continue;
      for (const { what, image } of job._images()) add(`job "${job.jobId}" ${what}`, image);
      job.steps.forEach((step, i) => {
        for (const [j, inner] of (step.group ?? [step]).entries()) {
          const where = step.group ? `${step._describe(i)} (parallel step ${j + 1})` : step._describe(i);
          if (inner.action && inner.action.version.startsWith('docker://')) add(`job "${job.jobId}" ${where}`, inner.action.version);
        }
      });
    }
    return out;
  }

  /** @internal */
  public _registerJob(job: JobBase): void {
    this.jobList.push(job);
  }

  /** Problems found for one construct (this workflow or one of its jobs). @internal */
  public _problemsOf(scope: IConstruct): string[] {
    return this.compiled().problems.get(scope) ?? [];
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    const compiled = this.compiled();
    const problems = [...compiled.problems.values()].flat();
    if (problems.length > 0) fail(this, problems.join('; '));
    session.addYaml(this, this.filePath, compiled.doc);
  }

  /**
   * Renders the document and checks it. The graph is compiled here, in one
   * place, from the jobs as they are at synth.
   * @internal
   */
  public _compile(): Compiled {
    const problems: ProblemMap = new Map();
    const report = (scope: IConstruct, message: string) => problems.set(scope, [...(problems.get(scope) ?? []), message]);

    // --- workflow level
    const on = this.renderTriggers((m) => report(this, m));
    const permissions = this.props.permissions ? sortPermissions(permissionsToWire(this.props.permissions)) : { contents: 'read' } as wf.Permissions;
    for (const p of permissionProblems(permissions as { [scope: string]: string })) report(this, `permissions: ${p}`);
    for (const p of concurrencyProblems(this.props.concurrency)) report(this, p);
    if (this.props.description?.includes('${{')) {
      report(this, 'description holds an expression, which GitHub does not evaluate there (it rejects the file); write plain text');
    }
    const head = {
      'name': this.name,
      'description': this.props.description,
      'run-name': this.props.runName,
      'on': on,
      'permissions': permissions,
      'env': this.props.env ? stringMap(this.props.env) : undefined,
      'defaults': defaultsToWire(this.defaults),
      'concurrency': concurrencyToWire(this.props.concurrency),
    };
    visitStrings({ 'run-name': head['run-name'], 'env': head.env, 'concurrency': head.concurrency }, (s, path) => {
      for (const expr of expressionsOf(s, false)) {
        if (needsReferences(expr).length > 0) report(this, `${path.join('.')} reads "${expr}", but the needs context exists only inside jobs; move the value into the job that reads it`);
        if (matrixReferences(expr).length > 0) report(this, `${path.join('.')} reads "${expr}", but the matrix context exists only inside matrix jobs; move the value into the job`);
      }
    });
    if (this.jobList.length === 0) report(this, 'has no jobs; add one with workflow.addJob(id, {...}) or new Job(workflow, id, {...})');

    // --- jobs
    const ids = this.jobList.map((j) => j.jobId);
    const byId = new Map(this.jobList.map((j) => [j.jobId, j]));
    const rendered = new Map(this.jobList.map((j) => [j, j._render()]));
    const graph: NeedsGraph = new Map();
    const needsOf = new Map<JobBase, string[]>();

    for (const job of this.jobList) {
      const r = rendered.get(job)!;
      for (const p of r.problems) report(job, p);
      const explicit: string[] = [];
      for (const n of job.needs) {
        if (n === job.jobId) report(job, `needs itself ("${n}"); remove it from "needs"`);
        else if (!byId.has(n)) report(job, `needs "${n}", which is not a job of workflow "${this.node.id}"; jobs: ${ids.join(', ')}. Fix the id, or add the job to this workflow (needs cannot cross workflow files)`);
        else explicit.push(n);
      }
      graph.set(job.jobId, explicit);
      needsOf.set(job, [...explicit]);
    }

    const cycle = findCycle(graph);
    if (cycle) {
      report(this, `jobs form a cycle through "needs": ${cycle.join(' -> ')}; remove one of these dependencies`);
    }

    for (const job of this.jobList) {
      const r = rendered.get(job)!;
      const needs = needsOf.get(job)!;
      const refs = collectReferences(r.wire);

      for (const read of refs.needs) {
        const where = `reads "${read.expression}"`;
        // GitHub reads job ids, output names, matrix keys and step ids case-insensitively
        const ref = { ...read, job: ids.find((i) => i.toLowerCase() === read.job.toLowerCase()) ?? read.job };
        if (ref.job === job.jobId) {
          report(job, `${where}: a job cannot read its own outputs; inside the job use steps.<id>.outputs.<name>`);
          continue;
        }
        const producer = byId.get(ref.job);
        if (!producer) {
          report(job, `${where}, but "${ref.job}" is not a job of workflow "${this.node.id}"; jobs: ${ids.join(', ')}`);
          continue;
        }
        if (ref.property === 'outputs' && ref.output !== undefined) {
          const declared = producer._outputNames();
          if (declared && !declared.some((o) => o.toLowerCase() === ref.output!.toLowerCase())) {
            const near = closest(ref.output, declared);
            const declare = producer instanceof ReusableWorkflowJob
              ? `Declare it in the outputs of Trigger.workflowCall() of "${producer.uses}"`
              : 'Declare it with the "outputs" prop or job.addOutput()';
            report(job, `${where}, but job "${ref.job}" has no output "${ref.output}"; ${near ? `did you mean "${near}"? ` : ''}its outputs: ${declared.length ? declared.join(', ') : '(none)'}. ${declare}`);
          }
        }
        if (needs.includes(ref.job)) continue;
        if (!cycle) {
          const back = pathBetween(graph, ref.job, job.jobId);
          if (back) {
            report(job, `${where}, but job "${ref.job}" is not upstream of "${job.jobId}": it runs after it (${back.join(' -> ')}); a job can read only outputs of jobs that run before it. Reverse the dependency or move the step`);
            continue;
          }
        }
        needs.push(ref.job);
        graph.set(job.jobId, [...(graph.get(job.jobId) ?? []), ref.job]);
      }

      for (const key of refs.matrix) {
        if (r.matrixKeys === null) {
          report(job, `reads "matrix${key ? '.' + key : ''}", but the job has no strategy.matrix; add strategy: { matrix: Matrix.of({...}) } or remove the reference`);
        } else if (r.matrixKeys !== undefined && key !== '' && !r.matrixKeys.some((k) => k.toLowerCase() === key.toLowerCase())) {
          report(job, `reads "matrix.${key}", which is not a key of the job's matrix; keys: ${r.matrixKeys.join(', ')}`);
        }
      }

      if (r.stepIds) {
        for (const id of refs.steps) {
          if (!r.stepIds.some((s) => s.toLowerCase() === id.toLowerCase())) {
            report(job, `reads "steps.${id}", but no step of the job has id "${id}"; step ids: ${r.stepIds.length ? r.stepIds.join(', ') : '(none)'}. Give the step an id`);
          }
        }
      }
    }

    // --- render
    const jobs: { [id: string]: unknown } = {};
    for (const job of this.jobList) {
      const r = rendered.get(job)!;
      const wire = { ...r.wire };
      const needs = needsOf.get(job)!;
      wire.needs = needs.length === 0 ? undefined : needs.length === 1 ? needs[0] : needs;
      for (const ap of r.actionPermissions) for (const p of permissionProblems(ap)) report(job, `an action declares an invalid permission: ${p}`);
      const base = job.permissions ? permissionsToWire(job.permissions) : permissions;
      if (job.permissions) for (const p of permissionProblems(base as { [scope: string]: string })) report(job, `permissions: ${p}`);
      const effective = mergePermissions(base, ...r.actionPermissions);
      wire.permissions = samePermissions(effective, permissions) ? undefined : effective;
      jobs[job.jobId] = job._applyOverrides(wire);
    }

    const doc = this.overrides.apply({ ...head, jobs } as { [key: string]: unknown });
    secretLiteralProblems(doc, (id, message) => {
      if (id === undefined) report(this, message);
      else report(byId.get(id) ?? this, byId.has(id) ? message : `job "${id}": ${message}`);
    });
    COMPILING.add(this);
    try {
      this.secureScripts(doc, byId, report);
    } finally {
      COMPILING.delete(this);
    }
    this.checkExpressions(doc, byId, report);
    this.checkCalls(rendered, report);
    return { doc, problems };
  }

  /**
   * Expressions GitHub would reject, as written (overrides included): see
   * {@link expressionProblems}. A job's problems are reported on the job.
   */
  private checkExpressions(doc: { [key: string]: unknown }, byId: Map<string, JobBase>, report: (scope: IConstruct, message: string) => void): void {
    const inputs = this.triggers
      .filter((t) => t.eventName === 'workflow_dispatch' || t.eventName === 'workflow_call')
      .flatMap((t) => Object.keys(((t._config() as { inputs?: object } | undefined)?.inputs) ?? {}));
    const { jobs, on, ...head } = doc;
    void on;
    for (const p of expressionProblems(head, () => ({ inputs, steps: false }))) report(this, p);
    for (const [id, job] of Object.entries((jobs ?? {}) as { [id: string]: unknown })) {
      // GitHub allows the steps context in steps, job outputs and environment.url only
      const scope = (path: string[]) => ({ inputs, steps: path[0] === 'steps' || path[0] === 'outputs' || (path[0] === 'environment' && path[1] === 'url') });
      for (const p of expressionProblems(job, scope)) report(byId.get(id) ?? this, byId.has(id) ? p : `job "${id}": ${p}`);
    }
  }

  /**
   * The outputs its `Trigger.workflowCall()` declares, or undefined when it is not reusable.
   * @internal
   */
  public _workflowCallOutputs(): string[] | undefined {
    const call = this.triggers.find((t) => t.eventName === 'workflow_call');
    return call ? Object.keys((call._config() as { outputs?: { [name: string]: unknown } }).outputs ?? {}) : undefined;
  }

  /**
   * The reusable-workflow contract, when both sides are in the definition:
   * this workflow's `workflow_call` outputs read jobs it has, and each job
   * that calls a workflow of this repository passes the inputs and secrets
   * the callee declares (and no others).
   */
  private checkCalls(rendered: Map<JobBase, { wire: { [key: string]: unknown } }>, report: (scope: IConstruct, message: string) => void): void {
    const call = this.triggers.find((t) => t.eventName === 'workflow_call');
    if (call) {
      const outputs = ((call._config() as { outputs?: { [name: string]: { value?: string } } }).outputs) ?? {};
      const ids = this.jobList.map((j) => j.jobId);
      for (const [name, o] of Object.entries(outputs)) {
        const re = /\bjobs\.([A-Za-z_][A-Za-z0-9_-]*)/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(String(o.value ?? ''))) !== null) {
          if (!ids.includes(m[1])) report(this, `workflow_call output "${name}" reads "jobs.${m[1]}", which is not a job of this workflow; jobs: ${ids.join(', ')}`);
        }
      }
    }
    for (const [job, r] of rendered) {
      const uses = r.wire.uses;
      if (typeof uses !== 'string') continue;
      const callee = this.localWorkflow(uses);
      if (!callee) continue;
      const trigger = callee.triggers.find((t) => t.eventName === 'workflow_call');
      if (!trigger) {
        report(job, `calls "${uses}", which has no Trigger.workflowCall(); add one to workflow "${callee.node.path}" to make it reusable`);
        continue;
      }
      const config = trigger._config() as {
        inputs?: { [name: string]: { required?: boolean; default?: unknown } };
        secrets?: { [name: string]: { required?: boolean } };
      };
      const inputs = config.inputs ?? {};
      const given = Object.keys((r.wire.with as object | undefined) ?? {});
      for (const k of given) {
        if (!(k in inputs)) {
          const near = closest(k, Object.keys(inputs));
          report(job, `passes with.${k}, but "${uses}" declares no input "${k}"; ${near ? `did you mean "${near}"?` : `inputs: ${Object.keys(inputs).join(', ') || '(none)'}`}`);
        }
      }
      for (const [k, i] of Object.entries(inputs)) {
        if (i.required && i.default === undefined && !given.includes(k)) report(job, `does not pass the required input "${k}" of "${uses}"; add it to "with"`);
      }
      if (r.wire.secrets === 'inherit') continue;
      const secrets = config.secrets ?? {};
      const passed = Object.keys((r.wire.secrets as object | undefined) ?? {});
      for (const k of passed) {
        if (!(k in secrets)) {
          const near = closest(k, Object.keys(secrets));
          report(job, `passes secret "${k}", but "${uses}" declares no secret "${k}"; ${near ? `did you mean "${near}"?` : `secrets: ${Object.keys(secrets).join(', ') || '(none)'}`}`);
        }
      }
      for (const [k, sec] of Object.entries(secrets)) {
        if (sec.required && !passed.includes(k)) report(job, `does not pass the required secret "${k}" of "${uses}"; add it to "secrets" or set inheritSecrets: true`);
      }
    }
  }

  /**
   * The workflow of this App that `uses` (`./.github/workflows/<file>`)
   * calls, found in the registry of the App's workflows.
   */
  private localWorkflow(uses: string): Workflow | undefined {
    if (!uses.startsWith('./.github/workflows/')) return undefined;
    return registered<Workflow>(this.node.root, REGISTRY_KIND.workflow).find((w) => `./${w.filePath}` === uses);
  }

  /** The compiled workflow, shared by the validations of the workflow and its jobs and the renderer during synth. */
  private compiled(): Compiled {
    return passMemo(this, 'compiled', () => this._compile());
  }

  /**
   * Moves untrusted input out of every script of the document as it is
   * written, overrides included: `run:` and `actions/github-script` inputs.
   * In a reusable workflow, `inputs.*` are untrusted too: the caller chooses them.
   * A job that calls a workflow of this App reads that workflow's document
   * (compiled once per pass) for the outputs that carry untrusted text; a
   * workflow whose compilation is under way (a call cycle) is not read.
   */
  private secureScripts(doc: { [key: string]: unknown }, byId: Map<string, JobBase>, report: (scope: IConstruct, message: string) => void): void {
    const trust = { untrustedInputs: this.triggers.some((t) => t.eventName === 'workflow_call') };
    const workflowShell = shellOf(doc.defaults);
    const problems = new Map<string, string[]>();
    // env variables, step outputs and job outputs that carry untrusted text are untrusted too
    const resolveCall = (uses: string) => {
      const callee = this.localWorkflow(uses);
      return callee && !COMPILING.has(callee) ? callee.compiled().doc : undefined;
    };
    walkWorkflow(doc, trust, (id, job, { step, index, trust: stepTrust }) => {
      const site = { defaultShell: shellOf(job.defaults) ?? workflowShell, mayBeWindows: mayRunOnWindows(job['runs-on']), trust: stepTrust };
      const list = problems.get(id) ?? [];
      problems.set(id, list);
      secureStep(step, index, site, list);
    }, resolveCall);
    for (const [id, list] of problems) {
      for (const p of list) report(byId.get(id) ?? this, byId.has(id) ? p : `job "${id}": ${p}`);
    }
  }

  private renderTriggers(report: (m: string) => void): { [event: string]: unknown } {
    const on: { [event: string]: unknown } = {};
    if (this.triggers.length === 0) {
      report('has no triggers; pass "triggers", e.g. [Trigger.push({ branches: ["main"] })], or call addTrigger()');
    }
    for (const t of this.triggers) {
      for (const p of t._problems()) report(`trigger "${t.eventName}": ${p}`);
      const config = t._config();
      if (t.eventName === 'schedule') {
        on.schedule = [...((on.schedule as unknown[]) ?? []), ...(config as unknown[])];
      } else if (t.eventName in on) {
        report(`trigger "${t.eventName}" is given twice; merge the two into one trigger with the combined filters`);
      } else {
        on[t.eventName] = config;
      }
    }
    return on;
  }
}

interface References {
  readonly needs: Array<{ job: string; property?: string; output?: string; expression: string }>;
  readonly matrix: string[];
  readonly steps: string[];
}

/** Every context reference in a rendered job (excluding its `needs`). */
function shellOf(defaults: unknown): string | undefined {
  const shell = (defaults as { run?: { shell?: unknown } } | undefined)?.run?.shell;
  return typeof shell === 'string' ? shell : undefined;
}

function collectReferences(job: { [key: string]: unknown }): References {
  const refs: References = { needs: [], matrix: [], steps: [] };
  const seen = new Set<string>();
  visitStrings({ ...job, needs: undefined }, (s, path) => {
    const isCondition = path[path.length - 1] === 'if' && (path.length === 1 || (path[0] === 'steps' && path.length === 3));
    for (const expr of expressionsOf(s, isCondition)) {
      for (const n of needsReferences(expr)) {
        const key = `${n.job}.${n.property}.${n.output}`;
        if (seen.has(key)) continue;
        seen.add(key);
        refs.needs.push({ ...n, expression: `needs.${n.job}${n.property ? '.' + n.property : ''}${n.output ? '.' + n.output : ''}` });
      }
      for (const m of matrixReferences(expr)) if (!refs.matrix.includes(m)) refs.matrix.push(m);
      for (const st of stepsReferences(expr)) if (!refs.steps.includes(st)) refs.steps.push(st);
    }
  });
  return refs;
}
