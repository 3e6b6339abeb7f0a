import { actionOf, checkApp, problems, stepNamed, synthChecks, WORKFLOW } from './support';
import { Duration } from '../../../src/core/duration';
import { Check, CheckPlacement } from '../../../src/delivery/check';
import { LoadTool } from '../../../src/delivery/checks/load-test';
import { Toolchain } from '../../../src/delivery/toolchain';
import { CATALOG_IMAGE_LOCK } from '../../../src/github/actions/catalog-lock';
import { ServiceContainer } from '../../../src/github/service-container';
import { expectValid } from '../../support/harness';

const STAGING = 'https://staging.example.com';

describe('Check.loadTest', () => {
  test('seed 004: Locust against staging; the p95 threshold fails the gate through the CSV stats', () => {
    const check = Check.loadTest({ tool: LoadTool.LOCUST, script: 'tests/load/locustfile.py', p95: Duration.millis(500), users: 50, duration: Duration.minutes(2) });
    expect(check.placement).toBe(CheckPlacement.AFTER_DEPLOY);
    const { files, doc } = synthChecks([check], { environmentUrl: STAGING, toolchain: Toolchain.python('3.11') });
    expectValid(files);
    const job = doc.jobs['load-test'];
    expect(job.name).toBe('Load test (locust)');
    expect(stepNamed(job, 'Set up Python 3.11').with).toEqual({ 'python-version': '3.11' });
    const run = stepNamed(job, 'Load test with Locust (50 users, 120s)');
    expect(run.env).toEqual({ TARGET_URL: STAGING });
    expect(run.run).toContain('locust -f tests/load/locustfile.py --headless --only-summary');
    expect(run.run).toContain('--users 50 --spawn-rate 5 --run-time 120s');
    expect(run.run).toContain('--host "$TARGET_URL" --exit-code-on-error 0');
    const gate = stepNamed(job, 'Require p95 < 500 ms and errors ≤ 1%');
    expect(gate.shell).toBe('python');
    expect(gate.run).toContain('P95_LIMIT_MS = 500');
    expect(gate.run).toContain("p95 = float(row['95%'])");
    expect(gate.run).toContain('if p95 >= P95_LIMIT_MS or error_rate > MAX_ERROR_RATE:');
    expect(stepNamed(job, 'Upload reports').with.path).toBe('load-test-reports/');
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('k6: the p95 limit is a k6 threshold, so k6 itself exits non-zero', () => {
    const { files, doc } = synthChecks([Check.loadTest({
      tool: LoadTool.K6, script: 'load/smoke.js', p95: Duration.seconds(1.5), maxErrorRate: 0.5, toolVersion: '1.0.0', target: 'https://api.example.com',
    })]);
    expectValid(files);
    const job = doc.jobs['load-test'];
    const thresholds = stepNamed(job, 'Set the thresholds: p95 < 1500 ms, errors ≤ 0.5%');
    expect(thresholds.run).toContain('{"thresholds":{"http_req_duration":["p(95)<1500"],"http_req_failed":["rate<=0.005"]}}');
    const run = stepNamed(job, 'Load test with k6 (10 users, 60s)');
    expect(run.env).toEqual({ TARGET_URL: 'https://api.example.com' });
    expect(run.run).toContain('grafana/k6:1.0.0 run');
    expect(run.run).toContain('--config load-test-reports/k6-config.json --summary-export load-test-reports/k6-summary.json');
    expect(run.run).toMatch(/load\/smoke\.js$/);
  });

  test('bad input: threshold ≤ 0, no script, no URL, bad users', () => {
    expect(problems(checkApp([Check.loadTest({ tool: LoadTool.K6, script: 'a.js', p95: Duration.millis(0) })], { environmentUrl: STAGING }))).toEqual([
      '[ci/load-test] check "load-test" p95 must be a latency greater than zero, e.g. p95: Duration.millis(500)',
    ]);
    expect(problems(checkApp([Check.loadTest({ tool: LoadTool.LOCUST, script: ' ', p95: Duration.millis(300), users: 0 })]))).toEqual([
      '[ci/load-test] check "load-test" needs a script: the locustfile or k6 script, e.g. "tests/load/locustfile.py"',
      '[ci/load-test] check "load-test" users must be a whole number ≥ 1, got 0',
      '[ci/load-test] check "load-test" needs a URL to test; set the url of the environment the check is listed in, or the "target" option',
    ]);
    expect(problems(checkApp([Check.loadTest({ tool: LoadTool.K6, script: 'a.js', p95: Duration.millis(200), maxErrorRate: 150, target: 'staging' })]))).toEqual([
      '[ci/load-test] check "load-test" maxErrorRate must be a percentage from 0 to 100, got 150',
      '[ci/load-test] check "load-test" target "staging" must be an http(s) URL or an expression, e.g. "https://staging.example.com"',
    ]);
  });
});

describe('Check.dast', () => {
  test('OWASP ZAP baseline against the environment URL; reports uploaded even when it fails', () => {
    const check = Check.dast({ rulesFile: '.zap/rules.tsv' });
    expect(check.placement).toBe(CheckPlacement.AFTER_DEPLOY);
    const { files, doc } = synthChecks([check], { environmentUrl: STAGING });
    expectValid(files);
    const job = doc.jobs.dast;
    expect(job.steps.map((s: any) => s.name)).toEqual([
      'Check out the repository', 'Prepare the report directory', 'Run the OWASP ZAP baseline scan', 'Upload reports',
    ]);
    expect(stepNamed(job, 'Prepare the report directory').run).toBe('mkdir -p zap-reports\nchmod 777 zap-reports\ncp .zap/rules.tsv zap-reports/rules.tsv');
    const scan = stepNamed(job, 'Run the OWASP ZAP baseline scan');
    expect(scan.env).toEqual({ TARGET_URL: STAGING });
    expect(scan.run).toContain(`ghcr.io/zaproxy/zaproxy:2.17.0@${CATALOG_IMAGE_LOCK['ghcr.io/zaproxy/zaproxy:2.17.0']} \\\n`);
    expect(scan.run).toContain('zap-baseline.py -t "$TARGET_URL" -r report.html -J report.json -w report.md -c rules.tsv -I');
    expect(stepNamed(job, 'Upload reports').if).toBe('!cancelled()');
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('failing on warnings drops -I; the AJAX spider adds -j; a URL is required', () => {
    const { doc } = synthChecks([Check.dast({ failOnWarnings: true, ajaxSpider: true, target: 'https://app.example.com' })]);
    const scan = stepNamed(doc.jobs.dast, 'Run the OWASP ZAP baseline scan');
    expect(scan.run).toContain('-w report.md -j');
    expect(scan.run).not.toContain(' -I');
    expect(doc.jobs.dast.steps.map(actionOf)).not.toContain('actions/checkout');
    expect(problems(checkApp([Check.dast()]))).toEqual([
      '[ci/dast] check "dast" needs a URL to scan; set the url of the environment the check is listed in, or the "target" option',
    ]);
  });
});

describe('Check.custom', () => {
  test('any commands after the toolchain setup, with services and reports; AFTER_DEPLOY checks get TARGET_URL', () => {
    const { files, doc } = synthChecks([
      Check.custom('migrations-check', ['alembic upgrade head', 'alembic check'], {
        services: [ServiceContainer.postgres('15')], reports: ['alembic.log'],
      }),
      Check.custom('api-tests', ['pytest tests/api'], { placement: CheckPlacement.AFTER_DEPLOY, setupToolchain: true }),
      Check.custom('ping', ['curl -fsS "$TARGET_URL/health"'], { placement: CheckPlacement.AFTER_DEPLOY, setupToolchain: false }),
    ], { environmentUrl: STAGING, toolchain: Toolchain.python('3.12', { workingDirectory: 'backend' }) });
    expectValid(files);
    const m = doc.jobs['migrations-check'];
    expect(Object.keys(m.services)).toEqual(['postgres']);
    expect(m.defaults).toEqual({ run: { 'working-directory': 'backend' } });
    expect(stepNamed(m, 'Upload reports').with.path).toBe('backend/alembic.log');
    expect(m.env).toEqual({ DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres' });
    expect(doc.jobs['api-tests'].env).toEqual({ TARGET_URL: STAGING });
    expect(doc.jobs.ping.steps.map((s: any) => s.name)).toEqual(['Check out the repository', 'curl -fsS "$TARGET_URL/health"']);
    expect(Check.custom('x', ['y']).placement).toBe(CheckPlacement.BEFORE_DEPLOY);
  });

  test('bad input', () => {
    expect(problems(checkApp([Check.custom('smoke', [])]))).toEqual([
      '[ci/smoke] check "smoke" has no commands; give at least one, e.g. ["pytest"]',
    ]);
    expect(problems(checkApp([Check.custom('after', ['x'], { placement: CheckPlacement.AFTER_DEPLOY })]))).toEqual([
      '[ci/after] check "after" runs against a deployed environment (TARGET_URL), but the environment has no url; set the Environment\'s url',
    ]);
  });
});
