import * as YAML from 'yaml';
import {
  Application, Approval, Check, Environment, HealthCheck, Image, Notification, NotifyOn, Pipeline, Rollout, Secret, Target,
  Testing,
} from '../../src';
import { expectValid } from '../support/harness';

const webhook = Secret.github('DISCORD_WEBHOOK_URL');

/** A deploy-first preprod and a manually dispatched prod, notified on failures, deployments and rollbacks. */
function synth(on: NotifyOn[]): { files: { [path: string]: string }; ci: any; prod: any } {
  const app = Testing.app();
  const site = new Application(app, 'site', { image: Image.fromRegistry('docker.io/acme/site'), healthCheck: HealthCheck.http('/') });
  const preprod = new Environment(app, 'preprod', {
    target: Target.custom({ deploy: ['./deploy.sh'], rollback: ['./rollback.sh'] }),
    rollout: Rollout.deployFirst(),
    url: 'https://preprod.example.com',
  });
  const prod = new Environment(app, 'prod', {
    target: Target.custom({ deploy: ['./deploy.sh'], rollback: ['./rollback.sh'] }),
    approval: Approval.manualDispatch(),
    url: 'https://example.com',
    requires: [preprod],
  });
  new Pipeline(app, 'ci', {
    applications: [site],
    checks: [Check.lint(['flake8'])],
    stages: [preprod, prod],
    notifications: [Notification.discord({ webhook, on })],
  });
  const files = Testing.synth(app);
  return { files, ci: YAML.parse(files['.github/workflows/ci.yml']), prod: YAML.parse(files['.github/workflows/ci-prod.yml']) };
}

const RESULT = "((contains(needs.*.result, 'failure') && 'failure') || (contains(needs.*.result, 'cancelled') && 'cancelled') || 'success')";

describe('deploy-first rollbacks are reported', () => {
  const { files, ci } = synth([NotifyOn.FAILURE, NotifyOn.ROLLBACK]);

  test('the validate job reports its rollback to the last validated release from what the rollback recorded', () => {
    expectValid(files);
    const validate = ci.jobs['validate-preprod'];
    expect(validate.outputs).toEqual({ rolled_back: '${{ steps.report.outputs.rolled_back }}', rollback: '${{ steps.report.outputs.rollback }}' });
    const names = validate.steps.map((s: any) => s.name);
    const rollback = names.indexOf('Roll back preprod to the last validated release');
    const report = validate.steps[names.length - 1];
    expect(rollback).toBeGreaterThan(-1);
    expect(report).toMatchObject({ id: 'report', if: 'always()', run: 'exec bash .github/slipway/report.sh' });
  });

  test('a gate failure that rolled preprod back is reported once, as a rollback', () => {
    const steps = ci.jobs.notify.steps;
    const rolledBack = "needs.deploy-preprod.outputs.rolled_back == 'true' || needs.validate-preprod.outputs.rolled_back == 'true'";
    expect(steps.map((s: any) => [s.name, s.if])).toEqual([
      ['Notify Discord (failure)', `always() && ${RESULT} == 'failure' && !(${rolledBack})`],
      ['Notify Discord (rollback)', `always() && (${rolledBack})`],
    ]);
  });

  test('a failure that was not rolled back says why: the contract had started, or the rollback failed', () => {
    const failure = ci.jobs.notify.steps[0];
    expect(failure.with.title).toContain("(needs.deploy-preprod.outputs.rollback == 'refused' && ' (deploy-preprod: not rolled back, the contract migration had started)')");
    expect(failure.with.title).toContain("(needs.validate-preprod.outputs.rollback == 'failed' && ' (validate-preprod: the rollback failed)')");
    expect(failure.with.title).toMatch(/\|\| '' \}\}$/);
  });
});

describe('NotifyOn.DEPLOYED', () => {
  const { files, ci, prod } = synth([NotifyOn.FAILURE, NotifyOn.DEPLOYED, NotifyOn.ROLLBACK]);

  test('reports successful runs only when a deploy job succeeded, in every workflow of the pipeline', () => {
    expectValid(files);
    const deployed = (wf: any) => wf.jobs.notify.steps.find((s: any) => s.name === 'Notify Discord (deployed)');
    expect(deployed(ci).if).toBe(`always() && ${RESULT} == 'success' && (needs.deploy-preprod.result == 'success') && !(needs.deploy-preprod.outputs.rolled_back == 'true' || needs.validate-preprod.outputs.rolled_back == 'true')`);
    expect(deployed(ci).with.status).toBe('success');
    expect(deployed(ci).with.title).toBe('ci (${{ github.ref_name }}@${{ github.sha }}) deployed');
    expect(deployed(prod).if).toBe(`always() && ${RESULT} == 'success' && (needs.deploy-prod.result == 'success') && !(needs.deploy-prod.outputs.rolled_back == 'true')`);
    expect(ci.jobs.notify.steps.map((s: any) => s.name)).not.toContain('Notify Discord (success)');
  });

  test('outside a pipeline it reports like SUCCESS', () => {
    const steps = Notification.discord({ webhook, on: [NotifyOn.DEPLOYED] })._steps({ title: 'Docs', resultExpression: 'job.status' });
    expect(steps.map((s) => [s.name, s.condition])).toEqual([['Notify Discord (deployed)', "${{ always() && job.status == 'success' }}"]]);
    expect(steps[0].action!.inputs.title).toBe('Docs succeeded');
  });

  test('a workflow without deploy jobs never reports a deployment', () => {
    const app = Testing.app();
    new Pipeline(app, 'checks', {
      checks: [Check.lint(['flake8'])],
      notifications: [Notification.discord({ webhook, on: [NotifyOn.FAILURE, NotifyOn.DEPLOYED] })],
    });
    const checksOnly = Testing.synth(app);
    expectValid(checksOnly);
    expect(YAML.parse(checksOnly['.github/workflows/checks.yml']).jobs.notify.steps.map((s: any) => s.name)).toEqual(['Notify Discord (failure)']);

    const quiet = Testing.app();
    new Pipeline(quiet, 'checks', { checks: [Check.lint(['flake8'])], notifications: [Notification.discord({ webhook, on: [NotifyOn.DEPLOYED] })] });
    const quietFiles = Testing.synth(quiet);
    expectValid(quietFiles);
    expect(Object.keys(YAML.parse(quietFiles['.github/workflows/checks.yml']).jobs)).toEqual(['lint']);
  });

  test('listing it with success or always is an error', () => {
    expect(Notification.slack({ webhook, on: [NotifyOn.SUCCESS, NotifyOn.DEPLOYED] })._problems()).toEqual([
      'Notification.slack: "on" lists "deployed" with "success", which already reports every successful run; keep one of them',
    ]);
    expect(Notification.discord({ webhook, on: [NotifyOn.ALWAYS, NotifyOn.DEPLOYED] })._problems()).toEqual([
      'Notification.discord: "on" lists "deployed" with "always", which already reports every successful run; keep one of them',
    ]);
  });
});
