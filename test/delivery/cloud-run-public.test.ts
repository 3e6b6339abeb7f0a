import * as YAML from 'yaml';
import { Application, Environment, HealthCheck, Image, Pipeline, Target, Testing } from '../../src';
import { expectValid } from '../support/harness';

function synth(allowUnauthenticated: boolean) {
  const app = Testing.app();
  const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'europe-docker.pkg.dev/acme-prod/apps/api' }), healthCheck: HealthCheck.http('/health') });
  const prod = new Environment(app, 'prod', { target: Target.cloudRun({ project: 'acme-prod', region: 'europe-west1', allowUnauthenticated }) });
  new Pipeline(app, 'cd', { applications: [api], stages: [prod] });
  const files = Testing.synth(app);
  return { files, job: YAML.parse(files['.github/workflows/cd.yml']).jobs['deploy-prod'] };
}

describe('Cloud Run allowUnauthenticated', () => {
  test('grants roles/run.invoker to allUsers before the new revision is checked', () => {
    const { files, job } = synth(true);
    expectValid(files);
    const names: string[] = job.steps.map((s: any) => s.name);
    const grant = names.indexOf('Allow unauthenticated calls to api');
    expect(grant).toBeGreaterThan(-1);
    expect(job.steps[grant].run).toBe('exec bash .github/slipway/cloud-run.sh allow-public');
    expect(job.steps[grant].env).toMatchObject({ SLIPWAY_SERVICE: 'api', SLIPWAY_PROJECT: 'acme-prod', SLIPWAY_REGION: 'europe-west1' });
    // the script's verb grants exactly this role to exactly this member
    const script = files['.github/slipway/cloud-run.sh'];
    expect(script).toContain('gc run services add-iam-policy-binding "$SLIPWAY_SERVICE" "${where[@]}" --member=allUsers --role=roles/run.invoker');
    expect(grant).toBeLessThan(names.indexOf('Check api'));
  });

  test('is off by default', () => {
    const { files, job } = synth(false);
    expectValid(files);
    expect(JSON.stringify(job)).not.toContain('allUsers');
  });
});
