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
