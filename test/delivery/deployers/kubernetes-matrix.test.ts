import { deploy, KUBE_STRATEGIES, kubeTarget, NS, seedRunning } from './kubernetes-scenarios';
import { runAll, scenarios } from './matrix';
import { RunResult, scenarioSim } from './scenario';

jest.setTimeout(600_000);

describe.each(KUBE_STRATEGIES)('kubernetes %s: a fault at every step, a cancel during every step, and a rerun after each', (strategy) => {
  const target = kubeTarget(strategy);
  let clean: RunResult;

  beforeAll(async () => {
    const checkout = target.definition();
    const sim = scenarioSim([NS]);
    seedRunning(sim, checkout, strategy);
    clean = await deploy(checkout, sim);
    checkout.dispose();
  });

  test('the clean run deploys the new release', () => {
    expect(clean.result).toBe('success');
  });

  test('every scenario ends in the state its phase requires, and its rerun converges', async () => {
    const all = scenarios(target, clean);
    expect(all.length).toBeGreaterThan(10);
    // every phase is exercised
    expect(new Set(all.map((sc) => sc.phase))).toEqual(new Set(['before-change', 'changing', 'after-contract', 'either']));
    const failures = await runAll(target, clean, all);
    expect(failures).toEqual([]);
  });
});
