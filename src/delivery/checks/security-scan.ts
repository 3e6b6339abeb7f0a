import { Step } from '../../github/step';
import { pinnedRequirement, TOOL_VERSIONS, toolVersionProblems } from '../tool-versions';
import { Toolchain } from '../toolchain';
import { CheckContext, CheckOptions, jobProps, optionProblems, uploadReports } from './context';
import { CheckSpec } from './spec';

/** Severity levels of Bandit findings. */
export enum BanditSeverity {
  /** Report every finding. */
  LOW = 'low',
  /** Report medium and high findings. */
  MEDIUM = 'medium',
  /** Report high findings only. */
  HIGH = 'high',
}

/** Options of {@link Scanner.bandit}. */
export interface BanditOptions {
  /**
   * Paths to scan, relative to the working directory.
   * @default ["."]
   */
  readonly paths?: string[];

  /**
   * Paths to leave out (Bandit's `--exclude` globs); `.venv` is always left out.
   * @default - none besides `./.venv`
   */
  readonly exclude?: string[];

  /**
   * Lowest severity that fails the scan (`--severity-level`).
   * @default BanditSeverity.LOW
   */
  readonly severity?: BanditSeverity;

  /**
   * Bandit configuration file, e.g. `pyproject.toml` (`-c`).
   * @default - Bandit's defaults
   */
  readonly configFile?: string;

  /**
   * Bandit version (an exact PyPI version, installed with `==`).
   * @default - the version slipway is tested with (1.9.4 in this release)
   */
  readonly version?: string;
}

/** Options of {@link Scanner.safety}. */
export interface SafetyOptions {
  /**
   * Safety version (an exact PyPI version, installed with `==`).
   * @default - the version slipway is tested with (3.8.1 in this release)
   */
  readonly version?: string;
}

/** Options of {@link Scanner.pipAudit}. */
export interface PipAuditOptions {
  /**
   * Requirements files to audit (`-r`) instead of the installed environment.
   * @default - the environment the toolchain installed
   */
  readonly requirements?: string[];

  /**
   * Vulnerability ids to ignore (`--ignore-vuln`), e.g. `GHSA-xxxx-xxxx-xxxx`.
   * @default - none
   */
  readonly ignore?: string[];

  /**
   * pip-audit version (an exact PyPI version, installed with `==`).
   * @default - the version slipway is tested with (2.10.1 in this release)
   */
  readonly version?: string;
}

/** Options of {@link Scanner.npmAudit}. */
export interface NpmAuditOptions {
  /**
   * Lowest severity that fails the audit: `low`, `moderate`, `high` or
   * `critical` (`--audit-level`).
   * @default "high"
   */
  readonly level?: string;

  /**
   * Audit production dependencies only (`--omit=dev`, pnpm `--prod`).
   * @default false
   */
  readonly productionOnly?: boolean;
}

/**
 * A source or dependency scanner of {@link Check.securityScan}. Each writes a
 * JSON report to `security-reports/`, which is uploaded even when the scan
 * fails; a finding fails the check.
 */
export class Scanner {
  /** Bandit: Python source security linter, with the defaults of {@link Scanner.bandit}. */
  public static readonly BANDIT = Scanner.bandit();
  /** pip-audit: known vulnerabilities in the installed Python packages. */
  public static readonly PIP_AUDIT = Scanner.pipAudit();
  /** Safety: known vulnerabilities in the installed Python packages. */
  public static readonly SAFETY = Scanner.safety();
  /** npm audit (pnpm audit with a pnpm toolchain), failing on high and critical advisories. */
  public static readonly NPM_AUDIT = Scanner.npmAudit();

  /** Bandit with options. */
  public static bandit(options: BanditOptions = {}): Scanner {
    const paths = options.paths ?? ['.'];
    const exclude = ['./.venv', ...(options.exclude ?? [])];
    return new Scanner('bandit', 'python', (tc) => ({
      install: tc._pipInstall([pinnedRequirement('bandit[toml]', options.version ?? TOOL_VERSIONS.bandit)]),
      scan: [[
        'bandit -r',
        ...paths,
        `-x ${exclude.join(',')}`,
        options.configFile ? `-c ${options.configFile}` : undefined,
        options.severity ? `--severity-level ${options.severity}` : undefined,
        '-f json -o security-reports/bandit.json',
      ].filter((x) => x !== undefined).join(' ')],
    }), [...(paths.some((p) => p.trim() === '') ? ['bandit: paths has an empty entry'] : []), ...toolVersionProblems('bandit: version', options.version)]);
  }

  /** pip-audit with options. */
  public static pipAudit(options: PipAuditOptions = {}): Scanner {
    const args = [
      ...(options.requirements ?? []).map((r) => `-r ${r}`),
      ...(options.ignore ?? []).map((v) => `--ignore-vuln ${v}`),
    ];
    return new Scanner('pip-audit', 'python', (tc) => ({
      install: tc._pipInstall([pinnedRequirement('pip-audit', options.version ?? TOOL_VERSIONS.pipAudit)]),
      scan: [['pip-audit', ...args, '-f json -o security-reports/pip-audit.json'].join(' ')],
    }), toolVersionProblems('pip-audit: version', options.version));
  }

