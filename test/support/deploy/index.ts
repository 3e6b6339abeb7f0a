/**
 * Stub tools for deploy-time tests: helm, kubectl (+ argo rollouts), gcloud and curl, with
 * the state of the simulated cluster and cloud in a directory (`$SLIPWAY_SIM`). See TOOLS.md
 * for the command forms and semantics; this module prepares the stubs and lets a test seed
 * state, inject faults and read back what is serving traffic.
 *
 * ```ts
 * const sim = newSim();
 * seedHelmRelease(sim, 'prod', 'api', [{ status: 'deployed', values: { image: { tag: 'a' } } }]);
 * addFault(sim, { tool: 'helm', match: 'upgrade', effect: 'timeout' });
 * execFileSync('bash', ['script.sh'], { env: simEnv(sim) });
 * expect(helmServing(sim, 'prod', 'api').image).toBe('image:a');
 * ```
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The stubs' own CommonJS core: one model for the stubs and for the helpers below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core: any = require('./stubs/sim.js');

const STUBS_DIR = path.join(__dirname, 'stubs');
const TOOLS = ['helm', 'kubectl', 'gcloud', 'curl', 'sleep', 'timeout'];

/** Ensures the stubs are executable (git may drop the mode) and returns the directory to put first on PATH. */
export function prepareStubs(): string {
  for (const t of TOOLS) fs.chmodSync(path.join(STUBS_DIR, t), 0o755);
  return STUBS_DIR;
}

export interface NewSimOptions {
  /** Real seconds per simulated second for every stub and helper of this sim (default 0.001). */
  readonly timescale?: number;
  /** Namespaces that exist in the cluster (default: none; seedHelmRelease adds its own). */
  readonly namespaces?: string[];
}

/** Creates a sim directory (a fresh temp dir unless `dir` is given) and returns its path. */
export function newSim(dir?: string, options: NewSimOptions = {}): string {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-sim-'));
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'timescale'), String(options.timescale ?? 0.001));
  fs.writeFileSync(path.join(d, 'faults.json'), '[]\n');
  for (const ns of options.namespaces ?? []) seedNamespace(d, ns);
  return d;
}

/** Environment for a script run against the sim: stubs first on PATH, SLIPWAY_SIM set. */
export function simEnv(sim: string, extra: { [key: string]: string } = {}): { [key: string]: string } {
  const env: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.SLIPWAY_SIM_TIMESCALE;
  return { ...env, PATH: `${prepareStubs()}${path.delimiter}${process.env.PATH ?? ''}`, SLIPWAY_SIM: sim, ...extra };
}

function tx<T>(sim: string, fn: (store: { get(name: string): any }) => T): T {
  core.setDir(sim);
  try {
    return core.transact(fn);
  } finally {
    core.setDir(undefined);
  }
}

export type FaultEffect = 'fail' | 'timeout' | 'hang' | 'unhealthy' | 'transient';

export interface Fault {
  readonly tool: 'helm' | 'kubectl' | 'gcloud' | 'curl';
  /** Substring of the space-joined argv. */
  readonly match: string;
  /** Fires on the nth matching call only (from 1); default every call (`transient`: the first). */
  readonly nth?: number;
  readonly effect: FaultEffect;
}

/** Appends a fault to faults.json. */
export function addFault(sim: string, fault: Fault): void {
  const file = path.join(sim, 'faults.json');
  const list = core.readJson(file, []);
  list.push(fault);
  core.writeJsonAtomic(file, list);
}

export function seedNamespace(sim: string, ns: string): void {
  tx(sim, (s) => {
    const kube = s.get('kube');
    if (!kube.namespaces.includes(ns)) kube.namespaces.push(ns);
  });
}

export type HelmStatus = 'deployed' | 'superseded' | 'failed' | 'pending-install' | 'pending-upgrade' | 'pending-rollback' | 'uninstalled';

