import * as YAML from 'yaml';
import { Application, HealthCheck, Image, Testing } from '../../src';
import { Environment } from '../../src/delivery/environment';
import { Pipeline } from '../../src/delivery/pipeline';
import { planJob } from '../../src/delivery/plan';
import { Secret } from '../../src/delivery/secret';
import { Target } from '../../src/delivery/target';
import { Trigger } from '../../src/github/trigger';
import { expectValid } from '../support/harness';

/** dev deploys pushes to develop; staging and production deploy pushes to main (seed 000). */
function gitFlow(options: { productionRequires?: 'staging' | 'dev' } = {}) {
  const app = Testing.app();
  const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
  const kube = (ns: string) => Target.kubernetes({ namespace: ns, kubeconfig: Secret.github(`KUBECONFIG_${ns.toUpperCase()}`) });
  const dev = new Environment(app, 'dev', { target: kube('dev'), branches: ['develop'] });
  const staging = new Environment(app, 'staging', { target: kube('staging') });
  const production = new Environment(app, 'production', {
    target: kube('production'),
    requires: options.productionRequires === 'dev' ? [dev] : options.productionRequires === 'staging' ? [staging] : undefined,
  });
  const pipeline = new Pipeline(app, 'ci', {
    applications: [api],
    triggers: [Trigger.push({ branches: ['main', 'develop'] }), Trigger.pullRequest({ branches: ['main', 'develop'] })],
    stages: [dev, staging, production],
  });
  return { app, pipeline };
}

describe('stages on different branches', () => {
  test('a stage follows the latest earlier stage that deploys from a common branch, not one that never runs with it', () => {
    const { pipeline } = gitFlow();
    const plan = pipeline._plan();
    // a push to main skips deploy-dev; needing it would skip staging on every run
    expect(planJob(plan, 'deploy-staging').needs).toEqual(['build']);
    expect(planJob(plan, 'deploy-production').needs).toEqual(['build', 'deploy-staging']);
    expect(planJob(plan, 'deploy-dev').needs).toEqual(['build']);
  });

  test('each deploy job runs only on pushes to its own branch; the output is valid', () => {
    const { app } = gitFlow({ productionRequires: 'staging' });
    const files = Testing.synth(app);
    expectValid(files);
    const jobs = YAML.parse(files['.github/workflows/ci.yml']).jobs;
    expect(jobs['deploy-dev'].if).toBe("(github.event_name == 'push') && (github.ref == 'refs/heads/develop')");
    expect(jobs['deploy-staging'].if).toBe("(github.event_name == 'push') && (github.ref == 'refs/heads/main')");
    expect(jobs['deploy-staging'].needs).not.toContain('deploy-dev');
    expect(jobs['deploy-production'].needs).toContain('deploy-staging');
  });

  test('requiring a stage of another branch is an error that names both branches and the fix', () => {
    const { app } = gitFlow({ productionRequires: 'dev' });
    expect(() => Testing.synth(app)).toThrow(
      '[ci] stage "production" requires "dev", but they deploy from different branches (dev: develop; production: main), so no run deploys both; give them a common branch in branches, or remove "dev" from requires');
  });
});
