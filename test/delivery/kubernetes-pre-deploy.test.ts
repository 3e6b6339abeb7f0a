import * as YAML from 'yaml';
import { Application, Environment, HealthCheck, Image, Migration, Pipeline, Secret, Target, Testing } from '../../src';
import { expectValid } from '../support/harness';

describe('Kubernetes preDeploy', () => {
  const app = Testing.app();
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }),
    healthCheck: HealthCheck.http('/health'),
    migration: Migration.command(['alembic', 'upgrade', 'head']),
  });
  const prod = new Environment(app, 'prod', {
    target: Target.kubernetes({ namespace: 'prod', kubeconfig: Secret.github('KUBECONFIG'), preDeploy: ['./scripts/backup.sh', 'terraform -chdir=infra apply -auto-approve'] }),
  });
  new Pipeline(app, 'cd', { applications: [api], stages: [prod] });
  const files = Testing.synth(app);
  const job = YAML.parse(files['.github/workflows/cd.yml']).jobs['deploy-prod'];
  const names: string[] = job.steps.map((s: any) => s.name);

  test('runs after connecting to the cluster and before migrations and the deploy', () => {
    const pre = names.indexOf('Before deploying to prod');
    expect(pre).toBeGreaterThan(names.indexOf('Connect to the prod cluster'));
    expect(pre).toBeLessThan(names.indexOf('Migrate api (expand)'));
    expect(job.steps[pre].run).toBe('./scripts/backup.sh\nterraform -chdir=infra apply -auto-approve');
    expect(job.steps[pre].env).toEqual({ SLIPWAY_SHA: '${{ github.sha }}', SLIPWAY_ENVIRONMENT: 'prod', SLIPWAY_IMAGE_API: '${{ needs.build.outputs.image-api }}' });
    expectValid(files);
  });
});
