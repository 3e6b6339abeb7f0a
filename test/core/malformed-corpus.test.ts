import * as fs from 'fs';
import * as YAML from 'yaml';
import {
  Actions, App, Application, Approval, Check, CloudRunService, DispatchInput, Duration, Environment,
  HealthCheck, HelmChart, Image, Matrix, Migration, Pipeline, Rollout, Scaling, Secret, SecretRef, ServiceContainer, SmokeTest, Step, Target,
  Toolchain, Trigger, Workflow, WorkflowCallInput,
} from '../../src';
import { SlipwayError } from '../../src/core/errors';
import { expectValid } from '../support/harness';
import { tempDir } from '../support/temp-project';

/**
 * Malformed definitions, one or more per construct family and per rule: each
 * is refused at synth with the construct path and the fix, and nothing is
 * written. Valid edge cases next to them still synthesize, and their output
 * passes the real validators.
 */

interface Refused {
  /** The construct path the message starts with. */
  readonly path: string;
  /** Text of the message that names the problem. */
  readonly problem: string;
  /** Text of the message that names the fix. */
  readonly fix: string;
}

/** Synthesizes into a fresh directory; returns the problems. Asserts the synth throws and writes nothing. */
function refuse(define: (app: App) => void): string[] {
  const outdir = tempDir('corpus');
  let problems: string[] | undefined;
  try {
    const app = new App({ outdir, sourceFile: 'slipway.ts' });
    define(app);
    app.synth();
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    problems = (e as SlipwayError).problems;
  }
  expect(problems).toBeDefined();
  expect(fs.readdirSync(outdir)).toEqual([]);
  return problems!;
}

function expectRefused(problems: string[], ...expected: Refused[]): void {
  for (const r of expected) {
    const hit = problems.find((p) => p.startsWith(`[${r.path}] `) && p.includes(r.problem));
    if (!hit) throw new Error(`no problem at [${r.path}] containing ${JSON.stringify(r.problem)}; problems:\n${problems.join('\n')}`);
    expect(hit).toContain(r.fix);
  }
}

const k8s = (namespace = 'prod') => Target.kubernetes({ namespace, kubeconfig: Secret.github('KUBECONFIG') });
const api = (app: App, extra: object = {}) => new Application(app, 'api', {
  image: Image.fromRegistry('ghcr.io/acme/api', '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/health'), ...extra,
});
const workflow = (app: App, extra: object = {}) => new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })], ...extra });

