/**
 * Cloud Run's own rules, checked at synth so that `gcloud run ... replace`
 * never rejects what slipway wrote. Each function returns why a value is
 * invalid (naming the fix), or undefined.
 *
 * @see https://cloud.google.com/run/docs/reference/rest/v1/namespaces.services
 */

import { CloudRunTrafficTarget } from './options';
import { parseCpu, parseMemory } from '../core/quantity';

export { parseCpu, parseMemory };

const RESOURCE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest service name: revision names `<service>-<suffix>` must fit 63 characters. */
export const MAX_SERVICE_NAME = 49;
/** Longest job name. */
export const MAX_JOB_NAME = 63;
/** Longest revision name. */
export const MAX_REVISION_NAME = 63;
/** Longest `<tag><service>`: the tag URL `<tag>---<service>-<hash>` is one DNS label. */
export const MAX_TAG_AND_SERVICE = 46;
/** Longest request timeout of a service, in seconds. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 3600;
/** Longest task timeout of a job, in seconds (24 hours, the generally available maximum). */
export const MAX_TASK_TIMEOUT_SECONDS = 24 * 3600;
/** Highest container concurrency. */
export const MAX_CONCURRENCY = 1000;
/** Longest startup probe budget (`failureThreshold × periodSeconds`) of a service, in seconds. */
export const MAX_STARTUP_BUDGET_SECONDS = 240;

function resourceName(kind: string, prop: string, name: string, max: number, example: string): string | undefined {
  if (!RESOURCE_NAME.test(name) || name.length > max) {
    return `${prop} "${name}" is not a valid Cloud Run ${kind} name: use at most ${max} lowercase letters, digits and "-", starting with a letter and not ending with "-" (it has ${name.length} characters), e.g. "${example}"`;
  }
  return undefined;
}

/** A Cloud Run service name. */
export function serviceNameProblem(name: string): string | undefined {
  return resourceName('service', 'serviceName', name, MAX_SERVICE_NAME, 'context-api');
}

/** A Cloud Run job name. */
export function jobNameProblem(name: string, prop = 'jobName'): string | undefined {
  return resourceName('job', prop, name, MAX_JOB_NAME, 'context-api-migrate-expand');
}

/** A revision name of `service`. */
export function revisionNameProblem(name: string, service: string, prop = 'revisionName'): string | undefined {
  if (!RESOURCE_NAME.test(name) || name.length > MAX_REVISION_NAME || !name.startsWith(`${service}-`)) {
    return `${prop} "${name}" is not a revision of service "${service}": revision names start with "${service}-" and have at most ${MAX_REVISION_NAME} lowercase letters, digits and "-"`;
  }
  return undefined;
}

/** A traffic tag of `service`. */
export function tagProblem(tag: string, service: string, prop = 'tag'): string | undefined {
  if (!RESOURCE_NAME.test(tag)) {
    return `${prop} "${tag}" is not a valid traffic tag: use lowercase letters, digits and "-", starting with a letter, e.g. "canary"`;
  }
  if (tag.length + service.length > MAX_TAG_AND_SERVICE) {
    return `${prop} "${tag}" and service name "${service}" together have ${tag.length + service.length} characters, more than the ${MAX_TAG_AND_SERVICE} Cloud Run allows (the tag URL is one DNS label); shorten the tag or the serviceName`;
  }
  return undefined;
}

