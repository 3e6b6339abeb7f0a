import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { transitiveReduction } from '../../src/delivery/graph';
import { EXAMPLES, exampleOutput } from '../examples/support';

type Graph = Map<string, string[]>;

/** Every node each node depends on, directly or transitively. */
function closure(g: Graph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    if (out.has(id)) return out.get(id)!;
    const all = new Set<string>();
    out.set(id, all);
    for (const n of g.get(id) ?? []) {
      all.add(n);
      for (const u of visit(n)) all.add(u);
    }
    return all;
  };
  for (const id of g.keys()) visit(id);
  return out;
}

const edges = (g: Graph) => [...g.values()].reduce((n, needs) => n + needs.length, 0);

/** The reduction keeps what reaches what, and no remaining edge is implied by the others. */
function expectReduction(g: Graph, r: Graph): void {
  const before = closure(g);
  const after = closure(r);
  for (const id of g.keys()) expect([id, [...after.get(id)!].sort()]).toEqual([id, [...before.get(id)!].sort()]);
  for (const [id, needs] of r) {
    for (const n of needs) {
      const without = new Map(r);
      without.set(id, needs.filter((x) => x !== n));
      expect([`${n} → ${id}`, closure(without).get(id)!.has(n)]).toEqual([`${n} → ${id}`, false]);
    }
  }
}

describe('transitive reduction of needs (graph, no YAML)', () => {
  test('drops the edges a longer path already implies, and keeps the order of the rest', () => {
    const g: Graph = new Map([
      ['lint', []], ['build', []], ['scan', ['build']],
      ['staging', ['lint', 'scan', 'build']],
      ['production', ['lint', 'scan', 'build', 'staging']],
      ['notify', ['lint', 'build', 'scan', 'staging', 'production']],
    ]);
    const r = transitiveReduction(g);
    expect(Object.fromEntries(r)).toEqual({
      lint: [],
      build: [],
      scan: ['build'],
      staging: ['lint', 'scan'],
      production: ['staging'],
      notify: ['production'],
    });
    expectReduction(g, r);
    expect([edges(g), edges(r)]).toEqual([13, 5]);
  });

  test('fan-out and fan-in stay: two paths that do not imply each other both remain', () => {
    const g: Graph = new Map([['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c', 'a']]]);
    const r = transitiveReduction(g);
    expect(Object.fromEntries(r)).toEqual({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    expectReduction(g, r);
  });

  test('random graphs without cycles: reachability is preserved and the result is minimal', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 40; round++) {
      const size = 2 + Math.floor(random() * 12);
      const g: Graph = new Map();
      for (let i = 0; i < size; i++) {
        // a node needs only nodes before it, so there is no cycle
        const needs: string[] = [];
        for (let j = 0; j < i; j++) if (random() < 0.4) needs.push(`n${j}`);
        g.set(`n${i}`, needs);
      }
      expectReduction(g, transitiveReduction(g));
    }
  });

  test('a duplicated need is drawn once; a cycle does not hang it', () => {
    expect(transitiveReduction(new Map([['a', []], ['b', ['a', 'a']]])).get('b')).toEqual(['a']);
    expect(Object.fromEntries(transitiveReduction(new Map([['a', ['b']], ['b', ['a']]])))).toEqual({ a: ['b'], b: ['a'] });
  });
});

/** The arrows of a Mermaid flowchart, by target node. */
function drawn(mermaid: string): Graph {
  const g: Graph = new Map();
  for (const m of mermaid.matchAll(/^\s+(\w+) --> (\w+)$/gm)) g.set(m[2], [...(g.get(m[2]) ?? []), m[1]]);
  return g;
}

const examples = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'docs', 'pipelines'))).sort();

describe.each(examples)('examples/%s: the committed graph', (name) => {
  test('draws the transitive reduction of the workflows\' needs, which stay complete', () => {
    const files = exampleOutput(name);
    const graph = Object.keys(files).filter((f) => f.startsWith('docs/pipelines/')).map((f) => files[f]).join('\n');
    const nodes = new Set([...graph.matchAll(/^\s+(\w+)[[({]/gm)].map((m) => m[1]));
    const needs: Graph = new Map();
    for (const f of Object.keys(files).filter((x) => x.startsWith('.github/workflows/'))) {
      const wf = safe(path.basename(f, '.yml'));
      if (![...nodes].some((n) => n.startsWith(`${wf}__`))) continue; // a workflow of no pipeline
      for (const [id, job] of Object.entries<any>(YAML.parse(files[f]).jobs ?? {})) {
        const n = job.needs === undefined ? [] : [].concat(job.needs);
        needs.set(`${wf}__${safe(id)}`, n.map((x: string) => `${wf}__${safe(x)}`));
      }
    }
    const arrows = drawn(graph);
    const drawnGraph: Graph = new Map([...needs.keys()].map((id) => [id, arrows.get(id) ?? []]));
    expect([...nodes].sort()).toEqual([...needs.keys()].sort());
    expect([...arrows.keys()].filter((id) => !needs.has(id))).toEqual([]);
    expectReduction(needs, drawnGraph);
    expect(edges(drawnGraph)).toBeLessThanOrEqual(edges(needs));
  });
});

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}
