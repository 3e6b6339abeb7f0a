import { Job, JobProps } from '../github/job';
import { Workflow } from '../github/workflow';
import { CheckContext, CHECK_ID } from './checks/context';
import { customSpec, CustomCheckOptions } from './checks/custom';
import { dastSpec, DastOptions } from './checks/dast';
import { DRIFT_CHECK_ID, DriftCheckOptions, driftSpec } from './checks/drift';
import { iacScanSpec, IacScanner, IacScanOptions } from './checks/iac-scan';
import { imageScanSpec, ImageScanOptions } from './checks/image-scan';
import { lintSpec, LintCheckOptions } from './checks/lint';
import { loadTestSpec, LoadTestOptions } from './checks/load-test';
import { CheckPlacement } from './checks/placement';
import { Scanner, securityScanSpec, SecurityScanOptions } from './checks/security-scan';
import { CheckSpec } from './checks/spec';
import { testSpec, TestCheckOptions } from './checks/test';

export { CheckPlacement } from './checks/placement';

/**
 * A quality gate: a job that must pass before the pipeline deploys (or,
 * for AFTER_DEPLOY checks, before it promotes further). Each check sets the
 * pipeline's toolchain up itself, so the checks run in parallel.
 *
 * @example
 * Check.lint(['ruff check .', 'black --check .', 'mypy core/']);
 * Check.test('unit-tests', ['pytest tests/unit/ --cov=core'], { coverage: 80 });
 * Check.test('integration-tests', ['pytest tests/integration/'], {
 *   services: [ServiceContainer.postgres('15'), ServiceContainer.redis('7')],
 * });
 * Check.securityScan([Scanner.BANDIT, Scanner.PIP_AUDIT]);
 * Check.imageScan({ failOn: Severity.CRITICAL });
 */
export class Check {
  /**
   * Linters, formatters and type checkers: one step per command.
   * @param commands e.g. `['ruff check .', 'black --check .', 'mypy src/']`
   */
  public static lint(commands: string[], options: LintCheckOptions = {}): Check {
    return new Check(options.id ?? 'lint', CheckPlacement.BEFORE_DEPLOY, lintSpec(commands, options));
  }

  /**
   * Tests, with optional service containers, a coverage threshold that fails
   * the check, a matrix, and JUnit and coverage reports uploaded as an
   * artifact (Codecov optional).
   * @param id the check id (its job id), e.g. `unit-tests`
   * @param commands e.g. `['pytest tests/unit/ --cov=src']`
   */
  public static test(id: string, commands: string[], options: TestCheckOptions = {}): Check {
    return new Check(id, CheckPlacement.BEFORE_DEPLOY, testSpec(commands, options));
  }

  /**
   * Source and dependency scanners (Bandit, pip-audit, Safety, npm audit).
   * Reports are uploaded even when a scanner fails the check.
   */
  public static securityScan(scanners: Scanner[], options: SecurityScanOptions = {}): Check {
    return new Check(options.id ?? 'security-scan', CheckPlacement.BEFORE_DEPLOY, securityScanSpec(scanners, options));
  }

  /** Infrastructure-as-code linters and scanners (Checkov, tflint). */
  public static iacScan(scanners: IacScanner[], options: IacScanOptions = {}): Check {
    return new Check(options.id ?? 'iac-scan', CheckPlacement.BEFORE_DEPLOY, iacScanSpec(scanners, options));
  }

  /**
   * Trivy on every image the pipeline builds, by digest, after the build and
   * before any deploy; findings are uploaded as SARIF to code scanning.
   */
  public static imageScan(options: ImageScanOptions = {}): Check {
    return new Check(options.id ?? 'image-scan', CheckPlacement.AFTER_BUILD, imageScanSpec(options));
  }

  /** An OWASP ZAP baseline scan against a deployed environment. */
  public static dast(options: DastOptions = {}): Check {
    return new Check(options.id ?? 'dast', CheckPlacement.AFTER_DEPLOY, dastSpec(options));
  }

