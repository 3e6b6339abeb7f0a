import { CheckContext, CheckOptions, commandSteps, jobProps, optionProblems } from './context';
import { CheckSpec } from './spec';

/** Options of {@link Check.lint}. */
export interface LintCheckOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "lint"
   */
  readonly id?: string;

  /**
   * Commands whose failure is reported but does not fail the check
   * (`continue-on-error` on their steps), e.g. a type checker in warning
   * mode. They run after `commands`.
   * @default - none
   */
  readonly advisoryCommands?: string[];
}

/** @internal */
export function lintSpec(commands: string[], options: LintCheckOptions): CheckSpec {
  const advisory = options.advisoryCommands ?? [];
  const problems = optionProblems(options, commands);
  advisory.forEach((c, i) => {
    if (c.trim() === '') problems.push(`advisoryCommands[${i}] is empty; remove it or give the command`);
  });
  return {
    problems,
    contextProblems: () => [],
    jobProps: (_id: string, ctx: CheckContext) => jobProps(ctx, options, 'Lint', [
      ...ctx.toolchain._setupSteps(),
      ...commandSteps(commands),
      ...commandSteps(advisory, { continueOnError: true }),
    ]),
  };
}
