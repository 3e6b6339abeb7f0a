/**
 * How the chart runs database migrations.
 */
export enum MigrationMode {
  /**
   * Expand and migrate run as Helm `pre-install,pre-upgrade` hook Jobs, so
   * `helm upgrade --install` runs them before any workload changes and
   * stops when one fails. Contract is never a hook: the pipeline runs it
   * after the rollout reached 100% (see `HelmChart.migrationJobTemplate`).
   */
  HOOK = 'hook',
  /**
   * Every phase is a plain Job the pipeline renders with
   * `helm template --show-only` and runs with `kubectl` before (expand,
   * migrate) or after (contract) the deploy.
   */
  JOB = 'job',
}

/**
 * Security settings of the pods. The defaults are the restricted Pod
 * Security Standard; each can be relaxed for images that need it.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export interface WorkloadSecurityOptions {
  /**
   * Refuse to start containers whose user is root.
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * User ID the containers run as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group ID the containers run as.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default 10001
   */
  readonly fsGroup?: number;
  /**
   * Mount the container's root filesystem read-only. `/tmp` is always a
   * writable emptyDir.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Allow a process to gain more privileges than its parent.
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Linux capabilities added back after dropping ALL (e.g. `NET_BIND_SERVICE`).
   * @default - none
   */
  readonly addCapabilities?: string[];
  /**
   * Apply the container runtime's default seccomp profile.
   * @default true
   */
  readonly seccompRuntimeDefault?: boolean;
}

/**
 * The service account pods run as.
 */
export interface ServiceAccountOptions {
  /**
   * Create a ServiceAccount named after the release. When false, `name`
   * must name an existing one.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Name of an existing ServiceAccount (only with `create: false`).
   * Migration Jobs run as it too.
   * @default - the release name (created by the chart)
   */
  readonly name?: string;
  /**
   * Mount the service account's API token into pods. Only workloads that
   * call the Kubernetes API need it.
   * @default false
   */
  readonly automountToken?: boolean;
  /**
   * Annotations of the created ServiceAccount (e.g. workload identity);
   * environments may override them through `values`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A ConfigMap of files mounted into the application's containers.
 */
export interface ConfigMapOptions {
  /**
   * File name → content. Never secret values. Environments may override
   * entries through `values: { configMap: { data: {...} } }`.
   */
  readonly data: { [file: string]: string };
  /**
   * Directory the files are mounted at.
   * @default "/etc/<application name>"
   */
  readonly mountPath?: string;
}

/**
 * The PodDisruptionBudget of the application's pods.
 */
export interface PodDisruptionBudgetOptions {
  /**
   * Render it (environments may switch it with `values: { podDisruptionBudget: { enabled } }`).
   * With `maxUnavailable: 1` it never blocks draining a single-replica environment.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Pods that may be voluntarily evicted at once (count or percent).
   * @default "1"
   */
  readonly maxUnavailable?: string;
}

/**
 * An extra named container port (e.g. metrics), exposed on the Service too.
 */
export interface ContainerPortOptions {
  /** Port name: at most 15 lowercase letters, digits and "-" (IANA service name). */
  readonly name: string;
  /** Port number. */
  readonly port: number;
}

/**
 * The Service in front of the application.
 */
export interface ServiceOptions {
  /**
   * Port the Service listens on (it forwards to the container port named `http`).
   * @default 80
   */
  readonly port?: number;
  /**
   * Service type.
   * @default "ClusterIP"
   */
  readonly type?: string;
}
