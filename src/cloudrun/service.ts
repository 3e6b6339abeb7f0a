import { createHash } from 'crypto';
import { Construct } from 'constructs';
import type * as model from './cloudrun-model';
import { CloudRunJob } from './job';
import {
  CloudRunExecutionEnvironment, CloudRunIngress, CloudRunLaunchStage, CloudRunProtocol,
  CloudRunTrafficTarget, CloudRunWorkloadOptions,
} from './options';
import { renderProbes } from './probes';
import {
  annotationProblem, MAX_CONCURRENCY, MAX_REQUEST_TIMEOUT_SECONDS, parseCpu, secondsProblem,
  isStageChecked, projectProblem, regionProblem, serviceNameProblem, tagProblem, trafficProblems,
} from './rules';
import { CLOUDRUN_DIR, SHARES_WORKLOAD, Workload, workloadOptionsOf } from './workload';
import { Application, MigrationPhase } from '../core/application';
import { Duration } from '../core/duration';
import type { UnpinnedImage } from '../core/image-pinning';
import { register, registered, REGISTRY_KIND } from '../core/registry';
import { Rollout, RolloutKind } from '../core/rollout';
import { SynthesisSession } from '../core/synthesis';

const SERVICE_SYMBOL = Symbol.for('slipway.cloudrun.CloudRunService');


/**
 * Properties of a {@link CloudRunService}.
 */
export interface CloudRunServiceProps extends CloudRunWorkloadOptions {
  /** The application to run. */
  readonly application: Application;

  /**
   * Service name: lowercase letters, digits and "-", starting with a letter,
   * at most 49 characters. Migration jobs are named `<serviceName>-migrate-<phase>`.
   * @default - the application name
   */
  readonly serviceName?: string;

  /**
   * Where requests may come from.
   * @default CloudRunIngress.ALL
   */
  readonly ingress?: CloudRunIngress;

  /**
   * Service description (`run.googleapis.com/description`).
   * @default - the application's description
   */
  readonly description?: string;

  /**
   * Most concurrent requests per instance, 0..1000 (0: as many as the
   * instance can take).
   * @default 80
   * @see https://cloud.google.com/run/docs/about-concurrency
   */
  readonly containerConcurrency?: number;

  /**
   * Longest a request may take, at most one hour.
   * @default Duration.minutes(5)
   */
  readonly requestTimeout?: Duration;

  /**
   * Fewest instances kept warm (`autoscaling.knative.dev/minScale`).
   * @default - the application's `scaling.minReplicas`
   */
  readonly minInstances?: number;

  /**
   * Most instances (`autoscaling.knative.dev/maxScale`).
   * @default - the application's `scaling.maxReplicas`
   */
  readonly maxInstances?: number;

  /**
   * Allocate CPU only while requests are processed
   * (`run.googleapis.com/cpu-throttling`). `false` keeps CPU allocated for
   * background work and is billed per instance.
   * @default true
   */
  readonly cpuThrottling?: boolean;

  /**
   * Extra CPU while an instance starts (`run.googleapis.com/startup-cpu-boost`).
   * @default false
   */
  readonly startupCpuBoost?: boolean;

  /**
   * Execution environment.
   * @default - Cloud Run's default; no annotation is written
   */
  readonly executionEnvironment?: CloudRunExecutionEnvironment;

  /**
   * Protocol of the serving port.
   * @default CloudRunProtocol.HTTP1
   */
  readonly protocol?: CloudRunProtocol;

  /**
   * How a release rolls out. `Rollout.canary` and `Rollout.blueGreen` deploy
   * the new revision tagged (`canary` / `preview`) without traffic first;
   * the deploy steps then shift traffic. Kubernetes-only settings (router,
   * surge) are ignored.
   * @default Rollout.allAtOnce()
   */
  readonly rollout?: Rollout;

  /**
   * An explicit traffic split, for a traffic layout no rollout expresses.
   * Not allowed with canary or blue-green rollouts.
   * @default - all traffic to the latest revision (plus the rollout's tag)
   */
  readonly traffic?: CloudRunTrafficTarget[];

