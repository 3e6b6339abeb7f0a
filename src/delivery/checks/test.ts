import { Actions } from '../../github/actions/actions';
import { Expression } from '../../github/expression';
import { Matrix } from '../../github/matrix';
import { RunsOn } from '../../github/runs-on';
import { serviceName, ServiceContainer } from '../../github/service-container';
import { Step } from '../../github/step';
import { Secret } from '../secret';
import { CheckContext, CheckOptions, commandSteps, jobProps, mayBeNonLinux, optionProblems, UNLESS_CANCELLED, uploadReports } from './context';
import { CheckSpec } from './spec';

/**
 * A test matrix: one job per runner × toolchain version. The axes are named
 * `os` and `<language>-version` (`python-version`, `node-version`), and
 * `include` / `exclude` entries use those names.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstrategymatrix
 */
export interface TestMatrixOptions {
  /**
   * Runner labels, e.g. `['ubuntu-latest', 'windows-latest', 'macos-latest']`.
   * With this axis, every `run:` step uses bash (also on Windows).
   * @default - the check's runner only
   */
  readonly os?: string[];

  /**
   * Toolchain versions, e.g. `['3.12', '3.13']`.
   * @default - the toolchain's version only
   */
  readonly versions?: string[];

  /**
   * Extra combinations or extra keys of combinations, e.g.
   * `[{ os: 'ubuntu-latest', 'python-version': '3.11' }]`.
   * @default - none
   */
  readonly include?: Array<{ [key: string]: string }>;

  /**
   * Combinations to leave out, e.g. `[{ os: 'macos-latest', 'python-version': '3.12' }]`.
   * @default - none
   */
  readonly exclude?: Array<{ [key: string]: string }>;

  /**
   * Cancel the other combinations when one fails.
   * @default true
   */
  readonly failFast?: boolean;

  /**
   * At most this many combinations run at once.
   * @default - as many as runners allow
   */
  readonly maxParallel?: number;
}

/** Options of {@link Check.test}. */
export interface TestCheckOptions extends CheckOptions {
  /**
   * Minimum line coverage in percent (0 to 100); lower coverage fails the
   * check. The commands must measure coverage:
   * - Python: run pytest with pytest-cov (`pytest --cov=src`); the check then
   *   runs `coverage xml` and `coverage report --fail-under=<coverage>`.
   * - Node.js: write an istanbul `json-summary` report (jest
   *   `--coverage --coverageReporters=json-summary`, c8/nyc
   *   `--reporter=json-summary`, vitest `coverage.reporter`); the check reads
   *   its total line percentage from `coverageSummary`.
   * @default - no threshold
   */
  readonly coverage?: number;

  /**
   * Node.js: the istanbul `json-summary` report the coverage threshold reads,
   * relative to the working directory.
   * @default "coverage/coverage-summary.json"
   */
  readonly coverageSummary?: string;

  /**
   * Service containers the tests use, e.g.
   * `[ServiceContainer.postgres('15'), ServiceContainer.redis('7')]`. Each
   * gets a service id named after its image (`postgres`, `redis`; a second
   * one of the same image gets `-2`), and runs with its health check, so the
   * steps start only once it is healthy. Service containers need Linux
   * runners.
   * @default - none
   */
  readonly services?: ServiceContainer[];

  /**
   * Run the tests over a matrix of runners and toolchain versions.
   * @default - one job
   */
  readonly matrix?: TestMatrixOptions;

  /**
   * Further report paths to upload with the test results, relative to the
   * working directory.
   * @default - none besides `test-reports/` (JUnit XML and coverage; Node.js also `coverage/`)
   */
  readonly reports?: string[];

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;

  /**
   * Upload coverage to Codecov (tokenless, for public repositories). Set
   * `codecovToken` for private ones.
   * @default false
   */
  readonly codecov?: boolean;

  /**
   * The Codecov upload token; setting it turns the upload on.
   * @default - none
   */
  readonly codecovToken?: Secret;
}

const REPORTS = 'test-reports';

