// Planwise (seed 000): a FastAPI API and a Streamlit web app, linted, tested
// against PostgreSQL, built once into two images, and promoted through
// dev, staging and production on Kubernetes. The API deploys blue-green in
// production (Argo Rollouts): preview, health check, traffic switch.
import {
  Actions, App, Application, Approval, Check, Dependabot, DispatchInput, Duration, Environment, Expression,
  HealthCheck, Image, Migration, NotASecret, Notification, Pipeline, PullRequestChecks, Rollout, RolloutKind, Secret, SecretRef,
  ServiceContainer, Step, Target, Toolchain, Trigger, Workflow,
} from 'slipway';

// Every container image the jobs run must be pinned by digest (slipway.lock.json, `npx slipway pin docker://name:tag`).
const app = new App({ supplyChain: { strict: true } });

// --- the two applications and their images ---------------------------------
const api = new Application(app, 'planwise-api', {
  image: Image.fromDockerfile({ context: './api', repository: 'ghcr.io/planwise/planwise-api' }),
  port: 8000,
  healthCheck: HealthCheck.http('/health'),
  secrets: {
    DATABASE_URL: SecretRef.of('planwise-db', 'url'),
    SECRET_KEY: SecretRef.of('planwise-api', 'secret-key'),
  },
  // applied automatically before the new code is deployed, in every environment
  migration: Migration.command(['alembic', 'upgrade', 'head']),
});
const web = new Application(app, 'planwise-streamlit', {
  image: Image.fromDockerfile({ context: './reco/streamlit', repository: 'ghcr.io/planwise/planwise-streamlit' }),
  port: 8501,
  healthCheck: HealthCheck.http('/_stcore/health'),
  env: { PLANWISE_API_URL: 'http://planwise-api:8000' },
});

