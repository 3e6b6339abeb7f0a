import * as YAML from 'yaml';
import {
  deploy, expectServing, GATE_QUERY, JOB, kubeDefinition, KubeStrategy, NEW, NS, OLD, RELEASE, seedRunning, serving, WORKFLOW,
} from './kubernetes-scenarios';
import { Checkout, RunResult, scenarioSim } from './scenario';
import { Application, Duration, Environment, HealthCheck, Image, Migration, Pipeline, Rollout, Secret, Target, Testing } from '../../../src';
import { STEP_IMAGES } from '../../../src/core/step-images';
import { CATALOG_IMAGE_LOCK } from '../../../src/github/actions/catalog-lock';
import { MigrationMode } from '../../../src/kubernetes';
import { HelmChart } from '../../../src/kubernetes/helm-chart';
import { addFault, argoServing, calls, readState, seedHelmRelease, setPrometheus, setUrlHealth } from '../../support/deploy';

jest.setTimeout(120_000);

/** A fresh sim with the release running the old image, and the definition checked out. */
function setup(strategy: KubeStrategy, o: Parameters<typeof kubeDefinition>[1] = {}): { checkout: Checkout; sim: string } {
  const checkout = kubeDefinition(strategy, o);
  const sim = scenarioSim([NS]);
  seedRunning(sim, checkout, strategy);
  return { checkout, sim };
}

function history(sim: string, release = RELEASE): Array<{ revision: number; status: string }> {
  return (readState(sim).helm.releases[`${NS}/${release}`]?.revisions ?? []).map((r: any) => ({ revision: r.revision, status: r.status }));
}

function outcome(r: RunResult, name: RegExp): string {
  return r.steps.find((s) => name.test(s.name))!.outcome;
}

