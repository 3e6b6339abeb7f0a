import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { coditect, contextApi, SERVICE_FILE } from './fixtures';
import { runRenderStep } from './render-step';
import { App, Duration, HealthCheck, Image, Migration, Rollout, Testing } from '../../src';
import { CloudRunAuth, CloudRunDeployment, CloudRunDeploymentOptions, CloudRunIngress, CloudRunService } from '../../src/cloudrun';
import { carriedProblems } from '../../src/core/strict';
import { Expression } from '../../src/github/expression';
import { Job } from '../../src/github/job';
import { Step } from '../../src/github/step';
import { Trigger } from '../../src/github/trigger';
import { Workflow } from '../../src/github/workflow';
import { cloudRunServing, newSim, seedCloudRunService, simEnv } from '../support/deploy';
import { expectValid } from '../support/harness';

const WIF = CloudRunAuth.workloadIdentity({
  workloadIdentityProvider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/coditect',
  serviceAccount: 'deployer@coditect-production.iam.gserviceaccount.com',
});
const DIGEST = 'sha256:' + 'ab12cd34'.repeat(8);

/** A deploy workflow: a build job whose digest output the Cloud Run deploy job uses. */
function deployWorkflow(app: App, service: CloudRunService, options: Partial<CloudRunDeploymentOptions> = {}):
{ deployment: CloudRunDeployment; files: { [path: string]: string } } {
  const wf = new Workflow(app, 'deploy-coditect', { triggers: [Trigger.push({ branches: ['main'] })] });
  const build = new Job(wf, 'build', {
    outputs: { digest: Expression.stepOutput('push', 'digest').toString() },
    steps: [Step.run('echo "digest=sha256:$(printf x | sha256sum | cut -c1-64)" >> "$GITHUB_OUTPUT"', { id: 'push' })],
  });
  const deployment = new CloudRunDeployment(service, {
    auth: WIF,
    imageDigest: Expression.needs(build.jobId, 'digest').toString(),
    ...options,
  });
  new Job(wf, 'deploy', { needs: ['build'], environment: { name: service.environment }, steps: deployment.steps() });
  return { deployment, files: Testing.synth(app) };
}

function workflowDoc(files: { [path: string]: string }): any {
  return parse(files['.github/workflows/deploy-coditect.yml']);
}

