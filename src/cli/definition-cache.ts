import * as crypto from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

/** Defined by scripts/bundle.js as the version of the jiti the bundle runs with. */
declare const SLIPWAY_JITI_VERSION: string | undefined;

/**
 * The options jiti's own loader passes to its transform for a TypeScript
 * file it requires (jiti adds its instance's `interopDefault` itself).
 */
const TRANSFORM = { ts: true, async: false, jsx: false } as const;

/** The format of a cached transform; a change of it, of jiti or of the options makes every entry a miss. */
const FORMAT = `slipway-definition-2\0${typeof SLIPWAY_JITI_VERSION === 'string' ? SLIPWAY_JITI_VERSION : 'dev'}\0${JSON.stringify(TRANSFORM)}`;

/** What a definition file may require for the fast path to load it; anything else goes through jiti. */
type Dependency =
  | { readonly kind: 'self' }
  | { readonly kind: 'builtin'; readonly id: string }
  | { readonly kind: 'local'; readonly file: string };

interface Planned {
  readonly file: string;
  readonly source: string;
  readonly code: string;
  readonly dependencies: ReadonlyMap<string, Dependency>;
}

/** jiti's transform of one file, as its `transform` function returns it. */
export type Transform = (opts: { source: string; filename: string } & typeof TRANSFORM) => string;

/** What the fast path needs of jiti, which it loads only when it needs it. */
export interface JitiAccess {
  /** jiti's transform. */
  transform(): Transform;
  /** jiti's require: runs a file the fast path cannot (one that changed while the definition ran). */
  require(file: string): unknown;
}

