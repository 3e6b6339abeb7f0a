import { CloudRunAuth } from './auth';
import { CloudRunIngress } from './options';
import { CloudRunService } from './service';
import { HealthCheckKind, MigrationPhase } from '../core/application';
import { DeployScript, DeployScripts, deployScriptPath, ROLLBACK_CONDITION, SCRIPTS_OF } from '../core/deploy-scripts';
import { Duration } from '../core/duration';
import { fail } from '../core/errors';
import { RolloutKind } from '../core/rollout';
import { Action } from '../github/actions/action';
import { scriptStep } from '../github/script-step';
import { Step } from '../github/step';

/**
 * Options of a {@link CloudRunDeployment}.
 */
export interface CloudRunDeploymentOptions {
  /** How the job authenticates to Google Cloud. */
  readonly auth: CloudRunAuth;

  /**
   * An expression giving the digest of the image the pipeline built,
   * `sha256:<64 hex>`, e.g. `${{ needs.build.outputs.digest }}`. It replaces
   * the committed image reference in the service and job specs, and its
   * first hex digits are appended to the revision name.
   * @default - the committed image is deployed as it is (only for
   * `Image.fromRegistry` images with a tag)
   */
  readonly imageDigest?: string;

  /**
   * Check out the repository first (the specs are read from it).
   * @default true
   */
  readonly checkout?: boolean;

  /**
   * Check the new revision from the runner with curl before and between
   * traffic shifts, and the service after promotion. The runner reaches
   * only services whose ingress is `all` that allow unauthenticated calls.
   * Without it, a revision is still only deployed once its startup probe
   * passed.
   * @default - true when the service's ingress is `all`
   */
  readonly runnerHealthCheck?: boolean;

  /**
   * Path the runner's health check requests.
   * @default - the application's HTTP health check path, else "/"
   */
  readonly healthCheckPath?: string;

  /**
   * Attempts of each runner health check before it fails.
   * @default 10
   */
  readonly healthCheckAttempts?: number;

  /**
   * Pause between attempts.
   * @default Duration.seconds(6)
   */
  readonly healthCheckDelay?: Duration;

  /**
   * The time `gcloud run services replace` may take to make the new
   * revision ready, and each rollback command.
   * @default Duration.minutes(10)
   */
  readonly deployTimeout?: Duration;
}

/**
 * The deploy steps of one {@link CloudRunService}, as level-1 workflow
 * steps: one step per verb of `cloud-run.sh`, a script that synthesis writes
 * to `.github/slipway/` and that the steps run with parameters in `env`.
 * The delivery layer calls these methods in the order its plan decides;
 * {@link CloudRunDeployment.steps} gives the same order for a hand-made job.
 *
 * - `setupSteps`: check out, authenticate, set up gcloud, render the specs
 *   (the built digest replaces the committed image and names the revision);
 * - `recordStep`: read the serving traffic split before anything changes;
 * - `migrationSteps`: replace and execute a migration job;
 * - `deployStep`: create the new revision (with a traffic tag and no
 *   traffic, or all at once); `shiftStep`, `promoteStep`, `checkStep`;
 * - `rollbackStep`: on failure, cancel or timeout, the recorded split again
 *   and the tag removed — unless the contract migration started.
 */
export class CloudRunDeployment {
  /** The service deployed. */
  public readonly service: CloudRunService;
  /** The authentication. */
  public readonly auth: CloudRunAuth;
  /** The digest expression, if any. */
  public readonly imageDigest?: string;
  /** Whether the runner checks the revision's health over HTTP. */
  public readonly runnerHealthCheck: boolean;
  /** The path the runner checks. */
  public readonly healthCheckPath: string;
  /** Attempts per check. */
  public readonly healthCheckAttempts: number;
  /** Pause between attempts. */
  public readonly healthCheckDelay: Duration;
  /** Id of the step that renders the specs; its output `revision` is the deployed revision name. */
  public readonly renderStepId: string;
  /** The time `gcloud run services replace` may take to make the new revision ready. */
  public readonly deployTimeout: Duration;

  private readonly checkout: boolean;

