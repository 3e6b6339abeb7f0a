import * as YAML from 'yaml';
import { Testing } from '../../src/core/testing';
import { NodePackageManager, PythonPackageManager, Toolchain } from '../../src/delivery/toolchain';
import { Step } from '../../src/github/step';
import { Trigger } from '../../src/github/trigger';
import { Workflow } from '../../src/github/workflow';
import { expectValid } from '../support/harness';
import { actionOf, stepNamed } from './checks/support';
import { carriedProblems } from '../../src/core/strict';

/** Synthesizes one job per toolchain (its setup steps plus a command) and returns the parsed jobs. */
function synthToolchains(toolchains: { [job: string]: Toolchain }, versionOverride?: string): { files: { [path: string]: string }; jobs: any } {
  const app = Testing.app();
  const wf = new Workflow(app, 'setup', { triggers: [Trigger.push({ branches: ['main'] })] });
  for (const [id, tc] of Object.entries(toolchains)) {
    wf.addJob(id, { steps: [...tc._setupSteps(versionOverride), Step.run('echo ready', { name: 'echo ready' })] });
  }
  const files = Testing.synth(app);
  expectValid(files);
  return { files, jobs: YAML.parse(files['.github/workflows/setup.yml']).jobs };
}

describe('Toolchain', () => {
  const all = {
    'pip': Toolchain.python('3.12'),
    'poetry': Toolchain.python('3.11', { install: 'poetry install --with dev', poetryVersion: '1.8.3' }),
    'uv': Toolchain.python('3.13', { packageManager: PythonPackageManager.UV }),
    'npm': Toolchain.node('20'),
    'pnpm': Toolchain.node('22', { packageManager: NodePackageManager.PNPM, pnpmVersion: '9.12.0' }),
    'none': Toolchain.none(),
    'in-directory': Toolchain.python('3.12', { packageManager: PythonPackageManager.POETRY, workingDirectory: 'backend' }),
  };

  test('every toolchain renders valid setup steps', () => {
    const { files } = synthToolchains(all);
    expectValid(files);
    expect(files['.github/workflows/setup.yml']).toMatchSnapshot();
  });

  test('pip: setup-python caches pip, then installs the requirements', () => {
    const { jobs } = synthToolchains({ pip: all.pip });
    const steps = jobs.pip.steps;
    expect(steps.map(actionOf).slice(0, 2)).toEqual(['actions/checkout', 'actions/setup-python']);
    expect(steps[1].with).toEqual({ 'python-version': '3.12', 'cache': 'pip' });
    expect(stepNamed(jobs.pip, 'Install dependencies').run).toBe('python -m pip install -r requirements.txt');
    expect(steps.some((s: any) => s.shell === 'python')).toBe(false);
    expect(all.pip.packageManager).toBe('pip');
  });

  test('poetry is inferred from the install command; the in-project .venv is cached by poetry.lock and put on PATH', () => {
    expect(all.poetry.packageManager).toBe('poetry');
    const { jobs } = synthToolchains({ poetry: all.poetry });
    const job = jobs.poetry;
    expect(job.steps.map((s: any) => s.name)).toEqual([
      'Check out the repository', 'Set up Python 3.11', 'Install Poetry', 'Cache the virtual environment',
      'Install dependencies', 'Use the project virtual environment', 'echo ready',
    ]);
    expect(stepNamed(job, 'Set up Python 3.11').with).toEqual({ 'python-version': '3.11' });
    expect(stepNamed(job, 'Install Poetry').with).toEqual({ 'version': '1.8.3', 'virtualenvs-create': true, 'virtualenvs-in-project': true });
    expect(stepNamed(job, 'Cache the virtual environment').with).toEqual({
      path: '.venv',
      key: "venv-${{ runner.os }}-python-3.11-${{ hashFiles('poetry.lock') }}",
    });
    expect(stepNamed(job, 'Install dependencies').run).toBe('poetry install --with dev');
    const activate = stepNamed(job, 'Use the project virtual environment');
    expect(activate.shell).toBe('python');
    expect(activate.run).toContain("os.environ['GITHUB_PATH']");
  });

  test('uv: installed with pip, its cache directory cached by uv.lock, `uv sync --locked`', () => {
    const { jobs } = synthToolchains({ uv: all.uv });
    const job = jobs.uv;
    expect(stepNamed(job, 'Install uv').run).toBe('python -m pip install uv==0.12.5');
    expect(stepNamed(job, 'Cache uv downloads').with.path).toBe('${{ runner.temp }}/uv-cache');
    expect(stepNamed(job, 'Cache uv downloads').with.key).toContain("hashFiles('uv.lock')");
    const install = stepNamed(job, 'Install dependencies');
    expect(install.run).toBe('uv sync --locked');
    expect(install.env).toEqual({ UV_CACHE_DIR: '${{ runner.temp }}/uv-cache' });
    expect(all.uv._pipInstall(['bandit[toml]'])).toBe('uv pip install "bandit[toml]"');
    expect(all.pip._pipInstall(['pip-audit'])).toBe('python -m pip install pip-audit');
  });

  test('npm: setup-node caches npm, `npm ci`', () => {
    const { jobs } = synthToolchains({ npm: all.npm });
    expect(stepNamed(jobs.npm, 'Set up Node.js 20').with).toEqual({ 'node-version': '20', 'cache': 'npm' });
    expect(stepNamed(jobs.npm, 'Install dependencies').run).toBe('npm ci');
  });

  test('pnpm: corepack, the pnpm store cached by pnpm-lock.yaml, frozen install', () => {
    const { jobs } = synthToolchains({ pnpm: all.pnpm });
    const job = jobs.pnpm;
    expect(stepNamed(job, 'Set up Node.js 22').with).toEqual({ 'node-version': '22' });
    expect(stepNamed(job, 'Enable pnpm').run).toBe('corepack enable\ncorepack prepare pnpm@9.12.0 --activate');
    expect(stepNamed(job, 'Locate the pnpm store').id).toBe('pnpm-store');
    expect(stepNamed(job, 'Cache the pnpm store').with.path).toBe('${{ steps.pnpm-store.outputs.path }}');
    expect(stepNamed(job, 'Install dependencies').run).toBe('pnpm install --frozen-lockfile');
  });

  test('a working directory scopes the install and the cache keys', () => {
    const { jobs } = synthToolchains({ dir: all['in-directory'] });
    const job = jobs.dir;
    expect(stepNamed(job, 'Install dependencies')['working-directory']).toBe('backend');
    expect(stepNamed(job, 'Use the project virtual environment')['working-directory']).toBe('backend');
    expect(stepNamed(job, 'Cache the virtual environment').with).toEqual({
      path: 'backend/.venv',
      key: "venv-${{ runner.os }}-python-3.12-${{ hashFiles('backend/poetry.lock') }}",
    });
  });

  test('none only checks out; cache: false drops every cache', () => {
    const { jobs } = synthToolchains({
      none: Toolchain.none(),
      nocache: Toolchain.python('3.12', { packageManager: PythonPackageManager.POETRY, cache: false }),
      npmnocache: Toolchain.node('20', { cache: false }),
    });
    expect(jobs.none.steps.map((s: any) => s.name)).toEqual(['Check out the repository', 'echo ready']);
    expect(jobs.nocache.steps.map(actionOf)).not.toContain('actions/cache');
    expect(jobs.npmnocache.steps[1].with).toEqual({ 'node-version': '20' });
  });

  test('a version override (a matrix value) reaches setup and the cache key', () => {
    const { jobs } = synthToolchains({ poetry: all.poetry }, '${{ github.event.inputs.python }}');
    expect(jobs.poetry.steps[1].with['python-version']).toBe('${{ github.event.inputs.python }}');
    expect(stepNamed(jobs.poetry, 'Cache the virtual environment').with.key).toContain('python-${{ github.event.inputs.python }}-');
  });

  test('bad input names the prop and the fix', () => {
    expect(carriedProblems(Toolchain.python('')).join('\n')).toContain('Toolchain.python: version "" is not a version; pass e.g. "3.12"');
    expect(carriedProblems(Toolchain.node('20 lts')).join('\n')).toContain('Toolchain.node: version "20 lts" is not a version; pass e.g. "20"');
    expect(carriedProblems(Toolchain.python('3.12', { install: ' ' })).join('\n')).toContain('"install" is empty');
    expect(carriedProblems(Toolchain.node('20', { workingDirectory: '/abs' })).join('\n')).toContain('workingDirectory "/abs" must be a path relative to the repository root');
  });
});
