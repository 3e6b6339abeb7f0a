import * as YAML from 'yaml';
import {
  App, Application, Approval, Check, Duration, Environment, HealthCheck, Image, Migration, Pipeline, Rollout, Scanner,
  Secret, SecretRef, ServiceContainer, Target, Testing, Toolchain, Trigger,
} from '../../src';
import { expectValid } from '../support/harness';

/** The north-star definition of DESIGN.md, as a user writes it. */
export function northStar(app: App): Pipeline {
  const api = new Application(app, 'context-api', {
    image: Image.fromDockerfile({ context: '.', dockerfile: 'docker/Dockerfile.app', repository: 'docker.io/coditect/context-app' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
    secrets: { DATABASE_URL: SecretRef.of('context-db', 'url') },
    migration: Migration.command(['alembic', 'upgrade', 'head']),
  });
  const staging = new Environment(app, 'staging', {
    target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
  });
  const production = new Environment(app, 'production', {
    target: Target.kubernetes({ namespace: 'production', kubeconfig: Secret.github('KUBECONFIG_PRODUCTION') }),
    rollout: Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(5) }),
    approval: Approval.environment(),
  });
  const coditect = new Environment(app, 'coditect', {
    target: Target.cloudRun({ project: 'coditect-production', region: 'us-central1', service: 'coditect-backend' }),
  });
  return new Pipeline(app, 'ci', {
    applications: [api],
    triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main'] })],
    toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev' }),
    checks: [
      Check.lint(['ruff check .', 'black --check .', 'mypy core/']),
      Check.test('unit-tests', ['pytest tests/unit/ --cov=core'], { coverage: 80 }),
      Check.test('integration-tests', ['alembic upgrade head', 'pytest tests/integration/'],
        { services: [ServiceContainer.postgres('15'), ServiceContainer.redis('7')] }),
      Check.securityScan([Scanner.BANDIT, Scanner.SAFETY]),
    ],
    stages: [staging, production, coditect],
  });
}

describe('the north star (seed 002 in one file)', () => {
  const app = Testing.app();
  northStar(app);
  const files = Testing.synth(app);

  test('synthesizes workflows, the Helm chart and the Cloud Run specs, all valid', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining([
      '.github/workflows/ci.yml',
      'deploy/helm/context-api/Chart.yaml',
      'deploy/helm/context-api/values.yaml',
      'deploy/helm/context-api/values-staging.yaml',
      'deploy/helm/context-api/values-production.yaml',
      'deploy/helm/context-api/values.schema.json',
      'deploy/cloudrun/context-api.coditect.service.yaml',
      'deploy/cloudrun/context-api-migrate-expand.coditect.job.yaml',
      'docs/pipelines/ci.md',
    ]));
    expectValid(files);
  });

  test('the same built digest flows to every stage', () => {
    const wf = YAML.parse(files['.github/workflows/ci.yml']);
    expect(wf.jobs.build.outputs['digest-context-api']).toBe('${{ steps.build-context-api.outputs.digest }}');
    for (const stage of ['staging', 'production', 'coditect']) {
      const text = YAML.stringify(wf.jobs[`deploy-${stage}`]);
      expect(wf.jobs[`deploy-${stage}`].needs).toContain('build');
      expect(text).toMatch(/needs\.build\.outputs\.(image|digest)-context-api/);
      expect(text).not.toMatch(/docker build|build-push-action/);
    }
  });

  test('deploys run only on pushes to main, one at a time per environment, production behind its reviewers', () => {
    const wf = YAML.parse(files['.github/workflows/ci.yml']);
    for (const stage of ['staging', 'production', 'coditect']) {
      const job = wf.jobs[`deploy-${stage}`];
      expect(job.if).toBe("(github.event_name == 'push') && (github.ref == 'refs/heads/main')");
      expect(job.concurrency).toEqual({ 'group': `deploy-${stage}`, 'cancel-in-progress': false });
      expect(job.environment.name ?? job.environment).toBe(stage);
    }
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('production steps the NGINX canary 10 -> 50 -> 100 or Argo, with checks, a contract-free rollback, and migrations first', () => {
    const wf = YAML.parse(files['.github/workflows/ci.yml']);
    const names: string[] = wf.jobs['deploy-production'].steps.map((s: any) => s.name);
    const at = (re: RegExp) => names.findIndex((n) => re.test(n));
    expect(at(/^Migrate context-api \(expand\)/)).toBeGreaterThan(-1);
    expect(at(/^Migrate context-api \(expand\)/)).toBeLessThan(at(/^Deploy context-api/));
    const rollback = wf.jobs['deploy-production'].steps.find((s: any) => /^Roll back/.test(s.name));
    // a cancelled or timed-out job rolls back too (GitHub reports a timeout as cancelled)
    expect(rollback.if).toBe('failure() || cancelled()');
    expect(rollback.run).not.toMatch(/migrat/);
  });

  test('the integration tests reach their Postgres and Redis: `alembic upgrade head` gets DATABASE_URL', () => {
    const job = YAML.parse(files['.github/workflows/ci.yml']).jobs['integration-tests'];
    expect(job.env).toEqual({ DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres', REDIS_URL: 'redis://localhost:6379' });
    expect(job.services.postgres.env).toEqual({ POSTGRES_PASSWORD: 'postgres' });
    expect(job.services.postgres.ports).toEqual(['5432:5432']);
    expect(job.steps.map((s: any) => s.run)).toEqual(expect.arrayContaining(['alembic upgrade head', 'pytest tests/integration/']));
  });

  test('snapshot of the main workflow', () => {
    expect(files['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
