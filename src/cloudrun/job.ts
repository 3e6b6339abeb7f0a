import { Construct } from 'constructs';
import type * as model from './cloudrun-model';
import { CloudRunJobOptions, CloudRunLaunchStage, CloudRunWorkloadOptions } from './options';
import { jobNameProblem, MAX_TASK_TIMEOUT_SECONDS, secondsProblem } from './rules';
import { CLOUDRUN_DIR, SHARES_WORKLOAD, Workload } from './workload';
import { Application } from '../core/application';
import { Duration } from '../core/duration';
import type { UnpinnedImage } from '../core/image-pinning';
import { register, registered, REGISTRY_KIND } from '../core/registry';
import { SynthesisSession } from '../core/synthesis';

const JOB_SYMBOL = Symbol.for('slipway.cloudrun.CloudRunJob');


/**
 * Properties of a {@link CloudRunJob}.
 */
export interface CloudRunJobProps extends CloudRunWorkloadOptions, CloudRunJobOptions {
  /** The application whose image, env, secrets and resources the job uses. */
  readonly application: Application;

  /**
   * Job name: lowercase letters, digits and "-", starting with a letter, at
   * most 63 characters.
   */
  readonly jobName: string;

  /**
   * Command (entrypoint override).
   * @default - the application's command, else the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments.
   * @default - the application's arguments when `command` is not given, else none
   */
  readonly args?: string[];

  /**
   * Stem of the output file `deploy/cloudrun/<outputName>.<environment>.job.yaml`.
   * @default - the job name
   */
  readonly outputName?: string;
}

/**
 * A Cloud Run job (`run.googleapis.com/v1` Job) that runs the application's
 * image with its env, secrets and resources, e.g. one phase of a database
 * migration. Writes `deploy/cloudrun/<outputName>.<environment>.job.yaml` for
 * `gcloud run jobs replace`; `gcloud run jobs execute <job> --wait` runs it.
 *
 * {@link CloudRunService} creates one per migration phase of its application.
 *
 * @see https://cloud.google.com/run/docs/reference/yaml/v1
 */
export class CloudRunJob extends Construct {
  /**
   * Whether `x` is a CloudRunJob.
   */
  public static isCloudRunJob(x: any): x is CloudRunJob {
    return x !== null && typeof x === 'object' && JOB_SYMBOL in x;
  }

  /** The job name. */
  public readonly jobName: string;
  /** The application. */
  public readonly application: Application;
  /** Project ID. */
  public readonly project: string;
  /** Region. */
  public readonly region: string;
  /** Environment name. */
  public readonly environment: string;
  /** Path of the job spec, relative to the output directory. */
  public readonly specPath: string;
  /** Longest one task attempt may run. */
  public readonly timeout: Duration;
  /** Retries of a failed task. */
  public readonly maxRetries: number;
  /** Launch stage. */
  public readonly launchStage: CloudRunLaunchStage;

  private readonly workload: Workload;
  private readonly command?: string[];
  private readonly args?: string[];

  constructor(scope: Construct, id: string, props: CloudRunJobProps) {
    super(scope, id);
    register(this, REGISTRY_KIND.cloudRunJob);
    Object.defineProperty(this, JOB_SYMBOL, { value: true });
    this.application = props.application;
    this.jobName = props.jobName;
    this.project = props.project;
    this.region = props.region;
    this.environment = props.environment;
    this.workload = new Workload(props.application, props, this);
    this.timeout = props.timeout ?? Duration.minutes(10);
    this.maxRetries = props.maxRetries ?? 0;
    this.launchStage = props.launchStage ?? CloudRunLaunchStage.GA;
    this.command = props.command ?? props.application.command;
    this.args = props.args ?? (props.command ? undefined : props.application.args);
    this.specPath = `${CLOUDRUN_DIR}/${props.outputName ?? props.jobName}.${props.environment}.job.yaml`;

    // a job created by a service shares the service's settings, whose problems the service reports
    const shared = (scope as any)[SHARES_WORKLOAD] === true;
    this.node.addValidation({
      validate: () => {
        const problems = shared ? [] : [...this.workload.problems];
        const push = (p: string | undefined) => { if (p) problems.push(p); };
        if (typeof this.jobName !== 'string') problems.push('jobName is required: the name of the Cloud Run job, e.g. "context-api-migrate-expand"');
        else push(jobNameProblem(this.jobName));
        push(secondsProblem('timeout', this.timeout.toSeconds(), 1, MAX_TASK_TIMEOUT_SECONDS));
        if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0 || this.maxRetries > 10) {
          problems.push(`maxRetries is ${this.maxRetries}; Cloud Run accepts an integer within 0..10`);
        }
        if (this.command !== undefined && (this.command.length === 0 || this.command.some((c) => c.trim() === ''))) {
          problems.push('command must be a non-empty list of non-empty words');
        }
        // names are unique per project and region
        for (const other of registered<CloudRunJob>(this.node.root, REGISTRY_KIND.cloudRunJob)) {
          if (other === this) continue;
          if (other.jobName === this.jobName && other.project === this.project && other.region === this.region) {
            problems.push(`job "${this.jobName}" in project "${this.project}", region "${this.region}" is also defined by "${other.node.path}"; give one of them another name`);
          }
        }
        return problems;
      },
    });
  }

  /** The image reference in the committed spec; the deploy step replaces it with the built digest. */
  public get committedImage(): string {
    return this.workload.committedImage;
  }

  /** The prebuilt application image, when nothing pins it by digest. @internal */
  public _unpinnedImages(): UnpinnedImage[] {
    return this.workload.unpinnedImages().map((u) => ({ ...u, what: `Cloud Run job "${this.jobName}" of ${u.what}` }));
  }

  /** The rendered Job document. @internal */
  public _toJob(): model.Job {
    const annotations: { [key: string]: string } = {};
    if (this.launchStage !== CloudRunLaunchStage.GA) annotations['run.googleapis.com/launch-stage'] = this.launchStage;
    const executionAnnotations = this.workload.connectivityAnnotations();
    const container: model.Container = {
      name: this.application.name,
      image: this.workload.committedImage,
      command: this.command ? [...this.command] : undefined,
      args: this.args?.length ? [...this.args] : undefined,
      env: this.workload.renderEnv(),
      resources: this.workload.renderResources(),
    };
    return {
      apiVersion: 'run.googleapis.com/v1',
      kind: 'Job',
      metadata: {
        name: this.jobName,
        namespace: this.project,
        labels: { 'cloud.googleapis.com/location': this.region },
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: {
        template: {
          metadata: Object.keys(executionAnnotations).length ? { annotations: executionAnnotations } : undefined,
          spec: {
            parallelism: 1,
            taskCount: 1,
            template: {
              spec: {
                containers: [container],
                timeoutSeconds: String(this.timeout.toSeconds()),
                serviceAccountName: this.workload.serviceAccountEmail,
                maxRetries: this.maxRetries,
              },
            },
          },
        },
      },
    };
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    session.addYaml(this, this.specPath, this._toJob(), { yaml11: true });
  }
}