// --- three environments -----------------------------------------------------
const dev = new Environment(app, 'dev', {
  target: Target.kubernetes({ namespace: 'planwise-dev', kubeconfig: Secret.github('KUBECONFIG_DEV') }),
  branches: ['develop'],
});
const staging = new Environment(app, 'staging', {
  target: Target.kubernetes({ namespace: 'planwise-staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
});
const production = new Environment(app, 'production', {
  target: Target.kubernetes({ namespace: 'planwise-production', kubeconfig: Secret.github('KUBECONFIG_PRODUCTION') }),
  // the API: new version beside the old one, preview health-checked, then all traffic switched;
  // the old version is removed 10 minutes later
  rollout: Rollout.blueGreen({ scaleDownDelay: Duration.minutes(10) }),
  // the web app: the container is updated in place, then verified
  applicationRollouts: { 'planwise-streamlit': Rollout.allAtOnce() },
  approval: Approval.environment(),
  requires: [staging],
});

// --- the CI/CD pipeline -----------------------------------------------------
const toolchain = Toolchain.python('3.10', {
  install: 'python -m pip install flake8 black isort mypy pytest pytest-cov -r api/requirements.txt -r reco/requirements.txt',
  cacheDependencyPath: ['api/requirements.txt', 'reco/requirements.txt'],
});

new Pipeline(app, 'ci', {
  name: 'CI/CD Pipeline',
  applications: [api, web],
  triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main', 'develop'] })],
  toolchain,
  checks: [
    Check.lint([
      'black --check .',
      'isort --check-only --profile black .',
      'flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics',
      'mypy api/src reco/src',
    ]),
    Check.test('api-tests', ['pytest --cov=src --cov-report=xml'], {
      name: 'Run API tests',
      workingDirectory: 'api',
      // pinned by digest in slipway.lock.json: the digest of postgres:13 that public repositories pin
      // (a code search found it in two unrelated repositories); refresh: `npx slipway pin docker://postgres:13`
      services: [ServiceContainer.postgres('13', { user: 'postgres', password: 'postgres', database: 'test_db' })],
      env: { DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/test_db', SECRET_KEY: NotASecret.value('testing_secret_key'), ENV: 'test' },
      codecov: true,
    }),
    Check.test('reco-tests', ['python tests/run_tests.py'], { name: 'Run recommendation model tests', workingDirectory: 'reco' }),
    Check.imageScan(),
  ],
  stages: [dev, staging, production],
  notifications: [Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK_URL') })],
});

// --- pull request checks and dependency updates -----------------------------
new PullRequestChecks(app, 'pr-checks');
new Dependabot(app, 'dependabot', { toolchain, dockerDirectories: ['/api', '/reco/streamlit'] });

// --- manual rollback from the GitHub Actions UI -----------------------------
// Helm keeps every release revision; this workflow returns an environment to
// an earlier one (the previous, or the revision typed in). The schema is left
// as it is: migrations are expand-only, so the previous release still runs.
const rollback = new Workflow(app, 'rollback', {
  name: 'Rollback',
  runName: `Roll back ${Expression.input('environment')}`,
  triggers: [Trigger.workflowDispatch({
    inputs: {
      environment: DispatchInput.choice(['dev', 'staging', 'production'], { description: 'Environment to roll back', required: true }),
      revision: DispatchInput.string({ description: 'Helm revision to return to; empty for the previous one', default: '' }),
    },
  })],
});
const argoPlugin = Step.run([
  'mkdir -p "$RUNNER_TEMP/bin"',
  'curl -fsSL -o "$RUNNER_TEMP/bin/kubectl-argo-rollouts" https://github.com/argoproj/argo-rollouts/releases/download/v1.7.2/kubectl-argo-rollouts-linux-amd64',
  'chmod +x "$RUNNER_TEMP/bin/kubectl-argo-rollouts"',
  'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
].join('\n'), { name: 'Install the Argo Rollouts kubectl plugin' });
for (const env of [dev, staging, production]) {
  const ns = env.target.kubernetesOptions!.namespace;
  const steps = [
    Step.uses(Actions.setupHelm({ version: 'v3.13.0' }), { name: 'Set up Helm' }),
    Step.run([
      'mkdir -p "$HOME/.kube"',
      'printf \'%s\' "$KUBECONFIG_CONTENT" > "$HOME/.kube/config"',
      'chmod 600 "$HOME/.kube/config"',
    ].join('\n'), { name: `Connect to the ${env.name} cluster`, env: { KUBECONFIG_CONTENT: env.target.kubernetesOptions!.kubeconfig.expression } }),
  ];
  const blueGreen = [api, web].filter((a) => env.rolloutFor(a).kind === RolloutKind.BLUE_GREEN);
  if (blueGreen.length > 0) steps.push(argoPlugin);
  for (const a of [web, api]) {
    const lines = [`helm rollback ${a.name} $REVISION --namespace ${ns} --wait --timeout 660s`];
    if (blueGreen.includes(a)) {
      // the earlier Rollout spec comes back as a preview; once it is up, switch the traffic to it
      lines.push(
        `kubectl argo rollouts status ${a.name} --namespace ${ns} --timeout 660s || true`,
        `kubectl argo rollouts promote ${a.name} --namespace ${ns}`,
        `kubectl argo rollouts status ${a.name} --namespace ${ns} --timeout 660s`,
      );
    }
    lines.push(
      `kubectl run verify-${a.name}-$GITHUB_RUN_ID --namespace ${ns} --rm -i --restart=Never --quiet --image=curlimages/curl:8.21.0@sha256:7c12af72ceb38b7432ab85e1a265cff6ae58e06f95539d539b654f2cfa64bb13 -- \\`,
      `  curl -fsS --retry 5 --retry-delay 10 --retry-all-errors http://${a.name}.${ns}.svc${a.healthCheck.path}`,
    );
    steps.push(Step.run(lines.join('\n'), { name: `Roll back ${a.name} in ${env.name}`, env: { REVISION: Expression.input('revision').toString() } }));
  }
  rollback.addJob(`rollback-${env.name}`, {
    name: `Roll back ${env.name}`,
    if: `inputs.environment == '${env.name}'`,
    environment: { name: env.name },
    // the deploy jobs' lock: a rollback never overlaps a deploy of the same environment
    concurrency: { group: `deploy-${env.name}`, cancelInProgress: false },
    steps,
  });
}

app.synth();
