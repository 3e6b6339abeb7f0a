/**
 * Cloud Run specs under `cloudrun/`:
 * - `serving.knative.dev/v1` Service: @kubernetes-models/knative schema ('knative');
 * - `run.googleapis.com/v1` Job: no published model, so a structural check ('cloudrun-job-structure');
 * - rules Cloud Run adds on top of Knative, for both ('cloudrun-rules').
 */
import { DNS1123_LABEL, get, isNonEmptyString, isObject, parseYaml } from './common';
import type { JsonObject } from './common';
import { describe, validateManifest } from './kube-schema';
import type { Report } from './report';

export const CLOUDRUN = /(^|\/)cloudrun\/.+\.ya?ml$/;

/** Cloud Run names: a DNS label that starts with a letter. */
const CLOUDRUN_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_SERVICE_TIMEOUT = 3600;
/** Task timeout of a job: 24 h is the generally available maximum. */
const MAX_JOB_TIMEOUT = 86400;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Cloud Run's API encodes int64 fields as strings (`timeoutSeconds: '600'`); accept both forms. */
function int64(v: unknown): number | undefined {
  if (isInt(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Annotations and labels must be string → string maps (a bare `true` or `5` is rejected by the API). */
function checkStringMaps(doc: JsonObject, fail: (m: string) => void): void {
  const metas: [string, unknown][] = [
    ['metadata', get(doc, 'metadata')],
    ['spec.template.metadata', get(doc, 'spec', 'template', 'metadata')],
    ['spec.template.spec.template.metadata', get(doc, 'spec', 'template', 'spec', 'template', 'metadata')],
  ];
  for (const [where, meta] of metas) {
    for (const field of ['annotations', 'labels']) {
      const map = get(meta, field);
      if (map === undefined) continue;
      if (!isObject(map)) {
        fail(`${where}.${field} must be a map`);
        continue;
      }
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string') fail(`${where}.${field}["${k}"] must be a string, got ${JSON.stringify(v)}`);
      }
    }
  }
}

function checkContainers(containers: unknown, where: string, service: boolean, fail: (m: string) => void): void {
  if (!Array.isArray(containers) || containers.length === 0) return fail(`${where}.containers must be a non-empty list`);
  if (!isNonEmptyString(get(containers, 0, 'image'))) fail(`${where}.containers[0].image is required`);
  let withPorts = 0;
  containers.forEach((c, i) => {
    const ports = get(c, 'ports');
    if (Array.isArray(ports) && ports.length > 0) {
      withPorts++;
      if (!service) fail(`${where}.containers[${i}]: a job container does not serve ports`);
      if (ports.length > 1) fail(`${where}.containers[${i}]: Cloud Run allows a single container port`);
      ports.forEach((p, j) => {
        const name = get(p, 'name');
        if (name !== undefined && name !== 'http1' && name !== 'h2c') {
          fail(`${where}.containers[${i}].ports[${j}].name must be "http1" or "h2c", got ${JSON.stringify(name)}`);
        }
      });
    }
    const env = get(c, 'env');
    if (env !== undefined && !Array.isArray(env)) fail(`${where}.containers[${i}].env must be a list`);
    (Array.isArray(env) ? env : []).forEach((e, j) => {
      const at = `${where}.containers[${i}].env[${j}]`;
      if (!isNonEmptyString(get(e, 'name'))) fail(`${at}.name is required`);
      const value = get(e, 'value');
      const ref = get(e, 'valueFrom', 'secretKeyRef');
      if (value !== undefined && typeof value !== 'string') fail(`${at}.value must be a string, got ${JSON.stringify(value)}`);
      if (value === undefined && !(isNonEmptyString(get(ref, 'name')) && isNonEmptyString(get(ref, 'key')))) {
        fail(`${at} needs a string value or valueFrom.secretKeyRef {name, key}`);
      }
    });
  });
  if (withPorts > 1) fail(`${where}: only the ingress container may declare a port`);
}

function checkService(doc: JsonObject, fail: (m: string) => void): void {
  const name = get(doc, 'metadata', 'name');
  if (typeof name !== 'string' || !CLOUDRUN_NAME.test(name) || name.length > 63) {
    fail(`metadata.name ${JSON.stringify(name)} must be lowercase letters, digits and dashes, start with a letter, max 63`);
  }
  const spec = get(doc, 'spec', 'template', 'spec');
  const timeout = get(spec, 'timeoutSeconds');
  if (timeout !== undefined && (!isInt(timeout) || timeout < 1 || timeout > MAX_SERVICE_TIMEOUT)) {
    fail(`spec.template.spec.timeoutSeconds must be an integer in 1..${MAX_SERVICE_TIMEOUT}, got ${JSON.stringify(timeout)}`);
  }
  const cc = get(spec, 'containerConcurrency');
  if (cc !== undefined && (!isInt(cc) || cc < 0 || cc > 1000)) fail(`spec.template.spec.containerConcurrency must be an integer in 0..1000, got ${JSON.stringify(cc)}`);
  checkContainers(get(spec, 'containers'), 'spec.template.spec', true, fail);
  const traffic = get(doc, 'spec', 'traffic');
  if (Array.isArray(traffic) && traffic.length > 0) {
    let sum = 0;
    traffic.forEach((t, i) => {
      const p = get(t, 'percent');
      if (!isInt(p) || p < 0 || p > 100) fail(`spec.traffic[${i}].percent must be an integer in 0..100, got ${JSON.stringify(p)}`);
      else sum += p;
    });
    if (sum !== 100) fail(`spec.traffic percents sum to ${sum}, not 100`);
  }
}

/** `run.googleapis.com/v1` Job: Job → ExecutionTemplate → TaskTemplate → containers. */
function checkJob(doc: JsonObject, fail: (m: string) => void): void {
  const name = get(doc, 'metadata', 'name');
  if (typeof name !== 'string' || !DNS1123_LABEL.test(name) || !/^[a-z]/.test(name) || name.length > 63) {
    fail(`metadata.name ${JSON.stringify(name)} must be a DNS-1123 label starting with a letter (max 63)`);
  }
  const exec = get(doc, 'spec', 'template', 'spec');
  if (!isObject(exec)) return fail('spec.template.spec (the execution template) is required');
  for (const field of ['taskCount', 'parallelism']) {
    const v = exec[field];
    if (v !== undefined && (!isInt(v) || v < 0)) fail(`spec.template.spec.${field} must be an integer >= 0, got ${JSON.stringify(v)}`);
  }
  const task = get(exec, 'template', 'spec');
  if (!isObject(task)) return fail('spec.template.spec.template.spec (the task template) is required');
  const where = 'spec.template.spec.template.spec';
  checkContainers(task.containers, where, false, fail);
  if (task.maxRetries !== undefined && (!isInt(task.maxRetries) || task.maxRetries < 0)) {
    fail(`${where}.maxRetries must be an integer >= 0, got ${JSON.stringify(task.maxRetries)}`);
  }
  if (task.timeoutSeconds !== undefined) {
    const t = int64(task.timeoutSeconds);
    if (t === undefined || t < 1 || t > MAX_JOB_TIMEOUT) {
      fail(`${where}.timeoutSeconds must be an integer (or integer string) in 1..${MAX_JOB_TIMEOUT}, got ${JSON.stringify(task.timeoutSeconds)}`);
    }
  }
}

export async function validateCloudRun(path: string, content: string, report: Report): Promise<void> {
  report.ran(path, 'yaml-parse');
  const { docs, errors } = parseYaml(content);
  errors.forEach((e) => report.fail(path, 'yaml-parse', e));
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (!isObject(doc)) {
      report.fail(path, 'cloudrun-rules', 'document is not a mapping');
      continue;
    }
    const what = describe(doc);
    const rules = (m: string) => report.fail(path, 'cloudrun-rules', `${what}: ${m}`);
    if (doc.apiVersion === 'serving.knative.dev/v1' && doc.kind === 'Service') {
      const { validator, errors: schemaErrors } = await validateManifest(doc);
      report.ran(path, validator ?? 'schema-lookup');
      schemaErrors.forEach((e) => report.fail(path, validator ?? 'schema-lookup', `${what}: ${e}`));
      report.ran(path, 'cloudrun-rules');
      checkService(doc, rules);
      checkStringMaps(doc, rules);
    } else if (doc.apiVersion === 'run.googleapis.com/v1' && doc.kind === 'Job') {
      report.ran(path, 'cloudrun-job-structure');
      checkJob(doc, (m) => report.fail(path, 'cloudrun-job-structure', `${what}: ${m}`));
      report.ran(path, 'cloudrun-rules');
      checkStringMaps(doc, rules);
    } else {
      report.fail(path, 'schema-lookup', `no schema for ${String(doc.apiVersion)} ${String(doc.kind)} (Cloud Run specs are serving.knative.dev/v1 Service or run.googleapis.com/v1 Job)`);
    }
  }
}
