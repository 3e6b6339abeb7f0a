import { randomBytes } from 'crypto';
import * as path from 'path';
import { EngineFs, NODE_FS, rememberingDirs } from './engine-fs';
import { SlipwayError } from './errors';
import { byPath, contentHash, FileSink, GeneratedFile, headerMarks, manifestOf, MANIFEST_PATH, STATE_DIR } from './synthesis';

/*
 * The output engine: the only code that writes or deletes files of a synthesis.
 *
 * A write is a transaction in three steps:
 *   1. plan (read-only): the manifest and every path are checked; nothing is
 *      touched unless the whole plan is sound;
 *   2. stage: each new content goes to `.slipway/staging/<token>.<n>`, then the rename
 *      plan to `.slipway/staging/journal`, which is renamed to
 *      `.slipway/journal.json`: that rename is the commit point;
 *   3. apply the journal: rename staged files into place, delete stale files,
 *      write the manifest last, remove the staging directory and the journal.
 * Every step of 3 can be repeated, so the next run (`recoverOutput`) completes
 * a committed journal, and discards a staging directory without one.
 *
 * A synthesis streams its files into an `OutputWriter`: each file is planned
 * (step 1) and, while the plan holds no problem, staged (step 2) as soon as
 * it is rendered, so that no more than one file's text is kept at a time.
 * The deletions, the manifest and the journal follow once every file is in.
 * A synthesis or a plan with a problem removes what it staged: the tree is
 * never touched. At the commit, the manifest and every file to write are
 * looked at again: a change made on disk while the definition rendered
 * refuses the write. A staging directory without a journal, left by an
 * interrupted write, is removed when the writer starts; a committed journal
 * is completed only at the commit, so the writer keeps the files until then.
 * Two writes of one directory at once: staged names carry a token of their
 * write, and the staged files and the absence of another journal are
 * confirmed before the commit point, so the one that loses fails before it.
 */

/** The staging directory, relative to the output directory. */
export const STAGING_DIR = `${STATE_DIR}/staging`;
/** The journal of a committed write, relative to the output directory. */
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;
const JOURNAL_STAGED = 'journal';
const HASH = /^[0-9a-f]{64}$/;
/** A staged file's name in a journal: `<token>.<n>` (or `<n>`, as older versions wrote it). */
const STAGED_NAME = /^(?:[0-9a-f]{12}\.)?\d+$/;
/** Temporary files of slipway versions that staged beside each target. */
const LEGACY_TEMP = /^\..+\.slipway-\d+\.tmp$/;
const GIT_CHECKOUT = `git checkout -- ${MANIFEST_PATH}`;

/**
 * A difference between the desired output and what is on disk.
 */
export interface Drift {
  /** The file, relative to the output directory. */
  readonly path: string;
  /**
   * `missing`, `changed`, `stale` (generated before, no longer generated,
   * still on disk), `temp` (a temporary file of an interrupted write) or
   * `interrupted` (a write was interrupted; the next `slipway synth` completes it).
   */
  readonly kind: string;
}

/**
 * What a write did.
 */
export interface WriteResult {
  /** Files written (new or changed). */
  readonly written: string[];
  /** Files left as they were because their content was current. */
  readonly unchanged: string[];
  /** Stale generated files removed. */
  readonly removed: string[];
}

/**
 * Options of a write.
 * @internal
 */
export interface WriteOptions {
  /** Overwrite or delete generated files that were edited by hand. */
  readonly force?: boolean;
  /** Treat files whose header names this definition file as generated (a lost manifest). */
  readonly adopt?: boolean;
  /** The definition file the headers name (for `adopt`). */
  readonly sourceFile?: string;
  /** The file system (tests inject faults). */
  readonly fs?: EngineFs;
}

/**
 * A write that failed. `touched` lists what was changed on disk before the
 * failure (empty: nothing was written or deleted); `pending` what a
 * committed journal still has to do (the next synthesis completes it).
 * @internal
 */
export class OutputError extends SlipwayError {
  constructor(
    problems: string[],
    public readonly touched: string[] = [],
    public readonly pending: string[] = [],
  ) {
    super(problems);
  }
}

type Op =
  | { readonly op: 'write'; readonly path: string; readonly staged: string; readonly hash: string }
  | { readonly op: 'delete'; readonly path: string; readonly hash: string | null };

interface Journal {
  readonly version: 1;
  readonly ops: Op[];
}

/** What recovery did. @internal */
export interface Recovery {
  /** `completed` (a committed journal was applied) or `discarded` (staging without a journal was removed). */
  readonly action: 'completed' | 'discarded';
  readonly touched: string[];
  /** Stale files the journal meant to delete whose content changed since; left in place. */
  readonly kept: string[];
}

// ---------------------------------------------------------------------------
// Paths: validation and inspection without following symbolic links.

/**
 * Checks a path recorded in the manifest or the journal: relative, with
 * forward slashes, normalized, no `.` or `..` segment, not inside `.slipway/`.
 * Returns the reason it is refused, or undefined.
 * @internal
 */
