// Seed 004, "The Kitchen": GitHub Flow with GitHub Actions. Pull requests into main and pushes to
// feature branches run the static checks, the unit tests and a Docker build. A merge to main builds
// and pushes the image once, applies Terraform and deploys to staging, runs integration and Locust
// load tests against staging, then waits for a reviewer before production gets the same image and
// the same Terraform configuration, rolled out progressively with smoke tests at every step.
import {
  App, Application, Approval, Check, CheckPlacement, Duration, Environment, HealthCheck, IacScanner, Image, LoadTool,
  Pipeline, Rollout, Scanner, Target, Toolchain, Trigger,
} from 'slipway';

// Every container image the jobs run must be pinned by digest (slipway.lock.json, `npx slipway pin docker://name:tag`).
const app = new App({ supplyChain: { strict: true } });

// The FastAPI service. Its image is built once per commit and promoted by digest.
const api = new Application(app, 'api', {
  image: Image.fromDockerfile({
    repository: 'europe-west1-docker.pkg.dev/kitchen-platform/kitchen/api',
    context: '.',
    dockerfile: 'services/api/Dockerfile',
  }),
  port: 8000,
  healthCheck: HealthCheck.http('/health'),
});

/** HashiCorp's Terraform image, pinned by digest (a tag can be pushed again). */
const TERRAFORM_IMAGE = 'hashicorp/terraform:1.9.8@sha256:18f9986038bbaf02cf49db9c09261c778161c51dcc7fb7e355ae8938459428cd';

/**
 * Terraform from HashiCorp's image, run in the deploy job after it authenticated to Google Cloud
 * (the credentials file the authentication wrote is in the workspace, mounted at the same path).
 */
function terraform(environment: string, command: string): string {
  return `docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:$PWD" -w "$PWD/infra/environments/${environment}" `
    + `-e GOOGLE_APPLICATION_CREDENTIALS -e TF_IN_AUTOMATION=1 ${TERRAFORM_IMAGE} ${command}`;
}

/** Before the service moves: the environment's infrastructure, then the Airflow DAGs of the same commit. */
function infrastructureAndDags(environment: string): string[] {
  return [
    terraform(environment, 'init -input=false'),
    terraform(environment, 'apply -input=false -auto-approve'),
    `gcloud storage rsync airflow/dags gs://kitchen-${environment}-airflow/dags --recursive --delete-unmatched-destination-objects`,
  ];
}

const staging = new Environment(app, 'staging', {
  target: Target.cloudRun({
    project: 'kitchen-staging',
    region: 'europe-west1',
    service: 'kitchen-api',
    preDeploy: infrastructureAndDags('staging'),
  }),
  url: 'https://api.staging.kitchen.example',
  checks: [
    // API tests and end-to-end pipeline runs on sample data, against staging (TARGET_URL).
    Check.custom('integration-tests', ['pytest tests/integration/ -v', 'python -m pipelines.e2e --sample-data'], {
      name: 'Integration tests',
      placement: CheckPlacement.AFTER_DEPLOY,
    }),
    Check.loadTest({
      tool: LoadTool.LOCUST,
      script: 'tests/load/locustfile.py',
      p95: Duration.millis(500),
      users: 50,
      duration: Duration.minutes(5),
    }),
  ],
});

const production = new Environment(app, 'production', {
  target: Target.cloudRun({
    project: 'kitchen-production',
    region: 'europe-west1',
    service: 'kitchen-api',
    preDeploy: infrastructureAndDags('production'),
  }),
  url: 'https://api.kitchen.example',
  approval: Approval.environment(), // required reviewers on the "production" GitHub environment
  // progressive rollout: a tagged revision without traffic, then 10% and 50% for 10 minutes each, then 100%
  rollout: Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(10) }),
  requires: [staging],
});

new Pipeline(app, 'ci', {
  name: 'CI/CD',
  applications: [api],
  // GitHub Flow: pull requests into main and pushes to feature branches run CI; a merge to main deploys.
  triggers: [
    Trigger.pullRequest({ branches: ['main'] }),
    Trigger.push({ branches: ['main', 'feature/*'] }),
  ],
  toolchain: Toolchain.python('3.12', { install: 'pip install -r requirements.txt -r requirements-dev.txt' }),
  checks: [
    Check.lint(['flake8 .', 'black --check .', 'mypy .']),
    Check.iacScan([
      IacScanner.tflint({ directory: 'infra', recursive: true }),
      IacScanner.checkov({ directory: 'infra', frameworks: ['terraform'] }),
    ]),
    Check.securityScan([Scanner.BANDIT]),
    Check.test('unit-tests', [
      'pytest tests/unit/api -v', // backend API logic
      'pytest tests/unit/data_processing -v', // data processing scripts
      'pytest tests/unit/ml_pipeline -v', // ML pipeline components
    ]),
  ],
  stages: [staging, production],
});

app.synth();
