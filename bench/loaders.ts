/**
 * Cold start of `slipway synth --check` on a definition file, with each
 * candidate TypeScript loader: jiti (what the CLI uses), tsx, ts-node
 * (transpile-only) and esbuild (transform to a temporary CommonJS file).
 * Each runs as a fresh process; reports the median and min–max wall time.
 *
 * Usage: tsx bench/loaders.ts [definition.ts] [runs]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const repo = path.resolve(__dirname, '..');
const def = path.resolve(process.argv[2] ?? path.join(repo, 'examples/hello/slipway.ts'));
const runs = Number(process.argv[3] ?? 7);

/** Each candidate loads `def` with a synth host that only renders (check mode), then exits. */
const driver = (register: string) => `
${register}
const { setSynthHost } = require(${JSON.stringify(path.join(repo, 'lib/core/app.js'))});
const host = { outdir: ${JSON.stringify(path.dirname(def))}, sourceFile: 'slipway.ts', apps: [], synthRequested: new Set() };
setSynthHost(host);
load(${JSON.stringify(def)});
let n = 0; for (const a of host.apps) n += a._collect().length;
if (n === 0) throw new Error('no files');
`;

export const LOADERS: { [name: string]: string[] } = {
  'jiti (chosen)': [process.execPath, path.join(repo, 'bin/slipway'), 'synth', '--check', '--quiet', '--app', def],
  'tsx': [process.execPath, '--import', 'tsx', '-e', driver('const load = (f) => require(f);')],
  'ts-node (transpile-only)': [process.execPath, '-e', driver("require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } }); const load = (f) => require(f);")],
  'esbuild (transform)': [process.execPath, '-e', driver(`
const esbuild = require('esbuild'); const fs = require('fs'); const os = require('os'); const p = require('path');
const load = (f) => { const out = esbuild.transformSync(fs.readFileSync(f, 'utf8'), { loader: 'ts', format: 'cjs' });
  const tmp = p.join(p.dirname(f), '.slipway-esbuild.cjs'); fs.writeFileSync(tmp, out.code); try { require(tmp); } finally { fs.rmSync(tmp); } };`)],
  'baseline: node -e "require(\'cdk8s-plus-27\')"': [process.execPath, '-e', "require('cdk8s-plus-27')"],
};

function time(cmd: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: repo, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export function measureLoaders(): Array<{ loader: string; median: number; min: number; max: number }> {
  const results: { [name: string]: number[] } = {};
  for (const name of Object.keys(LOADERS)) { time(LOADERS[name]); results[name] = []; } // warm-up (fills jiti's transform cache too)
  for (let i = 0; i < runs; i++) for (const name of Object.keys(LOADERS)) results[name].push(time(LOADERS[name])); // interleaved
  return Object.entries(results).map(([loader, xs]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { loader, median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
  });
}

if (require.main === module) {
  console.log(`definition: ${path.relative(repo, def)}, ${runs} runs each after a warm-up`);
  for (const r of measureLoaders()) console.log(`${r.loader.padEnd(48)} median ${r.median.toFixed(0).padStart(5)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`);
}