export function badEntry(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'is not a file path';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash (paths use forward slashes)';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is an absolute path';
  const parts = p.split('/');
  if (parts.some((s) => s === '..')) return 'leaves the output directory (..)';
  if (parts.some((s) => s === '.' || s === '')) return 'is not normalized';
  if (parts[0] === STATE_DIR) return `names slipway's own state in ${STATE_DIR}/`;
  if (parts.includes('.git')) return 'is inside a .git directory';
  return undefined;
}

type Inspection =
  | { readonly kind: 'none' | 'file' }
  | { readonly kind: 'blocked'; readonly reason: string };

/**
 * What is at `rel` inside `outdir`, looking at every path component with
 * lstat: a symbolic link or a non-directory on the way blocks the path.
 */
function inspect(fsx: EngineFs, outdir: string, rel: string): Inspection {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const sub = parts.slice(0, i + 1).join('/');
    const kind = fsx.kind(path.join(outdir, sub));
    const last = i === parts.length - 1;
    if (kind === 'none') return { kind: 'none' };
    if (kind === 'symlink') return { kind: 'blocked', reason: `${last ? 'is' : `goes through "${sub}", which is`} a symbolic link; slipway never writes or deletes through one` };
    if (last) {
      if (kind === 'file') return { kind: 'file' };
      return { kind: 'blocked', reason: kind === 'dir' ? 'is a directory' : 'is not a regular file' };
    }
    if (kind !== 'dir') return { kind: 'blocked', reason: `goes through "${sub}", which is not a directory` };
  }
  return { kind: 'none' };
}

function lf(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

/** Same text, where a CRLF checkout of a file counts as the file. */
function sameText(disk: string, wanted: string): boolean {
  return disk === wanted || lf(disk) === lf(wanted);
}

function matchesHash(disk: string, hash: string): boolean {
  return contentHash(disk) === hash || contentHash(lf(disk)) === hash;
}

/**
 * Whether a file can be a slipway output: it starts with slipway's header,
 * or it is of a kind that cannot carry one (JSON, plain text).
 */
function recognisable(rel: string, disk: string): boolean {
  return /\.(json|txt)$/.test(rel) || /^(# |<!-- )Generated by slipway from /.test(lf(disk));
}

function carriesHeader(disk: string, sourceFile: string | undefined): boolean {
  if (!sourceFile) return false;
  const text = lf(disk);
  return headerMarks(sourceFile).some((m) => text.startsWith(m));
}

// ---------------------------------------------------------------------------
// The manifest.

interface Previous {
  /** The manifest's text, undefined when there is none. */
  readonly text?: string;
  readonly files: Map<string, string>;
}

/**
 * Reads and validates the manifest of a previous synthesis. A manifest that
 * is not a file, not JSON, or has an entry that is not a plain relative path
 * with a sha256 is an error: it is never used to write or delete anything.
 * @internal
 */
export function readPrevious(outdir: string, fsx: EngineFs = NODE_FS): Previous {
  const at = inspect(fsx, outdir, MANIFEST_PATH);
  if (at.kind === 'none') return { files: new Map() };
  const fix = `restore it (\`${GIT_CHECKOUT}\`), or delete it and run \`slipway synth --adopt\``;
  if (at.kind === 'blocked') throw new SlipwayError([`${MANIFEST_PATH} ${at.reason}; ${fix}`]);
  const text = fsx.read(path.join(outdir, MANIFEST_PATH));
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SlipwayError([`${MANIFEST_PATH} is not valid JSON (${(e as Error).message}); ${fix}`]);
  }
  if (!parsed || typeof parsed !== 'object' || parsed.version !== 1 || !parsed.files || typeof parsed.files !== 'object' || Array.isArray(parsed.files)) {
    throw new SlipwayError([`${MANIFEST_PATH} is not a slipway manifest (expected {"version": 1, "files": {path: sha256}}); ${fix}`]);
  }
  const problems: string[] = [];
  const files = new Map<string, string>();
  for (const [entry, hash] of Object.entries(parsed.files)) {
    const bad = badEntry(entry);
    if (bad) problems.push(`${MANIFEST_PATH} entry ${JSON.stringify(entry)} ${bad}; entries are paths inside the output directory; ${fix}`);
    else if (typeof hash !== 'string' || !HASH.test(hash)) problems.push(`${MANIFEST_PATH} entry ${JSON.stringify(entry)} has no sha256 hash; ${fix}`);
    else files.set(entry, hash);
  }
  if (problems.length) throw new SlipwayError(problems);
  return { text, files };
}

// ---------------------------------------------------------------------------
// Planning (read-only).

function parentDirs(paths: Iterable<string>): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const d = path.posix.dirname(p);
    if (d !== '.') dirs.add(d);
  }
  return [...dirs].sort();
}

/** Leftover temporary files of older slipway versions in the directories of generated files. */
function legacyTemps(fsx: EngineFs, outdir: string, dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of ['.', ...dirs]) {
    const abs = path.join(outdir, d);
    if (d === '.' ? fsx.kind(abs) !== 'dir' : !plainDir(fsx, outdir, d)) continue;
    for (const name of fsx.list(abs)) {
      if (!LEGACY_TEMP.test(name)) continue;
      const rel = d === '.' ? name : `${d}/${name}`;
      if (inspect(fsx, outdir, rel).kind === 'file') out.push(rel);
    }
  }
  return out;
}

