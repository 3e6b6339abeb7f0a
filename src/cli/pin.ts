import * as fs from 'fs';
import * as path from 'path';
import { DEFINITION_FILE, findDefinition, loadDefinition, resolveDefinition } from './load';
import type { Command, ParsedArgs } from './main';
import { ImageRef, parseImageRef, resolveImageDigest } from './registry';
import { EXIT_INVALID, EXIT_OK } from './synth';
import { spawnSync } from '../core/child-process';
import { STEP_IMAGES } from '../core/step-images';
import { CATALOG_LOCK } from '../github/actions/catalog-lock';
import {
  isCommitSha, LOCK_FILE_NAME, lockKey, parseLockFile, Pin, repoOf, serializeLockFile, splitRef,
} from '../github/actions/lock-file';
import { PinHost, setPinHost } from '../github/actions/pin-host';
import { bestVersionTag, compareVersionTags, isWithin, majorRef, parseVersionTag, VersionTag } from '../github/actions/version-tag';

/** The default remote the action repositories are fetched from. */
export const DEFAULT_REMOTE_BASE = 'https://github.com';

/** Options of `slipway pin`. */
export interface PinCommandOptions {
  /** The definition file, read when no refs are given. */
  readonly app: string;
  /** Directory of `slipway.lock.json`; default: the definition's directory. */
  readonly outdir?: string;
  /** `owner/repo[/path]@ref` to pin; default: every action of the definition. */
  readonly refs: readonly string[];
  /** Base URL of the repositories: `<base>/<owner>/<repo>.git`. */
  readonly remoteBase?: string;
  /** Only resolve actions that no lock pins yet. */
  readonly missing?: boolean;
  /** Import the SHAs of the generated workflows instead of resolving tags. */
  readonly adopt?: boolean;
}

type Log = (s: string) => void;

/**
 * `slipway pin [owner/repo@ref ...]`: resolves each action version to the
 * commit its tag (or branch) points at with `git ls-remote` (annotated tags
 * are peeled to their commit), names it by its most precise version tag
 * (`v4` -> `v4.3.1`), and writes `slipway.lock.json` with sorted keys.
 * Nothing is written unless every ref resolved.
 *
 * `--adopt` reads the pinned `uses:` lines of the generated workflows (after
 * Dependabot updated them) and records their SHAs in the lock, without
 * network access.
 */
export function pinCommand(opts: PinCommandOptions, log: Log, err: Log): number {
  const appFile = path.resolve(opts.app);
  const outdir = path.resolve(opts.outdir ?? (opts.refs.length > 0 && !fs.existsSync(appFile) ? process.cwd() : path.dirname(appFile)));
  const lockFile = path.join(outdir, LOCK_FILE_NAME);

  const existing = readLock(lockFile, err);
  if (!existing) return EXIT_INVALID;

  if (opts.adopt) {
    if (opts.refs.length > 0) {
      err('slipway pin: --adopt takes no refs; it reads the `uses:` lines of the workflows under .github/');
      return EXIT_INVALID;
    }
    const adopted = adoptFromWorkflows(outdir, existing, err);
    if (!adopted) return EXIT_INVALID;
    return writeLock(lockFile, existing, adopted, log);
  }

  const requests = opts.refs.length > 0 ? parseRefs(opts.refs, err) : requestsOfDefinition(appFile, opts.app, outdir, err);
  if (!requests) return EXIT_INVALID;
  const todo = opts.missing
    ? requests.filter((r) => !existing.has(r.key) && !(r.key in CATALOG_LOCK))
    : requests;
  if (todo.length === 0) {
    log(requests.length === 0
      ? 'slipway pin: the definition uses no repository actions to pin'
      : `slipway pin: every action is pinned already (${LOCK_FILE_NAME} is unchanged)`);
    return EXIT_OK;
  }

  const resolved = resolveAll(todo, opts.remoteBase ?? DEFAULT_REMOTE_BASE, err);
  if (!resolved) return EXIT_INVALID;
  return writeLock(lockFile, existing, resolved, log);
}

