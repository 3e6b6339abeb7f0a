import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { pathMessage, SlipwayError } from './errors';
import { unpinnedImagesOf } from './image-pinning';
import { OutputWriter, WriteResult } from './output';
import { reportedProblems, resetUnreceivedProblems, takeUnreceivedProblems, trusted } from './strict';
import { FileSink, GeneratedFile, HeaderInfo, SynthesisSession } from './synthesis';

const APP_SYMBOL = Symbol.for('slipway.App');
const HOST_SYMBOL = Symbol.for('slipway.synth-host');

/**
 * Properties of an {@link App}.
 */
export interface AppProps {
  /**
   * Directory the generated files are written to. Paths of generated files
   * (`.github/workflows/ci.yml`, `deploy/helm/api/...`) are relative to it.
   * @default - the directory given by `slipway synth --outdir`, else the current working directory
   */
  readonly outdir?: string;

  /**
   * Name of the definition file, shown in the header of every generated file.
   * @default - the file `slipway synth` loaded, else "slipway.ts"
   */
  readonly sourceFile?: string;

  /**
   * Command shown in the header of every generated file to regenerate it.
   * @default - the `slipway synth` command that loaded the definition, with its `--app` and `--outdir` relative to the output directory, else "npx slipway synth"
   */
  readonly regenerateCommand?: string;

  /**
   * How synthesis treats container images referenced without a digest (a
   * tag alone, `latest` or no tag): the service and container images of jobs,
   * `docker://` steps and the images of checks.
   * @default - each unpinned image is a warning; synthesis goes on
   */
  readonly supplyChain?: SupplyChainOptions;
}

/**
 * The supply-chain policy of an {@link App}: whether every container image
 * the generated jobs run must be pinned by digest.
 *
 * An image is pinned when its reference names a digest
 * (`postgres:15@sha256:...`) or when slipway.lock.json pins its `name:tag`
 * (`npx slipway pin docker://postgres:15`; synthesis then renders the digest).
 */
export interface SupplyChainOptions {
  /**
   * Make an unpinned image a synthesis error instead of a warning: the error
   * names the construct path, the image and the fix, and nothing is written.
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Images that may stay unpinned, neither warned about nor errors: a
   * repository (`ghcr.io/acme/tools`, every tag) or one `name:tag`. For
   * images the team builds itself and never pushes twice under one tag.
   * @default - none
   */
  readonly allowUnpinned?: string[];
}

/**
 * Set by the `slipway` CLI before it loads a definition file, so that
 * `app.synth()` hands its files to the CLI (which writes them, or only
 * compares them with `--check`). A global symbol, because the definition
 * file may load its own copy of this module.
 * @internal
 */
export interface SynthHost {
  readonly outdir?: string;
  readonly sourceFile?: string;
  /** The command that regenerates the files, named in their headers. */
  readonly regenerateCommand?: string;
  readonly apps: App[];
  readonly synthRequested: Set<App>;
  /** Every `app.synth()` call, with the construct paths of the tree at that moment. */
  readonly synthCalls?: Array<{ readonly app: App; readonly paths: string[] }>;
  /** Set when the CLI has finished loading the definition: a later App or `synth()` is an error. */
  closed?: boolean;
}

const LATE = 'after `slipway synth` finished loading the definition; create the App and call app.synth() once, at the end of the definition, without waiting for anything asynchronous';

/** @internal */
export function synthHost(): SynthHost | undefined {
  return (globalThis as any)[HOST_SYMBOL];
}

/** The memo of each App's current validation and rendering pass (see passMemo): construct → name → value. */
const PASSES = new WeakMap<IConstruct, Map<IConstruct, Map<string, unknown>>>();

/**
 * Returns `compute()`, computed once per `owner` and `name` for the rest of
 * the current validation and rendering pass of the owner's App: during that
 * pass the tree no longer changes, so a result (a compiled workflow, a
 * chart's templates) can be shared by the validations and the renderer.
 * Outside a pass (while the definition is being built), it computes every time.
 * @internal
 */
