import * as YAML from 'yaml';
import { Application, HealthCheck, Image, Testing } from '../../src';
import { Check, CheckPlacement } from '../../src/delivery/check';
import { Scanner } from '../../src/delivery/checks/security-scan';
import { Environment } from '../../src/delivery/environment';
import { Pipeline } from '../../src/delivery/pipeline';
import { planJob } from '../../src/delivery/plan';
import { Secret } from '../../src/delivery/secret';
import { Target } from '../../src/delivery/target';
import { Toolchain } from '../../src/delivery/toolchain';
import { expectValid } from '../support/harness';

/** Seed 001: lint, scans and tests gate a package build; the image is scanned after the image build. */
function packagesAfterGates(withStage = false) {
  const app = Testing.app();
  const image = new Application(app, 'lib', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/lib' }), healthCheck: HealthCheck.http('/health') });
  const staging = new Environment(app, 'staging', { target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('K') }) });
  const pipeline = new Pipeline(app, 'ci', {
    applications: [image],
    toolchain: Toolchain.python('3.11', { install: 'poetry install' }),
    checks: [
      Check.lint(['black --check .'], { id: 'code-quality' }),
      Check.securityScan([Scanner.BANDIT]),
      Check.test('test', ['pytest']),
      Check.custom('build-packages', ['poetry build'], { placement: CheckPlacement.AFTER_GATES, reports: ['dist/'] }),
      Check.imageScan(),
    ],
    stages: withStage ? [staging] : [],
  });
  return { app, pipeline };
}

describe('CheckPlacement.AFTER_GATES', () => {
  test('the check needs every BEFORE_DEPLOY check, but not the image build or the image scan', () => {
    const plan = packagesAfterGates().pipeline._plan();
    expect(planJob(plan, 'build-packages').needs).toEqual(['code-quality', 'security-scan', 'test']);
    expect(planJob(plan, 'image-scan').needs).toEqual(['build']);
  });

  test('deploys wait for it like for any other check', () => {
    const plan = packagesAfterGates(true).pipeline._plan();
    expect(planJob(plan, 'deploy-staging').needs).toEqual(expect.arrayContaining(['build-packages', 'code-quality', 'image-scan', 'build']));
  });

  test('rendered: needs in the workflow, reports uploaded, all valid', () => {
    const files = Testing.synth(packagesAfterGates().app);
    expectValid(files);
    const job = YAML.parse(files['.github/workflows/ci.yml']).jobs['build-packages'];
    expect(job.needs).toEqual(['code-quality', 'security-scan', 'test']);
    expect(job.steps.map((s: any) => s.name)).toEqual(expect.arrayContaining(['poetry build', 'Upload reports']));
  });

  test('in an environment\'s checks it is an error', () => {
    const app = Testing.app();
    const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
    const staging = new Environment(app, 'staging', {
      target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('K') }),
      checks: [Check.custom('package', ['poetry build'], { placement: CheckPlacement.AFTER_GATES })],
    });
    new Pipeline(app, 'ci', { applications: [a], stages: [staging] });
    expect(() => Testing.synth(app)).toThrow('[ci] check "package" of environment "staging" is a after-gates check; put it in the pipeline\'s checks: [...]');
  });
});

describe('checks on built images', () => {
  test('run only where the build pushed the images: not on pull requests', () => {
    const files = Testing.synth(packagesAfterGates().app);
    const jobs = YAML.parse(files['.github/workflows/ci.yml']).jobs;
    expect(jobs.build.if).toBe("github.event_name != 'pull_request'");
    expect(jobs['build-pull-request'].steps.find((s: any) => s.name === 'Build lib').with.push).toBe(false);
    expect(jobs['image-scan'].if).toBe("github.event_name != 'pull_request'");
    // source checks run on pull requests too
    expect(jobs['code-quality'].if).toBeUndefined();
    expect(jobs['build-packages'].if).toBeUndefined();
  });
});
