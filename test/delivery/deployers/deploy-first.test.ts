import {
  customDefinition, deployJob, DEPLOYED_TAG, GitCheckout, migrations, originTag, outline, running, seedWorld, state, URL, validateJob, VALIDATED_TAG,
} from './custom-scenarios';
import { RunResult } from './scenario';
import { addFault, setUrlHealth } from '../../support/deploy';

jest.setTimeout(120_000);

/*
 * The contract of Rollout.deployFirst() on a custom target, run as the synthesized deploy and validate jobs
 * under the runner simulator, with real git (origin: a bare repository) and the user's commands as `app-ctl`
 * (custom-scenarios.ts). Commits: `old` (deployed and validated before), `new` (run A), and more made per test.
 */

const GATE_FAILED = { tests: 'failure' as const };
let checkouts: GitCheckout[] = [];

function definition(o: { migrations?: boolean } = {}): GitCheckout {
  const c = customDefinition('deploy-first', { migrations: o.migrations ?? false });
  checkouts.push(c);
  return c;
}

afterEach(() => {
  checkouts.forEach((c) => c.dispose());
  checkouts = [];
});

function expectJob(r: RunResult, result: RunResult['result'], outputs: { rolled_back: string; rollback: string }): void {
  const context = outline(r);
  expect({ result: r.result, outputs: r.outputs, context }).toEqual({ result, outputs, context });
}

test('the gates passed: the validate job marks the release validated, and it is what runs', async () => {
  const c = definition();
  const sim = seedWorld(c);
  expectJob(await deployJob(c, sim), 'success', { rolled_back: 'false', rollback: 'none' });
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'old' });
  expectJob(await validateJob(c, sim), 'success', { rolled_back: 'false', rollback: 'none' });
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'new' });
});

test.each(['failure', 'cancelled'] as const)('a gate ended %s: not validated; back to the last validated commit, which runs and which the deployed tag names', async (result) => {
  const c = definition();
  const sim = seedWorld(c);
  // the last validated commit is not the one before this run: A was validated after old
  const a = c.commit('a');
  expectJob(await deployJob(c, sim, { sha: a, runId: '1' }), 'success', { rolled_back: 'false', rollback: 'none' });
  expectJob(await validateJob(c, sim, { sha: a, runId: '1' }), 'success', { rolled_back: 'false', rollback: 'none' });
  const b = c.commit('b');
  expectJob(await deployJob(c, sim, { sha: b, runId: '2' }), 'success', { rolled_back: 'false', rollback: 'none' });
  const v = await validateJob(c, sim, { sha: b, runId: '2', needsResults: { tests: result } });
  expectJob(v, 'success', { rolled_back: 'true', rollback: 'succeeded' });
  expect({ running: running(sim), deployed: originTag(sim, DEPLOYED_TAG), validated: originTag(sim, VALIDATED_TAG) })
    .toEqual({ running: a, deployed: a, validated: a });
});

test('run A deploys, run B deploys, then A\'s gates fail: A\'s validate job leaves B running, and B\'s gates decide', async () => {
  const c = definition();
  const sim = seedWorld(c);
  const a = c.new;
  const b = c.commit('b');
  expectJob(await deployJob(c, sim, { sha: a, runId: '1' }), 'success', { rolled_back: 'false', rollback: 'none' });
  expectJob(await deployJob(c, sim, { sha: b, runId: '2' }), 'success', { rolled_back: 'false', rollback: 'none' });
  const va = await validateJob(c, sim, { sha: a, runId: '1', needsResults: GATE_FAILED });
  expectJob(va, 'success', { rolled_back: 'false', rollback: 'none' });
  expect(va.log).toMatch(/a newer deploy .* not rolling it back/);
  expect(running(sim)).toBe(b);
  expect(originTag(sim, DEPLOYED_TAG)).toBe(b);
  expect(originTag(sim, VALIDATED_TAG)).toBe(c.old);
  expectJob(await validateJob(c, sim, { sha: b, runId: '2' }), 'success', { rolled_back: 'false', rollback: 'none' });
  expect({ running: running(sim), deployed: originTag(sim, DEPLOYED_TAG), validated: originTag(sim, VALIDATED_TAG) })
    .toEqual({ running: b, deployed: b, validated: b });
});

test.each([
  ['after B was validated', true],
  ['before B is validated', false],
])('run A deploys, run B deploys, A\'s gates pass late (%s): the validated tag never moves back to A', async (_when, bFirst) => {
  const c = definition();
  const sim = seedWorld(c);
  const a = c.new;
  const b = c.commit('b');
  await deployJob(c, sim, { sha: a, runId: '1' });
  await deployJob(c, sim, { sha: b, runId: '2' });
  if (bFirst) expectJob(await validateJob(c, sim, { sha: b, runId: '2' }), 'success', { rolled_back: 'false', rollback: 'none' });
  const va = await validateJob(c, sim, { sha: a, runId: '1' });
  expectJob(va, 'success', { rolled_back: 'false', rollback: 'none' });
  expect(va.log).toMatch(/the validated release stays/);
  expect(originTag(sim, VALIDATED_TAG)).toBe(bFirst ? b : c.old);
  expect(running(sim)).toBe(b);
});

