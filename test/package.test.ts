import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

/** What may be published: the allow-list in package.json `files`, plus what npm always adds and the bundled dependencies. */
const ALLOWED = [
  /^package\.json$/, /^README\.md$/, /^LICENSE$/, /^API\.md$/, /^\.jsii$/,
  /^lib\/.+\.(js|d\.ts)$/, /^bin\/(slipway|compile-cache\.js)$/, /^assets\/deploy\/[a-z-]+\.sh$/, /^docs\/[a-z-]+\.md$/,
  ...(pkg.bundledDependencies as string[]).map((d) => new RegExp(`^node_modules/${d.replace('/', '\\/')}/`)),
];

/** The lowest version a `>= x.y.z` (or `*`) engines range accepts, as [major, minor, patch]; another form fails the test so that it is looked at. */
function floor(range: string): number[] {
  if (range.trim() === '*') return [0, 0, 0];
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!m) throw new Error(`engines range "${range}" is not of the form ">= x.y.z"`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

const atLeast = (a: number[], b: number[]) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];

describe('the published package', () => {
  // `npm pack --dry-run` lists what `npm publish` would upload; the CLI tests compile lib/ first
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
  const files: string[] = packed.status === 0 ? JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path) : [];

  test('npm pack lists it', () => {
    expect(packed.stderr).not.toMatch(/ERR!/);
    expect(packed.status).toBe(0);
    expect(files.length).toBeGreaterThan(0);
  });

  test('holds only allowed files: no tests, sources, examples, scripts or test output', () => {
    expect(files.filter((f) => !ALLOWED.some((a) => a.test(f)))).toEqual([]);
  });

  test('holds what lib/ reads at run time: every deploy script, the jsii assembly, the CLI', () => {
    const scripts = fs.readdirSync(path.join(REPO, 'assets', 'deploy')).filter((f) => f.endsWith('.sh')).sort();
    expect(scripts.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('assets/deploy/')).sort()).toEqual(scripts.map((s) => `assets/deploy/${s}`));
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'bin/slipway', 'lib/index.js', 'lib/slipway.js', 'lib/strict-table.js', 'bin/compile-cache.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/core/deploy-scripts.js', 'package.json']));
    for (const d of pkg.bundledDependencies as string[]) expect(files).toContain(`node_modules/${d}/package.json`);
  });

  test('engines.node asks for no less than the runtime dependencies need', () => {
    const ours = floor(pkg.engines.node);
    const runtime = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})];
    for (const dep of runtime) {
      const theirs = JSON.parse(fs.readFileSync(require.resolve(`${dep}/package.json`, { paths: [REPO] }), 'utf8')).engines?.node;
      if (theirs) expect([dep, theirs, atLeast(ours, floor(theirs))]).toEqual([dep, theirs, true]);
    }
    // and what this machine runs
    expect(atLeast(process.versions.node.split('.').map(Number), ours)).toBe(true);
  });
});