export function passMemo<T>(owner: IConstruct, name: string, compute: () => T): T {
  const memo = PASSES.get(owner.node.root);
  if (!memo) return compute();
  let own = memo.get(owner);
  if (!own) memo.set(owner, own = new Map());
  if (own.has(name)) return own.get(name) as T;
  const value = compute();
  own.set(name, value);
  return value;
}

/** @internal */
export function setSynthHost(host: SynthHost | undefined): void {
  (globalThis as any)[HOST_SYMBOL] = host;
}

/**
 * The root of a slipway definition. Every application, environment,
 * pipeline and workflow is created inside an App; `app.synth()` validates the
 * whole tree and writes the files.
 *
 * Synthesis is all-or-nothing: every validation in the tree runs first, all
 * problems are reported at once (each prefixed with its construct path), and
 * nothing is written unless there are none.
 */
export class App extends Construct {
  /**
   * Whether `x` is an App.
   */
  public static isApp(x: any): x is App {
    return x !== null && typeof x === 'object' && APP_SYMBOL in x;
  }

  /**
   * The App a construct belongs to.
   */
  public static of(construct: IConstruct): App {
    const root = construct.node.root;
    if (!App.isApp(root)) {
      throw new Error(pathMessage(construct, 'is not inside a slipway App; create it with `new App()` as the root'));
    }
    return root;
  }

  /** The output directory. */
  public readonly outdir: string;

  /** The definition file named in headers. */
  public readonly sourceFile: string;

  /** The regenerate command named in headers. */
  public readonly regenerateCommand: string;

  /** Whether an unpinned container image is an error (`supplyChain.strict`). */
  public readonly strictSupplyChain: boolean;

  /** Images that may stay unpinned (`supplyChain.allowUnpinned`). */
  public readonly allowUnpinnedImages: string[];

  /** Constructs whose preparation hook ran, and what those hooks threw. */
  private readonly prepared = new Set<IConstruct>();
  private readonly preparationProblems: string[] = [];
  /** Faults of preparation hooks (see isFault): thrown only when no problem is reported. */
  private readonly preparationFaults: unknown[] = [];

  constructor(props: AppProps = {}) {
    super(undefined as any, '');
    Object.defineProperty(this, APP_SYMBOL, { value: true });
    const host = synthHost();
    if (host?.closed) throw new Error(`an App was created ${LATE}`);
    this.outdir = path.resolve(props.outdir ?? host?.outdir ?? process.cwd());
    this.sourceFile = props.sourceFile ?? host?.sourceFile ?? 'slipway.ts';
    this.regenerateCommand = props.regenerateCommand ?? host?.regenerateCommand ?? 'npx slipway synth';
    this.strictSupplyChain = props.supplyChain?.strict ?? false;
    this.allowUnpinnedImages = [...(props.supplyChain?.allowUnpinned ?? [])];
    const badAllowed = this.allowUnpinnedImages.filter((a) => a.trim() === '' || a.includes('@') || /\s/.test(a) || a.startsWith('docker://'));
    if (badAllowed.length > 0) {
      this.node.addValidation({
        validate: () => badAllowed.map((a) => `supplyChain.allowUnpinned has "${a}"; give a repository ("ghcr.io/acme/api") or a "name:tag", without "docker://" or a digest`),
      });
    }
    host?.apps.push(this);
    resetUnreceivedProblems();
  }

  /**
   * Validates the whole tree and writes the generated files to `outdir`.
   * Throws a {@link SlipwayError} listing every problem, and writes nothing,
   * when the definition is invalid. When run by `slipway synth`, the CLI does
   * the writing (or the comparison, with `--check`).
   */
  public synth(): void {
    const host = synthHost();
    if (host?.closed) throw new Error(`app.synth() was called ${LATE}`);
    if (host && host.apps.includes(this)) {
      host.synthRequested.add(this);
      host.synthCalls?.push({ app: this, paths: this.node.findAll().map((c) => c.node.path) });
      return;
    }
    this._write();
  }

  /**
   * Validates and renders; writes the files. @internal
   */
  public _write(): WriteResult {
    const writer = new OutputWriter(this.outdir, { sourceFile: this.sourceFile });
    try {
      this._renderTo(writer);
    } catch (e) {
      const left = writer.abort();
      if (left.length && e instanceof SlipwayError) throw new SlipwayError([...e.problems, ...left]);
      throw e;
    }
    return writer.commit();
  }

