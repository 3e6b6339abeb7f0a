/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with
 * the most self time and the most total (inclusive) time.
 *
 * Usage: tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]
 */
import * as fs from 'fs';
import * as path from 'path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface ProfileLine { readonly fn: string; readonly selfMs: number; readonly totalMs: number }

export function summarize(file: string, top = 25): { totalMs: number; bySelf: ProfileLine[]; byTotal: ProfileLine[] } {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const short = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : path.relative(process.cwd(), url) || url;
    return `${n.callFrame.functionName || '(anonymous)'} ${short}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const ms = (prof.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    let id: number | undefined = prof.samples[i];
    const first = byId.get(id)!;
    self.set(label(first), (self.get(label(first)) ?? 0) + ms);
    const seen = new Set<string>();
    while (id !== undefined) {
      const l = label(byId.get(id)!);
      if (!seen.has(l)) { seen.add(l); total.set(l, (total.get(l) ?? 0) + ms); }
      id = parent.get(id);
    }
  }
  const lines = [...self.keys(), ...total.keys()].filter((k, i, a) => a.indexOf(k) === i)
    .map((fn) => ({ fn, selfMs: self.get(fn) ?? 0, totalMs: total.get(fn) ?? 0 }));
  return {
    totalMs,
    bySelf: [...lines].sort((a, b) => b.selfMs - a.selfMs).slice(0, top),
    byTotal: [...lines].sort((a, b) => b.totalMs - a.totalMs).slice(0, top),
  };
}

if (require.main === module) {
  const s = summarize(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`total ${s.totalMs.toFixed(0)} ms\n-- self --`);
  for (const l of s.bySelf) console.log(`${l.selfMs.toFixed(0).padStart(7)} ${l.totalMs.toFixed(0).padStart(7)}  ${l.fn}`);
  console.log('-- total --');
  for (const l of s.byTotal) console.log(`${l.selfMs.toFixed(0).padStart(7)} ${l.totalMs.toFixed(0).padStart(7)}  ${l.fn}`);
}
