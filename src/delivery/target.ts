import { Secret } from './secret';
import { projectProblem, regionProblem } from '../cloudrun/rules';
import { Duration } from '../core/duration';
import { invalid } from '../core/strict';
import { dnsLabelProblem } from '../kubernetes/names';

/** Where an environment runs its applications. */
export enum TargetKind {
  /** A Kubernetes cluster, deployed with the generated Helm chart. */
  KUBERNETES = 'kubernetes',
  /** Google Cloud Run, deployed with the generated service and job specs. */
  CLOUD_RUN = 'cloud-run',
  /** Any platform, deployed by the commands you give. */
  CUSTOM = 'custom',
}

/** Options of a Kubernetes target. */
export interface KubernetesTargetOptions {
  /** Namespace the release is installed in. */
  readonly namespace: string;
  /** GitHub secret holding the kubeconfig of the cluster. */
  readonly kubeconfig: Secret;
  /**
   * Helm's `--timeout` for `helm upgrade --wait`; migrations must finish well within it.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Helm version installed on the runner.
   * @default "v3.13.0"
   */
  readonly helmVersion?: string;
  /**
   * Commands the deploy job runs after it connected to the cluster and before
   * migrations and the rollout (e.g. `terraform apply`, a backup). They run with
   * `SLIPWAY_SHA`, `SLIPWAY_ENVIRONMENT` and `SLIPWAY_IMAGE_<APP>` set, and
   * `kubectl` pointed at the cluster.
   * @default - none
   */
  readonly preDeploy?: string[];
}

/** Options of a Cloud Run target. */
export interface CloudRunTargetOptions {
  /** Google Cloud project id. */
  readonly project: string;
  /** Region, e.g. `us-central1`. */
  readonly region: string;
  /**
   * Cloud Run service name.
   * @default - the application's name (with several applications: `<service>-<application>` is not applied; each application is its own service named after it)
   */
  readonly service?: string;
  /**
   * Workload Identity provider resource name
   * (`projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`).
   * Used unless `credentials` is given.
   * @default - `${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}`
   */
  readonly workloadIdentityProvider?: string;
  /**
   * Service account the pipeline impersonates with Workload Identity.
   * @default - `${{ vars.GCP_SERVICE_ACCOUNT }}`
   */
  readonly serviceAccount?: string;
  /**
   * A service-account JSON key secret instead of Workload Identity.
   * @default - Workload Identity Federation
   */
  readonly credentials?: Secret;
  /**
   * Allow unauthenticated invocations (public service).
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
  /**
   * Commands run in the deploy job after it authenticated to Google Cloud and
   * before migrations and the rollout, e.g. `terraform apply` of the
   * environment's infrastructure. They run in the repository checkout with
   * Application Default Credentials, `SLIPWAY_SHA`, `SLIPWAY_ENVIRONMENT` and,
   * per built application, `SLIPWAY_IMAGE_<NAME>` (`repository@digest`). A
   * failure stops the deploy before any traffic moves.
   * @default - none
   */
  readonly preDeploy?: string[];
}

/** Options of a custom target. */
export interface CustomTargetOptions {
  /**
   * Commands that deploy. They run in the repository checkout with
   * `SLIPWAY_SHA` (the commit), `SLIPWAY_ENVIRONMENT` and, per built
   * application, `SLIPWAY_IMAGE_<NAME>` (`repository@digest`) in the environment.
   */
  readonly deploy: string[];
  /**
   * Commands that roll back. They run with `SLIPWAY_ROLLBACK_SHA`, the
   * commit to return to.
   * @default - no automatic rollback (an error when the rollout needs one)
   */
  readonly rollback?: string[];
  /**
   * Commands run before `deploy`, e.g. a backup.
   * @default - none
   */
  readonly preDeploy?: string[];
  /**
   * Runner labels, e.g. `['self-hosted', 'linux']` for a machine that deploys to itself.
   * @default ["ubuntu-latest"]
   */
  readonly runsOn?: string[];
  /**
   * Whether the job checks the repository out.
   * @default true
   */
  readonly checkout?: boolean;
  /**
   * Plain environment variables of the deploy job (use `Secret` expressions for secret values).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * A name for the platform, shown in job names and the graph.
   * @default "custom"
   */
  readonly platform?: string;
}

/**
 * Where an environment runs. Kubernetes and Cloud Run render the
 * application through the generated chart and specs; a custom target runs
 * your commands.
 */
export class Target {
  /** A Kubernetes cluster reached with a kubeconfig secret; deploys the generated Helm chart. */
  public static kubernetes(options: KubernetesTargetOptions): Target {
    const target = new Target(TargetKind.KUBERNETES, { kubernetes: options });
    const problem = dnsLabelProblem(options.namespace);
    if (problem) invalid(target, `Target.kubernetes namespace "${options.namespace}" ${problem} (a DNS-1123 label), e.g. "prod"`);
    return target;
  }

  /** Google Cloud Run; deploys the generated service spec with `gcloud run services replace`. */
  public static cloudRun(options: CloudRunTargetOptions): Target {
    // the same rules as CloudRunService and CloudRunJob
    const problems = [projectProblem(options.project), regionProblem(options.region)].filter((p): p is string => p !== undefined);
    return invalid(new Target(TargetKind.CLOUD_RUN, { cloudRun: options }), ...problems.map((p) => `Target.cloudRun ${p}`));
  }

  /** Any platform, deployed and rolled back by the commands you give (e.g. a self-hosted runner with docker compose). */
  public static custom(options: CustomTargetOptions): Target {
    const target = new Target(TargetKind.CUSTOM, { custom: options });
    if (options.deploy.length === 0) invalid(target, 'Target.custom needs at least one deploy command, e.g. deploy: ["docker compose up -d"]');
    return target;
  }

  /** The kind of target. */
  public readonly kind: TargetKind;
  /** Kubernetes options (Kubernetes targets). */
  public readonly kubernetesOptions?: KubernetesTargetOptions;
  /** Cloud Run options (Cloud Run targets). */
  public readonly cloudRunOptions?: CloudRunTargetOptions;
  /** Custom options (custom targets). */
  public readonly customOptions?: CustomTargetOptions;

  private constructor(kind: TargetKind, o: { kubernetes?: KubernetesTargetOptions; cloudRun?: CloudRunTargetOptions; custom?: CustomTargetOptions }) {
    this.kind = kind;
    this.kubernetesOptions = o.kubernetes;
    this.cloudRunOptions = o.cloudRun;
    this.customOptions = o.custom;
  }

  /** Commands the deploy job runs before the deploy (every target's `preDeploy`). */
  public get preDeployCommands(): string[] {
    return [...(this.customOptions?.preDeploy ?? this.cloudRunOptions?.preDeploy ?? this.kubernetesOptions?.preDeploy ?? [])];
  }

  /** Whether the target can split traffic between two releases (canary, blue-green). */
  public get canSplitTraffic(): boolean {
    return this.kind !== TargetKind.CUSTOM;
  }

  /** Whether the target can roll back without being told how. */
  public get canRollBack(): boolean {
    return this.kind !== TargetKind.CUSTOM || (this.customOptions?.rollback?.length ?? 0) > 0;
  }
}
