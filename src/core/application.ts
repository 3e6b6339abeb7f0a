import { Construct } from 'constructs';
import { Duration } from './duration';
import { ENV_NAME } from './names';
import { limitBelowRequestProblems, QUANTITY } from './quantity';
import { DEPLOYED_SECRET_FIX, readsGithubSecret, secretLiteralIn, secretShapeIn } from './secret-literal';
import { invalid } from './strict';

/**
 * Options to build an image from a Dockerfile in the pipeline.
 */
export interface ImageBuildOptions {
  /**
   * Repository the image is pushed to, without tag:
   * `docker.io/org/app`, `ghcr.io/org/app` or
   * `REGION-docker.pkg.dev/PROJECT/REPO/app`.
   */
  readonly repository: string;

  /**
   * Build context directory, relative to the repository root.
   * @default "."
   */
  readonly context?: string;

  /**
   * Dockerfile path, relative to the repository root.
   * @default "Dockerfile" inside the context
   */
  readonly dockerfile?: string;

  /**
   * Build stage to stop at (`docker build --target`).
   * @default - the last stage
   */
  readonly target?: string;

  /**
   * Build arguments (`--build-arg`). Values are plain text; never put secrets here.
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };

  /**
   * Target platforms, e.g. `linux/amd64`.
   * @default - the runner's platform
   */
  readonly platforms?: string[];
}

/**
 * The kind of registry an image is pushed to; decides how the pipeline logs in.
 */
export enum RegistryKind {
  /** Docker Hub (`docker.io/...` or no host). */
  DOCKER_HUB = 'docker-hub',
  /** GitHub Container Registry (`ghcr.io/...`). */
  GHCR = 'ghcr',
  /** Google Artifact Registry (`*-docker.pkg.dev/...`) or Container Registry (`gcr.io`). */
  GOOGLE = 'google',
  /** Any other registry. */
  OTHER = 'other',
}

/**
 * The container image an application runs. The tag or digest is supplied at
 * deploy time (the pipeline deploys the digest it built), so only the
 * repository is part of the definition.
 */
export class Image {
  /**
   * An image the pipeline builds from a Dockerfile and pushes to `repository`.
   */
  public static fromDockerfile(options: ImageBuildOptions): Image {
    return new Image(options.repository, options, undefined);
  }

  /**
   * An image built elsewhere. `tag` is the default deployed when the pipeline
   * supplies none.
   * @param repository the repository, without tag
   * @param tag a default tag
   */
  public static fromRegistry(repository: string, tag?: string): Image {
    return new Image(repository, undefined, tag);
  }

  /** The repository, without tag or digest. */
  public readonly repository: string;

  /** How the pipeline builds it; undefined for prebuilt images. */
  public readonly buildOptions?: ImageBuildOptions;

  /** Default tag for prebuilt images. */
  public readonly defaultTag?: string;

  private constructor(repository: string, build: ImageBuildOptions | undefined, tag: string | undefined) {
    if (!/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/.test(repository) || /[:@]/.test(repository.split('/').slice(1).join('/'))) {
      invalid(this, `Image repository "${repository}" is invalid: use lowercase host/path without tag or digest, e.g. "ghcr.io/acme/api"`
        + (/[:@]/.test(repository.split('/').slice(1).join('/')) ? ' (give the tag as the second argument of Image.fromRegistry)' : ''));
    }
    this.repository = repository;
    this.buildOptions = build;
    this.defaultTag = tag;
  }

  /** The registry host (`docker.io` when the repository names none). */
  public get registry(): string {
    const first = this.repository.split('/')[0];
    return this.repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  }

  /** The kind of registry, which decides how the pipeline logs in. */
  public get registryKind(): RegistryKind {
    const r = this.registry;
    if (r === 'docker.io' || r === 'index.docker.io') return RegistryKind.DOCKER_HUB;
    if (r === 'ghcr.io') return RegistryKind.GHCR;
    if (r.endsWith('-docker.pkg.dev') || r.endsWith('gcr.io')) return RegistryKind.GOOGLE;
    return RegistryKind.OTHER;
  }
}

/**
 * Options shared by every kind of health check. They map to Kubernetes
 * probes and Cloud Run startup/liveness probes.
 */
export interface HealthCheckOptions {
  /**
   * Port to probe.
   * @default - the application's port
   */
  readonly port?: number;

