/**
 * A simulator of the GitHub Actions runner that executes one job of a workflow, step by step,
 * with real processes. Deploy jobs run in tests the way a runner runs them, against stub tools
 * on PATH, so rollback, cancel and timeout behaviour is proven rather than assumed.
 *
 * The semantics come from GitHub's documentation:
 * - "Workflow syntax for GitHub Actions"
 *   https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions
 *   (`env` layering, `defaults.run`, `shell` command lines, `if`, `continue-on-error`,
 *   `timeout-minutes`, job `outputs`);
 * - "Expressions"
 *   https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions
 *   (operators, loose equality, functions, status check functions, the implicit `success() &&`);
 * - "Contexts"
 *   https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/accessing-contextual-information-about-workflow-runs
 *   (`github`, `env`, `job`, `steps`, `runner`, `needs`, `inputs`, `secrets`, `vars`;
 *   `steps.<id>.outcome` before and `.conclusion` after `continue-on-error`);
 * - "Workflow commands for GitHub Actions"
 *   https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions
 *   (`$GITHUB_ENV`, `$GITHUB_OUTPUT`, `$GITHUB_PATH`, `$GITHUB_STEP_SUMMARY`, `::add-mask::`).
 *
 * Cancellation (a cancelled run, or a job that reaches its `timeout-minutes`) follows the
 * GitHub runner: the job's status becomes
 * `cancelled`; the running step's condition is evaluated again and, unless it still holds
 * (`always()`, `cancelled()`), the step is stopped: SIGINT, after 7.5 s (scaled) SIGTERM,
 * after 2.5 s more SIGKILL, each sent only while the step has not ended. Later steps run only
 * when their condition holds with `cancelled()` true and `success()` / `failure()` false. A
 * step that reaches its own `timeout-minutes` is stopped the same way and fails.
 *
 * Who receives the signals (`killMode`): the runner signals the shell's PID only, so a
 * foreground child of the script (a `helm upgrade --wait`) gets no signal, bash runs its
 * `trap` only after that child exits, and the child lives on, orphaned, while later steps run,
 * until the runner kills leftover processes at the end of the job. That is the default
 * (`'runner'`). `'group'` signals the step's whole process group instead (every child gets
 * SIGINT at once). In both modes every step runs in its own process group, and the group is
 * SIGKILLed at the end of the job, so no process outlives `runJob`.
 *
 * Anything the simulator does not model throws `UnsupportedError`.
 *
 * ```ts
 * const r = await runJob({
 *   workflow: YAML.parse(files['.github/workflows/deploy.yml']), jobId: 'deploy',
 *   workspace: dir, path: [stubBin], env: { SLIPWAY_SIM: sim },
 *   contexts: { needs: { build: { result: 'success', outputs: { image: 'x@sha256:…' } } } },
 *   cancelAt: { step: 'rollout', afterMs: 300 },
 * });
 * expect(r.result).toBe('cancelled');
 * expect(r.steps.find((s) => s.id === 'rollback')?.outcome).toBe('success');
 * ```
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  EvalContext,
  evaluateCondition,
  evaluateTemplate,
  ExpressionError,
  ExprValue,
  interpolate,
  StatusFunctions,
  toStr,
  truthy,
  UnsupportedError,
} from './expression';
import { Annotation, mask, parseKeyValueFile, parsePathFile, processCommands } from './files';

export { evaluate, evaluateCondition, interpolate, UnsupportedError, ExpressionError } from './expression';
export type { ExprValue } from './expression';
export type { Annotation } from './files';

/** A step of a parsed workflow (the YAML object as it is). */
export type WorkflowStep = Record<string, any>;

/** What a simulated `uses:` action receives. */
export interface ActionStepContext {
  /** The step's display name. */
  name: string;
  /** The `with:` inputs, expressions interpolated. */
  with: Record<string, string>;
  /** The step's environment (workflow < job < `$GITHUB_ENV` < step `env`), without the process env. */
  env: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  /** The expression contexts the step was evaluated with. */
  contexts: Record<string, ExprValue>;
}

