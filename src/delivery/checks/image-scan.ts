import { Actions } from '../../github/actions/actions';
import { Step } from '../../github/step';
import { Secret } from '../secret';
import { CheckContext, CheckOptions, jobProps, optionProblems, UNLESS_CANCELLED } from './context';
import { CheckSpec } from './spec';

/** Vulnerability severities, as Trivy names them. */
export enum Severity {
  /** Critical. */
  CRITICAL = 'CRITICAL',
  /** High. */
  HIGH = 'HIGH',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** Low. */
  LOW = 'LOW',
  /** Not yet rated. */
  UNKNOWN = 'UNKNOWN',
}

const ORDER = [Severity.UNKNOWN, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

/** Options of {@link Check.imageScan}. */
export interface ImageScanOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "image-scan"
   */
  readonly id?: string;

  /**
   * Lowest severity that fails the check: vulnerabilities of this severity
   * and above fail it.
   * @default Severity.HIGH
   */
  readonly failOn?: Severity;

  /**
   * Ignore vulnerabilities that have no fix yet.
   * @default true
   */
  readonly ignoreUnfixed?: boolean;

  /**
   * Upload the findings (every severity) as SARIF to GitHub code scanning
   * (`github/codeql-action/upload-sarif`, which needs `security-events: write`;
   * the job gets it). Code scanning must be available to the repository
   * (public, or GitHub Advanced Security).
   * @default true
   */
  readonly sarif?: boolean;

  /**
   * User name for pulling the images from a private registry
   * (`TRIVY_USERNAME`), e.g. `${{ github.actor }}` for GHCR.
   * @default - anonymous pull
   */
  readonly registryUsername?: string;

  /**
   * Password or token for pulling the images (`TRIVY_PASSWORD`).
   * @default - anonymous pull
   */
  readonly registryPassword?: Secret;
}

/** @internal */
export function imageScanSpec(options: ImageScanOptions): CheckSpec {
  const problems = optionProblems(options);
  if ((options.registryUsername === undefined) !== (options.registryPassword === undefined)) {
    problems.push('registryUsername and registryPassword go together; set both or neither');
  }
  const failOn = options.failOn ?? Severity.HIGH;
  const severities = ORDER.slice(ORDER.indexOf(failOn)).filter((s) => s !== Severity.UNKNOWN || failOn === Severity.UNKNOWN).reverse();
  const sarif = options.sarif ?? true;
  return {
    problems,
    contextProblems: (ctx: CheckContext) => Object.keys(ctx.images).length === 0
      ? ['scans built images, but the pipeline builds none; give an application an Image.build(...) or remove the image scan']
      : [],
    jobProps: (_id: string, ctx: CheckContext) => {
      const env = options.registryPassword
        ? { TRIVY_USERNAME: options.registryUsername!, TRIVY_PASSWORD: options.registryPassword.expression }
        : undefined;
      // upload-sarif reads the commit from the checkout
      const steps: Step[] = sarif ? [Step.uses(Actions.checkout({}), { name: 'Check out the repository' })] : [];
      for (const [app, image] of Object.entries(ctx.images)) {
        if (sarif) {
          steps.push(Step.uses(Actions.trivy({
            scanType: 'image',
            imageRef: image,
            format: 'sarif',
            output: `trivy-${app}.sarif`,
            ignoreUnfixed: options.ignoreUnfixed ?? true,
          }), { name: `Scan ${app} (SARIF report)`, env }));
          steps.push(Step.uses(Actions.uploadSarif({ sarifFile: `trivy-${app}.sarif`, category: `trivy-${app}` }), {
            name: `Upload ${app} findings to code scanning`,
            if: UNLESS_CANCELLED,
          }));
        }
        steps.push(Step.uses(Actions.trivy({
          scanType: 'image',
          imageRef: image,
          format: 'table',
          severity: severities,
          exitCode: 1,
          ignoreUnfixed: options.ignoreUnfixed ?? true,
        }), { name: `Fail on ${severities.join(' or ')} vulnerabilities in ${app}`, env }));
      }
      return jobProps(ctx, options, 'Image scan', steps);
    },
  };
}
