/**
 * The part of the Argo Rollouts `argoproj.io/v1alpha1` API the chart
 * renders, as plain readonly interfaces (wire names).
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 * @internal
 */

/** @internal */
export interface ObjectMeta {
  readonly name: string;
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
}

/** @internal */
export interface Rollout {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Rollout';
  readonly metadata: ObjectMeta;
  readonly spec: RolloutSpec;
}

/** @internal */
export interface RolloutSpec {
  readonly replicas?: unknown;
  readonly revisionHistoryLimit?: number;
  readonly selector: { readonly matchLabels: { readonly [key: string]: string } };
  /** A pod template (`k8s-model`'s `PodTemplateSpec` as JSON). */
  readonly template: unknown;
  readonly strategy: { readonly canary?: CanaryStrategy; readonly blueGreen?: BlueGreenStrategy };
}

/** @internal */
export interface CanaryStrategy {
  readonly canaryService?: string;
  readonly stableService?: string;
  readonly trafficRouting?: { readonly nginx: { readonly stableIngress: string } };
  /** setWeight / pause / analysis steps. */
  readonly steps?: unknown;
}

/** @internal */
export interface BlueGreenStrategy {
  readonly activeService: string;
  readonly previewService?: string;
  readonly autoPromotionEnabled?: unknown;
  readonly scaleDownDelaySeconds?: unknown;
  readonly prePromotionAnalysis?: RolloutAnalysis;
}

/** @internal */
export interface RolloutAnalysis {
  readonly templates: { readonly templateName: string }[];
  readonly args?: AnalysisRunArgument[];
}

/** @internal */
export interface AnalysisRunArgument {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef: { readonly fieldPath: string } };
}

/** @internal */
export interface AnalysisTemplate {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'AnalysisTemplate';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly args: { readonly name: string }[];
    readonly metrics: Metric[];
  };
}

/** @internal */
export interface Metric {
  readonly name: string;
  readonly interval?: string;
  readonly count?: unknown;
  readonly failureLimit?: unknown;
  readonly successCondition?: string;
  readonly provider: { readonly prometheus: { readonly address: string; readonly query: string } };
}
