/**
 * Schema validation of Kubernetes-style manifests with the kubernetes-models packages.
 *
 * - `kubernetes-models` 4.x: every built-in group (core `v1`, `apps/v1`, `batch/v1`,
 *   `networking.k8s.io/v1`, `autoscaling/v2`, `policy/v1`, rbac, ...).
 * - `@kubernetes-models/argo-rollouts`: `argoproj.io/v1alpha1` (Rollout, AnalysisTemplate, ...).
 * - `@kubernetes-models/knative`: `*.knative.dev` groups (serving.knative.dev/v1 Service, ...).
 *
 * Each model module is imported on demand (`<package>/<apiVersion>/<Kind>`), so a batch
 * only pays for the kinds it contains. Note: these schemas do not reject unknown fields.
 */
import { errorText, isObject } from './common';
import { importValidator, MissingValidatorError } from './packages';

/** Which validator (package) covers an apiVersion, and the module prefix of its models. */
function packageFor(apiVersion: string): { validator: string; prefix: string } {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === 'argoproj.io') return { validator: 'argo-rollouts', prefix: '@kubernetes-models/argo-rollouts' };
  if (group.endsWith('.knative.dev')) return { validator: 'knative', prefix: '@kubernetes-models/knative' };
  return { validator: 'kubernetes-models', prefix: 'kubernetes-models' };
}

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: unknown): { validate(): void };
}

const cache = new Map<string, ModelClass | null>();

async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | null> {
  const key = `${apiVersion}/${kind}`;
  if (cache.has(key)) return cache.get(key)!;
  let model: ModelClass | null = null;
  // Only plain identifiers reach the import specifier (no path tricks from the YAML).
  if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      const mod = await importValidator<Record<string, unknown>>(packageFor(apiVersion).prefix, `${apiVersion}/${kind}`);
      const candidate = mod[kind] as ModelClass | undefined;
      // Guard against helper types that share the folder (e.g. DeploymentSpec is not a kind).
      if (typeof candidate === 'function' && candidate.apiVersion === apiVersion && candidate.kind === kind) {
        model = candidate;
      }
    } catch (err) {
      if (err instanceof MissingValidatorError) throw err;
      model = null; // module not found: no schema for this apiVersion/kind
    }
  }
  cache.set(key, model);
  return model;
}

export type SchemaResult =
  | { readonly validator: string; readonly errors: string[] }
  | { readonly validator: null; readonly errors: string[] };

/**
 * Validates one manifest against the schema of its apiVersion/kind.
 * `validator` is the package that checked it, or `null` when none has a schema for it
 * (then `errors` holds a single "no schema for ..." message).
 */
export async function validateManifest(doc: unknown): Promise<SchemaResult> {
  if (!isObject(doc)) return { validator: null, errors: ['manifest is not a mapping'] };
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { validator: null, errors: ['manifest has no apiVersion/kind'] };
  }
  const model = await loadModel(apiVersion, kind);
  if (!model) return { validator: null, errors: [`no schema for ${apiVersion} ${kind}`] };
  const { validator } = packageFor(apiVersion);
  try {
    new model(doc).validate();
    return { validator, errors: [] };
  } catch (err) {
    // ajv messages come joined as "data/a must be x, data/b must be y".
    return { validator, errors: errorText(err).split(/, (?=data[/ ])/) };
  }
}

/** `Kind/name` for messages. */
export function describe(doc: unknown): string {
  if (!isObject(doc)) return '(not a mapping)';
  const name = isObject(doc.metadata) ? doc.metadata.name : undefined;
  return `${String(doc.kind ?? '?')}/${String(name ?? '?')}`;
}
