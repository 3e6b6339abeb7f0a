import * as YAML from 'yaml';
import { exampleOutput, exampleYaml, step, stepIndex } from './support';

const NAME = 'kitchen';
const wf = exampleYaml(NAME, '.github/workflows/ci.yml');
const jobs = wf.jobs;
const GATES = ['lint', 'iac-scan', 'security-scan', 'unit-tests'];
const ON_MAIN = "(github.event_name == 'push') && (github.ref == 'refs/heads/main')";
const IMAGE = 'europe-west1-docker.pkg.dev/kitchen-platform/kitchen/api';

describe('examples/kitchen (seed 004) feature by feature', () => {
  test('one workflow, a Cloud Run service spec per environment, no Helm chart', () => {
    const files = Object.keys(exampleOutput(NAME)).filter((f) => !f.startsWith('.slipway/')).sort();
    expect(files).toEqual([
      '.github/slipway/cloud-run.sh',
      '.github/slipway/lib.sh',
      '.github/slipway/report.sh',
      '.github/slipway/smoke-test.sh',
      '.github/workflows/ci.yml',
      'deploy/cloudrun/api.production.service.yaml',
      'deploy/cloudrun/api.staging.service.yaml',
      'docs/pipelines/ci.md',
    ]);
  });

  test('GitHub Flow triggers: pull requests into main and pushes to feature/*; deploys only from main', () => {
    expect(wf.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main', 'feature/*'] } });
    for (const id of ['deploy-staging', 'integration-tests-staging', 'load-test-staging', 'deploy-production']) expect(jobs[id].if).toBe(ON_MAIN);
    // a newer push to a pull request cancels its older run; runs on main are never cancelled
    expect(wf.concurrency.group).toBe("ci-${{ github.event_name == 'pull_request' && github.ref || github.run_id }}");
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('CI: checkout and Python with the dependencies in every check, all checks in parallel, each a status on the PR', () => {
    for (const gate of GATES) {
      expect(jobs[gate].needs).toBeUndefined();
      expect(jobs[gate].if).toBeUndefined();
      expect(jobs[gate].steps[0].uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
      expect(step(jobs[gate], /^Set up Python/).with['python-version']).toBe('3.12');
    }
    for (const gate of ['lint', 'security-scan', 'unit-tests']) {
      expect(step(jobs[gate], /^Install dependencies$/).run).toBe('pip install -r requirements.txt -r requirements-dev.txt');
    }
  });

  test('static testing: flake8, black, mypy; tflint and Checkov on the Terraform; Bandit', () => {
    expect(jobs.lint.steps.map((s: any) => s.run).filter((r: string) => r && !r.startsWith('pip '))).toEqual(['flake8 .', 'black --check .', 'mypy .']);
    const tflint = step(jobs['iac-scan'], /^Run tflint$/).run.split('\n');
    expect(tflint[1]).toMatch(/ghcr\.io\/terraform-linters\/tflint:v0\.64\.0@sha256:[0-9a-f]{64} --chdir=infra --init$/);
    expect(tflint[2]).toMatch(/--chdir=infra --recursive --format=compact$/);
    expect(step(jobs['iac-scan'], /^Run Checkov$/).run).toMatch(/^checkov -d infra --framework terraform /);
    expect(step(jobs['security-scan'], /^Run bandit$/).run).toMatch(/^bandit -r \. /);
    expect(step(jobs['iac-scan'], /^Upload reports$/).if).toBe('!cancelled()');
  });

  test('unit tests for the API, the data processing scripts and the ML pipeline components, one step each', () => {
    const runs = jobs['unit-tests'].steps.filter((s: any) => /^pytest/.test(s.run ?? '')).map((s: any) => s.run);
    expect(runs).toEqual(['pytest tests/unit/api -v', 'pytest tests/unit/data_processing -v', 'pytest tests/unit/ml_pipeline -v']);
  });

  test('the Docker image is built on pull requests too (in a read-only job), and pushed once (tagged with the commit) only outside them', () => {
    const build = step(jobs.build, /^Build api$/);
    expect(jobs.build.needs).toBeUndefined();
    expect(build.with.push).toBe(true);
    expect(jobs.build.if).toBe("github.event_name != 'pull_request'");
    expect(jobs.build.permissions['id-token']).toBe('write');
    expect(step(jobs['build-pull-request'], /^Build api$/).with.push).toBe(false);
    expect(jobs['build-pull-request'].permissions).toBeUndefined();
    expect(JSON.stringify(jobs['build-pull-request'].steps)).not.toMatch(/Authenticate to Google Cloud/);
    expect(build.with.tags).toBe(`${IMAGE}:\${{ github.sha }}`);
    expect(build.with.file).toBe('services/api/Dockerfile');
    expect(step(jobs.build, /^Authenticate to Google Cloud$/).if).toBeUndefined();
    expect(jobs.build.outputs['digest-api']).toBe('${{ steps.build-api.outputs.digest }}');
  });

  test('staging: after every check and the build; Terraform apply and the DAGs before the service is updated', () => {
    const d = jobs['deploy-staging'];
    expect(d.needs).toEqual([...GATES, 'build']);
    expect(d.environment).toEqual({ name: 'staging', url: 'https://api.staging.kitchen.example' });
    const before = step(d, /^Before deploying to staging$/);
    const [init, apply, dags] = before.run.split('\n');
    expect(init).toMatch(/-w "\$PWD\/infra\/environments\/staging" .*hashicorp\/terraform:1\.9\.8@sha256:[0-9a-f]{64} init -input=false$/);
    expect(apply).toMatch(/-e GOOGLE_APPLICATION_CREDENTIALS .*hashicorp\/terraform:1\.9\.8@sha256:[0-9a-f]{64} apply -input=false -auto-approve$/);
    expect(dags).toBe('gcloud storage rsync airflow/dags gs://kitchen-staging-airflow/dags --recursive --delete-unmatched-destination-objects');
    expect(before.env.SLIPWAY_IMAGE_API).toBe('${{ needs.build.outputs.image-api }}');
    expect(stepIndex(d, /^Before deploying/)).toBeGreaterThan(stepIndex(d, /^Authenticate to Google Cloud/));
    expect(stepIndex(d, /^Before deploying/)).toBeLessThan(stepIndex(d, /^Deploy kitchen-api$/));
    expect(step(d, /^Render the Cloud Run specs/).env.SLIPWAY_IMAGE_DIGEST).toBe('${{ needs.build.outputs.digest-api }}');
    expect(step(d, /^Deploy kitchen-api$/)).toMatchObject({
      run: 'exec bash .github/slipway/cloud-run.sh deploy', env: { SLIPWAY_SPEC_FILE: 'api.staging.service.yaml', SLIPWAY_PROJECT: 'kitchen-staging' },
    });
    expect(step(d, /^Smoke test api/).env.SMOKE_URL).toBe('https://api.staging.kitchen.example/health');
    expect(step(d, /^Roll back kitchen-api$/).if).toBe('failure() || cancelled()');
  });

  test('integration tests (API and end-to-end on sample data) and a Locust load test run against staging', () => {
    const it = jobs['integration-tests-staging'];
    expect(it.needs).toBe('deploy-staging');
    expect(it.env).toEqual({ TARGET_URL: 'https://api.staging.kitchen.example' });
    expect(it.steps.map((s: any) => s.run).filter((r: string) => r && !r.startsWith('pip '))).toEqual([
      'pytest tests/integration/ -v', 'python -m pipelines.e2e --sample-data',
    ]);
    const load = jobs['load-test-staging'];
    expect(load.needs).toBe('deploy-staging');
    const locust = step(load, /^Load test with Locust/);
    expect(locust.run).toContain('locust -f tests/load/locustfile.py --headless');
    expect(locust.run).toContain('--users 50');
    expect(locust.run).toContain('--run-time 300s');
    expect(locust.env.TARGET_URL).toBe('https://api.staging.kitchen.example');
    expect(step(load, /^Require p95 < 500 ms/).run).toContain('P95_LIMIT_MS = 500');
  });

  test('manual approval: production waits for staging, its tests and the reviewers of the production environment', () => {
    const d = jobs['deploy-production'];
    expect(d.needs).toEqual([...GATES, 'build', 'deploy-staging', 'integration-tests-staging', 'load-test-staging']);
    expect(d.environment).toEqual({ name: 'production', url: 'https://api.kitchen.example' });
    expect(d.concurrency).toEqual({ 'group': 'deploy-production', 'cancel-in-progress': false });
  });

  test('production deploys the same artifacts: the digest built once, the same commit\'s Terraform, no rebuild', () => {
    const d = jobs['deploy-production'];
    expect(step(d, /^Render the Cloud Run specs/).env.SLIPWAY_IMAGE_DIGEST).toBe('${{ needs.build.outputs.digest-api }}');
    expect(JSON.stringify(d.steps)).not.toMatch(/build-push-action|docker build/);
    const [init, apply] = step(d, /^Before deploying to production$/).run.split('\n');
    expect(init).toContain('-w "$PWD/infra/environments/production"');
    expect(apply).toMatch(/apply -input=false -auto-approve$/);
    const checkout = step(d, /^Check out$/);
    expect(checkout.with?.ref).toBeUndefined(); // the commit of the run, as staging
  });

  test('progressive rollout: a revision without traffic, 10% and 50% with 10-minute bakes and checks, then 100% and smoke tests', () => {
    const d = jobs['deploy-production'];
    const order = [
      /^Before deploying to production$/, /^Deploy kitchen-api without traffic \(tag canary\)$/, /^Check the canary revision/,
      /^Shift 10% of kitchen-api to canary$/, /^Bake api at 10% for 600s$/,
      /^Shift 50% of kitchen-api to canary$/, /^Bake api at 50% for 600s$/,
      /^Promote kitchen-api to 100%$/, /^Check kitchen-api$/, /^Smoke test api at https:\/\/api.kitchen.example$/,
      /^Roll back kitchen-api$/,
    ].map((re) => stepIndex(d, re));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(step(d, /^Shift 10%/)).toMatchObject({
      run: 'exec bash .github/slipway/cloud-run.sh shift 10', env: { SLIPWAY_SERVICE: 'kitchen-api', SLIPWAY_PROJECT: 'kitchen-production', SLIPWAY_REGION: 'europe-west1' },
    });
    expect(step(d, /^Bake api at 10%/).run).toBe('sleep 600');
    expect(step(d, /^Promote kitchen-api/).run).toBe('exec bash .github/slipway/cloud-run.sh promote');
    expect(step(d, /^Roll back kitchen-api$/).run).toBe('exec bash .github/slipway/cloud-run.sh rollback');
    const svc = YAML.parse(exampleOutput(NAME)['deploy/cloudrun/api.production.service.yaml']);
    expect(svc.metadata.name).toBe('kitchen-api');
    expect(svc.metadata.namespace).toBe('kitchen-production');
    expect(svc.spec.traffic).toEqual([
      { latestRevision: true, percent: 100 },
      { revisionName: 'kitchen-api-f96257', percent: 0, tag: 'canary' },
    ]);
  });

  test('staging gets the same image all at once, on its own project', () => {
    const svc = YAML.parse(exampleOutput(NAME)['deploy/cloudrun/api.staging.service.yaml']);
    expect(svc.metadata.namespace).toBe('kitchen-staging');
    expect(svc.spec.template.spec.containers[0].image).toBe(`${IMAGE}:set-by-deploy`);
    expect(svc.spec.template.spec.containers[0].startupProbe.httpGet.path).toBe('/health');
    expect(JSON.stringify(jobs['deploy-staging'].steps)).not.toContain('update-traffic kitchen-api --project=kitchen-staging --region=europe-west1 --to-tags');
  });

  test('snapshot of the main workflow', () => {
    expect(exampleOutput(NAME)['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