/** Options of `slipway pin docker://name:tag` and `slipway pin --images`. */
export interface PinImagesOptions {
  /** Directory of `slipway.lock.json`. */
  readonly outdir: string;
  /** `[docker://][registry/]name:tag` to pin. */
  readonly refs: readonly string[];
  /** Base URL that replaces every registry's (a mirror, or a local registry). */
  readonly registryBase?: string;
}

/**
 * Pins container images by digest into the `"images"` map of slipway.lock.json, through the
 * registry HTTP API (see ./registry.ts). All or nothing, like the actions.
 */
export async function pinImagesCommand(opts: PinImagesOptions, log: Log, err: Log): Promise<number> {
  const lockFile = path.join(path.resolve(opts.outdir), LOCK_FILE_NAME);
  const lock = readLockFile(lockFile, err);
  if (!lock) return EXIT_INVALID;
  const refs: ImageRef[] = [];
  const failures: string[] = [];
  for (const r of opts.refs) {
    const parsed = parseImageRef(r);
    if (typeof parsed === 'string') failures.push(parsed);
    else if (!refs.some((x) => x.key === parsed.key)) refs.push(parsed);
  }
  if (typeof fetch !== 'function') failures.push('resolving image digests needs Node.js 18 or later (fetch)');
  const digests = new Map<string, string>();
  if (failures.length === 0) {
    for (const ref of refs) {
      try {
        digests.set(ref.key, await resolveImageDigest(ref, opts.registryBase));
      } catch (e) {
        failures.push(`${ref.key}: ${(e as Error).message}`);
      }
    }
  }
  if (failures.length > 0) {
    err(`slipway pin: ${failures.length} image(s) could not be resolved; ${LOCK_FILE_NAME} was not changed:`);
    for (const f of failures) err(`  ${f}`);
    return EXIT_INVALID;
  }
  const images = new Map(lock.images);
  const lines: string[] = [];
  for (const [key, digest] of [...digests].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = images.get(key);
    lines.push(`  ${before === digest ? 'unchanged' : before ? 'updated  ' : 'added    '} ${key} -> ${digest.slice(0, 19)}`);
    images.set(key, digest);
  }
  const text = serializeLockFile(lock.pins, images);
  const current = fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : undefined;
  if (current !== text) {
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, text);
  }
  log(`slipway pin: ${current === text ? 'unchanged' : 'wrote'} ${path.relative(process.cwd(), lockFile) || lockFile} (${images.size} image(s))`);
  for (const l of lines) log(l);
  return EXIT_OK;
}

