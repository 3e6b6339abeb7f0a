/**
 * Section 1, cold CLI: `slipway synth --check` and `slipway synth` of every
 * example, each a fresh `node bin/slipway` process (the compiled lib/), next
 * to the baseline `node -e "require('cdk8s-plus-27')"` measured in the same
 * interleaved rounds. `synth` writes into a copy of the example under
 * bench/.out/cli/, emptied of generated files before every run, so each run
 * writes every file and the repository is not modified.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runMeasured, ProcessResult } from './lib/process';
import { Section, Target } from './lib/report';
import { fmt, ratio, summarize, Summary, table } from './lib/stats';

const repo = path.resolve(__dirname, '..');
const out = path.join(repo, 'bench', '.out', 'cli');
const node = process.execPath;
const slipway = path.join(repo, 'bin', 'slipway');

interface Case {
  readonly name: string;
  readonly cmd: string[];
  readonly cwd: string;
  readonly before?: () => void;
  /** Exit codes that count as success. @default [0] */
  readonly accept?: number[];
  /** What the run produced, from its output (e.g. the file count). */
  readonly check?: (r: ProcessResult) => string;
}

/** The examples that exist now (examples/<name>/slipway.ts). */
export function examples(): string[] {
  const dir = path.join(repo, 'examples');
  return fs.readdirSync(dir).filter((e) => fs.existsSync(path.join(dir, e, 'slipway.ts'))).sort();
}

/** Copies an example's sources (not its generated files) to bench/.out/cli/<name>; returns the copy. */
function copyExample(name: string): string {
  const src = path.join(repo, 'examples', name);
  const dst = path.join(out, name);
  fs.rmSync(dst, { recursive: true, force: true });
  const manifest = path.join(src, '.slipway', 'manifest.json');
  const generated = new Set(fs.existsSync(manifest) ? Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).files) : []);
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(src, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === '.slipway') continue;
      if (e.isDirectory()) walk(p);
      else if (!generated.has(p)) {
        fs.mkdirSync(path.dirname(path.join(dst, p)), { recursive: true });
        fs.copyFileSync(path.join(src, p), path.join(dst, p));
      }
    }
  };
  walk('');
  return dst;
}

/** Removes what a previous synth wrote into `dir` (the files its manifest lists, the manifest, empty directories). */
export function removeGenerated(dir: string): void {
  const manifest = path.join(dir, '.slipway', 'manifest.json');
  if (!fs.existsSync(manifest)) return;
  for (const f of Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).files)) fs.rmSync(path.join(dir, f), { force: true });
  fs.rmSync(path.join(dir, '.slipway'), { recursive: true, force: true });
  const prune = (d: string): boolean => {
    let empty = true;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && prune(path.join(d, e.name))) fs.rmdirSync(path.join(d, e.name));
      else empty = false;
    }
    return empty;
  };
  prune(dir);
}

export interface Measured { readonly wall: Summary; readonly rss: Summary; readonly detail: string }

/** Runs every case once as a warm-up, then `runs` interleaved rounds. */
export function measureInterleaved(cases: Case[], runs: number, log: (s: string) => void): Map<string, Measured> {
  const wall = new Map<string, number[]>();
  const rss = new Map<string, number[]>();
  const detail = new Map<string, string>();
  for (let round = -1; round < runs; round++) {
    for (const c of cases) {
      c.before?.();
      const r = runMeasured(c.cmd, { cwd: c.cwd });
      if (!(c.accept ?? [0]).includes(r.status ?? -1)) throw new Error(`${c.name}: exit ${r.status}\n${r.stderr}${r.stdout}`);
      if (round < 0) { detail.set(c.name, c.check?.(r) ?? ''); continue; }
      wall.set(c.name, [...(wall.get(c.name) ?? []), r.wallMs]);
      rss.set(c.name, [...(rss.get(c.name) ?? []), r.peakRssMiB]);
    }
    log(round < 0 ? '  warm-up done' : `  round ${round + 1}/${runs}`);
  }
  const res = new Map<string, Measured>();
  for (const c of cases) res.set(c.name, { wall: summarize(wall.get(c.name)!), rss: summarize(rss.get(c.name)!), detail: detail.get(c.name) ?? '' });
  return res;
}