  /**
   * Time between probes.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Time a probe may take.
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive failures before the container is considered unhealthy.
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * How long a starting container may take to pass its first check
   * (startup probe budget).
   * @default Duration.seconds(60)
   */
  readonly startupGrace?: Duration;
}

/** The kind of a health check. */
export enum HealthCheckKind {
  /** An HTTP GET that must answer 2xx/3xx. */
  HTTP = 'http',
  /** A TCP connection that must open. */
  TCP = 'tcp',
  /** A command inside the container that must exit 0. */
  COMMAND = 'command',
}

/**
 * How the platform and the pipeline check that the application is healthy.
 * Renders to startup, readiness and liveness probes, and to the pipeline's
 * post-deploy smoke test.
 */
export class HealthCheck {
  /** An HTTP GET on `path` (e.g. `/health`). */
  public static http(path: string, options: HealthCheckOptions = {}): HealthCheck {
    const check = new HealthCheck(HealthCheckKind.HTTP, path, undefined, options);
    if (!path.startsWith('/')) invalid(check, `HealthCheck.http path must start with "/", got ${JSON.stringify(path)}; e.g. "/${path.replace(/^\/*/, '').trim() || 'health'}"`);
    if (/[\s]/.test(path)) invalid(check, `HealthCheck.http path ${JSON.stringify(path)} contains whitespace (a probe path is one URL path); remove it or percent-encode it, e.g. "/health"`);
    return check;
  }

  /** A TCP connection to the port. */
  public static tcp(options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(HealthCheckKind.TCP, undefined, undefined, options);
  }

  /** A command run inside the container (exit code 0 is healthy). */
  public static command(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    const check = new HealthCheck(HealthCheckKind.COMMAND, undefined, command, options);
    if (command.length === 0) invalid(check, 'HealthCheck.command needs a non-empty command, e.g. ["/bin/healthcheck"]');
    return check;
  }

  /** The kind of check. */
  public readonly kind: HealthCheckKind;
  /** HTTP path, for HTTP checks. */
  public readonly path?: string;
  /** Command, for command checks. */
  public readonly checkCommand?: string[];
  /** Port override. */
  public readonly port?: number;
  /** Time between probes. */
  public readonly interval: Duration;
  /** Time a probe may take. */
  public readonly timeout: Duration;
  /** Failures before unhealthy. */
  public readonly failureThreshold: number;
  /** Startup budget. */
  public readonly startupGrace: Duration;

  private constructor(kind: HealthCheckKind, path: string | undefined, command: string[] | undefined, options: HealthCheckOptions) {
    this.kind = kind;
    this.path = path;
    this.checkCommand = command;
    this.port = options.port;
    this.interval = options.interval ?? Duration.seconds(10);
    this.timeout = options.timeout ?? Duration.seconds(3);
    this.failureThreshold = options.failureThreshold ?? 3;
    this.startupGrace = options.startupGrace ?? Duration.seconds(60);
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1) {
      invalid(this, `HealthCheck failureThreshold must be an integer ≥ 1, got ${this.failureThreshold}; e.g. failureThreshold: 3`);
    }
    for (const [name, d] of [['interval', this.interval], ['timeout', this.timeout]] as const) {
      if (d.toSeconds() === 0) invalid(this, `HealthCheck ${name} must be at least 1 second (Kubernetes and Cloud Run reject 0), got ${d.toHumanString()}; e.g. ${name}: Duration.seconds(${name === 'interval' ? 10 : 3})`);
    }
  }
}

/**
 * A reference to a secret held by the platform — never its value. On
 * Kubernetes it names a Secret and key; on Cloud Run a Secret Manager secret
 * and version.
 */
export class SecretRef {
  /**
   * A secret named `name` with entry `key`. Kubernetes reads key `key` of
   * Secret `name`; Cloud Run reads Secret Manager secret `name` at version
   * `latest` unless `cloudRunVersion` is given.
   * @param name secret name
   * @param key key inside the Kubernetes Secret
   * @param cloudRunVersion Secret Manager version
   */
  public static of(name: string, key: string, cloudRunVersion?: string): SecretRef {
    return new SecretRef(name, key, cloudRunVersion ?? 'latest');
  }

  /** Secret name. */
  public readonly name: string;
  /** Key inside a Kubernetes Secret. */
  public readonly key: string;
  /** Secret Manager version for Cloud Run. */
  public readonly version: string;

