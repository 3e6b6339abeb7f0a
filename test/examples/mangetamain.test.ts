import { exampleOutput, exampleYaml, step, stepIndex } from './support';

const NAME = 'mangetamain';
const ci = exampleYaml(NAME, '.github/workflows/ci.yml');
const prod = exampleYaml(NAME, '.github/workflows/ci-prod.yml');
const health = exampleYaml(NAME, '.github/workflows/health-check.yml');
const docs = exampleYaml(NAME, '.github/workflows/documentation.yml');
const jobs = ci.jobs;
const SELF_HOSTED = ['self-hosted', 'Linux', 'X64'];
const GATES = ['quality', 'tests', 'infrastructure-tests'];
const FAILED = "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')";

describe('examples/mangetamain (seed 003) feature by feature', () => {
  test('the five workflows of the seed, and nothing to deploy to Kubernetes or Cloud Run', () => {
    expect(Object.keys(exampleOutput(NAME)).filter((f) => f.startsWith('.github/')).sort()).toEqual([
      // the deploy scripts of a custom target: release tags, smoke tests, the outcome report
      '.github/slipway/lib.sh',
      '.github/slipway/release-marker.sh',
      '.github/slipway/report.sh',
      '.github/slipway/smoke-test.sh',
      '.github/workflows/ci-prod.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/documentation.yml',
      '.github/workflows/health-check.yml',
    ]);
    expect(Object.keys(exampleOutput(NAME)).filter((f) => f.startsWith('deploy/'))).toEqual([]);
  });

  test('CI triggers: push to main, pull requests into main, and manual runs', () => {
    expect(ci.name).toBe('CI/CD Pipeline');
    expect(ci.on.push).toEqual({ branches: ['main'] });
    expect(ci.on.pull_request).toEqual({ branches: ['main'] });
    expect(ci.on).toHaveProperty('workflow_dispatch');
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  test('CI jobs run on GitHub-hosted runners, in parallel, with Python 3.13.7, uv and its cache', () => {
    for (const gate of GATES) {
      expect(jobs[gate]['runs-on']).toBe('ubuntu-latest');
      expect(jobs[gate].needs).toBeUndefined();
      expect(step(jobs[gate], /^Set up Python/).with['python-version']).toBe('3.13.7');
      expect(step(jobs[gate], /^Install dependencies$/).run).toBe('uv sync --locked');
      expect(step(jobs[gate], /^Cache uv downloads$/).with.key).toBe("uv-${{ runner.os }}-python-3.13.7-${{ hashFiles('uv.lock') }}");
    }
  });

  test('job 1, Quality Checks: flake8 (88 columns), black, pydocstyle (Google style), mypy in warning mode', () => {
    const q = jobs.quality;
    expect(q.name).toBe('Quality Checks');
    expect(step(q, /^flake8/).run).toBe('flake8 src/ tests/ --max-line-length=88');
    expect(step(q, /^black/).run).toBe('black --check src/ tests/');
    expect(step(q, /^pydocstyle/).run).toBe('pydocstyle --convention=google src/');
    for (const blocking of [/^flake8/, /^black/, /^pydocstyle/]) expect(step(q, blocking)['continue-on-error']).toBeUndefined();
    expect(step(q, /^mypy/)['continue-on-error']).toBe(true);
    expect(stepIndex(q, /^mypy/)).toBe(q.steps.length - 1);
  });

  test('job 2, Preprod Tests: the seed\'s pytest command, a 90% coverage gate, the HTML report kept 30 days', () => {
    const t = jobs.tests;
    expect(t.name).toBe('Preprod Tests');
    expect(step(t, /^pytest/).run).toBe('pytest tests/ -v --cov=src --cov-report=html --cov-fail-under=90');
    const gate = step(t, /^Require 90% coverage$/);
    expect(gate.run).toBe('coverage report --fail-under=90');
    expect(gate.if).toBeUndefined();
    const upload = step(t, /^Upload reports$/);
    expect(upload.with.path.split('\n').filter(Boolean)).toEqual(['test-reports/', 'htmlcov/']);
    expect(upload.with['retention-days']).toBe(30);
    expect(upload.if).toBe('!cancelled()');
  });

  test('job 3, Infrastructure Tests: S3/DuckDB/SQL tests of 50_test/ that may fail without failing CI', () => {
    const infra = jobs['infrastructure-tests'];
    expect(infra['continue-on-error']).toBe(true);
    expect(step(infra, /^pytest/).run).toBe('pytest 50_test/ -v');
  });

  test('job 4, Summary: waits for every job whatever its result, reports each, and fails when one failed', () => {
    const s = jobs.summary;
    expect(s.if).toBe('always()');
    expect(s.needs).toEqual([...GATES, 'deploy-preprod', 'validate-preprod']);
    const table = step(s, /run summary/).run;
    for (const j of s.needs) expect(table).toContain(`| ${j} | \${{ needs.${j}.result }} |`);
    expect(table).toMatch(/>> "\$GITHUB_STEP_SUMMARY"$/);
    const fail = step(s, /^Fail when a job failed$/);
    expect(fail.if).toBe(FAILED);
    expect(fail.run).toMatch(/exit 1$/);
  });

  test('CD preprod starts with CI, not after it, on the self-hosted runner, only for main', () => {
    const d = jobs['deploy-preprod'];
    expect(d.needs).toBeUndefined();
    expect(d['runs-on']).toEqual(SELF_HOSTED);
    expect(d.if).toBe("(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && (github.ref == 'refs/heads/main')");
    expect(d.environment).toEqual({ name: 'preprod', url: 'https://mangetamain.lafrance.io' });
    expect(d.concurrency).toEqual({ 'group': 'deploy-preprod', 'cancel-in-progress': false });
  });

  test('deploy first: fetch, reset to the exact commit (not git pull), restart, then 3 health-check attempts', () => {
    const d = jobs['deploy-preprod'];
    expect(d.env.SLIPWAY_SHA).toBe('${{ github.sha }}');
    expect(step(d, /^Deploy to preprod$/).run.split('\n')).toEqual([
      'cd ~/mangetamain/10_preprod',
      'git fetch origin main',
      'git reset --hard "$SLIPWAY_SHA"',
      'docker-compose -f ~/mangetamain/30_docker/docker-compose-preprod.yml restart',
    ]);
    expect(JSON.stringify(d.steps)).not.toContain('git pull');
    const smoke = step(d, /^Smoke test/);
    expect(stepIndex(d, /^Smoke test/)).toBe(stepIndex(d, /^Deploy to preprod$/) + 1);
    expect(smoke).toMatchObject({ run: 'exec bash .github/slipway/smoke-test.sh url "$SMOKE_URL"', env: { SLIPWAY_RETRIES: '3' } });
    expect(smoke.env.SMOKE_URL).toBe('https://mangetamain.lafrance.io/_stcore/health');
    // a failed, cancelled or timed-out deploy returns to the commit recorded before it (the validate job of
    // that commit still judges it)
    expect(step(d, /^Prepare the rollback of preprod$/)).toMatchObject({ if: 'failure() || cancelled()', run: 'exec bash .github/slipway/release-marker.sh prepare-rollback' });
    const rollback = step(d, /^Roll back preprod/);
    expect(rollback.if).toBe("always() && (failure() || cancelled()) && steps.prepare-rollback.outputs.needed == 'true'");
    expect(rollback.run).toContain('git reset --hard "$SLIPWAY_ROLLBACK_SHA"');
  });

  test('watch CI: once every gate finished, mark the commit validated or roll back to the last validated one', () => {
    const v = jobs['validate-preprod'];
    expect(v.needs).toEqual([...GATES, 'deploy-preprod']);
    expect(v.if).toBe("always() && needs.deploy-preprod.result == 'success'");
    expect(v['runs-on']).toEqual(SELF_HOSTED);
    expect(v.concurrency).toEqual({ 'group': 'deploy-preprod', 'cancel-in-progress': false });
    const mark = step(v, /^Record preprod as validated$/);
    expect(mark.if).toBe(`!(${FAILED})`);
    expect(mark.run).toBe('exec bash .github/slipway/release-marker.sh validate');
    expect(step(v, /^Prepare the rollback of preprod$/)).toMatchObject({ if: FAILED, run: 'exec bash .github/slipway/release-marker.sh prepare-revalidate' });
    const rollback = step(v, /^Roll back preprod to the last validated release$/);
    expect(rollback.if).toBe(`always() && (${FAILED}) && steps.prepare-rollback.outputs.needed == 'true'`);
    expect(rollback.run.split('\n').slice(-4)).toEqual([
      'cd ~/mangetamain/10_preprod',
      'git fetch origin main',
      'git reset --hard "$SLIPWAY_ROLLBACK_SHA"',
      'docker-compose -f ~/mangetamain/30_docker/docker-compose-preprod.yml restart',
    ]);
    expect(v.outputs.rolled_back).toBe('${{ steps.report.outputs.rolled_back }}');
    expect(v.permissions).toEqual({ contents: 'write' });
  });

  test('CD production: manual dispatch only, with the typed confirmation DEPLOY', () => {
    expect(Object.keys(prod.on)).toEqual(['workflow_dispatch']);
    expect(prod.on.workflow_dispatch.inputs.confirm).toMatchObject({ required: true, type: 'string' });
    const confirm = step(prod.jobs['confirm-prod'], /^Require "DEPLOY"$/);
    expect(confirm.run).toContain('if [ "$CONFIRMATION" != "DEPLOY" ]; then');
    expect(confirm.env.CONFIRMATION).toBe('${{ inputs.confirm }}');
    expect(prod.jobs['deploy-prod'].needs).toBe('confirm-prod');
    expect(jobs['deploy-prod']).toBeUndefined();
  });

  test('production: self-hosted, status PREPROD vs PROD, only the validated commit, backup, reset, restart, 5 health checks', () => {
    const d = prod.jobs['deploy-prod'];
    expect(d['runs-on']).toEqual(SELF_HOSTED);
    expect(d.environment).toEqual({ name: 'prod', url: 'https://backtothefuturekitchen.lafrance.io' });
    expect(d.env.SLIPWAY_SHA).toBe('${{ inputs.sha || github.sha }}');
    const before = step(d, /^Before deploying to prod$/).run;
    expect(before).toContain('echo "PREPROD validated: $(git rev-parse --short slipway/validated/preprod)"');
    expect(before).toContain('echo "PROD running:      $(git -C ~/mangetamain/20_prod rev-parse --short HEAD)"');
    expect(before).toContain('if [ "$(git rev-parse "$SLIPWAY_SHA")" != "$(git rev-parse slipway/validated/preprod)" ]; then');
    expect(before).toMatch(/tar -czf ~\/mangetamain\/backups\/20_prod-.*\.tar\.gz -C ~\/mangetamain 20_prod$/);
    expect(step(d, /^Deploy to prod$/).run.split('\n')).toEqual([
      'cd ~/mangetamain/20_prod',
      'git fetch origin main',
      'git reset --hard "$SLIPWAY_SHA"',
      'docker-compose -f ~/mangetamain/30_docker/docker-compose-prod.yml restart',
    ]);
    const order = [/^Before deploying to prod$/, /^Deploy to prod$/, /^Smoke test/, /^Record prod deployment$/, /^Roll back prod$/].map((re) => stepIndex(d, re));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(step(d, /^Smoke test/).env.SLIPWAY_RETRIES).toBe('5');
    expect(step(d, /^Smoke test/).env.SMOKE_URL).toBe('https://backtothefuturekitchen.lafrance.io/_stcore/health');
    expect(step(d, /^Roll back prod$/).if).toBe("always() && (failure() || cancelled()) && steps.prepare-rollback.outputs.needed == 'true'");
    expect(step(d, /^Roll back prod$/).run).toContain('docker-compose -f ~/mangetamain/30_docker/docker-compose-prod.yml restart');
  });

  test('Discord: CI failures, every deployment and every rollback (preprod and prod), never a webhook literal', () => {
    for (const wf of [ci, prod]) {
      const names = wf.jobs.notify.steps.map((s: any) => s.name);
      expect(names).toEqual(['Notify Discord (failure)', 'Notify Discord (deployed)', 'Notify Discord (rollback)']);
      expect(wf.jobs.notify.if).toBe('always()');
      for (const s of wf.jobs.notify.steps) expect(s.with.webhook).toBe('${{ secrets.DISCORD_WEBHOOK_URL }}');
    }
    const deployed = step(jobs.notify, /\(deployed\)$/);
    expect(deployed.if).toContain("(needs.deploy-preprod.result == 'success')");
    // a CI failure that rolled preprod back is announced as a rollback
    expect(step(jobs.notify, /\(rollback\)$/).if).toBe("always() && (needs.deploy-preprod.outputs.rolled_back == 'true' || needs.validate-preprod.outputs.rolled_back == 'true')");
    expect(step(prod.jobs.notify, /\(deployed\)$/).if).toContain("(needs.deploy-prod.result == 'success')");
  });

  test('hourly health check on the self-hosted runner: both sites, HTTP 200, "Mangetamain", 10 s, DOWN alerts only', () => {
    expect(health.on).toEqual({ schedule: [{ cron: '0 * * * *' }], workflow_dispatch: {} });
    const job = health.jobs['health-check'];
    expect(job['runs-on']).toEqual(SELF_HOSTED);
    const checks = job.steps.filter((s: any) => /^Check /.test(s.name));
    expect(checks.map((s: any) => s.env)).toEqual([
      { URL: 'https://mangetamain.lafrance.io/', EXPECTED_STATUS: '200', EXPECTED_TEXT: 'Mangetamain' },
      { URL: 'https://backtothefuturekitchen.lafrance.io/', EXPECTED_STATUS: '200', EXPECTED_TEXT: 'Mangetamain' },
    ]);
    for (const c of checks) expect(c.run).toContain('--max-time 10');
    const alerts = job.steps.filter((s: any) => /^Notify/.test(s.name));
    expect(alerts.map((s: any) => [s.name, s.if])).toEqual([['Notify Discord (failure)', "always() && job.status == 'failure'"]]);
  });

  test('documentation: path-filtered pushes to main and manual runs, Sphinx on 3.13.7, .nojekyll, gh-pages, failures to Discord', () => {
    expect(docs.on).toEqual({
      push: { branches: ['main'], paths: ['90_doc/source/**', '90_doc/requirements.txt', '.github/workflows/documentation.yml'] },
      workflow_dispatch: {},
    });
    const build = docs.jobs.build;
    expect(step(build, /^Set up Python/).with['python-version']).toBe('3.13.7');
    expect(step(build, /^Install dependencies$/).run).toBe('pip install -r 90_doc/requirements.txt');
    expect(step(build, /^sphinx-build/).run).toBe('sphinx-build -b html 90_doc/source 90_doc/build/html');
    expect(step(build, /^Disable Jekyll$/).run).toBe('touch 90_doc/build/html/.nojekyll');
    expect(docs.jobs.deploy.permissions).toEqual({ contents: 'write' });
    expect(step(docs.jobs.deploy, /gh-pages/).uses).toMatch(/^peaceiris\/actions-gh-pages@[0-9a-f]{40}$/);
    expect(docs.jobs.notify.steps.map((s: any) => s.name)).toEqual(['Notify Discord (failure)']);
  });

  test('the docs are isolated: their workflow shares no job with the delivery pipeline', () => {
    expect(Object.keys(docs.jobs).sort()).toEqual(['build', 'deploy', 'notify']);
    expect(JSON.stringify(ci)).not.toContain('sphinx');
    expect(docs.concurrency.group).not.toMatch(/deploy-/);
  });

  test('snapshot of the main workflow', () => {
    expect(exampleOutput(NAME)['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
