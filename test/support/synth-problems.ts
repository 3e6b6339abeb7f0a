import { App, Testing } from '../../src';
import { SlipwayError } from '../../src/core/errors';

/** The problems synthesis (or construction) reports, or [] when it succeeds. */
export function synthProblems(define: (app: App) => void): string[] {
  try {
    const app = Testing.app();
    define(app);
    Testing.synth(app);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    return (e as SlipwayError).problems;
  }
}
