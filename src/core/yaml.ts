import * as YAML from 'yaml';
import { emitYaml } from './yaml-emitter';

/**
 * Options for {@link toYaml}.
 * @internal
 */
export interface ToYamlOptions {
  /**
   * Serialize for YAML 1.1 readers (Kubernetes, Helm, gcloud), which treat
   * `on`, `yes`, `no`, `y` and `n` as booleans: such strings get quoted.
   * Workflows are read as YAML 1.2, where `on` is a plain key.
   * @default false
   */
  readonly yaml11?: boolean;
}

/**
 * Deterministic YAML: keys in insertion order (renderers build objects in the
 * order the engine's docs use), no line folding, literal block scalars for
 * multi-line strings, no anchors/aliases, `undefined` dropped. Written by
 * the fast emitter (yaml-emitter.ts), which supports all plain data,
 * commented string scalars and node trees with comments before keys (the
 * commented values.yaml), and whose output reads back as the same data in
 * YAML 1.2 and, with `yaml11`, in YAML 1.1 too; other YAML nodes, dates and
 * non-finite numbers go to the `yaml` package, whose style it shares.
 * @internal
 */
export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  const fast = emitYaml(value, options.yaml11 === true);
  if (fast !== undefined) return fast;
  const doc = new YAML.Document(prune(value), {
    version: options.yaml11 ? '1.1' : '1.2',
    aliasDuplicateObjects: false,
  });
  return doc.toString({
    lineWidth: 0,
    minContentWidth: 0,
    blockQuote: 'literal',
    indentSeq: true,
    nullStr: 'null',
  });
}

/**
 * Several YAML documents separated by `---`.
 * @internal
 */
export function toYamlStream(values: unknown[], options: ToYamlOptions = {}): string {
  return values.map((v) => toYaml(v, options)).join('---\n');
}

/**
 * Deterministic JSON with two-space indentation and a trailing newline.
 * @internal
 */
export function toJson(value: unknown): string {
  return JSON.stringify(prune(value), undefined, 2) + '\n';
}

/**
 * Removes `undefined` members (recursively) so they never reach the output;
 * empty objects and arrays are kept, because they can be meaningful
 * (`workflow_dispatch: {}`).
 * @internal
 */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== undefined).map(prune);
  }
  if (YAML.isNode(value) || YAML.isPair(value)) return value; // pre-built nodes (e.g. a scalar with a comment)
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = prune(v);
    }
    return out;
  }
  return value;
}
