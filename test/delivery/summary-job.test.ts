import * as YAML from 'yaml';
import {
  Application, Approval, Check, Environment, HealthCheck, Image, Pipeline, Rollout, Target, Testing,
} from '../../src';
import { PlanJobKind, planJob } from '../../src/delivery/plan';
import { expectValid } from '../support/harness';

/** Seed 003's shape: gates, a deploy-first stage and a manually dispatched stage. */
function pipeline(summary: boolean | undefined) {
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
  const p = new Pipeline(app, 'ci', {
    applications: [site],
    checks: [Check.lint(['flake8']), Check.test('infra', ['pytest infra/'], { allowFailure: true })],
    stages: [preprod, prod],
    summary,
  });
  return { app, pipeline: p };
}

describe('Pipeline summary job', () => {
  test('is off by default', () => {
    const { app, pipeline: p } = pipeline(undefined);
    expect(p.summary).toBe(false);
    expect(p._plan().jobs.map((j) => j.id)).not.toContain('summary');
    expect(YAML.parse(Testing.synth(app)['.github/workflows/ci.yml']).jobs.summary).toBeUndefined();
  });

  test('waits for every job of the main workflow whatever their results, and is planned there only', () => {
    const { pipeline: p } = pipeline(true);
    const plan = p._plan();
    const summary = planJob(plan, 'summary', 'ci');
    expect(summary.kind).toBe(PlanJobKind.SUMMARY);
    expect(summary.runsWhen).toBe('always-after');
    expect(summary.needs).toEqual(['lint', 'infra', 'deploy-preprod', 'validate-preprod']);
    expect(plan.jobs.filter((j) => j.workflow === 'ci-prod').map((j) => j.id)).toEqual(['confirm-prod', 'deploy-prod']);
    expect(p.toMermaid()).toContain('ci__validate_preprod --> ci__summary');
  });

  test('writes each result to the run summary and fails when a job failed or was cancelled', () => {
    const { app } = pipeline(true);
    const files = Testing.synth(app);
    expectValid(files);
    const job = YAML.parse(files['.github/workflows/ci.yml']).jobs.summary;
    expect(job.if).toBe('always()');
    expect(job.needs).toEqual(['lint', 'infra', 'deploy-preprod', 'validate-preprod']);
    const [table, fail] = job.steps;
    expect(table.run.split('\n')).toEqual([
      '{',
      "  echo '| job | result |'",
      "  echo '| --- | --- |'",
      '  echo "| lint | ${{ needs.lint.result }} |"',
      '  echo "| infra | ${{ needs.infra.result }} |"',
      '  echo "| deploy-preprod | ${{ needs.deploy-preprod.result }} |"',
      '  echo "| validate-preprod | ${{ needs.validate-preprod.result }} |"',
      '} >> "$GITHUB_STEP_SUMMARY"',
    ]);
    expect(table.if).toBeUndefined();
    expect(fail.if).toBe("contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')");
    expect(fail.run).toMatch(/exit 1$/);
  });
});
