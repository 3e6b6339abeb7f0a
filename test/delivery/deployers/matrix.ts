import { Checkout, faultAtCall, RunResult } from './scenario';
import { Call, Fault } from '../../support/deploy';

/**
 * Where a fault falls in a deploy, which decides the state it must end in:
 * - `before-change`: nothing was changed yet; the environment is untouched and
 *   nothing is rolled back (`rollback: none`);
 * - `changing`: the rollout started; the environment is back at the recorded
 *   state (`rollback: succeeded`, `rolled_back: true`);
 * - `after-contract`: the contract migration started; nothing is rolled
 *   back, the job fails and says why (`rollback: refused`).
 */
export type Phase = 'before-change' | 'changing' | 'after-contract';

/** What the matrix needs of a target: a definition, its seeded state, runs and checks of the end state. */
export interface DeployTarget {
  readonly name: string;
  /** A new checkout of the definition (one per scenario; disposed after). */
  definition(): Checkout;
  /** A new sim with the state an earlier deploy left. */
  seed(checkout: Checkout): string;
  /** Runs the deploy job once. */
  deploy(checkout: Checkout, sim: string, o?: { cancelAt?: number; runAttempt?: number }): Promise<RunResult>;
  /** The phase a fault at `call` (made by step `stepName`) falls in. */
  phaseOf(stepName: string, call: Call, callsOfStep: Call[]): Phase;
  /** The phase a cancel while `stepName` runs falls in (`either`: the cancel may land before or after the contract starts). */
  phaseOfCancel(stepName: string): Phase | 'either';
  /** Throws unless the environment is exactly as seeded (nothing of it was touched by the run, or all of it restored). */
  expectRecorded(sim: string): void;
  /** Throws unless the new release serves all traffic and nothing of the rollout is left. */
  expectDeployed(sim: string): void;
}

/** A scenario of the matrix. */
export interface Scenario {
  readonly title: string;
  readonly kind: 'fault' | 'cancel';
  readonly step: number;
  readonly stepName: string;
  /** For faults: the index of the faulted call in the clean run. */
  readonly call?: number;
  readonly effect?: Fault['effect'];
  readonly phase: Phase | 'either';
}

/** The steps of a clean run that call a tool, with their calls. */
export function toolSteps(clean: RunResult): Array<{ step: number; name: string; calls: Array<Call & { index: number }> }> {
  const out = new Map<number, { step: number; name: string; calls: Array<Call & { index: number }> }>();
  clean.stepCalls.forEach((c, index) => {
    if (c.step < 0) return;
    const name = clean.steps[c.step].name;
    if (!out.has(c.step)) out.set(c.step, { step: c.step, name, calls: [] });
    out.get(c.step)!.calls.push({ ...c, index });
  });
  return [...out.values()].sort((a, b) => a.step - b.step);
}

/**
 * The scenarios of a target: a fault on the first and on the last tool call of
 * every step that calls a tool (the same call failing the same way), and a
 * cancel while each such step runs.
 */
export function scenarios(target: DeployTarget, clean: RunResult, effect: Fault['effect'] = 'fail'): Scenario[] {
  const out: Scenario[] = [];
  for (const s of toolSteps(clean)) {
    const picks = [...new Set([s.calls[0], s.calls[s.calls.length - 1]])];
    for (const c of picks) {
      out.push({
        title: `${effect} of \`${c.tool} ${c.argv.slice(0, 3).join(' ')}\` (call ${c.index + 1}) in step "${s.name}"`,
        kind: 'fault',
        step: s.step,
        stepName: s.name,
        call: c.index,
        effect,
        phase: target.phaseOf(s.name, c, s.calls),
      });
    }
  }
  // a cancel while each step that ran runs (bakes included), from the first step on
  clean.steps.forEach((st, step) => {
    if (st.outcome !== 'success' || /^Report the outcome$/.test(st.name)) return;
    out.push({ title: `cancel during step ${step} "${st.name}"`, kind: 'cancel', step, stepName: st.name, phase: target.phaseOfCancel(st.name) });
  });
  return out;
}

/**
 * Runs one scenario and checks the contract: the end state for its phase,
 * `rolled_back` and `rollback` outputs that say what happened, and a rerun
 * (the next attempt, no fault) that converges to the new release.
 */