  private constructor(name: string, key: string, version: string) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
      invalid(this, `SecretRef name "${name}" is not a valid secret name: use lowercase letters, digits, "-" and ".", e.g. "${name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'db-credentials'}"`);
    }
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) invalid(this, `SecretRef key "${key}" must consist of letters, digits, "-", "_" or ".", e.g. "password"`);
    this.name = name;
    this.key = key;
    this.version = version;
  }
}

/**
 * CPU and memory for each container. Requests and limits are always both
 * set (a pod without limits is rejected by slipway's safe defaults).
 */
export interface ResourceRequirements {
  /**
   * CPU request (Kubernetes quantity).
   * @default "100m"
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit (Kubernetes quantity; Cloud Run's `cpu` limit).
   * @default "1"
   */
  readonly cpuLimit?: string;
  /**
   * Memory request.
   * @default "128Mi"
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit (Cloud Run's `memory` limit).
   * @default "512Mi"
   */
  readonly memoryLimit?: string;
}

/**
 * Options for autoscaling.
 */
export interface AutoscalingOptions {
  /** Fewest instances. */
  readonly minReplicas: number;
  /** Most instances. */
  readonly maxReplicas: number;
  /**
   * Average CPU utilization to scale at, in percent.
   * @default 70
   */
  readonly cpuTargetPercent?: number;
}

/**
 * How many instances run: a fixed count, or autoscaling between bounds.
 */
export class Scaling {
  /** A fixed number of replicas. */
  public static fixed(replicas: number): Scaling {
    const scaling = new Scaling(replicas, replicas, undefined);
    if (!Number.isInteger(replicas) || replicas < 1) invalid(scaling, `Scaling.fixed replicas must be an integer ≥ 1, got ${replicas}; e.g. Scaling.fixed(2)`);
    return scaling;
  }

  /** Autoscaling between `minReplicas` and `maxReplicas` on CPU. */
  public static auto(options: AutoscalingOptions): Scaling {
    const { minReplicas, maxReplicas } = options;
    const target = options.cpuTargetPercent ?? 70;
    const scaling = new Scaling(minReplicas, maxReplicas, target);
    if (!Number.isInteger(minReplicas) || minReplicas < 0 || !Number.isInteger(maxReplicas) || maxReplicas < Math.max(1, minReplicas)) {
      invalid(scaling, `Scaling.auto needs integers 0 ≤ minReplicas ≤ maxReplicas and maxReplicas ≥ 1, got ${minReplicas}..${maxReplicas}; e.g. { minReplicas: 2, maxReplicas: 10 }`);
    }
    if (target < 1 || target > 100) invalid(scaling, `Scaling.auto cpuTargetPercent must be within 1..100, got ${target}; e.g. cpuTargetPercent: 70`);
    return scaling;
  }

  /** Fewest replicas (the fixed count for fixed scaling). */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** CPU target percent; undefined for fixed scaling. */
  public readonly cpuTargetPercent?: number;

  private constructor(min: number, max: number, target: number | undefined) {
    this.minReplicas = min;
    this.maxReplicas = max;
    this.cpuTargetPercent = target;
  }

  /** Whether the replica count is decided by an autoscaler. */
  public get isAutoscaled(): boolean {
    return this.cpuTargetPercent !== undefined;
  }
}

/**
 * The phase of a schema migration, for zero-downtime
 * expand / migrate / contract.
 */
export enum MigrationPhase {
  /** Additive changes that old and new code both tolerate; runs before the rollout. */
  EXPAND = 'expand',
  /** Data migration; runs before the rollout, after expand. */
  MIGRATE = 'migrate',
  /** Removal of what old code needed; runs only after the rollout reached 100%, never on rollback. */
  CONTRACT = 'contract',
}

/**
 * Options for migrations.
 */
export interface MigrationOptions {
  /**
   * Longest a migration phase may run; must be shorter than the deploy timeout.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Retries of a failed migration job. Migrations are rarely safe to retry blindly.
   * @default 0
   */
  readonly retries?: number;
}

/**
 * Commands of each phase of an expand / migrate / contract migration.
 */
export interface MigrationPhasesOptions extends MigrationOptions {
  /**
   * Expand command (additive schema change).
   * @default - no expand phase
   */
  readonly expand?: string[];
  /**
   * Migrate command (data migration).
   * @default - no migrate phase
   */
  readonly migrate?: string[];
  /**
   * Contract command (remove what the previous release needed).
   * @default - no contract phase
   */
  readonly contract?: string[];
}

