import { MigrationMode } from './chart-options';
import { ChartSpec } from './chart-spec';
import { HelmRolloutStrategy } from './kubernetes-environment';
import { CONFIG_KEY, DNS_1123_LABEL } from './names';
import { S, ValuesBuilder } from './values';
import { MigrationPhase, ResourceRequirements, Scaling } from '../core/application';
import { Rollout } from '../core/rollout';

/** Defaults of values.yaml that come from props rather than the application. @internal */
export interface ValuesDefaults {
  readonly appVersion: string;
  readonly serviceType: string;
  readonly servicePort: number;
  readonly ingressClassName: string;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable: string };
  readonly serviceAccountAnnotations: { [key: string]: string };
  readonly configMapData: { [key: string]: string };
  /** The digest slipway.lock.json pins for a prebuilt image, else "". */
  readonly imageDigest: string;
}

/** One environment with its settings resolved. @internal */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly namespace: string;
  readonly rollout: Rollout;
  readonly strategy: HelmRolloutStrategy;
  readonly scaling?: Scaling;
  readonly resources?: ResourceRequirements;
  readonly ingressHost?: string;
  readonly env: { [name: string]: string };
  readonly values: { [key: string]: any };
}

const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
const ANNOTATION_KEY_PATTERN = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
const TAG = { type: ['string', 'integer'], pattern: '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$' };
const DIGEST = S.string({ pattern: '^([a-z0-9]+:[a-f0-9]{32,})?$' });
const DNS_1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const HOST_PATTERN = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Default canary steps and bake of values.yaml (environments set their own). @internal */
export const DEFAULT_CANARY = { steps: [10, 50], bake: '5m' };

/**
 * Declares every value the templates read, with its default and schema, in
 * values.yaml order.
 * @internal
 */
