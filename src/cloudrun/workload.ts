import { IConstruct } from 'constructs';
import type * as model from './cloudrun-model';
import { CloudRunVpcEgress, CloudRunWorkloadOptions } from './options';
import {
  cloudSqlInstanceProblem, environmentProblem, projectProblem, regionProblem, registryProblem, resourcesProblem,
  secretManagerNameProblem, secretVersionProblem, serviceAccountProblem, vpcConnectorProblem,
} from './rules';
import { Application, deployedValueProblem, SecretRef } from '../core/application';
import type { UnpinnedImage } from '../core/image-pinning';
import { ENV_NAME } from '../core/names';
import { lockedApplicationDigest, unpinnedApplicationImage } from '../github/actions/action-lock';

/**
 * The tag written into committed specs for images the pipeline builds: the
 * deploy step replaces the whole image reference with `<repository>@<digest>`.
 * Deploying the committed spec as-is fails to pull instead of silently
 * running `:latest`.
 * @internal
 */
export const UNDEPLOYED_TAG = 'set-by-deploy';

/**
 * Directory of every Cloud Run spec.
 * @internal
 */
export const CLOUDRUN_DIR = 'deploy/cloudrun';


/**
 * Set on a construct whose child jobs share its workload settings: the
 * parent reports their problems once.
 * @internal
 */
export const SHARES_WORKLOAD = Symbol.for('slipway.cloudrun.shares-workload');

/**
 * Only the shared workload settings of a props object.
 * @internal
 */
export function workloadOptionsOf(o: CloudRunWorkloadOptions): CloudRunWorkloadOptions {
  return {
    project: o.project,
    region: o.region,
    environment: o.environment,
    serviceAccountEmail: o.serviceAccountEmail,
    cloudSqlInstances: o.cloudSqlInstances,
    vpcConnector: o.vpcConnector,
    vpcEgress: o.vpcEgress,
    launchStage: o.launchStage,
    env: o.env,
    secrets: o.secrets,
  };
}

/**
 * The workload settings of one environment, resolved and checked once.
 * @internal
 */
export class Workload {
  public readonly project: string;
  public readonly region: string;
  public readonly environment: string;
  public readonly serviceAccountEmail?: string;
  public readonly cloudSqlInstances: string[];
  public readonly vpcConnector?: string;
  public readonly vpcEgress?: CloudRunVpcEgress;
  public readonly env: { [name: string]: string };
  public readonly secrets: { [name: string]: SecretRef };
  /** Problems found; the construct reports them with its path. */
  public readonly problems: string[] = [];

  /**
   * @param scope the construct that renders the workload: its App's lock file
   * pins a prebuilt image by digest
   */
  constructor(public readonly application: Application, o: CloudRunWorkloadOptions, private readonly scope?: IConstruct) {
    this.project = o.project;
    this.region = o.region;
    this.environment = o.environment;
    this.serviceAccountEmail = o.serviceAccountEmail;
    this.cloudSqlInstances = [...(o.cloudSqlInstances ?? [])];
    this.vpcConnector = o.vpcConnector;
    this.vpcEgress = o.vpcEgress ?? (o.vpcConnector ? CloudRunVpcEgress.PRIVATE_RANGES_ONLY : undefined);

    const push = (p: string | undefined) => { if (p) this.problems.push(p); };
    push(projectProblem(this.project));
    push(regionProblem(this.region));
    push(environmentProblem(this.environment));
    push(registryProblem(application.image.registry, application.image.repository));
    if (this.serviceAccountEmail !== undefined) push(serviceAccountProblem(this.serviceAccountEmail));
    this.cloudSqlInstances.forEach((c) => push(cloudSqlInstanceProblem(c)));
    if (new Set(this.cloudSqlInstances).size !== this.cloudSqlInstances.length) push(`cloudSqlInstances lists an instance twice: ${this.cloudSqlInstances.join(', ')}`);
    if (this.vpcConnector !== undefined) push(vpcConnectorProblem(this.vpcConnector));
    if (o.vpcEgress !== undefined && o.vpcConnector === undefined) {
      push(`vpcEgress "${o.vpcEgress}" needs a vpcConnector; set vpcConnector or remove vpcEgress`);
    }

    // environment-specific env overrides the application's value of the same name
    this.env = { ...application.env };
    for (const [k, v] of Object.entries(o.env ?? {})) {
      if (!ENV_NAME.test(k)) push(`env name "${k}" is invalid: use letters, digits and "_", not starting with a digit`);
      push(deployedValueProblem(`env.${k}`, k, v));
      this.env[k] = v;
    }
    this.secrets = { ...application.secrets };
    for (const [k, ref] of Object.entries(o.secrets ?? {})) {
      if (!ENV_NAME.test(k)) push(`secrets name "${k}" is invalid: use letters, digits and "_", not starting with a digit`);
      if (k in application.secrets) push(`secrets.${k} is already a secret of application "${application.name}"; remove one of them`);
      this.secrets[k] = ref;
    }
    for (const k of Object.keys(this.secrets)) {
      if (k in this.env) push(`"${k}" is both in env and in secrets; keep one`);
      push(secretManagerNameProblem(k, this.secrets[k].name));
      push(secretVersionProblem(k, this.secrets[k].version));
    }
    push(resourcesProblem(application.resources.cpuLimit!, application.resources.memoryLimit!));
  }

  /** The image reference in committed specs (the deploy step substitutes the built digest). */
  public get committedImage(): string {
    const image = this.application.image;
    const digest = this.scope ? lockedApplicationDigest(this.scope, image) : undefined;
    return `${image.repository}:${image.defaultTag ?? UNDEPLOYED_TAG}${digest ? `@${digest}` : ''}`;
  }

  /** The prebuilt image, when nothing pins it by digest (warnings, supplyChain.strict). */
  public unpinnedImages(): UnpinnedImage[] {
    return this.scope ? unpinnedApplicationImage(this.scope, this.application) : [];
  }

  /** Annotations shared by revisions and job executions (connectivity). */
  public connectivityAnnotations(): { [key: string]: string } {
    const a: { [key: string]: string } = {};
    if (this.cloudSqlInstances.length) a['run.googleapis.com/cloudsql-instances'] = this.cloudSqlInstances.join(',');
    if (this.vpcConnector) a['run.googleapis.com/vpc-access-connector'] = this.vpcConnector;
    if (this.vpcEgress) a['run.googleapis.com/vpc-access-egress'] = this.vpcEgress;
    return a;
  }

  /** `env[]`: literal values first, then Secret Manager references, each in definition order. */
  public renderEnv(): model.EnvVar[] | undefined {
    const env: model.EnvVar[] = [
      ...Object.entries(this.env).map(([name, value]) => ({ name, value })),
      ...Object.entries(this.secrets).map(([name, ref]) => ({
        name,
        valueFrom: { secretKeyRef: { name: ref.name, key: ref.version } },
      })),
    ];
    return env.length ? env : undefined;
  }

  /** `resources`: Cloud Run reads limits only. */
  public renderResources(): model.Container['resources'] {
    return { limits: { cpu: this.application.resources.cpuLimit!, memory: this.application.resources.memoryLimit! } };
  }
}