describe('value objects: every problem is reported by the construct that uses it, all in one synth', () => {
  test('Duration, HealthCheck, Image, SecretRef, Scaling, Migration, Rollout, Target and Secret problems together', () => {
    const problems = refuse((app) => {
      new Application(app, 'api', {
        image: Image.fromRegistry('ghcr.io/acme/api:1.0.0'),
        port: 8080,
        healthCheck: HealthCheck.http('/health', { interval: Duration.seconds(-5), failureThreshold: 0 }),
        secrets: { DB_PASSWORD: SecretRef.of('DB_Credentials', 'password') },
        scaling: Scaling.auto({ minReplicas: 3, maxReplicas: 2 }),
        migration: Migration.phases({}),
      });
      new Environment(app, 'production', {
        target: Target.kubernetes({ namespace: 'Prod', kubeconfig: Secret.github('kube-config') }),
        rollout: Rollout.canary({ steps: [50, 10] }),
        smokeTest: SmokeTest.command('', { retries: 0 }),
      });
    });
    expectRefused(problems,
      { path: 'api', problem: 'Image repository "ghcr.io/acme/api:1.0.0" is invalid', fix: 'give the tag as the second argument of Image.fromRegistry' },
      { path: 'api', problem: 'Duration must be a non-negative finite number of seconds, got -5', fix: 'Duration.seconds(30)' },
      { path: 'api', problem: 'HealthCheck failureThreshold must be an integer ≥ 1, got 0', fix: 'failureThreshold: 3' },
      { path: 'api', problem: 'SecretRef name "DB_Credentials"', fix: 'e.g. "db-credentials"' },
      { path: 'api', problem: 'Scaling.auto needs integers', fix: '{ minReplicas: 2, maxReplicas: 10 }' },
      { path: 'api', problem: 'Migration needs a command', fix: 'use Migration.command([...])' },
      { path: 'production', problem: 'Target.kubernetes namespace "Prod"', fix: 'e.g. "prod"' },
      { path: 'production', problem: 'Secret.github("kube-config") is not a valid secret name', fix: 'e.g. "KUBE_CONFIG"' },
      { path: 'production', problem: 'Rollout.canary steps must be strictly increasing', fix: '10 follows 50' },
      { path: 'production', problem: 'SmokeTest.command needs a non-empty command', fix: 'e.g. "npm run smoke"' },
      { path: 'production', problem: 'SmokeTest retries must be an integer within 1..100, got 0', fix: 'retries: 5' },
    );
  });

  test('a health path with a newline or without a leading "/"; a zero probe interval', () => {
    const problems = refuse((app) => {
      api(app, { healthCheck: HealthCheck.http('/health\n', { interval: Duration.seconds(0) }) });
      new Application(app, 'web', { image: Image.fromRegistry('nginx'), port: 80, healthCheck: HealthCheck.http('healthz') });
    });
    expectRefused(problems,
      { path: 'api', problem: 'contains whitespace', fix: 'e.g. "/health"' },
      { path: 'api', problem: 'HealthCheck interval must be at least 1 second', fix: 'interval: Duration.seconds(10)' },
      { path: 'web', problem: 'HealthCheck.http path must start with "/"', fix: 'e.g. "/healthz"' },
    );
  });

  test('delivery value objects: Toolchain, Approval, CloudRunAuth, Target.custom, Target.cloudRun', () => {
    const problems = refuse((app) => {
      const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'europe-docker.pkg.dev/acme/apps/api' }), port: 8080 });
      const staging = new Environment(app, 'staging', {
        target: Target.cloudRun({ project: 'acme-staging', region: 'moon', credentials: Secret.github('gcp-key') }),
      });
      const prod = new Environment(app, 'production', {
        target: Target.custom({ deploy: [] }), url: 'https://example.com', approval: Approval.manualDispatch({ confirmation: 'yes please' }), requires: [staging],
      });
      new Pipeline(app, 'cd', { applications: [a], stages: [staging, prod], toolchain: Toolchain.node('20 lts') });
    });
    expectRefused(problems,
      { path: 'staging', problem: 'Target.cloudRun region "moon"', fix: '"us-central1"' },
      { path: 'staging', problem: 'Secret.github("gcp-key")', fix: 'e.g. "GCP_KEY"' },
      { path: 'production', problem: 'Target.custom needs at least one deploy command', fix: 'deploy: ["docker compose up -d"]' },
      { path: 'production', problem: 'confirmation "yes please"', fix: 'e.g. "DEPLOY"' },
      { path: 'cd', problem: 'Toolchain.node: version "20 lts"', fix: 'pass e.g. "20"' },
    );
  });
});