/**
 * A database migration that runs with the application's image and secrets.
 */
export class Migration {
  /**
   * One command that runs before the rollout (treated as the expand phase:
   * it must be backward compatible with the running release).
   */
  public static command(command: string[], options: MigrationOptions = {}): Migration {
    return Migration.phases({ ...options, expand: command });
  }

  /**
   * Separate expand, migrate and contract commands. Expand and migrate run
   * before the rollout; contract only after it reached 100%.
   */
  public static phases(options: MigrationPhasesOptions): Migration {
    const phases: { [phase: string]: string[] } = {};
    const problems: string[] = [];
    for (const p of [MigrationPhase.EXPAND, MigrationPhase.MIGRATE, MigrationPhase.CONTRACT]) {
      const cmd = options[p];
      if (cmd === undefined) continue;
      if (cmd.length === 0 || cmd.some((c) => c.trim() === '')) problems.push(`Migration ${p} command must be a non-empty list of non-empty words, e.g. ["npm", "run", "migrate"]`);
      phases[p] = cmd;
    }
    if (Object.keys(phases).length === 0) {
      problems.push('Migration needs a command: use Migration.command([...]) or give expand, migrate or contract to Migration.phases({...})');
    }
    return invalid(new Migration(phases, options), ...problems);
  }

  /** Longest a phase may run. */
  public readonly timeout: Duration;
  /** Retries of a failed phase. */
  public readonly retries: number;
  private readonly commands: { [phase: string]: string[] };

  private constructor(commands: { [phase: string]: string[] }, options: MigrationOptions) {
    this.commands = commands;
    this.timeout = options.timeout ?? Duration.minutes(10);
    this.retries = options.retries ?? 0;
    if (!Number.isInteger(this.retries) || this.retries < 0) invalid(this, `Migration retries must be an integer ≥ 0, got ${this.retries}; e.g. retries: 2`);
  }

  /** The phases that have a command, in execution order. */
  public get phaseNames(): MigrationPhase[] {
    return [MigrationPhase.EXPAND, MigrationPhase.MIGRATE, MigrationPhase.CONTRACT].filter((p) => this.commands[p] !== undefined);
  }

  /** The command of a phase, or undefined. */
  public commandFor(phase: MigrationPhase): string[] | undefined {
    return this.commands[phase];
  }
}

/**
 * Exposure of the application through an ingress.
 */
export interface IngressOptions {
  /** Host name, e.g. `api.example.com`. */
  readonly host: string;
  /**
   * Path prefix.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Ingress class.
   * @default "nginx"
   */
  readonly className?: string;
  /**
   * Name of the Kubernetes Secret holding the TLS certificate.
   * @default - no TLS section
   */
  readonly tlsSecretName?: string;
}

/**
 * Properties of an {@link Application}.
 */
export interface ApplicationProps {
  /** The container image. */
  readonly image: Image;
  /**
   * Port the container listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Plain environment variables. Never put secret values here: use `secrets`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from platform secrets (references only).
   * @default - none
   */
  readonly secrets?: { [name: string]: SecretRef };
  /**
   * CPU and memory.
   * @default - cpu 100m/1, memory 128Mi/512Mi (request/limit)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Instances.
   * @default Scaling.fixed(2)
   */
  readonly scaling?: Scaling;
  /**
   * Health check used for probes and post-deploy smoke tests.
   * @default HealthCheck.tcp() on the application's port
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Database migration run with the application's image and secrets.
   * @default - no migration
   */
  readonly migration?: Migration;
  /**
   * Public exposure through an ingress.
   * @default - no ingress
   */
  readonly ingress?: IngressOptions;
  /**
   * One-line description (Chart.yaml, Cloud Run service description).
   * @default - "<name> application"
   */
  readonly description?: string;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The problem with a value of an application's env (or a chart value, or a
 * Cloud Run env value) that lands as text in a committed file: a secret
 * literal, or a GitHub secret expression, which stays unresolved text there.
 * Returns the message after the field name, or undefined.
 * @internal
 */
export function deployedValueProblem(field: string, name: string, value: string): string | undefined {
  if (readsGithubSecret(value)) {
    return `${field} reads a GitHub secret ("\${{ secrets.… }}"), but ${field} is written into the chart's values / the Cloud Run spec as literal text, where no workflow resolves it; `
      + `reference a Kubernetes Secret / Secret Manager secret instead: secrets: { ${name}: SecretRef.of('<secret-name>', '<key>') }`;
  }
  const why = secretLiteralIn(name, value);
  return why ? `${field} is a secret written as a literal: ${why}; never put secret values in the definition: ${DEPLOYED_SECRET_FIX}` : undefined;
}