/** Whether `dir` is a directory (not a link) inside outdir, reached without links. */
function plainDir(fsx: EngineFs, outdir: string, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    if (fsx.kind(path.join(outdir, parts.slice(0, i + 1).join('/'))) !== 'dir') return false;
  }
  return true;
}

/** Checks the state directory and reads the manifest of the previous synthesis (read-only). */
function openPlan(fsx: EngineFs, outdir: string): Previous {
  const state = fsx.kind(path.join(outdir, STATE_DIR));
  if (state !== 'none' && state !== 'dir') {
    throw new SlipwayError([`${STATE_DIR} ${state === 'symlink' ? 'is a symbolic link' : 'is not a directory'}; slipway keeps its manifest there; remove it, then synthesize again`]);
  }
  return readPrevious(outdir, fsx);
}

type FilePlan =
  | { readonly kind: 'unchanged' }
  /** `before`: the sha256 of the file on disk when it was planned, null when there was none. */
  | { readonly kind: 'write'; readonly before: string | null }
  | { readonly kind: 'problem'; readonly problem: string };

/** What one generated file needs (read-only): nothing, a write, or a problem that stops the whole write. */
function planFile(fsx: EngineFs, outdir: string, previous: Previous, f: GeneratedFile, opts: WriteOptions): FilePlan {
  const at = inspect(fsx, outdir, f.path);
  if (at.kind === 'blocked') {
    return { kind: 'problem', problem: `output file "${f.path}" ${at.reason}; remove it, then synthesize again (from ${f.source || 'the app'})` };
  }
  let before: string | null = null;
  if (at.kind === 'file') {
    const disk = fsx.read(path.join(outdir, f.path));
    if (sameText(disk, f.content)) return { kind: 'unchanged' };
    before = contentHash(disk);
    const hash = previous.files.get(f.path);
    if (hash !== undefined) {
      if (!matchesHash(disk, hash) && !opts.force) {
        return { kind: 'problem', problem: `output file "${f.path}" was edited by hand (it no longer matches its hash in ${MANIFEST_PATH}); move the change into the definition, or run \`slipway synth --force\` to overwrite it` };
      }
    } else if (!(opts.adopt && carriesHeader(disk, opts.sourceFile))) {
      const adoptHint = opts.sourceFile ? `; if ${MANIFEST_PATH} was lost, \`slipway synth --adopt\` takes over files whose header names ${opts.sourceFile}` : '';
      return { kind: 'problem', problem: `output file "${f.path}" exists and was not generated by slipway (it is not in ${MANIFEST_PATH}); move it away or delete it, then synthesize again (from ${f.source || 'the app'})${adoptHint}` };
    }
  }
  return { kind: 'write', before };
}

/** Why the process cannot create or remove entries in `rel` (its nearest existing directory), or undefined. */
function notWritable(fsx: EngineFs, outdir: string, rel: string): string | undefined {
  let existing = rel;
  while (existing !== '.' && fsx.kind(path.join(outdir, existing)) !== 'dir') existing = path.posix.dirname(existing);
  if (fsx.writable(path.join(outdir, existing))) return undefined;
  return `cannot create or remove files in "${existing === '.' ? outdir : existing}" (permission denied or a read-only file system)`;
}

/**
 * The rest of the plan, once every file is planned (read-only): the stale
 * files to delete, whether the manifest changes, and that every directory
 * an entry is created in or removed from is writable. Adds to `problems`.
 */
function planRest(
  fsx: EngineFs, outdir: string, previous: Previous, wanted: ReadonlySet<string>, writes: readonly Op[],
  manifest: string, opts: WriteOptions, problems: string[],
): { readonly deletes: Op[]; readonly writeManifest: boolean } {
  const deletes: Op[] = [];
  for (const [entry, hash] of [...previous.files].sort(([a], [b]) => byPath(a, b))) {
    if (wanted.has(entry)) continue;
    const at = inspect(fsx, outdir, entry);
    if (at.kind === 'none') continue;
    if (at.kind === 'blocked') {
      problems.push(`stale file "${entry}" (listed in ${MANIFEST_PATH}) ${at.reason}; remove it yourself, then synthesize again`);
      continue;
    }
    const disk = fsx.read(path.join(outdir, entry));
    if (!recognisable(entry, disk)) {
      problems.push(`stale file "${entry}" is listed in ${MANIFEST_PATH} but carries no slipway header; slipway only deletes files it can recognise, so delete it yourself or remove the entry from the manifest`);
    } else if (matchesHash(disk, hash)) {
      deletes.push({ op: 'delete', path: entry, hash });
    } else if (opts.force) {
      deletes.push({ op: 'delete', path: entry, hash: contentHash(disk) });
    } else {
      problems.push(`stale file "${entry}" is no longer generated but was edited by hand (it no longer matches its hash in ${MANIFEST_PATH}); delete it yourself, or run \`slipway synth --force\``);
    }
  }

  const dirs = parentDirs([...wanted, ...previous.files.keys()]);
  if (opts.adopt && opts.sourceFile) {
    // A lost manifest: files in the directories of generated files whose header names this definition are stale.
    for (const d of dirs) {
      if (!plainDir(fsx, outdir, d)) continue;
      for (const name of fsx.list(path.join(outdir, d))) {
        const rel = `${d}/${name}`;
        if (wanted.has(rel) || previous.files.has(rel) || inspect(fsx, outdir, rel).kind !== 'file') continue;
        const disk = fsx.read(path.join(outdir, rel));
        if (carriesHeader(disk, opts.sourceFile)) deletes.push({ op: 'delete', path: rel, hash: contentHash(disk) });
      }
    }
  }
  for (const t of legacyTemps(fsx, outdir, dirs)) deletes.push({ op: 'delete', path: t, hash: null });

  const writeManifest = writes.length > 0 || deletes.length > 0 || previous.text === undefined || !sameText(previous.text, manifest);
  // Pre-flight: every directory an entry is created in or removed from must be writable.
  if (writeManifest) {
    const touchedDirs = new Set<string>([STATE_DIR, ...parentDirs([...writes, ...deletes].map((o) => o.path))]);
    for (const d of [...touchedDirs].sort()) {
      const why = notWritable(fsx, outdir, d);
      if (why) problems.push(why);
    }
  }
  return { deletes, writeManifest };
}