export interface SeedRevision {
  readonly status: HelmStatus;
  /** User-supplied values (what `helm get values` returns). */
  readonly values: { [key: string]: any };
  /** Chart defaults merged under `values` to derive the objects (default none). */
  readonly chartDefaults?: { [key: string]: any };
  readonly chart?: string;
  readonly appVersion?: string;
  readonly description?: string;
}

/**
 * Seeds a release's history (revisions 1..n in order) and its live objects, as if helm had
 * run each revision: each is applied over the last deployed/superseded one before it (a
 * "Rollback to" description: over the previous revision); a failed revision's Deployments
 * never became ready. Argo Rollouts end Healthy on the last non-failed revision's template.
 */
export function seedHelmRelease(sim: string, ns: string, name: string, revisions: SeedRevision[]): void {
  seedNamespace(sim, ns);
  tx(sim, (s) => {
    const helm = s.get('helm');
    const kube = s.get('kube');
    const recs: any[] = [];
    let base: any = null;
    let lastGood: any = null;
    revisions.forEach((r, i) => {
      const computed = core.deepMerge(r.chartDefaults ?? {}, r.values);
      const manifest = core.manifestFor(name, computed);
      const rollback = (r.description ?? '').startsWith('Rollback to');
      const healthy = r.status !== 'failed';
      const over = rollback && recs.length ? recs[recs.length - 1].manifest : base?.manifest ?? null;
      core.applyManifest(kube, ns, name, over, manifest, computed, healthy, (i + 1) * 1e6);
      const rec = {
        revision: i + 1,
        status: r.status,
        updated: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        chart: r.chart ?? `${name}-0.1.0`,
        app_version: r.appVersion ?? '1.0.0',
        description: r.description ?? (r.status === 'failed' ? `Upgrade "${name}" failed: context deadline exceeded` : i === 0 ? 'Install complete' : 'Upgrade complete'),
        values: r.values,
        computed,
        manifest,
      };
      recs.push(rec);
      if (r.status === 'deployed' || r.status === 'superseded') base = rec;
      if (healthy) lastGood = { computed, manifest };
    });
    for (const o of lastGood?.manifest ?? []) {
      if (o.kind !== 'Rollout') continue;
      const ro = kube.rollouts[`${ns}/${o.name}`];
      core.rolloutSettings(ro, lastGood.computed);
      ro.stable = { template: o.template, image: o.image, healthy: true };
      ro.update = null;
      ro.previous = null;
    }
    helm.releases[`${ns}/${name}`] = { name, namespace: ns, revisions: recs };
  });
}

export interface ArgoRolloutSeed {
  readonly strategy?: 'canary' | 'blueGreen';
  /** Image of the stable ReplicaSet (blue-green: the active one). */
  readonly stableImage: string;
  /** An update in flight: its image and where it is. */
  readonly update?: { readonly image: string; readonly phase: 'Progressing' | 'Paused' | 'Degraded'; readonly healthy?: boolean };
  /** The stable ReplicaSet before the last promotion, still running for `scaleDownInSeconds` (simulated). */
  readonly previous?: { readonly image: string; readonly scaleDownInSeconds: number };
  readonly steps?: number[];
  /** Canary pause at each step, simulated seconds. */
  readonly bakeSeconds?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly autoPromotion?: boolean;
}