export function buildValues(spec: ChartSpec, d: ValuesDefaults): ValuesBuilder {
  const app = spec.app;
  const v = new ValuesBuilder();
  const has = (s: HelmRolloutStrategy) => spec.strategies.includes(s);

  v.set('image.repository', app.image.repository, S.string({ minLength: 1, pattern: '^[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?$' }), 'Image repository, without tag or digest.');
  v.set('image.tag', app.image.defaultTag ?? '', TAG, `Image tag (a label value: at most 63 characters); the chart's appVersion (${d.appVersion}) when empty. The pipeline sets it with --set-string image.tag=<sha>.`);
  v.set('image.digest', d.imageDigest, DIGEST, 'Image digest (sha256:...); wins over the tag when set.');
  v.set('image.pullPolicy', 'IfNotPresent', S.enum(['IfNotPresent', 'Always', 'Never']));
  v.set('imagePullSecrets', [], { type: 'array', items: S.string({ pattern: DNS_1123_SUBDOMAIN }) }, 'Names of Secrets to pull the image with.');
  v.set('replicas', app.scaling.minReplicas, S.integer(0), 'Replicas when autoscaling is off.');
  v.set('rollout.strategy', HelmRolloutStrategy.ROLLING, S.enum(spec.strategies), 'How a release rolls out; each values-<environment>.yaml selects one.');
  v.set('strategy.maxSurge', intOrPercent('25%'), S.intOrPercent(), 'Rolling update: extra pods allowed during the update.');
  v.set('strategy.maxUnavailable', intOrPercent('0'), S.intOrPercent(), 'Rolling update: pods allowed to be unavailable during the update.');
  const r = app.resources;
  v.set('resources.requests.cpu', r.cpuRequest, S.quantity());
  v.set('resources.requests.memory', r.memoryRequest, S.quantity());
  v.set('resources.limits.cpu', r.cpuLimit, S.quantity());
  v.set('resources.limits.memory', r.memoryLimit, S.quantity());
  v.set('env', sorted(app.env), S.stringMap(ENV_NAME_PATTERN), 'Plain environment variables (never secrets: those are secretKeyRefs in the templates).');
  v.set('podAnnotations', {}, S.stringMap(ANNOTATION_KEY_PATTERN));
  v.set('service.type', d.serviceType, S.enum(['ClusterIP', 'NodePort', 'LoadBalancer']));
  v.set('service.port', d.servicePort, S.integer(1, 65535));

  if (spec.ingress) {
    v.set('ingress.enabled', app.ingress !== undefined, S.boolean());
    v.set('ingress.className', d.ingressClassName, S.string({ minLength: 1 }));
    v.set('ingress.host', app.ingress?.host ?? '', S.string({ pattern: `(${HOST_PATTERN})|^$` }));
    v.set('ingress.path', app.ingress?.path ?? '/', S.string({ pattern: '^/' }));
    v.set('ingress.tls.enabled', app.ingress?.tlsSecretName !== undefined, S.boolean());
    v.set('ingress.tls.secretName', app.ingress?.tlsSecretName ?? '', S.string());
    v.set('ingress.annotations', {}, S.stringMap(ANNOTATION_KEY_PATTERN));
    v.require('ingress', { properties: { enabled: { const: true } } }, { properties: { host: { minLength: 1 } } });
    v.require('ingress.tls', { properties: { enabled: { const: true } } }, { properties: { secretName: { minLength: 1 } } });
  }
  if (spec.autoscaling) {
    v.set('autoscaling.enabled', app.scaling.isAutoscaled, S.boolean());
    v.set('autoscaling.minReplicas', Math.max(1, app.scaling.minReplicas), S.integer(1));
    v.set('autoscaling.maxReplicas', app.scaling.maxReplicas, S.integer(1));
    v.set('autoscaling.targetCPUUtilizationPercentage', app.scaling.cpuTargetPercent ?? 70, S.integer(1, 100));
  }
  v.set('podDisruptionBudget.enabled', d.podDisruptionBudget.enabled, S.boolean());
  v.set('podDisruptionBudget.maxUnavailable', intOrPercent(d.podDisruptionBudget.maxUnavailable), S.intOrPercent());
  if (spec.serviceAccount.create) {
    v.set('serviceAccount.annotations', sorted(d.serviceAccountAnnotations), S.stringMap(ANNOTATION_KEY_PATTERN));
  }
  if (spec.configMap) {
    v.set('configMap.data', sorted(d.configMapData), S.stringMap(CONFIG_KEY.source));
  }
  if (has(HelmRolloutStrategy.NGINX_CANARY)) {
    v.set('stable.image.tag', '', TAG, 'NGINX canary: the tag the stable Deployment keeps while a canary runs (empty: image.tag).');
    v.set('stable.image.digest', '', DIGEST, 'NGINX canary: the digest the stable Deployment keeps while a canary runs.');
  }
  if (has(HelmRolloutStrategy.NGINX_CANARY) || has(HelmRolloutStrategy.ARGO_CANARY)) {
    if (has(HelmRolloutStrategy.NGINX_CANARY)) {
      v.set('canary.enabled', false, S.boolean(), 'NGINX canary: run the canary Deployment, Service and Ingress.');
      v.set('canary.weight', 0, S.integer(0, 100), 'NGINX canary: percent of traffic sent to the canary.');
      v.set('canary.replicas', 1, S.integer(1), 'NGINX canary: replicas of the canary Deployment.');
    }
    if (has(HelmRolloutStrategy.ARGO_CANARY)) {
      v.set('canary.steps', DEFAULT_CANARY.steps, { type: 'array', items: S.integer(1, 99), uniqueItems: true }, 'Argo Rollouts canary: traffic weights before full promotion.');
      v.set('canary.bake', DEFAULT_CANARY.bake, S.duration(), 'Argo Rollouts canary: pause at each weight.');
    }
  }
  if (has(HelmRolloutStrategy.ARGO_BLUE_GREEN)) {
    v.set('blueGreen.autoPromotion', false, S.boolean(), 'Switch traffic to the preview without `kubectl argo rollouts promote`.');
    v.set('blueGreen.scaleDownDelaySeconds', 600, S.integer(0), 'Time the previous release keeps running after the switch.');
  }
  if (spec.analysis) {
    v.set('analysis.enabled', false, S.boolean(), 'Argo Rollouts: gate each step (blue-green: the promotion) on a Prometheus query.');
    v.set('analysis.metricName', 'success-rate', S.string({ pattern: DNS_1123_LABEL.source }));
    v.set('analysis.address', '', S.string(), 'Prometheus base URL.');
    v.set('analysis.query', '', S.string(), 'PromQL; {{args.service}} and {{args.namespace}} are filled in by Argo Rollouts.');
    v.set('analysis.successCondition', '', S.string(), 'e.g. result[0] >= 0.99');
    v.set('analysis.interval', '1m', S.duration());
    v.set('analysis.count', 5, S.integer(1));
    v.set('analysis.failureLimit', 1, S.integer(0));
    v.require('analysis', { properties: { enabled: { const: true } } }, {
      properties: { address: { minLength: 1 }, query: { minLength: 1 }, successCondition: { minLength: 1 } },
    });
  }
  if (spec.migration) {
    const hooks = spec.migration.phases.filter((p) => isHookPhase(spec, p));
    const standalone = spec.migration.phases.filter((p) => !isHookPhase(spec, p));
    if (hooks.length) v.set('migration.enabled', true, S.boolean(), `Run the ${hooks.join(' and ')} migration as pre-install/pre-upgrade hooks.`);
    if (standalone.length) {
      v.set('migration.run', '', S.enum(['', ...standalone]), `The migration Job to render (${standalone.join(', ')}); only the pipeline sets it, with helm template --show-only.`);
    }
  }
  return v;
}

