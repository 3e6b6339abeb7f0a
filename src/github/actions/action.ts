import { IConstruct } from 'constructs';
import { ActionLock } from './action-lock';
import { catalogMetadata, catalogMetadataAt } from './catalog/catalog-metadata';
import { isCommitSha, lockKey } from './lock-file';
import { registerWithPinHost } from './pin-host';
import { fail } from '../../core/errors';

/** `owner/repo` or `owner/repo/path/to/action`, as GitHub accepts in `uses:`. */
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._\-/]+)?$/;
/** A git ref name as it may follow `@`: no whitespace, no `@`, no `~^:?*[\`. */
const REF_PATTERN = /^[A-Za-z0-9._\-/+]+$/;

/**
 * Options of {@link Action.of}.
 */
export interface ActionOptions {
  /**
   * Permission scopes the action needs, added to the job that uses it,
   * e.g. `{ 'id-token': 'write' }`. Catalog actions ({@link Actions}) declare
   * theirs; these are added on top. Pass `{}` for an action that needs no
   * scope: a workflow warns at synth about actions that declare nothing.
   * @default - undeclared: the job grants none, and synth warns
   * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions
   */
  readonly permissions?: { [scope: string]: string };

  /**
   * Render `owner/repo@version` unpinned when no lock has a commit SHA for
   * it. This is an explicit opt-out of SHA pinning: a moved tag then changes
   * what runs. A lock entry, when there is one, still wins.
   * @default false
   */
  readonly allowUnpinned?: boolean;

  /**
   * The commit SHA to pin to (40 lowercase hex digits), instead of looking it
   * up in a lock. The version is then shown as the comment.
   * @default - the SHA from `slipway.lock.json` or the built-in catalog lock
   */
  readonly sha?: string;

  /**
   * Inputs (`with:`) the action is used with. Keys are kept exactly as
   * written. A step's own `with` adds to these and wins on conflicts.
   * @default - none
   */
  readonly inputs?: { [key: string]: any };

  /**
   * Environment variables the action reads (some actions take their token
   * from `env:`). A step's own `env` adds to these and wins on conflicts.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * The inputs and outputs the action declares, to check `with:` and output
   * references at synth (typed bindings from `npx slipway add-action` pass them).
   * @default - for an action of slipway's catalog, at a version the built-in
   * lock pins, the inputs and outputs recorded from its `action.yml` at the
   * pinned commit; otherwise not checked
   */
  readonly metadata?: ActionMetadata;
}

/**
 * One input an action declares in its `action.yml`.
 */
export interface ActionInputSpec {
  /**
   * Whether the action requires the input (`required: true`). A required input
   * with a default may be left out.
   * @default false
   */
  readonly required?: boolean;

  /**
   * The input's default (`default:`), as text.
   * @default - none
   */
  readonly defaultValue?: string;

  /**
   * The action's description of the input.
   * @default - none
   */
  readonly description?: string;

  /**
   * The action's deprecation message for the input (`deprecationMessage:`).
   * @default - not deprecated
   */
  readonly deprecationMessage?: string;
}

/**
 * The inputs and outputs an action declares (its `action.yml`). An action that
 * carries them has its `with:` checked at synth: unknown inputs, required
 * inputs not given, and `steps.<id>.outputs.<name>` references to outputs it
 * does not declare are errors. `npx slipway add-action` writes them into the
 * typed binding it generates.
 */
export interface ActionMetadata {
  /** The inputs, by name as the action spells them. */
  readonly inputs: { [name: string]: ActionInputSpec };

  /**
   * The output names.
   * @default - outputs are not checked
   */
  readonly outputs?: string[];
}

/**
 * The reference a step renders: `uses:` and the version comment.
 * @internal
 */
export interface ActionReference {
  /** `owner/repo@<40-hex>`, `./path` or `docker://image`. */
  readonly uses: string;
  /** ` v4.2.2` (a YAML comment body, with its leading space), when pinned. */
  readonly comment?: string;
}

enum ActionKind {
  REPOSITORY = 'repository',
  LOCAL = 'local',
  DOCKER = 'docker',
}

/**
 * An action that a step runs (`uses:`): a public action in a repository,
 * pinned to a full commit SHA; an action in the same repository (`./path`);
 * or a Docker image (`docker://...`).
 *
 * Repository actions are pinned through a lock: the user's
 * `slipway.lock.json` (refreshed by `npx slipway pin`) overrides and extends
 * slipway's built-in catalog lock. An action that no lock pins is an error at
 * synth, unless `allowUnpinned` is set.
 *
 * An Action can carry the inputs (`with:`) and environment it is used with:
 * the typed factories of {@link Actions} return actions with their inputs set.
 *
 * @example
 * Step.uses(Action.of('actions/checkout', 'v4'), { with: { 'fetch-depth': 0 } });
 * Step.uses(Actions.checkout({ fetchDepth: 0 }));
 */