/** Sets the state of an Argo Rollout (creating it, and its namespace, when missing). */
export function setArgoRollout(sim: string, ns: string, name: string, seed: ArgoRolloutSeed): void {
  seedNamespace(sim, ns);
  tx(sim, (s) => {
    const kube = s.get('kube');
    const t = core.now();
    const tpl = (image: string) => core.stableStringify({ image });
    const ro: any = kube.rollouts[`${ns}/${name}`] ?? { name, namespace: ns, revision: 1 };
    ro.strategy = seed.strategy ?? ro.strategy ?? 'canary';
    ro.steps = seed.steps ?? ro.steps ?? [10, 50];
    ro.bake = seed.bakeSeconds ?? ro.bake ?? 300;
    ro.scaleDownDelay = seed.scaleDownDelaySeconds ?? ro.scaleDownDelay ?? 30;
    ro.autoPromotion = seed.autoPromotion ?? ro.autoPromotion ?? false;
    ro.analysis = ro.analysis ?? false;
    ro.progressDeadline = ro.progressDeadline ?? 600;
    ro.stable = { template: tpl(seed.stableImage), image: seed.stableImage, healthy: true };
    const prev = seed.previous;
    ro.previous = prev ? { template: tpl(prev.image), image: prev.image, scaleDownAt: t + prev.scaleDownInSeconds } : null;
    ro.update = null;
    if (seed.update) {
      ro.revision = (ro.revision ?? 1) + 1;
      const up = seed.update;
      const u: any = { template: tpl(up.image), image: up.image, healthy: up.healthy ?? true, skew: 0, revision: ro.revision };
      // Progressing: just started; Paused: pods ready, at the first pause (canary) / waiting for promote (blue-green)
      u.startedAt = seed.update.phase === 'Progressing' ? t : t - core.READY_SECONDS;
      if (seed.update.phase === 'Degraded') {
        u.aborted = true;
        u.message = `RolloutAborted: Rollout aborted update to revision ${ro.revision}`;
      }
      ro.update = u;
    }
    kube.rollouts[`${ns}/${name}`] = ro;
    kube.objects[`${ns}/Rollout/${name}`] = kube.objects[`${ns}/Rollout/${name}`] ?? { kind: 'Rollout', name, image: seed.stableImage };
    kube.objects[`${ns}/Service/${name}`] = kube.objects[`${ns}/Service/${name}`] ?? { kind: 'Service', name };
  });
}

export interface CloudRunRevisionSeed {
  readonly name: string;
  readonly image: string;
  /** Default true. */
  readonly ready?: boolean;
  /** HTTP status the revision answers with (default 200). */
  readonly httpStatus?: number;
}

export interface CloudRunTrafficTarget {
  readonly revisionName?: string;
  readonly latestRevision?: boolean;
  readonly percent: number;
  readonly tag?: string;
}

export interface CloudRunServiceSeed {
  readonly service: string;
  readonly project: string;
  readonly region: string;
  /** In creation order; the last ready one is the latest ready revision. */
  readonly revisions: CloudRunRevisionSeed[];
  /** Default: 100% to the latest revision. */
  readonly traffic?: CloudRunTrafficTarget[];
  readonly url?: string;
}

export function seedCloudRunService(sim: string, seed: CloudRunServiceSeed): void {
  tx(sim, (s) => {
    const gc = s.get('gcloud');
    const ready = seed.revisions.filter((r) => r.ready !== false);
    gc.services[`${seed.project}/${seed.region}/${seed.service}`] = {
      name: seed.service,
      project: seed.project,
      region: seed.region,
      url: seed.url ?? `https://${seed.service}-abc123xyz-${seed.region.split('-').map((x) => x[0]).join('')}.a.run.app`,
      revisions: seed.revisions.map((r) => ({
        name: r.name,
        image: r.image,
        ready: r.ready !== false,
        httpStatus: r.httpStatus,
        template: core.stableStringify({ image: r.image, name: r.name }),
      })),
      traffic: (seed.traffic ?? [{ latestRevision: true, percent: 100 }]).map((t) => JSON.parse(JSON.stringify(t))),
      latestReadyRevisionName: ready.length ? ready[ready.length - 1].name : undefined,
      latestCreatedRevisionName: seed.revisions.length ? seed.revisions[seed.revisions.length - 1].name : undefined,
      generation: 1,
      counter: seed.revisions.length,
    };
  });
}

/** What an URL answers: an HTTP status (and body), `down` (connection refused) or `hang`. */
export type UrlHealth = { readonly status: number; readonly body?: string } | 'down' | 'hang';

