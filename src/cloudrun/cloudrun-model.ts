/**
 * The subset of the Cloud Run Admin API v1 YAML that slipway writes: a Knative
 * `serving.knative.dev/v1` Service and a `run.googleapis.com/v1` Job, as
 * `gcloud run services replace` and `gcloud run jobs replace` read them.
 * Plain wire types; renderers build them field by field in this key order.
 *
 * @see https://cloud.google.com/run/docs/reference/yaml/v1
 * @see https://cloud.google.com/run/docs/reference/rest/v1/namespaces.services
 * @see https://cloud.google.com/run/docs/reference/rest/v1/namespaces.jobs
 */

/** Object metadata. Every annotation value is a string. */
export interface ObjectMeta {
  readonly name?: string;
  /** The project ID (gcloud refuses a namespace that is not the target project). */
  readonly namespace?: string;
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
}

/** `env[]` entry: a literal value or a Secret Manager reference. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    /** `name` is the Secret Manager secret, `key` its version (`latest` or a number). */
    readonly secretKeyRef: { readonly name: string; readonly key: string };
  };
}

/** The serving port; Cloud Run allows exactly one, named `http1` or `h2c`. */
export interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
}

/** A startup or liveness probe. */
export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: number };
  readonly tcpSocket?: { readonly port: number };
  readonly initialDelaySeconds?: number;
  readonly timeoutSeconds?: number;
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
}

/** A container. */
export interface Container {
  /** Required by the Knative schema; Cloud Run uses it to name containers. */
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly ports?: ContainerPort[];
  readonly env?: EnvVar[];
  readonly resources: { readonly limits: { readonly cpu: string; readonly memory: string } };
  readonly startupProbe?: Probe;
  readonly livenessProbe?: Probe;
}

/** `spec.template.spec` of a Service: one revision. */
export interface RevisionSpec {
  readonly containerConcurrency: number;
  readonly timeoutSeconds: number;
  readonly serviceAccountName?: string;
  readonly containers: Container[];
}

/** `spec.template` of a Service. */
export interface RevisionTemplate {
  readonly metadata: ObjectMeta;
  readonly spec: RevisionSpec;
}

/** One entry of `spec.traffic`. */
export interface TrafficTarget {
  readonly revisionName?: string;
  readonly latestRevision?: boolean;
  readonly percent: number;
  readonly tag?: string;
}

/** A Knative Service as Cloud Run reads it. */
export interface Service {
  readonly apiVersion: 'serving.knative.dev/v1';
  readonly kind: 'Service';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly template: RevisionTemplate;
    readonly traffic: TrafficTarget[];
  };
}

/** `spec.template.spec.template.spec` of a Job: one task. */
export interface TaskSpec {
  readonly containers: Container[];
  /** int64 in the Admin API, which encodes it as a JSON string. */
  readonly timeoutSeconds: string;
  readonly serviceAccountName?: string;
  readonly maxRetries: number;
}

/** A Cloud Run Job. */
export interface Job {
  readonly apiVersion: 'run.googleapis.com/v1';
  readonly kind: 'Job';
  readonly metadata: ObjectMeta;
  readonly spec: {
    /** ExecutionTemplateSpec. */
    readonly template: {
      readonly metadata?: ObjectMeta;
      /** ExecutionSpec. */
      readonly spec: {
        readonly parallelism: number;
        readonly taskCount: number;
        /** TaskTemplateSpec. */
        readonly template: { readonly spec: TaskSpec };
      };
    };
  };
}