/** The `slipway pin` subcommand, as registered in main.ts. */
export const PIN_COMMAND: Command = {
  summary: 'Pin every action to a commit SHA in slipway.lock.json (git ls-remote)',
  positional: 'owner/repo@ref|docker://name:tag',
  options: {
    'app': { kind: 'string', value: 'FILE', help: `the definition whose actions are pinned when no refs are given (default: ${DEFINITION_FILE} in this folder or the nearest parent folder)` },
    'outdir': { kind: 'string', value: 'DIR', help: 'the folder of slipway.lock.json (default: the folder of the definition)' },
    'remote-base': { kind: 'string', value: 'URL', help: `base URL of the action repositories (default: ${DEFAULT_REMOTE_BASE})` },
    'missing': { kind: 'boolean', help: 'only resolve actions that no lock pins yet' },
    'adopt': { kind: 'boolean', help: 'record the SHAs of the generated workflows (after Dependabot updated them), without network access' },
    'images': { kind: 'boolean', help: `resolve the digests of the container images slipway's own steps run (${Object.values(STEP_IMAGES).join(', ')}) into the lock, over the built-in ones; \`docker://name:tag\` refs pin any image` },
    'registry-base': { kind: 'string', value: 'URL', help: 'base URL that replaces every image registry\'s (a mirror or a local registry)' },
  },
  run: (args: ParsedArgs) => {
    const err = (s: string) => process.stderr.write(s + '\n');
    const given = typeof args.flags.app === 'string' ? args.flags.app : undefined;
    // With refs or --adopt, the definition is optional: the lock goes to the current folder when there is none.
    const optional = args.positional.length > 0 || args.flags.adopt === true;
    const log = (s: string) => process.stdout.write(s + '\n');
    const imageRefs = args.positional.filter((r) => r.startsWith('docker://'));
    const actionRefs = args.positional.filter((r) => !r.startsWith('docker://'));
    const images = args.flags.images === true || imageRefs.length > 0;
    const app = given ?? findDefinition() ?? (optional || images ? DEFINITION_FILE : resolveDefinition(undefined, err));
    if (!app) return EXIT_INVALID;
    const outdir = typeof args.flags.outdir === 'string' ? args.flags.outdir : undefined;
    if (images) {
      if (args.flags.adopt === true || args.flags.missing === true) {
        err('slipway pin: --adopt and --missing concern actions; pin images in a separate run');
        return EXIT_INVALID;
      }
      if (actionRefs.length > 0) {
        const code = pinCommand({ app, outdir, remoteBase: typeof args.flags['remote-base'] === 'string' ? args.flags['remote-base'] : undefined, refs: actionRefs }, log, err);
        if (code !== EXIT_OK) return code;
      }
      return pinImagesCommand({
        outdir: outdir ?? path.dirname(path.resolve(app)),
        refs: [...imageRefs, ...(args.flags.images === true ? Object.values(STEP_IMAGES) : [])],
        registryBase: typeof args.flags['registry-base'] === 'string' ? args.flags['registry-base'] : undefined,
      }, log, err);
    }
    return pinCommand({
      app,
      outdir,
      remoteBase: typeof args.flags['remote-base'] === 'string' ? args.flags['remote-base'] : undefined,
      refs: [...args.positional],
      missing: args.flags.missing === true,
      adopt: args.flags.adopt === true,
    }, log, err);
  },
};

/** One action version to pin. */
interface PinRequest {
  /** The lock key, `owner/repo@ref`, lower-case owner/repo. */
  readonly key: string;
  /** `owner/repo` as first written (for the remote URL). */
  readonly repo: string;
  readonly ref: string;
}

function parseRefs(refs: readonly string[], err: Log): PinRequest[] | undefined {
  const out: PinRequest[] = [];
  for (const arg of refs) {
    const parts = splitRef(arg);
    if (!parts || !/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(\/[^@\s]+)?$/.test(parts.repository) || /\s/.test(parts.version)) {
      err(`slipway pin: "${arg}" is not an action reference; use owner/repo@ref, e.g. actions/checkout@v4`);
      return undefined;
    }
    if (isCommitSha(parts.version)) {
      err(`slipway pin: "${arg}" is already a commit SHA; pin the tag instead, e.g. ${parts.repository}@v4`);
      return undefined;
    }
    out.push(request(parts.repository, parts.version));
  }
  return dedupe(out);
}