/** A Google Cloud project ID (optionally domain-scoped, `example.com:project`). */
export function projectProblem(project: string): string | undefined {
  if (!/^([a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(project)) {
    return `project "${project}" is not a Google Cloud project ID: 6 to 30 lowercase letters, digits and "-", starting with a letter, e.g. "coditect-production"`;
  }
  return undefined;
}

/** A Cloud Run region. */
export function regionProblem(region: string): string | undefined {
  if (!/^[a-z]+-[a-z]+[0-9]+$/.test(region)) {
    return `region "${region}" is not a Google Cloud region such as "us-central1" or "europe-west4"`;
  }
  return undefined;
}

/** An environment name used in file names. */
export function environmentProblem(environment: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(environment) || environment.length > 63) {
    return `environment "${environment}" must be lowercase letters, digits and "-" (it is part of the output file name), e.g. "production"`;
  }
  return undefined;
}

/** A service account email. */
export function serviceAccountProblem(email: string): string | undefined {
  if (!/^[a-z0-9][-a-z0-9]*@[a-z0-9][-a-z0-9.:]*\.gserviceaccount\.com$/.test(email)) {
    return `serviceAccountEmail "${email}" is not a service account email such as "api@my-project.iam.gserviceaccount.com"`;
  }
  return undefined;
}

/** A Cloud SQL instance connection name. */
export function cloudSqlInstanceProblem(connection: string): string | undefined {
  if (!/^([a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]*:[a-z]+-[a-z]+[0-9]+:[a-z][-a-z0-9]*$/.test(connection)) {
    return `cloudSqlInstances entry "${connection}" is not an instance connection name "project:region:instance", e.g. "my-project:us-central1:main-db"`;
  }
  return undefined;
}

/** A Serverless VPC Access connector. */
export function vpcConnectorProblem(connector: string): string | undefined {
  if (!/^[a-z][-a-z0-9]{0,23}$/.test(connector) && !/^projects\/[^/]+\/locations\/[a-z]+-[a-z]+[0-9]+\/connectors\/[a-z][-a-z0-9]{0,23}$/.test(connector)) {
    return `vpcConnector "${connector}" must be a connector name (at most 24 lowercase letters, digits and "-") or "projects/P/locations/R/connectors/N"`;
  }
  return undefined;
}

/** A Secret Manager secret name (Kubernetes allows "." in secret names, Secret Manager does not). */
export function secretManagerNameProblem(envName: string, secret: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(secret)) {
    return `secrets.${envName} names Secret Manager secret "${secret}", but Secret Manager names allow only letters, digits, "-" and "_"; rename the secret (SecretRef.of('<name>', ...))`;
  }
  return undefined;
}

/** A Secret Manager version. */
export function secretVersionProblem(envName: string, version: string): string | undefined {
  if (version !== 'latest' && !/^[1-9][0-9]*$/.test(version)) {
    return `secrets.${envName} reads Secret Manager version "${version}"; use "latest" or a version number such as "3"`;
  }
  return undefined;
}

/** Whole-seconds value within bounds. */
export function secondsProblem(prop: string, seconds: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    return `${prop} is ${seconds} s; Cloud Run accepts ${min}..${max} s`;
  }
  return undefined;
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/** CPU and memory limits Cloud Run accepts together. */
export function resourcesProblem(cpu: string, memory: string): string | undefined {
  const cores = parseCpu(cpu);
  if (cores === undefined || !([1, 2, 4, 6, 8].includes(cores) || (cores >= 0.08 && cores < 1))) {
    return `resources.cpuLimit "${cpu}" is not a Cloud Run CPU limit: use 1, 2, 4, 6 or 8, or a fraction from 0.08 to below 1 (e.g. "1", "2", "500m")`;
  }
  const bytes = parseMemory(memory);
  if (bytes === undefined || bytes < 128 * MIB || bytes > 32 * GIB) {
    return `resources.memoryLimit "${memory}" is not a Cloud Run memory limit: use 128Mi..32Gi (e.g. "512Mi", "2Gi")`;
  }
  const [minMem, maxMem] = cores < 0.5 ? [0, 512 * MIB] : cores < 1 ? [0, GIB] : cores === 1 ? [0, 4 * GIB]
    : cores === 2 ? [0, 8 * GIB] : cores === 4 ? [2 * GIB, 16 * GIB] : cores === 6 ? [4 * GIB, 24 * GIB] : [4 * GIB, 32 * GIB];
  if (bytes < minMem || bytes > maxMem) {
    return `resources.memoryLimit "${memory}" does not fit cpuLimit "${cpu}": Cloud Run needs ${minMem ? `${minMem / GIB}Gi..` : 'at most '}${maxMem >= GIB ? `${maxMem / GIB}Gi` : `${maxMem / MIB}Mi`} of memory for ${cores} CPU; change one of them`;
  }
  return undefined;
}

/** Annotation key (a Kubernetes qualified name) and value (a string). */
export function annotationProblem(prop: string, key: string, value: unknown): string | undefined {
  if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key) || key.length > 316) {
    return `${prop} key "${key}" is not an annotation name such as "run.googleapis.com/session-affinity"`;
  }
  if (typeof value !== 'string') {
    return `${prop}["${key}"] is ${JSON.stringify(value)} (${typeof value}), but Cloud Run annotation values are strings; write "${String(value)}"`;
  }
  return undefined;
}