/** @internal */
export function testSpec(commands: string[], options: TestCheckOptions): CheckSpec {
  const problems = optionProblems(options, commands);
  const coverage = options.coverage;
  if (coverage !== undefined && (typeof coverage !== 'number' || !Number.isFinite(coverage) || coverage < 0 || coverage > 100)) {
    problems.push(`coverage must be a percentage from 0 to 100, got ${coverage}; e.g. coverage: 80`);
  }
  const retention = options.reportRetentionDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 1 || retention > 90)) {
    problems.push(`reportRetentionDays must be a whole number from 1 to 90, got ${retention}`);
  }
  const m = options.matrix;
  if (m) {
    if ((m.os ?? []).length === 0 && (m.versions ?? []).length === 0) {
      problems.push('matrix needs "os" or "versions" (or both), e.g. { versions: ["3.12", "3.13"] }');
    }
    for (const os of m.os ?? []) if (os.trim() === '') problems.push('matrix.os has an empty runner label');
    if (m.maxParallel !== undefined && (!Number.isInteger(m.maxParallel) || m.maxParallel < 1)) {
      problems.push(`matrix.maxParallel must be a whole number ≥ 1, got ${m.maxParallel}`);
    }
  }
  const codecovOn = options.codecov === true || options.codecovToken !== undefined;
  if (options.codecov === false && options.codecovToken !== undefined) {
    problems.push('codecov is false but codecovToken is set; remove one of them');
  }

  return {
    problems,
    contextProblems: (ctx: CheckContext) => {
      const found: string[] = [];
      const language = ctx.toolchain.language;
      if ((coverage !== undefined || codecovOn) && language === 'none') {
        found.push(`${coverage !== undefined ? 'coverage' : 'codecov'} needs a Python or Node.js toolchain to read the coverage report; set the pipeline's toolchain, or measure and check coverage in the commands`);
      }
      const services = options.services ?? [];
      if (services.length > 0) {
        const nonLinux = (m?.os ?? []).filter((os) => /windows|macos/i.test(os));
        if (nonLinux.length > 0) {
          found.push(`services run only on Linux runners, but matrix.os has ${nonLinux.join(', ')}; remove the services or run those runners without them in a separate check`);
        } else if (!m?.os && mayBeNonLinux(options.runsOn ?? ctx.runsOn)) {
          found.push('services run only on Linux runners, but the check runs on a Windows or macOS runner; use a Linux runner');
        }
      }
      for (const key of [...Object.keys(Object.assign({}, ...(m?.include ?? []))), ...Object.keys(Object.assign({}, ...(m?.exclude ?? [])))]) {
        if (key === 'version' && language !== 'none') {
          found.push(`matrix include/exclude use "version"; with the ${language} toolchain the axis is named "${ctx.toolchain._versionAxis}"`);
          break;
        }
      }
      return found;
    },
    jobProps: (id: string, ctx: CheckContext) => {
      const tc = ctx.toolchain;
      const python = tc.language === 'python';
      const node = tc.language === 'node';
      const axis = tc._versionAxis;

      // --- matrix
      let runsOn = options.runsOn ?? ctx.runsOn;
      let versionOverride: string | undefined;
      let strategy;
      const suffix: string[] = [];
      if (m) {
        const axes: { [key: string]: string[] } = {};
        if (m.os && m.os.length > 0) {
          axes.os = [...m.os];
          runsOn = RunsOn.label(Expression.matrix('os').toString());
          suffix.push(Expression.matrix('os').toString());
        }
        if (m.versions && m.versions.length > 0) {
          axes[axis] = [...m.versions];
          versionOverride = Expression.matrix(axis).toString();
          suffix.push(versionOverride);
        }
        strategy = {
          matrix: Matrix.of(axes, { include: m.include, exclude: m.exclude }),
          failFast: m.failFast,
          maxParallel: m.maxParallel,
        };
      }

      // --- services
      const services = serviceMap(options.services);

      // --- steps
      const wd = options.workingDirectory ?? tc.workingDirectory;
      const inWd = (p: string) => (wd ? `${wd}/${p}` : p);
      const steps: Step[] = [...tc._setupSteps(versionOverride)];
      steps.push(...commandSteps(commands, {
        env: (i): { [name: string]: string } | undefined => {
          const n = commands.length > 1 ? `-${i + 1}` : '';
          if (python) {
            const user = options.env?.PYTEST_ADDOPTS;
            return { PYTEST_ADDOPTS: `${user ? `${user} ` : ''}--junitxml=${REPORTS}/junit-${id}${n}.xml` };
          }
          if (node) return { JEST_JUNIT_OUTPUT_DIR: REPORTS, JEST_JUNIT_OUTPUT_NAME: `junit-${id}${n}.xml` };
          return undefined;
        },
      }));
      const coverageFile = python ? `${REPORTS}/coverage-${id}.xml` : 'coverage/lcov.info';
      if (python && (coverage !== undefined || codecovOn)) {
        steps.push(Step.run(`coverage xml -o ${coverageFile}`, { name: 'Write the coverage report', if: UNLESS_CANCELLED }));
      }
      if (coverage !== undefined && python) {
        steps.push(Step.run(`coverage report --fail-under=${coverage}`, { name: `Require ${coverage}% coverage` }));
      }
      if (coverage !== undefined && node) {
        steps.push(Step.run(nodeCoverageScript(options.coverageSummary ?? 'coverage/coverage-summary.json', coverage), {
          name: `Require ${coverage}% coverage`,
          shell: 'node {0}',
        }));
      }
      const reportPaths = [inWd(`${REPORTS}/`), ...(node ? [inWd('coverage/')] : []), ...(options.reports ?? []).map(inWd)];
      steps.push(uploadReports([`${id}-reports`, ...suffix].join('-'), reportPaths, options.reportRetentionDays));
      if (codecovOn) {
        steps.push(Step.uses(Actions.codecov({
          files: [inWd(coverageFile)],
          token: options.codecovToken?.expression,
          flags: [id],
          failCiIfError: false,
        }), { name: 'Upload coverage to Codecov', if: UNLESS_CANCELLED }));
      }

      return jobProps(ctx, { ...options, runsOn, env: { ...serviceEnv(services), ...options.env } }, `Tests: ${id}`, steps, {
        strategy,
        services,
        defaults: m?.os && m.os.length > 0 ? { shell: 'bash' } : undefined,
      });
    },
  };
}


