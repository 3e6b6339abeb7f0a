import { SecretRef } from '../core/application';
import { Duration } from '../core/duration';

/**
 * Where requests to a Cloud Run service may come from
 * (`run.googleapis.com/ingress`).
 * @see https://cloud.google.com/run/docs/securing/ingress
 */
export enum CloudRunIngress {
  /** Any source, including the internet. */
  ALL = 'all',
  /** Only the project's VPC networks, Shared VPC and allowed Google services. */
  INTERNAL = 'internal',
  /** Internal sources plus external Application Load Balancers. */
  INTERNAL_AND_CLOUD_LOAD_BALANCING = 'internal-and-cloud-load-balancing',
}

/**
 * Launch stage of the features a service or job uses
 * (`run.googleapis.com/launch-stage`). Needed only for preview features.
 */
export enum CloudRunLaunchStage {
  /** Generally available features only: no annotation is written. */
  GA = 'GA',
  /** Beta features. */
  BETA = 'BETA',
  /** Alpha features. */
  ALPHA = 'ALPHA',
}

/**
 * Sandbox the containers run in (`run.googleapis.com/execution-environment`).
 * @see https://cloud.google.com/run/docs/about-execution-environments
 */
export enum CloudRunExecutionEnvironment {
  /** First generation: faster cold starts; required for less than 1 CPU. */
  GEN1 = 'gen1',
  /** Second generation: full Linux compatibility, network file systems. */
  GEN2 = 'gen2',
}

/**
 * Which outbound traffic goes through the VPC connector
 * (`run.googleapis.com/vpc-access-egress`).
 */
export enum CloudRunVpcEgress {
  /** Only traffic to private IP ranges. */
  PRIVATE_RANGES_ONLY = 'private-ranges-only',
  /** All outbound traffic. */
  ALL_TRAFFIC = 'all-traffic',
}

/**
 * Protocol of the serving port; Cloud Run names the port after it.
 */
export enum CloudRunProtocol {
  /** HTTP/1.1 (port name `http1`). Required for HTTP health checks. */
  HTTP1 = 'http1',
  /** Cleartext HTTP/2 end to end (port name `h2c`), e.g. for gRPC servers. */
  H2C = 'h2c',
}

/**
 * One entry of an explicit traffic split.
 * @see https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration
 */
export interface CloudRunTrafficTarget {
  /** Percent of requests, an integer within 0..100. All entries sum to 100. */
  readonly percent: number;
  /**
   * A revision of this service (its name starts with `<service>-`).
   * @default - none; then `latestRevision` must be true
   */
  readonly revisionName?: string;
  /**
   * Route to whatever revision is latest (it follows new deploys).
   * @default false
   */
  readonly latestRevision?: boolean;
  /**
   * A tag, which gives the target its own URL
   * `https://<tag>---<service>-<hash>.a.run.app`.
   * @default - no tag
   */
  readonly tag?: string;
}

/**
 * Settings the service and its migration jobs share: who they run as, what
 * they can reach and what they read. Used by {@link CloudRunServiceProps} and
 * {@link CloudRunJobProps}.
 */
export interface CloudRunWorkloadOptions {
  /** Google Cloud project ID, e.g. `coditect-production`. */
  readonly project: string;

  /** Region, e.g. `us-central1`. */
  readonly region: string;

  /**
   * Environment name (`staging`, `production`); part of the output file names.
   */
  readonly environment: string;

  /**
   * Email of the service account the containers run as.
   * @default - the project's default compute service account
   * @see https://cloud.google.com/run/docs/securing/service-identity
   */
  readonly serviceAccountEmail?: string;

  /**
   * Cloud SQL instance connection names (`project:region:instance`) mounted
   * under `/cloudsql`.
   * @default - none
   */
  readonly cloudSqlInstances?: string[];

  /**
   * Serverless VPC Access connector: a name in the same project and region,
   * or `projects/P/locations/R/connectors/N`.
   * @default - no VPC connector
   */
  readonly vpcConnector?: string;

  /**
   * Which outbound traffic uses the VPC connector. Needs `vpcConnector`.
   * @default CloudRunVpcEgress.PRIVATE_RANGES_ONLY when a connector is set
   */
  readonly vpcEgress?: CloudRunVpcEgress;

  /**
   * Launch stage, for features in preview.
   * @default CloudRunLaunchStage.GA
   */
  readonly launchStage?: CloudRunLaunchStage;

  /**
   * Environment variables of this environment only, added to the
   * application's `env` (a name the application already has takes this
   * value). Never put secret values here: use `secrets`.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Secret Manager references of this environment only, added to the
   * application's `secrets`.
   * @default - none
   */
  readonly secrets?: { [name: string]: SecretRef };
}

/**
 * Properties of a migration or one-off {@link CloudRunJob} beyond the shared
 * workload settings.
 */
export interface CloudRunJobOptions {
  /**
   * Longest one task attempt may run, at most 24 hours.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;

  /**
   * Retries of a failed task, 0..10.
   * @default 0
   */
  readonly maxRetries?: number;
}