// ---------------------------------------------------------------------------
// Staging.

/**
 * The staging directory of one write: created for the first content, removed again on discard.
 * The staged files' names carry a token of this write (`<token>.<n>`), so that a second
 * `slipway synth` of the same directory never stages under a name this one's journal uses;
 * before the commit point, the staged files are confirmed to be there.
 */
class Stager {
  private readonly files: string[] = [];
  private readonly token = randomBytes(6).toString('hex');
  private createdState = false;
  private createdStaging = false;
  private n = 0;

  constructor(private readonly fsx: EngineFs, private readonly outdir: string) {}

  /** Whether anything was staged (or the staging directory created). */
  public get started(): boolean {
    return this.createdStaging || this.createdState;
  }

  /** Stages one content; returns its name in the staging directory. */
  public put(content: string): string {
    this.open();
    const name = `${this.token}.${this.n++}`;
    const file = path.join(this.outdir, STAGING_DIR, name);
    this.files.push(file);
    stagingGone(() => this.fsx.write(file, content));
    return name;
  }

  /**
   * Stages the journal of `ops` and renames it into place: the commit point. Refuses, before it,
   * when a staged file is gone or another write's journal is there (a second `slipway synth`).
   */
  public commit(ops: Op[]): void {
    this.open();
    const staging = path.join(this.outdir, STAGING_DIR);
    const journalPath = path.join(this.outdir, JOURNAL_PATH);
    const missing = () => {
      const present = new Set(stagingGone(() => this.fsx.list(staging)));
      return ops.find((o) => o.op === 'write' && !present.has(o.staged));
    };
    const gone = missing();
    if (gone) throw new Error(`the staged content of "${gone.path}" is gone: ${ANOTHER_SYNTH}`);
    if (this.fsx.kind(journalPath) !== 'none') throw new Error(`${JOURNAL_PATH} appeared while this synthesis ran: ${ANOTHER_SYNTH}`);
    const staged = path.join(staging, JOURNAL_STAGED);
    this.files.push(staged);
    const journal: Journal = { version: 1, ops };
    stagingGone(() => this.fsx.write(staged, JSON.stringify(journal, undefined, 2) + '\n'));
    this.fsx.rename(staged, journalPath);
    // Another synth that started just before the rename may be removing the staged files: a journal whose
    // staged files are gone could never be completed. Nothing outside .slipway/ changed yet: take it back.
    const lost = missing();
    if (lost) {
      this.fsx.unlink(journalPath);
      throw new Error(`the staged content of "${lost.path}" is gone: ${ANOTHER_SYNTH}`);
    }
  }

  /** Removes what was staged before the commit point; false when something is left behind. */
  public discard(): boolean {
    try {
      for (const f of this.files) if (this.fsx.kind(f) === 'file') this.fsx.unlink(f);
      if (this.createdStaging) removeDir(this.fsx, path.join(this.outdir, STAGING_DIR));
      if (this.createdState) removeDir(this.fsx, path.join(this.outdir, STATE_DIR));
      return true;
    } catch {
      return false;
    }
  }

  private open(): void {
    if (this.createdStaging) return;
    const state = path.join(this.outdir, STATE_DIR);
    if (this.fsx.kind(state) === 'none') {
      try {
        this.fsx.mkdir(state);
        this.createdState = true;
      } catch (e) {
        // made meanwhile by another synth: ours to use, not to remove
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    try {
      this.fsx.mkdir(path.join(this.outdir, STAGING_DIR));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      throw new Error(`it appeared while this synthesis ran: ${ANOTHER_SYNTH}`);
    }
    this.createdStaging = true;
  }
}

const ANOTHER_SYNTH = 'another `slipway synth` is writing this directory; wait for it to end, then synthesize again';

/**
 * Removes a directory this write made, once its own files are removed: one already gone (another
 * synth's recovery removed it) or holding files of another synth is left to that synth.
 */
function removeDir(fsx: EngineFs, dir: string): void {
  ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], () => fsx.rmdir(dir));
}

