import * as fs from 'fs';
import * as path from 'path';
import { DefinitionCache, Transform } from './definition-cache';
import { describeThrown } from './thrown';
import { App, setSynthHost, SynthHost } from '../core/app';
import { bundled, packageRoot } from '../core/package-root';

/** The definition file `slipway` looks for when `--app` is not given. */
export const DEFINITION_FILE = 'slipway.ts';

/**
 * The nearest `slipway.ts`: in `from` or a parent folder, up to and
 * including the root of the repository (the first folder with `.git`).
 */
export function findDefinition(from: string = process.cwd()): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, DEFINITION_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

/**
 * The definition file of a command: `--app` when given (it must exist),
 * else the nearest `slipway.ts` (see findDefinition). Reports a missing
 * file through `err` and returns undefined.
 */
export function resolveDefinition(app: string | undefined, err: (s: string) => void): string | undefined {
  if (app !== undefined) {
    if (fs.existsSync(path.resolve(app)) && fs.statSync(path.resolve(app)).isFile()) return path.resolve(app);
    err(`slipway: definition file "${app}" not found; pass --app <file> or create ${DEFINITION_FILE} (see \`slipway init\`)`);
    return undefined;
  }
  const found = findDefinition();
  if (!found) {
    err(`slipway: no ${DEFINITION_FILE} in this folder or a parent folder (up to the repository root); pass --app <file> or create one with \`slipway init\``);
  }
  return found;
}

/**
 * How the definition is loaded. Its `import ... from 'slipway'` is the slipway that
 * runs the command: the bundle (lib/slipway.js), which Node has already loaded, so the
 * definition and the CLI share every class and the bundle is not transformed again;
 * or, when slipway runs from its modules (its own tests), the compiled lib/index.js,
 * loaded by Node as those modules are.
 */
function jitiOptions() {
  const self = path.join(packageRoot(), 'lib', bundled() ? 'slipway.js' : 'index.js');
  return { interopDefault: true, fsCache: jitiFsCache(), moduleCache: true, alias: { slipway: self } };
}

/**
 * Tells the CLI's compile cache that this run compiled what a synthesis needs: the V8 code cache
 * it writes at exit is the one to keep (bin/compile-cache.js).
 */
export function markRepresentativeRun(): void {
  const cache = compileCache();
  if (typeof cache.dir === 'string') cache.representative = true;
}

/** The CLI's compile cache (bin/compile-cache.js): its folder, null when the CLI turned it off, undefined outside the CLI. */
function compileCache(): { dir?: string | null; prune?: (dir: string) => void; representative?: boolean } {
  if (!bundled()) return {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(packageRoot(), 'bin', 'compile-cache.js'));
  } catch {
    return {};
  }
}

/**
 * Where jiti keeps its transforms. In the CLI, in the compile cache's folder (owned by the user, mode 0700), or
 * nowhere when that cache is off: jiti's default, a folder every user of the machine shares and can write to
 * (`<tmpdir>/jiti`), would let another user plant the code a definition runs.
 */
function jitiFsCache(): string | boolean {
  const dir = compileCache().dir;
  if (dir === undefined) return true;
  return dir === null ? false : path.join(dir, 'jiti');
}

type Jiti = ReturnType<typeof import('jiti').createJiti>;

/** jiti, loaded and created on first use. */
function lazyJiti(): () => Jiti {
  let jiti: Jiti | undefined;
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jiti ??= (require('jiti') as typeof import('jiti')).createJiti(__filename, jitiOptions());
    return jiti;
  };
}

/**
 * The cache of transformed definition files, in the CLI's compile-cache folder
 * (bin/compile-cache.js); only in the CLI, which runs from the bundle.
 */
function definitionCache(): DefinitionCache | undefined {
  const cache = compileCache();
  return typeof cache.dir === 'string' ? new DefinitionCache(cache.dir, jitiOptions().alias.slipway, cache.prune) : undefined;
}

/** Runs a definition file: from the cache of its transforms when it can (see DefinitionCache), else with jiti. */
function runDefinition(abs: string, jiti: () => Jiti): void {
  const access = { transform: () => jiti().transform as Transform, require: (file: string) => jiti()(file) };
  if (definitionCache()?.load(abs, access)) return;
  jiti()(abs);
}

/**
 * Loads a TypeScript definition file without type-checking it (jiti:
 * transpile-only, no native binaries, cached transforms), with a synth host
 * installed so that `app.synth()` hands its files to the CLI instead of
 * writing them. Returns every App the file created.
 *
 * Loader choice: see BENCHMARKS.md (jiti vs tsx vs ts-node vs esbuild).
 */
export function loadDefinition(appFile: string, outdir: string): App[] {
  const abs = path.resolve(appFile);
  const host: SynthHost = {
    outdir,
    sourceFile: path.relative(outdir, abs).split(path.sep).join('/') || path.basename(abs),
    apps: [],
    synthRequested: new Set(),
  };
  setSynthHost(host);
  try {
    runDefinition(abs, lazyJiti());
  } finally {
    setSynthHost(undefined);
  }
  return host.apps;
}

/** What loading a definition for `slipway synth` found. */
export interface LoadedDefinition {
  /** The single App the definition created, when it created exactly one and called `synth()` on it once. */
  readonly app?: App;
  /** Faults of the definition; when there is any, nothing may be written. */
  readonly faults: string[];
  /** The error the module threw while loading, if any. */
  readonly error?: unknown;
}

