/** One benchmark section's results, rendered into BENCHMARKS.md and the console. */
export interface Section {
  readonly title: string;
  /** Markdown: what was measured and how, and the table. */
  readonly markdown: string;
  readonly targets: Target[];
}

/** A target of the issue, measured. */
export interface Target {
  readonly name: string;
  readonly measured: string;
  readonly goal: string;
  readonly met: boolean;
  /** Why it is missed (or any caveat), when there is one. */
  readonly note?: string;
}

/** Files of a directory tree, relative, with forward slashes. */
export function listFiles(dir: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(rel ? `${dir}/${rel}` : dir, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('');
  return out.sort();
}