/** What a simulated `uses:` action returns. */
export interface ActionResult {
  outcome: 'success' | 'failure';
  outputs?: Record<string, string>;
  /** Variables exported for later steps (like writing `$GITHUB_ENV`). */
  env?: Record<string, string>;
  /** Directories prepended to PATH for later steps (like writing `$GITHUB_PATH`). */
  path?: string[];
  log?: string;
}

/** A simulated action, looked up by `owner/repo` (or `owner/repo/path`, or a local `./path`), without `@ref`. */
export type ActionHandler = (step: WorkflowStep, ctx: ActionStepContext) => ActionResult | Promise<ActionResult>;

export interface NeedsResult {
  result: 'success' | 'failure' | 'cancelled' | 'skipped';
  outputs: Record<string, string>;
}

export interface RunJobOptions {
  /** The parsed workflow (parse files with the `yaml` package). */
  workflow: any;
  jobId: string;
  /** GITHUB_WORKSPACE and the default working directory of `run:` steps; the test prepares it. */
  workspace: string;
  /** Directories put in front of the machine's PATH (stub tools). */
  path?: string[];
  /** Extra machine environment (lowest precedence), e.g. `SLIPWAY_SIM`. */
  env?: Record<string, string>;
  contexts?: {
    github?: Record<string, any>;
    needs?: Record<string, NeedsResult>;
    inputs?: Record<string, any>;
    secrets?: Record<string, string>;
    vars?: Record<string, any>;
    matrix?: Record<string, any>;
    /** For the job's own `if:`: whether the workflow run was already cancelled. */
    runCancelled?: boolean;
  };
  /**
   * Simulated actions by `owner/repo` (without `@ref`). They add to, and may replace, the
   * built-in no-ops for `actions/checkout`, `azure/setup-helm`, `google-github-actions/auth`
   * and `google-github-actions/setup-gcloud`. A `uses:` with no handler throws.
   */
  actions?: Record<string, ActionHandler>;
  /**
   * Cancels the run when the step (matched by `id` or display name) is reached. Without
   * `afterMs` the run is cancelled before that step starts, so the step itself runs only if its
   * condition holds under cancellation; with `afterMs` the step starts and the run is cancelled
   * that many milliseconds later (whatever step is running then is interrupted).
   */
  cancelAt?: { step: string | number; afterMs?: number };
  /** Real milliseconds per simulated millisecond: `timeout-minutes: 1` lasts `60000 * timeScale` ms. Default: 1 minute = 200 ms. */
  timeScale?: number;
  /** Time between SIGINT and SIGTERM when a step is cancelled or times out. Default: 7.5 s scaled. */
  cancelGraceMs?: number;
  /** Time between SIGTERM and SIGKILL. Default: 2.5 s scaled. */
  killGraceMs?: number;
  /**
   * Who gets SIGINT/SIGTERM/SIGKILL when a step is stopped: `'runner'` (default) the shell's
   * PID only, as the GitHub runner does; `'group'` the step's whole process group.
   */
  killMode?: 'runner' | 'group';
  /** Keep the runner's temp directory (RUNNER_TEMP and the command files) after the job. */
  keepTemp?: boolean;
}

export type StepOutcome = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepResult {
  id?: string;
  name: string;
  /** The result before `continue-on-error`. */
  outcome: StepOutcome;
  /** The result after `continue-on-error`. */
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  /** Combined stdout and stderr, plus the simulator's `##[error]` lines; masked values are `***`. */
  log: string;
  /** Exit code of a `run:` step's shell, when it exited on its own. */
  exitCode?: number;
  /** Set when the step's own `timeout-minutes` ended it. */
  timedOut?: boolean;
  durationMs: number;
}

export interface JobResult {
  result: 'success' | 'failure' | 'cancelled' | 'skipped';
  skipped: boolean;
  /** Why the job was cancelled, if it was. */
  cancelReason?: 'cancelAt' | 'timeout';
  steps: StepResult[];
  /** The job's `outputs:`, evaluated at the end. */
  outputs: Record<string, string>;
  /** Every step's header and log, in order. */
  log: string;
  /** Everything the steps wrote to `$GITHUB_STEP_SUMMARY`. */
  summary: string;
  annotations: Annotation[];
}

