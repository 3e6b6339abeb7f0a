import * as YAML from 'yaml';
import { Application, Check, Environment, HealthCheck, Image, Pipeline, Rollout, Target, Testing } from '../../src';
import { expectValid } from '../support/harness';

/** One custom stage, deploy-first or all-at-once. */
function deployJob(rollout: Rollout): any {
  const app = Testing.app();
  const site = new Application(app, 'site', { image: Image.fromRegistry('docker.io/acme/site'), healthCheck: HealthCheck.http('/health') });
  const preprod = new Environment(app, 'preprod', {
    target: Target.custom({ deploy: ['git reset --hard "$SLIPWAY_SHA"'], rollback: ['git reset --hard "$SLIPWAY_ROLLBACK_SHA"'] }),
    rollout,
    url: 'https://preprod.example.com',
  });
  new Pipeline(app, 'ci', { applications: [site], checks: [Check.lint(['flake8'])], stages: [preprod] });
  const files = Testing.synth(app);
  expectValid(files);
  return YAML.parse(files['.github/workflows/ci.yml']).jobs['deploy-preprod'];
}

describe('custom target rollbacks (seed 003)', () => {
  test('a failed deploy-first deploy returns to the last validated release, never to an unvalidated one', () => {
    const rollback = deployJob(Rollout.deployFirst()).steps.find((s: any) => /^Roll back/.test(s.name));
    expect(rollback.name).toBe('Roll back preprod to the last validated release');
    expect(rollback.if).toBe('failure()');
    expect(rollback.run.split('\n').slice(0, 2)).toEqual([
      'git fetch --force origin "refs/tags/slipway/validated/preprod:refs/tags/slipway/validated/preprod" || { echo "::error::no slipway/validated/preprod tag to roll back to"; exit 1; }',
      'SLIPWAY_ROLLBACK_SHA="$(git rev-list -n 1 "slipway/validated/preprod")"',
    ]);
    expect(rollback.run).toMatch(/git reset --hard "\$SLIPWAY_ROLLBACK_SHA"$/);
  });

  test('any other rollout returns to the last deployed release', () => {
    const rollback = deployJob(Rollout.allAtOnce()).steps.find((s: any) => /^Roll back/.test(s.name));
    expect(rollback.name).toBe('Roll back preprod');
    expect(rollback.run).toContain('SLIPWAY_ROLLBACK_SHA="$(git rev-list -n 1 "slipway/deployed/preprod")"');
  });
});