test('a failed first deploy, with no earlier release: says so, claims no rollback, and a rerun converges', async () => {
  const c = definition();
  const sim = seedWorld(c, { deployed: 'none', validated: 'none' });
  setUrlHealth(sim, URL, 'down');
  const r = await deployJob(c, sim);
  expectJob(r, 'failure', { rolled_back: 'false', rollback: 'none' });
  expect(r.log).toMatch(/first deploy failed; there is no earlier release to return to/);
  expect(r.steps.find((s) => s.id === 'rollback-commands')!.outcome).toBe('skipped');
  expect(state(sim)).toEqual({ running: 'new', deployed: 'none', validated: 'none' });
  setUrlHealth(sim, URL, { status: 200 });
  expectJob(await deployJob(c, sim, { runAttempt: 2 }), 'success', { rolled_back: 'false', rollback: 'none' });
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'none' });
});

test('the gates fail on the first release, never validated: says so, claims no rollback, and the job fails', async () => {
  const c = definition();
  const sim = seedWorld(c, { deployed: 'none', validated: 'none' });
  await deployJob(c, sim);
  const v = await validateJob(c, sim, { needsResults: GATE_FAILED });
  expectJob(v, 'failure', { rolled_back: 'false', rollback: 'failed' });
  expect(v.log).toMatch(/no release was ever validated/);
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'none' });
});

test('the deploy job\'s rollback commands fail: rollback failed, not rolled back', async () => {
  const c = definition();
  const sim = seedWorld(c);
  setUrlHealth(sim, URL, 'down');
  addFault(sim, { tool: 'app-ctl' as any, match: 'rollback', effect: 'fail' });
  const r = await deployJob(c, sim);
  expectJob(r, 'failure', { rolled_back: 'false', rollback: 'failed' });
  expect(r.log).toMatch(/the rollback to .* failed; the environment needs attention/);
  expect(state(sim)).toEqual({ running: 'new', deployed: 'old', validated: 'old' });
});

test('the validate job\'s rollback commands fail: rollback failed, not rolled back, and a rerun converges', async () => {
  const c = definition();
  const sim = seedWorld(c);
  await deployJob(c, sim);
  addFault(sim, { tool: 'app-ctl' as any, match: 'rollback', nth: 1, effect: 'fail' });
  const v = await validateJob(c, sim, { needsResults: GATE_FAILED });
  expectJob(v, 'failure', { rolled_back: 'false', rollback: 'failed' });
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'old' });
  expectJob(await validateJob(c, sim, { needsResults: GATE_FAILED, runAttempt: 2 }), 'success', { rolled_back: 'true', rollback: 'succeeded' });
  expect(state(sim)).toEqual({ running: 'old', deployed: 'old', validated: 'old' });
});

test('the contract migration started in the deploy job and failed: no rollback (refused)', async () => {
  const c = definition({ migrations: true });
  const sim = seedWorld(c);
  addFault(sim, { tool: 'migrate' as any, match: 'contract', effect: 'fail' });
  const r = await deployJob(c, sim);
  expectJob(r, 'failure', { rolled_back: 'false', rollback: 'refused' });
  expect(r.log).toMatch(/contract migration has started/);
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'old' });
});

test('the contract migration ran in the deploy job, then the gates fail: the validate job refuses to roll back past it', async () => {
  const c = definition({ migrations: true });
  const sim = seedWorld(c);
  expectJob(await deployJob(c, sim), 'success', { rolled_back: 'false', rollback: 'none' });
  expect(migrations(sim)).toEqual(['expand', 'contract']);
  const v = await validateJob(c, sim, { needsResults: GATE_FAILED });
  expectJob(v, 'failure', { rolled_back: 'false', rollback: 'refused' });
  expect(v.log).toMatch(/contract migration has started/);
  expect(state(sim)).toEqual({ running: 'new', deployed: 'new', validated: 'old' });
});

test('validating a release clears the contract marker (it was deployed after every contract); the next release\'s own contract sets it again', async () => {
  const c = definition({ migrations: true });
  const sim = seedWorld(c);
  await deployJob(c, sim);
  expect(originTag(sim, 'slipway/contracted/preprod')).toBe(c.new);
  expectJob(await validateJob(c, sim), 'success', { rolled_back: 'false', rollback: 'none' });
  expect(originTag(sim, 'slipway/contracted/preprod')).toBe('none');
  const b = c.commit('b');
  expectJob(await deployJob(c, sim, { sha: b, runId: '2' }), 'success', { rolled_back: 'false', rollback: 'none' });
  // B ran its own contract: its gates failing must refuse, not return to new
  const v = await validateJob(c, sim, { sha: b, runId: '2', needsResults: GATE_FAILED });
  expectJob(v, 'failure', { rolled_back: 'false', rollback: 'refused' });
  expect(running(sim)).toBe(b);
});