/** The default `timeScale`: one simulated minute lasts 200 ms. */
export const DEFAULT_TIME_SCALE = 200 / 60000;

const NOOP: ActionHandler = () => ({ outcome: 'success' });
const DEFAULT_ACTIONS: Record<string, ActionHandler> = {
  'actions/checkout': NOOP,
  'azure/setup-helm': NOOP,
  'google-github-actions/auth': NOOP,
  'google-github-actions/setup-gcloud': NOOP,
};

type JobStatus = 'success' | 'failure' | 'cancelled';

/** Runs one job of a workflow. Rejects only for a job the simulator cannot run (`UnsupportedError`, a bad option). */
export async function runJob(o: RunJobOptions): Promise<JobResult> {
  const job = o.workflow?.jobs?.[o.jobId];
  if (!job) throw new Error(`runner simulator: job '${o.jobId}' not found in the workflow`);
  for (const key of ['uses', 'container', 'services']) {
    if (job[key] !== undefined) throw new UnsupportedError(`job-level '${key}:' (job ${o.jobId})`);
  }
  if (job.strategy?.matrix !== undefined && o.contexts?.matrix === undefined) {
    throw new UnsupportedError(`a matrix job: pass contexts.matrix for the one combination to run (job ${o.jobId})`);
  }

  const timeScale = o.timeScale ?? DEFAULT_TIME_SCALE;
  const cancelGraceMs = o.cancelGraceMs ?? 7500 * timeScale;
  const killGraceMs = o.killGraceMs ?? 2500 * timeScale;
  const killMode = o.killMode ?? 'runner';
  // After the shell exits, the runner reads its output for up to 5 s more (a background
  // process may hold the pipes), then stops waiting.
  const pipeWaitMs = Math.max(100, 5000 * timeScale);
  const workspace = path.resolve(o.workspace);

  const github = githubContext(o, workspace);
  const needsList: string[] = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
  const needs: Record<string, NeedsResult> = {};
  for (const n of needsList) {
    const r = o.contexts?.needs?.[n];
    if (!r) throw new Error(`runner simulator: job '${o.jobId}' needs '${n}': pass contexts.needs.${n}`);
    needs[n] = r;
  }
  const base: Record<string, ExprValue> = {
    github,
    needs: needs as unknown as ExprValue,
    inputs: (o.contexts?.inputs ?? {}) as ExprValue,
    vars: (o.contexts?.vars ?? {}) as ExprValue,
    secrets: (o.contexts?.secrets ?? {}) as ExprValue,
    matrix: (o.contexts?.matrix ?? {}) as ExprValue,
    strategy: { 'fail-fast': true, 'job-index': 0, 'job-total': 1, 'max-parallel': 1 },
  };

  // The job's own condition: status functions look at the jobs it needs.
  const runCancelled = o.contexts?.runCancelled ?? false;
  const needResults = Object.values(needs).map((n) => n.result);
  const jobStatusFns: StatusFunctions = {
    success: () => !runCancelled && needResults.every((r) => r === 'success'),
    failure: () => !runCancelled && needResults.some((r) => r === 'failure'),
    cancelled: () => runCancelled,
    always: () => true,
  };
  const jobIfCtx: EvalContext = { contexts: { github, needs: base.needs, inputs: base.inputs, vars: base.vars }, status: jobStatusFns };
  if (!evaluateCondition(job.if, jobIfCtx)) {
    return { result: 'skipped', skipped: true, steps: [], outputs: {}, log: `Job ${o.jobId} skipped: if: ${job.if}\n`, summary: '', annotations: [] };
  }

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-runner-'));
  const runnerTemp = path.join(root, 'temp');
  const commandDir = path.join(root, 'file_commands');
  fs.mkdirSync(runnerTemp);
  fs.mkdirSync(commandDir);
  const eventPath = path.join(root, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(github.event ?? {}));
  const runner = { os: 'Linux', arch: 'X64', name: 'slipway-simulator', temp: runnerTemp, tool_cache: path.join(root, 'tool_cache'), debug: '' };

  // Environment layering: workflow env < job env < $GITHUB_ENV < step env.
  const workflowEnv = evalEnv(o.workflow.env, { contexts: { ...base } });
  const jobEnv = evalEnv(job.env, { contexts: { ...base, env: workflowEnv } }, workflowEnv);
  const exported: Record<string, string> = {};
  const prependPath: string[] = []; // most recent first
  const masks = new Set(Object.values(o.contexts?.secrets ?? {}).filter((s) => s.trim() !== ''));
  const annotations: Annotation[] = [];
  const defaults = { ...(o.workflow.defaults?.run ?? {}), ...(job.defaults?.run ?? {}) } as { 'shell'?: string; 'working-directory'?: string };

  const steps: StepResult[] = [];
  const stepsContext: Record<string, ExprValue> = {};
  let status: JobStatus = 'success';
  let cancelReason: JobResult['cancelReason'];
  let interrupt: (() => void) | undefined; // interrupts the running step
  const timers: NodeJS.Timeout[] = [];
  const groups: number[] = [];
  let jobLog = '';
  let summary = '';

  const cancelRun = (reason: 'cancelAt' | 'timeout', note: string): void => {
    if (status === 'cancelled') return;
    status = 'cancelled';
    cancelReason = reason;
    jobLog += `##[error]${note}\n`;
    interrupt?.();
  };
  const stepStatus: StatusFunctions = {
    success: () => status === 'success',
    failure: () => status === 'failure',
    cancelled: () => status === 'cancelled',
    always: () => true,
  };

  const jobTimeoutMinutes = toMinutes(job['timeout-minutes'], { contexts: { ...base } }, 360);
  timers.push(setTimeout(() => cancelRun('timeout', `The job running on runner ${runner.name} has exceeded the maximum execution time of ${jobTimeoutMinutes} minutes.`),
    jobTimeoutMinutes * 60000 * timeScale));

  let cancelAtDone = false;
  try {
    for (let index = 0; index < (job.steps ?? []).length; index++) {
      const step: WorkflowStep = job.steps[index];
      const started = Date.now();
      const jobEnvNow = { ...jobEnv, ...exported };
      const contexts: Record<string, ExprValue> = {
        ...base,
        env: jobEnvNow,
        steps: stepsContext,
        job: { status },
        runner,
      };
      const name = displayName(step, { contexts });
      const id: string | undefined = step.id;
      const actionId = id ?? (step.run !== undefined ? `__run${index === 0 ? '' : `_${index + 1}`}` : `__${String(step.uses).split('@')[0].replace(/[^A-Za-z0-9]/g, '_')}`);

      if (!cancelAtDone && o.cancelAt && (o.cancelAt.step === id || o.cancelAt.step === name || o.cancelAt.step === index)) {
        cancelAtDone = true;
        const fire = (): void => cancelRun('cancelAt', 'The operation was canceled.');
        if (o.cancelAt.afterMs === undefined) fire();
        else timers.push(setTimeout(fire, o.cancelAt.afterMs));
      }

      const record = (r: Omit<StepResult, 'durationMs' | 'name' | 'id'>): void => {
        const result: StepResult = { id, name, ...r, log: mask(r.log, masks), durationMs: Date.now() - started };
        steps.push(result);
        if (id !== undefined) stepsContext[id] = { outputs: r.outputs, outcome: r.outcome, conclusion: r.conclusion };
        if (r.conclusion === 'failure' && status === 'success') status = 'failure';
        jobLog += `##[group]${name}\n${result.log}${result.log === '' || result.log.endsWith('\n') ? '' : '\n'}##[endgroup] ${name}: ${r.outcome}` +
          `${r.conclusion !== r.outcome ? ` (conclusion ${r.conclusion})` : ''}\n`;
      };

      // Condition: `success()` unless it says otherwise; evaluated with the job status now.
      const condition = (): boolean => evaluateCondition(step.if, { contexts: { ...contexts, job: { status } }, status: stepStatus });
      /** On cancellation while the step runs, the runner stops it unless its condition still holds. */
      const onCancel = (stop: () => void): (() => void) => () => {
        let keep = false;
        try {
          keep = condition();
        } catch {
          keep = false; // the runner cancels the step when the condition cannot be evaluated again
        }
        if (!keep) stop();
      };
      let run: boolean;
      try {
        run = condition();
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        record({ outcome: 'failure', conclusion: 'failure', outputs: {}, log: `##[error]The step's condition is invalid: ${e.message}\n` });
        continue;
      }
      if (!run) {
        record({ outcome: 'skipped', conclusion: 'skipped', outputs: {}, log: '' });
        continue;
      }

      let stepEnv: Record<string, string>;
      let continueOnError = false;
      let timeoutMs: number | undefined;
      let stepCtx: EvalContext;
      try {
        stepEnv = evalEnv(step.env, { contexts }, jobEnvNow);
        stepCtx = { contexts: { ...contexts, env: stepEnv } };
        continueOnError = step['continue-on-error'] === undefined ? false : truthy(evaluateTemplate(String(step['continue-on-error']), stepCtx));
        if (step['timeout-minutes'] !== undefined) timeoutMs = toMinutes(step['timeout-minutes'], stepCtx, 0) * 60000 * timeScale;
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        record({ outcome: 'failure', conclusion: 'failure', outputs: {}, log: `##[error]${e.message}\n` });
        continue;
      }

      // Fresh command files for each step.
      const files = {
        GITHUB_ENV: path.join(commandDir, `set_env_${randomUUID()}`),
        GITHUB_OUTPUT: path.join(commandDir, `set_output_${randomUUID()}`),
        GITHUB_PATH: path.join(commandDir, `add_path_${randomUUID()}`),
        GITHUB_STEP_SUMMARY: path.join(commandDir, `step_summary_${randomUUID()}`),
      };
      for (const f of Object.values(files)) fs.writeFileSync(f, '');

      let outcome: 'success' | 'failure' | 'cancelled';
      let log = '';
      let outputs: Record<string, string> = {};
      let exitCode: number | undefined;
      let timedOut = false;

      if (step.run !== undefined) {
        let script: string;
        let cwd: string;
        try {
          script = interpolate(String(step.run), stepCtx);
          cwd = path.resolve(workspace, interpolate(String(step['working-directory'] ?? defaults['working-directory'] ?? '.'), stepCtx));
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          record({ outcome: 'failure', conclusion: continueOnError ? 'success' : 'failure', outputs: {}, log: `##[error]${e.message}\n` });
          continue;
        }
        const { argv, ext } = shellCommand(step.shell ?? defaults.shell);
        const scriptFile = path.join(runnerTemp, `${randomUUID()}${ext}`);
        fs.writeFileSync(scriptFile, script);
        const command = argv.map((a) => a.split('{0}').join(scriptFile));

        const hostPath = [...(o.path ?? []).map((p) => path.resolve(p)), process.env.PATH ?? ''].filter((p) => p !== '').join(path.delimiter);
        const env: Record<string, string> = {
          ...machineEnv(),
          CI: 'true',
          ...(o.env ?? {}),
          ...stepEnv,
          ...githubEnv(github, workspace, runnerTemp, eventPath, actionId),
          ...files,
        };
        env.PATH = [...prependPath, stepEnv.PATH ?? hostPath].join(path.delimiter);

        const proc = await runProcess(command, cwd, env, {
          timeoutMs,
          cancelGraceMs,
          killGraceMs,
          pipeWaitMs,
          killMode,
          onStart: (child, stop) => {
            if (child.pid !== undefined) groups.push(child.pid);
            // A step that runs after the cancellation is not interrupted by it again.
            interrupt = onCancel(() => stop('cancel'));
          },
        });
        interrupt = undefined;
        log = proc.output;
        exitCode = proc.exitCode ?? undefined;
        if (proc.error) {
          log += `##[error]${proc.error}\n`;
          outcome = 'failure';
        } else if (proc.stoppedBy === 'cancel') {
          log += '##[error]The operation was canceled.\n';
          outcome = 'cancelled';
        } else if (proc.stoppedBy === 'timeout') {
          log += `##[error]The action '${name}' has timed out after ${step['timeout-minutes']} minutes.\n`;
          outcome = 'failure';
          timedOut = true;
        } else if (proc.exitCode !== 0) {
          log += `##[error]Process completed with exit code ${proc.exitCode ?? `null (signal ${proc.signal})`}.\n`;
          outcome = 'failure';
        } else {
          outcome = 'success';
        }
      } else if (step.uses !== undefined) {
        const uses = String(step.uses);
        const key = uses.startsWith('./') || uses.startsWith('docker://') ? uses : uses.split('@')[0];
        const repoKey = key.split('/').slice(0, 2).join('/');
        const handlers = { ...DEFAULT_ACTIONS, ...(o.actions ?? {}) };
        const handler = handlers[key] ?? handlers[repoKey];
        if (!handler) throw new UnsupportedError(`no simulated action for 'uses: ${uses}' (pass it in options.actions['${repoKey}'])`);
        let inputs: Record<string, string>;
        try {
          inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(stringValue(v), stepCtx)]));
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          record({ outcome: 'failure', conclusion: continueOnError ? 'success' : 'failure', outputs: {}, log: `##[error]${e.message}\n` });
          continue;
        }
        const r = await runAction(handler, step, {
          name, with: inputs, env: stepEnv, workspace, runnerTemp, contexts: stepCtx.contexts,
        }, timeoutMs, (stop) => { interrupt = onCancel(stop); });
        interrupt = undefined;
        log = r.log ?? '';
        if (r.stoppedBy === 'cancel') {
          outcome = 'cancelled';
          log += '##[error]The operation was canceled.\n';
        } else if (r.stoppedBy === 'timeout') {
          outcome = 'failure';
          timedOut = true;
          log += `##[error]The action '${name}' has timed out after ${step['timeout-minutes']} minutes.\n`;
        } else {
          outcome = r.outcome;
          outputs = { ...(r.outputs ?? {}) };
          if (r.env) fs.appendFileSync(files.GITHUB_ENV, Object.entries(r.env).map(([k, v]) => `${k}<<__EOF__\n${v}\n__EOF__\n`).join(''));
          if (r.path) fs.appendFileSync(files.GITHUB_PATH, r.path.map((p) => `${p}\n`).join(''));
        }
      } else {
        throw new UnsupportedError(`step ${index + 1} of job ${o.jobId} has neither run: nor uses:`);
      }

      // Workflow commands in the output, then the command files (processed whatever the outcome).
      log = processCommands(log, name, masks, annotations);
      try {
        for (const [k, v] of parseKeyValueFile(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT')) outputs[k] = v;
        for (const [k, v] of parseKeyValueFile(fs.readFileSync(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV')) {
          if (k.toUpperCase() === 'NODE_OPTIONS') throw new Error('Can\'t store NODE_OPTIONS output parameter using \'$GITHUB_ENV\' command.');
          exported[k] = v;
        }
        for (const p of parsePathFile(fs.readFileSync(files.GITHUB_PATH, 'utf8'))) {
          const i = prependPath.indexOf(p);
          if (i >= 0) prependPath.splice(i, 1);
          prependPath.unshift(p);
        }
        summary += fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
      } catch (e) {
        log += `##[error]${(e as Error).message}\n`;
        if (outcome === 'success') outcome = 'failure';
      }

      const conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
      record({ outcome, conclusion, outputs, log, exitCode, timedOut: timedOut || undefined });
    }
  } finally {
    for (const t of timers) clearTimeout(t);
    // Like the runner's cleanup of orphan processes at the end of a job.
    for (const g of groups) signalGroup(g, 'SIGKILL');
    if (!o.keepTemp) fs.rmSync(root, { recursive: true, force: true });
  }

  const result: JobStatus = status;
  let outputs: Record<string, string> = {};
  if (job.outputs) {
    const ctx: EvalContext = { contexts: { ...base, env: { ...jobEnv, ...exported }, steps: stepsContext, job: { status }, runner } };
    outputs = Object.fromEntries(Object.entries(job.outputs).map(([k, v]) => [k, interpolate(stringValue(v), ctx)]));
  }
  return { result, skipped: false, cancelReason, steps, outputs, log: mask(jobLog, masks), summary, annotations };
}

// ---------------------------------------------------------------------------------------------

function githubContext(o: RunJobOptions, workspace: string): Record<string, any> {
  const given = o.contexts?.github ?? {};
  const ref: string = given.ref ?? 'refs/heads/main';
  return {
    run_id: '1000',
    run_number: '1',
    run_attempt: '1',
    sha: 'a'.repeat(40),
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    event_name: 'push',
    event: {},
    repository: 'slipway-dev/app',
    repository_owner: 'slipway-dev',
    actor: 'slipway-bot',
    triggering_actor: 'slipway-bot',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    graphql_url: 'https://api.github.com/graphql',
    workflow: o.workflow?.name ?? 'workflow',
    token: '',
    retention_days: '90',
    ...given,
    workspace,
    job: o.jobId,
  };
}

/** The GITHUB_* and RUNNER_* variables; they win over env the workflow sets. */
function githubEnv(g: Record<string, any>, workspace: string, runnerTemp: string, eventPath: string, action: string): Record<string, string> {
  const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: s(g.run_id),
    GITHUB_RUN_NUMBER: s(g.run_number),
    GITHUB_RUN_ATTEMPT: s(g.run_attempt),
    GITHUB_SHA: s(g.sha),
    GITHUB_REF: s(g.ref),
    GITHUB_REF_NAME: s(g.ref_name),
    GITHUB_REF_TYPE: s(g.ref_type),
    GITHUB_EVENT_NAME: s(g.event_name),
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: s(g.repository),
    GITHUB_REPOSITORY_OWNER: s(g.repository_owner),
    GITHUB_ACTOR: s(g.actor),
    GITHUB_WORKFLOW: s(g.workflow),
    GITHUB_JOB: s(g.job),
    GITHUB_ACTION: action,
    GITHUB_SERVER_URL: s(g.server_url),
    GITHUB_API_URL: s(g.api_url),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'slipway-simulator',
    RUNNER_TEMP: runnerTemp,
  };
}