describe('a pipeline reports every problem of its stages and applications at once, each once', () => {
  test('value objects of Kubernetes and Cloud Run stages, the charts and services the pipeline makes, and the pipeline\'s own', () => {
    const problems = refuse((app) => {
      new Application(app, 'api', {
        image: Image.fromRegistry('ghcr.io/Acme/api:1.0'),
        port: 8080,
        healthCheck: HealthCheck.http('/health', { interval: Duration.seconds(-1) }),
        secrets: { A: SecretRef.of('Bad_Name', 'key') },
      });
      const web = new Application(app, 'web', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/web' }), port: 8080, env: { TOKEN: '${{ secrets.TOKEN }}' } });
      const staging = new Environment(app, 'staging', {
        target: Target.cloudRun({ project: 'X', region: 'europe-west10', service: 'web' }), rollout: Rollout.canary({ steps: [50, 20, 100] }),
      });
      const prod = new Environment(app, 'production', {
        target: Target.kubernetes({ namespace: 'Prod', kubeconfig: Secret.github('KUBECONFIG') }),
        rollout: Rollout.canary({ steps: [0, 100] }),
        replicas: -1,
        requires: [staging],
      });
      new Pipeline(app, 'ci', { applications: [web], stages: [staging, prod], checks: [Check.custom('build', ['make'])] });
    });
    expectRefused(problems,
      { path: 'api', problem: 'Image repository "ghcr.io/Acme/api:1.0" is invalid', fix: 'give the tag as the second argument' },
      { path: 'api', problem: 'Duration must be a non-negative finite number of seconds, got -1', fix: 'Duration.seconds(30)' },
      { path: 'api', problem: 'SecretRef name "Bad_Name"', fix: 'e.g. "bad-name"' },
      { path: 'web', problem: 'env.TOKEN reads a GitHub secret', fix: 'secrets: { TOKEN: SecretRef.of(' },
      { path: 'staging', problem: 'Target.cloudRun project "X"', fix: 'e.g. "coditect-production"' },
      { path: 'staging', problem: 'Rollout.canary steps must be strictly increasing', fix: '20 follows 50' },
      { path: 'staging/web', problem: 'registry "ghcr.io", which Cloud Run cannot deploy from', fix: 'push the image to Artifact Registry' },
      { path: 'production', problem: 'Target.kubernetes namespace "Prod"', fix: 'e.g. "prod"' },
      { path: 'production', problem: 'Rollout.canary steps must be integers within 1..100', fix: 'step 1 is 0' },
      { path: 'production', problem: 'replicas must be an integer ≥ 0, got -1', fix: 'got -1' },
      { path: 'ci', problem: 'check "build" would be a second job "build" in workflow "ci"', fix: 'e.g. "build-check"' },
    );
    // each problem once: the chart and the service the pipeline made do not repeat what the stage reports
    expect(problems.filter((p) => /namespace "Prod"|project "X"|replicas must|Rollout\.canary steps/.test(p))).toHaveLength(5);
    expect(problems.filter((p) => p.startsWith('[web/helm]') || !p.startsWith('['))).toEqual([]);
    expect(problems.join('\n')).not.toMatch(/region "europe-west10"|is not a function|Cannot read/);
  });
});

describe('values of the wrong type: what TypeScript reports, in a JavaScript definition or through a cast', () => {
  test('one or more per construct family, each with the construct path, all in one synth', () => {
    const problems = refuse((app) => {
      const a = api(app, { port: '8080', env: { PORT: 8080 } });
      new HelmChart(app, 'chart', { application: a, deployTimeout: 300 } as any);
      new CloudRunService(app, 'svc', { application: a, project: 'acme-prod', region: 'europe-west1', environment: 'production', minInstances: '1' } as any);
      const wf = workflow(app, { triggers: [Trigger.push({ branches: 'main' } as any)], permissions: { contents: 'admin' } });
      wf.addJob('test', { steps: [Step.run('make test', { env: { CI: true } } as any)] });
      const prod = new Environment(app, 'production', { target: k8s(), url: 5 } as any);
      new Pipeline(app, 'cd', { applications: [a], stages: [prod], triggers: Trigger.push() } as any);
    });
    expectRefused(problems,
      { path: 'api', problem: 'Application props.port must be a number', fix: 'not the string "8080"' },
      { path: 'api', problem: 'Application props.env.PORT must be a string', fix: 'not the number 8080' },
      { path: 'chart', problem: 'HelmChart props.deployTimeout must be a Duration', fix: 'e.g. Duration.' },
      { path: 'svc', problem: 'CloudRunService props.minInstances must be a number', fix: 'not the string "1"' },
      { path: 'ci', problem: 'Trigger.push() options.branches must be a list', fix: '([...])' },
      { path: 'ci', problem: 'Workflow props.permissions.contents must be one of PermissionLevel.READ', fix: 'not the string "admin"' },
      { path: 'ci', problem: 'Step.run() options.env.CI must be a string', fix: 'not true' },
      { path: 'production', problem: 'Environment props.url must be a string', fix: 'not the number 5' },
      { path: 'cd', problem: 'Pipeline props.triggers must be a list', fix: 'not a Trigger' },
    );
    expect(problems.join('\n')).not.toMatch(/is not a function|Cannot read|is not iterable/);
  });
});

describe('problems that stopped the synth at the first are collected with the others', () => {
  test('steps, runners, service containers, triggers, jobs, stages and pipelines', () => {
    const problems = refuse((app) => {
      const wf = workflow(app, {
        triggers: [Trigger.schedule('61 * * * *'), Trigger.workflowDispatch({ inputs: { env: DispatchInput.choice(['a', 'b'], { default: 'c' }) } })],
        concurrency: { group: '' },
      });
      wf.addJob('a', {
        timeout: Duration.minutes(0),
        runsOn: [''] as any,
        services: { db: ServiceContainer.of('', { healthCheck: { command: 'true', retries: 0 } }) },
        steps: [Step.run(''), Step.run('x', { id: 's' }), Step.run('y', { id: 's' }), Step.run('z', { id: 'my step' })],
      });
      const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'us-docker.pkg.dev/acme/apps/api' }), port: 8080, healthCheck: HealthCheck.http('/health') });
      const st = new Environment(app, 'staging', { target: k8s('staging'), url: 'example.com', branches: [''] });
      new Pipeline(app, 'CD', { applications: [a, a], stages: [st] });
    });
    expectRefused(problems,
      { path: 'ci', problem: 'Workflow.addJob() props.runsOn must be a RunsOn', fix: 'not a list' },
      { path: 'ci', problem: 'Step.run needs a non-empty script', fix: 'e.g. Step.run(\'npm test\')' },
      { path: 'ci', problem: 'step id "my step" is invalid', fix: 'e.g. "build-image"' },
      { path: 'ci', problem: 'ServiceContainer needs an image', fix: 'e.g. "postgres:15"' },
      { path: 'ci', problem: 'healthCheck.retries must be an integer ≥ 1, got 0', fix: 'got 0' },
      { path: 'ci', problem: 'cron "61 * * * *": minute value "61" is out of range', fix: 'allowed: 0-59' },
      { path: 'ci', problem: 'input "env" has default "c", which is not one of its options', fix: 'options: a, b' },
      { path: 'ci', problem: 'concurrency.group is empty', fix: 'give a group key' },
      { path: 'ci/a', problem: 'step id "s" is used by steps 2 and 3', fix: 'Rename one of them' },
      { path: 'ci/a', problem: 'timeout must be at least one minute', fix: 'at least one minute' },
      { path: 'staging', problem: 'url "example.com" is not an http(s) URL', fix: 'e.g. "https://example.com"' },
      { path: 'staging', problem: 'branches entry 1 is empty', fix: 'e.g. "main"' },
      { path: 'CD', problem: 'Pipeline id "CD" must be lowercase letters', fix: 'it names the workflow file' },
      { path: 'CD', problem: 'application "api" is listed twice in applications', fix: 'listed twice' },
    );
  });

  test('valid edge cases: an environment URL with a path or to localhost, release branches, a service with a URL variable, a step id with "_"', () => {
    const app = new App({ outdir: tempDir('corpus-valid'), sourceFile: 'slipway.ts' });
    const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'us-docker.pkg.dev/acme/apps/api' }), port: 8080, healthCheck: HealthCheck.http('/health') });
    const review = new Environment(app, 'review', { target: k8s('review'), url: 'https://review.example.com/app', branches: ['main', 'release/*'] });
    const prod = new Environment(app, 'production', { target: k8s(), url: 'http://localhost:8080', requires: [review], branches: ['main'] });
    new Pipeline(app, 'cd', { applications: [a], stages: [review, prod] });
    const wf = workflow(app);
    wf.addJob('test', { services: { db: ServiceContainer.postgres('16', { urlEnv: 'DB_URL' }) }, steps: [Step.run('pytest', { id: 'unit_tests' })] });
    const files = app._collect().reduce((o, f) => ({ ...o, [f.path]: f.content }), {} as { [p: string]: string });
    expectValid(files);
  });
});