const BASELINE = 'baseline: node -e "require(\'cdk8s-plus-27\')"';
const NODE = 'baseline: node -e 0';
const LIBRARY = 'node -e "require(\'slipway\')" (load the library only)';

export function cliSection(runs: number, log: (s: string) => void): Section {
  const cases: Case[] = [
    { name: NODE, cmd: [node, '-e', '0'], cwd: repo },
    { name: BASELINE, cmd: [node, '-e', "require('cdk8s-plus-27')"], cwd: repo },
    { name: LIBRARY, cmd: [node, '-e', "require('slipway')"], cwd: repo },
  ];
  const names = examples();
  for (const name of names) {
    const def = path.join('examples', name, 'slipway.ts');
    cases.push({
      name: `${name}: synth --check`,
      cmd: [node, slipway, 'synth', '--check', '--app', def],
      cwd: repo,
      // drift (exit 1) does the same work: render everything, compare with the files
      accept: [0, 1],
      check: (r) => r.status === 0 ? /(\d+) generated file/.exec(r.stdout)?.[1] ?? '?' : `${/(\d+) generated file/.exec(r.stderr)?.[1] ?? '?'} drifted`,
    });
    const copy = copyExample(name);
    cases.push({
      name: `${name}: synth`,
      cmd: [node, slipway, 'synth', '--app', path.join(copy, 'slipway.ts')],
      cwd: copy,
      before: () => removeGenerated(copy),
      check: (r) => /wrote (\d+)/.exec(r.stdout)?.[1] ?? '?',
    });
  }
  log(`cold CLI: ${cases.length} commands, ${runs} interleaved rounds after a warm-up`);
  const m = measureInterleaved(cases, runs, log);
  const base = m.get(BASELINE)!;

  const rows = cases.map((c) => {
    const r = m.get(c.name)!;
    return [c.name, r.detail, fmt(r.wall), fmt(r.rss, 1), ratio(r.wall.median / base.wall.median)];
  });
  const targets: Target[] = [];
  const nodeOnly = m.get(NODE)!;
  if (names.includes('dataknobs')) {
    for (const mode of ['synth --check', 'synth']) {
      const r = m.get(`dataknobs: ${mode}`)!;
      const x = r.wall.median / nodeOnly.wall.median;
      targets.push({
        name: `cold \`slipway ${mode}\` of dataknobs (workflows only) vs \`node -e 0\``,
        measured: `${r.wall.median.toFixed(0)} ms / ${nodeOnly.wall.median.toFixed(0)} ms = ${ratio(x)}`,
        goal: '≤ 2×',
        met: x <= 2,
      });
    }
  }
  if (names.includes('coditect')) {
    for (const mode of ['synth --check', 'synth']) {
      const r = m.get(`coditect: ${mode}`)!;
      const x = r.wall.median / base.wall.median;
      targets.push({
        name: `cold \`slipway ${mode}\` of coditect vs \`node -e "require('cdk8s-plus-27')"\``,
        measured: `${r.wall.median.toFixed(0)} ms / ${base.wall.median.toFixed(0)} ms = ${ratio(x)}`,
        goal: '≤ 1.3×',
        met: x <= 1.3,
      });
    }
  }
  const markdown = [
    'Each command is a fresh process (`node bin/slipway ...`, running the bundle `lib/slipway.js` with its compile cache warm,',
    'as after a first run), from the repository root.',
    '`synth --check` compares with the committed output of `examples/<name>/`; `synth` writes into a copy under',
    '`bench/.out/cli/` that is emptied of generated files before every run, so every run writes every file.',
    'The CLI\'s caches (V8\'s code cache of its modules, the transforms of the definition files) are in a temporary folder of the',
    'bench\'s own, filled by the warm-up round (its first synthesis is coditect\'s), as they are on a developer machine after the',
    'first run; a definition whose files are cached runs without loading jiti.',
    '',
    table(['command', 'files', 'wall ms, median (min–max)', 'peak RSS MiB', 'wall / baseline'], rows),
  ].join('\n');
  return { title: 'Cold CLI', markdown, targets };
}
