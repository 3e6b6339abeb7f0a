import * as fs from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { CATALOG_IMAGE_LOCK, CATALOG_LOCK } from './catalog-lock';
import { LOCK_FILE_NAME, lockKey, parseLockFile, Pin, pinProblem, repoOf, splitRef } from './lock-file';
import { App } from '../../core/app';
import { pathMessage, SlipwayError } from '../../core/errors';
import type { UnpinnedImage } from '../../core/image-pinning';

const LOCK_SYMBOL = Symbol.for('slipway.ActionLock');

/**
 * One pinned action version: the commit and the tag shown as its comment.
 */
export interface LockEntry {
  /**
   * The full commit SHA: 40 lowercase hex digits.
   */
  readonly sha: string;

  /**
   * The most precise tag of that commit, shown as the comment of the
   * rendered `uses:` line, e.g. `v4.2.2`.
   */
  readonly version: string;
}

/**
 * Properties of an {@link ActionLock}.
 */
export interface ActionLockProps {
  /**
   * Pins given in code, keyed `owner/repo@version` (e.g.
   * `actions/checkout@v4`). They win over the lock file and the catalog.
   * @default - none
   */
  readonly entries?: { [action: string]: LockEntry };

  /**
   * The lock file, relative to the App's output directory (or absolute).
   * @default "slipway.lock.json"
   */
  readonly file?: string;
}

/**
 * The commit SHAs that actions are pinned to, for one App.
 *
 * A `uses:` reference is resolved from three layers, first match wins:
 * 1. entries given in code (`entries`, {@link ActionLock.addEntry});
 * 2. the lock file `slipway.lock.json` in the App's output directory,
 *    committed with the definition and refreshed by `npx slipway pin`;
 * 3. slipway's built-in catalog lock.
 *
 * Each layer is looked up by `owner/repo@version` first; a version such as
 * `v4.4.0` also matches an entry (e.g. `actions/checkout@v4`) whose pinned
 * version is exactly `v4.4.0`.
 *
 * Container images (`name:tag`) are pinned by digest from the lock file's
 * `"images"` map first, then from slipway's built-in image lock (the exact
 * versions of the images slipway's own steps run).
 *
 * Every App has one ActionLock, created on first use with the defaults;
 * create it yourself (as a child of the App) to pass entries or another file.
 *
 * @example
 * new ActionLock(app, 'ActionLock', {
 *   entries: { 'azure/k8s-set-context@v4': { sha: '<40-hex>', version: 'v4.0.1' } },
 * });
 */
export class ActionLock extends Construct {
  /** The default lock file name. */
  public static readonly FILE_NAME = LOCK_FILE_NAME;

  /** Whether `x` is an ActionLock. */
  public static isActionLock(x: any): x is ActionLock {
    return x !== null && typeof x === 'object' && LOCK_SYMBOL in x;
  }

  /**
   * The ActionLock of the App that `scope` belongs to, created with the
   * defaults if the App has none yet.
   */
  public static of(scope: IConstruct): ActionLock {
    const root = scope.node.root;
    // every step render asks: remember the root's lock (O(1)) rather than list the root's children each time
    const known = LOCKS.get(root);
    if (known && root.node.tryFindChild(known.node.id) === known) return known;
    const existing = root.node.children.find((c) => ActionLock.isActionLock(c));
    if (existing) return existing as ActionLock;
    return new ActionLock(root as Construct, 'ActionLock');
  }

  /** The lock file path (absolute); undefined when the root is not an App. */
  public readonly file?: string;

  private readonly entries = new Map<string, Pin>();
  private readonly resolved = new Map<string, Pin | undefined>();
  private fileContent?: { readonly pins: Map<string, Pin>; readonly images: Map<string, string>; readonly problems: string[] };

  constructor(scope: Construct, id: string, props: ActionLockProps = {}) {
    super(scope, id);
    Object.defineProperty(this, LOCK_SYMBOL, { value: true });
    if (scope.node.scope !== undefined) {
      throw new SlipwayError([pathMessage(this, 'an ActionLock must be a direct child of the App (new ActionLock(app, "ActionLock", {...})); the App reads one lock for all its workflows')]);
    }
    const others = scope.node.children.filter((c) => c !== this && ActionLock.isActionLock(c));
    if (others.length > 0) {
      throw new SlipwayError([pathMessage(this, `the App already has an ActionLock ("${others[0].node.path}"); create it once, before any workflow renders, and add entries to it with addEntry()`)]);
    }
    if (App.isApp(scope)) {
      this.file = path.resolve(scope.outdir, props.file ?? LOCK_FILE_NAME);
    }
    LOCKS.set(scope, this);
    for (const [action, entry] of Object.entries(props.entries ?? {})) this.addEntry(action, entry);
    // reported once, before rendering, when the lock exists by then (a Workflow creates it)
    this.node.addValidation({ validate: () => this.readFile().problems });
  }

  /**
   * Pins an action version (`owner/repo@version`, e.g. `actions/checkout@v4`)
   * to a commit. Entries added in code win over the lock file and the catalog.
   * @param action `owner/repo@version`
   */
  public addEntry(action: string, entry: LockEntry): void {
    const parts = splitRef(action);
    if (!parts) {
      throw new SlipwayError([pathMessage(this, `lock entry "${action}" must be "owner/repo@version", e.g. "actions/checkout@v4"`)]);
    }
    const key = lockKey(parts.repository, parts.version);
    const problem = pinProblem(key, entry);
    if (problem) throw new SlipwayError([pathMessage(this, `lock entry "${action}" ${problem}`)]);
    this.entries.set(key, { sha: entry.sha, version: entry.version });
    this.resolved.clear();
  }