describe('GitHub: what GitHub would reject', () => {
  test('event names and activity types', () => {
    const problems = refuse((app) => {
      const wf = workflow(app, {
        triggers: [
          Trigger.event('pushh'),
          Trigger.pullRequest({ types: ['opend'] }),
          Trigger.release({ types: ['publishd'] }),
          Trigger.event('issue_comment', { types: ['created', 'edit'] }),
        ],
      });
      wf.addJob('test', { steps: [Step.run('make test')] });
    });
    expectRefused(problems,
      { path: 'ci', problem: '"pushh" is not an event that starts a GitHub workflow', fix: 'did you mean "push"?' },
      { path: 'ci', problem: '"opend" is not an activity type of "pull_request"', fix: 'did you mean "opened"?' },
      { path: 'ci', problem: '"publishd" is not an activity type of "release"', fix: 'did you mean "published"?' },
      { path: 'ci', problem: '"edit" is not an activity type of "issue_comment"', fix: 'did you mean "edited"?' },
    );
  });

  test('empty branch names and filters', () => {
    const problems = refuse((app) => {
      const wf = workflow(app, { triggers: [Trigger.push({ branches: ['main', ''] }), Trigger.pullRequest({ branches: [] })] });
      wf.addJob('test', { steps: [Step.run('make test')] });
    });
    expectRefused(problems,
      { path: 'ci', problem: 'push "branches" entry 2 is empty', fix: 'e.g. "main"' },
      { path: 'ci', problem: 'pull_request "branches" is an empty list', fix: 'leave it out or give a pattern' },
    );
  });

  test('expressions: functions, inputs, matrix, needs, steps, unterminated, steps in a job env', () => {
    const problems = refuse((app) => {
      const wf = workflow(app, {
        triggers: [Trigger.workflowDispatch({ inputs: { environment: DispatchInput.string({ required: true }) } })],
      });
      wf.addJob('build', {
        env: { IMAGE: '${{ steps.meta.outputs.image }}' },
        strategy: { matrix: Matrix.of({ node: ['20', '22'] }) },
        steps: [
          Step.run('echo "$KEY"', { id: 'meta', env: { KEY: '${{ hashFile(\'**/package-lock.json\') }}' } }),
          Step.run('echo "$E"', { env: { E: '${{ inputs.enviroment }}' } }),
          Step.run('echo "$N"', { env: { N: '${{ matrix.nod }}' } }),
          Step.run('echo "$S"', { env: { S: '${{ steps.metta.outputs.x }}' } }),
          Step.run('echo "$U"', { env: { U: '${{ github.sha' } }),
        ],
      });
      wf.addJob('deploy', { steps: [Step.run('echo "$R"', { env: { R: '${{ needs.biuld.outputs.x }}' } })] });
    });
    expectRefused(problems,
      { path: 'ci/build', problem: '"hashfile()" is not a GitHub expression function', fix: 'did you mean "hashFiles"?' },
      { path: 'ci/build', problem: 'reads "inputs.enviroment", but no trigger declares input "enviroment"', fix: 'did you mean "environment"?' },
      { path: 'ci/build', problem: 'reads "matrix.nod", which is not a key of the job\'s matrix', fix: 'keys: node' },
      { path: 'ci/build', problem: 'reads "steps.metta"', fix: 'step ids: meta' },
      { path: 'ci/build', problem: 'without its closing "}}"', fix: 'close the expression with "}}"' },
      { path: 'ci/build', problem: 'env.IMAGE: reads the steps context', fix: 'move the value into the step\'s env' },
      { path: 'ci/deploy', problem: '"biuld" is not a job of workflow "ci"', fix: 'jobs: build, deploy' },
    );
  });

  test('invalid permission levels and the matrix limit', () => {
    const problems = refuse((app) => {
      const wf = workflow(app, { permissions: { contents: 'admin' } });
      wf.addJob('test', {
        strategy: { matrix: Matrix.of({ a: range(8), b: range(8), c: range(5) }) },
        steps: [Step.run('make test')],
      });
    });
    expectRefused(problems,
      { path: 'ci', problem: 'Workflow props.permissions.contents must be one of PermissionLevel.READ, PermissionLevel.WRITE, PermissionLevel.NONE', fix: 'not the string "admin"' },
      { path: 'ci/test', problem: 'strategy.matrix makes 320 jobs; GitHub allows at most 256', fix: 'Split the job, remove axis values, or exclude combinations' },
    );
  });

  test('reusable workflows are checked against the callee in the definition', () => {
    const problems = refuse((app) => {
      const deploy = new Workflow(app, 'deploy', {
        triggers: [Trigger.workflowCall({
          inputs: { environment: WorkflowCallInput.string({ required: true }), dryRun: WorkflowCallInput.boolean({ default: false }) },
          secrets: { KUBECONFIG: { required: true } },
          outputs: { url: { value: '${{ jobs.rollout.outputs.url }}' } },
        })],
      });
      deploy.addJob('apply', { steps: [Step.run('make deploy')] });
      const ci = workflow(app);
      ci.addReusableWorkflowJob('call', {
        uses: './.github/workflows/deploy.yml',
        with: { dry_run: true },
        secrets: { KUBE_CONFIG: Secret.github('KUBECONFIG').expression },
      });
      ci.addJob('after', { needs: ['call'], steps: [Step.run('echo "$U"', { env: { U: '${{ needs.call.outputs.ulr }}' } })] });
    });
    expectRefused(problems,
      { path: 'deploy', problem: 'workflow_call output "url" reads "jobs.rollout"', fix: 'jobs: apply' },
      { path: 'ci/call', problem: 'passes with.dry_run, but "./.github/workflows/deploy.yml" declares no input "dry_run"', fix: 'did you mean "dryRun"?' },
      { path: 'ci/call', problem: 'does not pass the required input "environment"', fix: 'add it to "with"' },
      { path: 'ci/call', problem: 'passes secret "KUBE_CONFIG"', fix: 'did you mean "KUBECONFIG"?' },
      { path: 'ci/call', problem: 'does not pass the required secret "KUBECONFIG"', fix: 'set inheritSecrets: true' },
      { path: 'ci/after', problem: 'reads "needs.call.outputs.ulr", but job "call" has no output "ulr"', fix: 'did you mean "url"? its outputs: url. Declare it in the outputs of Trigger.workflowCall() of "./.github/workflows/deploy.yml"' },
    );
  });

  test('a check named like the pipeline\'s build job names the pipeline\'s workflow', () => {
    const problems = refuse((app) => {
      const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), port: 8080 });
      const prod = new Environment(app, 'production', { target: k8s() });
      new Pipeline(app, 'ci', { applications: [a], checks: [Check.custom('build', ['make build'])], stages: [prod] });
    });
    expectRefused(problems, { path: 'ci', problem: 'check "build" would be a second job "build" in workflow "ci"', fix: 'e.g. "build-check"' });
  });
});

