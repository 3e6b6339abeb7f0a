import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { addFault, calls, Call, Fault, newSim, prepareStubs, simEnv } from '../../support/deploy';
import { JobResult, runJob } from '../../support/runner';

/**
 * Runs synthesized deploy jobs the way a GitHub runner runs them (the runner
 * simulator), against the stub tools (the sim), with faults injected.
 *
 * Time is scaled the same way on both sides: one simulated minute lasts
 * {@link MINUTE_MS} real milliseconds, in `timeout-minutes`, in `sleep` and
 * `timeout` (stubbed), and in the stubs' own waits.
 */
export const MINUTE_MS = 600;
const TIME_SCALE = MINUTE_MS / 60000;

/** A synthesized definition checked out in a workspace. */
export class Checkout {
  public readonly dir: string;
  private readonly docs = new Map<string, any>();

  constructor(public readonly files: { [path: string]: string }) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-deploy-'));
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, p)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, p), content);
    }
  }

  /** A workflow, parsed. */
  public workflow(file: string): any {
    if (!this.docs.has(file)) this.docs.set(file, YAML.parse(this.files[`.github/workflows/${file}`]));
    return this.docs.get(file);
  }

  /** The step names of a job. */
  public stepNames(file: string, jobId: string): string[] {
    return this.workflow(file).jobs[jobId].steps.map((s: any) => s.name);
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A new sim whose clock runs at the scenarios' time scale. */
export function scenarioSim(namespaces: string[] = []): string {
  return newSim(undefined, { timescale: TIME_SCALE, namespaces });
}

/** Options of one run of a job. */
export interface RunOptions {
  readonly checkout: Checkout;
  readonly workflow: string;
  readonly jobId: string;
  readonly sim: string;
  /** Outputs of the jobs it needs (all succeeded). */
  readonly needsOutputs?: { [job: string]: { [name: string]: string } };
  /** Results of needed jobs other than success. */
  readonly needsResults?: { [job: string]: 'success' | 'failure' | 'cancelled' | 'skipped' };
  /** Cancel the run while the step at this index runs. */
  readonly cancelAt?: number;
  /** The commit deployed. */
  readonly sha?: string;
  /** The workflow run's attempt (a rerun is attempt 2 of the same run). */
  readonly runAttempt?: number;
  readonly runId?: string;
}

/** The job's result, and the stub calls made by each step (in order). */
export interface RunResult extends JobResult {
  /** Stub calls made during the run, with the index of the step that made them. */
  readonly stepCalls: Array<Call & { readonly step: number }>;
}

/** Runs one job of a checked-out workflow against the sim. */
export async function run(o: RunOptions): Promise<RunResult> {
  const wf = withoutDownloads(o.checkout.workflow(o.workflow));
  const job = wf.jobs[o.jobId];
  const needsList: string[] = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
  const needs: { [job: string]: { result: 'success' | 'failure' | 'cancelled' | 'skipped'; outputs: { [name: string]: string } } } = {};
  for (const n of needsList) needs[n] = { result: o.needsResults?.[n] ?? 'success', outputs: o.needsOutputs?.[n] ?? {} };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-home-'));
  const before = calls(o.sim).length;
  const env = simEnv(o.sim, { HOME: home });
  delete env.GITHUB_ACTIONS;
  const result = await runJob({
    workflow: wf,
    jobId: o.jobId,
    workspace: o.checkout.dir,
    path: [prepareStubs()],
    env,
    contexts: {
      github: {
        sha: o.sha ?? 'b'.repeat(40),
        ref: 'refs/heads/main',
        event_name: 'push',
        run_id: o.runId ?? '4200',
        run_attempt: String(o.runAttempt ?? 1),
        repository: 'acme/shop',
      },
      needs,
      secrets: new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? `fake-${k.toLowerCase()}` : undefined) }) as any,
      vars: {},
      inputs: {},
    },
    cancelAt: o.cancelAt === undefined ? undefined : { step: o.cancelAt, afterMs: MINUTE_MS / 4 },
    timeScale: TIME_SCALE,
  });
  fs.rmSync(home, { recursive: true, force: true });
  // attribute each call to its step through $GITHUB_ACTION, which the runner sets per step
  const actions = new Map<string, number>();
  (job.steps as any[]).forEach((st, index) => actions.set(actionId(st, index), index));
  const stepCalls = calls(o.sim).slice(before).map((c) => ({ ...c, step: actions.get(c.action ?? '') ?? -1 }));
  return { ...result, stepCalls };
}

/**
 * The workflow with tool downloads replaced by a no-op: the stubs are the
 * tools (the Argo Rollouts plugin is `kubectl argo`), and there is no network.
 * Only steps that install a tool are touched.
 */
function withoutDownloads(wf: any): any {
  const copy = JSON.parse(JSON.stringify(wf));
  for (const job of Object.values<any>(copy.jobs)) {
    for (const step of job.steps ?? []) {
      if (/^Install the Argo Rollouts kubectl plugin/.test(step.name ?? '')) step.run = 'echo "the stub kubectl has the Argo Rollouts plugin"';
    }
  }
  return copy;
}

/** GitHub's `$GITHUB_ACTION` of a step: its id, else `__run` / `__run_<n>` (1-based) for run steps. */
function actionId(step: any, index: number): string {
  if (step.id) return step.id;
  if (step.run !== undefined) return `__run${index === 0 ? '' : `_${index + 1}`}`;
  return `__${String(step.uses).split('@')[0].replace(/[^A-Za-z0-9]/g, '_')}`;
}

/**
 * A fault on the first stub call a step makes in a clean run: the same call
 * (same argv, same occurrence) fails the same way in the faulted run.
 */
export function faultAtCall(sim: string, clean: Call[], index: number, effect: Fault['effect']): Fault {
  const call = clean[index];
  const argv = call.argv.join(' ');
  const nth = clean.slice(0, index + 1).filter((c) => c.tool === call.tool && c.argv.join(' ') === argv).length;
  const fault: Fault = { tool: call.tool as Fault['tool'], match: argv, nth, effect };
  addFault(sim, fault);
  return fault;
}
