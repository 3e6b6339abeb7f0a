/**
 * Helm charts (`<...>/helm/<chart>/Chart.yaml`), checked without a helm binary:
 *
 * - the Chart.yaml and templates/ rules that `helm lint --strict` enforces;
 * - values.yaml / values-<env>.yaml parse, and validate with ajv against values.schema.json
 *   (each env file deep-merged over values.yaml the way Helm coalesces values);
 * - every template rendered with Go's text/template (go-template wasm) once per values set,
 *   partials (`_*.tpl`) included so `{{ template "x" . }}` resolves as in Helm;
 * - rendered output: no `<no value>`, valid YAML, each document valid against its
 *   kubernetes-models / argo-rollouts / knative schema, plus cheap consistency checks
 *   (selectors, references between the objects of one render).
 */
import { extname, basename, get, isNonEmptyString, isObject, parseYaml, parseYamlSingle, errorText, DNS1123_SUBDOMAIN } from './common';
import type { JsonObject } from './common';
import { describe, validateManifest } from './kube-schema';
import { importValidator, VALIDATOR_PACKAGES } from './packages';
import type { Report } from './report';

/** A chart: a folder with a Chart.yaml (`deploy/helm/api/Chart.yaml` in slipway's output). */
export const CHART_FILE = /^(?:(.*)\/)?([^/]+)\/Chart\.yaml$/;
const ENV_VALUES = /^values-([^/]+)\.yaml$/;
const TEMPLATE_EXTENSIONS = new Set(['.yaml', '.yml', '.tpl', '.txt']);
/** SemVer 2.0.0, the official regular expression from semver.org. */
const SEMVER2 = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** Helm chart names: lowercase letters, digits and dashes (they end up in resource names). */
const CHART_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface ChartLocation {
  /** Path of the chart folder in the batch, e.g. `deploy/helm/api`. */
  readonly root: string;
  /** The folder name, which Chart.yaml's `name` must equal. */
  readonly name: string;
}

export function findCharts(paths: Iterable<string>): ChartLocation[] {
  const charts: ChartLocation[] = [];
  for (const p of paths) {
    const m = CHART_FILE.exec(p);
    if (m) charts.push({ root: p.slice(0, -'/Chart.yaml'.length), name: m[2] });
  }
  return charts;
}

/** Whether the chart validator owns a file (other files of the chart folder get generic checks). */
export function chartOwns(chart: ChartLocation, path: string): boolean {
  if (!path.startsWith(chart.root + '/')) return false;
  const rel = path.slice(chart.root.length + 1);
  return rel === 'Chart.yaml' || rel === 'values.yaml' || rel === 'values.schema.json'
    || ENV_VALUES.test(rel) || rel.startsWith('templates/');
}

// ---------------------------------------------------------------------------
// go-template

type Rendered = { readonly output: string } | { readonly error: string };
type GoRender = (template: string, data: unknown) => Promise<Rendered>;

let goRender: Promise<GoRender> | undefined;

function goTemplate(): Promise<GoRender> {
  goRender ??= (async () => {
    const mod = await importValidator<typeof import('@evertdespiegeleer/go-template', { with: { 'resolution-mode': 'import' } })>(VALIDATOR_PACKAGES.goTemplate);
    await mod.parse('', {}); // boots the wasm runtime, which installs globalThis.Render
    // The package's parse() keeps only the tail of exec errors and drops the position
    // (`tpl:12:5`) and the failing expression. Call the wasm export it wraps directly,
    // with the same result protocol, to keep them.
    const render = (globalThis as { Render?: (t: string, json: string) => string }).Render;
    if (typeof render !== 'function') {
      return async (t, data) => {
        try {
          return { output: await mod.parse(t, data) };
        } catch (err) {
          return { error: errorText(err) };
        }
      };
    }
    return async (t, data) => {
      const out = render(t, JSON.stringify(data));
      const m = /^(Template exec error|Template parse error|JSON parse error): ?/.exec(out);
      return m ? { error: out.slice(m[0].length) } : { output: out };
    };
  })();
  return goRender;
}

