import * as YAML from 'yaml';
import { Application, Duration, HealthCheck, Image, Rollout, Testing } from '../../src';
import { Environment, EnvironmentProps } from '../../src/delivery/environment';
import { Pipeline } from '../../src/delivery/pipeline';
import { planJob, PlanWhen } from '../../src/delivery/plan';
import { Secret } from '../../src/delivery/secret';
import { Target } from '../../src/delivery/target';
import { expectValid } from '../support/harness';

/** An API that deploys blue-green and a web app that is updated in place, in one environment (seed 000). */
function blueGreenApiOnly() {
  const app = Testing.app();
  const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), port: 8000, healthCheck: HealthCheck.http('/health') });
  const web = new Application(app, 'web', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/web', context: 'web' }), port: 8501, healthCheck: HealthCheck.http('/_stcore/health') });
  const production = new Environment(app, 'production', {
    target: Target.kubernetes({ namespace: 'production', kubeconfig: Secret.github('KUBECONFIG_PRODUCTION') }),
    rollout: Rollout.blueGreen({ scaleDownDelay: Duration.minutes(10) }),
    applicationRollouts: { web: Rollout.allAtOnce() },
  });
  const pipeline = new Pipeline(app, 'ci', { applications: [api, web], stages: [production] });
  return { app, api, web, production, pipeline };
}

describe('Environment applicationRollouts', () => {
  test('rolloutFor: the entry of applicationRollouts, else the environment rollout', () => {
    const { api, web, production } = blueGreenApiOnly();
    expect(production.rolloutFor(api).kind).toBe('blue-green');
    expect(production.rolloutFor(web).kind).toBe('all-at-once');
  });

  test('the plan: preview, check and switch for the API; deploy and check for the web app', () => {
    const { pipeline } = blueGreenApiOnly();
    const flow = planJob(pipeline._plan(), 'deploy-production').actions
      .filter((a) => a.when === PlanWhen.SUCCESS && a.application && a.kind !== 'record')
      .map((a) => `${a.application!.name}:${a.kind}@${a.weight}`);
    expect(flow).toEqual([
      'api:deploy@0', 'api:smoke-test@0', 'api:promote@100', 'api:smoke-test@100',
      'web:deploy@100', 'web:smoke-test@100',
    ]);
  });

  test('each chart gets its own strategy; the deploy job switches only the API; all output is valid', () => {
    const { app } = blueGreenApiOnly();
    const files = Testing.synth(app);
    expectValid(files);
    expect(YAML.parse(files['deploy/helm/api/values-production.yaml']).rollout.strategy).toBe('argo-blue-green');
    expect(YAML.parse(files['deploy/helm/web/values-production.yaml']).rollout.strategy).toBe('rolling');
    expect(files).toHaveProperty(['deploy/helm/api/templates/rollout.yaml']);
    expect(files).not.toHaveProperty(['deploy/helm/web/templates/rollout.yaml']);
    const names: string[] = YAML.parse(files['.github/workflows/ci.yml']).jobs['deploy-production'].steps.map((s: any) => s.name);
    expect(names).toEqual(expect.arrayContaining([
      'Deploy api to production (Argo Rollouts)', 'Smoke test api (preview) inside the cluster', 'Switch api traffic to the new release',
      'Deploy web to production', 'Smoke test web (release) inside the cluster',
    ]));
    expect(names.filter((n) => /Switch web|web \(preview\)|Deploy web .*Argo/.test(n))).toEqual([]);
  });

  test('bad input: an unknown application, deploy-first, traffic splitting on a custom target', () => {
    const app = Testing.app();
    const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
    const kube = Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('K') });
    const staging = new Environment(app, 'staging', { target: kube, applicationRollouts: { wbe: Rollout.allAtOnce() } });
    new Pipeline(app, 'ci', { applications: [api], stages: [staging] });
    expect(() => Testing.synth(app)).toThrow('stage "staging" has applicationRollouts for "wbe", which is not an application of this pipeline; applications: api');

    const custom = Target.custom({ deploy: ['./deploy.sh'], rollback: ['./rollback.sh'] });
    const synthOf = (props: EnvironmentProps) => () => {
      const other = Testing.app();
      new Environment(other, 'preprod', props);
      Testing.synth(other);
    };
    expect(synthOf({ target: custom, applicationRollouts: { api: Rollout.blueGreen() } }))
      .toThrow('[preprod] applicationRollouts.api: rollout blue-green needs a target that can split traffic, but target is custom; use Rollout.allAtOnce(), or a Kubernetes or Cloud Run target');
    expect(synthOf({ target: custom, rollout: Rollout.deployFirst(), applicationRollouts: { api: Rollout.allAtOnce() } }))
      .toThrow('[preprod] applicationRollouts.api: Rollout.deployFirst() validates a whole environment, so it cannot be mixed with other rollouts; set it as rollout and leave applicationRollouts out');
  });
});