export class Action {
  /**
   * A public action, `owner/repo` or `owner/repo/path`, at a version tag
   * (`v4`, `v4.2.2`) or branch. It renders as `owner/repo@<40-hex> # v4.2.2`.
   *
   * @param repository `owner/repo` or `owner/repo/path/to/action`
   * @param version the tag (or branch) to pin, e.g. `v4`
   */
  public static of(repository: string, version: string, options: ActionOptions = {}): Action {
    if (!REPOSITORY_PATTERN.test(repository)) {
      throw new Error(`Action.of: repository "${repository}" is invalid; use "owner/repo" or "owner/repo/path/to/action" (e.g. "actions/checkout", "github/codeql-action/upload-sarif"). For an action in this repository use Action.local("./path"), for an image Action.docker("docker://image")`);
    }
    if (isCommitSha(version)) {
      throw new Error(`Action.of("${repository}", "${version}"): the version is a commit SHA; pass the tag it belongs to as the version and the SHA as { sha: "${version}" }, so the rendered comment shows the version`);
    }
    if (!REF_PATTERN.test(version) || version.startsWith('/') || version.endsWith('/')) {
      throw new Error(`Action.of("${repository}", "${version}"): version must be a tag or branch name such as "v4" or "v4.2.2"`);
    }
    if (options.sha !== undefined && !isCommitSha(options.sha)) {
      throw new Error(`Action.of("${repository}", "${version}"): sha "${options.sha}" is not a full commit SHA; give all 40 lowercase hex digits (\`git ls-remote https://github.com/${repository.split('/').slice(0, 2).join('/')}.git refs/tags/${version}\` prints it)`);
    }
    // an action slipway's catalog recorded is checked against its action.yml unless told otherwise
    const recorded = options.metadata === undefined ? catalogMetadata(repository, version, options.sha) : undefined;
    const action = new Action(ActionKind.REPOSITORY, repository, version, {
      ...options,
      metadata: options.metadata ?? (recorded ? { inputs: recorded.inputs, outputs: recorded.outputs } : undefined),
    }, options.metadata === undefined);
    registerWithPinHost(action);
    return action;
  }

  /**
   * An action in the same repository as the workflow, e.g.
   * `./.github/actions/build`. It needs no pin: it is the repository's own code.
   */
  public static local(path: string): Action {
    if (!path.startsWith('./') || path.includes('@') || /\s/.test(path)) {
      throw new Error(`Action.local: path "${path}" must start with "./" and be relative to the repository root (e.g. "./.github/actions/build")`);
    }
    return new Action(ActionKind.LOCAL, '', path, {});
  }

  /**
   * A Docker image run as an action, e.g. `docker://alpine:3.20`. Pin it by
   * digest (`docker://alpine@sha256:...`) to make it immutable.
   */
  public static docker(image: string): Action {
    const ref = image.startsWith('docker://') ? image.slice('docker://'.length) : image;
    if (ref === '' || /\s/.test(ref)) {
      throw new Error(`Action.docker: image "${image}" is invalid; use e.g. "docker://alpine:3.20" or "docker://alpine@sha256:<digest>"`);
    }
    return new Action(ActionKind.DOCKER, '', `docker://${ref}`, {});
  }

  /** `owner/repo` or `owner/repo/path`; `''` for local and Docker actions. */
  public readonly repository: string;

  /**
   * The version asked for (`v4`); the path of a local action; the
   * `docker://` reference of a Docker action.
   */
  public readonly version: string;

  /** Permission scopes the action needs, e.g. `{ 'id-token': 'write' }`. */
  public readonly permissions: { [scope: string]: string };

  /** Inputs (`with:`) the action is used with. */
  public readonly inputs: { [key: string]: any };

  /** Environment variables the action is used with. */
  public readonly env: { [name: string]: string };

  /** Whether the action may render unpinned when no lock pins it. */
  public readonly allowUnpinned: boolean;

  /** The inline commit SHA, if one was given. */
  public readonly sha?: string;

  /** The inputs and outputs the action declares, when known. */
  public readonly metadata?: ActionMetadata;

  /**
   * Whether the permission scopes were declared (catalog actions, or
   * `permissions` given, even `{}`): a workflow warns about actions that
   * declare none, since their needs are unknown.
   * @internal
   */
  public readonly _permissionsDeclared: boolean;

  /**
   * Whether the metadata is the catalog's (not given): it is then looked up
   * again for the commit the action resolves to, see `_metadataAt`.
   */
  private readonly catalogMetadata: boolean;

