/**
 * Seed 000 (Planwise, FastAPI + Streamlit): ci.yml, the PR checks workflow and
 * the migration workflow, rebuilt with the level-1 API and compared with the
 * transcribed fixtures in test/fixtures/seeds/000-*.yml.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixture, FIXTURES, normalize, PINNED, usesLines } from './compare';
import { App } from '../../../src/core/app';
import { NotASecret } from '../../../src/core/secret-literal';
import { Testing } from '../../../src/core/testing';
import { Action, Expression, ServiceContainer, Step, Trigger, Workflow } from '../../../src/github';
import { expectValid } from '../../support/harness';

const checkout = () => Step.uses(Action.of('actions/checkout', 'v3'));
const setupPython = () => Step.uses(Action.of('actions/setup-python', 'v4'), { name: 'Set up Python', with: { 'python-version': '3.10' } });

function ci(app: App): Workflow {
  const wf = new Workflow(app, 'ci', {
    name: 'CI/CD Pipeline',
    triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main', 'develop'] })],
  });
  const lint = wf.addJob('lint', {
    steps: [
      checkout(),
      setupPython(),
      Step.run([
        'python -m pip install --upgrade pip',
        'pip install flake8 black isort mypy',
        'pip install -r api/requirements.txt',
        'pip install -r reco/requirements.txt',
        '',
      ].join('\n'), { name: 'Install dependencies' }),
      Step.run('black --check .', { name: 'Check formatting with Black' }),
      Step.run('isort --check-only --profile black .', { name: 'Check imports with isort' }),
      Step.run('flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics', { name: 'Lint with flake8' }),
      Step.run('mypy api/src reco/src', { name: 'Type check with mypy' }),
    ],
  });
  const test = wf.addJob('test', {
    needs: [lint.jobId],
    services: { postgres: ServiceContainer.postgres('13', { user: 'postgres', password: 'postgres', database: 'test_db' }) },
    steps: [
      checkout(),
      setupPython(),
      Step.run([
        'python -m pip install --upgrade pip',
        'pip install pytest pytest-cov',
        'pip install -r api/requirements.txt',
        'pip install -r reco/requirements.txt',
        '',
      ].join('\n'), { name: 'Install dependencies' }),
      Step.run('cd api\npytest --cov=src --cov-report=xml\n', {
        name: 'Run API tests',
        env: { DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/test_db', SECRET_KEY: NotASecret.value('testing_secret_key'), ENV: 'test' },
      }),
      Step.run('cd reco\npython tests/run_tests.py\n', { name: 'Run recommendation model tests' }),
      Step.uses(Action.of('codecov/codecov-action', 'v3'), { name: 'Upload coverage reports', with: { file: './api/coverage.xml' } }),
    ],
  });
  // Repair: the seed's docker/build-push-action@v4 runs on node16, which actionlint rejects ("the
  // runner of ... is too old"), and slipway's catalog lock has no verified SHA for it. The rebuild uses
  // v5, same inputs; the fixture comparison is by repository. (The seed's other node16-era majors
  // pass: pinned to a SHA, actionlint cannot see their tag.)
  const buildPush = Action.of('docker/build-push-action', 'v5');
  const build = wf.addJob('build', {
    needs: [test.jobId],
    steps: [
      checkout(),
      Step.uses(Action.of('docker/setup-buildx-action', 'v2'), { name: 'Set up Docker Buildx' }),
      ...[['API', './api', 'planwise-api'], ['Streamlit', './reco/streamlit', 'planwise-streamlit']].map(([what, context, image]) =>
        Step.uses(buildPush, {
          name: `Build ${what} Docker image`,
          with: { 'context': context, 'push': false, 'tags': `${image}:latest`, 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' },
        })),
    ],
  });
  wf.addJob('deploy', {
    needs: [build.jobId],
    if: Expression.github('ref').eq('refs/heads/main').and(Expression.github('event_name').eq('push')).toString(),
    steps: [checkout(), Step.run('echo "Deployment would happen here"', { name: 'Deploy to production' })],
  });
  return wf;
}

function prChecks(app: App): Workflow {
  const wf = new Workflow(app, 'pr-checks', { name: 'PR Checks', triggers: [Trigger.pullRequest({ types: ['opened', 'synchronize', 'reopened'] })] });
  const token = Expression.secret('GITHUB_TOKEN').toString();
  wf.addJob('validate-pr', {
    steps: [
      checkout(),
      Step.uses(Action.of('amannn/action-semantic-pull-request', 'v5', { permissions: { 'pull-requests': 'read' } }), { name: 'Validate PR title', env: { GITHUB_TOKEN: token } }),
      Step.uses(Action.of('codelytv/pr-size-labeler', 'v1', { permissions: { 'pull-requests': 'write' } }), { name: 'PR Size Labeler', with: { GITHUB_TOKEN: token } }),
    ],
  });
  return wf;
}

function migrate(app: App): Workflow {
  const wf = new Workflow(app, 'migrate', { name: 'Database Migrations', triggers: [Trigger.workflowDispatch()] });
  wf.addJob('migrate', {
    steps: [
      checkout(),
      setupPython(),
      Step.run('python -m pip install --upgrade pip\npip install -r api/requirements.txt\n', { name: 'Install dependencies' }),
      Step.run('cd api\nalembic upgrade head\n', { name: 'Run migrations', env: { DATABASE_URL: Expression.secret('DATABASE_URL').toString() } }),
    ],
  });
  return wf;
}

describe('seed 000 (Planwise)', () => {
  const app = Testing.app();
  ci(app);
  prChecks(app);
  migrate(app);
  const files = Testing.synth(app);
  const parsed = (file: string) => YAML.parse(files[`.github/workflows/${file}`]);

  test('every file passes actionlint and the workflow parser', () => {
    expect(Object.keys(files)).toEqual(['.github/workflows/ci.yml', '.github/workflows/migrate.yml', '.github/workflows/pr-checks.yml']);
    expectValid(files);
  });

  test.each([['ci.yml', '000-ci'], ['pr-checks.yml', '000-pr-checks'], ['migrate.yml', '000-migrate']])('%s equals fixture %s up to pinning', (file, name) => {
    expect(normalize(parsed(file)).doc).toEqual(normalize(fixture(name)).doc);
  });

  test('slipway adds least-privilege permissions: contents read, plus what the labelers need', () => {
    expect(normalize(parsed('ci.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: {} });
    expect(normalize(parsed('pr-checks.yml')).permissions).toEqual({
      workflow: { contents: 'read' },
      jobs: { 'validate-pr': { 'contents': 'read', 'pull-requests': 'write' } },
    });
  });

  test('every action is pinned to a commit SHA with its version as a comment', () => {
    const uses = Object.values(files).flatMap(usesLines);
    const fixtureUses = ['ci', 'pr-checks', 'migrate'].flatMap((n) => usesLines(fs.readFileSync(path.join(FIXTURES, `000-${n}.yml`), 'utf8')));
    expect(uses).toHaveLength(fixtureUses.length);
    expect(uses.filter((u) => !PINNED.test(u))).toEqual([]);
    expect(uses).toContain('actions/checkout@a37ce9120846195fa4ece8f58b268e6043cb2f26 # v3.7.0');
    expect(uses).toContain('docker/build-push-action@ca052bb54ab0790a636c9b5f226502c73d547a25 # v5.4.0');
  });
});
