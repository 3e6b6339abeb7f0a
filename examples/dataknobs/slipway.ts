// Dataknobs (seed 001): four Python packages in one Poetry repository.
// Code quality, security scans and a test matrix gate every push, pull
// request and the daily run; the packages are built after all of them, the
// container image is scanned with Trivy, tags release to PyPI and GitHub,
// the docs go to GitHub Pages, and failures are reported to Slack. Every
// action is pinned to a commit SHA (slipway.lock.json).
import {
  App, Application, Check, CheckPlacement, DocsWorkflow, HealthCheck, Image, Notification, PackageRegistry,
  PagesPublishing, Pipeline, ReleaseWorkflow, Scanner, Secret, Toolchain, Trigger,
} from 'slipway';

// Every container image the jobs run must be pinned by digest (slipway.lock.json, `npx slipway pin docker://name:tag`).
const app = new App({ supplyChain: { strict: true } });

const PACKAGES = ['common', 'structures', 'utils', 'xization'];
const MODULES = PACKAGES.map((p) => `dataknobs_${p}`).join(', ');
const slack = Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK'), channel: '#ci-cd' });

// Poetry 1.6.1 on Python 3.11, with the dev and test groups
const toolchain = Toolchain.python('3.11', { install: 'poetry install --with dev,test', poetryVersion: '1.6.1' });

// the production image (docker/Dockerfile.prod): built once per run, then scanned by Trivy
const image = new Application(app, 'dataknobs', {
  image: Image.fromDockerfile({ dockerfile: 'docker/Dockerfile.prod', repository: 'ghcr.io/kbs-labs/dataknobs' }),
  healthCheck: HealthCheck.command(['python', '-c', `import ${MODULES}`]),
});

// --- CI: .github/workflows/ci.yml ------------------------------------------
new Pipeline(app, 'ci', {
  name: 'CI Pipeline',
  applications: [image],
  triggers: [
    Trigger.push({ branches: ['main', 'develop'] }),
    Trigger.pullRequest({ branches: ['main', 'develop'] }),
    Trigger.schedule('0 6 * * *'), // daily at 6 AM UTC
  ],
  toolchain,
  checks: [
    Check.lint([
      'black --check packages/ tests/',
      'isort --check-only packages/ tests/',
      'flake8 packages/ tests/',
      'mypy packages/',
      'pylint packages/ --output-format=github',
    ], { id: 'code-quality', name: 'Code Quality Checks' }),
    Check.securityScan([Scanner.bandit({ paths: ['packages/'] }), Scanner.SAFETY], { name: 'Security Scanning' }),
    Check.test('test', [
      'pytest tests/unit/ --cov=packages/ --cov-report=term-missing',
      'pytest tests/integration/',
    ], {
      name: 'Test Suite',
      matrix: {
        os: ['ubuntu-latest', 'windows-latest', 'macos-latest'],
        versions: ['3.12', '3.13'],
        // reduce the matrix for faster builds: no macOS run of the older Python
        exclude: [{ 'os': 'macos-latest', 'python-version': '3.12' }],
      },
      codecov: true,
    }),
    // the packages are built only from code that passed every check above
    Check.custom('build-packages', [
      PACKAGES.map((p, i) => `cd ${i === 0 ? 'packages/' : '../'}${p} && poetry build`).join('\n'),
      [
        'python -m venv "$RUNNER_TEMP/verify"',
        `"$RUNNER_TEMP/verify/bin/pip" install ${PACKAGES.map((p) => `packages/${p}/dist/*.whl`).join(' ')}`,
        `"$RUNNER_TEMP/verify/bin/python" -c "import ${MODULES}"`,
      ].join('\n'),
    ], { name: 'Build Packages', placement: CheckPlacement.AFTER_GATES, reports: ['packages/*/dist/'] }),
    // Trivy on the built image, findings uploaded as SARIF to code scanning
    Check.imageScan({ name: 'Container Security' }),
  ],
  notifications: [slack],
});

// --- Release: .github/workflows/release.yml --------------------------------
new ReleaseWorkflow(app, 'release', {
  name: 'Release Pipeline',
  toolchain,
  buildCommands: [PACKAGES.map((p, i) => `cd ${i === 0 ? 'packages/' : '../'}${p} && poetry build`).join('\n')],
  distDirectories: PACKAGES.map((p) => `packages/${p}/dist`),
  registry: PackageRegistry.pypi({ token: Secret.github('PYPI_API_TOKEN') }),
  onReleasePublished: true,
  notifications: [slack],
});

// --- Documentation: .github/workflows/docs.yml -----------------------------
new DocsWorkflow(app, 'docs', {
  toolchain: Toolchain.python('3.11', { install: 'python -m pip install -r docs/requirements.txt' }),
  buildCommands: ['mkdocs build --strict'],
  paths: ['docs/**', 'packages/**/*.py', 'mkdocs.yml'],
  publishing: PagesPublishing.BRANCH,
  notifications: [slack],
});

app.synth();