describe('Kubernetes: what the API server or helm would reject', () => {
  test('limits below requests, helm --timeout 0s, a chart inside .github/workflows', () => {
    const problems = refuse((app) => {
      const a = api(app, { resources: { cpuRequest: '500m', cpuLimit: '250m', memoryRequest: '1Gi', memoryLimit: '512Mi' } });
      new HelmChart(app, 'chart', { application: a, deployTimeout: Duration.seconds(0), directory: '.github/workflows/chart' });
    });
    expectRefused(problems,
      { path: 'api', problem: 'resources.cpuLimit "250m" is below cpuRequest "500m"', fix: 'Raise cpuLimit to at least "500m"' },
      { path: 'api', problem: 'resources.memoryLimit "512Mi" is below memoryRequest "1Gi"', fix: 'Raise memoryLimit to at least "1Gi"' },
      { path: 'chart', problem: 'deployTimeout is 0s', fix: 'Duration.minutes(5)' },
      { path: 'chart', problem: 'is inside .github/workflows', fix: 'e.g. "deploy/helm/api"' },
    );
  });
});

test('an environment\'s resources below the application\'s requests: the merged limit is checked; equal passes', () => {
  const problems = refuse((app) => {
    const a = api(app, { resources: { cpuRequest: '500m', memoryRequest: '256Mi' } });
    new HelmChart(app, 'chart', {
      application: a,
      environments: [
        { name: 'staging', namespace: 'staging', resources: { cpuLimit: '250m', memoryLimit: '128Mi' } },
        { name: 'prod', namespace: 'prod', resources: { cpuLimit: '500m', memoryLimit: '256Mi' } },
      ],
    });
  });
  expectRefused(problems,
    { path: 'chart', problem: 'environment "staging": resources.cpuLimit "250m" is below cpuRequest "500m"', fix: 'Raise cpuLimit to at least "500m"' },
    { path: 'chart', problem: 'environment "staging": resources.memoryLimit "128Mi" is below memoryRequest "256Mi"', fix: 'Raise memoryLimit to at least "256Mi"' },
  );
  expect(problems.join('\n')).not.toContain('environment "prod"');
});