/** A `require("…")` of a string literal in transformed code. */
const REQUIRE_CALL = /\brequire\("((?:[^"\\\n]|\\.)*)"\)/g;
/** Any other mention of `require`, and jiti's own helpers: the fast path leaves such code to jiti. */
const REQUIRE_WORD = /\brequire\b/g;
const JITI_ONLY = /\bjitiImport\b|\bjitiESMResolve\b|__JITI_ERROR__|\bimport\s*\(|\bimport\.meta\b/;

/** The TypeScript extensions a relative import without one may name. */
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
/** Every other file a relative import could resolve to under jiti: when one of them exists, which one wins is jiti's call. */
const OTHER_EXTENSIONS = ['.tsx', '.mtsx', '.ctsx', '.js', '.mjs', '.cjs', '.json', '.jsx', '.node'];

/**
 * jiti's module wrapper: the same parameters (its `jitiImport` and
 * `jitiESMResolve` are never called by code the fast path runs), the code on
 * its first line, so that stack traces name the same `file:line`.
 */
const wrap = (code: string) => `(function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${code}\n});`;

/**
 * A loader of definition files that does not load jiti when every file of
 * the definition was loaded before. jiti (about 11 ms to load in a cold
 * process, a tenth of a whole `slipway synth`) transforms TypeScript to
 * CommonJS; its transform of each file is kept in the CLI's own cache folder
 * (the compile cache's: owned by the user, mode 0700), keyed by the file's
 * path and content, jiti's version and the transform's options, with the
 * digest of the code on its first line. A file whose transform is cached is
 * run as jiti runs it: the same code in the same wrapper, called the same
 * way (`this` undefined), registered in `require.cache`, and every value its
 * `require` returns passed through jiti's default-export interop.
 *
 * The fast path takes only definitions whose every file requires slipway,
 * Node's built-in modules, or other TypeScript files of the definition by a
 * relative path that resolves to exactly one file (followed through symbolic
 * links, as jiti does). Anything else — a package, a JavaScript or JSON file,
 * a dynamic `import()`, a file jiti cannot transform, a `JITI_*` setting in
 * the environment, Windows — makes the whole definition go through jiti,
 * decided before any of it runs. A file that changes while the definition
 * runs (one file of it writing another) is required through jiti.
 * @internal
 */
export class DefinitionCache {
  private pruned = false;

  /**
   * @param dir the cache folder
   * @param self the module a definition's `import ... from 'slipway'` loads
   * @param prune removes the folder's old entries; called after the first write of a process
   */
  constructor(private readonly dir: string, private readonly self: string, private readonly prune?: (dir: string) => void) {}

  /**
   * Loads the definition `file` through the fast path and returns true, or
   * returns false without running any of it.
   */
  public load(file: string, jiti: JitiAccess): boolean {
    if (process.platform === 'win32' || Object.keys(process.env).some((k) => k.startsWith('JITI_'))) return false;
    if (!TS_EXTENSIONS.includes(path.extname(file))) return false;
    const plan = this.plan(file, jiti);
    if (plan === undefined) return false;
    this.run(plan.get(file)!, plan, new Map(), undefined, jiti);
    return true;
  }

  /** Every file of the definition with its code and dependencies, or undefined when one of them needs jiti. */
  private plan(entry: string, jiti: JitiAccess): Map<string, Planned> | undefined {
    const plan = new Map<string, Planned>();
    const queue = [entry];
    while (queue.length) {
      const file = queue.pop()!;
      if (plan.has(file)) continue;
      const source = readText(file);
      if (source === undefined) return undefined;
      const code = this.transformed(file, source, jiti);
      if (code === undefined) return undefined;
      const dependencies = dependenciesOf(code, file);
      if (dependencies === undefined) return undefined;
      plan.set(file, { file, source, code, dependencies });
      for (const d of dependencies.values()) if (d.kind === 'local') queue.push(d.file);
    }
    return plan;
  }

  /** The transformed code of a file, from the cache or from jiti (then cached); undefined when it is not for the fast path. */
  private transformed(file: string, source: string, jiti: JitiAccess): string | undefined {
    const key = digest(`${FORMAT}\0${file}\0${source}`);
    const cached = path.join(this.dir, `definition-${key}.js`);
    const entry = readText(cached);
    if (entry !== undefined) {
      // the first line is the digest of the code: a damaged entry is a miss, never code that runs
      const eol = entry.indexOf('\n');
      const code = entry.slice(eol + 1);
      if (eol > 0 && entry.slice(0, eol) === `// ${digest(code)}`) return code;
    }
    const code = jiti.transform()({ source, filename: file, ...TRANSFORM });
    if (JITI_ONLY.test(code)) return undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${cached}.${process.pid}`;
      fs.writeFileSync(tmp, `// ${digest(code)}\n${code}`, { mode: 0o600 });
      fs.renameSync(tmp, cached);
      if (!this.pruned) this.prune?.(this.dir);
      this.pruned = true;
    } catch {
      // a cache that cannot be written is a cache that is not used
    }
    return code;
  }

  /** Runs one file as jiti would: CommonJS, its requires answered from the plan. */
  private run(planned: Planned, plan: Map<string, Planned>, loaded: Map<string, Module>, parent: Module | undefined, jiti: JitiAccess): unknown {
    const known = loaded.get(planned.file) ?? (require.cache[planned.file] as Module | undefined);
    if (known) return known.exports;
    const mod = new Module(planned.file, parent);
    mod.filename = planned.file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(planned.file));
    loaded.set(planned.file, mod);
    require.cache[planned.file] = mod;
    const native = Module.createRequire(planned.file);
    const requireFn = ((id: string) => {
      const d = planned.dependencies.get(id);
      if (d === undefined) throw new Error(`slipway: "${id}" was not planned for ${planned.file}`);
      if (d.kind === 'self') return defaultInterop(native(this.self));
      if (d.kind === 'builtin') return defaultInterop(native(d.id));
      const local = plan.get(d.file)!;
      // a file that changed since it was planned (written by another file of the definition) is jiti's
      if (!loaded.has(d.file) && readText(d.file) !== local.source) return jiti.require(d.file);
      return defaultInterop(this.run(local, plan, loaded, mod, jiti));
    }) as NodeJS.Require;
    const options = { filename: planned.file, lineOffset: 0, displayErrors: false };
    const fn = vm.runInThisContext(wrap(planned.code), options) as (...args: unknown[]) => void;
    try {
      fn(mod.exports, requireFn, mod, planned.file, path.dirname(planned.file), undefined, undefined);
    } catch (e) {
      delete require.cache[planned.file];
      throw e;
    }
    mod.loaded = true;
    return mod.exports;
  }
}

