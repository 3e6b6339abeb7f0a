import {
  customDefinition, customTarget, CustomKind, deployJob, expectDeployed, expectRecorded, GitCheckout, outline, seedWorld, state, URL, validateJob,
} from './custom-scenarios';
import { expectEqual, runScenario, Scenario, scenarios } from './matrix';
import { faultAtCall, RunResult } from './scenario';
import { addFault, setUrlHealth } from '../../support/deploy';

jest.setTimeout(900_000);

/*
 * The deploy job of a custom target (all at once, deploy-first) through the generic matrix: a fault on
 * every call of every step (the user's command `app-ctl`, the migrations, the smoke test's curl, git
 * `ls-remote`/`push` to origin) and a cancel during every step, each followed by a rerun that converges.
 * Then the validate job of deploy-first (gates passed, gates failed), the same way, against its own contract.
 */
describe.each<CustomKind>(['all-at-once', 'deploy-first'])('custom %s: a fault at every step, a cancel during every step, and a rerun after each', (kind) => {
  const target = customTarget(kind);
  let clean: RunResult;

  beforeAll(async () => {
    const checkout = target.definition();
    clean = await target.deploy(checkout, target.seed(checkout));
    checkout.dispose();
  });

  test('the clean run deploys the new release', () => {
    expect(clean.result).toBe('success');
  });

  test('every scenario ends in the state its phase requires, and its rerun converges', async () => {
    const all = scenarios(target, clean);
    expect(new Set(all.map((sc) => sc.phase))).toEqual(new Set(['before-change', 'changing', 'after-contract', 'either']));
    // every kind of failing thing is exercised: the user's command, the smoke test, git, the migrations
    expect(new Set(all.filter((sc) => sc.kind === 'fault').map((sc) => clean.stepCalls[sc.call!].tool))).toEqual(new Set(['git', 'app-ctl', 'curl', 'migrate']));
    process.stdout.write(`${target.name}: ${all.length} scenarios (${all.filter((sc) => sc.kind === 'fault').length} faults, ${all.filter((sc) => sc.kind === 'cancel').length} cancels), each with a rerun\n`);
    const failures: string[] = [];
    for (const sc of all) {
      try {
        await runScenario(target, clean, sc);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    expect(failures).toEqual([]);
  });

  // what a single failing call does not show: the thing stays down for the whole run
  test.each([
    ['the smoke test URL is down', (sim: string) => setUrlHealth(sim, URL, 'down')],
    ['the deploy command fails every time', (sim: string) => addFault(sim, { tool: 'app-ctl' as any, match: 'deploy', effect: 'fail' })],
  ])('%s: back to the recorded release, then a rerun converges', async (_title, inject) => {
    const checkout = target.definition() as GitCheckout;
    try {
      const sim = target.seed(checkout);
      inject(sim);
      const r = await deployJob(checkout, sim);
      expectEqual(r.result, 'failure', `job result\n${outline(r)}`);
      expectRecorded(sim);
      expectEqual(r.outputs, { rolled_back: 'true', rollback: 'succeeded' }, 'outputs');
      setUrlHealth(sim, URL, { status: 200 });
      clearFaults(sim);
      const rerun = await deployJob(checkout, sim, { runAttempt: 2 });
      expectEqual(rerun.result, 'success', `rerun\n${outline(rerun)}`);
      expectDeployed(sim);
    } finally {
      checkout.dispose();
    }
  });

  test('origin cannot be written after the deploy (every push fails): the rollback is not claimed as recorded, and a rerun converges', async () => {
    const checkout = target.definition() as GitCheckout;
    try {
      const sim = target.seed(checkout);
      addFault(sim, { tool: 'git' as any, match: 'push', effect: 'fail' });
      const r = await deployJob(checkout, sim);
      expectEqual(r.result, 'failure', `job result\n${outline(r)}`);
      // the tag never moved, the rollback command returned to it: what runs and the tag agree
      expectRecorded(sim);
      expectEqual(r.outputs.rolled_back, 'true', `rolled_back\n${outline(r)}`);
      clearFaults(sim);
      const rerun = await deployJob(checkout, sim, { runAttempt: 2 });
      expectEqual(rerun.result, 'success', `rerun\n${outline(rerun)}`);
      expectDeployed(sim);
    } finally {
      checkout.dispose();
    }
  });

  test('origin cannot be read when the job records the running release: the record step fails, nothing changes, and a rerun converges', async () => {
    const checkout = target.definition() as GitCheckout;
    try {
      const sim = target.seed(checkout);
      addFault(sim, { tool: 'git' as any, match: 'ls-remote', effect: 'fail' });
      const r = await deployJob(checkout, sim);
      expectEqual(r.result, 'failure', `job result\n${outline(r)}`);
      const record = r.steps.find((s) => /^Record the release running in/.test(s.name));
      expectEqual(record?.outcome, 'failure', `the record step\n${outline(r)}`);
      expect(record?.log).toContain('cannot read refs/tags/slipway/deployed/');
      expectRecorded(sim);
      expectEqual(r.outputs, { rolled_back: 'false', rollback: 'none' }, 'outputs');
      clearFaults(sim);
      const rerun = await deployJob(checkout, sim, { runAttempt: 2 });
      expectEqual(rerun.result, 'success', `rerun\n${outline(rerun)}`);
      expectDeployed(sim);
    } finally {
      checkout.dispose();
    }
  });
});

function clearFaults(sim: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('fs').writeFileSync(`${sim}/faults.json`, '[]\n');
}

/*
 * The validate job of deploy-first, after the deploy job of the new commit succeeded (what runs: new;
 * deployed: new; validated: old). Without migrations (a contract would refuse the rollback; see
 * deploy-first.test.ts).
 */
describe.each(['passed', 'failed'] as const)('deploy-first validate job, gates %s: a fault at every step, a cancel during every step, and a rerun after each', (gates) => {
  const needsResults: { [job: string]: 'success' | 'failure' | 'cancelled' | 'skipped' } = gates === 'failed' ? { tests: 'failure' } : {};
  const definition = () => customDefinition('deploy-first', { migrations: false });
  const seed = (c: GitCheckout) => seedWorld(c, { deployed: c.new, validated: c.old });
  let clean: RunResult;

  beforeAll(async () => {
    const c = definition();
    clean = await validateJob(c, seed(c), { needsResults });
    c.dispose();
  });

  test('the clean run validates, or rolls back to the validated release', () => {
    expect(clean.result).toBe('success');
  });

  test('every scenario keeps what runs and the tags in agreement, says what happened, and its rerun converges', async () => {
    const target = { ...customTarget('deploy-first'), phaseOf: () => 'changing' as const, phaseOfCancel: () => 'changing' as const };
    const all = scenarios(target, clean);
    process.stdout.write(`validate job, gates ${gates}: ${all.length} scenarios (${all.filter((sc) => sc.kind === 'fault').length} faults, ${all.filter((sc) => sc.kind === 'cancel').length} cancels), each with a rerun\n`);
    expect(all.length).toBeGreaterThanOrEqual(gates === 'failed' ? 6 : 3);
    const failures: string[] = [];
    for (const sc of all) {
      try {
        await validateScenario(sc);
      } catch (e) {
        const message = (e as Error).message;
        failures.push(message);
      }
    }
    expect(failures).toEqual([]);
  });

  async function validateScenario(sc: Scenario): Promise<void> {
    const c = definition();
    try {
      const sim = seed(c);
      if (sc.kind === 'fault') faultAtCall(sim, clean.stepCalls, sc.call!, sc.effect!);
      const r = await validateJob(c, sim, { needsResults, ...(sc.kind === 'cancel' ? { cancelAt: sc.step } : {}) });
      const context = `validate (gates ${gates}): ${sc.title}\n${outline(r)}`;
      try {
        const s = state(sim);
        if (gates === 'passed') {
          expectEqual({ running: s.running, deployed: s.deployed }, { running: 'new', deployed: 'new' }, 'what runs and the deployed tag');
          // the gates passed: the tag may move even when a cancel lands after the push; a job that succeeded moved it
          if (r.result === 'success') expectEqual(s.validated, 'new', 'validated after a successful job');
          else if (!['old', 'new'].includes(s.validated)) throw new Error(`validated: ${s.validated}`);
          expectEqual(r.outputs, { rolled_back: 'false', rollback: 'none' }, 'outputs');
        } else {
          expectEqual(s.validated, 'old', 'validated');
          // the deployed tag says what runs, whatever happened
          expectEqual(s.deployed, s.running, 'the deployed tag agrees with what runs');
          if (s.running === 'old') {
            expectEqual(r.outputs, { rolled_back: 'true', rollback: 'succeeded' }, 'outputs after a rollback');
          } else {
            if (r.result === 'success') throw new Error('the gates failed, the release still runs, and the job succeeded');
            // the gates' verdict was not applied: "failed", once the rollback was being prepared (a cancel that
            // stops the preparation as it starts may leave nothing recorded: "none")
            const prepare = r.steps.find((st) => st.id === 'prepare-rollback')!.outcome;
            const expected = prepare === 'skipped' ? ['none'] : prepare === 'cancelled' ? ['none', 'failed'] : ['failed'];
            if (r.outputs.rolled_back !== 'false' || !expected.includes(r.outputs.rollback)) {
              throw new Error(`outputs without a rollback: expected rolled_back false, rollback ${expected.join(' or ')}; got ${JSON.stringify(r.outputs)}`);
            }
          }
        }
        const rerun = await validateJob(c, sim, { needsResults, runAttempt: 2 });
        expectEqual(rerun.result, 'success', `rerun\n${outline(rerun)}`);
        expectEqual(state(sim), gates === 'passed' ? { running: 'new', deployed: 'new', validated: 'new' } : { running: 'old', deployed: 'old', validated: 'old' }, 'after the rerun');
      } catch (e) {
        (e as Error).message = `${(e as Error).message}\n\n${context}`;
        throw e;
      }
    } finally {
      c.dispose();
    }
  }
});
