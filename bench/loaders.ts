/**
 * Cold start of `slipway synth --check` on a definition file, with each
 * candidate TypeScript loader: jiti (what the CLI uses), tsx, ts-node
 * (transpile-only) and esbuild (transform to a temporary CommonJS file).
 * Each runs as a fresh process, in interleaved rounds after a warm-up (which
 * also fills jiti's transform cache); median and min–max wall time and peak RSS.
 *
 * Usage: tsx bench/loaders.ts [definition.ts] [runs]
 * (`npm run bench` runs it on examples/hello as a section of BENCHMARKS.md.)
 */
import * as path from 'path';
import { measureInterleaved } from './cli';
import { Section } from './lib/report';
import { fmt, ratio, table } from './lib/stats';

const repo = path.resolve(__dirname, '..');

/** Each candidate loads `def` with a synth host that only renders (check mode), then exits. */
const driver = (def: string, register: string) => `
${register}
const { setSynthHost } = require(${JSON.stringify(path.join(repo, 'lib/core/app.js'))});
const host = { outdir: ${JSON.stringify(path.dirname(def))}, sourceFile: 'slipway.ts', apps: [], synthRequested: new Set() };
setSynthHost(host);
load(${JSON.stringify(def)});
let n = 0; for (const a of host.apps) n += a._collect().length;
if (n === 0) throw new Error('no files');
`;

export const CHOSEN = 'jiti (chosen: `slipway synth --check`)';

export function loaders(def: string): { [name: string]: string[] } {
  return {
    [CHOSEN]: [process.execPath, path.join(repo, 'bin/slipway'), 'synth', '--check', '--quiet', '--app', def],
    'tsx': [process.execPath, '--import', 'tsx', '-e', driver(def, 'const load = (f) => require(f);')],
    'ts-node (transpile-only)': [process.execPath, '-e', driver(def, "require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } }); const load = (f) => require(f);")],
    'esbuild (transform)': [process.execPath, '-e', driver(def, `
const esbuild = require('esbuild'); const fs = require('fs'); const p = require('path');
const load = (f) => { const out = esbuild.transformSync(fs.readFileSync(f, 'utf8'), { loader: 'ts', format: 'cjs' });
  const tmp = p.join(p.dirname(f), '.slipway-esbuild.cjs'); fs.writeFileSync(tmp, out.code); try { require(tmp); } finally { fs.rmSync(tmp); } };`)],
    'baseline: node -e "require(\'cdk8s-plus-27\')"': [process.execPath, '-e', "require('cdk8s-plus-27')"],
  };
}

export function loadersSection(runs: number, log: (s: string) => void, definition = path.join(repo, 'examples/hello/slipway.ts')): Section {
  const cmds = loaders(definition);
  log(`loaders: ${Object.keys(cmds).length} commands on ${path.relative(repo, definition)}, ${runs} interleaved rounds after a warm-up`);
  const cases = Object.entries(cmds).map(([name, cmd]) => ({ name, cmd, cwd: repo, accept: name === CHOSEN ? [0, 1] : [0] }));
  const m = measureInterleaved(cases, runs, log);
  const chosen = m.get(CHOSEN)!;
  const rows = cases.map((c) => {
    const r = m.get(c.name)!;
    return [c.name, fmt(r.wall), fmt(r.rss, 1), ratio(r.wall.median / chosen.wall.median)];
  });
  return {
    title: 'CLI loader choice',
    markdown: [
      `How the CLI loads \`slipway.ts\`: each candidate loads \`${path.relative(repo, definition)}\` and renders it without writing`,
      '(like `synth --check`), as a fresh process. jiti is what `slipway` uses (no native binaries; transform cache).',
      '',
      table(['loader', 'wall ms, median (min–max)', 'peak RSS MiB', 'wall / jiti'], rows),
    ].join('\n'),
    targets: [],
  };
}

if (require.main === module) {
  const def = path.resolve(process.argv[2] ?? path.join(repo, 'examples/hello/slipway.ts'));
  const s = loadersSection(Number(process.argv[3] ?? 7), (l) => console.error(l), def);
  console.log(s.markdown);
}