/** Runs `f`, ignoring a file-system error with one of `codes`. */
function ignoring(codes: string[], f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!codes.includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
}

/** Runs `f`; a missing staging directory (ENOENT) means another synth's recovery removed it. */
function stagingGone<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new Error(`the staging directory is gone: ${ANOTHER_SYNTH}`);
  }
}

const LEFT_BEHIND = `${STAGING_DIR} is left behind; the next \`slipway synth\` removes it`;

/** A write that failed while staging: nothing outside .slipway/ changed. */
function stagingFailure(e: unknown): OutputError {
  return new OutputError([`could not stage the output in ${STAGING_DIR}: ${(e as Error).message}`]);
}

// ---------------------------------------------------------------------------
// Applying a journal (repeatable) and recovering an interrupted write.

function ensureDir(fsx: EngineFs, outdir: string, rel: string, created: string[]): void {
  if (rel === '.') return;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const sub = parts.slice(0, i + 1).join('/');
    const kind = fsx.kind(path.join(outdir, sub));
    if (kind === 'dir') continue;
    if (kind === 'none') {
      fsx.mkdir(path.join(outdir, sub));
      created.push(sub + '/');
      continue;
    }
    throw new Error(`"${sub}" is ${kind === 'symlink' ? 'a symbolic link' : 'not a directory'}; slipway never writes through one`);
  }
}

function removeEmptyParents(fsx: EngineFs, outdir: string, rel: string): void {
  // A directory already gone was removed by an earlier, interrupted run: its parents may still be empty.
  for (let d = path.posix.dirname(rel); d !== '.' && d !== STATE_DIR; d = path.posix.dirname(d)) {
    const kind = fsx.kind(path.join(outdir, d));
    if (kind === 'none') continue;
    if (kind !== 'dir' || fsx.list(path.join(outdir, d)).length !== 0) return;
    fsx.rmdir(path.join(outdir, d));
  }
}

function applyJournal(fsx: EngineFs, outdir: string, journal: Journal, touched: string[], kept: string[]): void {
  const staging = path.join(outdir, STAGING_DIR);
  const pending = journal.ops.map((o) => o.path);
  try {
    for (const o of journal.ops) {
      const target = path.join(outdir, o.path);
      if (o.op === 'write') {
        const staged = path.join(staging, o.staged);
        if (fsx.kind(staging) === 'dir' && fsx.kind(staged) === 'file') {
          ensureDir(fsx, outdir, path.posix.dirname(o.path), []);
          const at = inspect(fsx, outdir, o.path);
          if (at.kind === 'blocked') throw new Error(`"${o.path}" ${at.reason}`);
          fsx.rename(staged, target);
          touched.push(o.path);
        } else {
          // renamed by an earlier run of this journal
          const at = inspect(fsx, outdir, o.path);
          if (at.kind !== 'file' || !matchesHash(fsx.read(target), o.hash)) {
            throw new Error(`the staged content of "${o.path}" is gone and the file does not hold it; delete ${JOURNAL_PATH} and ${STAGING_DIR}/, then synthesize again`);
          }
        }
      } else {
        const at = inspect(fsx, outdir, o.path);
        if (at.kind === 'blocked') throw new Error(`"${o.path}" ${at.reason}`);
        if (at.kind === 'file') {
          if (o.hash === null || matchesHash(fsx.read(target), o.hash)) {
            fsx.unlink(target);
            touched.push(o.path);
          } else {
            kept.push(o.path);
          }
        }
        removeEmptyParents(fsx, outdir, o.path);
      }
      pending.shift();
    }
    if (fsx.kind(staging) === 'dir') {
      for (const name of fsx.list(staging)) fsx.unlink(path.join(staging, name));
      fsx.rmdir(staging);
    }
    fsx.unlink(path.join(outdir, JOURNAL_PATH));
  } catch (e) {
    throw new OutputError([`the write was interrupted: ${(e as Error).message}`], touched, pending.length ? pending : [JOURNAL_PATH]);
  }
}

function parseJournal(text: string): Journal {
  const bad = (why: string) => new SlipwayError([`${JOURNAL_PATH} ${why}; it is not a journal slipway wrote. Delete ${JOURNAL_PATH} and ${STAGING_DIR}/, then synthesize again`]);
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('is not valid JSON');
  }
  if (!parsed || parsed.version !== 1 || !Array.isArray(parsed.ops)) throw bad('has no list of operations');
  for (const o of parsed.ops) {
    const why = badEntry(o?.path);
    if (o?.path === MANIFEST_PATH && o.op === 'write' && STAGED_NAME.test(o.staged) && HASH.test(o.hash)) continue;
    if (why) throw bad(`names ${JSON.stringify(o?.path)}, which ${why}`);
    if (o.op === 'write' && STAGED_NAME.test(o.staged) && HASH.test(o.hash)) continue;
    if (o.op === 'delete' && (HASH.test(o.hash) || (o.hash === null && LEGACY_TEMP.test(path.posix.basename(o.path))))) continue;
    throw bad(`has an invalid operation on ${JSON.stringify(o.path)}`);
  }
  return parsed as Journal;
}

