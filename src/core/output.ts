import * as path from 'path';
import { EngineFs, NODE_FS, rememberingDirs } from './engine-fs';
import { SlipwayError } from './errors';
import { buildManifest, contentHash, GeneratedFile, headerMarks, MANIFEST_PATH, STATE_DIR } from './synthesis';

/*
 * The output engine: the only code that writes or deletes files of a synthesis.
 *
 * A write is a transaction in three steps:
 *   1. plan (read-only): the manifest and every path are checked; nothing is
 *      touched unless the whole plan is sound;
 *   2. stage: each new content goes to `.slipway/staging/<n>`, then the rename
 *      plan to `.slipway/staging/journal`, which is renamed to
 *      `.slipway/journal.json`: that rename is the commit point;
 *   3. apply the journal: rename staged files into place, delete stale files,
 *      write the manifest last, remove the staging directory and the journal.
 * Every step of 3 can be repeated, so the next run (`recoverOutput`) completes
 * a committed journal, and discards a staging directory without one.
 */

/** The staging directory, relative to the output directory. */
export const STAGING_DIR = `${STATE_DIR}/staging`;
/** The journal of a committed write, relative to the output directory. */
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;
const JOURNAL_STAGED = 'journal';
const HASH = /^[0-9a-f]{64}$/;
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

interface Plan {
  readonly ops: Op[];
  /** Content of each write op, by path. */
  readonly contents: Map<string, string>;
  readonly unchanged: string[];
}

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

