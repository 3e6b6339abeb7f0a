/**
 * Graph logic of a workflow's jobs, kept apart from rendering so it can be
 * tested on its own.
 * @internal
 */

/** A directed graph: job id → ids of the jobs it needs. @internal */
export type NeedsGraph = Map<string, string[]>;

/**
 * The first cycle of the graph as a path that returns to its start
 * (`['a', 'b', 'a']`), or undefined. Jobs are visited in insertion order, so
 * the result is deterministic.
 * @internal
 */
export function findCycle(graph: NeedsGraph): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'active') return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** The path from `from` to `to` following needs edges, or undefined. @internal */
export function pathBetween(graph: NeedsGraph, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const path = [to];
      let n = to;
      while (previous.has(n)) {
        n = previous.get(n)!;
        path.unshift(n);
      }
      return path;
    }
    for (const next of graph.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}