describe('Kubernetes deploys: the contract, case by case', () => {
  test('a migration that fails before any upgrade rolls nothing back: the release keeps its history', async () => {
    const { checkout, sim } = setup('rolling');
    addFault(sim, { tool: 'kubectl', match: 'apply --namespace prod -f', nth: 1, effect: 'unhealthy' });
    const r = await deploy(checkout, sim);
    expect(r.result).toBe('failure');
    expect(outcome(r, /^Migrate api \(expand\)$/)).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'false', rollback: 'none' });
    expect(history(sim)).toEqual([{ revision: 1, status: 'deployed' }]);
    expect(calls(sim).some((c) => c.tool === 'helm' && c.argv[0] === 'rollback')).toBe(false);
  });

  test('a second application the run never reached is not touched when the first fails', async () => {
    const { checkout, sim } = setup('rolling', { web: true });
    const chartDefaults = YAML.parse(checkout.files['deploy/helm/web/values.yaml']);
    seedHelmRelease(sim, NS, 'web', [{ status: 'deployed', values: { image: OLD, rollout: { strategy: 'rolling' } }, chartDefaults }]);
    addFault(sim, { tool: 'helm', match: 'upgrade --install api', effect: 'timeout' });
    const r = await deploy(checkout, sim);
    expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
    expectServing(sim, 'rolling', OLD.digest);
    expect(history(sim, 'web')).toEqual([{ revision: 1, status: 'deployed' }]);
  });

  test('an NGINX canary whose 10% upgrade times out leaves no canary objects after the rollback', async () => {
    const { checkout, sim } = setup('nginx-canary');
    addFault(sim, { tool: 'helm', match: 'canary.weight=10', nth: 1, effect: 'timeout' });
    const r = await deploy(checkout, sim);
    expect(outcome(r, /10% canary$/)).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
    expectServing(sim, 'nginx-canary', OLD.digest);
    // the rollback went to revision 1 by number, not to "the previous revision"
    expect(calls(sim).filter((c) => c.tool === 'helm' && c.argv[0] === 'rollback').map((c) => c.argv.slice(0, 3))).toEqual([['rollback', 'api', '1']]);
  });

  test('an API error while recording fails the job before any change (never the first-install path)', async () => {
    const { checkout, sim } = setup('nginx-canary');
    addFault(sim, { tool: 'helm', match: 'history api', effect: 'transient' });
    const r = await deploy(checkout, sim);
    expect(r.result).toBe('failure');
    expect(outcome(r, /^Record the api release/)).toBe('failure');
    expect(outcome(r, /10% canary$/)).toBe('skipped');
    expect(r.outputs).toEqual({ rolled_back: 'false', rollback: 'none' });
    expect(history(sim)).toEqual([{ revision: 1, status: 'deployed' }]);
  });

  test('a Prometheus that never answers fails the metric gate within its limits, and the canary is rolled back', async () => {
    const { checkout, sim } = setup('nginx-canary', { analysis: true });
    addFault(sim, { tool: 'kubectl', match: 'api/v1/query', effect: 'hang' });
    const r = await deploy(checkout, sim);
    expect(outcome(r, /^Metric gate .* at 10%$/)).toBe('failure');
    expect(r.result).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
    expectServing(sim, 'nginx-canary', OLD.digest);
  });

  test('one failed measurement within failureLimit does not abort the gate; the deploy goes through', async () => {
    const { checkout, sim } = setup('nginx-canary', { analysis: true });
    setPrometheus(sim, GATE_QUERY, 0.99);
    addFault(sim, { tool: 'kubectl', match: 'api/v1/query', nth: 2, effect: 'transient' });
    const r = await deploy(checkout, sim);
    expect(r.result).toBe('success');
    expectServing(sim, 'nginx-canary', NEW.digest);
    expect(r.log).toMatch(/failed \(r >= 0\.95; 1 of at most 1\)/);
    // the smoke test and gate pods run slipway's curl image by the digest of the built-in image lock
    const pods = calls(sim).filter((c) => c.tool === 'kubectl' && c.argv[0] === 'run');
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) expect(pod.argv).toContain(`--image=${STEP_IMAGES.curl}@${CATALOG_IMAGE_LOCK[STEP_IMAGES.curl]}`);
  });

  test('a release left pending-upgrade by a cancelled run is recovered, then deployed', async () => {
    const { checkout, sim } = setup('rolling');
    const chartDefaults = YAML.parse(checkout.files['deploy/helm/api/values.yaml']);
    seedHelmRelease(sim, NS, RELEASE, [
      { status: 'superseded', values: { image: OLD, rollout: { strategy: 'rolling' } }, chartDefaults },
      { status: 'deployed', values: { image: OLD, rollout: { strategy: 'rolling' } }, chartDefaults },
      { status: 'pending-upgrade', values: { image: NEW, rollout: { strategy: 'rolling' } }, chartDefaults },
    ]);
    const r = await deploy(checkout, sim);
    expect(r.result).toBe('success');
    expect(r.log).toMatch(/is pending-upgrade \(a cancelled run\); returning it to revision 2/);
    expectServing(sim, 'rolling', NEW.digest);
  });

  test('a run cancelled during the upgrade stops helm, rolls back, and the rerun converges', async () => {
    const { checkout, sim } = setup('rolling');
    addFault(sim, { tool: 'helm', match: 'upgrade --install api', nth: 1, effect: 'hang' });
    const names = checkout.stepNames(WORKFLOW, JOB);
    const r = await deploy(checkout, sim, { cancelAt: names.indexOf('Deploy api to prod') });
    expect(r.result).toBe('cancelled');
    expect(outcome(r, /^Roll back api in prod$/)).toBe('success');
    expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
    expectServing(sim, 'rolling', OLD.digest);
    const rerun = await deploy(checkout, sim, { runAttempt: 2 });
    expect(rerun.result).toBe('success');
    expectServing(sim, 'rolling', NEW.digest);
  });

  test('Argo blue-green: a failure after the switch, once the old ReplicaSet is gone, still restores the old release', async () => {
    const { checkout, sim } = setup('argo-blue-green', { scaleDownDelay: Duration.seconds(1) });
    addFault(sim, { tool: 'kubectl', match: 'http://api.prod.svc/health', effect: 'unhealthy' });
    const r = await deploy(checkout, sim);
    expect(outcome(r, /^Switch api traffic/)).toBe('success');
    expect(outcome(r, /^Smoke test api \(release\)/)).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
    expectServing(sim, 'argo-blue-green', OLD.digest);
    expect(calls(sim).some((c) => c.tool === 'kubectl' && c.argv.join(' ').includes('promote api --namespace prod --full'))).toBe(true);
  });

  test('Argo blue-green: no step idles for its timeout on the happy path', async () => {
    const { checkout, sim } = setup('argo-blue-green');
    const started = Date.now();
    const r = await deploy(checkout, sim);
    expect(r.result).toBe('success');
    // the deploy timeout is 5 minutes (3 s here); waiting for the preview takes a few polls
    const preview = r.steps.find((s) => /^Deploy api to prod/.test(s.name))!;
    expect(preview.durationMs).toBeLessThan(2500);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(argoServing(sim, NS, RELEASE)!.phase).toBe('Healthy');
  });

  test('a rollback that fails is reported as failed, never as rolled back', async () => {
    const { checkout, sim } = setup('rolling');
    addFault(sim, { tool: 'kubectl', match: 'http://api.prod.svc/health', effect: 'unhealthy' });
    addFault(sim, { tool: 'helm', match: 'rollback api 1', effect: 'fail' });
    const r = await deploy(checkout, sim);
    expect(outcome(r, /^Roll back api in prod$/)).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'false', rollback: 'failed' });
  });

  test('a failed contract migration is never followed by a rollback, and the job says why', async () => {
    const { checkout, sim } = setup('nginx-canary');
    addFault(sim, { tool: 'kubectl', match: 'apply --namespace prod -f', nth: 2, effect: 'unhealthy' });
    const r = await deploy(checkout, sim);
    expect(outcome(r, /^Migrate api \(contract\)$/)).toBe('failure');
    expect(r.outputs).toEqual({ rolled_back: 'false', rollback: 'refused' });
    expect(r.log).toMatch(/not rolling back api: the contract migration has started/);
    expectServing(sim, 'nginx-canary', NEW.digest);
  });

  test('a first install that fails is uninstalled; one that succeeds skips the canary (nothing to compare with)', async () => {
    for (const fail of [true, false]) {
      const checkout = kubeDefinition('nginx-canary');
      const sim = scenarioSim([NS]);
      setUrlHealth(sim, 'https://api.example.com/health', fail ? { status: 503 } : { status: 200, body: 'ok' });
      const r = await deploy(checkout, sim);
      if (fail) {
        expect(r.outputs).toEqual({ rolled_back: 'true', rollback: 'succeeded' });
        expect(serving(sim)?.revision).toBeUndefined();
      } else {
        expect(r.result).toBe('success');
        expect(r.log).toMatch(/first install: nothing to compare a canary with/);
        expectServing(sim, 'nginx-canary', NEW.digest);
      }
      checkout.dispose();
    }
  });

  test('redeploying the release that already runs works on every strategy', async () => {
    for (const strategy of ['rolling', 'nginx-canary', 'argo-canary', 'argo-blue-green'] as KubeStrategy[]) {
      const { checkout, sim } = setup(strategy);
      expect((await deploy(checkout, sim)).result).toBe('success');
      const again = await deploy(checkout, sim, { runId: '4201' });
      expect([strategy, again.result]).toEqual([strategy, 'success']);
      expectServing(sim, strategy, NEW.digest);
      checkout.dispose();
    }
  });
});

