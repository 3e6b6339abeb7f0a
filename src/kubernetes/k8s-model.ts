/**
 * The part of the Kubernetes API the chart renders (core/v1, apps/v1,
 * batch/v1, autoscaling/v2, policy/v1, networking.k8s.io/v1), as plain
 * readonly interfaces with the wire names, and the serializer that turns a
 * manifest into the JSON the templates are built from.
 *
 * Only the fields slipway sets are declared. A numeric or enum field may
 * hold a template token (`HelmTemplate.expr`), typed `any`.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/
 * @internal
 */

/** A string-to-string map of the API (`map[string]string`). @internal */
export type StringMap = { readonly [key: string]: string };

/** A number, or the name of a port or a percentage (`IntOrString`). @internal */
export type IntOrString = number | string;

/** @internal */
export interface ObjectMeta {
  readonly name?: string;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
}

/** @internal */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** @internal */
export interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/** CPU and memory quantities by resource name (`ResourceList`). @internal */
export interface ResourceRequirements {
  readonly requests?: StringMap;
  readonly limits?: StringMap;
}

/** @internal */
export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: IntOrString };
  readonly tcpSocket?: { readonly port: IntOrString };
  readonly exec?: { readonly command: string[] };
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** @internal */
export interface SecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly capabilities?: { readonly drop?: string[]; readonly add?: string[] };
}

/** @internal */
export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly seccompProfile?: { readonly type: string };
}

/** @internal */
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

/** @internal */
export interface Volume {
  readonly name: string;
  readonly emptyDir?: {};
  readonly configMap?: { readonly name: string };
}

/** @internal */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly ports?: ContainerPort[];
  readonly env?: EnvVar[];
  readonly resources?: ResourceRequirements;
  readonly startupProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly securityContext?: SecurityContext;
  readonly volumeMounts?: VolumeMount[];
}

/** @internal */
export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly restartPolicy?: string;
    readonly serviceAccountName?: string;
    readonly automountServiceAccountToken?: boolean;
    readonly securityContext?: PodSecurityContext;
    readonly containers: Container[];
    readonly volumes?: Volume[];
  };
}

/** @internal */
export interface LabelSelector {
  readonly matchLabels?: StringMap;
}

/** @internal */
export interface Deployment {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas?: number;
    readonly selector: LabelSelector;
    readonly strategy?: {
      readonly type: string;
      readonly rollingUpdate?: { readonly maxSurge?: IntOrString; readonly maxUnavailable?: IntOrString };
    };
    readonly template: PodTemplateSpec;
  };
}

/** @internal */
export interface Job {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly backoffLimit?: number;
    readonly activeDeadlineSeconds?: number;
    readonly ttlSecondsAfterFinished?: number;
    readonly template: PodTemplateSpec;
  };
}

/** @internal */
export interface Service {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type?: string;
    /** Pods by label (a plain map, not a `LabelSelector`). */
    readonly selector?: StringMap;
    readonly ports: { readonly name: string; readonly port: number; readonly targetPort?: IntOrString; readonly protocol?: string }[];
  };
}

/** @internal */
export interface Ingress {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly ingressClassName?: string;
    readonly tls?: { readonly hosts: string[]; readonly secretName?: string }[];
    readonly rules: {
      readonly host?: string;
      readonly http: {
        readonly paths: {
          readonly path: string;
          readonly pathType: string;
          readonly backend: { readonly service: { readonly name: string; readonly port: { readonly name?: string; readonly number?: number } } };
        }[];
      };
    }[];
  };
}

/** @internal */
export interface HorizontalPodAutoscaler {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
    readonly minReplicas?: number;
    readonly maxReplicas: number;
    readonly metrics: {
      readonly type: string;
      readonly resource: { readonly name: string; readonly target: { readonly type: string; readonly averageUtilization?: number } };
    }[];
  };
}

/** @internal */
export interface PodDisruptionBudget {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly maxUnavailable?: IntOrString; readonly selector: LabelSelector };
}

/** @internal */
export interface ServiceAccount {
  readonly metadata: ObjectMeta;
  readonly automountServiceAccountToken?: boolean;
}

/** @internal */
export interface ConfigMap {
  readonly metadata: ObjectMeta;
  readonly data?: StringMap;
}

/** The kinds the chart renders, by `apiVersion` and `kind`. @internal */
export interface Kinds {
  readonly 'apps/v1/Deployment': Deployment;
  readonly 'batch/v1/Job': Job;
  readonly 'v1/Service': Service;
  readonly 'v1/ServiceAccount': ServiceAccount;
  readonly 'v1/ConfigMap': ConfigMap;
  readonly 'networking.k8s.io/v1/Ingress': Ingress;
  readonly 'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler;
  readonly 'policy/v1/PodDisruptionBudget': PodDisruptionBudget;
}

/**
 * Fields whose value is a map with the user's (or slipway's) keys rather
 * than an object of the API's fields: their entries keep the order they
 * were given in (labels read in the order slipway lists them).
 */
const STRING_MAPS = new Set(['labels', 'annotations', 'matchLabels', 'selector', 'data', 'requests', 'limits']);

/**
 * A manifest as JSON: `apiVersion`, `kind` and `metadata` first, then the
 * object's other fields, as `kubectl get -o yaml` writes them. Fields of
 * API objects are written in name order (the order of the API's own
 * schema); entries of maps in the order given; unset (`undefined`) fields
 * are left out. A template fills in or wraps fields of the result
 * afterwards.
 * @internal
 */
export function manifest<K extends keyof Kinds>(type: K, object: Kinds[K]): { [key: string]: any } {
  const slash = type.lastIndexOf('/');
  return { apiVersion: type.slice(0, slash), kind: type.slice(slash + 1), metadata: undefined, ...toJson(object) };
}

/** An API object (a pod template, for one) as JSON, as {@link manifest} writes fields. @internal */
export function toJson(value: any, keepOrder = false): any {
  if (Array.isArray(value)) return value.map((v) => toJson(v));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (!keepOrder) keys.sort();
  const out: { [key: string]: any } = {};
  for (const key of keys) {
    const v = value[key];
    if (v !== undefined) out[key] = toJson(v, STRING_MAPS.has(key));
  }
  return out;
}
