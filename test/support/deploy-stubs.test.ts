/**
 * The deploy-time stub tools (test/support/deploy) follow the real tools' semantics that the
 * deploy scripts rely on. Each case calls the stubs through bash, as the scripts do.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  addFault, argoServing, calls, cloudRunServing, helmServing, newSim, readState, seedCloudRunService, seedHelmRelease, seedNamespace,
  setArgoRollout, setUrlHealth, simEnv,
} from './deploy';

interface Result { code: number; stdout: string; stderr: string }

function sh(sim: string, script: string): Result {
  try {
    const stdout = execFileSync('bash', ['-c', script], { env: simEnv(sim), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    return { code: 0, stdout, stderr: '' };
  } catch (e: any) {
    return { code: e.status ?? -1, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}

function chart(sim: string): string {
  const dir = path.join(sim, 'chart');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: api\nversion: 0.1.0\nappVersion: "1.0"\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'image:\n  repository: reg/api\n  tag: ""\nrollout:\n  strategy: rolling\ncanary:\n  enabled: false\n  weight: 0\n');
  return dir;
}

const V = (tag: string, extra: object = {}) => ({ image: { repository: 'reg/api', tag }, ...extra });
const CANARY = { canary: { enabled: true, weight: 20 } };

describe('helm', () => {
  test('upgrade diffs against the last deployed revision: canary objects of a failed revision survive', () => {
    const sim = newSim();
    const c = chart(sim);
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }, { status: 'failed', values: V('b', CANARY) }]);
    expect(helmServing(sim, 'prod', 'api').canaryObjects).toBe(true);
    const r = sh(sim, `helm upgrade --install api ${c} --namespace prod --set-string image.tag=c --wait --timeout 300s`);
    expect(r.code).toBe(0);
    const s = helmServing(sim, 'prod', 'api');
    expect(s).toMatchObject({ revision: 3, status: 'deployed', image: 'reg/api:c', canaryObjects: true, canaryWeight: 20 });
    const hist = JSON.parse(sh(sim, 'helm history api --namespace prod --output json').stdout);
    expect(hist.map((h: any) => h.status)).toEqual(['superseded', 'failed', 'deployed']);
  });

  test('rollback N diffs against the last revision and removes what only it had; without REV it targets last-1', () => {
    const sim = newSim();
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }, { status: 'failed', values: V('b', CANARY) }]);
    expect(sh(sim, 'helm rollback api 1 --namespace prod --wait --timeout 300s').code).toBe(0);
    expect(helmServing(sim, 'prod', 'api')).toMatchObject({ revision: 3, status: 'deployed', image: 'reg/api:a', canaryObjects: false });
    // last-1 = 2 (the failed one), whatever its status
    expect(sh(sim, 'helm rollback api --namespace prod --timeout 300s').code).toBe(0);
    const hist = JSON.parse(sh(sim, 'helm history api --namespace prod --output json --max 2').stdout);
    expect(hist).toEqual([expect.objectContaining({ revision: 3, status: 'superseded' }), expect.objectContaining({ revision: 4, status: 'deployed', description: 'Rollback to 2' })]);
    expect(helmServing(sim, 'prod', 'api').canaryObjects).toBe(true);
    const missing = sh(sim, 'helm rollback api 9 --namespace prod --timeout 300s');
    expect(missing).toMatchObject({ code: 1, stderr: 'Error: release has no 9 version\n' });
  });

  test('a pending revision refuses upgrade but allows rollback', () => {
    const sim = newSim();
    const c = chart(sim);
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }, { status: 'pending-upgrade', values: V('b') }]);
    const up = sh(sim, `helm upgrade --install api ${c} --namespace prod --set-string image.tag=c --wait --timeout 300s`);
    expect(up).toMatchObject({ code: 1, stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n' });
    expect(readState(sim).helm.releases['prod/api'].revisions).toHaveLength(2);
    expect(sh(sim, 'helm rollback api 1 --namespace prod --wait --timeout 300s').code).toBe(0);
    expect(helmServing(sim, 'prod', 'api')).toMatchObject({ revision: 3, status: 'deployed', image: 'reg/api:a' });
  });

  test('a killed upgrade --wait leaves pending-upgrade; a timeout fault ends failed', async () => {
    const sim = newSim(undefined, { timescale: 0.01 });
    const c = chart(sim);
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }]);
    addFault(sim, { tool: 'helm', match: 'upgrade', nth: 1, effect: 'hang' });
    addFault(sim, { tool: 'helm', match: 'upgrade', nth: 2, effect: 'timeout' });
    // nth 1 hangs before anything happens; kill it
    const first = spawn('bash', ['-c', `exec helm upgrade --install api ${c} -n prod --set-string image.tag=b --wait --timeout 600s`], { env: simEnv(sim) });
    await new Promise((r) => setTimeout(r, 300));
    expect(first.exitCode).toBeNull();
    first.kill('SIGTERM');
    // nth 2: timeout after --timeout 600s × 0.01 = 6 s would be long; kill it while it waits
    const second = spawn('bash', ['-c', `exec helm upgrade --install api ${c} -n prod --set-string image.tag=b --wait --timeout 600s`], { env: simEnv(sim) });
    for (let i = 0; i < 100 && readState(sim).helm.releases['prod/api'].revisions.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    second.kill('SIGKILL');
    await new Promise((r) => second.on('exit', r));
    const hist = JSON.parse(sh(sim, 'helm history api -n prod -o json').stdout);
    expect(hist.map((h: any) => h.status)).toEqual(['deployed', 'pending-upgrade']);
    // nth 3: no fault; refused while pending
    expect(sh(sim, `helm upgrade --install api ${c} -n prod --wait --timeout 1s`).code).toBe(1);
    expect(readState(sim).faultCounts).toEqual({ 0: 3, 1: 3 });
  });

  test('timeout fault: revision failed after --timeout, previous stays deployed', () => {
    const sim = newSim();
    const c = chart(sim);
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }]);
    addFault(sim, { tool: 'helm', match: 'upgrade', effect: 'timeout' });
    const r = sh(sim, `helm upgrade --install api ${c} -n prod --set-string image.tag=b --wait --timeout 60s`);
    expect(r).toMatchObject({ code: 1, stderr: 'Error: UPGRADE FAILED: context deadline exceeded\n' });
    expect(helmServing(sim, 'prod', 'api')).toMatchObject({ revision: 2, status: 'failed', image: 'reg/api:a', specImage: 'reg/api:b' });
  });

  test('history / get values / not found', () => {
    const sim = newSim();
    seedNamespace(sim, 'prod');
    expect(sh(sim, 'helm history api -n prod -o json')).toMatchObject({ code: 1, stderr: 'Error: release: not found\n' });
    expect(sh(sim, 'helm uninstall api -n prod --wait --timeout 60s').stderr).toBe('Error: uninstall: Release not loaded: api: release: not found\n');
    const c = chart(sim);
    fs.writeFileSync(path.join(sim, 'v.yaml'), 'rollout:\n  strategy: rolling\nreplicas: 2\n');
    expect(sh(sim, `helm upgrade --install api ${c} --namespace prod -f ${sim}/v.yaml --set-string image.tag=123 --set x.y=3 --timeout 60s`).code).toBe(0);
    const values = JSON.parse(sh(sim, 'helm get values api --namespace prod --revision 1 --output json').stdout);
    expect(values).toEqual({ rollout: { strategy: 'rolling' }, replicas: 2, image: { tag: '123' }, x: { y: 3 } });
    expect(JSON.parse(sh(sim, 'helm history api -n prod -o json').stdout)[0]).toMatchObject({ revision: 1, status: 'deployed', chart: 'api-0.1.0', app_version: '1.0', description: 'Install complete' });
    expect(sh(sim, 'helm get values api -n prod --revision 7 -o json').stderr).toBe('Error: release: not found\n');
  });

  test('unsupported argv exits 64', () => {
    const sim = newSim();
    expect(sh(sim, 'helm upgrade api ./c --atomic')).toMatchObject({ code: 64, stderr: 'stub: unsupported: helm upgrade api ./c --atomic\n' });
    expect(sh(sim, 'kubectl get pods').code).toBe(64);
    expect(calls(sim)).toEqual([{ tool: 'helm', argv: ['upgrade', 'api', './c', '--atomic'] }, { tool: 'kubectl', argv: ['get', 'pods'] }]);
  });
});

describe('kubectl', () => {
  test('run: a leftover pod gives AlreadyExists; otherwise curl answers from the Service', () => {
    const sim = newSim();
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a') }]);
    const run = (n: string) => sh(sim, `kubectl run ${n} --namespace prod --rm -i --restart=Never --quiet --image=curl@sha256:1 -- curl -fsS http://api.prod.svc/healthz`);
    expect(run('smoke-1')).toMatchObject({ code: 0, stdout: 'ok reg/api:a' });
    expect(readState(sim).kube.pods).toEqual({});
    addFault(sim, { tool: 'kubectl', match: 'smoke-2', nth: 1, effect: 'unhealthy' });
    expect(run('smoke-2').code).toBe(22);
    // a killed run leaves its pod
    addFault(sim, { tool: 'kubectl', match: 'smoke-3', nth: 1, effect: 'hang' });
    const r = sh(sim, '/usr/bin/timeout -s TERM 0.5 kubectl run smoke-3 -n prod --rm -i --restart=Never --quiet --image=x -- curl -fsS http://api.prod.svc/');
    expect(r.code).toBe(124);
    expect(run('smoke-3')).toMatchObject({ code: 1, stderr: 'Error from server (AlreadyExists): pods "smoke-3" already exists\n' });
    expect(sh(sim, 'kubectl delete pod smoke-3 --namespace prod --ignore-not-found --wait=false').code).toBe(0);
    expect(run('smoke-3').code).toBe(0);
  });

  test('argo status waits on Paused until the timeout; promote switches blue-green; abort after the scale-down delay restores nothing', () => {
    const sim = newSim();
    setArgoRollout(sim, 'prod', 'api', { strategy: 'blueGreen', stableImage: 'reg/api:a', update: { image: 'reg/api:b', phase: 'Paused' }, scaleDownDelaySeconds: 3000 });
    expect(sh(sim, "kubectl get rollout api -n prod -o jsonpath='{.status.phase}'").stdout).toBe('Paused');
    const st = sh(sim, 'kubectl argo rollouts status api --namespace prod --timeout 300s');
    expect(st).toMatchObject({ code: 1, stdout: 'Paused - BlueGreenPause\n', stderr: 'Error: Rollout status watch exceeded timeout\n' });
    expect(sh(sim, 'kubectl argo rollouts promote api --namespace prod').code).toBe(0);
    expect(sh(sim, 'kubectl argo rollouts status api --namespace prod --timeout 300s')).toMatchObject({ code: 0, stdout: 'Healthy\n' });
    expect(argoServing(sim, 'prod', 'api')).toMatchObject({ phase: 'Healthy', stableImage: 'reg/api:b', previousImage: 'reg/api:a' });
    // within scaleDownDelaySeconds (30 s × 0.001): abort returns traffic to the previous ReplicaSet
    setArgoRollout(sim, 'prod', 'api', { strategy: 'blueGreen', stableImage: 'reg/api:b', previous: { image: 'reg/api:a', scaleDownInSeconds: 3000 } });
    expect(sh(sim, 'kubectl argo rollouts abort api --namespace prod').code).toBe(0);
    expect(argoServing(sim, 'prod', 'api')).toMatchObject({ phase: 'Degraded', stableImage: 'reg/api:a', aborted: true });
    // after it: nothing to go back to
    setArgoRollout(sim, 'prod', 'api', { strategy: 'blueGreen', stableImage: 'reg/api:b', previous: { image: 'reg/api:a', scaleDownInSeconds: 30 } });
    execFileSync('sleep', ['0.05']);
    expect(sh(sim, 'kubectl argo rollouts abort api --namespace prod').code).toBe(0);
    expect(argoServing(sim, 'prod', 'api')).toMatchObject({ phase: 'Healthy', stableImage: 'reg/api:b', previousImage: undefined });
  });

  test('argo canary via helm: steps to Healthy; unhealthy → Degraded; back to the stable template → Healthy at once', () => {
    const sim = newSim();
    const c = chart(sim);
    const argo = { rollout: { strategy: 'argo-canary' }, canary: { steps: [10, 50], bake: '20s' } };
    seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: V('a', argo) }]);
    fs.writeFileSync(path.join(sim, 'argo.yaml'), 'rollout:\n  strategy: argo-canary\ncanary:\n  steps: [10, 50]\n  bake: 20s\n');
    const up = (tag: string) => sh(sim, `helm upgrade --install api ${c} -n prod -f ${sim}/argo.yaml --set-string image.tag=${tag} --wait --timeout 300s`);
    expect(up('b').code).toBe(0);
    const during = argoServing(sim, 'prod', 'api')!;
    expect(during).toMatchObject({ stableImage: 'reg/api:a', updateImage: 'reg/api:b' });
    expect(['Progressing', 'Paused']).toContain(during.phase);
    expect(sh(sim, 'kubectl argo rollouts status api -n prod --timeout 300s')).toMatchObject({ code: 0 });
    expect(helmServing(sim, 'prod', 'api')).toMatchObject({ image: 'reg/api:b', canaryWeight: 0 });
    addFault(sim, { tool: 'helm', match: 'image.tag=c', effect: 'unhealthy' });
    expect(up('c').code).toBe(0); // helm does not wait for Rollouts
    const st = sh(sim, 'kubectl argo rollouts status api -n prod --timeout 300s');
    expect(st.code).toBe(1);
    expect(st.stderr).toMatch(/^Error: The rollout is in a degraded state with message: RolloutAborted: /);
    expect(argoServing(sim, 'prod', 'api')).toMatchObject({ phase: 'Degraded', stableImage: 'reg/api:b', aborted: true });
    expect(sh(sim, 'helm rollback api -n prod --wait --timeout 300s').code).toBe(0);
    expect(sh(sim, "kubectl get rollout api -n prod -o jsonpath='{.status.phase}'").stdout).toBe('Healthy');
  });

  test('jobs: apply, conditions, logs, delete', () => {
    const sim = newSim();
    seedNamespace(sim, 'prod');
    fs.writeFileSync(path.join(sim, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: api-migrate-expand\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          image: x\n');
    addFault(sim, { tool: 'kubectl', match: 'apply', nth: 2, effect: 'unhealthy' });
    const jp = 'kubectl get job api-migrate-expand --namespace prod -o jsonpath=\'{.status.conditions[?(@.status=="True")].type}\'';
    expect(sh(sim, `kubectl apply --namespace prod -f ${sim}/job.yaml`).stdout).toBe('job.batch/api-migrate-expand created\n');
    expect(sh(sim, `sleep 0.02; ${jp}`).stdout).toBe('Complete');
    expect(sh(sim, 'kubectl delete job api-migrate-expand --namespace prod --ignore-not-found --wait --timeout=60s').code).toBe(0);
    expect(sh(sim, `kubectl apply --namespace prod -f ${sim}/job.yaml`).code).toBe(0);
    expect(sh(sim, `sleep 0.02; ${jp}`).stdout).toBe('Failed');
    expect(sh(sim, 'kubectl logs job/api-migrate-expand --namespace prod --tail=200').stdout).toContain('migration failed');
  });
});

describe('gcloud', () => {
  const where = '--project=p --region=europe-west1';
  function seed(sim: string) {
    seedCloudRunService(sim, {
      service: 'api',
      project: 'p',
      region: 'europe-west1',
      revisions: [{ name: 'api-b', image: 'img:b' }, { name: 'api-a', image: 'img:a' }, { name: 'api-c', image: 'img:c' }],
      traffic: [{ revisionName: 'api-b', percent: 60 }, { revisionName: 'api-a', percent: 40 }, { revisionName: 'api-c', percent: 0, tag: 'canary' }],
    });
  }

  test('describe sorts traffic by revision name; update-traffic follows traffic.py', () => {
    const sim = newSim();
    seed(sim);
    const d = JSON.parse(sh(sim, `gcloud run services describe api ${where} --format=json`).stdout);
    expect(d.status.traffic.map((t: any) => [t.revisionName, t.percent, t.tag])).toEqual([['api-a', 40, undefined], ['api-b', 60, undefined], ['api-c', 0, 'canary']]);
    // all traffic holders given, under 100: refused
    const bad = sh(sim, `gcloud run services update-traffic api ${where} --to-revisions=api-a=10,api-b=20`);
    expect(bad).toMatchObject({ code: 1, stderr: 'ERROR: (gcloud.run.services.update-traffic) Every target with traffic is updated but 100% of traffic has not been specified.\n' });
    // a holder left out: scaled to the rest
    expect(sh(sim, `gcloud run services update-traffic api ${where} --to-tags=canary=10`).code).toBe(0);
    expect(cloudRunServing(sim, 'api')!.percent).toEqual({ 'api-a': 36, 'api-b': 54, 'api-c': 10 });
    expect(sh(sim, `gcloud run services update-traffic api ${where} --to-revisions=api-a=100`).code).toBe(0);
    expect(sh(sim, `gcloud run services update-traffic api ${where} --remove-tags=canary`).code).toBe(0);
    expect(cloudRunServing(sim, 'api')).toMatchObject({ percent: { 'api-a': 100 }, tags: {} });
    expect(sh(sim, `gcloud run services describe nope ${where} --format=json`).stderr).toBe('ERROR: (gcloud.run.services.describe) Cannot find service [nope]\n');
  });

  test('replace with an unhealthy revision keeps the traffic', () => {
    const sim = newSim();
    seed(sim);
    const spec = (rev: string, image: string) => `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      name: ${rev}\n    spec:\n      containers:\n        - image: ${image}\n  traffic:\n    - revisionName: ${rev}\n      percent: 100\n`;
    fs.writeFileSync(path.join(sim, 'd.yaml'), spec('api-d', 'img:d'));
    addFault(sim, { tool: 'gcloud', match: 'replace', nth: 1, effect: 'unhealthy' });
    const r = sh(sim, `gcloud run services replace ${sim}/d.yaml ${where}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Revision 'api-d' is not ready/);
    expect(cloudRunServing(sim, 'api')!.percent).toEqual({ 'api-a': 40, 'api-b': 60 });
    fs.writeFileSync(path.join(sim, 'd.yaml'), spec('api-d', 'img:other'));
    expect(sh(sim, `gcloud run services replace ${sim}/d.yaml ${where}`).stderr).toMatch(/Revision named 'api-d' with different configuration already exists/);
    fs.writeFileSync(path.join(sim, 'e.yaml'), spec('api-e', 'img:e'));
    expect(sh(sim, `gcloud run services replace ${sim}/e.yaml ${where}`).code).toBe(0);
    expect(cloudRunServing(sim, 'api')).toMatchObject({ percent: { 'api-e': 100 }, latestReadyRevisionName: 'api-e' });
    expect(sh(sim, `gcloud run revisions delete api-e ${where} --quiet`).code).toBe(1);
    expect(sh(sim, `gcloud run revisions delete api-a ${where} --quiet`).code).toBe(0);
  });

  test('replace is applied on the server: a client killed while it waits still moves the traffic once the revision is ready; an update in between edits the replaced spec', async () => {
    const spec = (rev: string) => `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      name: ${rev}\n    spec:\n      containers:\n        - image: img:${rev}\n  traffic:\n    - revisionName: api-b\n      percent: 60\n    - revisionName: api-a\n      percent: 40\n    - revisionName: ${rev}\n      percent: 0\n      tag: preview\n`;
    // READY_SECONDS (10 simulated seconds) is 1 s at this scale
    const killedReplace = async (sim: string, rev: string): Promise<void> => {
      fs.writeFileSync(path.join(sim, `${rev}.yaml`), spec(rev));
      const client = spawn('bash', ['-c', `exec gcloud run services replace ${sim}/${rev}.yaml ${where}`], { env: simEnv(sim) });
      for (let i = 0; i < 100 && !readState(sim).gcloud.services['p/europe-west1/api'].pending; i++) await new Promise((r) => setTimeout(r, 20));
      client.kill('SIGTERM');
      await new Promise((r) => client.on('exit', r));
    };

    const sim = newSim(undefined, { timescale: 0.1 });
    seed(sim);
    await killedReplace(sim, 'api-d');
    // not ready yet: nothing moved
    expect(cloudRunServing(sim, 'api')!.tags).toEqual({ canary: 'api-c' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(cloudRunServing(sim, 'api')).toMatchObject({ tags: { preview: 'api-d' }, percent: { 'api-a': 40, 'api-b': 60 } });

    const other = newSim(undefined, { timescale: 0.1 });
    seed(other);
    await killedReplace(other, 'api-e');
    // the spec names api-e (describe's spec.traffic), the served traffic does not yet; the spec
    // keeps api-e from being deleted
    const pendingSpec = JSON.parse(sh(other, `gcloud run services describe api ${where} --format=json`).stdout);
    expect(pendingSpec.spec.traffic.map((t: any) => [t.revisionName, t.percent, t.tag])).toEqual([['api-b', 60, undefined], ['api-a', 40, undefined], ['api-e', 0, 'preview']]);
    expect(pendingSpec.status.traffic.map((t: any) => t.tag).filter(Boolean)).toEqual(['canary']);
    expect(sh(other, `gcloud run revisions delete api-e ${where} --quiet`).stderr).toMatch(/referenced by a traffic target/);
    // an update before the revision is ready edits that spec: it applies with the revision
    expect(sh(other, `gcloud run services update-traffic api ${where} --to-revisions=api-a=100`).code).toBe(0);
    expect(cloudRunServing(other, 'api')).toMatchObject({ percent: { 'api-a': 40, 'api-b': 60 }, tags: { canary: 'api-c' } });
    await new Promise((r) => setTimeout(r, 1100));
    expect(cloudRunServing(other, 'api')).toMatchObject({ percent: { 'api-a': 100 }, tags: { preview: 'api-e' } });
    expect(cloudRunServing(other, 'api')!.revisions.find((r) => r.name === 'api-e')).toMatchObject({ ready: true });
    // an update that no longer names the revision applies at once
    const third = newSim(undefined, { timescale: 0.1 });
    seed(third);
    await killedReplace(third, 'api-f');
    expect(sh(third, `gcloud run services update-traffic api ${where} --to-revisions=api-a=100 --remove-tags=preview`).code).toBe(0);
    // (the replaced spec no longer had the canary tag)
    expect(cloudRunServing(third, 'api')).toMatchObject({ percent: { 'api-a': 100 }, tags: {} });
  });
});

describe('curl', () => {
  test('hang with --max-time exits 28; without it never returns', async () => {
    const sim = newSim();
    setUrlHealth(sim, 'https://api.example.com/healthz', { status: 200 });
    setUrlHealth(sim, 'https://down.example.com/', { status: 503 });
    expect(sh(sim, 'curl -fsS --max-time 10 https://api.example.com/healthz')).toMatchObject({ code: 0, stdout: 'ok' });
    expect(sh(sim, 'curl -fsS --max-time 10 -o /dev/null -w "%{http_code}" https://down.example.com/')).toMatchObject({ code: 22, stdout: '503' });
    expect(sh(sim, 'curl -fsS --max-time 10 https://nowhere.example.com/').code).toBe(6);
    addFault(sim, { tool: 'curl', match: 'api.example.com', effect: 'hang' });
    expect(sh(sim, 'curl -fsS --max-time 10 https://api.example.com/healthz').code).toBe(28);
    const child = spawn('bash', ['-c', 'exec curl -fsS https://api.example.com/healthz'], { env: simEnv(sim) });
    await new Promise((r) => setTimeout(r, 400));
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
  });

  test('fault nth counts matching calls only', () => {
    const sim = newSim();
    setUrlHealth(sim, 'https://a.example.com/', { status: 200 });
    addFault(sim, { tool: 'curl', match: 'a.example.com', nth: 2, effect: 'fail' });
    const codes = [1, 2, 3].map(() => sh(sim, 'curl -fsS --max-time 5 https://a.example.com/ ; echo " $?"').stdout.trim().split(' ').pop());
    sh(sim, 'curl -fsS --max-time 5 https://other.example.com/ || true');
    expect(codes).toEqual(['0', '7', '0']);
    expect(readState(sim).faultCounts).toEqual({ 0: 3 });
  });
});