function plan(fsx: EngineFs, outdir: string, files: GeneratedFile[], opts: WriteOptions): Plan {
  const problems: string[] = [];
  const state = fsx.kind(path.join(outdir, STATE_DIR));
  if (state !== 'none' && state !== 'dir') {
    throw new SlipwayError([`${STATE_DIR} ${state === 'symlink' ? 'is a symbolic link' : 'is not a directory'}; slipway keeps its manifest there; remove it, then synthesize again`]);
  }
  const previous = readPrevious(outdir, fsx);
  const wanted = new Set(files.map((f) => f.path));
  const writes: Op[] = [];
  const deletes: Op[] = [];
  const contents = new Map<string, string>();
  const unchanged: string[] = [];
  const adoptHint = opts.sourceFile ? `; if ${MANIFEST_PATH} was lost, \`slipway synth --adopt\` takes over files whose header names ${opts.sourceFile}` : '';

  for (const f of files) {
    const at = inspect(fsx, outdir, f.path);
    if (at.kind === 'blocked') {
      problems.push(`output file "${f.path}" ${at.reason}; remove it, then synthesize again (from ${f.source || 'the app'})`);
      continue;
    }
    if (at.kind === 'file') {
      const disk = fsx.read(path.join(outdir, f.path));
      if (sameText(disk, f.content)) { unchanged.push(f.path); continue; }
      const hash = previous.files.get(f.path);
      if (hash !== undefined) {
        if (!matchesHash(disk, hash) && !opts.force) {
          problems.push(`output file "${f.path}" was edited by hand (it no longer matches its hash in ${MANIFEST_PATH}); move the change into the definition, or run \`slipway synth --force\` to overwrite it`);
          continue;
        }
      } else if (!(opts.adopt && carriesHeader(disk, opts.sourceFile))) {
        problems.push(`output file "${f.path}" exists and was not generated by slipway (it is not in ${MANIFEST_PATH}); move it away or delete it, then synthesize again (from ${f.source || 'the app'})${adoptHint}`);
        continue;
      }
    }
    writes.push({ op: 'write', path: f.path, staged: '', hash: contentHash(f.content) });
    contents.set(f.path, f.content);
  }

  for (const [entry, hash] of [...previous.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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

  const manifest = buildManifest(files);
  const ops: Op[] = [...writes, ...deletes];
  if (ops.length || previous.text === undefined || !sameText(previous.text, manifest)) {
    ops.push({ op: 'write', path: MANIFEST_PATH, staged: '', hash: contentHash(manifest) });
    contents.set(MANIFEST_PATH, manifest);
  }

  // Pre-flight: every directory an entry is created in or removed from must be writable.
  if (ops.length) {
    const touchedDirs = new Set<string>([STATE_DIR, ...parentDirs(ops.map((o) => o.path))]);
    for (const d of [...touchedDirs].sort()) {
      let existing = d;
      while (existing !== '.' && fsx.kind(path.join(outdir, existing)) !== 'dir') existing = path.posix.dirname(existing);
      const abs = path.join(outdir, existing);
      if (!fsx.writable(abs)) problems.push(`cannot create or remove files in "${existing === '.' ? outdir : existing}" (permission denied or a read-only file system)`);
    }
  }
  if (problems.length) throw new SlipwayError([...new Set(problems)]);

  let n = 0;
  const numbered = ops.map((o) => (o.op === 'write' ? { ...o, staged: String(n++) } : o));
  // The manifest is written last, after the files it lists.
  return { ops: numbered, contents, unchanged };
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
            throw new Error(`the staged content of "${o.path}" is gone and the file does not hold it`);
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
    if (o?.path === MANIFEST_PATH && o.op === 'write' && /^\d+$/.test(o.staged) && HASH.test(o.hash)) continue;
    if (why) throw bad(`names ${JSON.stringify(o?.path)}, which ${why}`);
    if (o.op === 'write' && /^\d+$/.test(o.staged) && HASH.test(o.hash)) continue;
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
    for (const name of fsx.list(staging)) {
      if (fsx.kind(path.join(staging, name)) !== 'file') throw new Error(`${STAGING_DIR}/${name} is not a file`);
      fsx.unlink(path.join(staging, name));
    }
    fsx.rmdir(staging);
    if (fsx.list(state).length === 0) fsx.rmdir(state);
  } catch (e) {
    throw new OutputError([`could not remove the staging directory of an interrupted write: ${(e as Error).message}`], touched, [STAGING_DIR]);
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
  const fsx = rememberingDirs(opts.fs ?? NODE_FS);
  const recovery = recoverOutput(outdir, fsx);
  const earlier = recovery?.touched ?? [];
  let p: Plan;
  try {
    p = plan(fsx, outdir, files, opts);
  } catch (e) {
    if (e instanceof SlipwayError && earlier.length) throw new OutputError(e.problems, earlier);
    throw e;
  }
  const unchanged = p.unchanged;
  if (p.ops.length === 0) return { written: [], unchanged, removed: [], recovery };

  // Stage every content and the journal; until the journal's rename nothing outside .slipway/ changed.
  const state = path.join(outdir, STATE_DIR);
  const staging = path.join(outdir, STAGING_DIR);
  const stagedFiles: string[] = [];
  let createdState = false;
  let createdStaging = false;
  try {
    if (fsx.kind(state) === 'none') { fsx.mkdir(state); createdState = true; }
    fsx.mkdir(staging);
    createdStaging = true;
    for (const o of p.ops) {
      if (o.op !== 'write') continue;
      const file = path.join(staging, o.staged);
      stagedFiles.push(file);
      fsx.write(file, p.contents.get(o.path)!);
    }
    const journal: Journal = { version: 1, ops: p.ops };
    stagedFiles.push(path.join(staging, JOURNAL_STAGED));
    fsx.write(path.join(staging, JOURNAL_STAGED), JSON.stringify(journal, undefined, 2) + '\n');
    fsx.rename(path.join(staging, JOURNAL_STAGED), path.join(outdir, JOURNAL_PATH));
  } catch (e) {
    let clean = true;
    try {
      for (const f of stagedFiles) if (fsx.kind(f) === 'file') fsx.unlink(f);
      if (createdStaging) fsx.rmdir(staging);
      if (createdState) fsx.rmdir(state);
    } catch {
      clean = false;
    }
    const problem = `could not stage the output in ${STAGING_DIR}: ${(e as Error).message}`;
    throw new OutputError(clean ? [problem] : [problem, `${STAGING_DIR} is left behind; the next \`slipway synth\` removes it`], earlier, clean ? [] : [STAGING_DIR]);
  }

  const touched: string[] = [];
  const kept: string[] = [];
  try {
    applyJournal(fsx, outdir, { version: 1, ops: p.ops }, touched, kept);
  } catch (e) {
    if (e instanceof OutputError) throw new OutputError(e.problems, [...earlier, ...e.touched], e.pending);
    throw e;
  }
  const done = new Set(touched);
  const result = (kind: Op['op']) => p.ops.filter((o) => o.op === kind && o.path !== MANIFEST_PATH && done.has(o.path)).map((o) => o.path);
  return { written: result('write'), unchanged, removed: result('delete'), recovery };
}

/**
 * Compares the desired files with the output directory. Writes nothing and
 * reads nothing through a symbolic link.
 * @internal
 */
export function diffOutput(outdir: string, files: GeneratedFile[], real: EngineFs = NODE_FS): Drift[] {
  const fsx = rememberingDirs(real);
  const drift: Drift[] = [];
  if (fsx.kind(path.join(outdir, JOURNAL_PATH)) !== 'none') drift.push({ path: JOURNAL_PATH, kind: 'interrupted' });
  if (fsx.kind(path.join(outdir, STAGING_DIR)) !== 'none') drift.push({ path: STAGING_DIR, kind: 'interrupted' });
  const previous = readPrevious(outdir, fsx);
  const all = [...files, { path: MANIFEST_PATH, content: buildManifest(files), source: '' }];
  for (const f of all) {
    const at = inspect(fsx, outdir, f.path);
    if (at.kind === 'none') drift.push({ path: f.path, kind: 'missing' });
    else if (at.kind === 'blocked' || !sameText(fsx.read(path.join(outdir, f.path)), f.content)) drift.push({ path: f.path, kind: 'changed' });
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const old of [...previous.files.keys()].sort()) {
    if (!wanted.has(old) && inspect(fsx, outdir, old).kind !== 'none') drift.push({ path: old, kind: 'stale' });
  }
  for (const t of legacyTemps(fsx, outdir, parentDirs([...wanted, ...previous.files.keys()]))) drift.push({ path: t, kind: 'temp' });
  return drift;
}
