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
  const steps = (job: any) => job.steps.map((s: any) => [s.name, s.if ?? '', s.run ?? s.uses]);

  test('the deploy job records the deployed release before it changes anything, and returns to it on failure, cancel or timeout', () => {
    for (const rollout of [Rollout.deployFirst(), Rollout.allAtOnce()]) {
      const s = steps(deployJob(rollout));
      const at = (name: RegExp) => s.findIndex((x: string[]) => name.test(x[0]));
      expect(at(/^Record the release running in preprod$/)).toBeLessThan(at(/^Deploy to preprod$/));
      expect(s[at(/^Prepare the rollback of preprod$/)]).toEqual(['Prepare the rollback of preprod', 'failure() || cancelled()', 'exec bash .github/slipway/release-marker.sh prepare-rollback']);
      const commands = s[at(/^Roll back preprod/)];
      expect(commands[1]).toBe("always() && (failure() || cancelled()) && steps.prepare-rollback.outputs.needed == 'true'");
      expect(commands[2]).toBe('git reset --hard "$SLIPWAY_ROLLBACK_SHA"');
      expect(s[s.length - 1]).toEqual(['Report the outcome', 'always()', 'exec bash .github/slipway/report.sh']);
    }
  });

  test('deploy-first: the validate job moves the validated tag, or returns to the last validated release unless a newer deploy replaced this one', () => {
    const app = Testing.app();
    const site = new Application(app, 'site', { image: Image.fromRegistry('docker.io/acme/site'), healthCheck: HealthCheck.http('/health') });
    const preprod = new Environment(app, 'preprod', {
      target: Target.custom({ deploy: ['git reset --hard "$SLIPWAY_SHA"'], rollback: ['git reset --hard "$SLIPWAY_ROLLBACK_SHA"'] }),
      rollout: Rollout.deployFirst(),
      url: 'https://preprod.example.com',
    });
    new Pipeline(app, 'ci', { applications: [site], checks: [Check.lint(['flake8'])], stages: [preprod] });
    const files = Testing.synth(app);
    expectValid(files);
    const v = YAML.parse(files['.github/workflows/ci.yml']).jobs['validate-preprod'];
    const runs = v.steps.map((s: any) => s.run ?? s.uses);
    expect(runs).toContain('exec bash .github/slipway/release-marker.sh validate');
    expect(runs).toContain('exec bash .github/slipway/release-marker.sh prepare-revalidate');
    expect(v.outputs).toEqual({ rolled_back: '${{ steps.report.outputs.rolled_back }}', rollback: '${{ steps.report.outputs.rollback }}' });
  });
});