function requestsOfDefinition(appFile: string, appArg: string, outdir: string, err: Log): PinRequest[] | undefined {
  if (!fs.existsSync(appFile)) {
    err(`slipway pin: definition file "${appArg}" not found; pass --app <file>, or name the actions: slipway pin actions/checkout@v4`);
    return undefined;
  }
  const host: PinHost = { actions: [] };
  setPinHost(host);
  try {
    loadDefinition(appFile, outdir);
  } catch (e) {
    err(`slipway pin: ${appArg} failed to load:\n  ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    setPinHost(undefined);
  }
  return dedupe(host.actions
    .filter((a) => !a.inlineSha && !a.allowUnpinned)
    .map((a) => request(a.repository, a.version)));
}

function request(repository: string, ref: string): PinRequest {
  return { key: lockKey(repository, ref), repo: repository.split('/').slice(0, 2).join('/'), ref };
}

function dedupe(requests: PinRequest[]): PinRequest[] {
  const byKey = new Map<string, PinRequest>();
  for (const r of requests) if (!byKey.has(r.key)) byKey.set(r.key, r);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The refs of one remote repository. */
interface RemoteRefs {
  /** tag name -> commit (annotated tags peeled). */
  readonly tags: Map<string, string>;
  /** branch name -> commit. */
  readonly heads: Map<string, string>;
}

/** Resolves every request; undefined (after reporting every failure) when any fails. */
function resolveAll(requests: readonly PinRequest[], remoteBase: string, err: Log): Map<string, Pin> | undefined {
  const byRepo = new Map<string, PinRequest[]>();
  for (const r of requests) {
    const repo = repoOf(r.repo);
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), r]);
  }
  const out = new Map<string, Pin>();
  const failures: string[] = [];
  for (const group of byRepo.values()) {
    const url = `${remoteBase.replace(/\/+$/, '')}/${group[0].repo}.git`;
    const refs = lsRemote(url, group.map((r) => r.ref));
    if (typeof refs === 'string') {
      failures.push(`${group.map((r) => r.key).join(', ')}: \`git ls-remote ${url}\` failed: ${refs}`);
      continue;
    }
    for (const r of group) {
      const commit = refs.tags.get(r.ref) ?? refs.heads.get(r.ref);
      if (!commit) {
        failures.push(`${r.key}: no tag or branch "${r.ref}" in ${url}; ${describeTags(refs.tags)}`);
        continue;
      }
      const tagsOfCommit = [...refs.tags].filter(([, c]) => c === commit).map(([t]) => t);
      out.set(r.key, { sha: commit, version: bestVersionTag(tagsOfCommit, r.ref) });
    }
  }
  if (failures.length > 0) {
    err(`slipway pin: ${failures.length} action version(s) could not be resolved; ${LOCK_FILE_NAME} was not changed:`);
    for (const f of failures) err(`  ${f}`);
    return undefined;
  }
  return out;
}

/**
 * `git ls-remote <url> refs/tags/* refs/heads/<ref>...`: one round trip per
 * repository. An annotated tag is listed twice, as the tag object and, with
 * `^{}`, peeled to its commit; the commit wins. Returns the error text when
 * git fails.
 */
function lsRemote(url: string, refs: readonly string[]): RemoteRefs | string {
  const patterns = ['refs/tags/*', ...refs.map((r) => `refs/heads/${r}`)];
  const result = spawnSync('git', ['ls-remote', url, ...patterns], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.error) return result.error.message;
  if (result.status !== 0) return (result.stderr || `exit status ${result.status}`).trim().split('\n').slice(-3).join(' ');
  const tags = new Map<string, string>();
  const peeled = new Map<string, string>();
  const heads = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const m = /^([0-9a-f]{40})\t(refs\/(tags|heads)\/(.+))$/.exec(line.trim());
    if (!m) continue;
    const [, sha, , kind, name] = m;
    if (kind === 'heads') heads.set(name, sha);
    else if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), sha);
    else tags.set(name, sha);
  }
  for (const [name, sha] of peeled) tags.set(name, sha);
  return { tags, heads };
}

function describeTags(tags: Map<string, string>): string {
  const versions = [...tags.keys()].filter((t) => parseVersionTag(t)).map((t) => parseVersionTag(t)!);
  if (versions.length === 0) return tags.size === 0 ? 'the repository has no tags' : `tags: ${[...tags.keys()].slice(0, 10).join(', ')}`;
  const majors = [...new Set(versions.filter((v) => v.prerelease === undefined).map((v) => majorRef(v.tag)))];
  return `version tags include: ${majors.slice(-10).join(', ')}`;
}

/**
 * Reads the `uses: owner/repo@<sha> # vX.Y.Z` lines of the workflows and
 * actions under `.github/` and maps each to the lock key it belongs to: an
 * existing key (of the lock or the catalog) of the same repository whose
 * version covers the tag (`v5` covers `v5.0.1`), else `owner/repo@vMAJOR`.
 * Pins equal to the catalog's are left out.
 */
