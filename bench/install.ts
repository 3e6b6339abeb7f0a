/**
 * Section: the weight of a user's install. `npm pack` of this checkout, then
 * `npm install <tarball> constructs` into an empty folder, as README's install
 * route does. Counts the packages
 * (folders with a package.json under node_modules that npm installed, the
 * bundled ones inside slipway included) and the bytes on disk. npm's cache is
 * used (`--prefer-offline`); the time is not reported, only the weight.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Section } from './lib/report';
import { table } from './lib/stats';

const repo = path.resolve(__dirname, '..');
const out = path.join(repo, 'bench', '.out', 'install');

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packages and bytes under a node_modules folder. */
function weigh(modules: string): { packages: number; bytes: number } {
  let packages = 0;
  let bytes = 0;
  const walk = (dir: string, atPackageLevel: boolean) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (atPackageLevel && e.name.startsWith('@')) { walk(p, true); continue; }
        if (atPackageLevel && e.name !== '.bin' && fs.existsSync(path.join(p, 'package.json'))) packages++;
        walk(p, e.name === 'node_modules');
      } else {
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(modules, true);
  return { packages, bytes };
}

export function installSection(_runs: number, log: (s: string) => void): Section {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  log('install: npm pack, then npm install of the tarball with constructs');
  const tarball = path.join(out, run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], repo).trim().split('\n').pop()!);
  const dir = path.join(out, 'app');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-install", "private": true }\n');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, 'constructs'], dir);
  const w = weigh(path.join(dir, 'node_modules'));
  log(`  npm install <tarball> constructs: ${w.packages} packages, ${(w.bytes / 1048576).toFixed(1)} MiB`);
  const size = fs.statSync(tarball).size;
  const markdown = [
    `\`npm pack\` of this checkout (${(size / 1048576).toFixed(2)} MiB), then \`npm install\` of the tarball and \`constructs\` into an empty`,
    'folder (README\'s install route), from npm\'s cache. Packages: folders with a package.json that npm installed, bundled ones',
    'included; size: the bytes of the files under `node_modules`. slipway has no runtime dependency besides its peer',
    '`constructs` and the two packages it bundles (`jiti`, `yaml`): the Kubernetes objects of its charts are typed by its own',
    'model of the API (`src/kubernetes/k8s-model.ts`). With cdk8s-plus-27 as a dependency the same install was 202 packages',
    'and 40 MiB, most of them its optional dependency `backport`.',
    '',
    table(['install', 'packages', 'MiB on disk'], [['npm install <tarball> constructs', String(w.packages), (w.bytes / 1048576).toFixed(1)]]),
  ].join('\n');
  return { title: 'Install', markdown, targets: [] };
}