  /**
   * A load test (Locust or k6) against a deployed environment, failing when
   * the 95th-percentile latency exceeds the threshold.
   */
  public static loadTest(options: LoadTestOptions): Check {
    return new Check(options.id ?? 'load-test', CheckPlacement.AFTER_DEPLOY, loadTestSpec(options));
  }

  /**
   * The generated files are current: `npx slipway synth --check` after
   * installing the project's npm dependencies (slipway among them), so a
   * pull request that changes the definition without regenerating, or edits
   * a generated file by hand, fails. A Node.js pipeline installs them with
   * its toolchain; any other sets Node.js up and runs `npm ci`. Like every
   * check, it runs on pull requests and pushes, and deploys wait for it.
   * The job id is `drift-check` unless `id` is given.
   */
  public static driftCheck(options: DriftCheckOptions = {}): Check {
    return new Check(options.id ?? DRIFT_CHECK_ID, CheckPlacement.BEFORE_DEPLOY, driftSpec(options));
  }

  /**
   * Any commands, run after the toolchain setup.
   * @param id the check id (its job id)
   * @param commands the commands
   */
  public static custom(id: string, commands: string[], options: CustomCheckOptions = {}): Check {
    return new Check(id, options.placement ?? CheckPlacement.BEFORE_DEPLOY, customSpec(commands, options));
  }

  /** The check id; the job id of its job. */
  public readonly id: string;
  /** Where the check runs. */
  public readonly placement: CheckPlacement;

  private readonly spec: CheckSpec;

  private constructor(id: string, placement: CheckPlacement, spec: CheckSpec) {
    this.id = id;
    this.placement = placement;
    this.spec = spec;
  }

  /**
   * Why the check is invalid, each message starting with `check "<id>"`.
   * With a context, problems that depend on the pipeline are included.
   * @internal
   */
  public _problems(ctx?: CheckContext): string[] {
    const problems: string[] = [];
    if (!CHECK_ID.test(this.id)) {
      problems.push(`id "${this.id}" is invalid: start with a letter or "_", then use letters, digits, "-" or "_" (it becomes the job id), e.g. "unit-tests"`);
    }
    problems.push(...this.spec.problems);
    if (ctx) problems.push(...this.spec.contextProblems(ctx));
    return problems.map((p) => `check "${this.id}" ${p}`);
  }

  /**
   * The complete level-1 job of the check (toolchain setup included). The
   * Pipeline adds `needs` and `if`.
   * @internal
   */
  public _jobProps(ctx: CheckContext): JobProps {
    return this.spec.jobProps(this.id, ctx);
  }

  /**
   * Adds the check's job to a workflow, with its problems reported at synth
   * on the job's construct path. `extra.jobId` defaults to the check id.
   * @internal
   */
  public _addJob(workflow: Workflow, ctx: CheckContext, extra: CheckJobExtras = {}): Job {
    const props = this._jobProps(ctx);
    const job = workflow.addJob(extra.jobId ?? this.id, {
      ...props,
      needs: [...(props.needs ?? []), ...(extra.needs ?? [])],
      if: extra.if ?? props.if,
    });
    job.node.addValidation({ validate: () => this._problems(ctx) });
    return job;
  }
}

/** What the pipeline adds to a check's job. @internal */
export interface CheckJobExtras {
  /** The job id; defaults to the check id. */
  readonly jobId?: string;
  /** Jobs the check's job waits for. */
  readonly needs?: string[];
  /** The job's condition. */
  readonly if?: string;
}

/**
 * Problems of a list of checks: ids used twice.
 * @internal
 */
export function checkListProblems(checks: readonly Check[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const c of checks) {
    if (seen.has(c.id)) {
      problems.push(`check id "${c.id}" is used twice; check ids become job ids and must be unique. Give one of them another id (Check.test('<id>', ...), or the "id" option)`);
    }
    seen.add(c.id);
  }
  return problems;
}