describe('CloudRunDeployment steps', () => {
  test('seed 002 canary 10 → 50 → 100: a workflow that passes actionlint and the workflow parser', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { rollout: Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(5) }) });
    const { files } = deployWorkflow(app, service);
    const report = expectValid(files);
    expect(report.checked['.github/workflows/deploy-coditect.yml']).toEqual(expect.arrayContaining(['actionlint']));
    expect(files['.github/workflows/deploy-coditect.yml']).toMatchSnapshot();

    const job = workflowDoc(files).jobs.deploy;
    expect(job.permissions).toEqual(expect.objectContaining({ 'id-token': 'write', 'contents': 'read' }));
    const names = job.steps.map((s: any) => s.name);
    expect(names).toEqual([
      'Check out',
      'Authenticate to Google Cloud (Workload Identity Federation)',
      'Set up gcloud',
      'Render the Cloud Run specs of coditect-backend',
      'Record the serving revisions of coditect-backend',
      'Migrate coditect-backend (expand)',
      'Deploy coditect-backend without traffic (tag canary)',
      'Check the canary revision of coditect-backend',
      'Shift 10% of coditect-backend to canary',
      'Bake coditect-backend at 10% for 5m',
      'Check the canary revision of coditect-backend',
      'Shift 50% of coditect-backend to canary',
      'Bake coditect-backend at 50% for 5m',
      'Check the canary revision of coditect-backend',
      'Promote coditect-backend to 100%',
      'Check coditect-backend',
      'Roll back coditect-backend',
      'Report the outcome',
    ]);
    const byName = (n: string) => job.steps.find((s: any) => s.name === n);
    expect(byName('Authenticate to Google Cloud (Workload Identity Federation)').uses).toMatch(/^google-github-actions\/auth@[0-9a-f]{40}$/);
    expect(byName('Authenticate to Google Cloud (Workload Identity Federation)').with).toEqual({
      workload_identity_provider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/coditect',
      service_account: 'deployer@coditect-production.iam.gserviceaccount.com',
    });
    expect(byName('Set up gcloud').uses).toMatch(/^google-github-actions\/setup-gcloud@[0-9a-f]{40}$/);
    // every deploy step runs one verb of the generated script, its parameters in env
    const where = { SLIPWAY_SERVICE: 'coditect-backend', SLIPWAY_PROJECT: 'coditect-production', SLIPWAY_REGION: 'us-central1', SLIPWAY_TAG: 'canary' };
    expect(byName('Render the Cloud Run specs of coditect-backend')).toMatchObject({
      run: 'exec bash .github/slipway/cloud-run.sh render', env: { ...where, SLIPWAY_IMAGE_DIGEST: '${{ needs.build.outputs.digest }}' },
    });
    expect(byName('Migrate coditect-backend (expand)').run)
      .toBe('exec bash .github/slipway/cloud-run.sh migrate expand coditect-backend-migrate-expand context-api-migrate-expand.coditect.job.yaml');
    expect(byName('Shift 10% of coditect-backend to canary')).toMatchObject({ run: 'exec bash .github/slipway/cloud-run.sh shift 10', env: where });
    expect(byName('Bake coditect-backend at 10% for 5m').run).toBe('sleep 300');
    expect(byName('Promote coditect-backend to 100%').run).toBe('exec bash .github/slipway/cloud-run.sh promote');
    expect(byName('Check coditect-backend')).toMatchObject({ run: 'exec bash .github/slipway/cloud-run.sh check', env: { SLIPWAY_CHECK_PATH: '/health', SLIPWAY_RETRIES: '10' } });
    expect(byName('Roll back coditect-backend')).toMatchObject({ if: 'failure() || cancelled()', run: 'exec bash .github/slipway/cloud-run.sh rollback' });
    expect(byName('Report the outcome')).toMatchObject({ if: 'always()', id: 'report' });
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['.github/slipway/cloud-run.sh', '.github/slipway/lib.sh']));
  });

  test('contract runs after promotion and before the rollback step, which it cannot trigger', () => {
    const app = Testing.app();
    const api = contextApi(app, { migration: Migration.phases({ expand: ['alembic', 'upgrade', 'expand'], contract: ['alembic', 'upgrade', 'head'] }) });
    const service = coditect(app, api);
    const { files } = deployWorkflow(app, service);
    expectValid(files);
    const names = workflowDoc(files).jobs.deploy.steps.map((s: any) => s.name);
    expect(names.slice(-6)).toEqual([
      'Migrate coditect-backend (expand)', 'Deploy coditect-backend', 'Check coditect-backend', 'Migrate coditect-backend (contract)', 'Roll back coditect-backend', 'Report the outcome',
    ]);
  });

  test('service-account key authentication, as seed 002 does, needs no id-token permission', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app));
    const { files } = deployWorkflow(app, service, { auth: CloudRunAuth.serviceAccountKey() });
    expectValid(files);
    const job = workflowDoc(files).jobs.deploy;
    expect(job.steps[1].with).toEqual({ credentials_json: '${{ secrets.GCP_SA_KEY }}' });
    expect(job.permissions?.['id-token']).toBeUndefined();
  });

  test('blue-green deploys a preview revision, checks it, then promotes', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { rollout: Rollout.blueGreen() });
    const { files } = deployWorkflow(app, service);
    expectValid(files);
    const names = workflowDoc(files).jobs.deploy.steps.map((s: any) => s.name);
    expect(names).toEqual(expect.arrayContaining([
      'Deploy coditect-backend without traffic (tag preview)', 'Check the preview revision of coditect-backend', 'Promote coditect-backend to 100%',
    ]));
    expect(names.some((n: string) => n.startsWith('Shift'))).toBe(false);
  });

  test('an internal service is not checked from the runner', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { ingress: CloudRunIngress.INTERNAL });
    const { deployment, files } = deployWorkflow(app, service);
    expectValid(files);
    expect(deployment.runnerHealthCheck).toBe(false);
    const check = workflowDoc(files).jobs.deploy.steps.find((s: any) => s.name === 'Check coditect-backend');
    expect(check.run).not.toContain('curl');
  });

  test('a TCP health check accepts any HTTP answer below 500', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app, { healthCheck: HealthCheck.tcp() }));
    const { files } = deployWorkflow(app, service);
    expectValid(files);
    const check = workflowDoc(files).jobs.deploy.steps.find((s: any) => s.name === 'Check coditect-backend');
    expect(check).toMatchObject({ run: 'exec bash .github/slipway/cloud-run.sh check', env: { SLIPWAY_ANY_ANSWER: 'true', SLIPWAY_CHECK_PATH: '/' } });
  });

  test.each([
    ['a built image without a digest', { imageDigest: undefined }, /\[coditect\] deploying "coditect-backend" needs imageDigest/],
    ['a digest that is neither expression nor digest', { imageDigest: 'latest' }, /imageDigest "latest" is neither an expression/],
    ['a runner check of an internal service', { runnerHealthCheck: true }, /runnerHealthCheck needs ingress "all"/],
    ['zero attempts', { healthCheckAttempts: 0 }, /healthCheckAttempts is 0/],
  ])('%s is refused with the service path', (_name, options, message) => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { ingress: (options as any).runnerHealthCheck ? CloudRunIngress.INTERNAL : CloudRunIngress.ALL });
    expect(() => new CloudRunDeployment(service, { auth: WIF, imageDigest: '${{ needs.build.outputs.digest }}', ...(options as any) })).toThrow(message);
  });

  test('authentication inputs are checked', () => {
    expect(carriedProblems(CloudRunAuth.workloadIdentity({ workloadIdentityProvider: 'github', serviceAccount: 'deployer@p.iam.gserviceaccount.com' })).join('\n'))
      .toMatch(/workloadIdentityProvider "github" must be "projects\/<number>\/locations\/global\/workloadIdentityPools/);
    expect(carriedProblems(CloudRunAuth.serviceAccountKey('GCP-KEY')).join('\n')).toMatch(/"GCP-KEY" is not a GitHub secret name/);
  });
});

