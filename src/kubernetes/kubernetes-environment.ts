import { ResourceRequirements, Scaling } from '../core/application';
import { Rollout, RolloutKind, TrafficRouter } from '../core/rollout';

/**
 * One environment a chart is deployed to. Each gets a
 * `values-<name>.yaml` next to `values.yaml`; the pipeline deploys with
 * `helm upgrade --install <release> <chart> -f values-<name>.yaml`.
 */
export interface KubernetesEnvironment {
  /**
   * Environment name: names the values file (`values-<name>.yaml`).
   * Lowercase letters, digits and "-".
   */
  readonly name: string;

  /**
   * Namespace the release is installed into (`helm --namespace`).
   * @default - the environment name
   */
  readonly namespace?: string;

  /**
   * How a release rolls out in this environment: `Rollout.allAtOnce()`
   * (rolling update), `Rollout.canary({ router: TrafficRouter.NGINX_INGRESS })`
   * (stable and canary Deployments behind an NGINX canary ingress),
   * `Rollout.canary({ router: TrafficRouter.ARGO_ROLLOUTS })` (an Argo
   * Rollouts canary) or `Rollout.blueGreen()` (an Argo Rollouts blue-green).
   * `Rollout.deployFirst()` renders as a rolling update.
   * @default Rollout.allAtOnce()
   */
  readonly rollout?: Rollout;

  /**
   * Replica count in this environment (fixed scaling).
   * @default - the application's scaling
   */
  readonly replicas?: number;

  /**
   * Scaling in this environment; overrides `replicas`.
   * @default - the application's scaling
   */
  readonly scaling?: Scaling;

  /**
   * CPU and memory in this environment.
   * @default - the application's resources
   */
  readonly resources?: ResourceRequirements;

  /**
   * Ingress host in this environment (enables the ingress when the
   * application has none).
   * @default - the application's ingress host
   */
  readonly ingressHost?: string;

  /**
   * Plain environment variables added or changed in this environment.
   * Never secret values: use the application's `secrets`.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Any other values for this environment, merged last into
   * `values-<name>.yaml` (e.g. `{ podDisruptionBudget: { maxUnavailable: '50%' } }`).
   * Every key must exist in `values.yaml`; the chart rejects unknown keys.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/**
 * How the chart rolls out a release: the `rollout.strategy` chart value
 * each environment's values file selects.
 */
export enum HelmRolloutStrategy {
  /** A Deployment rolling update (maxSurge/maxUnavailable). */
  ROLLING = 'rolling',
  /** Stable and canary Deployments and Services, with an NGINX canary Ingress weighted by `canary.weight`. */
  NGINX_CANARY = 'nginx-canary',
  /** An Argo Rollouts `Rollout` with setWeight/pause steps. */
  ARGO_CANARY = 'argo-canary',
  /** An Argo Rollouts `Rollout` with active and preview Services. */
  ARGO_BLUE_GREEN = 'argo-blue-green',
}

/**
 * The chart strategy that renders a rollout.
 * @internal
 */
export function strategyOf(rollout: Rollout): HelmRolloutStrategy {
  switch (rollout.kind) {
    case RolloutKind.CANARY:
      return rollout.router === TrafficRouter.ARGO_ROLLOUTS ? HelmRolloutStrategy.ARGO_CANARY : HelmRolloutStrategy.NGINX_CANARY;
    case RolloutKind.BLUE_GREEN:
      return HelmRolloutStrategy.ARGO_BLUE_GREEN;
    default:
      return HelmRolloutStrategy.ROLLING;
  }
}

/** Whether a strategy is rendered as an Argo Rollouts `Rollout`. @internal */
export function isArgo(s: HelmRolloutStrategy): boolean {
  return s === HelmRolloutStrategy.ARGO_CANARY || s === HelmRolloutStrategy.ARGO_BLUE_GREEN;
}
