import { CheckContext, CheckOptions, jobProps, optionProblems } from './context';
import { CheckSpec } from './spec';
import { takeCarriedProblems } from '../../core/strict';
import { Step } from '../../github/step';
import { Toolchain } from '../toolchain';

/** Options of {@link Check.driftCheck}. */
export interface DriftCheckOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "drift-check"
   */
  readonly id?: string;

  /**
   * The definition file, relative to the working directory; passed as
   * `--app` when it is not `slipway.ts`.
   * @default "slipway.ts"
   */
  readonly appFile?: string;

  /**
   * The Node.js version the check installs slipway with when the pipeline's
   * toolchain is not Node.js (a Python project keeps slipway in its own
   * `package.json` and lock file).
   * @default "20"
   */
  readonly nodeVersion?: string;
}

/** The default id of the drift check. @internal */
export const DRIFT_CHECK_ID = 'drift-check';

/** @internal */
export function driftSpec(options: DriftCheckOptions): CheckSpec {
  const problems = optionProblems(options);
  const appFile = options.appFile ?? 'slipway.ts';
  if (appFile.trim() === '' || appFile.startsWith('/') || /\s/.test(appFile)) {
    problems.push(`appFile "${appFile}" must be a path relative to the working directory, without spaces, e.g. "slipway.ts"`);
  }
  const version = options.nodeVersion ?? '20';
  let node: Toolchain | undefined;
  // a bad workingDirectory is one of the option problems already
  const candidate = optionProblems({ workingDirectory: options.workingDirectory }).length === 0
    ? Toolchain.node(version, { workingDirectory: options.workingDirectory }) : Toolchain.node(version);
  // a bad version is a problem the toolchain carries (value objects report, not throw): this check reports it
  const versionProblems = takeCarriedProblems(candidate);
  if (versionProblems.length) problems.push(...versionProblems.map((p) => `nodeVersion: ${p}`));
  else node = candidate;
  const command = `npx slipway synth --check${appFile === 'slipway.ts' ? '' : ` --app ${appFile}`}`;
  return {
    problems,
    contextProblems: () => [],
    jobProps: (_id: string, ctx: CheckContext) => {
      // slipway is an npm package: a Node.js pipeline installs it with its own toolchain; any other project sets Node.js up and runs `npm ci`
      const steps: Step[] = ctx.toolchain.language === 'node'
        ? ctx.toolchain._setupSteps()
        : [...ctx.toolchain._setupSteps(undefined, { checkoutOnly: true }), ...(node?._setupSteps().slice(1) ?? [])];
      steps.push(Step.run(command, { name: 'The generated files are current (slipway synth --check)' }));
      return jobProps(ctx, options, 'Generated files are current', steps, {}, ctx.toolchain.language === 'node');
    },
  };
}