describe('the render step, run for real', () => {
  test('the digest replaces the image in the service and job specs and suffixes the revision; the result stays valid', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { rollout: Rollout.canary({ steps: [10, 50] }) });
    const files = Testing.synth(app);
    const { specs, revision } = runRenderStep(files, new CloudRunDeployment(service, { auth: WIF, imageDigest: '${{ needs.build.outputs.digest }}' }), DIGEST);
    expect(revision).toBe(`${service.revisionName}-ab12cd`);
    expect(revision.length).toBeLessThanOrEqual(63);
    expect(Object.keys(specs)).toEqual(['context-api-migrate-expand.coditect.job.yaml', 'context-api.coditect.service.yaml']);

    const renderedService = specs['context-api.coditect.service.yaml'];
    const doc = parse(renderedService);
    expect(doc.spec.template.metadata.name).toBe(revision);
    expect(doc.spec.template.spec.containers[0].image).toBe(`docker.io/coditect/context-app@${DIGEST}`);
    expect(doc.spec.traffic[1]).toEqual({ revisionName: revision, percent: 0, tag: 'canary' });
    const job = parse(specs['context-api-migrate-expand.coditect.job.yaml']);
    expect(job.spec.template.spec.template.spec.containers[0].image).toBe(`docker.io/coditect/context-app@${DIGEST}`);
    expect(job.metadata.name).toBe('coditect-backend-migrate-expand');
    // only the image and the two revision-name lines change
    const committed = files[SERVICE_FILE].split('\n');
    expect(renderedService.split('\n').filter((l, i) => l !== committed[i])).toEqual([
      `      name: ${revision}`,
      `          image: docker.io/coditect/context-app@${DIGEST}`,
      `    - revisionName: ${revision}`,
    ]);
    expectValid({
      'deploy/cloudrun/context-api.coditect.service.yaml': renderedService,
      'deploy/cloudrun/context-api-migrate-expand.coditect.job.yaml': specs['context-api-migrate-expand.coditect.job.yaml'],
    });
  });

  test('the no-traffic rewrite keeps every request on the recorded revisions and stays valid', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app), { rollout: Rollout.canary({ steps: [10] }) });
    const deployment = new CloudRunDeployment(service, { auth: WIF, imageDigest: '${{ needs.build.outputs.digest }}' });
    const files = Testing.synth(app);
    // a service split 60/40 between two revisions, as a half-finished earlier canary leaves it
    const sim = newSim();
    seedCloudRunService(sim, {
      service: 'coditect-backend',
      project: 'coditect-production',
      region: 'us-central1',
      revisions: [{ name: 'coditect-backend-0a1b2c-aaaaaa', image: 'docker.io/coditect/context-app@sha256:' + 'a'.repeat(64) },
        { name: 'coditect-backend-0a1b2c-bbbbbb', image: 'docker.io/coditect/context-app@sha256:' + 'b'.repeat(64) }],
      traffic: [{ revisionName: 'coditect-backend-0a1b2c-aaaaaa', percent: 60 }, { revisionName: 'coditect-backend-0a1b2c-bbbbbb', percent: 40 }],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cloudrun-rewrite-'));
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), content);
    }
    const runnerTemp = path.join(dir, 'runner-temp');
    fs.writeFileSync(path.join(dir, 'out'), '');
    const steps = [...deployment.setupSteps().filter((st) => st.script), deployment.recordStep(), deployment.deployStep()];
    for (const st of steps) {
      execFileSync('bash', ['-c', st.script!], {
        cwd: dir,
        env: simEnv(sim, { RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: path.join(dir, 'out'), ...st.env, SLIPWAY_IMAGE_DIGEST: DIGEST }),
      });
    }
    const spec = fs.readFileSync(path.join(runnerTemp, 'slipway-cloudrun', 'context-api.coditect.service.yaml'), 'utf8');
    const doc = parse(spec);
    expect(doc.spec.traffic).toEqual([
      { revisionName: 'coditect-backend-0a1b2c-aaaaaa', percent: 60 },
      { revisionName: 'coditect-backend-0a1b2c-bbbbbb', percent: 40 },
      { revisionName: doc.spec.template.metadata.name, percent: 0, tag: 'canary' },
    ]);
    expectValid({ 'deploy/cloudrun/context-api.coditect.service.yaml': spec });
    // and the service took it: the new revision exists, serves nothing, and has the tag
    const serving = cloudRunServing(sim, 'coditect-backend')!;
    expect(serving.percent).toEqual({ 'coditect-backend-0a1b2c-aaaaaa': 60, 'coditect-backend-0a1b2c-bbbbbb': 40 });
    expect(serving.tags).toEqual({ canary: doc.spec.template.metadata.name });
  });

  test('a malformed digest stops the render step', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app));
    let stderr = '';
    try {
      runRenderStep(Testing.synth(app), new CloudRunDeployment(service, { auth: WIF, imageDigest: '${{ needs.build.outputs.digest }}' }), 'sha256:nothex');
    } catch (e) {
      stderr = String((e as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/::error::SLIPWAY_IMAGE_DIGEST 'sha256:nothex' is not a digest sha256:<64 hex digits>/);
  });

  test('a prebuilt tagged image deploys without a digest and keeps the committed revision name', () => {
    const app = Testing.app();
    const service = coditect(app, contextApi(app, { image: Image.fromRegistry('us-docker.pkg.dev/coditect/apps/context-app', '1.4.2') }));
    const files = Testing.synth(app);
    const { specs, revision } = runRenderStep(files, new CloudRunDeployment(service, { auth: WIF }), '');
    expect(revision).toBe(service.revisionName);
    expect(specs['context-api.coditect.service.yaml']).toBe(files[SERVICE_FILE]);
  });
});
