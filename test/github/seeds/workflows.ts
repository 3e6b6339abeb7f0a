/**
 * The seed 001 (Dataknobs) and 002 (CODITECT) workflows built with slipway's
 * level-1 API. The seed tests (001-dataknobs.test.ts, 002-coditect.test.ts)
 * compare them with the transcribed fixtures; the benchmarks (bench/workflows)
 * time them against projen and github-actions-workflow-ts. Imported as
 * 'slipway': jest maps it to src/, the benchmarks resolve it to the compiled lib/.
 */
import { Action, Actions, App, Expression, Job, Matrix, MatrixOptions, RunsOn, ServiceContainer, Step, Trigger, Workflow } from 'slipway';

/** Seed 001: ci, release, docs, security, notifications, debug. */
export namespace seed001 {
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
  export function ci(app: App, exclude: MatrixOptions['exclude']): Workflow {
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

  export function release(app: App): Workflow {
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

  export function docs(app: App): Workflow {
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
  export function security(app: App): Workflow {
    const wf = new Workflow(app, 'security', { name: 'Security', triggers: [Trigger.workflowDispatch()] });
    wf.addJob('container-scan', {
      steps: [
        Step.uses(Actions.trivy({ imageRef: 'dataknobs:latest', format: 'sarif', output: 'trivy-results.sarif' }), { name: 'Run Trivy vulnerability scanner' }),
        Step.uses(Actions.uploadSarif({ sarifFile: 'trivy-results.sarif' }), { name: 'Upload Trivy scan results' }),
      ],
    });
    return wf;
  }

  export function notifications(app: App): Workflow {
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

  export function debug(app: App): Workflow {
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
}

/** Seed 002: ci, deploy-standalone, deploy-coditect (with the workflow_run gate). */
export namespace seed002 {
  const env = (name: string) => Expression.env(name).toString();
  const sha = Expression.github('sha').toString();
  const checkout = () => Step.uses(Action.of('actions/checkout', 'v4'));
  const pythonToolchain = (poetryVersion?: string) => [
    checkout(),
    Step.uses(Action.of('actions/setup-python', 'v5'), { name: 'Set up Python', with: { 'python-version': env('PYTHON_VERSION') } }),
    Step.uses(Action.of('snok/install-poetry', 'v1'), { name: 'Install Poetry', with: poetryVersion ? { version: poetryVersion } : undefined }),
    Step.run('poetry install --with dev', { name: 'Install dependencies' }),
  ];
  // azure/setup-helm@v3 and azure/k8s-set-context@v3 have no verified SHA in slipway's catalog lock; the
  // seed's majors are kept and explicitly allowed unpinned (`npx slipway pin` would pin them).
  const k8sSetContext = Action.of('azure/k8s-set-context', 'v3', { allowUnpinned: true });
  const setupHelm = Action.of('azure/setup-helm', 'v3', { allowUnpinned: true });
  export const CI_GATES = ['unit-tests', 'integration-tests', 'security-scan', 'lint'];

  export function ci(app: App): Workflow {
    const wf = new Workflow(app, 'ci', {
      name: 'CI Pipeline',
      triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main'] })],
      env: { PYTHON_VERSION: '3.11', POETRY_VERSION: '1.7' },
    });
    const buildPush = Action.of('docker/build-push-action', 'v5');
    const build = new Job(wf, 'build', {
      steps: [
        checkout(),
        Step.uses(Action.of('docker/setup-buildx-action', 'v3'), { name: 'Set up Docker Buildx' }),
        Step.uses(buildPush, {
          name: 'Build FastAPI app image',
          with: { 'context': '.', 'file': './docker/Dockerfile.app', 'tags': `coditect-context:${sha}`, 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max', 'push': false, 'load': true },
        }),
        Step.uses(buildPush, {
          name: 'Build migrations image',
          with: { context: '.', file: './docker/Dockerfile.migrations', tags: `coditect-context-migrations:${sha}`, push: false, load: true },
        }),
      ],
    });
    new Job(wf, 'unit-tests', {
      needs: [build.jobId],
      steps: [
        ...pythonToolchain(env('POETRY_VERSION')),
        Step.run('poetry run pytest tests/unit/ --cov=core --cov-report=xml', { name: 'Run unit tests' }),
        Step.uses(Action.of('codecov/codecov-action', 'v4'), { name: 'Upload coverage to Codecov', with: { file: './coverage.xml' } }),
      ],
    });
    const databaseUrl = 'postgresql://postgres:test@localhost:5432/context_test';
    new Job(wf, 'integration-tests', {
      needs: [build.jobId],
      // As in the seed: no ports are published (see the fixture's seed-fault note).
      services: {
        postgres: ServiceContainer.postgres('15', { password: 'test', database: 'context_test', ports: [] }),
        redis: ServiceContainer.redis('7-alpine', { ports: [] }),
      },
      steps: [
        ...pythonToolchain(),
        Step.run('poetry run alembic upgrade head', { name: 'Run database migrations', env: { DATABASE_URL: databaseUrl } }),
        Step.run('poetry run pytest tests/integration/ -v', { name: 'Run integration tests', env: { DATABASE_URL: databaseUrl, REDIS_URL: 'redis://localhost:6379/0' } }),
      ],
    });
    new Job(wf, 'security-scan', {
      steps: [
        ...pythonToolchain(),
        Step.run('poetry run bandit -r core/ standalone/ coditect/ -f json -o bandit-report.json', { name: 'Run Bandit (SAST)' }),
        Step.run('poetry run safety check --json > safety-report.json', { name: 'Run Safety (dependency scan)' }),
        Step.uses(Action.of('actions/upload-artifact', 'v4'), { name: 'Upload security reports', with: { name: 'security-reports', path: 'bandit-report.json\nsafety-report.json\n' } }),
      ],
    });
    new Job(wf, 'lint', {
      steps: [
        ...pythonToolchain(),
        Step.run('poetry run ruff check .', { name: 'Run Ruff' }),
        Step.run('poetry run black --check .', { name: 'Run Black' }),
        Step.run('poetry run mypy core/ standalone/ coditect/', { name: 'Run MyPy' }),
      ],
    });
    return wf;
  }

  /** `asInSeed`: the seed's cross-file needs (rejected); otherwise the workflow_run gate. */
  export function deployStandalone(app: App, asInSeed: boolean): Workflow {
    const wf = new Workflow(app, 'deploy-standalone', {
      name: 'Deploy Standalone (Kubernetes)',
      triggers: [
        asInSeed ? Trigger.push({ branches: ['main'] }) : Trigger.workflowRun({ workflows: ['CI Pipeline'], types: ['completed'], branches: ['main'] }),
        Trigger.workflowDispatch(),
      ],
      env: { DOCKER_REGISTRY: 'docker.io/coditect', HELM_CHART_VERSION: '1.0.0' },
    });
    const staging = new Job(wf, 'deploy-staging', {
      environment: { name: 'staging' },
      needs: asInSeed ? CI_GATES : undefined,
      if: asInSeed ? undefined : Expression.anyOf(
        Expression.github('event_name').eq('workflow_dispatch'),
        Expression.github('event.workflow_run.conclusion').eq('success'),
      ).toString(),
      steps: [
        checkout(),
        Step.uses(Action.of('docker/login-action', 'v3'), {
          name: 'Log in to Docker Hub',
          with: { username: Expression.secret('DOCKER_USERNAME').toString(), password: Expression.secret('DOCKER_PASSWORD').toString() },
        }),
        Step.uses(Action.of('docker/build-push-action', 'v5'), {
          name: 'Build and push Docker image',
          with: {
            context: '.',
            file: './docker/Dockerfile.app',
            push: true,
            tags: `${env('DOCKER_REGISTRY')}/context-app:${sha}\n${env('DOCKER_REGISTRY')}/context-app:latest\n`,
          },
        }),
        Step.uses(setupHelm, { name: 'Set up Helm', with: { version: '3.13.0' } }),
        Step.uses(k8sSetContext, { name: 'Configure kubectl', with: { method: 'kubeconfig', kubeconfig: Expression.secret('KUBECONFIG_STAGING').toString() } }),
        Step.run([
          'helm upgrade --install context-intelligence \\',
          '  ./helm/context-intelligence \\',
          '  --namespace staging \\',
          '  --create-namespace \\',
          `  --set image.tag=${sha} \\`,
          '  --set postgresql.enabled=true \\',
          '  --set weaviate.enabled=true \\',
          '  --set redis.enabled=true \\',
          '  --wait --timeout 5m',
          '',
        ].join('\n'), { name: 'Deploy to staging' }),
        Step.run([
          'kubectl run smoke-test \\',
          '  --image=curlimages/curl:latest \\',
          '  --restart=Never \\',
          '  --namespace=staging \\',
          '  --rm -i \\',
          '  --command -- curl -f http://context-intelligence/health || exit 1',
          '',
        ].join('\n'), { name: 'Run smoke tests' }),
      ],
    });
    new Job(wf, 'deploy-production', {
      environment: { name: 'production' },
      needs: [staging.jobId],
      steps: [
        checkout(),
        Step.uses(k8sSetContext, { name: 'Configure kubectl', with: { method: 'kubeconfig', kubeconfig: Expression.secret('KUBECONFIG_PRODUCTION').toString() } }),
        Step.run([
          'helm upgrade --install context-intelligence \\',
          '  ./helm/context-intelligence \\',
          '  --namespace production \\',
          `  --set image.tag=${sha} \\`,
          '  --set canary.enabled=true \\',
          '  --set canary.weight=10 \\',
          '  --wait --timeout 5m',
          '',
        ].join('\n'), { name: 'Deploy canary (10% traffic)' }),
        Step.run('sleep 300', { name: 'Wait 5 minutes (monitor canary)' }),
        Step.run([
          'helm upgrade context-intelligence \\',
          '  ./helm/context-intelligence \\',
          '  --namespace production \\',
          '  --set canary.enabled=false \\',
          '  --reuse-values \\',
          '  --wait --timeout 5m',
          '',
        ].join('\n'), { name: 'Full rollout (100% traffic)' }),
      ],
    });
    return wf;
  }

  export function deployCoditect(app: App, asInSeed: boolean): Workflow {
    const wf = new Workflow(app, 'deploy-coditect', {
      name: 'Deploy to CODITECT (GCP Cloud Run)',
      triggers: [asInSeed ? Trigger.push({ branches: ['main'] }) : Trigger.workflowRun({ workflows: ['CI Pipeline'], types: ['completed'], branches: ['main'] })],
      env: { GCP_PROJECT_ID: 'coditect-production', CLOUD_RUN_SERVICE: 'coditect-backend' },
    });
    new Job(wf, 'deploy-coditect', {
      environment: { name: 'coditect-production' },
      needs: asInSeed ? CI_GATES : undefined,
      if: asInSeed ? undefined : Expression.github('event.workflow_run.conclusion').eq('success').toString(),
      steps: [
        checkout(),
        Step.uses(Action.of('google-github-actions/auth', 'v2'), { name: 'Authenticate to Google Cloud', with: { credentials_json: Expression.secret('GCP_SA_KEY').toString() } }),
        Step.uses(Action.of('google-github-actions/setup-gcloud', 'v2'), { name: 'Set up Cloud SDK' }),
        Step.run([
          '# Clone CODITECT repo',
          'git clone https://github.com/coditect-ai/coditect-backend.git /tmp/coditect',
          '',
          '# Copy context intelligence Django app',
          'cp -r coditect/ /tmp/coditect/apps/context_intelligence/',
          '',
          '# Update requirements.txt',
          'cat requirements.txt >> /tmp/coditect/requirements.txt',
          '',
          'cd /tmp/coditect',
          '',
        ].join('\n'), { name: 'Copy Django app to CODITECT repo' }),
        Step.run('cd /tmp/coditect\npython manage.py makemigrations context_intelligence\npython manage.py migrate --noinput\n', { name: 'Run Django migrations' }),
        Step.run([
          'gcloud builds submit \\',
          '  --config=cloudbuild.yaml \\',
          `  --project=${env('GCP_PROJECT_ID')} \\`,
          `  --substitutions=_SERVICE_NAME=${env('CLOUD_RUN_SERVICE')}`,
          '',
        ].join('\n'), { name: 'Trigger Cloud Build' }),
        Step.run([
          `gcloud run deploy ${env('CLOUD_RUN_SERVICE')} \\`,
          `  --image=gcr.io/${env('GCP_PROJECT_ID')}/coditect-backend:${sha} \\`,
          '  --platform=managed \\',
          '  --region=us-central1 \\',
          '  --allow-unauthenticated \\',
          '  --set-env-vars="DJANGO_SETTINGS_MODULE=coditect.settings.production"',
          '',
        ].join('\n'), { name: 'Deploy to Cloud Run' }),
        Step.run([
          `URL=$(gcloud run services describe ${env('CLOUD_RUN_SERVICE')} \\`,
          '  --platform=managed \\',
          '  --region=us-central1 \\',
          "  --format='value(status.url)')",
          '',
          'curl -f $URL/health || exit 1',
          '',
        ].join('\n'), { name: 'Health check' }),
      ],
    });
    return wf;
  }
}