/**
 * Whether a migration phase is a Helm hook: expand and migrate in
 * `MigrationMode.HOOK`; contract never is.
 * @internal
 */
export function isHookPhase(spec: ChartSpec, phase: string): boolean {
  return spec.migration?.mode === MigrationMode.HOOK && phase !== MigrationPhase.CONTRACT;
}

/**
 * values-<environment>.yaml: what the environment sets over values.yaml.
 * @internal
 */
export function environmentValues(spec: ChartSpec, env: ResolvedEnvironment): { [key: string]: any } {
  const out: { [key: string]: any } = { rollout: { strategy: env.strategy } };
  const rollout = env.rollout;
  switch (env.strategy) {
    case HelmRolloutStrategy.ROLLING:
      if (rollout.maxSurge !== undefined || rollout.maxUnavailable !== undefined) {
        out.strategy = { maxSurge: intOrPercent(rollout.maxSurge ?? '25%'), maxUnavailable: intOrPercent(rollout.maxUnavailable ?? '0') };
      }
      break;
    case HelmRolloutStrategy.ARGO_CANARY:
      out.canary = { steps: (rollout.steps ?? []).filter((s) => s < 100), bake: rollout.bake!.toHumanString() };
      break;
    case HelmRolloutStrategy.ARGO_BLUE_GREEN:
      out.blueGreen = { autoPromotion: rollout.autoPromote ?? false, scaleDownDelaySeconds: rollout.scaleDownDelay!.toSeconds() };
      break;
    default:
      break;
  }
  if (spec.analysis && (env.strategy === HelmRolloutStrategy.ARGO_CANARY || env.strategy === HelmRolloutStrategy.ARGO_BLUE_GREEN)) {
    const a = rollout.analysis;
    out.analysis = a ? {
      enabled: true,
      metricName: a.name,
      address: a.address,
      query: a.query,
      successCondition: a.successCondition,
      interval: a.interval.toHumanString(),
      count: a.count,
      failureLimit: a.failureLimit,
    } : { enabled: false };
  }
  if (env.scaling) {
    out.replicas = env.scaling.minReplicas;
    if (spec.autoscaling) {
      out.autoscaling = env.scaling.isAutoscaled
        ? {
          enabled: true,
          minReplicas: Math.max(1, env.scaling.minReplicas),
          maxReplicas: env.scaling.maxReplicas,
          targetCPUUtilizationPercentage: env.scaling.cpuTargetPercent,
        }
        : { enabled: false };
    }
  }
  if (env.resources) {
    const r = { ...spec.app.resources, ...env.resources };
    out.resources = { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
  }
  if (env.ingressHost !== undefined) out.ingress = { enabled: true, host: env.ingressHost };
  if (Object.keys(env.env).length) out.env = sorted(env.env);
  return deepMerge(out, env.values);
}

/** `"3"` → 3, `"25%"` stays. @internal */
export function intOrPercent(s: string): string | number {
  return /^[0-9]+$/.test(s) ? Number(s) : s;
}

function sorted(map: { [key: string]: string }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k];
  return out;
}

function deepMerge(base: { [key: string]: any }, over: { [key: string]: any }): { [key: string]: any } {
  const out: { [key: string]: any } = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = isMap(v) && isMap(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}
