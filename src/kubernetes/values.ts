/**
 * A JSON Schema (draft-07) fragment.
 * @internal
 */
export type JsonSchema = { [key: string]: unknown };

interface Leaf {
  readonly value: unknown;
  readonly schema: JsonSchema;
}

/**
 * values.yaml and its values.schema.json, built together: every value is
 * declared with its schema, in the order it appears in values.yaml.
 * @internal
 */
export class ValuesBuilder {
  private readonly root = new Map<string, Leaf | ValuesNode>();
  private readonly docs = new Map<string, string>();

  /** Declares a value at a dotted path with its default and schema. */
  public set(path: string, value: unknown, schema: JsonSchema, description?: string): void {
    const parts = path.split('.');
    let node = this.root;
    for (const p of parts.slice(0, -1)) {
      let next = node.get(p);
      if (next === undefined) {
        next = new ValuesNode();
        node.set(p, next);
      }
      if (!(next instanceof ValuesNode)) throw new Error(`internal error: value "${path}" is below the scalar "${p}"`);
      node = next.children;
    }
    const last = parts[parts.length - 1];
    if (node.has(last)) throw new Error(`internal error: value "${path}" is declared twice`);
    node.set(last, { value, schema });
    if (description) this.docs.set(path, description);
  }

  /** Adds a condition (draft-07 `if`/`then`) to the object at `path`. */
  public require(path: string, condition: JsonSchema, then: JsonSchema): void {
    const node = this.nodeAt(path);
    node.conditions.push({ if: condition, then });
  }

  /** The values.yaml content. */
  public values(): { [key: string]: unknown } {
    return toValues(this.root);
  }

  /** The values.schema.json content. */
  public schema(title: string): JsonSchema {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title,
      ...toSchema(this.root, [], this.docs),
    };
  }

  private nodeAt(path: string): ValuesNode {
    let node: Map<string, Leaf | ValuesNode> = this.root;
    let found: ValuesNode | undefined;
    for (const p of path.split('.')) {
      const next = node.get(p);
      if (!(next instanceof ValuesNode)) throw new Error(`internal error: no values object at "${path}"`);
      found = next;
      node = next.children;
    }
    return found!;
  }
}

class ValuesNode {
  public readonly children = new Map<string, Leaf | ValuesNode>();
  public readonly conditions: JsonSchema[] = [];
}

function toValues(map: Map<string, Leaf | ValuesNode>): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of map) out[k] = v instanceof ValuesNode ? toValues(v.children) : v.value;
  return out;
}

function toSchema(map: Map<string, Leaf | ValuesNode>, path: string[], docs: Map<string, string>, conditions: JsonSchema[] = []): JsonSchema {
  const properties: { [key: string]: JsonSchema } = {};
  for (const [k, v] of map) {
    const here = [...path, k];
    const description = docs.get(here.join('.'));
    const schema = v instanceof ValuesNode ? toSchema(v.children, here, docs, v.conditions) : v.schema;
    properties[k] = description ? { description, ...schema } : schema;
  }
  const out: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    required: [...map.keys()],
    properties,
  };
  if (conditions.length === 1) Object.assign(out, conditions[0]);
  else if (conditions.length > 1) out.allOf = conditions;
  return out;
}

/** Schema helpers. @internal */
export const S = {
  string: (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra }),
  boolean: (): JsonSchema => ({ type: 'boolean' }),
  integer: (minimum: number, maximum?: number): JsonSchema => ({ type: 'integer', minimum, ...(maximum !== undefined ? { maximum } : {}) }),
  /** A Kubernetes quantity, as a string or a number. */
  quantity: (): JsonSchema => ({ type: ['string', 'number'], pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$', minimum: 0 }),
  /** An int-or-percent (`1` or `"25%"`). */
  intOrPercent: (): JsonSchema => ({ type: ['string', 'integer'], pattern: '^[0-9]+%?$', minimum: 0 }),
  /** A map of strings with keys matching `keyPattern`. */
  stringMap: (keyPattern: string): JsonSchema => ({
    type: 'object',
    propertyNames: { pattern: keyPattern },
    additionalProperties: { type: ['string', 'number', 'boolean'] },
  }),
  enum: (values: string[]): JsonSchema => ({ type: 'string', enum: values }),
  /** A duration in Argo Rollouts form (`30s`, `5m`, `1h`). */
  duration: (): JsonSchema => ({ type: 'string', pattern: '^[0-9]+(s|m|h)$' }),
};

/**
 * Paths under which values are free-form maps (any key is allowed in an
 * environment's overrides).
 * @internal
 */
export function isFreeFormMap(schema: JsonSchema): boolean {
  return typeof schema.additionalProperties === 'object' || schema.additionalProperties === true;
}

/**
 * Checks that every leaf of `overrides` exists in values.yaml (or lies in a
 * free-form map); returns the problems.
 * @internal
 */
export function checkOverrides(overrides: unknown, values: unknown, schema: JsonSchema, prefix: string[] = []): string[] {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return [];
  if (isFreeFormMap(schema)) return [];
  const problems: string[] = [];
  const props = (schema.properties ?? {}) as { [key: string]: JsonSchema };
  for (const [k, v] of Object.entries(overrides as object)) {
    const here = [...prefix, k];
    if (!(k in props)) {
      problems.push(`"${here.join('.')}" is not a value of the chart; values under ${prefix.length ? `"${prefix.join('.')}"` : 'the root'} are: ${Object.keys(props).join(', ')}`);
      continue;
    }
    const sub = props[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (sub.type !== 'object') {
        problems.push(`"${here.join('.')}" is a ${String(sub.type)} in values.yaml, not a map`);
        continue;
      }
      problems.push(...checkOverrides(v, (values as any)?.[k], sub, here));
    }
  }
  return problems;
}

/**
 * Helm's coalescing of values: maps merge, anything else is replaced, and
 * a null deletes the key of the values below it (a null for a key they do
 * not have stays, as in Helm's chartutil coalesceValues; the validator's
 * `mergeValues` in src/cli/validators/helm.ts is the same rule).
 * @internal
 */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: { [key: string]: unknown } = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null && k in out) delete out[k];
    else out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

function isPlainObject(x: unknown): x is { [key: string]: unknown } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
