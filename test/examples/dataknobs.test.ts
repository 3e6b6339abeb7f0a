import * as YAML from 'yaml';
import { exampleOutput, exampleYaml, step } from './support';
import { Check, Pipeline, Testing, Toolchain } from '../../src';

const files = exampleOutput('dataknobs');
const ci = exampleYaml('dataknobs', '.github/workflows/ci.yml');
const release = exampleYaml('dataknobs', '.github/workflows/release.yml');
const docs = exampleYaml('dataknobs', '.github/workflows/docs.yml');
const jobs = ci.jobs;
const PACKAGES = ['common', 'structures', 'utils', 'xization'];

/** The `run:` scripts of a job's steps, in order. */
const runs = (job: any): string[] => job.steps.filter((s: any) => s.run).map((s: any) => s.run);

describe('examples/dataknobs (seed 001) feature by feature', () => {
  test('CI Pipeline on pushes and pull requests to main and develop, and daily at 6 AM UTC', () => {
    expect(ci.name).toBe('CI Pipeline');
    expect(ci.on.push.branches).toEqual(['main', 'develop']);
    expect(ci.on.pull_request.branches).toEqual(['main', 'develop']);
    expect(ci.on.schedule).toEqual([{ cron: '0 6 * * *' }]);
  });

  test('every job sets up Python 3.11 with Poetry 1.6.1 and the dev and test groups (the seed\'s env)', () => {
    for (const id of ['code-quality', 'security-scan', 'build-packages']) {
      expect(step(jobs[id], /^Set up Python/).with['python-version']).toBe('3.11');
      expect(step(jobs[id], /^Install Poetry$/).with.version).toBe('1.6.1');
      expect(step(jobs[id], /^Install dependencies$/).run).toBe('poetry install --with dev,test');
    }
  });

  test('code quality: black, isort, flake8, mypy and pylint (GitHub annotations), one step each', () => {
    expect(jobs['code-quality'].name).toBe('Code Quality Checks');
    expect(runs(jobs['code-quality']).slice(-5)).toEqual([
      'black --check packages/ tests/',
      'isort --check-only packages/ tests/',
      'flake8 packages/ tests/',
      'mypy packages/',
      'pylint packages/ --output-format=github',
    ]);
  });

  test('security scans: Bandit on packages/ and Safety, JSON reports uploaded even when a scan fails', () => {
    const job = jobs['security-scan'];
    expect(job.name).toBe('Security Scanning');
    expect(step(job, /^Run bandit$/).run).toBe('bandit -r packages/ -x ./.venv -f json -o security-reports/bandit.json');
    expect(step(job, /^Run safety$/).run).toBe('safety check --save-json security-reports/safety.json');
    const upload = step(job, /^Upload reports$/);
    expect(upload.if).toBe('!cancelled()');
    expect(upload.with).toMatchObject({ name: 'security-scan-reports', path: 'security-reports/' });
  });

  test('test matrix: 3 OS x Python 3.12/3.13 without macOS on 3.12; bash on every OS; reports per combination; Codecov', () => {
    const job = jobs.test;
    expect(job.name).toBe('Test Suite');
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy.matrix).toEqual({
      'os': ['ubuntu-latest', 'windows-latest', 'macos-latest'],
      'python-version': ['3.12', '3.13'],
      'exclude': [{ 'os': 'macos-latest', 'python-version': '3.12' }],
    });
    expect(job.defaults.run.shell).toBe('bash');
    expect(step(job, /^Set up Python/).with['python-version']).toBe('${{ matrix.python-version }}');
    expect(step(job, /^pytest tests\/unit\//).env.PYTEST_ADDOPTS).toBe('--junitxml=test-reports/junit-test-1.xml');
    expect(step(job, /^pytest tests\/integration\//).env.PYTEST_ADDOPTS).toBe('--junitxml=test-reports/junit-test-2.xml');
    expect(step(job, /^Upload reports$/).with.name).toBe('test-reports-${{ matrix.os }}-${{ matrix.python-version }}');
    expect(step(job, /Codecov/).with.files).toBe('test-reports/coverage-test.xml');
  });

  test('the seed\'s exclude of Python 3.8 (not in the matrix) is rejected at synth, naming the fix', () => {
    const app = Testing.app();
    new Pipeline(app, 'ci', {
      toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev,test' }),
      checks: [Check.test('test', ['pytest'], {
        matrix: { os: ['ubuntu-latest', 'macos-latest'], versions: ['3.12', '3.13'], exclude: [{ 'os': 'macos-latest', 'python-version': '3.8' }] },
      })],
    });
    expect(() => Testing.synth(app)).toThrow(/sets python-version: "3.8", which is not a value of axis "python-version" \("3.12", "3.13"\); the exclude would match nothing/);
  });

  test('the packages are built after all checks, installed from their wheels and uploaded', () => {
    const job = jobs['build-packages'];
    expect(job.name).toBe('Build Packages');
    expect(job.needs).toEqual(['code-quality', 'security-scan', 'test']);
    const [build, verify] = runs(job).slice(-2);
    expect(build.split('\n')).toEqual(PACKAGES.map((p, i) => `cd ${i === 0 ? 'packages/' : '../'}${p} && poetry build`));
    expect(verify).toContain(PACKAGES.map((p) => `packages/${p}/dist/*.whl`).join(' '));
    expect(verify).toContain('-c "import dataknobs_common, dataknobs_structures, dataknobs_utils, dataknobs_xization"');
    expect(step(job, /^Upload reports$/).with.path).toBe('packages/*/dist/');
  });

  test('Trivy scans the production image by digest and uploads SARIF to code scanning', () => {
    const build = step(jobs.build, /^Build dataknobs$/);
    expect(build.with.file).toBe('docker/Dockerfile.prod');
    const job = jobs['image-scan'];
    expect(job.needs).toBe('build');
    expect(job.permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
    const sarif = step(job, /SARIF report/);
    expect(sarif.uses).toMatch(/^aquasecurity\/trivy-action@[0-9a-f]{40}$/);
    expect(sarif.with).toMatchObject({ 'image-ref': '${{ needs.build.outputs.image-dataknobs }}', 'format': 'sarif', 'output': 'trivy-dataknobs.sarif' });
    const upload = step(job, /findings to code scanning/);
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@[0-9a-f]{40}$/);
    expect(upload.with.sarif_file).toBe('trivy-dataknobs.sarif');
  });

  test('release on v*.*.* tags and published releases: build once, publish to PyPI with the token, GitHub release with notes', () => {
    expect(release.name).toBe('Release Pipeline');
    expect(release.on.push.tags).toEqual(['v*.*.*']);
    expect(release.on.release.types).toEqual(['published']);
    expect(step(release.jobs.build, /^Check out/).with['fetch-depth']).toBe(0);
    expect(runs(release.jobs.build)).toEqual(expect.arrayContaining([PACKAGES.map((p, i) => `cd ${i === 0 ? 'packages/' : '../'}${p} && poetry build`).join('\n')]));
    expect(step(release.jobs.build, /^Collect the distributions$/).run).toContain('cp -R packages/xization/dist/. release-dist/');
    const publish = release.jobs.publish;
    expect(publish.needs).toBe('build');
    expect(publish.environment).toBe('pypi');
    expect(step(publish, /^Publish to PyPI$/).with.password).toBe('${{ secrets.PYPI_API_TOKEN }}');
    const gh = release.jobs['github-release'];
    expect(gh.needs).toBe('publish');
    expect(gh.permissions).toEqual({ contents: 'write' });
    expect(step(gh, /^Create the GitHub release$/).with).toMatchObject({ files: 'dist/*', generate_release_notes: true });
  });

  test('docs: mkdocs build --strict on docs changes, published to GitHub Pages (gh-pages) from main only', () => {
    const paths = ['docs/**', 'packages/**/*.py', 'mkdocs.yml', '.github/workflows/docs.yml'];
    expect(docs.on.push).toEqual({ branches: ['main'], paths });
    expect(docs.on.pull_request).toEqual({ branches: ['main'], paths });
    expect(step(docs.jobs.build, /^Install dependencies$/).run).toBe('python -m pip install -r docs/requirements.txt');
    expect(runs(docs.jobs.build)).toContain('mkdocs build --strict');
    const deploy = docs.jobs.deploy;
    expect(deploy.if).toBe("github.ref == 'refs/heads/main' && github.event_name != 'pull_request'");
    expect(deploy.permissions).toEqual({ contents: 'write' });
    const pages = step(deploy, /gh-pages/);
    expect(pages.uses).toMatch(/^peaceiris\/actions-gh-pages@[0-9a-f]{40}$/);
    expect(pages.with.publish_dir).toBe('./site');
  });

  test('Slack on failure (#ci-cd) in CI, release and docs, from the SLACK_WEBHOOK secret', () => {
    for (const wf of [ci, release, docs]) {
      const notify = Object.entries<any>(wf.jobs).find(([id]) => id === 'notify')![1];
      expect(notify.if).toBe('always()');
      const slack = step(notify, /Slack \(failure\)/);
      expect(slack.uses).toMatch(/^8398a7\/action-slack@[0-9a-f]{40}$/);
      expect(slack.with.channel).toBe('#ci-cd');
      expect(slack.env.SLACK_WEBHOOK_URL).toBe('${{ secrets.SLACK_WEBHOOK }}');
    }
    expect(jobs.notify.needs).toEqual(['build', 'build-pull-request', 'code-quality', 'security-scan', 'test', 'build-packages', 'image-scan']);
  });

  test('every action is pinned to a full commit SHA with its version as a comment', () => {
    let count = 0;
    for (const [file, content] of Object.entries(files)) {
      if (!file.startsWith('.github/workflows/')) continue;
      for (const job of Object.values<any>(YAML.parse(content).jobs)) {
        for (const s of job.steps) {
          if (!s.uses) continue;
          count++;
          expect(s.uses).toMatch(/^[^@]+@[0-9a-f]{40}$/);
        }
      }
      for (const line of content.split('\n').filter((l) => /^\s*(- )?uses: /.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d/);
    }
    expect(count).toBeGreaterThan(20);
  });

  test('snapshot of the main workflow', () => {
    expect(files['.github/workflows/ci.yml']).toMatchSnapshot();
  });
});
