/**
 * Version tags of actions: `v4`, `v4.2`, `v4.2.2`, `0.35.0`, `v1.0.0-rc.1`.
 * Used to name the pinned version in the comment (`# v4.2.2`) and to match
 * tags to the major version a definition asks for.
 */

const TAG = /^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;

/** A parsed version tag. @internal */
export interface VersionTag {
  readonly tag: string;
  /** `v` or `''`. */
  readonly prefix: string;
  /** major, minor, patch: as many as the tag has. */
  readonly parts: number[];
  readonly prerelease?: string;
}

/** Parses a version tag, or returns undefined for other refs (`main`, `release/v1`). @internal */
export function parseVersionTag(tag: string): VersionTag | undefined {
  const m = TAG.exec(tag);
  if (!m) return undefined;
  const parts = [m[2], m[3], m[4]].filter((p) => p !== undefined).map((p) => Number(p));
  return { tag, prefix: m[1], parts, prerelease: m[5] };
}

/**
 * Orders tags: by major, minor, patch (a missing part counts as 0), a
 * release above its prereleases, then the more precise tag above the less
 * precise one (`v4.0.0` above `v4`).
 * @internal
 */
export function compareVersionTags(a: VersionTag, b: VersionTag): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.prerelease !== b.prerelease) {
    if (a.prerelease === undefined) return 1;
    if (b.prerelease === undefined) return -1;
    return a.prerelease < b.prerelease ? -1 : 1;
  }
  if (a.parts.length !== b.parts.length) return a.parts.length - b.parts.length;
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

/**
 * Whether `tag` is within what `requested` asks for: `v4` covers every
 * `v4.x.y`, `v4.2` every `v4.2.y`, a full version only itself. Both must use
 * the same `v` prefix. A requested ref that is not a version tag (a branch)
 * covers every version tag.
 * @internal
 */
export function isWithin(tag: VersionTag, requested: string): boolean {
  const req = parseVersionTag(requested);
  if (!req) return true;
  if (req.prefix !== tag.prefix) return false;
  if (req.prerelease !== undefined) return tag.tag === requested;
  return req.parts.every((p, i) => tag.parts[i] === p);
}

/**
 * The tag to name a commit by, among the tags pointing at it: the most
 * precise, highest tag within `requested` (`v4` -> `v4.3.1`). When no full
 * version (`x.y.z`) is within it, the highest full version of the commit
 * (a `v1` tag moved onto the `v0.1.15` release names it `v0.1.15`). Else
 * `requested` itself. Releases are preferred to prereleases.
 * @internal
 */
export function bestVersionTag(tags: Iterable<string>, requested: string): string {
  const parsed = [...tags].map(parseVersionTag).filter((v): v is VersionTag => v !== undefined);
  // a release names a commit better than a prerelease of it
  const releases = parsed.filter((v) => v.prerelease === undefined);
  const candidates = releases.length > 0 ? releases : parsed;
  const within = highest(candidates.filter((v) => isWithin(v, requested)));
  if (within && within.parts.length === 3) return within.tag;
  const full = highest(candidates.filter((v) => v.parts.length === 3));
  return full?.tag ?? within?.tag ?? requested;
}

function highest(tags: VersionTag[]): VersionTag | undefined {
  return tags.reduce<VersionTag | undefined>((best, v) => (!best || compareVersionTags(v, best) > 0 ? v : best), undefined);
}

/**
 * The major-version ref of a full version tag (`v4.3.1` -> `v4`), or the tag
 * itself when it has no meaningful major (`0.x`, prereleases, branches).
 * @internal
 */
export function majorRef(tag: string): string {
  const v = parseVersionTag(tag);
  if (!v || v.prerelease !== undefined || v.parts[0] === 0) return tag;
  return `${v.prefix}${v.parts[0]}`;
}