  /**
   * Render the application's migration phases as Cloud Run jobs
   * `<serviceName>-migrate-<phase>`.
   * @default true
   */
  readonly migrations?: boolean;

  /**
   * Further service annotations (escape hatch). Keys slipway writes from
   * typed props are refused; values must be strings.
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };

  /**
   * Further revision annotations (escape hatch), e.g.
   * `run.googleapis.com/session-affinity`. Keys slipway writes from typed
   * props are refused; values must be strings.
   * @default - none
   */
  readonly revisionAnnotations?: { [key: string]: string };
}

const SERVICE_ANNOTATIONS: { [key: string]: string } = {
  'run.googleapis.com/launch-stage': 'launchStage',
  'run.googleapis.com/description': 'description',
  'run.googleapis.com/ingress': 'ingress',
};

const REVISION_ANNOTATIONS: { [key: string]: string } = {
  'autoscaling.knative.dev/minScale': 'minInstances',
  'autoscaling.knative.dev/maxScale': 'maxInstances',
  'run.googleapis.com/cpu-throttling': 'cpuThrottling',
  'run.googleapis.com/startup-cpu-boost': 'startupCpuBoost',
  'run.googleapis.com/cloudsql-instances': 'cloudSqlInstances',
  'run.googleapis.com/execution-environment': 'executionEnvironment',
  'run.googleapis.com/vpc-access-connector': 'vpcConnector',
  'run.googleapis.com/vpc-access-egress': 'vpcEgress',
};

/**
 * An application on Cloud Run in one environment. Writes
 * `deploy/cloudrun/<app>.<environment>.service.yaml`, a Knative
 * `serving.knative.dev/v1` Service as `gcloud run services replace` reads it,
 * and one job spec per migration phase
 * (`deploy/cloudrun/<app>-migrate-<phase>.<environment>.job.yaml`).
 *
 * The revision is named `<service>-<hash>`, where the hash covers the whole
 * revision template as committed (with the image as the placeholder
 * reference); the deploy steps append the first hex digits of the built
 * image digest, so each deployed image and template gets its own revision.
 *
 * @see https://cloud.google.com/run/docs/reference/yaml/v1
 */
export class CloudRunService extends Construct {
  /** Hex digits of the template hash in revision names (`<service>-<hash>`). */
  public static readonly REVISION_HASH_LENGTH = 6;

  /** Tag of the new revision during a canary rollout. */
  public static readonly CANARY_TAG = 'canary';

  /** Tag of the new revision during a blue-green rollout. */
  public static readonly PREVIEW_TAG = 'preview';

  /**
   * Whether `x` is a CloudRunService.
   */
  public static isCloudRunService(x: any): x is CloudRunService {
    return x !== null && typeof x === 'object' && SERVICE_SYMBOL in x;
  }

  /** The service name. */
  public readonly serviceName: string;
  /** The application. */
  public readonly application: Application;
  /** Project ID. */
  public readonly project: string;
  /** Region. */
  public readonly region: string;
  /** Environment name. */
  public readonly environment: string;
  /** Path of the service spec, relative to the output directory. */
  public readonly specPath: string;
  /** Ingress. */
  public readonly ingress: CloudRunIngress;
  /** Launch stage. */
  public readonly launchStage: CloudRunLaunchStage;
  /** Description. */
  public readonly description: string;
  /** Concurrent requests per instance. */
  public readonly containerConcurrency: number;
  /** Request timeout. */
  public readonly requestTimeout: Duration;
  /** Fewest instances. */
  public readonly minInstances: number;
  /** Most instances. */
  public readonly maxInstances: number;
  /** CPU only during requests. */
  public readonly cpuThrottling: boolean;
  /** Startup CPU boost. */
  public readonly startupCpuBoost: boolean;
  /** Execution environment, when set. */
  public readonly executionEnvironment?: CloudRunExecutionEnvironment;
  /** Serving protocol. */
  public readonly protocol: CloudRunProtocol;
  /** The rollout. */
  public readonly rollout: Rollout;
  /**
   * Tag of the new revision while it has no or partial traffic: `canary`
   * for canary rollouts, `preview` for blue-green; undefined otherwise.
   */
  public readonly trafficTag?: string;
  /** Migration jobs, in execution order (expand, migrate, contract). */
  public readonly migrationJobs: CloudRunJob[];

