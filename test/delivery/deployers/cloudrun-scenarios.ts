import { DeployTarget, expectEqual } from './matrix';
import { Checkout, run, RunResult, scenarioSim } from './scenario';
import { Application, Duration, Environment, HealthCheck, Image, Migration, Pipeline, Rollout, Target, Testing } from '../../../src';
import { Call, cloudRunServing, CloudRunServing, CloudRunTrafficTarget, seedCloudRunService, setUrlHealth } from '../../support/deploy';

/** The three ways a Cloud Run service rolls out. */
export type CloudRunStrategy = 'all-at-once' | 'canary' | 'blue-green';
export const CLOUDRUN_STRATEGIES: CloudRunStrategy[] = ['all-at-once', 'canary', 'blue-green'];

export const NEW = { tag: 'b'.repeat(40), digest: 'sha256:' + 'bc2e4f'.repeat(10) + '9a8b' };
export const PROJECT = 'acme-prod';
export const REGION = 'europe-west1';
export const SERVICE = 'api';
export const WORKFLOW = 'cd.yml';
export const JOB = 'deploy-prod';
export const ENV_URL = 'https://api.example.com';
export const IMAGE_REPO = 'europe-west1-docker.pkg.dev/acme/apps/api';

/** The revisions an earlier deploy left: `api-aaaaaa` and `api-111111`, both ready. */
export const OLD_A = { name: `${SERVICE}-aaaaaa`, image: `${IMAGE_REPO}@sha256:${'a'.repeat(64)}` };
export const OLD_B = { name: `${SERVICE}-111111`, image: `${IMAGE_REPO}@sha256:${'1'.repeat(64)}` };
export const NEW_IMAGE = `${IMAGE_REPO}@${NEW.digest}`;
/** The suffix of the revision this run deploys: the first 6 hex digits of the new digest. */
export const NEW_SUFFIX = `-${NEW.digest.slice(7, 13)}`;

/** The name of the revision a run deploys: the synthesized revision name and the digest's first hex digits. */
export function newRevisionOf(checkout: Checkout): string {
  const step = checkout.workflow(WORKFLOW).jobs[JOB].steps.find((s: any) => /cloud-run\.sh render$/.test(s.run ?? ''));
  return `${step.env.SLIPWAY_REVISION}${NEW_SUFFIX}`;
}

/** The traffic a seed leaves: one revision with everything, or a 50/50 split. */
export type SeedSplit = 'single' | 'split';

/** The traffic tag of a strategy (synthesized), empty for all at once. */
export function tagOf(checkout: Checkout): string {
  const step = checkout.workflow(WORKFLOW).jobs[JOB].steps.find((s: any) => /cloud-run\.sh deploy$/.test(s.run ?? ''));
  return step.env.SLIPWAY_TAG;
}

/** One application deployed to one Cloud Run environment with `strategy`, expand and contract migrations, and an environment URL. */
export function cloudRunDefinition(strategy: CloudRunStrategy, o: { url?: boolean } = {}): Checkout {
  const app = Testing.app();
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: IMAGE_REPO }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
    migration: Migration.phases({ expand: ['alembic', 'upgrade', 'expand'], contract: ['alembic', 'upgrade', 'head'] }),
  });
  const rollout = strategy === 'all-at-once' ? Rollout.allAtOnce()
    : strategy === 'blue-green' ? Rollout.blueGreen()
      : Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(1) });
  const prod = new Environment(app, 'prod', {
    target: Target.cloudRun({ project: PROJECT, region: REGION, service: SERVICE }),
    rollout,
    url: o.url === false ? undefined : ENV_URL,
  });
  new Pipeline(app, 'cd', { applications: [api], stages: [prod] });
  const checkout = new Checkout(Testing.synth(app));
  const tag = tagOf(checkout);
  if ((strategy === 'all-at-once') !== (tag === '')) throw new Error(`the ${strategy} definition deploys with tag "${tag}"`);
  return checkout;
}

/** The traffic a seed leaves, as `cloudRunServing(...).percent` shows it. */
export function seededPercent(split: SeedSplit): { [revision: string]: number } {
  return split === 'split' ? { [OLD_A.name]: 50, [OLD_B.name]: 50 } : { [OLD_A.name]: 100 };
}

/**
 * The service as earlier deploys left it: OLD_B then OLD_A created, OLD_A serving everything
 * (`single`), or each of them 50 % (`split`, as an interrupted canary that was accepted).
 */
