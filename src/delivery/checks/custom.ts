import { CheckContext, CheckOptions, commandSteps, jobProps, optionProblems, uploadReports } from './context';
import { CheckPlacement } from './placement';
import { CheckSpec } from './spec';
import { serviceEnv, serviceMap } from './test';
import { ServiceContainer } from '../../github/service-container';
import { Step } from '../../github/step';

/** Options of {@link Check.custom}. */
export interface CustomCheckOptions extends CheckOptions {
  /**
   * Where the check runs. An AFTER_DEPLOY check gets the environment's URL
   * as `TARGET_URL`.
   * @default CheckPlacement.BEFORE_DEPLOY
   */
  readonly placement?: CheckPlacement;

  /**
   * Whether the toolchain is set up (checkout, language, dependencies)
   * before the commands.
   * @default true
   */
  readonly setupToolchain?: boolean;

  /**
   * Service containers (see {@link TestCheckOptions.services}).
   * @default - none
   */
  readonly services?: ServiceContainer[];

  /**
   * Report paths uploaded as an artifact even when the check fails,
   * relative to the working directory.
   * @default - nothing is uploaded
   */
  readonly reports?: string[];

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;
}

/** @internal */
export function customSpec(commands: string[], options: CustomCheckOptions): CheckSpec {
  const problems = optionProblems(options, commands);
  for (const r of options.reports ?? []) if (r.trim() === '') problems.push('reports has an empty path');
  return {
    problems,
    contextProblems: (ctx: CheckContext) => options.placement === CheckPlacement.AFTER_DEPLOY && !ctx.environmentUrl
      ? ['runs against a deployed environment (TARGET_URL), but the environment has no url; set the Environment\'s url']
      : [],
    jobProps: (id: string, ctx: CheckContext) => {
      const wd = options.workingDirectory ?? ctx.toolchain.workingDirectory;
      const steps: Step[] = options.setupToolchain === false
        ? [...ctx.toolchain._setupSteps(undefined, { checkoutOnly: true })]
        : [...ctx.toolchain._setupSteps()];
      steps.push(...commandSteps(commands));
      if (options.reports && options.reports.length > 0) {
        steps.push(uploadReports(`${id}-reports`, options.reports.map((r) => (wd ? `${wd}/${r}` : r)), options.reportRetentionDays));
      }
      const services = serviceMap(options.services);
      const env = options.placement === CheckPlacement.AFTER_DEPLOY && ctx.environmentUrl
        ? { TARGET_URL: ctx.environmentUrl, ...serviceEnv(services), ...options.env }
        : { ...serviceEnv(services), ...options.env };
      return jobProps(ctx, { ...options, env }, id, steps, {
        services,
      });
    },
  };
}