describe('a HelmChart the user created is bound once', () => {
  test('a chart that runs migrations as Helm hooks gets no migration Jobs from the pipeline (never twice)', () => {
    const app = Testing.app();
    const api = new Application(app, 'api', {
      image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }),
      port: 8000,
      healthCheck: HealthCheck.http('/health'),
      migration: Migration.command(['alembic', 'upgrade', 'head']),
    });
    new HelmChart(app, 'chart', { application: api, migrationMode: MigrationMode.HOOK });
    const prod = new Environment(app, 'prod', { target: Target.kubernetes({ namespace: NS, kubeconfig: Secret.github('K') }), rollout: Rollout.allAtOnce() });
    new Pipeline(app, 'cd', { applications: [api], stages: [prod] });
    const files = Testing.synth(app);
    const steps = YAML.parse(files['.github/workflows/cd.yml']).jobs['deploy-prod'].steps.map((s: any) => s.name);
    expect(steps.filter((n: string) => /^Migrate/.test(n))).toEqual([]);
    // the chart runs it, as a pre-install/pre-upgrade hook
    const hooks = Object.entries(files).filter(([f, text]) => f.startsWith('deploy/helm/api/templates/migration-') && text.includes('pre-install,pre-upgrade'));
    expect(hooks.length).toBe(1);
    expect(Object.keys(files).filter((f) => f.startsWith('deploy/helm/')).every((f) => f.startsWith('deploy/helm/api/'))).toBe(true);
  });
});