/** Overrides the answer of an URL for curl on the runner and in the cluster (`kubectl run ... curl`). */
export function setUrlHealth(sim: string, url: string, health: UrlHealth): void {
  tx(sim, (s) => {
    s.get('urls')[url] = health;
  });
}

/** The value a Prometheus query returns (`*`: any query); null: an empty result. */
export function setPrometheus(sim: string, query: string, value: number | null): void {
  tx(sim, (s) => {
    s.get('prometheus')[query] = value;
  });
}

export interface SimState {
  readonly helm: any;
  readonly kube: any;
  readonly gcloud: any;
  readonly urls: any;
  readonly prometheus: any;
  readonly faults: Fault[];
  /** Matching calls counted per fault, by index in faults.json. */
  readonly faultCounts: { [index: string]: number };
}

/** The raw state files (not settled to the current time). */
export function readState(sim: string): SimState {
  const read = (n: string, d: any) => core.readJson(path.join(sim, `${n}.json`), d);
  return {
    helm: read('helm', { releases: {} }),
    kube: read('kube', { namespaces: [], objects: {}, rollouts: {}, jobs: {}, pods: {} }),
    gcloud: read('gcloud', { services: {}, jobs: {} }),
    urls: read('urls', {}),
    prometheus: read('prometheus', {}),
    faults: read('faults', []),
    faultCounts: read('fault-counts', {}),
  };
}

export interface Call {
  readonly tool: string;
  readonly argv: string[];
  /** `$GITHUB_ACTION` of the step that made the call (the step's id, or `__run_<n>`). */
  readonly action?: string;
}