function adoptFromWorkflows(outdir: string, existing: ReadonlyMap<string, Pin>, err: Log): Map<string, Pin> | undefined {
  const files = workflowFiles(path.join(outdir, '.github'));
  const seen = new Map<string, Array<{ readonly sha: string; readonly tag: VersionTag; readonly where: string }>>();
  const keys = [...new Set([...existing.keys(), ...Object.keys(CATALOG_LOCK)])];
  for (const file of files) {
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const m = USES_PINNED.exec(line);
      const tag = m?.[3] !== undefined ? parseVersionTag(m[3]) : undefined;
      if (!m || !tag) return; // not pinned, or no version comment saying which version the SHA is
      const [, repository, sha] = m;
      const where = `${path.relative(outdir, file).split(path.sep).join('/')}:${i + 1}`;
      const repo = repoOf(repository);
      const covering = keys.filter((k) => k.startsWith(`${repo}@`) && isWithin(tag, k.slice(repo.length + 1)));
      for (const key of covering.length > 0 ? covering : [lockKey(repository, majorRef(tag.tag))]) {
        seen.set(key, [...(seen.get(key) ?? []), { sha, tag, where }]);
      }
    });
  }
  const found = new Map<string, Pin>();
  const problems: string[] = [];
  for (const [key, uses] of seen) {
    const top = uses.reduce((a, b) => (compareVersionTags(b.tag, a.tag) > 0 ? b : a));
    const clash = uses.find((u) => u.tag.tag === top.tag.tag && u.sha !== top.sha);
    if (clash) {
      problems.push(`${key}: ${top.where} pins ${top.sha} and ${clash.where} pins ${clash.sha}, both as ${top.tag.tag}; make them agree`);
      continue;
    }
    found.set(key, { sha: top.sha, version: top.tag.tag });
  }
  if (problems.length > 0) {
    err(`slipway pin --adopt: the workflows disagree; ${LOCK_FILE_NAME} was not changed:`);
    for (const p of problems) err(`  ${p}`);
    return undefined;
  }
  const out = new Map<string, Pin>();
  for (const [key, pin] of found) {
    const catalog = CATALOG_LOCK[key];
    if (!existing.has(key) && catalog && catalog.sha === pin.sha) continue;
    out.set(key, { sha: pin.sha, version: pin.version });
  }
  return out;
}

/** `uses: owner/repo[/path]@<40-hex> # tag`, in a step list or not, quoted or not. */
const USES_PINNED = /^\s*(?:-\s+)?uses:\s*['"]?([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(?:\/[^@\s'"]+)?)@([0-9a-f]{40})['"]?\s*(?:#\s*(\S+))?/;

function workflowFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ya?ml$/.test(e.name)) out.push(abs);
    }
  };
  walk(dir);
  return out;
}

function readLock(file: string, err: Log): Map<string, Pin> | undefined {
  return readLockFile(file, err)?.pins;
}

/** The pins and image digests of the lock file (empty when there is none); undefined, reported, when it has problems. */
function readLockFile(file: string, err: Log): { pins: Map<string, Pin>; images: Map<string, string> } | undefined {
  if (!fs.existsSync(file)) return { pins: new Map(), images: new Map() };
  const parsed = parseLockFile(fs.readFileSync(file, 'utf8'), path.basename(file));
  if (parsed.problems.length > 0) {
    err(`slipway pin: ${file} cannot be read; fix or delete it:`);
    for (const p of parsed.problems) err(`  ${p}`);
    return undefined;
  }
  return { pins: parsed.pins, images: parsed.images };
}

function writeLock(file: string, existing: ReadonlyMap<string, Pin>, updates: ReadonlyMap<string, Pin>, log: Log): number {
  const merged = new Map(existing);
  const lines: string[] = [];
  for (const key of [...updates.keys()].sort()) {
    const pin = updates.get(key)!;
    const before = existing.get(key);
    const same = before !== undefined && before.sha === pin.sha && before.version === pin.version;
    lines.push(`  ${same ? 'unchanged' : before ? 'updated  ' : 'added    '} ${key} -> ${pin.sha.slice(0, 12)} (${pin.version})`);
    merged.set(key, pin);
  }
  // the image digests of the file are kept as they are
  const text = serializeLockFile(merged, fs.existsSync(file) ? parseLockFile(fs.readFileSync(file, 'utf8'), path.basename(file)).images : new Map());
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  log(`slipway pin: ${current === text ? 'unchanged' : 'wrote'} ${path.relative(process.cwd(), file) || file} (${merged.size} pin(s))`);
  for (const l of lines) log(l);
  return EXIT_OK;
}
