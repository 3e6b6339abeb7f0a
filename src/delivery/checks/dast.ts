import { CheckContext, CheckOptions, jobProps, lockedImage, optionProblems, uploadReports } from './context';
import { CheckSpec } from './spec';
import { STEP_IMAGES } from '../../core/step-images';
import { Actions } from '../../github/actions/actions';
import { Step } from '../../github/step';

/** Options of {@link Check.dast}. */
export interface DastOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "dast"
   */
  readonly id?: string;

  /**
   * The URL to scan.
   * @default - the URL of the environment the check is listed in
   */
  readonly target?: string;

  /**
   * A ZAP rules file (tab-separated `rule-id	IGNORE|WARN|FAIL	name`),
   * relative to the repository root, passed with `-c`.
   * @default - ZAP's defaults: every rule warns
   */
  readonly rulesFile?: string;

  /**
   * Fail the check on warnings too, not only on failures.
   * @default false
   */
  readonly failOnWarnings?: boolean;

  /**
   * Also run the AJAX spider (for single-page applications).
   * @default false
   */
  readonly ajaxSpider?: boolean;

  /**
   * The ZAP container image, e.g. `ghcr.io/zaproxy/zaproxy:2.17.0`; pinned by
   * digest when slipway.lock.json pins it (`npx slipway pin docker://<image>`).
   * @default - "ghcr.io/zaproxy/zaproxy:2.17.0", pinned by digest by slipway's built-in image lock
   */
  readonly image?: string;

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;
}

/** @internal */
export function dastSpec(options: DastOptions): CheckSpec {
  const problems = optionProblems(options);
  if (options.target !== undefined && !/^(https?:\/\/|\$\{\{)/.test(options.target)) {
    problems.push(`target "${options.target}" must be an http(s) URL or an expression, e.g. "https://staging.example.com"`);
  }
  if (options.image !== undefined && (options.image.trim() === '' || /\s/.test(options.image))) {
    problems.push(`image "${options.image}" is not an image reference`);
  }
  return {
    problems,
    contextProblems: (ctx: CheckContext) => (options.target ?? ctx.environmentUrl) === undefined
      ? ['needs a URL to scan; set the url of the environment the check is listed in, or the "target" option']
      : [],
    jobProps: (id: string, ctx: CheckContext) => {
      const steps: Step[] = [];
      if (options.rulesFile) steps.push(Step.uses(Actions.checkout({}), { name: 'Check out the repository' }));
      const prepare = ['mkdir -p zap-reports', 'chmod 777 zap-reports'];
      if (options.rulesFile) prepare.push(`cp ${options.rulesFile} zap-reports/rules.tsv`);
      steps.push(Step.run(prepare.join('\n'), { name: 'Prepare the report directory' }));
      const args = [
        'zap-baseline.py -t "$TARGET_URL"',
        '-r report.html -J report.json -w report.md',
        options.rulesFile ? '-c rules.tsv' : undefined,
        options.ajaxSpider ? '-j' : undefined,
        options.failOnWarnings ? undefined : '-I',
      ].filter((a) => a !== undefined);
      steps.push(Step.run([
        'docker run --rm --network host -v "$PWD/zap-reports:/zap/wrk:rw" \\',
        `  ${lockedImage(ctx, options.image ?? STEP_IMAGES.zap, options.image !== undefined ? `check "${id}" ZAP` : undefined)} \\`,
        `  ${args.join(' ')}`,
      ].join('\n'), { name: 'Run the OWASP ZAP baseline scan', env: { TARGET_URL: (options.target ?? ctx.environmentUrl)! } }));
      const wd = options.workingDirectory;
      steps.push(uploadReports(`${id}-reports`, [wd ? `${wd}/zap-reports/` : 'zap-reports/'], options.reportRetentionDays));
      return jobProps(ctx, options, 'DAST (OWASP ZAP baseline)', steps, {}, false);
    },
  };
}