/**
 * A deployable application, independent of where it runs. Targets render it:
 * the Kubernetes target into a Helm chart, the Cloud Run target into service
 * and job specs. One definition, several targets.
 */
export class Application extends Construct {
  /** DNS-1123 name (the construct id). */
  public readonly name: string;
  /** The image. */
  public readonly image: Image;
  /** Container port. */
  public readonly port: number;
  /** Entrypoint override. */
  public readonly command?: string[];
  /** Arguments. */
  public readonly args?: string[];
  /** Plain environment variables. */
  public readonly env: { [name: string]: string };
  /** Secret references. */
  public readonly secrets: { [name: string]: SecretRef };
  /** Resources with defaults resolved. */
  public readonly resources: ResourceRequirements;
  /** Scaling. */
  public readonly scaling: Scaling;
  /** Health check. */
  public readonly healthCheck: HealthCheck;
  /** Migration, if any. */
  public readonly migration?: Migration;
  /** Ingress, if any. */
  public readonly ingress?: IngressOptions;
  /** Description. */
  public readonly description: string;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    // Every problem of the props is collected and reported at synth, with the others of the definition.
    const problems: string[] = [];
    if (!DNS_LABEL.test(id) || id.length > 40) {
      problems.push(`Application name "${id}" must be a DNS-1123 label of at most 40 characters (lowercase letters, digits and "-", starting with a letter), because it names Kubernetes objects and Cloud Run services; e.g. "context-api"`);
    }
    this.name = id;
    this.image = props.image;
    this.port = props.port ?? 8080;
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) problems.push(`port must be an integer within 1..65535, got ${JSON.stringify(this.port)}`);
    this.command = props.command;
    this.args = props.args;
    this.env = { ...(props.env ?? {}) };
    this.secrets = { ...(props.secrets ?? {}) };
    for (const [k, v] of Object.entries(this.env)) {
      if (!ENV_NAME.test(k)) problems.push(`env name "${k}" is invalid: use letters, digits and "_", not starting with a digit`);
      const problem = deployedValueProblem(`env.${k}`, k, v);
      if (problem) problems.push(problem);
      if (k in this.secrets) problems.push(`"${k}" is both in env and in secrets; keep one`);
    }
    for (const k of Object.keys(this.secrets)) {
      if (!ENV_NAME.test(k)) problems.push(`secrets name "${k}" is invalid: use letters, digits and "_", not starting with a digit`);
    }
    // words of the container's command line: a secret there is in the chart and the spec as text
    const words: Array<[string, unknown]> = [
      ...(props.command ?? []).map((w, i): [string, unknown] => [`command[${i}]`, w]),
      ...(props.args ?? []).map((w, i): [string, unknown] => [`args[${i}]`, w]),
      ['description', props.description],
    ];
    for (const [field, w] of words) {
      const shape = typeof w === 'string' ? secretShapeIn(w) : undefined;
      if (shape) problems.push(`${field} is a secret written as a literal: it looks like ${shape}; never put secret values in the definition: ${DEPLOYED_SECRET_FIX}`);
    }
    this.resources = {
      cpuRequest: props.resources?.cpuRequest ?? '100m',
      cpuLimit: props.resources?.cpuLimit ?? '1',
      memoryRequest: props.resources?.memoryRequest ?? '128Mi',
      memoryLimit: props.resources?.memoryLimit ?? '512Mi',
    };
    for (const [k, v] of Object.entries(this.resources)) {
      if (!QUANTITY.test(String(v))) problems.push(`resources.${k} "${v}" is not a Kubernetes quantity (e.g. "250m", "1", "512Mi")`);
    }
    problems.push(...limitBelowRequestProblems(this.resources));
    if (problems.length) this.node.addValidation({ validate: () => problems });
    this.scaling = props.scaling ?? Scaling.fixed(2);
    this.healthCheck = props.healthCheck ?? HealthCheck.tcp();
    this.migration = props.migration;
    this.ingress = props.ingress;
    this.description = props.description ?? `${id} application`;
  }

  /** The port the health check probes. */
  public get healthCheckPort(): number {
    return this.healthCheck.port ?? this.port;
  }
}
