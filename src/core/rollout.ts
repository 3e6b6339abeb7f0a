import { Duration } from './duration';
import { invalid } from './strict';

/** How a release replaces the running one. */
export enum RolloutKind {
  /** Replace every instance in one rolling update. */
  ALL_AT_ONCE = 'all-at-once',
  /** Shift traffic to the new release in weighted steps. */
  CANARY = 'canary',
  /** Run the new release beside the old one, switch all traffic after checks. */
  BLUE_GREEN = 'blue-green',
  /** Deploy at once, verify after; roll back to the last validated release if verification fails. */
  DEPLOY_FIRST = 'deploy-first',
}

/** What shifts traffic for a Kubernetes canary or blue-green. */
export enum TrafficRouter {
  /** NGINX ingress canary annotations; the pipeline steps the weight with `helm upgrade --set canary.weight=N`. */
  NGINX_INGRESS = 'nginx-ingress',
  /** An Argo Rollouts `Rollout` resource with setWeight/pause steps (or blue-green services). */
  ARGO_ROLLOUTS = 'argo-rollouts',
}

/**
 * Options of a metric analysis (a Prometheus query that must hold between
 * canary steps).
 */
export interface PrometheusAnalysisOptions {
  /** Prometheus base URL, e.g. `http://prometheus.monitoring:9090`. */
  readonly address: string;
  /**
   * PromQL query returning one number. It may use `{{args.service}}`
   * and `{{args.namespace}}`, filled in by Argo Rollouts.
   */
  readonly query: string;
  /**
   * Condition on `result[0]` that must hold, e.g. `result[0] >= 0.99`.
   */
  readonly successCondition: string;
  /**
   * Failed measurements tolerated before the analysis fails (and the rollout aborts).
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Measurements per analysis run.
   * @default 5
   */
  readonly count?: number;
  /**
   * Name of the metric.
   * @default "success-rate"
   */
  readonly name?: string;
}

/**
 * A metric gate between rollout steps.
 */
export class Analysis {
  /** A Prometheus query with a success condition. */
  public static prometheus(options: PrometheusAnalysisOptions): Analysis {
    const analysis = new Analysis(options);
    if (!options.query.trim()) invalid(analysis, 'Analysis.prometheus needs a non-empty query, e.g. "sum(rate(http_requests_total{status!~\"5..\"}[1m])) / sum(rate(http_requests_total[1m]))"');
    if (!options.successCondition.trim()) invalid(analysis, 'Analysis.prometheus needs a successCondition such as "result[0] >= 0.99"');
    return analysis;
  }

  /** Metric name. */
  public readonly name: string;
  /** Prometheus address. */
  public readonly address: string;
  /** Query. */
  public readonly query: string;
  /** Success condition. */
  public readonly successCondition: string;
  /** Tolerated failures. */
  public readonly failureLimit: number;
  /** Interval between measurements. */
  public readonly interval: Duration;
  /** Measurements per run. */
  public readonly count: number;

  private constructor(o: PrometheusAnalysisOptions) {
    this.name = o.name ?? 'success-rate';
    this.address = o.address;
    this.query = o.query;
    this.successCondition = o.successCondition;
    this.failureLimit = o.failureLimit ?? 1;
    this.interval = o.interval ?? Duration.minutes(1);
    this.count = o.count ?? 5;
  }
}

/** Options of an all-at-once rolling update. */
export interface AllAtOnceOptions {
  /**
   * Extra instances allowed during the update (count or percent).
   * @default "25%"
   */
  readonly maxSurge?: string;
  /**
   * Instances allowed to be unavailable during the update (count or percent).
   * @default "0"
   */
  readonly maxUnavailable?: string;
}

/** Options of a canary rollout. */
export interface CanaryOptions {
  /**
   * Traffic percentages, strictly increasing within 1..100, e.g. `[10, 50, 100]`.
   * A final 100 is added when the list stops short of it.
   */
  readonly steps: number[];
  /**
   * Time to wait at each step before checking and moving on.
   * @default Duration.minutes(5)
   */
  readonly bake?: Duration;
  /**
   * Metric gate evaluated at each step (in addition to the health check).
   * @default - the health check only
   */
  readonly analysis?: Analysis;
  /**
   * On Kubernetes: what shifts the traffic. Cloud Run always uses its traffic split.
   * @default - in a Pipeline: NGINX ingress when the application has an ingress or the
   * environment a url, else Argo Rollouts; a HelmChart used on its own: NGINX ingress
   */
  readonly router?: TrafficRouter;
}

/** Options of a blue-green rollout. */
export interface BlueGreenOptions {
  /**
   * Switch traffic automatically once the preview passes its checks.
   * When false, the pipeline's promote step (after its checks) switches it.
   * @default false
   */
  readonly autoPromote?: boolean;
  /**
   * Metric gate evaluated against the preview before the switch.
   * @default - the health check only
   */
  readonly analysis?: Analysis;
  /**
   * Time the old release keeps running after the switch, for a fast rollback.
   * @default Duration.minutes(10)
   */
  readonly scaleDownDelay?: Duration;
}

