import { execFileSync } from 'child_process';
import * as fs from 'fs';
import {
  CloudRunStrategy, cloudRunDefinition, deploy, ENV_URL, expectNewServing, expectTraffic, IMAGE_REPO, newRevisionOf,
  NEW, OLD_A, OLD_B, PROJECT, REGION, seedEnvUrl, seedService, SERVICE, serving,
} from './cloudrun-scenarios';
import { Checkout, run, RunResult, scenarioSim } from './scenario';
import { addFault, calls, seedCloudRunService, setUrlHealth, simEnv } from '../../support/deploy';

jest.setTimeout(60_000);

/**
 * The contract sentences the generic matrix (cloudrun-matrix.test.ts) does not reach: first
 * deploys, redeploys of a revision that exists, what an earlier attempt left, the environment
 * URL, rollbacks that fail or are refused, and checks that hang.
 */

const where = [`--project=${PROJECT}`, `--region=${REGION}`];
/** A second digest, deployed before NEW in the redeploy cases. */
const OTHER = 'sha256:' + 'd'.repeat(64);

function summary(r: RunResult): string {
  return `${r.result} ${JSON.stringify(r.outputs)}\n${r.steps.map((s) => `  ${s.outcome.padEnd(9)} ${s.name}`).join('\n')}\n${r.log.slice(-3000)}`;
}

function expectOutcome(r: RunResult, result: string, outputs: { rolled_back: string; rollback: string }): void {
  expect({ result: r.result, outputs: r.outputs }).toEqual({ result, outputs });
}

/** Runs `gcloud` (the stub) against the sim, as an operator would. */
function gcloud(sim: string, ...args: string[]): void {
  execFileSync('gcloud', [...args, ...where], { env: simEnv(sim), stdio: 'pipe' });
}

/** The stub calls of a run, as joined command lines. */
function commands(sim: string, tool = 'gcloud'): string[] {
  return calls(sim).filter((c) => c.tool === tool).map((c) => c.argv.join(' '));
}

const checkouts: Checkout[] = [];
function definition(strategy: CloudRunStrategy, o: { url?: boolean } = {}): Checkout {
  const c = cloudRunDefinition(strategy, o);
  checkouts.push(c);
  return c;
}
afterAll(() => checkouts.forEach((c) => c.dispose()));

/** Runs the job and fails with its log when `check` throws. */
async function runAndCheck(checkout: Checkout, sim: string, check: (r: RunResult) => void, o: Parameters<typeof deploy>[2] = {}): Promise<RunResult> {
  const r = await deploy(checkout, sim, o);
  try {
    check(r);
  } catch (e) {
    (e as Error).message = `${(e as Error).message}\n\n${summary(r)}`;
    throw e;
  }
  return r;
}

describe('first deploy (the service does not exist)', () => {
  test.concurrent.each<CloudRunStrategy>(['all-at-once', 'canary'])('%s: succeeds, the new revision serves everything', async (strategy) => {
    const checkout = definition(strategy);
    const sim = scenarioSim();
    seedEnvUrl(sim);
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
      expect(r.log).toMatch(/not deployed yet \(first deploy\)/);
      expectNewServing(sim);
    });
  });

  test.concurrent('a revision that does not become ready: the service is deleted, rolled_back is true', async () => {
    const checkout = definition('canary');
    const sim = scenarioSim();
    seedEnvUrl(sim);
    addFault(sim, { tool: 'gcloud', match: 'services replace', effect: 'unhealthy' });
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
      expect(serving(sim)).toBeUndefined();
      expect(r.log).toMatch(/did not exist before this run; deleting it/);
    });
  });

  test.concurrent('the environment URL failing after the first deploy: the service is deleted', async () => {
    const checkout = definition('all-at-once');
    const sim = scenarioSim();
    setUrlHealth(sim, `${ENV_URL}/health`, { status: 502 });
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
      expect(serving(sim)).toBeUndefined();
    });
  });
});

