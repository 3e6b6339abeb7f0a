// Seed 003, Mangetamain ("Back to the Future Kitchen"): a Streamlit app on one VM, deployed by a
// self-hosted runner with docker compose. Preprod deploys first and rolls back to the last
// validated commit when CI fails; production is a manual deploy confirmed by typing DEPLOY.
import {
  App, Application, Approval, Check, DocsWorkflow, Environment, HealthCheck, HealthCheckWorkflow, Image, Notification,
  NotifyOn, PagesPublishing, Pipeline, PythonPackageManager, Rollout, RunsOn, Secret, SmokeTest, Target, Toolchain, Trigger,
} from 'slipway';

// Every container image the jobs run must be pinned by digest (slipway.lock.json, `npx slipway pin docker://name:tag`).
const app = new App({ supplyChain: { strict: true } });

const discord = Secret.github('DISCORD_WEBHOOK_URL');
const dataia = ['self-hosted', 'Linux', 'X64']; // the runner on the dataia VM, inside the VPN
const docker = '~/mangetamain/30_docker';

// The app is built and run on the VM by docker compose from a git checkout, so no image is pushed.
const mangetamain = new Application(app, 'mangetamain', {
  image: Image.fromRegistry('mangetamain'),
  port: 8501,
  healthCheck: HealthCheck.http('/_stcore/health'),
});

/** Puts a checkout on the VM at a commit and restarts its container. */
function resetAndRestart(dir: string, compose: string, shaVariable: string): string[] {
  return [
    `cd ${dir}`,
    'git fetch origin main',
    `git reset --hard "$${shaVariable}"`,
    `docker-compose -f ${docker}/${compose} restart`,
  ];
}

// CD Preprod: deploy first (~40 s, without waiting for CI), then validate or roll back when CI has finished.
const preprod = new Environment(app, 'preprod', {
  target: Target.custom({
    platform: 'docker compose on dataia',
    runsOn: dataia,
    deploy: resetAndRestart('~/mangetamain/10_preprod', 'docker-compose-preprod.yml', 'SLIPWAY_SHA'),
    rollback: resetAndRestart('~/mangetamain/10_preprod', 'docker-compose-preprod.yml', 'SLIPWAY_ROLLBACK_SHA'),
  }),
  rollout: Rollout.deployFirst(),
  url: 'https://mangetamain.lafrance.io',
  smokeTest: SmokeTest.http({ retries: 3 }),
});

// CD Production: manual, typed confirmation, backup first, the commit preprod validated, 5 health-check attempts.
const prod = new Environment(app, 'prod', {
  target: Target.custom({
    platform: 'docker compose on dataia',
    runsOn: dataia,
    preDeploy: [
      // Environment status: PREPROD vs PROD, and only a commit preprod validated may go to production.
      "git fetch --force origin 'refs/tags/slipway/*:refs/tags/slipway/*'",
      'echo "PREPROD validated: $(git rev-parse --short slipway/validated/preprod)"',
      'echo "PROD running:      $(git -C ~/mangetamain/20_prod rev-parse --short HEAD)"',
      'echo "deploying:         $(git rev-parse --short "$SLIPWAY_SHA")"',
      'if [ "$(git rev-parse "$SLIPWAY_SHA")" != "$(git rev-parse slipway/validated/preprod)" ]; then',
      '  echo "::error::$SLIPWAY_SHA is not the commit preprod validated; run again with sha: $(git rev-parse slipway/validated/preprod)"',
      '  exit 1',
      'fi',
      // Automatic backup before the deploy, named after the commit it saves.
      'mkdir -p ~/mangetamain/backups',
      'tar -czf ~/mangetamain/backups/20_prod-"$(git -C ~/mangetamain/20_prod rev-parse --short HEAD)".tar.gz -C ~/mangetamain 20_prod',
    ],
    deploy: resetAndRestart('~/mangetamain/20_prod', 'docker-compose-prod.yml', 'SLIPWAY_SHA'),
    rollback: resetAndRestart('~/mangetamain/20_prod', 'docker-compose-prod.yml', 'SLIPWAY_ROLLBACK_SHA'),
  }),
  approval: Approval.manualDispatch({ confirmation: 'DEPLOY' }),
  url: 'https://backtothefuturekitchen.lafrance.io',
  smokeTest: SmokeTest.http({ retries: 5 }),
  requires: [preprod],
});

// CI (GitHub-hosted) and CD preprod (self-hosted) start together on every push to main.
new Pipeline(app, 'ci', {
  name: 'CI/CD Pipeline',
  applications: [mangetamain],
  triggers: [
    Trigger.push({ branches: ['main'] }),
    Trigger.pullRequest({ branches: ['main'] }),
    Trigger.workflowDispatch(), // `gh workflow run ci.yml` redeploys preprod
  ],
  toolchain: Toolchain.python('3.13.7', { packageManager: PythonPackageManager.UV }),
  checks: [
    Check.lint([
      'flake8 src/ tests/ --max-line-length=88',
      'black --check src/ tests/',
      'pydocstyle --convention=google src/',
    ], { id: 'quality', name: 'Quality Checks', advisoryCommands: ['mypy src/'] }),
    Check.test('tests', ['pytest tests/ -v --cov=src --cov-report=html --cov-fail-under=90'], {
      name: 'Preprod Tests',
      coverage: 90,
      reports: ['htmlcov/'],
      reportRetentionDays: 30,
    }),
    Check.test('infrastructure-tests', ['pytest 50_test/ -v'], {
      name: 'Infrastructure Tests (S3, DuckDB, SQL)',
      allowFailure: true, // they need credentials CI may not have
    }),
  ],
  stages: [preprod, prod],
  summary: true, // job 4: the result of every job, one status check that blocks the merge when CI fails
  // CI: failures only; CD: every deployment and every rollback.
  notifications: [Notification.discord({ webhook: discord, on: [NotifyOn.FAILURE, NotifyOn.DEPLOYED, NotifyOn.ROLLBACK] })],
});

new HealthCheckWorkflow(app, 'health-check', {
  targets: [
    { name: 'PREPROD', url: 'https://mangetamain.lafrance.io/', expectedText: 'Mangetamain' },
    { name: 'PROD', url: 'https://backtothefuturekitchen.lafrance.io/', expectedText: 'Mangetamain' },
  ],
  runsOn: RunsOn.labels(dataia),
  notifications: [Notification.discord({ webhook: discord })], // DOWN alerts only
});

new DocsWorkflow(app, 'documentation', {
  fileName: 'documentation.yml',
  toolchain: Toolchain.python('3.13.7', { install: 'pip install -r 90_doc/requirements.txt' }),
  buildCommands: ['sphinx-build -b html 90_doc/source 90_doc/build/html'],
  outputDirectory: '90_doc/build/html',
  paths: ['90_doc/source/**', '90_doc/requirements.txt'],
  pullRequests: false,
  publishing: PagesPublishing.BRANCH,
  notifications: [Notification.discord({ webhook: discord, on: [NotifyOn.FAILURE] })],
});

app.synth();