describe('Cloud Run: registries it can pull from', () => {
  test('an image in ghcr.io', () => {
    const problems = refuse((app) => {
      new CloudRunService(app, 'svc', { application: api(app), project: 'acme-prod', region: 'europe-west1', environment: 'production' });
    });
    expectRefused(problems, { path: 'svc', problem: 'registry "ghcr.io", which Cloud Run cannot deploy from', fix: 'push the image to Artifact Registry' });
  });
});

describe('a stage\'s env and replicas reach the applications, or are refused', () => {
  test('on a custom target nothing would carry them: refused; on Cloud Run a GitHub secret expression would be a literal in the spec', () => {
    const problems = refuse((app) => {
      const a = new Application(app, 'api', { image: Image.fromRegistry('us-docker.pkg.dev/acme/apps/api', '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/health') });
      const run = new Environment(app, 'staging', {
        target: Target.cloudRun({ project: 'acme-staging', region: 'europe-west1' }), env: { API_TOKEN: '${{ secrets.API_TOKEN }}' },
      });
      const edge = new Environment(app, 'edge', {
        target: Target.custom({ deploy: ['./deploy.sh'] }), url: 'https://edge.example.com', env: { LOG_LEVEL: 'debug' }, replicas: 3, requires: [run],
      });
      new Pipeline(app, 'cd', { applications: [a], stages: [run, edge] });
    });
    expectRefused(problems,
      { path: 'staging/api', problem: 'env.API_TOKEN reads a GitHub secret', fix: 'secrets: { API_TOKEN: SecretRef.of(' },
      { path: 'edge', problem: 'env (LOG_LEVEL) is added to the applications of Kubernetes and Cloud Run targets', fix: 'Target.custom({ deploy: [...], env: { ... } })' },
      { path: 'edge', problem: 'replicas sets the replica count on Kubernetes and the minimum instances on Cloud Run', fix: 'remove replicas' },
    );
  });

  test('a Cloud Run stage\'s env is in the service spec; a custom target\'s own env is in the deploy job', () => {
    const app = new App({ outdir: tempDir('corpus-valid'), sourceFile: 'slipway.ts' });
    const a = new Application(app, 'api', { image: Image.fromRegistry('us-docker.pkg.dev/acme/apps/api', '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/health'), env: { LOG_LEVEL: 'info' } });
    const run = new Environment(app, 'staging', { target: Target.cloudRun({ project: 'acme-staging', region: 'europe-west1' }), env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' }, replicas: 1 });
    const edge = new Environment(app, 'edge', {
      target: Target.custom({ deploy: ['./deploy.sh'], env: { LOG_LEVEL: 'trace' } }), url: 'https://edge.example.com', requires: [run],
    });
    new Pipeline(app, 'cd', { applications: [a], stages: [run, edge] });
    const files = app._collect().reduce((o, f) => ({ ...o, [f.path]: f.content }), {} as { [p: string]: string });
    const spec = YAML.parse(files['deploy/cloudrun/api.staging.service.yaml']);
    expect(spec.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'FEATURE_X', value: 'on' }]));
    expect(files['.github/workflows/cd.yml']).toContain('LOG_LEVEL: trace');
    expectValid(files);
  });
});