  /**
   * The pin of `repository` (`owner/repo[/path]`) at `version`, from the
   * first layer that has it; undefined when none does. Throws when the lock
   * file cannot be read.
   * @internal
   */
  public _resolve(repository: string, version: string): Pin | undefined {
    // a workflow asks once per step; addEntry() forgets the answers
    const asked = `${repository}@${version}`;
    if (this.resolved.has(asked)) return this.resolved.get(asked);
    const pin = this.resolveNow(repository, version);
    this.resolved.set(asked, pin);
    return pin;
  }

  private resolveNow(repository: string, version: string): Pin | undefined {
    const key = lockKey(repository, version);
    const repo = repoOf(repository);
    for (const layer of [this.entries, this.loadFile(), CATALOG_MAP]) {
      const pin = layer.get(key) ?? findByVersion(layer, repo, version);
      if (pin) return pin;
    }
    return undefined;
  }

  /**
   * `name:tag@sha256:...` when the lock file (see `slipway pin
   * docker://name:tag`) or else the built-in image lock pins the image
   * `name:tag`, else the reference unchanged.
   * @internal
   */
  public _imageRef(image: string): string {
    this.loadFile(); // problems of the file are errors, as for actions
    const digest = this.readFile().images.get(image) ?? CATALOG_IMAGE_MAP.get(image);
    return digest ? `${image}@${digest}` : image;
  }

  private loadFile(): Map<string, Pin> {
    const { pins, problems } = this.readFile();
    if (problems.length > 0) throw new SlipwayError(problems.map((p) => pathMessage(this, p)));
    return pins;
  }

  private readFile(): { readonly pins: Map<string, Pin>; readonly images: Map<string, string>; readonly problems: string[] } {
    if (!this.fileContent) {
      this.fileContent = this.file && fs.existsSync(this.file)
        ? parseLockFile(fs.readFileSync(this.file, 'utf8'), path.basename(this.file))
        : { pins: new Map(), images: new Map(), problems: [] };
    }
    return this.fileContent;
  }
}

/**
 * Whether the lock file of `scope`'s App or the built-in image lock pins
 * `image` (`name:tag`, or `docker://name:tag`) by digest. A lock file with
 * problems pins nothing (its problems are reported where actions are rendered).
 * @internal
 */
export function lockPinsImage(scope: IConstruct, image: string): boolean {
  const ref = image.replace(/^docker:\/\//, '');
  return lockedImageRef(scope, ref) !== ref;
}

/**
 * `name:tag@sha256:...` when the lock file of `scope`'s App or the built-in
 * image lock pins `name:tag`, else `image` unchanged (also when the lock file
 * has problems: they are reported where actions are rendered).
 * @internal
 */
export function lockedImageRef(scope: IConstruct, image: string): string {
  try {
    return ActionLock.of(scope)._imageRef(image);
  } catch {
    return image;
  }
}

/**
 * `name:tag@sha256:...` when the built-in image lock pins `name:tag`, else
 * `image` unchanged: the reference of a step rendered outside any App.
 * @internal
 */
export function catalogImageRef(image: string): string {
  const digest = CATALOG_IMAGE_MAP.get(image);
  return digest ? `${image}@${digest}` : image;
}

/** What the lock needs of an application (see core/application.ts). */
interface ApplicationOfImage {
  readonly name: string;
  readonly image: ApplicationImage;
}

/** What the lock needs of an application's image (see core/application.ts `Image`). */
interface ApplicationImage {
  readonly repository: string;
  readonly defaultTag?: string;
  readonly buildOptions?: unknown;
}

/**
 * The digest the lock file of `scope`'s App pins for a prebuilt application
 * image (`Image.fromRegistry(repository, tag)`), if any.
 * @internal
 */
export function lockedApplicationDigest(scope: IConstruct, image: ApplicationImage): string | undefined {
  if (image.buildOptions !== undefined || image.defaultTag === undefined) return undefined;
  const ref = `${image.repository}:${image.defaultTag}`;
  const locked = lockedImageRef(scope, ref);
  return locked === ref ? undefined : locked.slice(ref.length + 1);
}

/**
 * A prebuilt application image (`Image.fromRegistry(repository, tag)`) that
 * neither a digest nor the lock file pins, as `[{ what, image }]`; images the
 * pipeline builds are deployed by digest, and an untagged prebuilt image by
 * the digest its deployment is given.
 * @internal
 */
export function unpinnedApplicationImage(scope: IConstruct, application: ApplicationOfImage): UnpinnedImage[] {
  const image = application.image;
  if (image.buildOptions !== undefined || image.defaultTag === undefined) return [];
  if (lockedApplicationDigest(scope, image) !== undefined) return [];
  return [{ what: `application "${application.name}"`, image: `${image.repository}:${image.defaultTag}` }];
}

/** The ActionLock of each App (root construct). */
const LOCKS = new WeakMap<IConstruct, ActionLock>();

const CATALOG_MAP: ReadonlyMap<string, Pin> = new Map(Object.entries(CATALOG_LOCK));

const CATALOG_IMAGE_MAP: ReadonlyMap<string, string> = new Map(Object.entries(CATALOG_IMAGE_LOCK));

/** An entry of `repo` whose pinned version is exactly `version` (`v4.3.1` found under `@v4`). */
function findByVersion(layer: ReadonlyMap<string, Pin>, repo: string, version: string): Pin | undefined {
  for (const [key, pin] of layer) {
    if (pin.version === version && key.startsWith(`${repo}@`)) return pin;
  }
  return undefined;
}