/** Problems of a traffic split of `service`. */
export function trafficProblems(targets: CloudRunTrafficTarget[], service: string): string[] {
  const problems: string[] = [];
  if (targets.length === 0) return ['traffic must have at least one target; e.g. [{ latestRevision: true, percent: 100 }]'];
  const tags = new Set<string>();
  let sum = 0;
  targets.forEach((t, i) => {
    const at = `traffic[${i}]`;
    if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100) {
      problems.push(`${at}.percent is ${t.percent}; use an integer within 0..100`);
    } else {
      sum += t.percent;
    }
    if (t.latestRevision && t.revisionName !== undefined) {
      problems.push(`${at} has both latestRevision: true and revisionName "${t.revisionName}"; give one of them`);
    } else if (!t.latestRevision && t.revisionName === undefined) {
      problems.push(`${at} names no revision; set revisionName or latestRevision: true`);
    } else if (t.revisionName !== undefined) {
      const p = revisionNameProblem(t.revisionName, service, `${at}.revisionName`);
      if (p) problems.push(p);
    }
    if (t.tag !== undefined) {
      const p = tagProblem(t.tag, service, `${at}.tag`);
      if (p) problems.push(p);
      if (tags.has(t.tag)) problems.push(`${at}.tag "${t.tag}" is used twice; tags must be unique`);
      tags.add(t.tag);
    }
  });
  if (problems.length === 0 && sum !== 100) {
    problems.push(`traffic percents sum to ${sum} (${targets.map((t) => t.percent).join(' + ')}); they must sum to 100`);
  }
  return problems;
}

/**
 * Why Cloud Run cannot pull an image from `registry`, or undefined. Cloud Run
 * deploys images from Artifact Registry (`<region>-docker.pkg.dev`),
 * Container Registry (`gcr.io`, `<region>.gcr.io`) and Docker Hub only.
 * @see https://cloud.google.com/run/docs/deploying#images
 * @internal
 */
export function registryProblem(registry: string, repository: string): string | undefined {
  if (/^[a-z0-9-]+-docker\.pkg\.dev$/.test(registry) || /^([a-z]+\.)?gcr\.io$/.test(registry) || registry === 'docker.io' || registry === 'index.docker.io') return undefined;
  const name = repository.split('/').slice(1).join('/');
  return `image "${repository}" is in registry "${registry}", which Cloud Run cannot deploy from (it pulls from Artifact Registry, gcr.io and Docker Hub only); push the image to Artifact Registry, e.g. "us-docker.pkg.dev/<project>/<repository>/${name.split('/').pop() || 'app'}", or set up an Artifact Registry remote repository for ${registry}`;
}

/** Services a pipeline made for a stage whose Target.cloudRun checked the project and region. */
const STAGE_CHECKED = new WeakSet<object>();

/**
 * Marks a service made for a pipeline stage: the stage's Target.cloudRun
 * reports a bad project or region, so the service does not report it again.
 */
export function projectAndRegionCheckedByStage<T extends object>(service: T): T {
  STAGE_CHECKED.add(service);
  return service;
}

/** Whether the project and region of a service are reported by its stage. */
export function isStageChecked(service: object): boolean {
  return STAGE_CHECKED.has(service);
}