export function seedService(sim: string, split: SeedSplit): void {
  const traffic: CloudRunTrafficTarget[] = split === 'split'
    ? [{ revisionName: OLD_A.name, percent: 50 }, { revisionName: OLD_B.name, percent: 50 }]
    : [{ revisionName: OLD_A.name, percent: 100 }];
  seedCloudRunService(sim, { service: SERVICE, project: PROJECT, region: REGION, revisions: [OLD_B, OLD_A], traffic });
  seedEnvUrl(sim);
}

/** The environment URL (a load balancer in front of the service) answers. */
export function seedEnvUrl(sim: string): void {
  setUrlHealth(sim, `${ENV_URL}/health`, { status: 200, body: 'ok' });
}

/** Runs the deploy job once. */
export function deploy(checkout: Checkout, sim: string, o: { cancelAt?: number; runAttempt?: number; runId?: string; needsResults?: { [job: string]: 'success' | 'failure' | 'cancelled' | 'skipped' } } = {}): Promise<RunResult> {
  return run({
    checkout,
    workflow: WORKFLOW,
    jobId: JOB,
    sim,
    sha: NEW.tag,
    ...o,
    needsOutputs: { build: { 'digest-api': NEW.digest, 'image-api': NEW_IMAGE } },
  });
}

/** What the service serves now (undefined: no service). */
export function serving(sim: string): CloudRunServing | undefined {
  return cloudRunServing(sim, SERVICE, { project: PROJECT, region: REGION });
}

/** Throws unless the service serves exactly `percent`, and no tag is left on a revision that serves nothing. */
export function expectTraffic(sim: string, percent: { [revision: string]: number }): void {
  const s = serving(sim);
  if (!s) throw new Error('the service does not exist');
  const sorted = (o: { [k: string]: number }) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  expectEqual(sorted(s.percent), sorted(percent), 'traffic');
  const stray = s.traffic.filter((t) => t.tag && !(percent[t.revisionName] > 0));
  if (stray.length) throw new Error(`tags left on revisions that serve nothing: ${JSON.stringify(stray)}`);
}

/** Throws unless the new revision serves everything (ready, the new image), and no tag is left on another revision. */
export function expectNewServing(sim: string): void {
  const s = serving(sim);
  if (!s) throw new Error('the service does not exist');
  const names = Object.keys(s.percent);
  if (names.length !== 1 || !names[0].endsWith(NEW_SUFFIX)) throw new Error(`traffic: expected the new revision (*${NEW_SUFFIX}) at 100%, got ${JSON.stringify(s.percent)}`);
  expectTraffic(sim, { [names[0]]: 100 });
  const rev = s.revisions.find((r) => r.name === names[0]);
  expectEqual({ image: rev?.image, ready: rev?.ready }, { image: NEW_IMAGE, ready: true }, 'new revision');
}

/** The Cloud Run target of the matrix, for one strategy. */
export function cloudRunTarget(strategy: CloudRunStrategy, split: SeedSplit): DeployTarget {
  return {
    name: `cloud run ${strategy} (${split === 'split' ? 'seeded 50/50' : 'seeded 100%'})`,
    definition: () => cloudRunDefinition(strategy),
    seed: () => {
      const sim = scenarioSim();
      seedService(sim, split);
      return sim;
    },
    deploy: (checkout, sim, o) => deploy(checkout, sim, o),
    phaseOf: (stepName: string, call: Call, callsOfStep: Call[]) => {
      if (/\(contract\)$/.test(stepName)) {
        // the marker is set once `jobs replace` succeeded, before the execution
        const execute = callsOfStep.findIndex((c) => c.tool === 'gcloud' && c.argv[1] === 'jobs' && c.argv[2] === 'execute');
        return callsOfStep.indexOf(call) >= execute ? 'after-contract' : 'changing';
      }
      return isBeforeChange(stepName) ? 'before-change' : 'changing';
    },
    phaseOfCancel: (stepName) => (/\(contract\)$/.test(stepName) ? 'either' : isBeforeChange(stepName) ? 'before-change' : 'changing'),
    expectRecorded: (sim) => expectTraffic(sim, seededPercent(split)),
    expectDeployed: (sim) => expectNewServing(sim),
  };
}

/** Steps before the new revision is created: setup, record, expand and migrate. */
export function isBeforeChange(stepName: string): boolean {
  return /^(Check out|Authenticate|Set up gcloud|Render the|Record the|Migrate .*\((expand|migrate)\))/.test(stepName);
}