/**
 * What a `require` returns under jiti's `interopDefault` option (the
 * behaviour, observed and documented by jiti as "the default export alongside
 * the named exports"): a view of the module where `default` is the module's
 * default export (or the module itself when it has none), `__esModule` is
 * true, and a name the module lacks is read from its default export (a
 * function bound to it). Each name is read once, the first time it is asked
 * for, and kept. A module whose default export is a function can be called
 * only when the module itself can.
 */
function defaultInterop(mod: unknown): unknown {
  if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function')) return mod;
  const m = mod as { [key: PropertyKey]: any };
  const def = m.default;
  const noDefault = def === null || def === undefined;
  if (noDefault && mod instanceof Promise) return mod;
  const fromDefault = (typeof def === 'object' || typeof def === 'function') && !(def instanceof Promise);
  const read = (name: PropertyKey): unknown => {
    if (name === '__esModule') return true;
    if (name === 'default') {
      if (noDefault) return mod;
      return typeof def?.default === 'function' && m.__esModule ? def.default : def;
    }
    if (name in m) return m[name];
    if (!fromDefault) return undefined;
    const value = def[name];
    return typeof value === 'function' ? value.bind(def) : value;
  };
  const seen = new Map<PropertyKey, unknown>();
  return new Proxy(m, {
    get(_target, name) {
      if (!seen.has(name)) seen.set(name, read(name));
      return seen.get(name);
    },
    apply: typeof def === 'function' && typeof mod !== 'function'
      ? (_target, thisArg, args) => Reflect.apply(def, thisArg, args)
      : undefined,
  });
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 40);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The requires of transformed code, or undefined when one of them is not for the fast path. */
function dependenciesOf(code: string, file: string): Map<string, Dependency> | undefined {
  if (JITI_ONLY.test(code)) return undefined;
  const dependencies = new Map<string, Dependency>();
  let calls = 0;
  for (const m of code.matchAll(REQUIRE_CALL)) {
    calls++;
    let id: string;
    try {
      id = JSON.parse(`"${m[1]}"`);
    } catch {
      return undefined;
    }
    const d = dependencyOf(id, file);
    if (d === undefined) return undefined;
    dependencies.set(id, d);
  }
  // `require` used any other way (require.resolve, a computed id, a word in a string) is left to jiti
  if ((code.match(REQUIRE_WORD)?.length ?? 0) !== calls) return undefined;
  return dependencies;
}

function dependencyOf(id: string, from: string): Dependency | undefined {
  if (id === 'slipway') return { kind: 'self' };
  if (Module.isBuiltin(id)) return { kind: 'builtin', id };
  if (!id.startsWith('./') && !id.startsWith('../')) return undefined;
  // a folder (trailing slash), a query, a fragment, an escape or a backslash: jiti's resolver decides
  if (id.endsWith('/') || /[?#%\\]/.test(id)) return undefined;
  const base = path.resolve(path.dirname(from), id);
  const extensions = [...TS_EXTENSIONS, ...OTHER_EXTENSIONS];
  const candidates = [base, ...extensions.map((ext) => base + ext), ...extensions.map((ext) => path.join(base, `index${ext}`))];
  const found = candidates.filter(isFile);
  if (found.length !== 1 || !TS_EXTENSIONS.includes(path.extname(found[0]))) return undefined;
  // jiti's resolver follows symbolic links to the real file, as Node's does
  return { kind: 'local', file: fs.realpathSync(found[0]) };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
