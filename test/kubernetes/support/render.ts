import * as YAML from 'yaml';
import { mergeValues } from '../../../src/cli/validators/helm';
import { callValidationThread } from '../../support/harness';

/** Helm's coalescing (maps merge, anything else is replaced, null deletes): the validator's own. */
export const merge = (base: any, over: any): any => mergeValues(base, over);

/** One rendered chart: template → its parsed documents (empty when gated off), and the raw text. */
export interface RenderedChart {
  readonly docs: { [template: string]: any[] };
  readonly text: { [template: string]: string };
  /** All documents of one kind (optionally with a name). */
  of(kind: string, name?: string): any[];
  /** The one document of a kind and name; throws unless exactly one. */
  one(kind: string, name: string): any;
}

/**
 * Renders every template of the chart in `chartDir` with values.yaml, then
 * the given values files (names inside the chart), then `set` (like `--set`),
 * merged in that order. Throws on any render error.
 */
export function renderChart(files: { [path: string]: string }, chartDir: string, valuesFiles: string[] = [], set: any = {}): RenderedChart {
  const prefix = `${chartDir}/`;
  const chart = YAML.parse(files[`${prefix}Chart.yaml`]);
  let values = YAML.parse(files[`${prefix}values.yaml`]) ?? {};
  for (const f of valuesFiles) values = merge(values, YAML.parse(files[`${prefix}${f}`]) ?? {});
  values = merge(values, set);
  const templates: { [file: string]: string } = {};
  for (const [p, c] of Object.entries(files)) if (p.startsWith(`${prefix}templates/`)) templates[p.slice(prefix.length)] = c;
  // Go's text/template (the go-template wasm build) with Helm's top-level objects, in the harness's thread.
  const outputs = callValidationThread<{ [file: string]: { output?: string; error?: string } }>({ op: 'render', templates, values, chart });
  const docs: { [file: string]: any[] } = {};
  const text: { [file: string]: string } = {};
  for (const [file, r] of Object.entries(outputs)) {
    if (r.error !== undefined) throw new Error(`${file}: ${r.error}`);
    text[file] = r.output!;
    docs[file] = file.endsWith('.txt') ? [] : YAML.parseAllDocuments(r.output!).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
  }
  const all = () => Object.values(docs).flat();
  return {
    docs,
    text,
    of: (kind, name) => all().filter((d) => d.kind === kind && (name === undefined || d.metadata?.name === name)),
    one: (kind, name) => {
      const found = all().filter((d) => d.kind === kind && d.metadata?.name === name);
      if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}; rendered: ${all().map((d) => `${d.kind}/${d.metadata?.name}`).join(', ')}`);
      return found[0];
    },
  };
}