  private readonly workload: Workload;
  private readonly traffic?: CloudRunTrafficTarget[];
  private readonly serviceAnnotations: { [key: string]: string };
  private readonly revisionAnnotations: { [key: string]: string };
  private readonly jobsByPhase: { [phase: string]: CloudRunJob } = {};
  private rendered?: { template: model.RevisionTemplate; hash: string };

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    register(this, REGISTRY_KIND.cloudRunService);
    Object.defineProperty(this, SERVICE_SYMBOL, { value: true });
    Object.defineProperty(this, SHARES_WORKLOAD, { value: true });
    const app = props.application;
    this.application = app;
    this.serviceName = props.serviceName ?? app.name;
    this.project = props.project;
    this.region = props.region;
    this.environment = props.environment;
    this.specPath = `${CLOUDRUN_DIR}/${app.name}.${props.environment}.service.yaml`;
    this.workload = new Workload(app, props, this);
    this.ingress = props.ingress ?? CloudRunIngress.ALL;
    this.launchStage = props.launchStage ?? CloudRunLaunchStage.GA;
    this.description = props.description ?? app.description;
    this.containerConcurrency = props.containerConcurrency ?? 80;
    this.requestTimeout = props.requestTimeout ?? Duration.minutes(5);
    this.minInstances = props.minInstances ?? app.scaling.minReplicas;
    this.maxInstances = props.maxInstances ?? app.scaling.maxReplicas;
    this.cpuThrottling = props.cpuThrottling ?? true;
    this.startupCpuBoost = props.startupCpuBoost ?? false;
    this.executionEnvironment = props.executionEnvironment;
    this.protocol = props.protocol ?? CloudRunProtocol.HTTP1;
    this.rollout = props.rollout ?? Rollout.allAtOnce();
    this.trafficTag = this.rollout.kind === RolloutKind.CANARY ? CloudRunService.CANARY_TAG
      : this.rollout.kind === RolloutKind.BLUE_GREEN ? CloudRunService.PREVIEW_TAG : undefined;
    this.traffic = props.traffic?.map((t) => ({ ...t }));
    this.serviceAnnotations = { ...(props.serviceAnnotations ?? {}) };
    this.revisionAnnotations = { ...(props.revisionAnnotations ?? {}) };

    this.migrationJobs = [];
    if ((props.migrations ?? true) && app.migration) {
      for (const phase of app.migration.phaseNames) {
        const job = new CloudRunJob(this, `migrate-${phase}`, {
          ...workloadOptionsOf(props),
          application: app,
          jobName: `${this.serviceName}-migrate-${phase}`,
          outputName: `${app.name}-migrate-${phase}`,
          command: app.migration.commandFor(phase),
          args: [],
          timeout: app.migration.timeout,
          maxRetries: app.migration.retries,
        });
        this.migrationJobs.push(job);
        this.jobsByPhase[phase] = job;
      }
    }