  /**
   * Runs the preparation hooks, every validation and every renderer. Returns
   * the generated files, sorted by path. Throws a SlipwayError listing every
   * problem. Writes nothing.
   * @internal
   */
  public _collect(): GeneratedFile[] {
    return trusted(() => this.collect(undefined)).all();
  }

  /**
   * Like `_collect`, but hands each file to `sink` as it is rendered, and
   * keeps none. Throws a SlipwayError listing every problem: the sink then
   * holds files of a failed synthesis, and must be aborted. Returns the
   * number of files.
   * @internal
   */
  public _renderTo(sink: FileSink): number {
    return trusted(() => this.collect(sink)).count;
  }

  /**
   * Runs the preparation hooks: blueprints (pipelines) compile into
   * constructs. A hook may add constructs that have hooks of their own, so
   * this repeats until none is new. Each construct is prepared once per App,
   * however often this runs (`Testing.warnings` before `Testing.synth`);
   * the problems of every preparation are returned each time.
   * @internal
   */
  public _prepareTree(): string[] {
    for (let round = 0; round < 10; round++) {
      const pending = this.node.findAll().filter((c) => !this.prepared.has(c) && typeof (c as any)._prepare === 'function');
      if (pending.length === 0) break;
      for (const c of pending) {
        this.prepared.add(c);
        try {
          (c as any)._prepare();
        } catch (e) {
          if (isFault(e)) this.preparationFaults.push(e);
          else this.preparationProblems.push(...problemsOf(c, e));
        }
      }
    }
    return [...this.preparationProblems];
  }

  private collect(sink: FileSink | undefined): SynthesisSession {
    // Props and options that no construct received (see strict.ts).
    const problems: string[] = takeUnreceivedProblems();

    // 1. Preparation: blueprints (pipelines) compile into constructs.
    problems.push(...this._prepareTree());

    // From here on the tree does not change: validations and renderers may share results (passMemo).
    PASSES.set(this, new Map());
    try {
      // 2. Validation of the whole tree.
      const faults: unknown[] = [...this.preparationFaults];
      for (const c of this.node.findAll()) {
        for (const message of reportedProblems(c)) problems.push(pathMessage(c, message));
        try {
          for (const message of c.node.validate()) problems.push(pathMessage(c, message));
        } catch (e) {
          if (isFault(e)) faults.push(e);
          else problems.push(...problemsOf(c, e));
        }
      }
      // Unpinned images: warnings (collectWarnings), or errors under supplyChain.strict.
      if (this.strictSupplyChain) {
        for (const u of unpinnedImagesOf(this, this.allowUnpinnedImages)) {
          problems.push(pathMessage(u.scope, `${u.message} (supplyChain.strict is on)`));
        }
      }
      if (problems.length) throw new SlipwayError(problems);
      // A fault (a TypeError from a value of the wrong type that no check caught) with no problem reported.
      if (faults.length) throw faults[0];

      // 3. Rendering. The session checks each file as it comes (including for secret-shaped literals).
      const header: HeaderInfo = { sourceFile: this.sourceFile, command: this.regenerateCommand };
      const session = new SynthesisSession(header, sink);
      for (const c of this.node.findAll()) {
        if (typeof (c as any)._synthesize !== 'function') continue;
        try {
          (c as any)._synthesize(session);
        } catch (e) {
          session.problems.push(...problemsOf(c, e));
        }
      }
      const rendering = session.allProblems();
      if (rendering.length) throw new SlipwayError(rendering);
      return session;
    } finally {
      PASSES.delete(this);
    }
  }
}

/**
 * A fault inside slipway (a TypeError or RangeError, most often from a value
 * of the wrong type): when problems are reported, it is most likely their
 * consequence and is left out; alone, it is thrown as it is, so that the CLI
 * shows it as a fault, with its stack under --verbose, and never as a problem.
 */
function isFault(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError;
}

function problemsOf(scope: IConstruct, e: unknown): string[] {
  if (e instanceof SlipwayError) return e.problems;
  const message = e instanceof Error ? e.message : String(e);
  return [message.startsWith('[') ? message : pathMessage(scope, message)];
}