/**
 * Completes or discards an interrupted write. A committed journal is applied
 * (roll forward); a staging directory without a journal is removed (the tree
 * was never touched). Returns undefined when there was nothing to recover.
 * @internal
 */
export function recoverOutput(outdir: string, fsx: EngineFs = NODE_FS): Recovery | undefined {
  const state = path.join(outdir, STATE_DIR);
  if (fsx.kind(state) !== 'dir') return undefined;
  const journalAt = fsx.kind(path.join(outdir, JOURNAL_PATH));
  const staging = path.join(outdir, STAGING_DIR);
  const stagingKind = fsx.kind(staging);
  if (journalAt === 'file') {
    const journal = parseJournal(fsx.read(path.join(outdir, JOURNAL_PATH)));
    if (stagingKind !== 'dir' && stagingKind !== 'none') throw new SlipwayError([`${STAGING_DIR} is not a directory; delete it and ${JOURNAL_PATH}, then synthesize again`]);
    const touched: string[] = [];
    const kept: string[] = [];
    applyJournal(fsx, outdir, journal, touched, kept);
    return { action: 'completed', touched, kept };
  }
  if (journalAt !== 'none') throw new SlipwayError([`${JOURNAL_PATH} is not a file; delete it, then synthesize again`]);
  if (stagingKind === 'none') return undefined;
  if (stagingKind !== 'dir') throw new SlipwayError([`${STAGING_DIR} is not a directory; delete it, then synthesize again`]);
  const touched: string[] = [];
  try {
    // Another synth may be staging here (this one took its directory for an interrupted write's): it may
    // commit meanwhile, or add files while they are removed; it then fails before its commit point.
    for (let attempt = 1; ; attempt++) {
      const names = fsx.list(staging);
      if (fsx.kind(path.join(outdir, JOURNAL_PATH)) !== 'none') throw new Error(`${JOURNAL_PATH} appeared: ${ANOTHER_SYNTH}`);
      for (const name of names) {
        const kind = fsx.kind(path.join(staging, name));
        if (kind === 'none') continue;
        if (kind !== 'file') throw new Error(`${STAGING_DIR}/${name} is not a file`);
        ignoring(['ENOENT'], () => fsx.unlink(path.join(staging, name)));
      }
      try {
        fsx.rmdir(staging);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt === 3) throw code === 'ENOTEMPTY' ? new Error(`files keep appearing in it: ${ANOTHER_SYNTH}`) : e;
      }
    }
    if (fsx.list(state).length === 0) fsx.rmdir(state);
  } catch (e) {
    throw new OutputError([`could not remove the staging directory of an interrupted write: ${(e as Error).message}; delete ${STAGING_DIR}/ yourself, then synthesize again`], touched, [STAGING_DIR]);
  }
  return { action: 'discarded', touched, kept: [] };
}

/**
 * Writes the files as one transaction (see the top of this file): an
 * interrupted earlier write is recovered first; then every check runs before
 * anything is touched; generated files that were edited by hand, files
 * slipway did not generate and paths through symbolic links are refused.
 * Throws an {@link OutputError} whose `touched` lists what changed on disk.
 * @internal
 */
export function writeOutput(outdir: string, files: GeneratedFile[], opts: WriteOptions = {}): WriteResult & { readonly recovery?: Recovery } {
  const writer = new OutputWriter(outdir, opts);
  for (const f of files) writer.add(f);
  return writer.commit();
}

/**
 * A write that takes the files one by one, as a synthesis renders them
 * (see the top of this file), then `commit()`s them as one transaction,
 * with what `writeOutput` guarantees. A synthesis that fails calls `abort()`.
 * @internal
 */
export class OutputWriter implements FileSink {
  private readonly fsx: EngineFs;
  private readonly stager: Stager;
  /** The files, kept for the commit, when a committed journal of an earlier write must be completed first. */
  private readonly kept?: GeneratedFile[];
  /** A staging directory without a journal, removed when the writer was created. */
  public readonly recovery?: Recovery;
  /** What stops this write whatever its files (the state directory, the manifest, a failed read), thrown by `commit()`. */
  private failure?: { readonly error: unknown };
  private previous: Previous = { files: new Map() };
  private readonly hashes = new Map<string, string>();
  private readonly writes: Op[] = [];
  /** The sha256 of each file to write as it was on disk when planned (null: there was none). */
  private readonly before = new Map<string, string | null>();
  private readonly unchanged: string[] = [];
  /** Problems of single files: [path, problem]. */
  private readonly problems: Array<[string, string]> = [];
  private stageError?: { readonly error: unknown };
  /** Why the state directory could not be written when the first file was to be staged: nothing was staged. */
  private stateBlocked?: string;
  private ended = false;

  constructor(private readonly outdir: string, private readonly opts: WriteOptions = {}) {
    this.fsx = rememberingDirs(opts.fs ?? NODE_FS);
    this.stager = new Stager(this.fsx, outdir);
    try {
      if (this.fsx.kind(path.join(outdir, STATE_DIR)) === 'dir') {
        if (this.fsx.kind(path.join(outdir, JOURNAL_PATH)) !== 'none') {
          this.kept = [];
          return;
        }
        // Staging without a journal changed nothing outside .slipway/: remove it now, and stream.
        if (this.fsx.kind(path.join(outdir, STAGING_DIR)) !== 'none') this.recovery = recoverOutput(outdir, this.fsx);
      }
      this.previous = openPlan(this.fsx, outdir);
    } catch (e) {
      this.failure = { error: e };
    }
  }