/** The machine environment, without anything a runner around the tests may have set. */
function machineEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)/.test(k) || k === 'CI') continue;
    out[k] = v;
  }
  return out;
}

function stringValue(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Evaluates an `env:` map in order; each value sees `inherited` as the `env` context. */
function evalEnv(env: Record<string, unknown> | undefined, ctx: EvalContext, inherited: Record<string, string> = {}): Record<string, string> {
  const out = { ...inherited };
  for (const [k, v] of Object.entries(env ?? {})) {
    out[k] = interpolate(stringValue(v), { ...ctx, contexts: { ...ctx.contexts, env: inherited } });
  }
  return out;
}

function toMinutes(value: unknown, ctx: EvalContext, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const v = typeof value === 'number' ? value : Number(toStr(evaluateTemplate(String(value), ctx)));
  if (!Number.isFinite(v) || v <= 0) throw new ExpressionError(`timeout-minutes must be a positive number, got '${String(value)}'`, String(value));
  return v;
}

function displayName(step: WorkflowStep, ctx: EvalContext): string {
  if (step.name !== undefined) {
    try {
      return interpolate(String(step.name), ctx);
    } catch {
      return String(step.name);
    }
  }
  if (step.run !== undefined) return `Run ${String(step.run).trim().split('\n')[0]}`;
  return `Run ${String(step.uses)}`;
}

/** The command line of a `shell:` value, `{0}` standing for the script file. */
function shellCommand(shell: string | undefined): { argv: string[]; ext: string } {
  switch (shell) {
    case undefined: return { argv: ['bash', '-e', '{0}'], ext: '.sh' };
    case 'bash': return { argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'], ext: '.sh' };
    case 'sh': return { argv: ['sh', '-e', '{0}'], ext: '.sh' };
    case 'python': return { argv: ['python3', '{0}'], ext: '.py' };
    default:
      if (shell.includes('{0}')) return { argv: shell.trim().split(/\s+/), ext: '' };
      throw new UnsupportedError(`shell: ${shell}`);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

interface ProcessResult {
  output: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stoppedBy?: 'cancel' | 'timeout';
  error?: string;
}

function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command in its own process group. `stop` (on cancel or timeout) sends SIGINT, then
 * SIGTERM after `cancelGraceMs`, then SIGKILL after another `killGraceMs`, each only while the
 * step has not ended; to the shell (`killMode: 'runner'`) or to its process group (`'group'`).
 * The step ends when the shell exited and its output pipes closed, or `pipeWaitMs` after the
 * shell exited (background processes may keep the pipes open).
 */
function runProcess(argv: string[], cwd: string, env: Record<string, string>, opts: {
  timeoutMs?: number;
  cancelGraceMs: number;
  killGraceMs: number;
  pipeWaitMs: number;
  killMode: 'runner' | 'group';
  onStart: (child: ChildProcess, stop: (reason: 'cancel' | 'timeout') => void) => void;
}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    if (!fs.existsSync(cwd)) {
      resolve({ output: '', exitCode: null, signal: null, error: `An error occurred trying to start process '${argv[0]}' with working directory '${cwd}'. No such file or directory` });
      return;
    }
    const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stoppedBy: ProcessResult['stoppedBy'];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const pgid = child.pid;

    const finish = (r: Partial<ProcessResult>): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ output, exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stoppedBy, ...r });
    };
    const send = (signal: NodeJS.Signals): void => {
      if (done || pgid === undefined) return;
      if (opts.killMode === 'group') signalGroup(pgid, signal);
      else if (!exit) signalProcess(pgid, signal);
    };
    const stop = (reason: 'cancel' | 'timeout'): void => {
      if (stoppedBy || done || pgid === undefined) return;
      stoppedBy = reason;
      send('SIGINT');
      timers.push(setTimeout(() => {
        send('SIGTERM');
        timers.push(setTimeout(() => send('SIGKILL'), opts.killGraceMs));
      }, opts.cancelGraceMs));
    };

    child.stdout!.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    child.on('error', (e) => finish({ error: `An error occurred trying to start process '${argv[0]}': ${e.message}` }));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The pipes may stay open in a background process: do not wait for them for long,
      // unless the whole group is being stopped (then SIGTERM/SIGKILL end those processes).
      if (!stoppedBy || opts.killMode === 'runner') timers.push(setTimeout(() => finish({}), opts.pipeWaitMs));
    });
    child.on('close', (code, signal) => {
      exit = exit ?? { code, signal };
      finish({});
    });
    if (opts.timeoutMs !== undefined) timers.push(setTimeout(() => stop('timeout'), opts.timeoutMs));
    opts.onStart(child, stop);
  });
}

/** Runs a simulated action, interruptible by cancel and by the step's timeout. */
async function runAction(handler: ActionHandler, step: WorkflowStep, ctx: ActionStepContext, timeoutMs: number | undefined,
  setInterrupt: (stop: () => void) => void): Promise<ActionResult & { stoppedBy?: 'cancel' | 'timeout' }> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<{ stoppedBy: 'cancel' | 'timeout' }>((resolve) => {
    setInterrupt(() => resolve({ stoppedBy: 'cancel' }));
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve({ stoppedBy: 'timeout' }), timeoutMs);
  });
  try {
    const r = await Promise.race([Promise.resolve().then(() => handler(step, ctx)), stopped]);
    return 'stoppedBy' in r ? { outcome: 'failure', ...r } : r;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