/**
 * Separates the template being rendered from the partials appended after it. Partials are
 * parsed in the same template set (so their `define`s resolve, as in Helm), and whatever
 * text they have outside `define` blocks is cut from the output at this marker.
 */
const PARTIALS_MARKER = '#@@ slipway-harness: partials follow @@';
const SEPARATOR = `\n${PARTIALS_MARKER}\n`;

interface Segment { readonly file: string; readonly firstLine: number }

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Maps `tpl:LINE[:COL]` in a Go error back to the file and line it came from. */
function locate(message: string, segments: Segment[]): { file: string; message: string } {
  let file = segments[0].file;
  const text = message.replace(/\btpl:(\d+)(?::(\d+))?/g, (_, l: string, c: string | undefined) => {
    const line = Number(l);
    const seg = [...segments].reverse().find((s) => line >= s.firstLine) ?? segments[0];
    file = seg.file;
    return `line ${line - seg.firstLine + 1}${c ? `:${c}` : ''}`;
  });
  return { file, message: text.replace(/^template: /, '').replace(/executing "tpl" /g, '') };
}

// ---------------------------------------------------------------------------
// values

/** Helm's coalescing of a values file over values.yaml: maps merge, anything else is replaced, a null deletes a key values.yaml has. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null && k in out) delete out[k];
    else out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

/** How Helm exposes Chart.yaml to templates: a Go struct, so every field exists, capitalized. */
function chartObject(chart: JsonObject): JsonObject {
  const fields: [string, string, unknown][] = [
    ['apiVersion', 'APIVersion', ''], ['name', 'Name', ''], ['version', 'Version', ''],
    ['kubeVersion', 'KubeVersion', ''], ['description', 'Description', ''], ['type', 'Type', ''],
    ['keywords', 'Keywords', []], ['home', 'Home', ''], ['sources', 'Sources', []],
    ['dependencies', 'Dependencies', []], ['maintainers', 'Maintainers', []], ['icon', 'Icon', ''],
    ['appVersion', 'AppVersion', ''], ['deprecated', 'Deprecated', false], ['annotations', 'Annotations', {}],
  ];
  const out: JsonObject = {};
  for (const [key, goName, zero] of fields) out[goName] = chart[key] ?? zero;
  return out;
}

const RELEASE = { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 };
const CAPABILITIES = {
  KubeVersion: { Version: 'v1.30.0', Major: '1', Minor: '30', GitVersion: 'v1.30.0' },
  APIVersions: ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'policy/v1', 'argoproj.io/v1alpha1'],
  HelmVersion: { Version: 'v3.16.0' },
};

/**
 * Helm's top-level objects for the templates of a chart (`chart`: its Chart.yaml) rendered with
 * `values`, as `helm template` gives them with its default release name; the validator adds
 * `Template` per template.
 */
export function helmObjects(values: unknown, chart: JsonObject): JsonObject {
  return { Values: values, Release: RELEASE, Chart: chartObject(chart), Capabilities: CAPABILITIES };
}

// ---------------------------------------------------------------------------
// ajv (values.schema.json)

interface AjvError { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }
type AjvValidate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