describe('valid edge cases still synthesize, and their output passes the validators', () => {
  test('GitHub: every activity type spelled right, case-insensitive functions, declared inputs, steps in job outputs', () => {
    const app = new App({ outdir: tempDir('corpus-valid'), sourceFile: 'slipway.ts' });
    const callee = new Workflow(app, 'deploy', {
      triggers: [Trigger.workflowCall({
        inputs: { environment: WorkflowCallInput.string({ required: true }), dryRun: WorkflowCallInput.boolean({ default: false }) },
        secrets: { KUBECONFIG: { required: true } },
        outputs: { url: { value: '${{ jobs.apply.outputs.url }}' } },
      })],
    });
    const apply = callee.addJob('apply', { steps: [Step.run('echo "url=https://$ENVIRONMENT.example.com" >> "$GITHUB_OUTPUT"', { id: 'url', env: { ENVIRONMENT: '${{ inputs.environment }}' } })] });
    apply.addOutput('url', '${{ steps.url.outputs.url }}');
    const wf = new Workflow(app, 'ci', {
      triggers: [
        Trigger.push({ branches: ['main', 'release/**'] }),
        Trigger.pullRequest({ types: ['opened', 'synchronize', 'ready_for_review'] }),
        Trigger.release({ types: ['published'] }),
        Trigger.event('issue_comment', { types: ['created'] }),
        Trigger.workflowDispatch({ inputs: { environment: DispatchInput.string({ default: 'staging' }) } }),
      ],
    });
    wf.addJob('test', {
      strategy: { matrix: Matrix.of({ a: range(16), b: range(16) }) },
      steps: [
        Step.uses(Actions.checkout()),
        Step.run('echo "$K $E $A"', {
          env: {
            K: "${{ HashFiles('**/package-lock.json') }}",
            E: '${{ inputs.environment }}',
            A: "${{ format('{0}-{1}', matrix.a, matrix.b) }}",
          },
        }),
      ],
    });
    wf.addReusableWorkflowJob('call', {
      uses: './.github/workflows/deploy.yml',
      with: { environment: 'staging' },
      secrets: { KUBECONFIG: Secret.github('KUBECONFIG').expression },
    });
    wf.addJob('report', { needs: ['call'], steps: [Step.run('echo "$URL"', { env: { URL: '${{ needs.call.outputs.URL }}' } })] });
    const files = app._collect().reduce((o, f) => ({ ...o, [f.path]: f.content }), {} as { [p: string]: string });
    expectValid(files);
  });

  test('Cloud Run pulls from Artifact Registry, gcr.io and Docker Hub; limits equal to requests pass', () => {
    const app = new App({ outdir: tempDir('corpus-valid'), sourceFile: 'slipway.ts' });
    ['europe-west1-docker.pkg.dev/acme/apps/api', 'gcr.io/acme/worker', 'eu.gcr.io/acme/batch', 'nginx'].forEach((repository, i) => {
      const a = new Application(app, `app${i}`, {
        image: Image.fromRegistry(repository, '1.0.0'),
        port: 8080,
        healthCheck: HealthCheck.http('/health'),
        resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '512Mi' },
      });
      new CloudRunService(app, `svc${i}`, { application: a, project: 'acme-prod', region: 'europe-west1', environment: 'production' });
    });
    const files = app._collect().reduce((o, f) => ({ ...o, [f.path]: f.content }), {} as { [p: string]: string });
    expect(Object.keys(files).filter((f) => f.startsWith('deploy/cloudrun/'))).toHaveLength(4);
    expectValid(files);
  });
});

