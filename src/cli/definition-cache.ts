import * as crypto from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

/** Defined by scripts/bundle.js as the version of the jiti the bundle runs with. */
declare const SLIPWAY_JITI_VERSION: string | undefined;

/** How jiti transforms a definition file (the options its own loader passes for a TypeScript file). */
const TRANSFORM = { ts: true, retainLines: true, interopDefault: true } as const;

/** The format of a cached transform; a change of it, of jiti or of the options makes every entry a miss. */
const FORMAT = `slipway-definition-1\0${typeof SLIPWAY_JITI_VERSION === 'string' ? SLIPWAY_JITI_VERSION : 'dev'}\0${JSON.stringify(TRANSFORM)}`;

/** What a definition file may require for the fast path to load it; anything else goes through jiti. */
type Dependency =
  | { readonly kind: 'self' }
  | { readonly kind: 'builtin'; readonly id: string }
  | { readonly kind: 'local'; readonly file: string };

interface Planned {
  readonly file: string;
  readonly code: string;
  readonly dependencies: ReadonlyMap<string, Dependency>;
}

/** jiti's transform of one file, as its `transform` function returns it. */
export type Transform = (opts: { source: string; filename: string } & typeof TRANSFORM) => string;

/** A `require("…")` of a string literal in transformed code. */
const REQUIRE_CALL = /\brequire\("((?:[^"\\\n]|\\.)*)"\)/g;
/** Any other mention of `require`, and jiti's own helpers: the fast path leaves such code to jiti. */
const REQUIRE_WORD = /\brequire\b/g;
const JITI_ONLY = /\bjitiImport\b|\bjitiESMResolve\b|__JITI_ERROR__|\bimport\s*\(|\bimport\.meta\b/;

/** The TypeScript extensions a relative import without one may name, in jiti's order of preference. */
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
/** Every file a relative import could also resolve to: when one of them exists, which one wins is jiti's call. */
const OTHER_EXTENSIONS = ['.tsx', '.js', '.mjs', '.cjs', '.json', '.jsx', '.node'];

/**
 * A loader of definition files that does not load jiti when every file of
 * the definition was loaded before. jiti (about 11 ms to load in a cold
 * process, a tenth of a whole `slipway synth`) transforms TypeScript to
 * CommonJS; its transform of each file is kept in the CLI's own cache folder
 * (the compile cache's: owned by the user, mode 0700), keyed by the file's
 * path and content, jiti's version and the transform's options. A file whose
 * transform is cached is run as jiti runs it: the same code, the same module
 * wrapper on the same line (so stack traces name the same `file:line`), a
 * module registered in `require.cache`.
 *
 * The fast path takes only definitions whose every file requires slipway,
 * Node's built-in modules, or other TypeScript files of the definition by a
 * relative path that resolves to exactly one file. Anything else — a package,
 * a JavaScript or JSON file, a dynamic `import()`, `import.meta`, a file jiti
 * cannot transform — makes the whole definition go through jiti, decided
 * before any of it runs.
 * @internal
 */
export class DefinitionCache {
  /**
   * @param dir the cache folder
   * @param self the module a definition's `import ... from 'slipway'` loads
   * @param prune removes the folder's old entries; called after a write
   */
  constructor(private readonly dir: string, private readonly self: string, private readonly prune?: (dir: string) => void) {}

  /**
   * Loads the definition `file` through the fast path and returns true, or
   * returns false without running any of it. `transform` is called for a
   * file whose transform is not cached yet (it loads jiti).
   */
  public load(file: string, transform: () => Transform): boolean {
    if (!TS_EXTENSIONS.includes(path.extname(file))) return false;
    const plan = this.plan(file, transform);
    if (plan === undefined) return false;
    const loaded = new Map<string, Module>();
    this.run(plan.get(file)!, plan, loaded, undefined);
    return true;
  }

  /** Every file of the definition with its code and dependencies, or undefined when one of them needs jiti. */
  private plan(entry: string, transform: () => Transform): Map<string, Planned> | undefined {
    const plan = new Map<string, Planned>();
    const queue = [entry];
    while (queue.length) {
      const file = queue.pop()!;
      if (plan.has(file)) continue;
      const code = this.transformed(file, transform);
      if (code === undefined) return undefined;
      const dependencies = dependenciesOf(code, file);
      if (dependencies === undefined) return undefined;
      plan.set(file, { file, code, dependencies });
      for (const d of dependencies.values()) if (d.kind === 'local') queue.push(d.file);
    }
    return plan;
  }

  /** The transformed code of a file, from the cache or from jiti (then cached); undefined when jiti reports an error. */
  private transformed(file: string, transform: () => Transform): string | undefined {
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const key = digest(`${FORMAT}\0${file}\0${source}`);
    const cached = path.join(this.dir, `definition-${key}.js`);
    try {
      // the first line is the digest of the code: a damaged entry is a miss, never code that runs
      const entry = fs.readFileSync(cached, 'utf8');
      const eol = entry.indexOf('\n');
      const code = entry.slice(eol + 1);
      if (eol > 0 && entry.slice(0, eol) === `// ${digest(code)}`) return code;
    } catch {
      // not cached yet
    }
    const code = transform()({ source, filename: file, ...TRANSFORM });
    if (JITI_ONLY.test(code)) return undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${cached}.${process.pid}`;
      fs.writeFileSync(tmp, `// ${digest(code)}\n${code}`, { mode: 0o600 });
      fs.renameSync(tmp, cached);
      this.prune?.(this.dir);
    } catch {
      // a cache that cannot be written is a cache that is not used
    }
    return code;
  }

  /** Runs one file as jiti would: CommonJS, its requires answered from the plan. */
  private run(planned: Planned, plan: Map<string, Planned>, loaded: Map<string, Module>, parent: Module | undefined): unknown {
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
      if (d.kind === 'self') return native(this.self);
      if (d.kind === 'builtin') return native(d.id);
      return this.run(plan.get(d.file)!, plan, loaded, mod);
    }) as NodeJS.Require;
    // jiti's wrapper, on the code's first line: stack traces keep the file's line numbers
    const wrapper = `(function (exports, require, module, __filename, __dirname) { ${planned.code}\n});`;
    const fn = vm.runInThisContext(wrapper, { filename: planned.file }) as (...args: unknown[]) => void;
    try {
      fn.call(mod.exports, mod.exports, requireFn, mod, planned.file, path.dirname(planned.file));
    } catch (e) {
      delete require.cache[planned.file];
      throw e;
    }
    mod.loaded = true;
    return mod.exports;
  }
}

function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 40);
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
  const base = path.resolve(path.dirname(from), id);
  const candidates = [
    base,
    ...[...TS_EXTENSIONS, ...OTHER_EXTENSIONS].map((ext) => base + ext),
    ...[...TS_EXTENSIONS, ...OTHER_EXTENSIONS].map((ext) => path.join(base, `index${ext}`)),
  ];
  const found = candidates.filter(isFile);
  if (found.length !== 1 || !TS_EXTENSIONS.includes(path.extname(found[0]))) return undefined;
  return { kind: 'local', file: found[0] };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
