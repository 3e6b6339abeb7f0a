import { CheckContext, CheckOptions, jobProps, lockedImage, optionProblems, uploadReports } from './context';
import { CheckSpec } from './spec';
import { STEP_IMAGES, stepImageAt } from '../../core/step-images';
import { Actions } from '../../github/actions/actions';
import { Step } from '../../github/step';
import { imageTagProblems, pinnedRequirement, TOOL_VERSIONS, toolVersionProblems } from '../tool-versions';

/** Options of {@link IacScanner.checkov}. */
export interface CheckovOptions {
  /**
   * Directory to scan, relative to the repository root.
   * @default "."
   */
  readonly directory?: string;

  /**
   * Frameworks to scan, e.g. `['terraform', 'dockerfile']` (`--framework`).
   * @default - every framework Checkov detects
   */
  readonly frameworks?: string[];

  /**
   * Check ids to skip, e.g. `['CKV_AWS_20']` (`--skip-check`).
   * @default - none
   */
  readonly skipChecks?: string[];

  /**
   * Checkov version (an exact PyPI version, installed with `==`).
   * @default - the version slipway is tested with (3.3.13 in this release)
   */
  readonly version?: string;
}

/** Options of {@link IacScanner.tflint}. */
export interface TflintOptions {
  /**
   * Terraform directory, relative to the repository root (`--chdir`).
   * @default "."
   */
  readonly directory?: string;

  /**
   * Lint every module under the directory (`--recursive`).
   * @default false
   */
  readonly recursive?: boolean;

  /**
   * The tflint image tag (`ghcr.io/terraform-linters/tflint`), e.g. `v0.64.0`.
   * The default is pinned by digest by slipway's built-in image lock; another
   * tag is pinned with `npx slipway pin docker://ghcr.io/terraform-linters/tflint:<tag>`.
   * @default - the version slipway is tested with ("v0.64.0" in this release)
   */
  readonly version?: string;
}

/** The commands of an IaC scanner. @internal */
interface IacCommands {
  readonly python: boolean;
  readonly steps: Step[];
}

/**
 * An infrastructure-as-code scanner of {@link Check.iacScan}. Findings fail
 * the check; reports go to `iac-reports/`, uploaded even when it fails.
 */
export class IacScanner {
  /** Checkov over the whole repository. */
  public static readonly CHECKOV = IacScanner.checkov();
  /** tflint on the Terraform in the repository root. */
  public static readonly TFLINT = IacScanner.tflint();

  /** Checkov (misconfigurations in Terraform, Kubernetes, Dockerfiles, workflows...) with options. */
  public static checkov(options: CheckovOptions = {}): IacScanner {
    const args = [
      `-d ${options.directory ?? '.'}`,
      options.frameworks && options.frameworks.length > 0 ? `--framework ${options.frameworks.join(' ')}` : undefined,
      options.skipChecks && options.skipChecks.length > 0 ? `--skip-check ${options.skipChecks.join(',')}` : undefined,
      '--quiet --compact -o cli -o junitxml --output-file-path console,iac-reports/checkov.xml',
    ].filter((a) => a !== undefined);
    return new IacScanner('checkov', () => ({
      python: true,
      steps: [
        Step.run(`python -m pip install ${pinnedRequirement('checkov', options.version ?? TOOL_VERSIONS.checkov)}`, { name: 'Install Checkov' }),
        Step.run(`checkov ${args.join(' ')}`, { name: 'Run Checkov' }),
      ],
    }), [...dirProblems('checkov', options.directory), ...toolVersionProblems('checkov: version', options.version)]);
  }

  /** tflint (Terraform linter, with the plugins `.tflint.hcl` names) with options. */
  public static tflint(options: TflintOptions = {}): IacScanner {
    const dir = options.directory ?? '.';
    const tag = stepImageAt(STEP_IMAGES.tflint, options.version);
    const docker = 'docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/data" -w /data -v "$RUNNER_TEMP/tflint-plugins:/plugins" -e TFLINT_PLUGIN_DIR=/plugins -e GITHUB_TOKEN';
    const recursive = options.recursive ? ' --recursive' : '';
    return new IacScanner('tflint', (ctx, checkId) => {
      const named = options.version !== undefined ? `check "${checkId}" tflint` : undefined;
      const image = lockedImage(ctx, tag, named);
      return {
        python: false,
        steps: [
          Step.run([
            'mkdir -p "$RUNNER_TEMP/tflint-plugins"',
            `${docker} ${image} --chdir=${dir} --init`,
            `${docker} ${image} --chdir=${dir}${recursive} --format=compact`,
          ].join('\n'), { name: 'Run tflint', env: { GITHUB_TOKEN: '${{ github.token }}' } }),
        ],
      };
    }, [...dirProblems('tflint', options.directory), ...imageTagProblems('tflint: version', options.version)]);
  }

  /** The scanner's name. */
  public readonly name: string;

  private constructor(name: string, private readonly render: (ctx: CheckContext, checkId: string) => IacCommands,
    private readonly problems: string[]) {
    this.name = name;
  }

  /** @internal */
  public _problems(): string[] {
    return [...this.problems];
  }

  /** @internal */
  public _render(ctx: CheckContext, checkId: string): IacCommands {
    return this.render(ctx, checkId);
  }
}

function dirProblems(scanner: string, dir: string | undefined): string[] {
  return dir !== undefined && (dir.trim() === '' || dir.startsWith('/'))
    ? [`${scanner}: directory "${dir}" must be a path relative to the repository root, e.g. "infra"`]
    : [];
}

/** Options of {@link Check.iacScan}. */
export interface IacScanOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "iac-scan"
   */
  readonly id?: string;

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;
}

/** @internal */
export function iacScanSpec(scanners: IacScanner[], options: IacScanOptions): CheckSpec {
  const problems = optionProblems(options);
  if (scanners.length === 0) problems.push('has no scanners; give at least one, e.g. [IacScanner.CHECKOV, IacScanner.TFLINT]');
  const names = scanners.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) problems.push(`scanner "${dup}" is listed twice; list each scanner once (give one scanner several directories instead)`);
  for (const s of scanners) problems.push(...s._problems());
  return {
    problems,
    contextProblems: () => [],
    jobProps: (id: string, ctx: CheckContext) => {
      const rendered = scanners.map((s) => s._render(ctx, id));
      const steps: Step[] = [Step.uses(Actions.checkout({}), { name: 'Check out the repository' })];
      if (rendered.some((r) => r.python)) {
        steps.push(Step.uses(Actions.setupPython({ pythonVersion: '3.12' }), { name: 'Set up Python 3.12' }));
      }
      steps.push(Step.run('mkdir -p iac-reports', { name: 'Prepare the report directory' }));
      for (const r of rendered) steps.push(...r.steps);
      const wd = options.workingDirectory;
      steps.push(uploadReports(`${id}-reports`, [wd ? `${wd}/iac-reports/` : 'iac-reports/'], options.reportRetentionDays));
      return jobProps(ctx, options, 'IaC scan', steps, {}, false);
    },
  };
}
