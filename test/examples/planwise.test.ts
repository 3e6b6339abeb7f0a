import * as YAML from 'yaml';
import { exampleOutput, exampleYaml, step, stepIndex } from './support';

const files = exampleOutput('planwise');
const wf = exampleYaml('planwise', '.github/workflows/ci.yml');
const jobs = wf.jobs;
const GATES = ['lint', 'api-tests', 'reco-tests', 'image-scan'];
const STAGES: Array<[string, string, string]> = [
  // environment, namespace, branch
  ['dev', 'planwise-dev', 'develop'],
  ['staging', 'planwise-staging', 'main'],
  ['production', 'planwise-production', 'main'],
];

describe('examples/planwise (seed 000) feature by feature', () => {
  test('CI/CD Pipeline on pushes and pull requests to main and develop', () => {
    expect(wf.name).toBe('CI/CD Pipeline');
    expect(wf.on.push.branches).toEqual(['main', 'develop']);
    expect(wf.on.pull_request.branches).toEqual(['main', 'develop']);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('lint: black, isort (black profile), flake8, mypy, one step each, after the Python 3.10 setup', () => {
    const runs = jobs.lint.steps.filter((s: any) => s.run).map((s: any) => s.run);
    expect(runs).toEqual([
      'python -m pip install flake8 black isort mypy pytest pytest-cov -r api/requirements.txt -r reco/requirements.txt',
      'black --check .',
      'isort --check-only --profile black .',
      'flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics',
      'mypy api/src reco/src',
    ]);
    expect(step(jobs.lint, /^Set up Python/).with['python-version']).toBe('3.10');
  });

  test('API tests in api/ against a PostgreSQL 13 service, with coverage uploaded to Codecov', () => {
    const job = jobs['api-tests'];
    expect(job.services.postgres).toMatchObject({
      image: 'postgres:13@sha256:4689940c683801b4ab839ab3b0a0a3555a5fe425371422310944e89eca7d8068',
      env: { POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'test_db' },
      ports: ['5432:5432'],
    });
    expect(job.services.postgres.options).toBe('--health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5');
    expect(job.env).toEqual({ DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/test_db', SECRET_KEY: 'testing_secret_key', ENV: 'test' });
    expect(job.defaults.run['working-directory']).toBe('api');
    // the shared install runs in the repository root, the tests in api/
    expect(step(job, /^Install dependencies$/)['working-directory']).toBe('.');
    expect(step(job, /^pytest --cov=src/).run).toBe('pytest --cov=src --cov-report=xml');
    expect(step(job, /^Write the coverage report$/).run).toBe('coverage xml -o test-reports/coverage-api-tests.xml');
    const codecov = step(job, /Codecov/);
    expect(codecov.uses).toMatch(/^codecov\/codecov-action@[0-9a-f]{40}$/);
    expect(codecov.with.files).toBe('api/test-reports/coverage-api-tests.xml');
    expect(jobs['reco-tests'].defaults.run['working-directory']).toBe('reco');
    expect(step(jobs['reco-tests'], /run_tests/).run).toBe('python tests/run_tests.py');
  });

  test('two images (API, Streamlit) built once with the GitHub Actions cache, pushed only outside pull requests', () => {
    const api = step(jobs.build, /^Build planwise-api$/);
    const web = step(jobs.build, /^Build planwise-streamlit$/);
    expect(api.with).toMatchObject({ 'context': './api', 'cache-from': 'type=gha,scope=planwise-api', 'cache-to': 'type=gha,mode=max,scope=planwise-api' });
    expect(web.with).toMatchObject({ 'context': './reco/streamlit', 'cache-from': 'type=gha,scope=planwise-streamlit', 'cache-to': 'type=gha,mode=max,scope=planwise-streamlit' });
    for (const s of [api, web]) expect(s.with.push).toBe(true);
    expect(jobs.build.if).toBe("github.event_name != 'pull_request'");
    expect(jobs.build.permissions).toEqual({ contents: 'read', packages: 'write' });
    // pull requests build the same images in a read-only job, without pushing or writing the cache
    const pr = jobs['build-pull-request'];
    expect(pr.if).toBe("github.event_name == 'pull_request'");
    expect(pr.permissions).toBeUndefined();
    for (const s of [step(pr, /^Build planwise-api$/), step(pr, /^Build planwise-streamlit$/)]) {
      expect(s.with.push).toBe(false);
      expect(s.with['cache-to']).toBeUndefined();
    }
    expect(Object.keys(jobs.build.outputs).sort()).toEqual(['digest-planwise-api', 'digest-planwise-streamlit', 'image-planwise-api', 'image-planwise-streamlit']);
    expect(jobs['image-scan'].needs).toBe('build');
    expect(jobs['image-scan'].if).toBe("github.event_name != 'pull_request'");
  });

  test('the seed\'s lint -> test -> build chain: gates and build run in parallel, and every deploy waits for all of them', () => {
    for (const gate of ['lint', 'api-tests', 'reco-tests']) expect(jobs[gate].needs).toBeUndefined();
    expect(jobs.build.needs).toBeUndefined();
    for (const [env] of STAGES) expect(jobs[`deploy-${env}`].needs).toEqual(expect.arrayContaining([...GATES, 'build']));
  });

  test('dev, staging, production: develop deploys dev; main deploys staging, then production behind its reviewers', () => {
    for (const [env, ns, branch] of STAGES) {
      const job = jobs[`deploy-${env}`];
      expect(job.if).toBe(`(github.event_name == 'push') && (github.ref == 'refs/heads/${branch}')`);
      expect(job.environment).toBe(env);
      expect(job.concurrency).toEqual({ 'group': `deploy-${env}`, 'cancel-in-progress': false });
      expect(step(job, /^Connect to the .* cluster$/).env.KUBECONFIG_CONTENT).toBe(`\${{ secrets.KUBECONFIG_${env.toUpperCase()} }}`);
      expect(step(job, /^Deploy planwise-api to /).env.SLIPWAY_NAMESPACE).toBe(ns);
      expect(files).toHaveProperty([`deploy/helm/planwise-api/values-${env}.yaml`]);
    }
    // staging does not wait for dev (another branch); production waits for staging
    expect(jobs['deploy-staging'].needs).not.toContain('deploy-dev');
    expect(jobs['deploy-production'].needs).toContain('deploy-staging');
    // the same digest everywhere
    for (const [env] of STAGES) {
      expect(step(jobs[`deploy-${env}`], /^Deploy planwise-api to /).env.SLIPWAY_IMAGE_DIGEST).toBe('${{ needs.build.outputs.digest-planwise-api }}');
    }
  });

  test('Alembic migrations run as a Kubernetes Job with the API image and secrets, before the new code deploys', () => {
    const template = files['deploy/helm/planwise-api/templates/migration-expand-job.yaml'];
    expect(template).toMatch(/- command:\n\s+- alembic\n\s+- upgrade\n\s+- head/);
    expect(template).toMatch(/secretKeyRef:\n\s+key: url\n\s+name: planwise-db/);
    for (const [env] of STAGES) {
      const job = jobs[`deploy-${env}`];
      const migrate = stepIndex(job, /^Migrate planwise-api \(expand\)$/);
      expect(migrate).toBeGreaterThan(-1);
      expect(migrate).toBeLessThan(stepIndex(job, /^Deploy planwise-api/));
      expect(step(job, /^Migrate planwise-api/)).toMatchObject({
        run: 'exec bash .github/slipway/helm-release.sh migrate expand',
        env: { SLIPWAY_MIGRATION_TEMPLATE: 'templates/migration-expand-job.yaml', SLIPWAY_MIGRATION_JOB: expect.stringMatching(/^planwise-api-migrate-expand/) },
      });
    }
  });

  test('blue-green API in production: preview, health check, traffic switch, old version removed after 10 minutes', () => {
    expect(YAML.parse(files['deploy/helm/planwise-api/values-production.yaml'])).toEqual({
      rollout: { strategy: 'argo-blue-green' },
      blueGreen: { autoPromotion: false, scaleDownDelaySeconds: 600 },
    });
    const rollout = files['deploy/helm/planwise-api/templates/rollout.yaml'];
    expect(rollout).toContain('kind: Rollout');
    expect(rollout).toContain('previewService: "{{ .Release.Name }}-preview"');
    const job = jobs['deploy-production'];
    const order = [
      /^Install the Argo Rollouts kubectl plugin/, /^Migrate planwise-api/, /^Deploy planwise-api to production \(Argo Rollouts\)$/,
      /^Smoke test planwise-api \(preview\)/, /^Switch planwise-api traffic to the new release$/, /^Smoke test planwise-api \(release\)/,
    ].map((re) => stepIndex(job, re));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(step(job, /^Smoke test planwise-api \(preview\)/)).toMatchObject({
      run: 'exec bash .github/slipway/cluster-check.sh smoke planwise-api-preview /health', env: { SLIPWAY_NAMESPACE: 'planwise-production' },
    });
    expect(step(job, /^Switch planwise-api traffic/)).toMatchObject({
      run: 'exec bash .github/slipway/helm-release.sh promote', env: { SLIPWAY_STRATEGY: 'argo-blue-green', SLIPWAY_ROLLOUT: 'planwise-api' },
    });
  });

  test('the Streamlit app is updated in place and verified, also in production', () => {
    for (const env of ['dev', 'staging', 'production']) {
      expect(YAML.parse(files[`deploy/helm/planwise-streamlit/values-${env}.yaml`]).rollout.strategy).toBe('rolling');
    }
    expect(files).not.toHaveProperty(['deploy/helm/planwise-streamlit/templates/rollout.yaml']);
    const job = jobs['deploy-production'];
    expect(step(job, /^Deploy planwise-streamlit to production$/).env.SLIPWAY_STRATEGY).toBe('rolling');
    expect(stepIndex(job, /^Smoke test planwise-streamlit \(release\)/)).toBeGreaterThan(stepIndex(job, /^Deploy planwise-streamlit/));
  });

  test('post-deploy health checks: every application is probed in-cluster after every deploy', () => {
    for (const [env, ns] of STAGES) {
      const job = jobs[`deploy-${env}`];
      expect(step(job, /^Smoke test planwise-api \(release\)/)).toMatchObject({ run: 'exec bash .github/slipway/cluster-check.sh smoke planwise-api /health', env: { SLIPWAY_NAMESPACE: ns } });
      expect(step(job, /^Smoke test planwise-streamlit \(release\)/).run).toBe('exec bash .github/slipway/cluster-check.sh smoke planwise-streamlit /_stcore/health');
    }
  });

  test('automatic rollback on a failed deploy or health check, never of the schema; alerts on failure and rollback', () => {
    for (const [env] of STAGES) {
      const job = jobs[`deploy-${env}`];
      for (const a of ['planwise-api', 'planwise-streamlit']) {
        const rb = step(job, new RegExp(`^Roll back ${a} in ${env}$`));
        expect(rb).toMatchObject({ if: 'failure() || cancelled()', run: 'exec bash .github/slipway/helm-release.sh rollback', env: { SLIPWAY_RELEASE: a } });
      }
      expect(job.outputs.rolled_back).toBe('${{ steps.report.outputs.rolled_back }}');
    }
    expect(step(jobs['deploy-production'], /^Roll back planwise-api/).env.SLIPWAY_STRATEGY).toBe('argo-blue-green');
    expect(jobs.notify.if).toBe('always()');
    expect(jobs.notify.needs).toEqual(expect.arrayContaining(['deploy-dev', 'deploy-staging', 'deploy-production']));
    expect(step(jobs.notify, /rollback/).env.SLACK_WEBHOOK_URL).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
  });

  test('manual rollback from the Actions UI: pick an environment (and a revision), serialized with its deploys', () => {
    const rb = exampleYaml('planwise', '.github/workflows/rollback.yml');
    expect(rb.on.workflow_dispatch.inputs.environment).toMatchObject({ type: 'choice', options: ['dev', 'staging', 'production'], required: true });
    expect(rb.on.workflow_dispatch.inputs.revision.type).toBe('string');
    for (const [env, ns] of STAGES) {
      const job = rb.jobs[`rollback-${env}`];
      expect(job.if).toBe(`inputs.environment == '${env}'`);
      expect(job.environment).toBe(env);
      expect(job.concurrency.group).toBe(`deploy-${env}`);
      const api = step(job, /^Roll back planwise-api/);
      expect(api.env.REVISION).toBe('${{ inputs.revision }}');
      expect(api.run).toContain(`helm rollback planwise-api $REVISION --namespace ${ns}`);
    }
    expect(step(rb.jobs['rollback-production'], /^Roll back planwise-api/).run).toContain('kubectl argo rollouts promote planwise-api');
    expect(step(rb.jobs['rollback-staging'], /^Roll back planwise-api/).run).not.toContain('argo');
  });

  test('PR checks: semantic title and size label, each with only its token scopes', () => {
    const pr = exampleYaml('planwise', '.github/workflows/pr-checks.yml');
    expect(pr.on.pull_request.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'reopened']));
    expect(pr.permissions).toEqual({});
    expect(pr.jobs['semantic-title'].steps[0].uses).toMatch(/^amannn\/action-semantic-pull-request@[0-9a-f]{40}$/);
    expect(pr.jobs['semantic-title'].permissions).toEqual({ 'pull-requests': 'read' });
    expect(pr.jobs['size-label'].steps[0].uses).toMatch(/^codelytv\/pr-size-labeler@[0-9a-f]{40}$/);
    expect(pr.jobs['size-label'].steps[0].with.GITHUB_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
  });

  test('security considerations: Dependabot for pip, Docker and actions; container scanning with SARIF', () => {
    const deps = exampleYaml('planwise', '.github/dependabot.yml');
    expect(deps.updates.map((u: any) => `${u['package-ecosystem']} ${u.directory}`)).toEqual([
      'github-actions /', 'pip /', 'docker /api', 'docker /reco/streamlit',
    ]);
    expect(jobs['image-scan'].permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
    expect(JSON.stringify(jobs['image-scan'].steps)).toContain('upload-sarif');
  });

  test('every action is pinned to a commit SHA', () => {
    let pinned = 0;
    for (const [file, content] of Object.entries(files)) {
      if (!file.startsWith('.github/workflows/')) continue;
      const doc = YAML.parse(content);
      for (const job of Object.values<any>(doc.jobs)) {
        for (const s of job.steps) {
          if (!s.uses) continue;
          expect(s.uses).toMatch(/^[^@]+@[0-9a-f]{40}$/);
          pinned++;
        }
      }
    }
    expect(pinned).toBeGreaterThan(10);
  });

  test('snapshot of the main workflow', () => {
    expect(files['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