describe('Approval.manualDispatch with a built image writes a deploy job GitHub accepts', () => {
  test.each(['custom', 'kubernetes'])('on a %s target: the job env reads no steps context; the steps get the image', (kind) => {
    const app = new App({ outdir: tempDir('corpus-dispatch'), sourceFile: 'slipway.ts' });
    const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), port: 8080, healthCheck: HealthCheck.http('/health') });
    const staging = new Environment(app, 'staging', { target: k8s('staging') });
    const prod = new Environment(app, 'production', {
      target: kind === 'custom' ? Target.custom({ deploy: ['./deploy.sh "$SLIPWAY_IMAGE_API"'] }) : k8s(),
      url: 'https://example.com',
      approval: Approval.manualDispatch(),
      requires: [staging],
    });
    new Pipeline(app, 'ci', { applications: [a], stages: [staging, prod] });
    const files = app._collect().reduce((o, f) => ({ ...o, [f.path]: f.content }), {} as { [p: string]: string });
    const dispatch = YAML.parse(files['.github/workflows/ci-production.yml']);
    const job = dispatch.jobs['deploy-production'];
    expect(JSON.stringify(job.env ?? {})).not.toMatch(/steps\./);
    const resolve = job.steps[0];
    expect(resolve.id).toBe('resolve-images');
    expect(resolve.run).toContain('echo "SLIPWAY_IMAGE_API=ghcr.io/acme/api@$digest" >> "$GITHUB_ENV"');
    expectValid(files);
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