    this.node.addValidation({ validate: () => this.problems() });
  }

  /**
   * The revision name in the committed spec: `<service>-<hash>`, the hash
   * being the first hex digits of the SHA-256 of the rendered revision
   * template (without its name).
   */
  public get revisionName(): string {
    return `${this.serviceName}-${this.render().hash}`;
  }

  /** The image reference in the committed specs; the deploy steps replace it with the built digest. */
  public get committedImage(): string {
    return this.workload.committedImage;
  }

  /** The prebuilt application image, when nothing pins it by digest. @internal */
  public _unpinnedImages(): UnpinnedImage[] {
    return this.workload.unpinnedImages().map((u) => ({ ...u, what: `Cloud Run service "${this.serviceName}" of ${u.what}` }));
  }

  /** The migration job of a phase, if the application migrates in that phase. */
  public migrationJob(phase: MigrationPhase): CloudRunJob | undefined {
    return this.jobsByPhase[phase];
  }

  /** The rendered Service document. @internal */
  public _toService(): model.Service {
    const { template } = this.render();
    const annotations: { [key: string]: string } = {};
    if (this.launchStage !== CloudRunLaunchStage.GA) annotations['run.googleapis.com/launch-stage'] = this.launchStage;
    annotations['run.googleapis.com/description'] = this.description;
    annotations['run.googleapis.com/ingress'] = this.ingress;
    Object.assign(annotations, this.serviceAnnotations);
    return {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: {
        name: this.serviceName,
        namespace: this.project,
        labels: { 'cloud.googleapis.com/location': this.region },
        annotations,
      },
      spec: {
        template: {
          metadata: { name: this.revisionName, annotations: template.metadata.annotations },
          spec: template.spec,
        },
        traffic: this.renderTraffic(),
      },
    };
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    session.addYaml(this, this.specPath, this._toService(), { yaml11: true });
  }

  /** The traffic split in the committed spec. */
  private renderTraffic(): model.TrafficTarget[] {
    if (this.traffic) {
      return this.traffic.map((t) => ({
        revisionName: t.revisionName,
        latestRevision: t.latestRevision ? true : undefined,
        percent: t.percent,
        tag: t.tag,
      }));
    }
    const traffic: model.TrafficTarget[] = [{ latestRevision: true, percent: 100 }];
    // Steady state after a promotion: the latest revision serves everything and
    // keeps the rollout's tag. The deploy steps swap `latestRevision: true` for
    // the serving revision to deploy the new one without traffic.
    if (this.trafficTag) traffic.push({ revisionName: this.revisionName, percent: 0, tag: this.trafficTag });
    return traffic;
  }

  /** Renders the revision template once (props are immutable) and hashes it. */
  private render(): { template: model.RevisionTemplate; hash: string } {
    if (this.rendered) return this.rendered;
    const annotations: { [key: string]: string } = {
      'autoscaling.knative.dev/minScale': String(this.minInstances),
      'autoscaling.knative.dev/maxScale': String(this.maxInstances),
      'run.googleapis.com/cpu-throttling': String(this.cpuThrottling),
      'run.googleapis.com/startup-cpu-boost': String(this.startupCpuBoost),
    };
    const connectivity = this.workload.connectivityAnnotations();
    if (connectivity['run.googleapis.com/cloudsql-instances']) {
      annotations['run.googleapis.com/cloudsql-instances'] = connectivity['run.googleapis.com/cloudsql-instances'];
    }
    if (this.executionEnvironment) annotations['run.googleapis.com/execution-environment'] = this.executionEnvironment;
    for (const key of ['run.googleapis.com/vpc-access-connector', 'run.googleapis.com/vpc-access-egress']) {
      if (connectivity[key]) annotations[key] = connectivity[key];
    }
    Object.assign(annotations, this.revisionAnnotations);

    const app = this.application;
    const probes = renderProbes(app, this.protocol);
    const container: model.Container = {
      name: app.name,
      image: this.workload.committedImage,
      command: app.command ? [...app.command] : undefined,
      args: app.args ? [...app.args] : undefined,
      ports: [{ name: this.protocol, containerPort: app.port }],
      env: this.workload.renderEnv(),
      resources: this.workload.renderResources(),
      startupProbe: probes.startupProbe,
      livenessProbe: probes.livenessProbe,
    };
    const template: model.RevisionTemplate = {
      metadata: { annotations },
      spec: {
        containerConcurrency: this.containerConcurrency,
        timeoutSeconds: this.requestTimeout.toSeconds(),
        serviceAccountName: this.workload.serviceAccountEmail,
        containers: [container],
      },
    };
    const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, CloudRunService.REVISION_HASH_LENGTH);
    this.rendered = { template, hash };
    return this.rendered;
  }

  private problems(): string[] {
    // a pipeline stage's Target.cloudRun reports its own bad project or region
    const stageChecked = isStageChecked(this) ? [projectProblem(this.project), regionProblem(this.region)] : [];
    const problems: string[] = this.workload.problems.filter((p) => !stageChecked.includes(p));
    const push = (p: string | undefined) => { if (p) problems.push(p); };
    push(serviceNameProblem(this.serviceName));
    problems.push(...renderProbes(this.application, this.protocol).problems);

    if (!Number.isInteger(this.containerConcurrency) || this.containerConcurrency < 0 || this.containerConcurrency > MAX_CONCURRENCY) {
      problems.push(`containerConcurrency is ${this.containerConcurrency}; Cloud Run accepts an integer within 0..${MAX_CONCURRENCY}`);
    }
    push(secondsProblem('requestTimeout', this.requestTimeout.toSeconds(), 1, MAX_REQUEST_TIMEOUT_SECONDS));
    if (!Number.isInteger(this.minInstances) || this.minInstances < 0) problems.push(`minInstances is ${this.minInstances}; use an integer ≥ 0`);
    if (!Number.isInteger(this.maxInstances) || this.maxInstances < 1) problems.push(`maxInstances is ${this.maxInstances}; use an integer ≥ 1`);
    if (this.minInstances > this.maxInstances) {
      problems.push(`minInstances (${this.minInstances}) is greater than maxInstances (${this.maxInstances}); lower minInstances or raise maxInstances`);
    }

    const cores = parseCpu(this.application.resources.cpuLimit!);
    if (cores !== undefined && cores < 1) {
      const cpu = `resources.cpuLimit "${this.application.resources.cpuLimit}" is below 1 CPU, which Cloud Run allows only`;
      if (this.containerConcurrency !== 1) problems.push(`${cpu} with containerConcurrency 1 (it is ${this.containerConcurrency}); set containerConcurrency: 1 or use at least 1 CPU`);
      if (!this.cpuThrottling) problems.push(`${cpu} with cpuThrottling: true; remove cpuThrottling: false or use at least 1 CPU`);
      if (this.executionEnvironment === CloudRunExecutionEnvironment.GEN2) problems.push(`${cpu} in the gen1 execution environment; use CloudRunExecutionEnvironment.GEN1 or at least 1 CPU`);
    }

    if (this.rollout.analysis) {
      problems.push('rollout has a metric analysis, which slipway runs only on Kubernetes (Argo Rollouts); on Cloud Run each step is gated by the health check: remove analysis from this environment\'s rollout');
    }
    if (this.trafficTag) push(tagProblem(this.trafficTag, this.serviceName, 'serviceName (with the rollout\'s traffic tag)'));
    if (this.traffic) {
      if (this.trafficTag) {
        problems.push(`traffic is given, but the ${this.rollout.kind} rollout manages the traffic split; remove traffic or use Rollout.allAtOnce()`);
      }
      problems.push(...trafficProblems(this.traffic, this.serviceName));
    }

    for (const [key, value] of Object.entries(this.serviceAnnotations)) {
      push(annotationProblem('serviceAnnotations', key, value));
      if (key in SERVICE_ANNOTATIONS) problems.push(`serviceAnnotations sets "${key}", which slipway writes from the typed prop "${SERVICE_ANNOTATIONS[key]}"; use that prop`);
    }
    for (const [key, value] of Object.entries(this.revisionAnnotations)) {
      push(annotationProblem('revisionAnnotations', key, value));
      if (key in REVISION_ANNOTATIONS) problems.push(`revisionAnnotations sets "${key}", which slipway writes from the typed prop "${REVISION_ANNOTATIONS[key]}"; use that prop`);
    }

    // names are unique per project and region
    for (const other of registered<CloudRunService>(this.node.root, REGISTRY_KIND.cloudRunService)) {
      if (other === this) continue;
      if (other.serviceName === this.serviceName && other.project === this.project && other.region === this.region) {
        problems.push(`service "${this.serviceName}" in project "${this.project}", region "${this.region}" is also defined by "${other.node.path}"; give one of them another serviceName`);
      }
    }
    return problems;
  }
}
