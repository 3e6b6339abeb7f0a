/**
 * The format of `slipway.lock.json`: which commit each action version is
 * pinned to. Pure functions, shared by the synth-time resolver and the
 * `slipway pin` command.
 *
 * ```json
 * {
 *   "actions": {
 *     "actions/checkout@v4": { "sha": "34e114876b0b11c390a56381ad16ebd13914f8d5", "version": "v4.3.1" }
 *   },
 *   "lockfileVersion": 1
 * }
 * ```
 *
 * Keys are `owner/repo@ref` with owner and repo in lower case (GitHub names
 * are case-insensitive; refs are not). `version` is the most precise tag of
 * the pinned commit, shown as the `# v4.3.1` comment.
 *
 * An optional `"images"` map pins container images by digest
 * (`"curlimages/curl:8.21.0": { "digest": "sha256:<64-hex>" }`); they then
 * render as `curlimages/curl:8.21.0@sha256:...`. Its entries win over the
 * built-in image lock (catalog-lock.ts) of the images slipway's own steps run.
 */

/** The file name, in the App's output directory. @internal */
export const LOCK_FILE_NAME = 'slipway.lock.json';

/** The current `lockfileVersion`. @internal */
export const LOCKFILE_VERSION = 1;

/** One pin. @internal */
export interface Pin {
  /** Full commit SHA, 40 lowercase hex digits. */
  readonly sha: string;
  /** The most precise tag of that commit, e.g. `v4.3.1`. */
  readonly version: string;
}

const SHA = /^[0-9a-f]{40}$/;
const KEY = /^[a-z0-9][a-z0-9-]*\/[a-z0-9._-]+@[A-Za-z0-9._\-/+]+$/;

/** Whether `s` is a full commit SHA (40 lowercase hex digits). @internal */
export function isCommitSha(s: string): boolean {
  return SHA.test(s);
}

/**
 * The lock key of an action version: `owner/repo@version`, with owner and
 * repo lower-cased and any path inside the repository dropped (the SHA
 * belongs to the repository: `github/codeql-action/upload-sarif@v3` is
 * pinned by `github/codeql-action@v3`).
 * @internal
 */
export function lockKey(repository: string, version: string): string {
  return `${repoOf(repository)}@${version}`;
}

/** `owner/repo`, lower-cased, of `owner/repo[/path]`. @internal */
export function repoOf(repository: string): string {
  const first = repository.indexOf('/');
  const second = first < 0 ? -1 : repository.indexOf('/', first + 1);
  return (second < 0 ? repository : repository.slice(0, second)).toLowerCase();
}