async function compileSchema(schema: unknown): Promise<{ validate?: AjvValidate; errors: string[] }> {
  // Both are CommonJS modules: the native import's `default` is their `module.exports`.
  type AjvClass = typeof import('ajv').default;
  type AddFormats = typeof import('ajv-formats').default;
  const { default: ajvModule } = await importValidator<{ default: { default: AjvClass } }>(VALIDATOR_PACKAGES.ajv);
  const { default: formatsModule } = await importValidator<{ default: { default: AddFormats } }>(VALIDATOR_PACKAGES.ajvFormats);
  const ajv = new ajvModule.default({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  formatsModule.default(ajv);
  if (!isObject(schema)) return { errors: ['schema is not a JSON object'] };
  if (schema.$schema !== undefined && !/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/.test(String(schema.$schema))) {
    return { errors: [`$schema must be draft-07 (Helm), got ${String(schema.$schema)}`] };
  }
  if (!ajv.validateSchema(schema)) return { errors: (ajv.errors ?? []).map(formatAjvError) };
  try {
    return { validate: ajv.compile(schema) as AjvValidate, errors: [] };
  } catch (err) {
    return { errors: [errorText(err)] };
  }
}

function formatAjvError(e: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }): string {
  const where = e.instancePath || '(root)';
  const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

// ---------------------------------------------------------------------------
// findings that repeat for several values sets are reported once, naming the sets

class Variants {
  private readonly entries = new Map<string, { file: string; validator: string; message: string; labels: string[] }>();
  add(file: string, validator: string, message: string, label: string): void {
    const key = `${file}\u0000${validator}\u0000${message}`;
    const e = this.entries.get(key) ?? { file, validator, message, labels: [] };
    if (!e.labels.includes(label)) e.labels.push(label);
    this.entries.set(key, e);
  }
  flush(report: Report): void {
    for (const e of this.entries.values()) report.fail(e.file, e.validator, `${e.message} (rendered with ${e.labels.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------
// consistency checks over the objects of one render

interface RenderedObject { readonly file: string; readonly doc: JsonObject }

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);

/** Pod template labels of every object that has one. */
function podLabelSets(objs: RenderedObject[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { doc } of objs) {
    const labels = doc.kind === 'Pod' ? get(doc, 'metadata', 'labels')
      : doc.kind === 'CronJob' ? get(doc, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels')
        : get(doc, 'spec', 'template', 'metadata', 'labels');
    if (isObject(labels)) out.push(labels);
  }
  return out;
}

/** Evaluates a LabelSelector (matchLabels + matchExpressions) against a label set. */
function selects(selector: unknown, labels: Record<string, unknown>): boolean {
  const matchLabels = get(selector, 'matchLabels');
  if (isObject(matchLabels) && !Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  const exprs = get(selector, 'matchExpressions');
  if (!Array.isArray(exprs)) return true;
  return exprs.every((e) => {
    const key = String(get(e, 'key'));
    const values = get(e, 'values');
    const list = Array.isArray(values) ? values : [];
    switch (get(e, 'operator')) {
      case 'In': return key in labels && list.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !list.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
}

function isEmptySelector(selector: unknown): boolean {
  const ml = get(selector, 'matchLabels');
  const me = get(selector, 'matchExpressions');
  return !(isObject(ml) && Object.keys(ml).length > 0) && !(Array.isArray(me) && me.length > 0);
}

/** Every `templateName` under a Rollout's strategy (canary steps, background and blue-green analyses). */
function analysisTemplateNames(strategy: unknown, out: string[] = []): string[] {
  if (Array.isArray(strategy)) {strategy.forEach((s) => analysisTemplateNames(s, out));} else if (isObject(strategy)) {
    if (typeof strategy.templateName === 'string' && strategy.clusterScope !== true) out.push(strategy.templateName);
    Object.values(strategy).forEach((v) => analysisTemplateNames(v, out));
  }
  return out;
}

function crossCheck(objs: RenderedObject[], label: string, variants: Variants, report: Report): void {
  const pods = podLabelSets(objs);
  const names = (kind: string) => new Set(objs.filter((o) => o.doc.kind === kind).map((o) => get(o.doc, 'metadata', 'name')));
  const services = names('Service');
  const sel = 'selector-consistency';
  const ref = 'cross-references';
  for (const { file, doc } of objs) {
    const what = describe(doc);
    if (WORKLOADS.has(String(doc.kind)) && !(doc.kind === 'Rollout' && get(doc, 'spec', 'workloadRef'))) {
      report.ran(file, sel);
      const selector = get(doc, 'spec', 'selector');
      const labels = get(doc, 'spec', 'template', 'metadata', 'labels');
      if (isEmptySelector(selector)) {variants.add(file, sel, `${what}: spec.selector is empty`, label);} else if (!selects(selector, isObject(labels) ? labels : {})) {
        variants.add(file, sel, `${what}: spec.selector ${JSON.stringify(selector)} does not match its pod template labels ${JSON.stringify(labels ?? {})}`, label);
      }
    }
    if (doc.kind === 'Service' && get(doc, 'spec', 'type') !== 'ExternalName') {
      const selector = get(doc, 'spec', 'selector');
      if (isObject(selector) && Object.keys(selector).length > 0) {
        report.ran(file, sel);
        if (!pods.some((p) => selects({ matchLabels: selector }, p))) {
          variants.add(file, sel, `${what}: selector ${JSON.stringify(selector)} matches no pod template in the chart`, label);
        }
      }
    }
    if (doc.kind === 'PodDisruptionBudget') {
      report.ran(file, sel);
      const selector = get(doc, 'spec', 'selector');
      if (!pods.some((p) => selects(selector, p))) variants.add(file, sel, `${what}: selector matches no pod template in the chart`, label);
    }
    if (doc.kind === 'HorizontalPodAutoscaler') {
      report.ran(file, ref);
      const kind = get(doc, 'spec', 'scaleTargetRef', 'kind');
      const name = get(doc, 'spec', 'scaleTargetRef', 'name');
      if (!objs.some((o) => o.doc.kind === kind && get(o.doc, 'metadata', 'name') === name)) {
        variants.add(file, ref, `${what}: scaleTargetRef ${String(kind)}/${String(name)} is not in the chart`, label);
      }
    }
    if (doc.kind === 'Rollout') {
      report.ran(file, ref);
      const strategy = get(doc, 'spec', 'strategy');
      const serviceFields: [string, string][] = [
        ['canary', 'canaryService'], ['canary', 'stableService'], ['blueGreen', 'activeService'], ['blueGreen', 'previewService'],
      ];
      for (const [kind, field] of serviceFields) {
        const name = get(strategy, kind, field);
        if (name !== undefined && !services.has(name)) {
          variants.add(file, ref, `${what}: strategy.${kind}.${field} "${String(name)}" is not a Service in the chart`, label);
        }
      }
      const templates = names('AnalysisTemplate');
      for (const t of analysisTemplateNames(strategy)) {
        if (!templates.has(t)) variants.add(file, ref, `${what}: analysis template "${t}" is not in the chart`, label);
      }
    }
    if (doc.kind === 'Ingress') {
      report.ran(file, ref);
      const backends = [get(doc, 'spec', 'defaultBackend', 'service', 'name')];
      const rules = get(doc, 'spec', 'rules');
      for (const r of Array.isArray(rules) ? rules : []) {
        const paths = get(r, 'http', 'paths');
        for (const p of Array.isArray(paths) ? paths : []) backends.push(get(p, 'backend', 'service', 'name'));
      }
      for (const b of backends) {
        if (b !== undefined && !services.has(b)) variants.add(file, ref, `${what}: backend service "${String(b)}" is not in the chart`, label);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// the chart

export async function validateChart(chart: ChartLocation, batch: ReadonlyMap<string, string>, report: Report): Promise<void> {
  const at = (rel: string) => `${chart.root}/${rel}`;
  const rels = [...batch.keys()].filter((p) => chartOwns(chart, p)).map((p) => p.slice(chart.root.length + 1)).sort();
  const lint = 'helm-lint-rules';

  // Chart.yaml -------------------------------------------------------------
  const chartPath = at('Chart.yaml');
  const parsedChart = parseYamlSingle(batch.get(chartPath)!);
  report.ran(chartPath, 'yaml-parse');
  parsedChart.errors.forEach((e) => report.fail(chartPath, 'yaml-parse', e));
  const meta: JsonObject = isObject(parsedChart.value) ? parsedChart.value : {};
  report.ran(chartPath, lint);
  if (parsedChart.errors.length === 0 && !isObject(parsedChart.value)) report.fail(chartPath, lint, 'Chart.yaml is not a mapping');
  if (meta.apiVersion !== 'v2') report.fail(chartPath, lint, `apiVersion must be "v2", got ${JSON.stringify(meta.apiVersion)}`);
  if (meta.name !== chart.name) report.fail(chartPath, lint, `name ${JSON.stringify(meta.name)} must equal the chart folder name "${chart.name}"`);
  else if (!CHART_NAME.test(chart.name)) report.fail(chartPath, lint, `chart name "${chart.name}" must be lowercase letters, digits and dashes`);
  if (typeof meta.version !== 'string' || !SEMVER2.test(meta.version)) {
    report.fail(chartPath, lint, `version ${JSON.stringify(meta.version)} is not a SemVer 2 string`);
  }
  if (!isNonEmptyString(meta.description)) report.fail(chartPath, lint, 'description is missing');
  if (meta.appVersion !== undefined && typeof meta.appVersion !== 'string') {
    report.fail(chartPath, lint, `appVersion must be a string (quote it), got ${JSON.stringify(meta.appVersion)}`);
  }
  if (meta.type !== undefined && meta.type !== 'application' && meta.type !== 'library') {
    report.fail(chartPath, lint, `type must be "application" or "library", got ${JSON.stringify(meta.type)}`);
  }

  // templates/ ------------------------------------------------------------
  const templateRels = rels.filter((r) => r.startsWith('templates/'));
  if (templateRels.length === 0) report.fail(chartPath, lint, 'templates/ is missing or empty');
  for (const r of templateRels) {
    report.ran(at(r), lint);
    if (!TEMPLATE_EXTENSIONS.has(extname(r))) {
      report.fail(at(r), lint, `file extension "${extname(r)}" is not valid in templates/ (use .yaml, .yml, .tpl or .txt)`);
    }
  }
  const partials = templateRels.filter((r) => basename(r).startsWith('_'));
  const renderables = templateRels.filter((r) => !basename(r).startsWith('_') && TEMPLATE_EXTENSIONS.has(extname(r)));

  // values ----------------------------------------------------------------
  const valueSets: { label: string; file: string; values: JsonObject }[] = [];
  let base: JsonObject = {};
  const readValues = (rel: string): JsonObject | undefined => {
    const { value, errors } = parseYamlSingle(batch.get(at(rel))!);
    report.ran(at(rel), 'yaml-parse');
    errors.forEach((e) => report.fail(at(rel), 'yaml-parse', e));
    if (errors.length > 0) return undefined;
    if (value === null) return {};
    if (isObject(value)) return value;
    report.fail(at(rel), 'yaml-parse', 'values file is not a mapping');
    return undefined;
  };
  if (rels.includes('values.yaml')) {
    const v = readValues('values.yaml');
    if (v) valueSets.push({ label: 'values.yaml', file: 'values.yaml', values: (base = v) });
  } else {
    valueSets.push({ label: 'values.yaml', file: 'Chart.yaml', values: {} }); // Helm renders with empty values
  }
  for (const r of rels.filter((x) => ENV_VALUES.test(x))) {
    const v = readValues(r);
    if (v) valueSets.push({ label: r, file: r, values: mergeValues(base, v) as JsonObject });
  }

  // values.schema.json ------------------------------------------------------
  if (rels.includes('values.schema.json')) {
    const schemaPath = at('values.schema.json');
    report.ran(schemaPath, 'json-parse');
    let schema: unknown;
    try {
      schema = JSON.parse(batch.get(schemaPath)!);
    } catch (err) {
      report.fail(schemaPath, 'json-parse', errorText(err));
    }
    if (schema !== undefined) {
      await report.guard(schemaPath, 'ajv', async () => {
        const { validate, errors } = await compileSchema(schema);
        errors.forEach((e) => report.fail(schemaPath, 'ajv', `invalid draft-07 schema: ${e}`));
        if (!validate) return;
        for (const set of valueSets) {
          const file = at(set.file);
          report.ran(file, 'ajv');
          if (!validate(set.values)) {
            const merged = ENV_VALUES.test(set.file) ? ' (merged over values.yaml)' : '';
            for (const e of validate.errors ?? []) report.fail(file, 'ajv', `${formatAjvError(e)}${merged}`);
          }
        }
      });
    }
  }

  // render ----------------------------------------------------------------
  if (renderables.length === 0) return;
  const render = await goTemplate();
  const variants = new Variants();
  const partialTexts = partials.map((r) => batch.get(at(r))!);
  for (const set of valueSets) {
    const goValidator = `go-template(${set.label})`;
    const objs: RenderedObject[] = [];
    let complete = true; // false once a template of this values set failed to render or parse
    for (const r of renderables) {
      const file = at(r);
      const main = batch.get(file)!;
      const segments: Segment[] = [{ file, firstLine: 1 }];
      let next = 1 + countNewlines(main) + 2;
      partials.forEach((p, i) => {
        segments.push({ file: at(p), firstLine: next });
        next += countNewlines(partialTexts[i]) + 2;
      });
      report.ran(file, goValidator);
      partials.forEach((p) => report.ran(at(p), goValidator));
      const data = {
        ...helmObjects(set.values, meta),
        Template: { Name: `${chart.name}/${r}`, BasePath: `${chart.name}/templates` },
      };
      const result = await render([main, ...partialTexts].join(SEPARATOR), data);
      if ('error' in result) {
        const { file: where, message } = locate(result.error, segments);
        report.fail(where, goValidator, where === file ? message : `${message} (while rendering ${r})`);
        complete = false;
        continue;
      }
      const cut = result.output.indexOf(PARTIALS_MARKER);
      const output = cut >= 0 ? result.output.slice(0, cut) : result.output;
      output.split('\n').forEach((line, i) => {
        if (line.includes('<no value>')) report.fail(file, goValidator, `output line ${i + 1} renders "<no value>" (a value the template reads is null): ${line.trim()}`);
      });
      if (basename(r) === 'NOTES.txt' || output.trim() === '') continue;

      // rendered manifests
      report.ran(file, 'yaml-parse');
      const parsed = parseYaml(output);
      parsed.errors.forEach((e) => variants.add(file, 'yaml-parse', `rendered output: ${e}`, set.label));
      if (parsed.errors.length > 0) complete = false;
      for (const doc of parsed.docs) {
        if (doc === null || doc === undefined) continue;
        report.ran(file, lint);
        if (!isObject(doc)) {
          variants.add(file, lint, `rendered document is not a mapping: ${JSON.stringify(doc).slice(0, 80)}`, set.label);
          continue;
        }
        if (Object.keys(doc).length === 0) continue;
        const name = get(doc, 'metadata', 'name');
        if (!isNonEmptyString(doc.apiVersion) || !isNonEmptyString(doc.kind)) {
          variants.add(file, lint, `${describe(doc)}: apiVersion and kind are required`, set.label);
        } else if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
          variants.add(file, lint, `${describe(doc)}: metadata.name must be a DNS-1123 subdomain`, set.label);
        } else if (doc.kind === 'Service' && (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)) {
          variants.add(file, lint, `${describe(doc)}: a Service name must be a DNS-1035 label (max 63)`, set.label);
        }
        const schema = await validateManifest(doc);
        const validator = schema.validator ?? 'schema-lookup';
        report.ran(file, validator);
        for (const e of schema.errors) variants.add(file, validator, `${describe(doc)}: ${e}`, set.label);
        objs.push({ file, doc });
      }
    }
    // Checks across objects need the whole render: after a failure they would only add noise.
    if (!complete) continue;
    // Duplicates would make `helm install` fail.
    const seen = new Map<string, string>();
    for (const { file, doc } of objs) {
      const key = `${String(doc.apiVersion).split('/')[0]}/${describe(doc)}/${String(get(doc, 'metadata', 'namespace') ?? '')}`;
      if (seen.has(key)) variants.add(file, lint, `${describe(doc)} is also rendered by ${seen.get(key)}`, set.label);
      else seen.set(key, file);
    }
    crossCheck(objs, set.label, variants, report);
  }
  variants.flush(report);
}