export async function runScenario(target: DeployTarget, clean: RunResult, sc: Scenario): Promise<void> {
  const checkout = target.definition();
  try {
    const sim = target.seed(checkout);
    if (sc.kind === 'fault') faultAtCall(sim, clean.stepCalls, sc.call!, sc.effect!);
    const r = await target.deploy(checkout, sim, sc.kind === 'cancel' ? { cancelAt: sc.step } : {});
    const context = `${target.name}: ${sc.title}\n${r.steps.map((s) => `  ${s.outcome.padEnd(9)} ${s.name}`).join('\n')}\n--- log ---\n${r.log.slice(-4000)}`;
    try {
      if (sc.kind === 'fault' && r.result === 'success') {
        // the script tolerated the fault (a poll retried, a lookup that may fail): the deploy went through
        target.expectDeployed(sim);
        expectEqual(r.outputs, { rolled_back: 'false', rollback: 'none' }, 'outputs');
        return;
      }
      expectEqual(r.result, sc.kind === 'cancel' ? 'cancelled' : 'failure', 'job result');
      // a cancel lands while a step runs, or between two: it may land after the step it aimed at
      let aimed = sc.phase;
      if (sc.kind === 'cancel') {
        const landed = r.steps.findIndex((st, i) => i >= sc.step && (st.outcome === 'cancelled' || st.outcome === 'skipped'));
        // past the last step that rolls out (in the rollback or report steps): as the contract step's cancel
        const forward = landed >= 0 && clean.steps[landed].outcome === 'success' && !/^Report the outcome$/.test(clean.steps[landed].name);
        if (landed > sc.step) aimed = forward ? target.phaseOfCancel(r.steps[landed].name) : 'either';
      }
      const phase = aimed !== 'either' ? aimed : r.outputs.rollback === 'refused' ? 'after-contract' : 'changing';
      switch (phase) {
        case 'before-change':
          target.expectRecorded(sim);
          expectEqual(r.outputs, { rolled_back: 'false', rollback: 'none' }, 'outputs');
          break;
        case 'changing':
          target.expectRecorded(sim);
          expectEqual(r.outputs, { rolled_back: 'true', rollback: 'succeeded' }, 'outputs');
          break;
        case 'after-contract':
          target.expectDeployed(sim);
          expectEqual(r.outputs, { rolled_back: 'false', rollback: 'refused' }, 'outputs');
          if (!/contract migration has started/.test(r.log)) throw new Error('the job does not say why it did not roll back');
          break;
      }
      // the next attempt of the same run converges
      const rerun = await target.deploy(checkout, sim, { runAttempt: 2 });
      if (rerun.result !== 'success') {
        throw new Error(`the rerun did not converge: ${rerun.result}\n${rerun.steps.map((s) => `  ${s.outcome.padEnd(9)} ${s.name}`).join('\n')}\n${rerun.log.slice(-3000)}`);
      }
      target.expectDeployed(sim);
      expectEqual(rerun.outputs, { rolled_back: 'false', rollback: 'none' }, 'rerun outputs');
    } catch (e) {
      (e as Error).message = `${(e as Error).message}\n\n${context}`;
      throw e;
    }
  } finally {
    checkout.dispose();
  }
}

/** Throws when `actual` and `expected` differ (as JSON). */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

/**
 * Runs every scenario, `parallel` at a time (most of a run is waiting: bakes, the stubs'
 * simulated waits, process start-up; each scenario has its own sim and checkout), and
 * returns the failure messages. Prints the counts.
 */
export async function runAll(target: DeployTarget, clean: RunResult, all: Scenario[], parallel = 1): Promise<string[]> {
  process.stdout.write(`${target.name}: ${all.length} scenarios (${all.filter((sc) => sc.kind === 'fault').length} faults, `
    + `${all.filter((sc) => sc.kind === 'cancel').length} cancels), each with a rerun\n`);
  const failures: string[] = [];
  const queue: Scenario[] = [...all];
  const worker = async (): Promise<void> => {
    for (let sc = queue.shift(); sc; sc = queue.shift()) {
      try {
        await runScenario(target, clean, sc);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failures;
}