  private readonly kind: ActionKind;

  private constructor(kind: ActionKind, repository: string, version: string, options: ActionOptions, catalog = false) {
    this.kind = kind;
    this.repository = repository;
    this.version = version;
    this.permissions = { ...(options.permissions ?? {}) };
    this._permissionsDeclared = options.permissions !== undefined || kind !== ActionKind.REPOSITORY;
    this.inputs = { ...(options.inputs ?? {}) };
    this.env = { ...(options.env ?? {}) };
    this.allowUnpinned = options.allowUnpinned ?? false;
    this.sha = options.sha;
    this.metadata = options.metadata;
    this.catalogMetadata = catalog;
  }

  /**
   * The same action with more inputs (`with:`): these add to the action's
   * inputs and win on conflicts. Use it for inputs a catalog action does not
   * type yet.
   */
  public withInputs(inputs: { [key: string]: any }): Action {
    return this.copy({ inputs: { ...this.inputs, ...inputs } });
  }

  /**
   * The same action with the inputs and outputs it declares, checked at synth.
   * @internal
   */
  public _withMetadata(metadata: ActionMetadata): Action {
    return this.copy({ metadata });
  }

  /**
   * The inputs and outputs to check the action's `with:` and output
   * references against, in the App of `scope`: metadata given to
   * `Action.of`, or else what the catalog recorded for the commit the action
   * resolves to there (none when a `slipway.lock.json` pins another commit).
   * @internal
   */
  public _metadataAt(scope: IConstruct): ActionMetadata | undefined {
    if (!this.catalogMetadata || this.kind !== ActionKind.REPOSITORY) return this.metadata;
    let sha = this.sha;
    if (sha === undefined) {
      try {
        sha = ActionLock.of(scope)._resolve(this.repository, this.version)?.sha;
      } catch {
        return undefined; // a bad lock file is reported where the reference is rendered
      }
    }
    const recorded = catalogMetadataAt(this.repository, sha);
    return recorded ? { inputs: recorded.inputs, outputs: recorded.outputs } : undefined;
  }

  /** The same action with more environment variables. */
  public withEnv(env: { [name: string]: string }): Action {
    return this.copy({ env: { ...this.env, ...env } });
  }

  /** The same action needing more permission scopes. */
  public withPermissions(permissions: { [scope: string]: string }): Action {
    return this.copy({ permissions: { ...this.permissions, ...permissions } });
  }

  /** `owner/repo@version` (or the local path / Docker reference). */
  public toString(): string {
    return this.kind === ActionKind.REPOSITORY ? `${this.repository}@${this.version}` : this.version;
  }

  /**
   * The `uses:` reference, pinned through the lock of the App `scope` belongs
   * to. Throws, naming `scope`'s path and the fix, when the action is not pinned.
   * @internal
   */
  public _reference(scope: IConstruct): ActionReference {
    if (this.kind === ActionKind.DOCKER) return { uses: `docker://${ActionLock.of(scope)._imageRef(this.version.slice('docker://'.length))}` };
    if (this.kind !== ActionKind.REPOSITORY) return { uses: this.version };
    if (this.sha) return { uses: `${this.repository}@${this.sha}`, comment: ` ${this.version}` };

    const pin = ActionLock.of(scope)._resolve(this.repository, this.version);
    if (pin) return { uses: `${this.repository}@${pin.sha}`, comment: ` ${pin.version}` };
    // the opt-out is written next to the reference, where `slipway audit` reads it
    if (this.allowUnpinned) return { uses: `${this.repository}@${this.version}`, comment: ' slipway-audit: ignore[unpinned-uses] (allowUnpinned)' };

    const ref = lockKey(this.repository, this.version);
    return fail(scope, `action "${this.repository}@${this.version}" is not pinned to a commit SHA: neither ${ActionLock.FILE_NAME} nor slipway's built-in catalog has "${ref}". `
      + `Run \`npx slipway pin ${ref}\` (or \`npx slipway pin\` for every action of the definition) and commit ${ActionLock.FILE_NAME}; `
      + 'or pass { sha: "<40-hex commit>" } to Action.of; or opt out of pinning with { allowUnpinned: true }');
  }

  private copy(changes: ActionOptions): Action {
    const catalog = this.catalogMetadata && changes.metadata === undefined;
    const action = new Action(this.kind, this.repository, this.version, {
      permissions: this._permissionsDeclared ? this.permissions : undefined,
      inputs: this.inputs,
      env: this.env,
      allowUnpinned: this.allowUnpinned,
      sha: this.sha,
      metadata: this.metadata,
      ...changes,
    }, catalog);
    return action;
  }
}
