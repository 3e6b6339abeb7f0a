import { actionOf, checkApp, problems, stepNamed, synthChecks, WORKFLOW } from './support';
import { Duration } from '../../../src/core/duration';
import { Check, checkListProblems, CheckPlacement } from '../../../src/delivery/check';
import { Secret } from '../../../src/delivery/secret';
import { Toolchain } from '../../../src/delivery/toolchain';
import { RunsOn } from '../../../src/github/runs-on';
import { ServiceContainer } from '../../../src/github/service-container';
import { expectValid } from '../../support/harness';

describe('Check.lint', () => {
  test('one step per command after the toolchain setup; advisory commands may fail', () => {
    const { files, doc } = synthChecks([
      Check.lint(['ruff check .', 'black --check .'], { advisoryCommands: ['mypy core/'] }),
    ], { toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev' }) });
    expectValid(files);
    const job = doc.jobs.lint;
    expect(job.name).toBe('Lint');
    const names = job.steps.map((s: any) => s.name);
    expect(names.slice(-3)).toEqual(['ruff check .', 'black --check .', 'mypy core/']);
    expect(names.indexOf('Install dependencies')).toBeLessThan(names.indexOf('ruff check .'));
    expect(stepNamed(job, 'ruff check .')['continue-on-error']).toBeUndefined();
    expect(stepNamed(job, 'mypy core/')['continue-on-error']).toBe(true);
    expect(Check.lint(['x']).placement).toBe(CheckPlacement.BEFORE_DEPLOY);
  });

  test('common options: name, runner, timeout, env, working directory, allowFailure', () => {
    const { files, doc } = synthChecks([
      Check.lint(['npm run lint'], {
        id: 'style',
        name: 'Style',
        runsOn: RunsOn.labels(['self-hosted', 'linux']),
        timeout: Duration.minutes(10),
        env: { CI: 'true' },
        workingDirectory: 'web',
        allowFailure: true,
      }),
    ], { toolchain: Toolchain.node('20') });
    expectValid(files);
    expect(doc.jobs.style).toMatchObject({
      'name': 'Style',
      'runs-on': ['self-hosted', 'linux'],
      'timeout-minutes': 10,
      'env': { CI: 'true' },
      'continue-on-error': true,
      'defaults': { run: { 'working-directory': 'web' } },
    });
  });
});

describe('Check.test', () => {
  test('north star: coverage threshold fails the job; JUnit and coverage reports are uploaded even on failure', () => {
    const { files, doc } = synthChecks([
      Check.test('unit-tests', ['pytest tests/unit/ --cov=core'], { coverage: 80, reportRetentionDays: 30 }),
    ], { toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev' }) });
    expectValid(files);
    const job = doc.jobs['unit-tests'];
    const test = stepNamed(job, 'pytest tests/unit/ --cov=core');
    expect(test.env).toEqual({ PYTEST_ADDOPTS: '--junitxml=test-reports/junit-unit-tests.xml' });
    const xml = stepNamed(job, 'Write the coverage report');
    expect(xml).toMatchObject({ if: '!cancelled()', run: 'coverage xml -o test-reports/coverage-unit-tests.xml' });
    // the threshold step has no condition: it runs after passing tests and its non-zero exit fails the job
    const gate = stepNamed(job, 'Require 80% coverage');
    expect(gate).toEqual({ name: 'Require 80% coverage', run: 'coverage report --fail-under=80' });
    expect(job['continue-on-error']).toBeUndefined();
    const upload = stepNamed(job, 'Upload reports');
    expect(actionOf(upload)).toBe('actions/upload-artifact');
    expect(upload.if).toBe('!cancelled()');
    expect(upload.with).toEqual({ 'name': 'unit-tests-reports', 'path': 'test-reports/', 'if-no-files-found': 'warn', 'retention-days': 30 });
    expect(job.steps.indexOf(gate)).toBeLessThan(job.steps.indexOf(upload));
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('Node.js: the threshold reads the istanbul json-summary total', () => {
    const { files, doc } = synthChecks([
      Check.test('unit', ['npx jest --coverage --coverageReporters=json-summary'], { coverage: 90 }),
    ], { toolchain: Toolchain.node('20') });
    expectValid(files);
    const job = doc.jobs.unit;
    expect(stepNamed(job, 'npx jest --coverage --coverageReporters=json-summary').env).toEqual({
      JEST_JUNIT_OUTPUT_DIR: 'test-reports', JEST_JUNIT_OUTPUT_NAME: 'junit-unit.xml',
    });
    const gate = stepNamed(job, 'Require 90% coverage');
    expect(gate.shell).toBe('node {0}');
    expect(gate.run).toContain('const file = "coverage/coverage-summary.json";');
    expect(gate.run).toContain('const threshold = 90;');
    expect(gate.run).toContain('if (!(pct >= threshold)) process.exit(1);');
    expect(stepNamed(job, 'Upload reports').with.path).toBe('test-reports/\ncoverage/\n');
  });

  test('services get ids from their images and keep their health checks', () => {
    const { files, doc } = synthChecks([
      Check.test('integration-tests', ['alembic upgrade head', 'pytest tests/integration/'], {
        services: [ServiceContainer.postgres('15'), ServiceContainer.redis('7'), ServiceContainer.postgres('16', { ports: ['5433:5432'] })],
        env: { DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres' },
      }),
    ]);
    expectValid(files);
    const job = doc.jobs['integration-tests'];
    expect(Object.keys(job.services)).toEqual(['postgres', 'redis', 'postgres-2']);
    expect(job.services.postgres.options).toBe('--health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5');
    expect(job.services.redis.options).toContain('--health-cmd "redis-cli ping"');
    expect(job.services['postgres-2'].image).toBe('postgres:16');
    // two commands, two JUnit files
    expect(stepNamed(job, 'pytest tests/integration/').env.PYTEST_ADDOPTS).toBe('--junitxml=test-reports/junit-integration-tests-2.xml');
  });

  test('seed 001 matrix: OS × Python with exclude; bash everywhere; one artifact per combination', () => {
    const { files, doc } = synthChecks([
      Check.test('test', ['pytest tests/unit/ --cov=packages/'], {
        matrix: {
          os: ['ubuntu-latest', 'windows-latest', 'macos-latest'],
          versions: ['3.12', '3.13'],
          exclude: [{ 'os': 'macos-latest', 'python-version': '3.12' }],
          include: [{ 'os': 'ubuntu-latest', 'python-version': '3.13', 'experimental': 'true' }],
        },
        codecovToken: Secret.github('CODECOV_TOKEN'),
      }),
    ], { toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev,test' }) });
    expectValid(files);
    const job = doc.jobs.test;
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.defaults).toEqual({ run: { shell: 'bash' } });
    expect(job.strategy.matrix).toEqual({
      'os': ['ubuntu-latest', 'windows-latest', 'macos-latest'],
      'python-version': ['3.12', '3.13'],
      'include': [{ 'os': 'ubuntu-latest', 'python-version': '3.13', 'experimental': 'true' }],
      'exclude': [{ 'os': 'macos-latest', 'python-version': '3.12' }],
    });
    expect(stepNamed(job, 'Set up Python ${{ matrix.python-version }}').with['python-version']).toBe('${{ matrix.python-version }}');
    expect(stepNamed(job, 'Upload reports').with.name).toBe('test-reports-${{ matrix.os }}-${{ matrix.python-version }}');
    const codecov = stepNamed(job, 'Upload coverage to Codecov');
    expect(codecov.with).toEqual({ token: '${{ secrets.CODECOV_TOKEN }}', files: 'test-reports/coverage-test.xml', flags: 'test', fail_ci_if_error: false });
    // codecov needs a coverage.xml even without a threshold
    expect(stepNamed(job, 'Write the coverage report').run).toBe('coverage xml -o test-reports/coverage-test.xml');
  });

  test('allowFailure renders continue-on-error (seed 003 infrastructure tests)', () => {
    const { doc } = synthChecks([Check.test('infra-tests', ['pytest 50_test/'], { allowFailure: true })]);
    expect(doc.jobs['infra-tests']['continue-on-error']).toBe(true);
  });

  test('bad input: errors name the job path, the prop and the fix', () => {
    const app = checkApp([
      Check.test('unit', ['pytest'], { coverage: 120 }),
      Check.test('empty', []),
      Check.test('blank', ['pytest', '  ']),
      Check.test('matrix', ['pytest'], { matrix: { include: [{ os: 'ubuntu-latest' }] } }),
      Check.test('retention', ['pytest'], { reportRetentionDays: 91 }),
    ]);
    expect(problems(app)).toEqual(expect.arrayContaining([
      '[ci/unit] check "unit" coverage must be a percentage from 0 to 100, got 120; e.g. coverage: 80',
      '[ci/empty] check "empty" has no commands; give at least one, e.g. ["pytest"]',
      '[ci/blank] check "blank" command 2 is empty; remove it or give the command',
      '[ci/matrix] check "matrix" matrix needs "os" or "versions" (or both), e.g. { versions: ["3.12", "3.13"] }',
      '[ci/retention] check "retention" reportRetentionDays must be a whole number from 1 to 90, got 91',
    ]));
    expect(() => checkApp([Check.test('bad id', ['pytest'])])).toThrow('job id "bad id" is invalid');
  });

  test('negative coverage, services on Windows, coverage without a language', () => {
    expect(problems(checkApp([Check.test('unit', ['pytest'], { coverage: -1 })]))).toEqual([
      '[ci/unit] check "unit" coverage must be a percentage from 0 to 100, got -1; e.g. coverage: 80',
    ]);
    expect(problems(checkApp([Check.test('db', ['pytest'], {
      services: [ServiceContainer.postgres('15')],
      matrix: { os: ['ubuntu-latest', 'windows-latest'] },
    })]))).toEqual([
      '[ci/db] check "db" services run only on Linux runners, but matrix.os has windows-latest; remove the services or run those runners without them in a separate check',
    ]);
    expect(problems(checkApp([Check.test('cov', ['make test'], { coverage: 80 })], { toolchain: Toolchain.none() }))).toEqual([
      '[ci/cov] check "cov" coverage needs a Python or Node.js toolchain to read the coverage report; set the pipeline\'s toolchain, or measure and check coverage in the commands',
    ]);
    expect(problems(checkApp([Check.test('m', ['pytest'], { matrix: { versions: ['3.12'], exclude: [{ version: '3.12' }] } })]))).toEqual(
      expect.arrayContaining(['[ci/m] check "m" matrix include/exclude use "version"; with the python toolchain the axis is named "python-version"']));
  });

  test('duplicate check ids are reported by the list check and by the workflow', () => {
    const checks = [Check.test('unit', ['pytest']), Check.lint(['ruff check .'], { id: 'unit' })];
    expect(checkListProblems(checks)).toEqual([
      'check id "unit" is used twice; check ids become job ids and must be unique. Give one of them another id (Check.test(\'<id>\', ...), or the "id" option)',
    ]);
    expect(() => checkApp(checks)).toThrow('[ci] job id "unit" is already used in workflow "ci"');
  });
});
