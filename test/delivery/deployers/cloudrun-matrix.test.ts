import { CLOUDRUN_STRATEGIES, CloudRunStrategy, cloudRunTarget, SeedSplit } from './cloudrun-scenarios';
import { runAll, scenarios } from './matrix';
import { RunResult } from './scenario';

jest.setTimeout(600_000);

/** The canary starts from a 50/50 split (it must return to exactly that); the others from one revision. */
const SEED: { [s in CloudRunStrategy]: SeedSplit } = { 'all-at-once': 'single', 'canary': 'split', 'blue-green': 'single' };

/**
 * Scenarios run a few at a time: most of a run is waiting (bakes, the stubs' simulated waits,
 * process start-up), and each scenario has its own sim and checkout.
 */
const PARALLEL = 3;

describe.each(CLOUDRUN_STRATEGIES)('cloud run %s: a fault at every step, a cancel during every step, and a rerun after each', (strategy) => {
  const target = cloudRunTarget(strategy, SEED[strategy]);
  let clean: RunResult;

  beforeAll(async () => {
    const checkout = target.definition();
    const sim = target.seed(checkout);
    clean = await target.deploy(checkout, sim);
    checkout.dispose();
  });

  test('the clean run deploys the new revision', () => {
    expect(clean.result).toBe('success');
  });

  test('every scenario ends in the state its phase requires, and its rerun converges', async () => {
    const all = scenarios(target, clean);
    expect(all.length).toBeGreaterThan(10);
    // every phase is exercised
    expect(new Set(all.map((sc) => sc.phase))).toEqual(new Set(['before-change', 'changing', 'after-contract', 'either']));
    const failures = await runAll(target, clean, all, PARALLEL);
    expect(failures).toEqual([]);
  });
});
