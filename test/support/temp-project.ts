import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const made: string[] = [];

/**
 * A new, empty project folder under the system's temporary folder, where a
 * definition resolves `slipway` and `constructs` as it would in a user's
 * project: the folder above it holds `node_modules/slipway` (this package,
 * whose `exports` load the compiled `lib/`) and `node_modules/constructs` (the
 * copy slipway itself loads). Nothing is written inside the repository. Every
 * folder made is removed after the test file that made it.
 */
export function tempProject(prefix: string): string {
  const root = tempDir(prefix);
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  fs.symlinkSync(REPO, path.join(modules, 'slipway'), 'dir');
  fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules', 'constructs')), path.join(modules, 'constructs'), 'dir');
  const dir = path.join(root, 'project');
  fs.mkdirSync(dir);
  return dir;
}

/** Every file under `dir`, as `{ 'relative/path': content }` with forward slashes: the shape a synth produces. */
export function readFiles(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out[path.relative(dir, abs).split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A new, empty folder under the system's temporary folder, removed after the test file that made it. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `slipway-${prefix}-`));
  made.push(dir);
  return dir;
}

// registered once per test file that imports this module
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
