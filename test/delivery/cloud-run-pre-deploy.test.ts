import * as YAML from 'yaml';
import { Application, Environment, HealthCheck, Image, Pipeline, Target, Testing } from '../../src';
import { expectValid } from '../support/harness';

describe('Target.cloudRun preDeploy (seed 004: terraform apply before the service moves)', () => {
  function synth(preDeploy: string[] | undefined) {
    const app = Testing.app();
    const api = new Application(app, 'api', {
      image: Image.fromDockerfile({ repository: 'europe-west1-docker.pkg.dev/kitchen/apps/api' }),
      port: 8000,
      healthCheck: HealthCheck.http('/health'),
    });
    const staging = new Environment(app, 'staging', {
      target: Target.cloudRun({ project: 'kitchen-staging', region: 'europe-west1', preDeploy }),
    });
    new Pipeline(app, 'ci', { applications: [api], stages: [staging] });
    const files = Testing.synth(app);
    return { files, job: YAML.parse(files['.github/workflows/ci.yml']).jobs['deploy-staging'] };
  }

  test('runs after the authentication and before the deploy, with the commit, environment and image', () => {
    const { files, job } = synth(['terraform -chdir=infra init -input=false', 'terraform -chdir=infra apply -input=false -auto-approve']);
    expectValid(files);
    const names: string[] = job.steps.map((s: any) => s.name);
    const pre = names.indexOf('Before deploying to staging');
    expect(pre).toBeGreaterThan(names.findIndex((n) => /^Authenticate to Google Cloud/.test(n)));
    expect(pre).toBeLessThan(names.indexOf('Deploy api'));
    expect(job.steps[pre].run).toBe('terraform -chdir=infra init -input=false\nterraform -chdir=infra apply -input=false -auto-approve');
    expect(job.steps[pre].env).toEqual({
      SLIPWAY_SHA: '${{ github.sha }}',
      SLIPWAY_ENVIRONMENT: 'staging',
      SLIPWAY_IMAGE_API: '${{ needs.build.outputs.image-api }}',
    });
  });

  test('adds nothing when not given', () => {
    const { job } = synth(undefined);
    expect(job.steps.map((s: any) => s.name)).not.toContain('Before deploying to staging');
    expect(Target.cloudRun({ project: 'kitchen-staging', region: 'europe-west1' }).preDeployCommands).toEqual([]);
    expect(Target.custom({ deploy: ['x'], preDeploy: ['backup'] }).preDeployCommands).toEqual(['backup']);
  });
});
