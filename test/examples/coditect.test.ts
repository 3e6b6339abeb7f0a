import * as YAML from 'yaml';
import { exampleOutput, exampleYaml, step, stepIndex } from './support';

const wf = exampleYaml('coditect', '.github/workflows/ci.yml');
const jobs = wf.jobs;

describe('examples/coditect (seed 002) feature by feature', () => {
  test('triggers: push to main and develop, pull requests to main, manual runs', () => {
    expect(wf.on.push.branches).toEqual(['main', 'develop']);
    expect(wf.on.pull_request.branches).toEqual(['main']);
    expect(wf.on).toHaveProperty('workflow_dispatch');
  });

  test('the image is built once with the GitHub Actions cache and pushed only outside pull requests', () => {
    const build = step(jobs.build, /^Build context-api$/);
    expect(build.with.file).toBe('docker/Dockerfile.app');
    expect(build.with['cache-from']).toBe('type=gha,scope=context-api');
    expect(build.with.push).toBe(true);
    expect(jobs.build.if).toBe("github.event_name != 'pull_request'");
    expect(step(jobs['build-pull-request'], /^Build context-api$/).with.push).toBe(false);
    expect(build.with.tags).toBe('docker.io/coditect/context-app:${{ github.sha }}');
    expect(step(jobs.build, /Log in to Docker Hub/).with.password).toBe('${{ secrets.DOCKER_PASSWORD }}');
  });

  test('quality gates: ruff/black/mypy, unit tests with an 80% coverage gate, integration tests on Postgres and Redis after migrations, Bandit and Safety', () => {
    expect(jobs.lint.steps.map((s: any) => s.run)).toEqual(expect.arrayContaining(['ruff check .', 'black --check .', 'mypy core/']));
    expect(JSON.stringify(jobs['unit-tests'].steps)).toContain('--fail-under=80');
    expect(Object.keys(jobs['integration-tests'].services).sort()).toEqual(['postgres', 'redis']);
    expect(jobs['integration-tests'].services.postgres.image).toBe('postgres:15@sha256:9b1d34adbce1dd07ee6e94b4a2cf698884b89bd44a6c9c12f5da8f3acbfe4957');
    expect(jobs['integration-tests'].services.redis.image).toBe('redis:7@sha256:71da9275c5f3fcb97d0fa0c8c5b36cc995327265420f17a04bfd544f458059f7');
    expect(jobs['integration-tests'].services.postgres.options).toMatch(/--health-cmd/);
    const runs = jobs['integration-tests'].steps.map((s: any) => s.run ?? '');
    expect(runs.findIndex((r: string) => r.includes('alembic upgrade head'))).toBeLessThan(runs.findIndex((r: string) => r.includes('pytest tests/integration/')));
    expect(JSON.stringify(jobs['security-scan'].steps)).toMatch(/bandit/);
    expect(JSON.stringify(jobs['security-scan'].steps)).toMatch(/safety/);
    for (const gate of ['lint', 'unit-tests', 'integration-tests', 'security-scan']) expect(jobs[gate].needs).toBeUndefined();
  });

  test('staging: Helm with --wait --timeout 5m, smoke test, then load test (p95 < 100 ms) and DAST before production', () => {
    const deploy = step(jobs['deploy-staging'], /^Deploy context-api to staging$/);
    expect(deploy.run).toBe('exec bash .github/slipway/helm-release.sh deploy 100');
    expect(deploy.env).toMatchObject({
      SLIPWAY_RELEASE: 'context-api',
      SLIPWAY_NAMESPACE: 'staging',
      SLIPWAY_CHART: 'deploy/helm/context-api',
      SLIPWAY_VALUES: 'deploy/helm/context-api/values-staging.yaml',
      SLIPWAY_STRATEGY: 'rolling',
      SLIPWAY_TIMEOUT: '300',
    });
    expect(stepIndex(jobs['deploy-staging'], /^Smoke test context-api/)).toBeGreaterThan(stepIndex(jobs['deploy-staging'], /^Deploy context-api/));
    expect(jobs['load-test-staging'].needs).toBe('deploy-staging');
    expect(JSON.stringify(jobs['load-test-staging'])).toContain('p(95)<100');
    expect(jobs['dast-staging'].needs).toBe('deploy-staging');
    expect(jobs['deploy-production'].needs).toEqual(expect.arrayContaining(['deploy-staging', 'load-test-staging', 'dast-staging']));
  });

  test('production: approval, canary 10% -> 50% -> 100% with bake, health and metric gates, automatic rollback', () => {
    const job = jobs['deploy-production'];
    expect(job.environment).toEqual({ name: 'production', url: 'https://context.coditect.ai' });
    const order = [
      /^Migrate context-api \(expand\)/, /^Migrate context-api \(migrate\)/,
      /10% canary$/, /^Bake context-api at 10%/, /^Smoke test context-api \(10% canary\)/, /^Metric gate .* at 10%/,
      /^Shift 50%/, /^Bake context-api at 50%/, /^Smoke test context-api \(50% canary\)/, /^Metric gate .* at 50%/,
      /^Promote context-api to 100%/, /^Smoke test context-api at https:\/\/context.coditect.ai\/health/,
      /^Migrate context-api \(contract\)/, /^Roll back context-api in production/,
    ].map((re) => stepIndex(job, re));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(step(job, /10% canary$/)).toMatchObject({ run: 'exec bash .github/slipway/helm-release.sh deploy 10', env: { SLIPWAY_STRATEGY: 'nginx-canary' } });
    expect(step(job, /^Shift 50%/).run).toBe('exec bash .github/slipway/helm-release.sh set-weight 50');
    expect(step(job, /^Bake context-api at 10%/).run).toBe('sleep 300');
    expect(step(job, /^Metric gate .* at 10%/).env.SLIPWAY_GATE_QUERY).toContain('service="context-api-canary"');
    const rollback = step(job, /^Roll back context-api in production/);
    expect(rollback.if).toBe('failure() || cancelled()');
    expect(rollback.run).toBe('exec bash .github/slipway/helm-release.sh rollback');
    expect(step(job, /^Migrate context-api \(contract\)/).if).toBeUndefined();
  });

  test('the same application on Cloud Run: canary with tagged revisions, migration jobs, JSON-key auth, rollback', () => {
    const job = jobs['deploy-coditect'];
    // coditect requires only staging: it deploys beside production, not after it
    expect(job.needs).toEqual(expect.arrayContaining(['build', 'deploy-staging', 'load-test-staging', 'dast-staging']));
    expect(job.needs).not.toContain('deploy-production');
    expect(step(job, /Authenticate to Google Cloud/).with.credentials_json).toBe('${{ secrets.GCP_SA_KEY }}');
    const runs = job.steps.map((s: any) => s.run);
    expect(runs).toEqual(expect.arrayContaining([
      'exec bash .github/slipway/cloud-run.sh deploy', 'exec bash .github/slipway/cloud-run.sh shift 10', 'exec bash .github/slipway/cloud-run.sh shift 50',
      'exec bash .github/slipway/cloud-run.sh migrate expand coditect-backend-migrate-expand context-api-migrate-expand.coditect.job.yaml',
    ]));
    expect(step(job, /^Deploy coditect-backend/).env.SLIPWAY_TAG).toBe('canary');
    expect(step(job, /^Roll back/).if).toBe('failure() || cancelled()');
    const svc = YAML.parse(exampleOutput('coditect')['deploy/cloudrun/context-api.coditect.service.yaml']);
    expect(svc.metadata.name).toBe('coditect-backend');
    expect(svc.metadata.labels['cloud.googleapis.com/location']).toBe('us-central1');
  });

  test('Helm chart: one chart, a values file per Kubernetes environment, canary objects for production', () => {
    const files = exampleOutput('coditect');
    expect(YAML.parse(files['deploy/helm/context-api/values-production.yaml']).rollout.strategy).toBe('nginx-canary');
    expect(YAML.parse(files['deploy/helm/context-api/values-staging.yaml']).rollout.strategy).toBe('rolling');
    expect(files['deploy/helm/context-api/templates/canary-ingress.yaml']).toContain('nginx.ingress.kubernetes.io/canary-weight');
  });

  test('Slack on failure and rollback; least privilege everywhere', () => {
    expect(jobs.notify.needs).toEqual(expect.arrayContaining(['deploy-production', 'deploy-coditect']));
    expect(JSON.stringify(jobs.notify)).toContain('secrets.SLACK_WEBHOOK');
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(jobs['image-scan'].permissions).toMatchObject({ 'security-events': 'write' });
  });

  test('snapshot of the main workflow', () => {
    expect(exampleOutput('coditect')['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