  /** Safety (`safety check`); without an API key it uses the free vulnerability database. */
  public static safety(options: SafetyOptions = {}): Scanner {
    return new Scanner('safety', 'python', (tc) => ({
      install: tc._pipInstall([pinnedRequirement('safety', options.version ?? TOOL_VERSIONS.safety)]),
      scan: ['safety check --save-json security-reports/safety.json'],
    }), toolVersionProblems('safety: version', options.version));
  }

  /** npm audit (pnpm audit with a pnpm toolchain) with options. */
  public static npmAudit(options: NpmAuditOptions = {}): Scanner {
    const level = options.level ?? 'high';
    const levels = ['low', 'moderate', 'high', 'critical'];
    const problems = levels.includes(level) ? [] : [`npm audit level "${level}" is not one of ${levels.join(', ')}`];
    return new Scanner('npm-audit', 'node', (tc) => {
      const pnpm = tc.packageManager === 'pnpm';
      const omit = options.productionOnly ? (pnpm ? ' --prod' : ' --omit=dev') : '';
      return { scan: [`${pnpm ? 'pnpm' : 'npm'} audit --audit-level=${level}${omit} --json > security-reports/npm-audit.json`] };
    }, problems);
  }

  /**
   * Any scanner: commands that exit non-zero on findings and write their
   * report into `security-reports/`.
   * @param name a short name, e.g. `semgrep`
   * @param commands the commands
   */
  public static custom(name: string, commands: string[]): Scanner {
    const problems = [
      ...(/^[a-z][a-z0-9-]*$/.test(name) ? [] : [`custom scanner name "${name}" must be lowercase letters, digits and "-", e.g. "semgrep"`]),
      ...(commands.length === 0 || commands.some((c) => c.trim() === '') ? [`custom scanner "${name}" needs non-empty commands`] : []),
    ];
    return new Scanner(name, 'any', () => ({ scan: [...commands] }), problems);
  }

  /** The scanner's name, e.g. `bandit`. */
  public readonly name: string;
  /** The toolchain it needs: `python`, `node` or `any`. */
  public readonly language: string;

  private constructor(name: string, language: string,
    private readonly commands: (toolchain: Toolchain) => ScannerCommands,
    private readonly problems: string[] = []) {
    this.name = name;
    this.language = language;
  }

  /** @internal */
  public _problems(): string[] {
    return [...this.problems];
  }

  /** The install and scan commands. @internal */
  public _commands(toolchain: Toolchain): ScannerCommands {
    return this.commands(toolchain);
  }
}

/** The commands of a scanner. @internal */
export interface ScannerCommands {
  readonly install?: string;
  readonly scan: string[];
}

/** Options of {@link Check.securityScan}. */
export interface SecurityScanOptions extends CheckOptions {
  /**
   * The check id (its job id).
   * @default "security-scan"
   */
  readonly id?: string;

  /**
   * Days the report artifact is kept, 1 to 90.
   * @default - the repository's setting
   */
  readonly reportRetentionDays?: number;
}

/** @internal */
export function securityScanSpec(scanners: Scanner[], options: SecurityScanOptions): CheckSpec {
  const problems = optionProblems(options);
  if (scanners.length === 0) problems.push('has no scanners; give at least one, e.g. [Scanner.BANDIT, Scanner.PIP_AUDIT]');
  const names = scanners.map((s) => s.name);
  const dup = names.filter((n, i) => names.indexOf(n) !== i);
  if (dup.length > 0) problems.push(`scanner "${dup[0]}" is listed twice; list each scanner once`);
  for (const s of scanners) problems.push(...s._problems());
  return {
    problems,
    contextProblems: (ctx: CheckContext) => scanners
      .filter((s) => s.language !== 'any' && s.language !== ctx.toolchain.language)
      .map((s) => `scanner "${s.name}" needs a ${s.language === 'python' ? 'Python' : 'Node.js'} toolchain, but the pipeline's toolchain is ${ctx.toolchain.language}; remove the scanner or use ${s.language === 'python' ? 'Scanner.NPM_AUDIT' : 'Scanner.BANDIT, Scanner.PIP_AUDIT or Scanner.SAFETY'}`),
    jobProps: (id: string, ctx: CheckContext) => {
      const wd = options.workingDirectory ?? ctx.toolchain.workingDirectory;
      const steps: Step[] = [...ctx.toolchain._setupSteps(), Step.run('mkdir -p security-reports', { name: 'Prepare the report directory' })];
      for (const s of scanners) {
        const { install, scan } = s._commands(ctx.toolchain);
        if (install) steps.push(Step.run(install, { name: `Install ${s.name}` }));
        steps.push(Step.run(scan.join('\n'), { name: `Run ${s.name}` }));
      }
      steps.push(uploadReports(`${id}-reports`, [wd ? `${wd}/security-reports/` : 'security-reports/'], options.reportRetentionDays));
      return jobProps(ctx, options, 'Security scan', steps);
    },
  };
}
