import { IConstruct } from 'constructs';

/**
 * Formats a message with the construct path in front, the way every slipway
 * error is reported: `[ci/deploy] message`.
 * @internal
 */
export function pathMessage(scope: IConstruct, message: string): string {
  const path = scope.node.path;
  return path ? `[${path}] ${message}` : message;
}

/**
 * An error raised while defining or synthesizing constructs. Its message
 * starts with the construct path.
 * @internal
 */
export class SlipwayError extends Error {
  /**
   * Every problem found, each prefixed with its construct path.
   */
  public readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.length === 1
      ? problems[0]
      : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SlipwayError';
    this.problems = problems;
  }
}

/**
 * Throws a SlipwayError naming the construct.
 * @internal
 */
export function fail(scope: IConstruct, message: string): never {
  throw new SlipwayError([pathMessage(scope, message)]);
}

/**
 * The candidate closest to `word` by edit distance, when it is close enough
 * to be a likely typo of it.
 * @internal
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Damerau-Levenshtein distance (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