  /** Plans one file and, while the plan holds no problem, stages its content. */
  public add(f: GeneratedFile): void {
    if (this.ended) throw new Error('OutputWriter: add() after commit() or abort()');
    if (this.kept) {
      this.kept.push(f);
      return;
    }
    if (this.failure) return;
    const hash = contentHash(f.content);
    this.hashes.set(f.path, hash);
    let planned: FilePlan;
    try {
      planned = planFile(this.fsx, this.outdir, this.previous, f, this.opts);
    } catch (e) {
      this.failure = { error: e };
      return;
    }
    if (planned.kind === 'unchanged') {
      this.unchanged.push(f.path);
      return;
    }
    if (planned.kind === 'problem') {
      this.problems.push([f.path, planned.problem]);
      return;
    }
    let staged = '';
    if (this.problems.length === 0 && !this.stageError && !this.stateBlocked) {
      try {
        // Before the first staged content: the state directory must be writable (the plan's pre-flight reports it).
        if (!this.stager.started) this.stateBlocked = notWritable(this.fsx, this.outdir, STATE_DIR);
        if (!this.stateBlocked) staged = this.stager.put(f.content);
      } catch (e) {
        this.stageError = { error: e };
      }
    }
    this.writes.push({ op: 'write', path: f.path, staged, hash });
    this.before.set(f.path, planned.before);
  }

  /**
   * Completes the plan (stale files, the manifest, writable directories, and
   * that no file changed on disk since it was planned), then commits and
   * applies the journal; throws, having removed what it staged, when any
   * check fails.
   */
  public commit(): WriteResult & { readonly recovery?: Recovery } {
    if (this.ended) throw new Error('OutputWriter: commit() after commit() or abort()');
    this.ended = true;
    if (this.kept) return writeAfterRecovery(this.fsx, this.outdir, this.kept, this.opts);
    if (this.failure) throw this.discarded(this.failure.error);

    // The rendering took a while: what is on disk is looked at afresh, with no directory remembered from the plan.
    const fresh = rememberingDirs(this.opts.fs ?? NODE_FS);
    const problems = this.problems.sort(([a], [b]) => byPath(a, b)).map(([, problem]) => problem);
    const manifest = manifestOf(this.hashes);
    const writes = this.writes.sort((a, b) => byPath(a.path, b.path));
    let rest: ReturnType<typeof planRest>;
    try {
      // The plan read the manifest when the writer started: it must still be the one on disk.
      if (openPlan(fresh, this.outdir).text !== this.previous.text) {
        problems.push(`${MANIFEST_PATH} changed while slipway was synthesizing (another \`slipway synth\`, or a checkout); synthesize again`);
      }
      for (const w of writes) {
        const why = changedSincePlanned(fresh, this.outdir, w.path, this.before.get(w.path) ?? null);
        if (why) problems.push(why);
      }
      rest = planRest(fresh, this.outdir, this.previous, new Set(this.hashes.keys()), writes, manifest, this.opts, problems);
      if (this.stateBlocked) problems.push(this.stateBlocked);
    } catch (e) {
      throw this.discarded(e);
    }
    if (problems.length) throw this.discarded(new SlipwayError([...new Set(problems)]));
    if (this.stageError) throw this.discarded(stagingFailure(this.stageError.error));
    const unstaged = writes.find((w) => w.op === 'write' && w.staged === '');
    if (unstaged) throw this.discarded(new Error(`internal error: "${unstaged.path}" was planned but not staged`));
    const unchanged = this.unchanged.sort(byPath);
    if (!rest.writeManifest) return { written: [], unchanged, removed: [], recovery: this.recovery };

    // Stage the manifest and the journal; until the journal's rename nothing outside .slipway/ changed.
    const ops: Op[] = [...writes, ...rest.deletes];
    try {
      // The manifest is written last, after the files it lists.
      ops.push({ op: 'write', path: MANIFEST_PATH, staged: this.stager.put(manifest), hash: contentHash(manifest) });
      this.stager.commit(ops);
    } catch (e) {
      throw this.discarded(stagingFailure(e));
    }

    const touched: string[] = [];
    const kept: string[] = [];
    applyJournal(fresh, this.outdir, { version: 1, ops }, touched, kept);
    const done = new Set(touched);
    const result = (kind: Op['op']) => ops.filter((o) => o.op === kind && o.path !== MANIFEST_PATH && done.has(o.path)).map((o) => o.path);
    return { written: result('write'), unchanged, removed: result('delete'), recovery: this.recovery };
  }

  /**
   * Ends a write whose synthesis failed: removes what was staged. Returns a
   * line to show when something is left behind (the next synthesis removes it).
   */
  public abort(): string[] {
    if (this.ended) return [];
    this.ended = true;
    return this.stager.discard() ? [] : [LEFT_BEHIND];
  }

