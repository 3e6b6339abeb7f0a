/** Median, min and max of a series of measurements. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(xs: number[]): Summary {
  if (xs.length === 0) throw new Error('no measurements');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** `123 (118–131)` with the given number of decimals. */
export function fmt(s: Summary, decimals = 0, unit = ''): string {
  const f = (x: number) => x.toFixed(decimals);
  return `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})`;
}

/** A ratio with two decimals and a ×. */
export function ratio(x: number): string {
  return `${x.toFixed(2)}×`;
}

/** A markdown table. */
export function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}
