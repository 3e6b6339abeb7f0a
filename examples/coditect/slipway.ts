// Seed 002 (CODITECT ADR-008): one application deployed to Kubernetes with Helm
// (staging, then a production canary 10% -> 50% -> 100% behind monitoring gates)
// and to Cloud Run, with zero-downtime expand / migrate / contract migrations.
import {
  Analysis, App, Application, Approval, Check, Duration, Environment, HealthCheck, Image, LoadTool, Migration,
  Notification, NotifyOn, Pipeline, Rollout, Scanner, Secret, SecretRef, ServiceContainer, Target, Toolchain, Trigger,
} from 'slipway';

// Every container image the jobs run must be pinned by digest (slipway.lock.json, `npx slipway pin docker://name:tag`).
const app = new App({ supplyChain: { strict: true } });

const api = new Application(app, 'context-api', {
  image: Image.fromDockerfile({ context: '.', dockerfile: 'docker/Dockerfile.app', repository: 'docker.io/coditect/context-app' }),
  port: 8000,
  healthCheck: HealthCheck.http('/health'),
  secrets: { DATABASE_URL: SecretRef.of('context-db', 'url'), REDIS_URL: SecretRef.of('context-redis', 'url') },
  resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  // Zero-downtime schema changes: expand before the rollout, backfill, contract after 100%.
  migration: Migration.phases({
    expand: ['alembic', 'upgrade', 'expand@head'],
    migrate: ['python', '-m', 'core.backfill'],
    contract: ['alembic', 'upgrade', 'contract@head'],
    timeout: Duration.minutes(4),
  }),
});

const staging = new Environment(app, 'staging', {
  target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING'), timeout: Duration.minutes(5) }),
  checks: [
    // ADR-008: p95 latency under 100 ms, and a DAST scan of the running API
    Check.loadTest({ tool: LoadTool.K6, script: 'tests/load/api.js', p95: Duration.millis(100) }),
    Check.dast(),
  ],
  url: 'https://staging.context.coditect.ai',
});

const production = new Environment(app, 'production', {
  target: Target.kubernetes({ namespace: 'production', kubeconfig: Secret.github('KUBECONFIG_PRODUCTION'), timeout: Duration.minutes(5) }),
  rollout: Rollout.canary({
    steps: [10, 50, 100],
    bake: Duration.minutes(5),
    // monitoring gate at each step: the canary's error rate from Prometheus
    analysis: Analysis.prometheus({
      address: 'http://prometheus.monitoring:9090',
      query: 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service}}"}[2m]))',
      successCondition: 'result[0] >= 0.99',
      failureLimit: 1,
      count: 3,
    }),
  }),
  approval: Approval.environment(),
  url: 'https://context.coditect.ai',
  requires: [staging],
});

const coditect = new Environment(app, 'coditect', {
  target: Target.cloudRun({
    project: 'coditect-production',
    region: 'us-central1',
    service: 'coditect-backend',
    credentials: Secret.github('GCP_SA_KEY'),
  }),
  rollout: Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(5) }),
  requires: [staging],
});

new Pipeline(app, 'ci', {
  applications: [api],
  triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main'] }), Trigger.workflowDispatch()],
  toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev' }),
  checks: [
    Check.lint(['ruff check .', 'black --check .', 'mypy core/']),
    Check.test('unit-tests', ['pytest tests/unit/ --cov=core --cov-report=xml'], { coverage: 80, codecov: true }),
    Check.test('integration-tests', ['alembic upgrade head', 'pytest tests/integration/'], {
      // pinned by digest in slipway.lock.json: the digests of postgres:15 and redis:7 that public
      // repositories pin (a code search found each in two unrelated repositories); refresh them
      // with `npx slipway pin docker://postgres:15 docker://redis:7`
      services: [ServiceContainer.postgres('15'), ServiceContainer.redis('7')],
      env: {
        DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres',
        REDIS_URL: 'redis://localhost:6379/0',
      },
    }),
    Check.securityScan([Scanner.BANDIT, Scanner.SAFETY]),
    Check.imageScan(),
  ],
  stages: [staging, production, coditect],
  notifications: [Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK'), on: [NotifyOn.FAILURE, NotifyOn.ROLLBACK] })],
});

app.synth();
