/**
 * Section 2, scale: a generated monorepo of N applications × 3 environments
 * (bench/scale/generate.ts), synthesized by a fresh `slipway synth` process
 * into an emptied directory, for N = 10, 100, 1000.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scaleDefinition } from './generate';
import { removeGenerated } from '../cli';
import { runMeasured } from '../lib/process';
import { Section, Target } from '../lib/report';
import { fmt, ratio, summarize, Summary, table } from '../lib/stats';

const repo = path.resolve(__dirname, '..', '..');
const out = path.join(repo, 'bench', '.out', 'scale');

export interface ScalePoint {
  readonly n: number;
  readonly files: number;
  readonly wall: Summary;
  readonly rss: Summary;
  /** Plain writes of the same files into an emptied folder (bench/scale/floor.js), after each synth run. */
  readonly floor: Summary;
  /** `slipway synth --check` of the files just written: the synthesis without the writes. */
  readonly check: Summary;
}

/**
 * Flushes the writes of the previous run to disk (`sync`, not timed), so that no run is slowed by the
 * write-back of the one before it.
 */
function settleDisk(): void {
  spawnSync('sync');
}

/** Writes the files of `dir` again (the generated ones and the manifest), plainly, into an emptied folder; the milliseconds of the writes. */
function fileSystemFloor(dir: string, files: number): number {
  const to = `${dir}-floor`;
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  settleDisk();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'floor.js'), dir, to], { encoding: 'utf8' });
  const [count, ms] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || !(count >= files)) throw new Error(`file-system floor: exit ${r.status}, ${count} files for ${files}\n${r.stderr}`);
  fs.rmSync(to, { recursive: true, force: true });
  return ms;
}

export function measureScale(sizes: number[], runs: number, log: (s: string) => void): ScalePoint[] {
  const points: ScalePoint[] = [];
  for (const n of sizes) {
    const dir = path.join(out, String(n));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'slipway.ts'), scaleDefinition(n));
    const wall: number[] = [];
    const rss: number[] = [];
    const floor: number[] = [];
    const check: number[] = [];
    let files = 0;
    for (let i = -1; i < runs; i++) {
      removeGenerated(dir);
      settleDisk();
      const r = runMeasured([process.execPath, path.join(repo, 'bin', 'slipway'), 'synth', '--quiet', '--app', path.join(dir, 'slipway.ts')], { cwd: dir });
      if (r.status !== 0) throw new Error(`scale ${n}: exit ${r.status}\n${r.stderr}`);
      files = Number(/wrote (\d+)/.exec(r.stdout)?.[1] ?? NaN);
      if (i < 0) continue;
      wall.push(r.wallMs);
      rss.push(r.peakRssMiB);
      settleDisk();
      const c = runMeasured([process.execPath, path.join(repo, 'bin', 'slipway'), 'synth', '--check', '--app', path.join(dir, 'slipway.ts')], { cwd: dir });
      if (c.status !== 0) throw new Error(`scale ${n}: synth --check exit ${c.status}\n${c.stderr}`);
      check.push(c.wallMs);
      floor.push(fileSystemFloor(dir, files));
    }
    const p = { n, files, wall: summarize(wall), rss: summarize(rss), floor: summarize(floor), check: summarize(check) };
    log(`  N=${n}: ${files} files, ${fmt(p.wall)} ms, ${fmt(p.rss, 1)} MiB; synth --check ${fmt(p.check)} ms; plain writes of the same files ${fmt(p.floor)} ms`);
    points.push(p);
  }
  return points;
}

export function scaleSection(runs: number, log: (s: string) => void, sizes = [10, 100, 1000]): Section {
  log(`scale: N = ${sizes.join(', ')}, ${runs} runs each after a warm-up`);
  const points = measureScale(sizes, runs, log);
  const rows = points.map((p) => [
    String(p.n), String(p.files), fmt(p.wall), (p.wall.median / p.files).toFixed(2), fmt(p.rss, 1), fmt(p.check), fmt(p.floor),
  ]);
  const targets: Target[] = [];
  const at = (n: number) => points.find((p) => p.n === n);
  const p100 = at(100);
  const p1000 = at(1000);
  const p10 = at(10);
  let growth = '';
  if (p100 && p1000) {
    const t = p1000.wall.median / p100.wall.median;
    const m = p1000.rss.median / p100.rss.median;
    targets.push({ name: 'time growth cost(1000) / cost(100)', measured: ratio(t), goal: '≤ 11', met: t <= 11 });
    targets.push({ name: 'memory growth cost(1000) / cost(100)', measured: ratio(m), goal: '≤ 11', met: m <= 11 });
    targets.push({ name: 'wall time of the 1000-application synth', measured: `${(p1000.wall.median / 1000).toFixed(2)} s`, goal: '≤ 3 s', met: p1000.wall.median <= 3000 });
    targets.push({ name: 'peak RSS of the 1000-application synth', measured: `${p1000.rss.median.toFixed(0)} MiB`, goal: '≤ 300 MiB', met: p1000.rss.median <= 300 });
    if (p10) {
      const per100 = (p100.wall.median - p10.wall.median) / 90;
      const per1000 = (p1000.wall.median - p100.wall.median) / 900;
      growth = `\nMarginal cost per application: ${per100.toFixed(2)} ms between N = 10 and 100, ${per1000.toFixed(2)} ms between N = 100 and 1000 `
        + `(${ratio(per1000 / per100)}; 1.00× is perfectly linear). Ratios of whole-process figures include the fixed start-up cost (module loading, ~${p10.wall.median.toFixed(0)} ms at N = 10).`;
    }
  }
  const markdown = [
    'Generated by `bench/scale/generate.ts`: N applications, each with its Helm chart, Cloud Run service spec and pipeline',
    '(lint, unit tests, integration tests with Postgres; staging on Kubernetes, then a production canary on Kubernetes and Cloud Run),',
    'sharing three environments. Each run is a fresh `slipway synth` process writing into an emptied directory under `bench/.out/scale/`.',
    'After each synth run, `slipway synth --check` of the files it wrote measures the synthesis without the writes, and, as the',
    'file system\'s share, `bench/scale/floor.js` writes the same files with the same',
    'content into another emptied folder with plain `mkdirSync` and `writeFileSync` (no staging, journal or checks), timed around the writes only.',
    'Before each synth run and each plain write, `sync` flushes the previous run\'s writes to disk (not timed).',
    '',
    table(['N applications', 'files written', 'wall ms, median (min–max)', 'ms per file', 'peak RSS MiB', '`synth --check` ms', 'plain writes of the same files, ms'], rows),
    growth,
  ].join('\n');
  return { title: 'Scale', markdown, targets };
}