/** Every stub invocation so far, in order. */
export function calls(sim: string): Call[] {
  const file = path.join(sim, 'calls.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export interface HelmServing {
  /** Last revision and its status; undefined when the release does not exist. */
  readonly revision?: number;
  readonly status?: HelmStatus;
  /** Image whose pods serve the release's main Service (Deployment: ready pods; Argo: the stable ReplicaSet). */
  readonly image?: string;
  /** Image the main Deployment/Rollout spec asks for (may not be ready). */
  readonly specImage?: string;
  /** Any of Deployment/Service/Ingress `<rel>-canary` exists. */
  readonly canaryObjects: boolean;
  /** NGINX canary Ingress weight, or the Argo canary's current weight; 0 without a canary. */
  readonly canaryWeight: number;
  readonly canaryImage?: string;
  /** Live objects in the namespace owned by the release, `Kind/name`, sorted. */
  readonly objects: string[];
}

export function helmServing(sim: string, ns: string, rel: string): HelmServing {
  return tx(sim, (s) => {
    const t = core.now();
    const r = s.get('helm').releases[`${ns}/${rel}`];
    const kube = s.get('kube');
    const last = r?.revisions[r.revisions.length - 1];
    const obj = (kind: string, name: string) => kube.objects[`${ns}/${kind}/${name}`];
    const objects = Object.keys(kube.objects).filter((k) => k.startsWith(`${ns}/`) && kube.objects[k].release === rel).map((k) => k.slice(ns.length + 1)).sort();
    const canaryObjects = ['Deployment', 'Service', 'Ingress'].some((k) => obj(k, `${rel}-canary`));
    const ro = kube.rollouts[`${ns}/${rel}`];
    if (ro && obj('Rollout', rel)) {
      core.settleRollout(ro, t);
      const u = ro.update && !ro.update.aborted ? ro.update : null;
      return {
        revision: last?.revision,
        status: last?.status,
        image: ro.stable?.image,
        specImage: obj('Rollout', rel).image,
        canaryObjects,
        canaryWeight: core.canaryWeight(ro, t),
        canaryImage: u?.image,
        objects,
      };
    }
    const dep = obj('Deployment', rel);
    const canaryDep = obj('Deployment', `${rel}-canary`);
    if (dep) core.settleDeployment(dep, t);
    if (canaryDep) core.settleDeployment(canaryDep, t);
    const ing = obj('Ingress', `${rel}-canary`);
    return {
      revision: last?.revision,
      status: last?.status,
      image: dep?.readyImage ?? undefined,
      specImage: dep?.image,
      canaryObjects,
      canaryWeight: ing ? ing.weight : 0,
      canaryImage: canaryDep?.readyImage ?? undefined,
      objects,
    };
  });
}

export interface ArgoServing {
  readonly phase: 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';
  readonly message: string;
  readonly strategy: 'canary' | 'blueGreen';
  /** The stable ReplicaSet's image: all traffic (blue-green: the active Service) except canaryWeight. */
  readonly stableImage?: string;
  /** The update's image while it runs (canary or preview), not after an abort. */
  readonly updateImage?: string;
  readonly canaryWeight: number;
  readonly aborted: boolean;
  /** The stable ReplicaSet before the last promotion, while it still runs (scaleDownDelaySeconds). */
  readonly previousImage?: string;
}

export function argoServing(sim: string, ns: string, name: string): ArgoServing | undefined {
  return tx(sim, (s) => {
    const ro = s.get('kube').rollouts[`${ns}/${name}`];
    if (!ro) return undefined;
    const t = core.now();
    core.settleRollout(ro, t);
    const st = core.rolloutPhase(ro, t);
    return {
      phase: st.phase,
      message: st.message,
      strategy: ro.strategy,
      stableImage: ro.stable?.image,
      updateImage: ro.update && !ro.update.aborted ? ro.update.image : undefined,
      canaryWeight: core.canaryWeight(ro, t),
      aborted: !!ro.update?.aborted,
      previousImage: ro.previous?.image,
    };
  });
}

export interface CloudRunServing {
  /** status.traffic as `describe` shows it (LATEST resolved, sorted by revision name), with each revision's image. */
  readonly traffic: { revisionName: string; percent: number; tag?: string; latestRevision?: boolean; image?: string }[];
  /** tag → revision name */
  readonly tags: { [tag: string]: string };
  /** revision name → percent (revisions with traffic only) */
  readonly percent: { [revision: string]: number };
  readonly latestReadyRevisionName?: string;
  readonly revisions: { name: string; image: string; ready: boolean }[];
}

/** The traffic of a Cloud Run service (project/region needed only when the name is ambiguous). */
export function cloudRunServing(sim: string, service: string, where: { project?: string; region?: string } = {}): CloudRunServing | undefined {
  return tx(sim, (s) => {
    const svcs = Object.values(s.get('gcloud').services as { [k: string]: any })
      .filter((x) => x.name === service && (!where.project || x.project === where.project) && (!where.region || x.region === where.region));
    if (svcs.length > 1) throw new Error(`cloudRunServing: ${service} is ambiguous; pass project and region`);
    const svc = svcs[0];
    if (!svc) return undefined;
    const image = (n: string) => svc.revisions.find((r: any) => r.name === n)?.image;
    const traffic = core.resolvedTraffic(svc).filter((x: any) => x.percent > 0 || x.tag)
      .sort((a: any, b: any) => (a.revisionName ?? '').localeCompare(b.revisionName ?? '') || (a.tag ?? '').localeCompare(b.tag ?? ''))
      .map((x: any) => ({ ...x, image: image(x.revisionName) }));
    const tags: { [tag: string]: string } = {};
    const percent: { [rev: string]: number } = {};
    for (const x of traffic) {
      if (x.tag) tags[x.tag] = x.revisionName;
      if (x.percent > 0) percent[x.revisionName] = (percent[x.revisionName] ?? 0) + x.percent;
    }
    return {
      traffic,
      tags,
      percent,
      latestReadyRevisionName: svc.latestReadyRevisionName,
      revisions: svc.revisions.map((r: any) => ({ name: r.name, image: r.image, ready: r.ready !== false })),
    };
  });
}