  constructor(service: CloudRunService, options: CloudRunDeploymentOptions) {
    this.service = service;
    this.auth = options.auth;
    this.imageDigest = options.imageDigest;
    this.checkout = options.checkout ?? true;
    this.runnerHealthCheck = options.runnerHealthCheck ?? service.ingress === CloudRunIngress.ALL;
    const hc = service.application.healthCheck;
    this.healthCheckPath = options.healthCheckPath ?? (hc.kind === HealthCheckKind.HTTP ? hc.path! : '/');
    this.healthCheckAttempts = options.healthCheckAttempts ?? 10;
    this.healthCheckDelay = options.healthCheckDelay ?? Duration.seconds(6);
    this.deployTimeout = options.deployTimeout ?? Duration.minutes(10);
    this.renderStepId = `${service.serviceName}-render`;
    DeployScripts.of(service).use(...SCRIPTS_OF.cloudRun);

    if (this.imageDigest === undefined && service.application.image.defaultTag === undefined) {
      fail(service, `deploying "${service.serviceName}" needs imageDigest: the image ${service.application.image.repository} is built by the pipeline and the committed spec holds the placeholder "${service.committedImage}"; pass the build's digest, e.g. imageDigest: buildJob.output('digest').toString()`);
    }
    if (this.imageDigest !== undefined && !/\$\{\{.+\}\}/.test(this.imageDigest) && !/^sha256:[0-9a-f]{64}$/.test(this.imageDigest)) {
      fail(service, `imageDigest "${this.imageDigest}" is neither an expression such as \${{ needs.build.outputs.digest }} nor a digest sha256:<64 hex digits>`);
    }
    if (this.runnerHealthCheck && service.ingress !== CloudRunIngress.ALL) {
      fail(service, `runnerHealthCheck needs ingress "all": a GitHub runner cannot reach a service with ingress "${service.ingress}"; remove runnerHealthCheck: true or set ingress: CloudRunIngress.ALL`);
    }
    if (!this.healthCheckPath.startsWith('/')) fail(service, `healthCheckPath "${this.healthCheckPath}" must start with "/"`);
    if (!Number.isInteger(this.healthCheckAttempts) || this.healthCheckAttempts < 1) {
      fail(service, `healthCheckAttempts is ${this.healthCheckAttempts}; use an integer ≥ 1`);
    }
  }

  /**
   * Every step of a standalone deploy job, in order: setup, record, expand
   * and migrate, deploy, the canary's shifts with a bake and a check each,
   * promotion and check, contract, rollback, report.
   */
  public steps(): Step[] {
    const svc = this.service;
    const shifts: Step[] = [];
    if (svc.rollout.kind === RolloutKind.CANARY) {
      const bake = svc.rollout.bake!;
      for (const percent of svc.rollout.steps!.filter((p) => p < 100)) {
        shifts.push(
          this.shiftStep(percent),
          Step.run(`sleep ${bake.toSeconds()}`, { name: `Bake ${svc.serviceName} at ${percent}% for ${bake.toHumanString()}`, timeout: bake.plus(Duration.minutes(1)) }),
          this.checkStep(true),
        );
      }
    }
    return [
      ...this.setupSteps(),
      this.recordStep(),
      ...this.migrationSteps(MigrationPhase.EXPAND),
      ...this.migrationSteps(MigrationPhase.MIGRATE),
      this.deployStep(),
      ...(svc.trafficTag ? [this.checkStep(true)] : []),
      ...shifts,
      ...(svc.trafficTag ? [this.promoteStep()] : []),
      this.checkStep(false),
      ...this.migrationSteps(MigrationPhase.CONTRACT),
      this.rollbackStep(),
      scriptStep(deployScriptPath(DeployScript.REPORT), [], { id: 'report', name: 'Report the outcome', if: 'always()', timeout: Duration.minutes(1) }),
    ];
  }

  /** Checkout, authentication, gcloud and spec rendering. */
  public setupSteps(): Step[] {
    const steps: Step[] = [];
    if (this.checkout) steps.push(Step.uses(Action.of('actions/checkout', 'v4', { permissions: { contents: 'read' }, inputs: { 'persist-credentials': false } }), { name: 'Check out' }));
    steps.push(
      Step.uses(this.auth.toAction(), { name: `Authenticate to Google Cloud (${this.auth.description})` }),
      Step.uses(Action.of('google-github-actions/setup-gcloud', 'v2', { permissions: {} }), { name: 'Set up gcloud' }),
      this.renderStep(),
    );
    return steps;
  }

  /** Reads the traffic split serving now (the rollback target); fails when it cannot be read. */
  public recordStep(): Step {
    return this.step(['record'], `Record the serving revisions of ${this.service.serviceName}`, Duration.minutes(3));
  }

  /** The job of a migration phase: replace it, then execute it and wait. Empty when the application has no such phase. */
  public migrationSteps(phase: MigrationPhase): Step[] {
    const job = this.service.migrationJob(phase);
    if (!job) return [];
    return [this.step(['migrate', phase, job.jobName, basename(job.specPath)], `Migrate ${this.service.serviceName} (${phase})`,
      job.timeout.plus(Duration.minutes(3)), { SLIPWAY_MIGRATION_TIMEOUT: String(job.timeout.toSeconds() + 60) })];
  }