/** Options of a deploy-first rollout. */
export interface DeployFirstOptions {
  /**
   * Where the last validated commit is recorded (a GitHub repository variable
   * updated by the pipeline, read on rollback).
   * @default "LAST_VALIDATED_SHA"
   */
  readonly validatedRefVariable?: string;
}

/**
 * How a release rolls out in an environment. Each target renders it: the
 * Kubernetes target into Deployment strategies, NGINX canary ingresses or Argo
 * Rollouts; Cloud Run into tagged revisions and traffic splits; the delivery
 * layer into the jobs that step, check, promote and roll back.
 */
export class Rollout {
  /** Replace all instances in one rolling update. */
  public static allAtOnce(options: AllAtOnceOptions = {}): Rollout {
    return new Rollout(RolloutKind.ALL_AT_ONCE, { maxSurge: options.maxSurge ?? '25%', maxUnavailable: options.maxUnavailable ?? '0' });
  }

  /** Shift traffic in steps, e.g. 10 → 50 → 100, with a bake time and checks at each step. */
  public static canary(options: CanaryOptions): Rollout {
    const steps = options.steps;
    const problem = validateCanarySteps(steps);
    return invalid(new Rollout(RolloutKind.CANARY, {
      // the final promotion to 100% is implicit when the steps stop short of it
      steps: steps[steps.length - 1] === 100 ? [...steps] : [...steps, 100],
      bake: options.bake ?? Duration.minutes(5),
      analysis: options.analysis,
      router: options.router,
    }), ...(problem ? [problem] : []));
  }

  /** Run the new release beside the old, then switch all traffic after checks. */
  public static blueGreen(options: BlueGreenOptions = {}): Rollout {
    return new Rollout(RolloutKind.BLUE_GREEN, {
      autoPromote: options.autoPromote ?? false,
      analysis: options.analysis,
      scaleDownDelay: options.scaleDownDelay ?? Duration.minutes(10),
      router: TrafficRouter.ARGO_ROLLOUTS,
    });
  }

  /** Deploy at once and verify afterwards; roll back to the last validated release on failure. */
  public static deployFirst(options: DeployFirstOptions = {}): Rollout {
    return new Rollout(RolloutKind.DEPLOY_FIRST, { validatedRefVariable: options.validatedRefVariable ?? 'LAST_VALIDATED_SHA' });
  }

  /** The kind of rollout. */
  public readonly kind: RolloutKind;
  /** Rolling update surge (all-at-once). */
  public readonly maxSurge?: string;
  /** Rolling update unavailability (all-at-once). */
  public readonly maxUnavailable?: string;
  /** Canary traffic steps. */
  public readonly steps?: number[];
  /** Canary bake time per step. */
  public readonly bake?: Duration;
  /** Metric gate. */
  public readonly analysis?: Analysis;
  /** Kubernetes traffic router (canary, blue-green). */
  public readonly router?: TrafficRouter;
  /** Blue-green automatic promotion. */
  public readonly autoPromote?: boolean;
  /** Blue-green scale-down delay. */
  public readonly scaleDownDelay?: Duration;
  /** Deploy-first validated-ref variable. */
  public readonly validatedRefVariable?: string;

  private constructor(kind: RolloutKind, o: {
    maxSurge?: string;
    maxUnavailable?: string;
    steps?: number[];
    bake?: Duration;
    analysis?: Analysis;
    router?: TrafficRouter;
    autoPromote?: boolean;
    scaleDownDelay?: Duration;
    validatedRefVariable?: string;
  }) {
    this.kind = kind;
    this.maxSurge = o.maxSurge;
    this.maxUnavailable = o.maxUnavailable;
    this.steps = o.steps;
    this.bake = o.bake;
    this.analysis = o.analysis;
    this.router = o.router;
    this.autoPromote = o.autoPromote;
    this.scaleDownDelay = o.scaleDownDelay;
    this.validatedRefVariable = o.validatedRefVariable;
  }

  /** Whether this rollout splits traffic between two releases. */
  public get splitsTraffic(): boolean {
    return this.kind === RolloutKind.CANARY || this.kind === RolloutKind.BLUE_GREEN;
  }
}

/**
 * Returns why canary steps are invalid, or undefined.
 * @internal
 */
export function validateCanarySteps(steps: number[]): string | undefined {
  if (steps.length === 0) return 'Rollout.canary steps must not be empty; e.g. steps: [10, 50, 100]';
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!Number.isInteger(s) || s < 1 || s > 100) return `Rollout.canary steps must be integers within 1..100; step ${i + 1} is ${s} (steps: [${steps.join(', ')}])`;
    if (i > 0 && s <= steps[i - 1]) return `Rollout.canary steps must be strictly increasing; ${s} follows ${steps[i - 1]} (steps: [${steps.join(', ')}])`;
  }
  return undefined;
}
