import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DeployTarget, expectEqual } from './matrix';
import { Checkout, run, RunResult, scenarioSim } from './scenario';
import { Analysis, Application, Duration, Environment, HealthCheck, Image, Migration, Pipeline, Rollout, Secret, Target, Testing } from '../../../src';
import { argoServing, helmServing, HelmServing, seedHelmRelease, setUrlHealth } from '../../support/deploy';

/** The four ways a Helm release rolls out. */
export type KubeStrategy = 'rolling' | 'nginx-canary' | 'argo-canary' | 'argo-blue-green';
export const KUBE_STRATEGIES: KubeStrategy[] = ['rolling', 'nginx-canary', 'argo-canary', 'argo-blue-green'];

export const OLD = { tag: 'a'.repeat(40), digest: 'sha256:' + '1'.repeat(64) };
export const NEW = { tag: 'b'.repeat(40), digest: 'sha256:' + '2'.repeat(64) };
export const NS = 'prod';
export const RELEASE = 'api';
export const WORKFLOW = 'cd.yml';
export const JOB = 'deploy-prod';

/** Variations of the definition for named cases. */
export interface KubeDefinitionOptions {
  /** A Prometheus metric gate on the canary (NGINX canary). */
  readonly analysis?: boolean;
  /** Argo blue-green: how long the old ReplicaSet stays after the switch. */
  readonly scaleDownDelay?: Duration;
  /** A second application, `web`, deployed all at once after `api`. */
  readonly web?: boolean;
}

/** The Prometheus query of the metric gate (with the canary Service substituted). */
export const GATE_QUERY = 'sum(rate(http_requests_total{service="api-canary",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="api-canary"}[1m]))';

/** One application deployed to one Kubernetes environment with `strategy`, expand and contract migrations. */
export function kubeDefinition(strategy: KubeStrategy, o: KubeDefinitionOptions = {}): Checkout {
  const app = Testing.app();
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
    migration: Migration.phases({ expand: ['alembic', 'upgrade', 'expand'], contract: ['alembic', 'upgrade', 'head'] }),
  });
  const analysis = o.analysis ? Analysis.prometheus({
    address: 'http://prometheus.monitoring.svc:9090',
    query: 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service}}"}[1m]))',
    successCondition: 'result[0] >= 0.95',
    failureLimit: 1,
    count: 3,
    interval: Duration.seconds(30),
  }) : undefined;
  const rollout = strategy === 'rolling' ? Rollout.allAtOnce()
    : strategy === 'argo-blue-green' ? Rollout.blueGreen({ scaleDownDelay: o.scaleDownDelay })
      : Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(1), analysis });
  const web = o.web ? [new Application(app, 'web', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/web' }), port: 3000, healthCheck: HealthCheck.http('/') })] : [];
  const prod = new Environment(app, 'prod', {
    target: Target.kubernetes({ namespace: NS, kubeconfig: Secret.github('KUBECONFIG') }),
    rollout,
    applicationRollouts: o.web ? { web: Rollout.allAtOnce() } : undefined,
    // an environment URL makes a canary use NGINX (an ingress to share); without one, Argo Rollouts
    url: strategy === 'nginx-canary' ? 'https://api.example.com' : undefined,
  });
  new Pipeline(app, 'cd', { applications: [api, ...web], stages: [prod] });
  const checkout = new Checkout(Testing.synth(app));
  const values = YAML.parse(checkout.files[`deploy/helm/api/values-${NS}.yaml`]);
  if (values.rollout.strategy !== strategy) throw new Error(`the definition rolls out with ${values.rollout.strategy}, not ${strategy}`);
  return checkout;
}

/** The release as an earlier deploy left it: revision 1, the old image, healthy. */
export function seedRunning(sim: string, checkout: Checkout, strategy: KubeStrategy): void {
  const chartDefaults = YAML.parse(fs.readFileSync(path.join(checkout.dir, 'deploy/helm/api/values.yaml'), 'utf8'));
  const envValues = YAML.parse(fs.readFileSync(path.join(checkout.dir, `deploy/helm/api/values-${NS}.yaml`), 'utf8'));
  seedHelmRelease(sim, NS, RELEASE, [{ status: 'deployed', values: { ...envValues, image: OLD, rollout: { strategy } }, chartDefaults }]);
  setUrlHealth(sim, 'https://api.example.com/health', { status: 200, body: 'ok' });
}

/** Runs the deploy job once. */
export function deploy(checkout: Checkout, sim: string, o: { cancelAt?: number; runAttempt?: number; runId?: string } = {}): Promise<RunResult> {
  return run({
    checkout,
    workflow: WORKFLOW,
    jobId: JOB,
    sim,
    sha: NEW.tag,
    ...o,
    needsOutputs: {
      build: {
        'digest-api': NEW.digest,
        'image-api': `ghcr.io/acme/api@${NEW.digest}`,
        'digest-web': NEW.digest,
        'image-web': `ghcr.io/acme/web@${NEW.digest}`,
      },
    },
  });
}

/** What serves in the namespace now (undefined: no release). */
export function serving(sim: string): HelmServing | undefined {
  try {
    return helmServing(sim, NS, RELEASE);
  } catch {
    return undefined;
  }
}

const image = (digest: string) => `ghcr.io/acme/api@${digest}`;

/** The Helm target of the matrix, for one strategy. */
export function kubeTarget(strategy: KubeStrategy): DeployTarget {
  return {
    name: `kubernetes ${strategy}`,
    definition: () => kubeDefinition(strategy),
    seed: (checkout) => {
      const sim = scenarioSim([NS]);
      seedRunning(sim, checkout, strategy);
      return sim;
    },
    deploy: (checkout, sim, o) => deploy(checkout, sim, o),
    phaseOf: (stepName, call, callsOfStep) => {
      if (/\(contract\)$/.test(stepName)) {
        // the marker is set just before the Job is applied
        const apply = callsOfStep.findIndex((c) => c.tool === 'kubectl' && c.argv[0] === 'apply');
        return callsOfStep.indexOf(call) >= apply ? 'after-contract' : 'changing';
      }
      return isBeforeChange(stepName) ? 'before-change' : 'changing';
    },
    phaseOfCancel: (stepName) => (/\(contract\)$/.test(stepName) ? 'either' : isBeforeChange(stepName) ? 'before-change' : 'changing'),
    expectRecorded: (sim) => expectServing(sim, strategy, OLD.digest),
    expectDeployed: (sim) => expectServing(sim, strategy, NEW.digest),
  };
}

/** Steps before the first upgrade: setup, record, expand and migrate. */
function isBeforeChange(stepName: string): boolean {
  return /^(Check out|Set up Helm|Connect to|Install the Argo|Record the|Migrate .*\((expand|migrate)\))/.test(stepName);
}

/** Throws unless `digest` alone serves the release: deployed, no canary objects, no update in flight. */
export function expectServing(sim: string, strategy: KubeStrategy, digest: string): void {
  const s = serving(sim);
  if (!s) throw new Error('the release does not exist');
  expectEqual({ status: s.status, image: s.image, canaryObjects: s.canaryObjects, canaryWeight: s.canaryWeight },
    { status: 'deployed', image: image(digest), canaryObjects: false, canaryWeight: 0 }, 'release');
  if (strategy.startsWith('argo')) {
    const a = argoServing(sim, NS, RELEASE)!;
    expectEqual({ phase: a.phase, stableImage: a.stableImage, updateImage: a.updateImage }, { phase: 'Healthy', stableImage: image(digest), updateImage: undefined }, 'rollout');
  }
}
