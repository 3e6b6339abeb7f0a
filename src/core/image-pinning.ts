import { IConstruct } from 'constructs';

/**
 * A container image a construct renders without a digest: the lock file does
 * not pin it and the reference names none.
 * @internal
 */
export interface UnpinnedImage {
  /** What runs it, e.g. `job "test" service "postgres"` (without the construct path). */
  readonly what: string;
  /** The reference as the definition gives it, e.g. `postgres:15` or `docker://alpine`. */
  readonly image: string;
}

/**
 * A construct that renders container images. Synthesis reports the unpinned
 * ones as warnings, or as errors under `supplyChain: { strict: true }`.
 * @internal
 */
export interface ImageSource {
  _unpinnedImages(): UnpinnedImage[];
}

function isImageSource(x: unknown): x is ImageSource {
  return typeof (x as ImageSource)._unpinnedImages === 'function';
}

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * Whether an image reference is pinned by itself: it names a digest, or it is
 * built from an expression (`${{ ... }}`), which synthesis cannot judge.
 * @internal
 */
export function pinnedByReference(image: string): boolean {
  return image.includes('${{') || DIGEST.test(image.replace(/^docker:\/\//, '').trim());
}

/** `name` and `tag` of a reference without a digest (`tag` undefined when it has none). */
function nameAndTag(image: string): { name: string; tag?: string } {
  const ref = image.replace(/^docker:\/\//, '').trim();
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref };
}

/**
 * Whether `allow` (entries of `supplyChain.allowUnpinned`) lets `image` go
 * unpinned: an entry is a repository (every tag of it) or a `name:tag`.
 * @internal
 */
export function allowedUnpinned(image: string, allow: readonly string[]): boolean {
  const { name, tag } = nameAndTag(image);
  return allow.some((a) => a === name || (tag !== undefined && a === `${name}:${tag}`));
}

/**
 * The finding for an unpinned image, with the fix: pin it by digest through
 * the lock file (`npx slipway pin docker://name:tag`), or in the reference.
 * @internal
 */
export function unpinnedImageMessage(u: UnpinnedImage): string {
  const { name, tag } = nameAndTag(u.image);
  const docker = u.image.startsWith('docker://') ? 'docker://' : '';
  if (tag === undefined || tag === 'latest') {
    return `${u.what} runs image "${u.image}", which is not pinned (${tag ? 'the tag "latest" moves' : 'no tag means "latest", which moves'}); `
      + `give a version and pin it by digest: "${docker}${name}:<version>", then \`npx slipway pin docker://${name}:<version>\` and commit slipway.lock.json, `
      + `or "${docker}${name}:<version>@sha256:<digest>"`;
  }
  return `${u.what} runs image "${u.image}" by its tag alone, and a tag can be pushed again with other content; `
    + `pin it by digest: \`npx slipway pin docker://${name}:${tag}\` and commit slipway.lock.json (synthesis then renders "${name}:${tag}@sha256:..."), `
    + `or give "${docker}${name}:${tag}@sha256:<digest>"`;
}

/** Unpinned images recorded for constructs that render them inside scripts (the images of checks). */
const RECORDED = new WeakMap<IConstruct, UnpinnedImage[]>();

/**
 * Records an unpinned image that `scope` renders (e.g. in a `docker run`
 * command of a check's step), for the warnings and `supplyChain.strict`.
 * @internal
 */
export function recordUnpinnedImage(scope: IConstruct, image: UnpinnedImage): void {
  const list = RECORDED.get(scope) ?? [];
  if (!list.some((u) => u.what === image.what && u.image === image.image)) list.push(image);
  RECORDED.set(scope, list);
}

/**
 * The unpinned images of the tree under `root` that `allow` does not let go
 * unpinned, each with the construct that renders it.
 * @internal
 */
export function unpinnedImagesOf(root: IConstruct, allow: readonly string[]): Array<{ readonly scope: IConstruct; readonly message: string }> {
  const out: Array<{ scope: IConstruct; message: string }> = [];
  for (const c of root.node.findAll()) {
    const images = [...(isImageSource(c) ? c._unpinnedImages() : []), ...(RECORDED.get(c) ?? [])];
    for (const u of images) {
      if (pinnedByReference(u.image) || allowedUnpinned(u.image, allow)) continue;
      const message = unpinnedImageMessage(u);
      if (!out.some((o) => o.scope === c && o.message === message)) out.push({ scope: c, message });
    }
  }
  return out;
}