describe('redeploying a digest that already has a revision', () => {
  test.concurrent.each<CloudRunStrategy>(['all-at-once', 'canary', 'blue-green'])('%s: the revision already serving everything: success, nothing shifted', async (strategy) => {
    const checkout = definition(strategy);
    const sim = scenarioSim();
    seedEnvUrl(sim);
    await runAndCheck(checkout, sim, (r) => expect(r.result).toBe('success'));
    const before = commands(sim).length;
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
      expect(r.log).toMatch(/already serves api: nothing to shift/);
      expectNewServing(sim);
      // no traffic moved, no revision created again
      expect(commands(sim).slice(before).filter((c) => /update-traffic|services replace/.test(c))).toEqual([]);
    }, { runAttempt: 2 });
  });

  test.concurrent.each<CloudRunStrategy>(['all-at-once', 'canary'])('%s: a revert to an older digest (its revision exists, not serving) gives it all traffic', async (strategy) => {
    const checkout = definition(strategy);
    const sim = scenarioSim();
    seedEnvUrl(sim);
    const needs = (digest: string) => ({ build: { 'digest-api': digest, 'image-api': `${IMAGE_REPO}@${digest}` } });
    // NEW first, then OTHER (the latest revision), then NEW again
    await runAndCheck(checkout, sim, (r) => expect(r.result).toBe('success'));
    const other = await run({ checkout, workflow: 'cd.yml', jobId: 'deploy-prod', sim, sha: 'c'.repeat(40), runId: '4300', needsOutputs: needs(OTHER) });
    expect(other.result).toBe('success');
    const otherRevision = Object.keys(serving(sim)!.percent)[0];
    expect(otherRevision).toMatch(/-dddddd$/);
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
      expectNewServing(sim);
    }, { runId: '4400' });
  });

  test.concurrent('canary: the revision holding half of the traffic ends with all of it, and a rollback returns it to half', async () => {
    const checkout = definition('canary');
    const sim = scenarioSim();
    seedEnvUrl(sim);
    await runAndCheck(checkout, sim, (r) => expect(r.result).toBe('success'));
    const rev = newRevisionOf(checkout);
    // an operator adds an old revision next to it and splits 50/50
    const needs = { build: { 'digest-api': OTHER, 'image-api': `${IMAGE_REPO}@${OTHER}` } };
    await run({ checkout, workflow: 'cd.yml', jobId: 'deploy-prod', sim, runId: '4300', needsOutputs: needs });
    const other = Object.keys(serving(sim)!.percent)[0];
    gcloud(sim, 'run', 'services', 'update-traffic', SERVICE, `--to-revisions=${rev}=50,${other}=50`);
    expectTraffic(sim, { [rev]: 50, [other]: 50 });
    // a failing canary check after the first shift: back to exactly 50/50
    addFault(sim, { tool: 'curl', match: 'canary---', nth: 2, effect: 'unhealthy' });
    for (let n = 3; n <= 12; n++) addFault(sim, { tool: 'curl', match: 'canary---', nth: n, effect: 'unhealthy' });
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
      expectTraffic(sim, { [rev]: 50, [other]: 50 });
      // the shift gave the new revision 10 %, not 10 % more: one target per revision
      expect(commands(sim)).toContain(`run services update-traffic ${SERVICE} ${where.join(' ')} --to-revisions=${rev}=10,${other}=90`);
    }, { runId: '4400' });
    // and without the fault it ends with everything
    await runAndCheck(checkout, sim, (r) => {
      expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
      expectNewServing(sim);
    }, { runId: '4400', runAttempt: 2 });
  });
});

test.concurrent('a failed revision (tagged, not ready) left by an earlier attempt does not block the rerun', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  const rev = newRevisionOf(checkout);
  seedCloudRunService(sim, {
    service: SERVICE,
    project: PROJECT,
    region: REGION,
    revisions: [OLD_B, OLD_A, { name: rev, image: `${IMAGE_REPO}@${NEW.digest}`, ready: false }],
    traffic: [{ revisionName: OLD_A.name, percent: 100 }, { revisionName: rev, percent: 0, tag: 'canary' }],
  });
  seedEnvUrl(sim);
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
    expect(r.log).toMatch(/removing the failed revision/);
    expectNewServing(sim);
  });
});