  /** Creates the new revision: without traffic behind its tag (canary, blue-green), or with all of it. */
  public deployStep(): Step {
    const svc = this.service;
    const name = svc.trafficTag ? `Deploy ${svc.serviceName} without traffic (tag ${svc.trafficTag})` : `Deploy ${svc.serviceName}`;
    return this.step(['deploy'], name, this.deployTimeout.plus(Duration.minutes(3)));
  }

  /** Lets everyone invoke the service (an IAM binding, not part of the spec). */
  public allowPublicStep(): Step {
    return this.step(['allow-public'], `Allow unauthenticated calls to ${this.service.serviceName}`, Duration.minutes(3));
  }

  /** Sends `percent` of the traffic to the new revision, the rest to the recorded revisions. */
  public shiftStep(percent: number): Step {
    return this.step(['shift', percent], `Shift ${percent}% of ${this.service.serviceName} to ${this.service.trafficTag ?? 'the new revision'}`, Duration.minutes(3));
  }

  /** Sends all traffic to the latest revision. */
  public promoteStep(): Step {
    return this.step(['promote'], `Promote ${this.service.serviceName} to 100%`, Duration.minutes(3));
  }

  /**
   * An HTTP check from the runner of the new revision's tag URL (`tagged`),
   * or of the service URL; a no-op that says so when the runner cannot reach
   * the service.
   */
  public checkStep(tagged: boolean): Step {
    const svc = this.service;
    const tag = tagged ? svc.trafficTag : undefined;
    const http = svc.application.healthCheck.kind === HealthCheckKind.HTTP || this.healthCheckPath !== '/';
    const budget = Duration.seconds(this.healthCheckAttempts * (this.healthCheckDelay.toSeconds() + 10) + 120);
    return this.step(tag ? ['check', tag] : ['check'], tag ? `Check the ${tag} revision of ${svc.serviceName}` : `Check ${svc.serviceName}`, budget, {
      SLIPWAY_RUNNER_CHECK: String(this.runnerHealthCheck),
      SLIPWAY_CHECK_PATH: this.healthCheckPath,
      SLIPWAY_ANY_ANSWER: String(!http),
      SLIPWAY_RETRIES: String(this.healthCheckAttempts),
      SLIPWAY_INTERVAL: String(this.healthCheckDelay.toSeconds()),
      SLIPWAY_MAX_TIME: '10',
    });
  }

  /**
   * When the job failed, was cancelled or timed out: all traffic back to the
   * recorded split and the tag removed (the service deleted after a failed
   * first deploy). Nothing when this run changed nothing; an error, and no
   * rollback, once the contract migration started.
   */
  public rollbackStep(): Step {
    return this.step(['rollback'], `Roll back ${this.service.serviceName}`, Duration.minutes(6), {}, ROLLBACK_CONDITION);
  }

  /** `cloud-run.sh` with the service's parameters. */
  private step(args: Array<string | number>, name: string, timeout: Duration,
    extra: { [name: string]: string } = {}, condition?: string, id?: string): Step {
    const svc = this.service;
    return scriptStep(deployScriptPath(DeployScript.CLOUD_RUN), args, {
      id,
      name,
      if: condition,
      timeout,
      env: {
        SLIPWAY_APP: svc.application.name,
        SLIPWAY_SERVICE: svc.serviceName,
        SLIPWAY_PROJECT: svc.project,
        SLIPWAY_REGION: svc.region,
        SLIPWAY_TIMEOUT: String(this.deployTimeout.toSeconds()),
        SLIPWAY_TAG: svc.trafficTag ?? '',
        SLIPWAY_SPEC_FILE: basename(svc.specPath),
        ...extra,
      },
    });
  }

  private renderStep(): Step {
    const svc = this.service;
    const specs = [svc.specPath, ...svc.migrationJobs.map((j) => j.specPath)];
    return this.step(['render'], `Render the Cloud Run specs of ${svc.serviceName}`, Duration.minutes(1), {
      SLIPWAY_SPECS: specs.join(' '),
      SLIPWAY_COMMITTED_IMAGE: svc.committedImage,
      SLIPWAY_IMAGE_REPOSITORY: svc.application.image.repository,
      SLIPWAY_IMAGE_DIGEST: this.imageDigest ?? '',
      SLIPWAY_REVISION: svc.revisionName,
      SLIPWAY_HASH_LENGTH: String(CloudRunService.REVISION_HASH_LENGTH),
    }, undefined, this.renderStepId);
  }
}

function basename(p: string): string {
  return p.split('/').pop()!;
}
