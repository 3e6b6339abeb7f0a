import { CheckContext, CheckOptions, jobProps, lockedImage, optionProblems, uploadReports } from './context';
import { CheckSpec } from './spec';
import { Duration } from '../../core/duration';
import { STEP_IMAGES, stepImageAt } from '../../core/step-images';
import { Actions } from '../../github/actions/actions';
import { Step } from '../../github/step';
import { imageTagProblems, pinnedRequirement, TOOL_VERSIONS, toolVersionProblems } from '../tool-versions';

/** The load-testing tool. */
export enum LoadTool {
  /** Locust (Python): the script is a locustfile. */
  LOCUST = 'locust',
  /** Grafana k6 (JavaScript), run from its container image. */
  K6 = 'k6',
}

/** Options of {@link Check.loadTest}. */
export interface LoadTestOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "load-test"
   */
  readonly id?: string;

  /** The tool. */
  readonly tool: LoadTool;

  /**
   * The test script, relative to the repository root (a locustfile, or a k6
   * script). It finds the URL under test in the `TARGET_URL` environment
   * variable (k6: `__ENV.TARGET_URL`; Locust also gets it as `--host`).
   */
  readonly script: string;

  /**
   * The 95th-percentile latency limit: a slower p95 fails the check, e.g.
   * `Duration.millis(500)`. k6 gets it as a threshold on
   * `http_req_duration` (thresholds the script sets itself take precedence);
   * for Locust the check reads the aggregated p95 from Locust's CSV stats.
   */
  readonly p95: Duration;

  /**
   * Concurrent users (k6 virtual users).
   * @default 10
   */
  readonly users?: number;

  /**
   * How long the load runs.
   * @default Duration.minutes(1)
   */
  readonly duration?: Duration;

  /**
   * Locust: users started per second.
   * @default - a tenth of `users`, at least 1 (full load after about 10 seconds)
   */
  readonly spawnRate?: number;

  /**
   * Highest share of failed requests, in percent, before the check fails.
   * @default 1
   */
  readonly maxErrorRate?: number;

  /**
   * The URL under test.
   * @default - the URL of the environment the check is listed in
   */
  readonly target?: string;

  /**
   * Version of the tool: the Locust package version (installed with `==`), or the k6 image tag
   * (`grafana/k6:<toolVersion>`, pinned by digest when slipway.lock.json pins that tag).
   * @default - the version slipway is tested with: Locust 2.46.3, k6 "2.2.0" (pinned by digest by slipway's built-in image lock) in this release
   */
  readonly toolVersion?: string;

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;
}

const REPORTS = 'load-test-reports';