test.concurrent('a failed revision left by an earlier attempt, and this attempt fails too: the split is restored and no tag is left on it', async () => {
  const checkout = definition('blue-green');
  const sim = scenarioSim();
  seedService(sim, 'split');
  addFault(sim, { tool: 'gcloud', match: 'services replace', effect: 'unhealthy' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
    expectTraffic(sim, { [OLD_A.name]: 50, [OLD_B.name]: 50 });
  });
  // the rerun (the fault fired on every replace; now the image is fixed)
  fs.writeFileSync(`${sim}/faults.json`, '[]\n');
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'success', { rolled_back: 'false', rollback: 'none' });
    expectNewServing(sim);
  }, { runAttempt: 2 });
});

test.concurrent('the environment URL failing after promotion is rolled back to the recorded revision', async () => {
  const checkout = definition('blue-green');
  const sim = scenarioSim();
  seedService(sim, 'single');
  setUrlHealth(sim, `${ENV_URL}/health`, { status: 503 });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
    expect(r.steps.find((s) => s.name.startsWith('Smoke test api at'))?.outcome).toBe('failure');
    expectTraffic(sim, { [OLD_A.name]: 100 });
  });
});

test.concurrent('a canary from a recorded 50/50 split returns to exactly 50/50', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  seedService(sim, 'split');
  // the check after the 50 % shift fails (the third check: calls 3..12 of the tag URL)
  for (let n = 3; n <= 12; n++) addFault(sim, { tool: 'curl', match: 'canary---', nth: n, effect: 'unhealthy' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
    const shifts = commands(sim).filter((c) => /--to-revisions/.test(c)).map((c) => c.replace(/.*--to-revisions=/, ''));
    const rev = newRevisionOf(checkout);
    expect(shifts).toEqual([
      `${rev}=10,${OLD_B.name}=45,${OLD_A.name}=45`,
      `${rev}=50,${OLD_B.name}=25,${OLD_A.name}=25`,
      `${OLD_B.name}=50,${OLD_A.name}=50 --remove-tags=canary`,
    ]);
    expectTraffic(sim, { [OLD_A.name]: 50, [OLD_B.name]: 50 });
  });
});

test.concurrent('record failing with an API error (not "not found") fails the job before any change: rollback none', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  seedService(sim, 'single');
  addFault(sim, { tool: 'gcloud', match: 'services describe', nth: 1, effect: 'transient' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'false', rollback: 'none' });
    expect(r.log).toMatch(/cannot read the traffic of api; nothing was changed/);
    expect(commands(sim).filter((c) => /update-traffic|replace|delete|execute/.test(c))).toEqual([]);
    expectTraffic(sim, { [OLD_A.name]: 100 });
  });
});

test.concurrent('a rollback that fails itself: rollback failed, rolled_back false', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  seedService(sim, 'single');
  addFault(sim, { tool: 'curl', match: 'canary---', effect: 'unhealthy' });
  addFault(sim, { tool: 'gcloud', match: 'update-traffic', effect: 'fail' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'false', rollback: 'failed' });
    expect(r.log).toMatch(/the rollback to api-aaaaaa=100 failed; the environment needs attention/);
  });
});

test.concurrent('curl hanging on the tag URL is bounded by --max-time, and the job still rolls back', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  seedService(sim, 'single');
  addFault(sim, { tool: 'curl', match: 'canary---', effect: 'hang' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'true', rollback: 'succeeded' });
    const check = r.steps.find((s) => /^Check the canary revision/.test(s.name))!;
    expect(check.outcome).toBe('failure');
    const curls = commands(sim, 'curl').filter((c) => c.includes('canary---'));
    expect(curls).toHaveLength(10);
    for (const c of curls) expect(c).toMatch(/--max-time 10 /);
    expectTraffic(sim, { [OLD_A.name]: 100 });
  });
});

test.concurrent('the contract migration failing: rollback refused, the new revision keeps its traffic, the log says why', async () => {
  const checkout = definition('canary');
  const sim = scenarioSim();
  seedService(sim, 'split');
  addFault(sim, { tool: 'gcloud', match: 'jobs execute api-migrate-contract', effect: 'fail' });
  await runAndCheck(checkout, sim, (r) => {
    expectOutcome(r, 'failure', { rolled_back: 'false', rollback: 'refused' });
    expect(r.log).toMatch(/not rolling back api: the contract migration has started/);
    expectNewServing(sim);
  });
});
