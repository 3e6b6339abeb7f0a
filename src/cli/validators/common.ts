/** Small helpers shared by the validator modules: YAML parsing and type guards. */
import { parseAllDocuments } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

export interface ParsedYaml {
  /** One entry per YAML document, already converted to plain JS (`null` for empty documents). */
  readonly docs: unknown[];
  /** Parse errors and warnings, each with its line. Empty when the text is valid YAML. */
  readonly errors: string[];
}

/**
 * Parses a (possibly multi-document) YAML stream. Duplicate keys are errors, and
 * warnings count as errors as well: our output should not rely on any leniency.
 */
export function parseYaml(text: string): ParsedYaml {
  const docs: unknown[] = [];
  const errors: string[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true })) {
    for (const e of [...doc.errors, ...doc.warnings]) errors.push(oneLine(e.message));
    if (doc.errors.length === 0) docs.push(doc.toJS({ maxAliasCount: 100 }));
  }
  return { docs, errors };
}

/** Parses a single-document YAML file; `errors` is non-empty on failure or on more than one document. */
export function parseYamlSingle(text: string): { value: unknown; errors: string[] } {
  const { docs, errors } = parseYaml(text);
  if (errors.length === 0 && docs.length > 1) errors.push(`expected one YAML document, found ${docs.length}`);
  return { value: docs[0] ?? null, errors };
}

/** YAML's pretty errors span several lines (with a code frame); keep the first line only. */
export function oneLine(message: string): string {
  return message.split('\n')[0].trim().replace(/:$/, '');
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/** Reads a nested property (`get(doc, 'spec', 'template')`), `undefined` when any step is missing. */
export function get(v: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = v;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

/** RFC 1123 label: what Kubernetes requires for most names that become DNS labels. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes requires for most object names. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function extname(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
