import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { tempDir } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');
const HELLO = path.join(REPO, 'examples', 'hello');
const OWN_CACHE = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

/** `slipway synth --check` of examples/hello, with the system's temporary folder at `tmp`. */
function check(tmp: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'slipway'), 'synth', '--check'], {
    cwd: HELLO, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, SLIPWAY_NO_COMPILE_CACHE: '', ...env },
  });
  return { status: r.status, out: r.stdout.replace(/\(\d+ ms\)/g, ''), err: r.stderr };
}

function cacheFiles(tmp: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else found.push(path.join(d, e.name));
    }
  };
  if (fs.existsSync(tmp)) walk(tmp);
  return found.filter((f) => f.includes('slipway-compile-cache-'));
}

describe('the CLI compile cache', () => {
  test('the second run reads the cache the first wrote, with the same result', () => {
    const tmp = tempDir('cc');
    const first = check(tmp);
    expect(first.status).toBe(0);
    const files = cacheFiles(tmp);
    expect(files.length).toBeGreaterThan(0);
    const dir = path.dirname(path.dirname(files[0]));
    expect((fs.statSync(dir).mode % 0o1000).toString(8)).toBe('700');
    const mtimes = files.map((f) => fs.statSync(f).mtimeMs);
    const second = check(tmp);
    expect(second).toEqual(first);
    // nothing rewritten: every cache was accepted
    expect(cacheFiles(tmp).map((f) => fs.statSync(f).mtimeMs)).toEqual(mtimes);
  });

  (OWN_CACHE ? test : test.skip)('a damaged cache file costs a compile, never a wrong result, and is rewritten', () => {
    const tmp = tempDir('cc');
    const first = check(tmp);
    const files = cacheFiles(tmp);
    for (const f of files) fs.writeFileSync(f, Buffer.from('not a V8 code cache'));
    const again = check(tmp);
    expect(again).toEqual(first);
    // the bundle's cache (keyed by its path and source) was rejected by V8 and written again
    const bundle = path.join(REPO, 'lib', 'slipway.js');
    const key = crypto.createHash('sha256').update(bundle).update('\0').update(fs.readFileSync(bundle, 'utf8')).digest('hex').slice(0, 40);
    const bundleCache = files.find((f) => path.basename(f) === key);
    expect(bundleCache).toBeDefined();
    expect(fs.readFileSync(bundleCache!).length).toBeGreaterThan(100_000);
  });

  (OWN_CACHE ? test : test.skip)('jiti, which holds an import(), is cached too, and a synth prints no warning about it', () => {
    const tmp = tempDir('cc');
    const first = check(tmp);
    expect(first.err).toBe('');
    const jiti = fs.realpathSync(path.join(REPO, 'node_modules', 'jiti', 'dist', 'jiti.cjs'));
    const key = crypto.createHash('sha256').update(jiti).update('\0').update(fs.readFileSync(jiti, 'utf8')).digest('hex').slice(0, 40);
    expect(cacheFiles(tmp).map((f) => path.basename(f))).toContain(key);
    const second = check(tmp);
    expect(second).toEqual(first);
  });

  (OWN_CACHE ? test : test.skip)('a run that does not synthesize writes a stand-in; the first synthesis replaces it, and its cache is kept', () => {
    const tmp = tempDir('cc');
    const version = () => spawnSync(process.execPath, [path.join(REPO, 'bin', 'slipway'), '--version'], {
      cwd: HELLO, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, SLIPWAY_NO_COMPILE_CACHE: '' },
    });
    expect(version().status).toBe(0);
    const standIns = cacheFiles(tmp);
    expect(standIns.length).toBeGreaterThan(0);
    expect(standIns.every((f) => f.endsWith('.partial'))).toBe(true);
    const size = (files: string[]) => Math.max(...files.map((f) => fs.statSync(f).size));
    const standInSize = size(standIns);

    expect(check(tmp).status).toBe(0);
    const kept = cacheFiles(tmp);
    expect(kept.some((f) => f.endsWith('.partial'))).toBe(false);
    // the synthesis compiled more than --version did: its cache of the bundle is larger
    expect(size(kept)).toBeGreaterThan(standInSize);

    const mtimes = kept.map((f) => fs.statSync(f).mtimeMs);
    expect(version().status).toBe(0);
    expect(cacheFiles(tmp)).toEqual(kept);
    expect(cacheFiles(tmp).map((f) => fs.statSync(f).mtimeMs)).toEqual(mtimes);
  });

  test('a cache folder others can write to is never used', () => {
    const tmp = tempDir('cc');
    check(tmp);
    const dir = path.dirname(path.dirname(cacheFiles(tmp)[0]));
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    const r = check(tmp);
    expect(r.status).toBe(0);
    expect(cacheFiles(tmp)).toEqual([]);
  });

  test('SLIPWAY_NO_COMPILE_CACHE=1 turns it off', () => {
    const tmp = tempDir('cc');
    expect(check(tmp, { SLIPWAY_NO_COMPILE_CACHE: '1' }).status).toBe(0);
    expect(cacheFiles(tmp)).toEqual([]);
  });
});