  /** `e`, once what was staged is removed; with the staging directory named when it could not be. */
  private discarded(e: unknown): unknown {
    if (this.stager.discard()) return e;
    const problems = e instanceof SlipwayError ? e.problems : [(e as Error).message];
    return new OutputError([...problems, LEFT_BEHIND], [], [STAGING_DIR]);
  }
}

/** Why `rel` cannot be written as planned: it changed on disk since (edited, created, or replaced by a link). */
function changedSincePlanned(fsx: EngineFs, outdir: string, rel: string, before: string | null): string | undefined {
  const at = inspect(fsx, outdir, rel);
  if (at.kind === 'blocked') return `output file "${rel}" ${at.reason}; remove it, then synthesize again`;
  const now = at.kind === 'file' ? contentHash(fsx.read(path.join(outdir, rel))) : null;
  if (now === before) return undefined;
  return `output file "${rel}" changed on disk while slipway was synthesizing; synthesize again`;
}

/** Completes the committed journal of an interrupted write, then writes the files. */
function writeAfterRecovery(
  fsx: EngineFs, outdir: string, files: GeneratedFile[], opts: WriteOptions,
): WriteResult & { readonly recovery?: Recovery } {
  const recovery = recoverOutput(outdir, fsx);
  const earlier = recovery?.touched ?? [];
  try {
    if (fsx.kind(path.join(outdir, JOURNAL_PATH)) !== 'none') {
      throw new SlipwayError([`${JOURNAL_PATH} is still there after its recovery; delete ${JOURNAL_PATH} and ${STAGING_DIR}/, then synthesize again`]);
    }
    const writer = new OutputWriter(outdir, { ...opts, fs: fsx });
    for (const f of files) writer.add(f);
    return { ...writer.commit(), recovery };
  } catch (e) {
    if (e instanceof OutputError) throw new OutputError(e.problems, [...earlier, ...e.touched.filter((t) => !earlier.includes(t))], e.pending);
    // the recovery changed the tree: whatever failed after it, say so
    if (earlier.length) throw new OutputError(e instanceof SlipwayError ? e.problems : [(e as Error).message], earlier);
    throw e;
  }
}

/**
 * Compares the desired files with the output directory. Writes nothing and
 * reads nothing through a symbolic link.
 * @internal
 */
export function diffOutput(outdir: string, files: GeneratedFile[], real: EngineFs = NODE_FS): Drift[] {
  const check = new OutputCheck(outdir, real);
  for (const f of files) check.add(f);
  return check.finish();
}

/**
 * `diffOutput` taking the files one by one, as a synthesis renders them:
 * each is compared at once and only its hash is kept.
 * @internal
 */
export class OutputCheck implements FileSink {
  private readonly fsx: EngineFs;
  private readonly hashes = new Map<string, string>();
  private readonly drift: Drift[] = [];
  private failure?: { readonly error: unknown };
  private ended = false;

  constructor(private readonly outdir: string, real: EngineFs = NODE_FS) {
    this.fsx = rememberingDirs(real);
  }

  public add(f: GeneratedFile): void {
    if (this.ended) throw new Error('OutputCheck: add() after finish()');
    this.hashes.set(f.path, contentHash(f.content));
    if (this.failure) return;
    try {
      const at = inspect(this.fsx, this.outdir, f.path);
      if (at.kind === 'none') this.drift.push({ path: f.path, kind: 'missing' });
      else if (at.kind === 'blocked' || !sameText(this.fsx.read(path.join(this.outdir, f.path)), f.content)) this.drift.push({ path: f.path, kind: 'changed' });
    } catch (e) {
      this.failure = { error: e };
    }
  }

  /** Every difference: an interrupted write first, then the files by path, the manifest, stale and temporary files. */
  public finish(): Drift[] {
    this.ended = true;
    const { fsx, outdir } = this;
    const previous = openPlan(fsx, outdir);
    if (this.failure) throw this.failure.error;
    const drift: Drift[] = [];
    if (fsx.kind(path.join(outdir, JOURNAL_PATH)) !== 'none') drift.push({ path: JOURNAL_PATH, kind: 'interrupted' });
    if (fsx.kind(path.join(outdir, STAGING_DIR)) !== 'none') drift.push({ path: STAGING_DIR, kind: 'interrupted' });
    drift.push(...this.drift.sort((a, b) => byPath(a.path, b.path)));
    const manifest = manifestOf(this.hashes);
    const at = inspect(fsx, outdir, MANIFEST_PATH);
    if (at.kind === 'none') drift.push({ path: MANIFEST_PATH, kind: 'missing' });
    else if (at.kind === 'blocked' || !sameText(fsx.read(path.join(outdir, MANIFEST_PATH)), manifest)) drift.push({ path: MANIFEST_PATH, kind: 'changed' });
    for (const old of [...previous.files.keys()].sort()) {
      if (!this.hashes.has(old) && inspect(fsx, outdir, old).kind !== 'none') drift.push({ path: old, kind: 'stale' });
    }
    for (const t of legacyTemps(fsx, outdir, parentDirs([...this.hashes.keys(), ...previous.files.keys()]))) drift.push({ path: t, kind: 'temp' });
    return drift;
  }
}
