/**
 * Raw overrides of a rendered document, the escape hatch for anything the
 * typed API does not model. Paths are dot-separated keys (`jobs.build.env.A`);
 * a numeric segment indexes an array (`steps.0.with`); `\.` is a literal dot
 * in a key (`env.A\.B`). Overrides apply after every check, in the order they
 * were added.
 * @internal
 */
export class Overrides {
  private readonly entries: Array<{ path: string[]; value: unknown; delete: boolean }> = [];

  public set(path: string, value: unknown): void {
    this.entries.push({ path: splitPath(path), value, delete: false });
  }

  public delete(path: string): void {
    this.entries.push({ path: splitPath(path), value: undefined, delete: true });
  }

  /** Applies every override to `doc` (mutated) and returns it. */
  public apply<T>(doc: T): T {
    for (const e of this.entries) {
      let node: any = doc;
      for (let i = 0; i < e.path.length - 1; i++) {
        const key = e.path[i];
        const index = Array.isArray(node) ? arrayIndex(key) : undefined;
        let next = index !== undefined ? node[index] : node[key];
        if (next === undefined || next === null || typeof next !== 'object') {
          if (e.delete) { node = undefined; break; }
          next = {};
          if (index !== undefined) node[index] = next;
          else node[key] = next;
        }
        node = next;
      }
      if (node === undefined) continue;
      const last = e.path[e.path.length - 1];
      const index = Array.isArray(node) ? arrayIndex(last) : undefined;
      if (e.delete) {
        if (index !== undefined) node.splice(index, 1);
        else delete node[last];
      } else if (index !== undefined) {
        node[index] = e.value;
      } else {
        node[last] = e.value;
      }
    }
    return doc;
  }
}

function arrayIndex(key: string): number | undefined {
  return /^\d+$/.test(key) ? Number(key) : undefined;
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
    } else if (path[i] === '.') {
      parts.push(current);
      current = '';
    } else {
      current += path[i];
    }
  }
  parts.push(current);
  if (parts.some((p) => p === '')) throw new Error(`override path "${path}" has an empty segment; write keys separated by single dots, e.g. "jobs.build.env.MY_VAR"`);
  return parts;
}