/** Service containers by id, named after their images; a repeated name gets `-2`, `-3`... @internal */
export function serviceMap(list: readonly ServiceContainer[] | undefined): { [id: string]: ServiceContainer } | undefined {
  if (!list || list.length === 0) return undefined;
  const services: { [id: string]: ServiceContainer } = {};
  for (const s of list) {
    const base = serviceName(s.image);
    let id = base;
    for (let n = 2; id in services; n++) id = `${base}-${n}`;
    services[id] = s;
  }
  return services;
}

/**
 * The environment variables the services of a check set: each service's
 * `urlEnv` to its URL under its id in the job. @internal
 */
export function serviceEnv(services: { [id: string]: ServiceContainer } | undefined): { [name: string]: string } {
  const env: { [name: string]: string } = {};
  for (const [id, s] of Object.entries(services ?? {})) {
    const url = s._urlFor(id);
    if (s.urlEnv && url !== undefined && !(s.urlEnv in env)) env[s.urlEnv] = url;
  }
  return env;
}


/** A Node.js script that fails when the istanbul summary's total line coverage is below `threshold`. */
function nodeCoverageScript(summary: string, threshold: number): string {
  return [
    "const fs = require('fs');",
    `const file = ${JSON.stringify(summary)};`,
    `const threshold = ${threshold};`,
    'if (!fs.existsSync(file)) {',
    '  console.error(`${file} not found: write an istanbul json-summary report (jest --coverageReporters=json-summary, c8 --reporter=json-summary)`);',
    '  process.exit(1);',
    '}',
    "const pct = JSON.parse(fs.readFileSync(file, 'utf8')).total.lines.pct;",
    'console.log(`line coverage ${pct}% (required: ${threshold}%)`);',
    'if (!(pct >= threshold)) process.exit(1);',
  ].join('\n');
}
