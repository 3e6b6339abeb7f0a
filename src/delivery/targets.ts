import { CloudRunAuth, CloudRunService } from '../cloudrun';
import { Environment } from './environment';
import { Secret } from './secret';
import { TargetKind } from './target';
import { projectAndRegionCheckedByStage } from '../cloudrun/rules';
import { Application } from '../core/application';
import { registered, REGISTRY_KIND } from '../core/registry';
import { Rollout, RolloutKind, TrafficRouter } from '../core/rollout';
import { carriedProblems } from '../core/strict';
import { HelmChart, MigrationMode } from '../kubernetes';

/**
 * The rollout an application gets in an environment: a canary without an
 * explicit router uses NGINX when there is an ingress to share (the
 * application's, or the environment's URL host), else Argo Rollouts, which
 * needs none.
 * @internal
 */
export function resolveRollout(env: Environment, app: Application): Rollout {
  const r = env.rolloutFor(app);
  if (r.kind !== RolloutKind.CANARY || r.router !== undefined || env.target.kind !== TargetKind.KUBERNETES) return r;
  // a rollout with problems is reported by the environment that received it: a copy would report them again
  if (carriedProblems(r).length) return r;
  const router = app.ingress || env.url ? TrafficRouter.NGINX_INGRESS : TrafficRouter.ARGO_ROLLOUTS;
  return Rollout.canary({ steps: r.steps!, bake: r.bake, analysis: r.analysis, router });
}

/** The host name of an environment URL. @internal */
export function urlHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /^https?:\/\/([^/:]+)/.exec(url);
  return m ? m[1] : undefined;
}

/**
 * The Helm chart of an application: the one already in the app for it (a
 * chart the user created before the pipeline), else a new one (the child
 * `helm` of the application), extended with every Kubernetes stage.
 * @internal
 */
export function helmChartFor(app: Application, stages: Environment[]): HelmChart {
  const existing = registered<HelmChart>(app.node.root, REGISTRY_KIND.helmChart).find((c) => c.application === app);
  const kube = stages.filter((s) => s.target.kind === TargetKind.KUBERNETES);
  const timeout = kube.map((s) => s.target.kubernetesOptions!.timeout).find((t) => t !== undefined);
  const chart = existing ?? new HelmChart(app, 'helm', { application: app, migrationMode: MigrationMode.JOB, deployTimeout: timeout });
  for (const s of kube) {
    if (chart.environmentNames.includes(s.name)) continue;
    const rollout = resolveRollout(s, app);
    const needsIngress = app.ingress !== undefined || (rollout.kind === RolloutKind.CANARY && rollout.router === TrafficRouter.NGINX_INGRESS);
    // the stage's Environment reports a bad namespace of its Target.kubernetes
    chart._addCheckedEnvironment({
      name: s.name,
      namespace: s.target.kubernetesOptions!.namespace,
      rollout,
      replicas: s.replicas,
      env: Object.keys(s.env).length ? s.env : undefined,
      ingressHost: needsIngress ? urlHost(s.url) : undefined,
    });
  }
  return chart;
}

/**
 * The Cloud Run service of an application in a stage: the one already in the
 * app for it, else a new one (a child of the environment).
 * @internal
 */
export function cloudRunServiceFor(env: Environment, app: Application, applications: Application[]): CloudRunService {
  const existing = registered<CloudRunService>(env.node.root, REGISTRY_KIND.cloudRunService)
    .find((c) => c.application === app && c.environment === env.name);
  if (existing) return existing;
  const o = env.target.cloudRunOptions!;
  const name = o.service ? (applications.length > 1 ? `${o.service}-${app.name}` : o.service) : app.name;
  return projectAndRegionCheckedByStage(new CloudRunService(env, app.name, {
    application: app,
    project: o.project,
    region: o.region,
    environment: env.name,
    serviceName: name,
    rollout: env.rolloutFor(app),
    minInstances: env.replicas,
    env: Object.keys(env.env).length ? env.env : undefined,
  }));
}

/**
 * How a job authenticates to Google Cloud: a service-account key secret when
 * one is given, else Workload Identity Federation (by default with the
 * repository variables GCP_WORKLOAD_IDENTITY_PROVIDER and GCP_SERVICE_ACCOUNT).
 * Used by Cloud Run deploys and by the build job's Artifact Registry login.
 * @internal
 */
export function gcpAuth(
  o: { readonly credentials?: Secret; readonly workloadIdentityProvider?: string; readonly serviceAccount?: string },
): CloudRunAuth {
  return o.credentials
    ? CloudRunAuth.serviceAccountKey(o.credentials.name)
    : CloudRunAuth.workloadIdentity({
      workloadIdentityProvider: o.workloadIdentityProvider ?? '${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}',
      serviceAccount: o.serviceAccount ?? '${{ vars.GCP_SERVICE_ACCOUNT }}',
    });
}