/** @internal */
export function loadTestSpec(options: LoadTestOptions): CheckSpec {
  const problems = optionProblems(options);
  const users = options.users ?? 10;
  const duration = options.duration ?? Duration.minutes(1);
  const maxErrorRate = options.maxErrorRate ?? 1;
  const p95 = options.p95 ? options.p95.toMilliseconds() : 0;
  if (!Object.values(LoadTool).includes(options.tool)) problems.push(`tool must be LoadTool.LOCUST or LoadTool.K6, got ${options.tool}`);
  problems.push(...(options.tool === LoadTool.K6 ? imageTagProblems('toolVersion', options.toolVersion) : toolVersionProblems('toolVersion', options.toolVersion)));
  if (!options.script || options.script.trim() === '') problems.push('needs a script: the locustfile or k6 script, e.g. "tests/load/locustfile.py"');
  if (!options.p95 || p95 <= 0) problems.push('p95 must be a latency greater than zero, e.g. p95: Duration.millis(500)');
  if (!Number.isInteger(users) || users < 1) problems.push(`users must be a whole number ≥ 1, got ${users}`);
  if (duration.toSeconds() < 1) problems.push('duration must be at least one second');
  if (options.spawnRate !== undefined && !(options.spawnRate > 0)) problems.push(`spawnRate must be greater than zero, got ${options.spawnRate}`);
  if (!(maxErrorRate >= 0 && maxErrorRate <= 100)) problems.push(`maxErrorRate must be a percentage from 0 to 100, got ${maxErrorRate}`);
  if (options.target !== undefined && !/^(https?:\/\/|\$\{\{)/.test(options.target)) {
    problems.push(`target "${options.target}" must be an http(s) URL or an expression, e.g. "https://staging.example.com"`);
  }
  return {
    problems,
    contextProblems: (ctx: CheckContext) => (options.target ?? ctx.environmentUrl) === undefined
      ? ['needs a URL to test; set the url of the environment the check is listed in, or the "target" option']
      : [],
    jobProps: (id: string, ctx: CheckContext) => {
      const env = { TARGET_URL: (options.target ?? ctx.environmentUrl)! };
      const steps: Step[] = [Step.uses(Actions.checkout({}), { name: 'Check out the repository' })];
      const seconds = `${duration.toSeconds()}s`;
      if (options.tool === LoadTool.K6) {
        const config = JSON.stringify({
          thresholds: {
            http_req_duration: [`p(95)<${p95}`],
            http_req_failed: [`rate<=${maxErrorRate / 100}`],
          },
        });
        steps.push(Step.run([
          `mkdir -p ${REPORTS}`,
          `cat > ${REPORTS}/k6-config.json <<'EOF'`,
          config,
          'EOF',
        ].join('\n'), { name: `Set the thresholds: p95 < ${p95} ms, errors ≤ ${maxErrorRate}%` }));
        steps.push(Step.run([
          'docker run --rm --network host --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work -e TARGET_URL \\',
          `  ${lockedImage(ctx, stepImageAt(STEP_IMAGES.k6, options.toolVersion), options.toolVersion !== undefined ? `check "${id}" k6` : undefined)} run \\`,
          `  --vus ${users} --duration ${seconds} \\`,
          `  --config ${REPORTS}/k6-config.json --summary-export ${REPORTS}/k6-summary.json \\`,
          `  ${options.script}`,
        ].join('\n'), { name: `Load test with k6 (${users} users, ${seconds})`, env }));
      } else {
        const spawnRate = options.spawnRate ?? Math.max(1, Math.ceil(users / 10));
        const python = ctx.toolchain.language === 'python' ? ctx.toolchain.version : '3.12';
        steps.push(Step.uses(Actions.setupPython({ pythonVersion: python }), { name: `Set up Python ${python}` }));
        steps.push(Step.run(`python -m pip install ${pinnedRequirement('locust', options.toolVersion ?? TOOL_VERSIONS.locust)}`, { name: 'Install Locust' }));
        steps.push(Step.run([
          `mkdir -p ${REPORTS}`,
          `locust -f ${options.script} --headless --only-summary \\`,
          `  --users ${users} --spawn-rate ${spawnRate} --run-time ${seconds} \\`,
          '  --host "$TARGET_URL" --exit-code-on-error 0 \\',
          `  --csv ${REPORTS}/locust --html ${REPORTS}/locust.html`,
        ].join('\n'), { name: `Load test with Locust (${users} users, ${seconds})`, env }));
        steps.push(Step.run(locustGate(p95, maxErrorRate), { name: `Require p95 < ${p95} ms and errors ≤ ${maxErrorRate}%`, shell: 'python' }));
      }
      steps.push(uploadReports(`${id}-reports`, [REPORTS + '/'], options.reportRetentionDays));
      return jobProps(ctx, options, `Load test (${options.tool})`, steps, {}, false);
    },
  };
}

/** A Python script that fails when Locust's aggregated p95 or error rate is over the limits. */
function locustGate(p95: number, maxErrorRate: number): string {
  return [
    'import csv, sys',
    `P95_LIMIT_MS = ${p95}`,
    `MAX_ERROR_RATE = ${maxErrorRate}`,
    `with open('${REPORTS}/locust_stats.csv', newline='') as f:`,
    "    rows = [r for r in csv.DictReader(f) if r['Name'] == 'Aggregated']",
    'if not rows or int(rows[0][\'Request Count\']) == 0:',
    "    sys.exit('Locust sent no requests; check the script and TARGET_URL')",
    'row = rows[0]',
    "p95 = float(row['95%'])",
    "error_rate = 100.0 * int(row['Failure Count']) / int(row['Request Count'])",
    "print(f'p95 latency {p95:.0f} ms (limit {P95_LIMIT_MS} ms), errors {error_rate:.2f}% (limit {MAX_ERROR_RATE}%)')",
    'if p95 >= P95_LIMIT_MS or error_rate > MAX_ERROR_RATE:',
    "    sys.exit('load test failed its thresholds')",
  ].join('\n');
}
