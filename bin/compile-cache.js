// V8's compile cache for the modules the CLI loads (the bundle lib/slipway.js, jiti, constructs):
// on Node 22.1 and later, Node's built-in module.enableCompileCache(); before that, the same
// idea by hand. A module's code cache is written when the process exits (so it holds the
// functions that ran, not only the top level) and read the next time, keyed by the module's
// path and a hash of its source. What a run compiles depends on the command: the cache a
// synthesis writes (the CLI sets `representative`) is kept; one written by another run
// (`--version`, a definition that failed to load) is a stand-in, replaced by the next synthesis. V8 also checks a cache against its own version and flags and
// rejects one that does not match, so a stale file costs a compile, never a wrong result.
// The cache folder belongs to the user (<tmpdir>/slipway-compile-cache-<uid>, mode 0700): a
// folder another user owns or can write to is never read. Every file-system error is ignored.
// Entries not rewritten for 30 days are removed whenever something new is written.
// SLIPWAY_NO_COMPILE_CACHE=1 turns it off. The folder is also where the CLI keeps jiti's transforms of
// definition files (src/cli/definition-cache.ts, src/cli/load.ts): `dir` below is the folder once
// enabled, null when enable() found the cache turned off or the folder unsafe.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const os = require('os');
const path = require('path');
const vm = require('vm');

/** jiti's own files (the CLI's loader of TypeScript definitions). */
const JITI = /[\\/]node_modules[\\/]jiti[\\/]dist[\\/][^\\/]+\.cjs$/;

/** The user's own cache folder, created if needed; undefined when it is not safely ours. */
function cacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `slipway-compile-cache-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    return path.join(dir, `${process.version}-${process.arch}`);
  } catch {
    return undefined;
  }
}

/** Entries older than this are removed when the cache is written to (a miss), so the folder does not grow for ever. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * Removes the cache's entries (its files, not folders) last written more than 30 days ago. Called after a
 * write, which happens on a miss only: a run that finds everything cached does not list the folder.
 */
function prune(dir) {
  try {
    const cutoff = Date.now() - MAX_AGE_MS;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      const st = fs.lstatSync(file);
      if (st.isFile() && st.mtimeMs < cutoff) fs.unlinkSync(file);
    }
  } catch {
    // pruning is best effort
  }
}

function enable() {
  module.exports.dir = null;
  if (process.env.SLIPWAY_NO_COMPILE_CACHE) return;
  const dir = cacheDir();
  if (dir === undefined) return;
  module.exports.dir = dir;
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache(dir);
    return;
  }
  const pending = [];
  const original = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    // A module that imports dynamically needs Node's import() loader in its script. Node 20.12+
    // lends it (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which warns as experimental when an
    // import() runs): used for jiti, whose import() a synthesis never calls. slipway's own such
    // module (the validators' loader, outside the bundle) and any other compile as usual.
    let importModuleDynamically;
    if (content.includes('import(')) {
      importModuleDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
      if (!importModuleDynamically || !JITI.test(filename)) return original.call(this, content, filename);
    }
    const key = crypto.createHash('sha256').update(filename).update('\0').update(content).digest('hex').slice(0, 40);
    const file = path.join(dir, key);
    // `<key>`: written by a run that synthesized; `<key>.partial`: by another (--help, a failed load), used until then
    let cachedData;
    let full = true;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      full = false;
      try { cachedData = fs.readFileSync(`${file}.partial`); } catch { cachedData = undefined; }
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically });
    } catch {
      return original.call(this, content, filename);
    }
    const missing = cachedData === undefined || script.cachedDataRejected;
    if (missing || !full) pending.push({ script, file, missing });
    const require = Module.createRequire(filename);
    return script.runInThisContext({ displayErrors: true })
      .call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (pending.length === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      let wrote = false;
      for (const { script, file, missing } of pending) {
        const target = module.exports.representative ? file : `${file}.partial`;
        if (!module.exports.representative && !missing) continue;
        const tmp = `${target}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, target);
        if (target === file) fs.rmSync(`${file}.partial`, { force: true });
        wrote = true;
      }
      if (wrote) prune(dir);
    } catch {
      // a cache that cannot be written is a cache that is not used
    }
  });
}

module.exports = { enable, prune, dir: undefined, representative: false };