/** Splits a lock key (or a `owner/repo[/path]@ref` argument) at its `@`. @internal */
export function splitRef(ref: string): { repository: string; version: string } | undefined {
  const at = ref.indexOf('@');
  if (at <= 0 || at === ref.length - 1) return undefined;
  return { repository: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** Whether `key` is a well-formed lock key. @internal */
export function isLockKey(key: string): boolean {
  return KEY.test(key);
}

/** Parsed lock file. @internal */
export interface ParsedLockFile {
  readonly pins: Map<string, Pin>;
  /** Image reference (`name:tag`) -> manifest digest (`sha256:...`). */
  readonly images: Map<string, string>;
  readonly problems: string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** An image tag: a letter, digit or `_`, then up to 127 of those, `.` and `-`. */
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
/** `[registry/]name:tag`, lower-case name, no digest. */
const IMAGE_KEY = new RegExp(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\\/[a-z0-9]+([._-][a-z0-9]+)*)*:${TAG}$`);
const IMAGE_TAG = new RegExp(`^${TAG}$`);

/** Whether `s` is a manifest digest, `sha256:<64-hex>`. @internal */
export function isImageDigest(s: string): boolean {
  return DIGEST.test(s);
}

/** Whether `s` is an image tag (`1.2.3`, `v0.64.0`). @internal */
export function isImageTag(s: string): boolean {
  return IMAGE_TAG.test(s);
}

/** Whether `s` is an image lock key: `[registry/]name:tag`. @internal */
export function isImageKey(s: string): boolean {
  return IMAGE_KEY.test(s);
}

/**
 * Parses the text of a lock file. Problems name the file and the entry, and
 * say how to fix it; entries with problems are left out.
 * @internal
 */
export function parseLockFile(text: string, file: string): ParsedLockFile {
  const pins = new Map<string, Pin>();
  const images = new Map<string, string>();
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push(`${file} is not valid JSON (${(e as Error).message}); fix it or delete it and run \`npx slipway pin\``);
    return { pins, images, problems };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`${file} must be a JSON object with an "actions" map; delete it and run \`npx slipway pin\``);
    return { pins, images, problems };
  }
  const { actions, lockfileVersion, images: imageMap } = doc as { actions?: unknown; lockfileVersion?: unknown; images?: unknown };
  if (lockfileVersion !== undefined && lockfileVersion !== LOCKFILE_VERSION) {
    problems.push(`${file} has lockfileVersion ${JSON.stringify(lockfileVersion)}, but this slipway reads version ${LOCKFILE_VERSION}; upgrade slipway or run \`npx slipway pin\` to rewrite it`);
    return { pins, images, problems };
  }
  if (imageMap !== undefined) {
    if (imageMap === null || typeof imageMap !== 'object' || Array.isArray(imageMap)) {
      problems.push(`${file}: "images" must map "name:tag" to { "digest": "sha256:..." }`);
    } else {
      for (const [key, value] of Object.entries(imageMap as Record<string, unknown>)) {
        const digest = (value as { digest?: unknown } | null)?.digest;
        if (!isImageKey(key)) problems.push(`${file}: image "${key}" is not a "[registry/]name:tag" reference (lower-case name, a tag, no digest)`);
        else if (typeof digest !== 'string' || !isImageDigest(digest)) problems.push(`${file}: image "${key}" has digest ${JSON.stringify(digest)}, which is not "sha256:<64-hex>"; run \`npx slipway pin docker://${key}\` to resolve it`);
        else images.set(key, digest);
      }
    }
  }
  if (actions === undefined) return { pins, images, problems };
  if (actions === null || typeof actions !== 'object' || Array.isArray(actions)) {
    problems.push(`${file}: "actions" must map "owner/repo@version" to { "sha": ..., "version": ... }`);
    return { pins, images, problems };
  }
  for (const [key, value] of Object.entries(actions as Record<string, unknown>)) {
    const problem = pinProblem(key, value);
    if (problem) {
      problems.push(`${file}: entry "${key}" ${problem}`);
      continue;
    }
    pins.set(key, { sha: (value as Pin).sha, version: (value as Pin).version });
  }
  return { pins, images, problems };
}

/**
 * What is wrong with one lock entry, or undefined.
 * @internal
 */
export function pinProblem(key: string, value: unknown): string | undefined {
  if (!isLockKey(key)) {
    return 'is not a valid key; use "owner/repo@version" with owner and repo in lower case (e.g. "actions/checkout@v4")';
  }
  if (value === null || typeof value !== 'object') return 'must be an object { "sha": "<40-hex>", "version": "v1.2.3" }';
  const { sha, version } = value as { sha?: unknown; version?: unknown };
  if (typeof sha !== 'string' || !isCommitSha(sha)) {
    return `has sha ${JSON.stringify(sha)}, which is not a full commit SHA (40 lowercase hex digits); run \`npx slipway pin ${key}\` to resolve it`;
  }
  if (typeof version !== 'string' || version.trim() === '' || /\s/.test(version)) {
    return `has version ${JSON.stringify(version)}; it must be the tag of the pinned commit, e.g. "v4.3.1"`;
  }
  return undefined;
}

/**
 * Serializes pins deterministically: keys sorted, two-space indentation,
 * trailing newline. The same pins always give the same bytes.
 * @internal
 */
export function serializeLockFile(pins: ReadonlyMap<string, Pin>, images: ReadonlyMap<string, string> = new Map()): string {
  const actions: Record<string, Pin> = {};
  for (const key of [...pins.keys()].sort(compareKeys)) {
    const pin = pins.get(key)!;
    actions[key] = { sha: pin.sha, version: pin.version };
  }
  const imageMap: Record<string, { digest: string }> = {};
  for (const key of [...images.keys()].sort(compareKeys)) imageMap[key] = { digest: images.get(key)! };
  // "images" only when there are some: a lock of actions alone keeps its bytes.
  const doc = images.size > 0 ? { actions, images: imageMap, lockfileVersion: LOCKFILE_VERSION } : { actions, lockfileVersion: LOCKFILE_VERSION };
  return JSON.stringify(doc, undefined, 2) + '\n';
}

/** Plain code-unit order: independent of locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