/** Thrown into the definition by the `process.exit` slipway installs while loading it. */
class DefinitionExit extends Error {
  constructor(code: unknown) {
    super(`the definition called process.exit(${code === undefined ? '' : String(code)})`);
    this.name = 'DefinitionExit';
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until pending promise callbacks, immediates and zero-delay timers of the definition have
 * run. A timer turn (at least a millisecond) is taken only while a timer is pending.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await turn();
    if (timerPending()) await sleep(0);
  }
}

/** Whether a timer is active (assumed when Node cannot list its resources). */
function timerPending(): boolean {
  return activeResourcesInfo()?.includes('Timeout') ?? true;
}

/**
 * Loads a definition for `slipway synth`. While the module loads and the
 * work it started settles, `app.synth()` only records the call,
 * `process.exit` is intercepted, and unhandled rejections and uncaught
 * exceptions are caught. Afterwards the definition is checked: exactly one
 * App, `synth()` called exactly once on it, no construct added after that
 * call. Every fault is returned, so that the caller writes nothing.
 *
 * The work the definition started (timers, I/O) is waited for, at most
 * `waitMs`, so that a definition may await something before `app.synth()`,
 * and a construct added late is found rather than dropped.
 */
export async function loadForSynth(appFile: string, outdir: string, waitMs = 30_000, regenerateCommand?: string): Promise<LoadedDefinition> {
  const abs = path.resolve(appFile);
  const host: SynthHost = {
    outdir,
    sourceFile: path.relative(outdir, abs).split(path.sep).join('/') || path.basename(abs),
    regenerateCommand,
    apps: [],
    synthRequested: new Set(),
    synthCalls: [],
  };
  const faults: string[] = [];
  const describe = (e: unknown) => (e instanceof DefinitionExit ? e.message : describeThrown(e, false)[0]);
  const onRejection = (reason: unknown) => faults.push(reason instanceof DefinitionExit ? reason.message : `a promise of the definition was rejected and nothing handled it: ${describe(reason)}`);
  const onException = (e: unknown) => faults.push(e instanceof DefinitionExit ? e.message : `the definition threw asynchronously: ${describe(e)}`);
  const baseline = activeResources();
  let error: unknown;

  const jiti = lazyJiti();
  // The process object the definition sees: ours in the CLI; another when slipway itself runs in a sandbox (jest).
  const theirs = bundled() ? process
    : jiti().evalModule('module.exports = process;', { filename: path.join(path.dirname(abs), '.slipway-process.js') }) as NodeJS.Process;
  const processes = [...new Set([process, theirs])];
  const exits = processes.map((p) => p.exit);

  setSynthHost(host);
  for (const p of processes) {
    p.on('unhandledRejection', onRejection);
    p.on('uncaughtException', onException);
    p.exit = ((code?: unknown) => {
      const exit = new DefinitionExit(code);
      faults.push(exit.message);
      throw exit;
    }) as typeof process.exit;
  }
  try {
    try {
      runDefinition(abs, jiti);
    } catch (e) {
      if (e instanceof DefinitionExit || (e instanceof Error && e.name === 'DefinitionExit')) faults.push(e.message);
      else error = e;
    }
    await settle();
    // Wait for the work the definition started (timers, I/O): it may still add constructs or call app.synth().
    const started = Date.now();
    while (!error && activeResources() > baseline && Date.now() - started < waitMs) await sleep(10);
    if (!error && activeResources() > baseline) {
      faults.push(`the definition still has pending work (timers, sockets, child processes) ${Math.round(waitMs / 1000)} s after it was loaded; `
        + 'slipway cannot know whether it would still add constructs; finish or cancel that work before app.synth()');
    }
    await settle();
  } finally {
    host.closed = true;
    processes.forEach((p, i) => {
      p.exit = exits[i];
      p.removeListener('unhandledRejection', onRejection);
      p.removeListener('uncaughtException', onException);
    });
  }
  if (error) return { faults, error };

  if (host.apps.length > 1) {
    faults.push(`the definition created ${host.apps.length} Apps; one definition file has one App (put every construct in it, or use one definition file per output directory with --app)`);
  }
  for (const a of host.apps) {
    const calls = host.synthCalls!.filter((c) => c.app === a);
    if (calls.length === 0) faults.push('the definition never called app.synth(); call it once, at the end of the definition');
    if (calls.length > 1) faults.push(`the definition called app.synth() ${calls.length} times; call it once, after every construct is defined`);
    if (calls.length === 1) {
      const before = new Set(calls[0].paths);
      const added = a.node.findAll().map((c) => c.node.path).filter((p) => !before.has(p));
      if (added.length) faults.push(`constructs were added after app.synth(): ${added.map((p) => `"${p}"`).join(', ')}; create every construct before calling app.synth()`);
    }
  }
  return { app: host.apps.length === 1 ? host.apps[0] : undefined, faults: [...new Set(faults)] };
}

/** Handles of the standard streams, created on first use and open for the life of the process. */
const STDIO = new Set(['TTYWrap', 'PipeWrap', 'SignalWrap']);

/** The kinds of the timers, requests and handles keeping the event loop alive (Node 17.3 and later). */
function activeResourcesInfo(): string[] | undefined {
  const info = (process as any).getActiveResourcesInfo as (() => string[]) | undefined;
  return info?.call(process);
}

/** The number of timers, requests and handles (other than the standard streams) keeping the event loop alive. */
function activeResources(): number {
  return activeResourcesInfo()?.filter((r) => !STDIO.has(r)).length ?? 0;
}

/** Restores the state `loadForSynth` leaves (a closed synth host). */
export function closeSynthHost(): void {
  setSynthHost(undefined);
}
