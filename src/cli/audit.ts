import * as fs from 'fs';
import * as path from 'path';
import type { Command, OptionSpec } from './main';
import { AUDIT_RULES, AuditFinding, auditFile, ignoreProblems, parseProblems } from '../github/audit';

/** Exit codes of `slipway audit`. */
export const AUDIT_CLEAN = 0;
export const AUDIT_FINDINGS = 1;
export const AUDIT_USAGE = 2;

/** Options of `slipway audit`. */
export interface AuditCommandOptions {
  /** Files or directories; default: the workflows and actions of the repository around `cwd`. */
  readonly paths: readonly string[];
  readonly format: 'text' | 'sarif';
  /** Where the SARIF report goes; default: standard output. */
  readonly output?: string;
  /** The directory relative paths and the default set are resolved from. */
  readonly cwd?: string;
}

type Log = (s: string) => void;

class PathError extends Error {}

/** The root of the repository around `dir`: the nearest folder with `.git` (or `dir` itself). */
export function repoRoot(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}

/** Workflow files (`.github/workflows/*.yml|yaml`) and composite actions (`action.yml|yaml` under `.github/`) below `root`. */
export function defaultTargets(root: string): string[] {
  const out: string[] = [];
  const workflows = path.join(root, '.github', 'workflows');
  if (fs.existsSync(workflows)) {
    for (const f of fs.readdirSync(workflows).sort()) if (/\.ya?ml$/.test(f)) out.push(path.join(workflows, f));
  }
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'workflows' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /^action\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, '.github'));
  for (const f of ['action.yml', 'action.yaml']) if (fs.existsSync(path.join(root, f))) out.push(path.join(root, f));
  return out;
}

/**
 * The workflow and action files below a folder: YAML files in a folder named
 * `workflows` and `action.yml` files, at any depth (not in `node_modules` or
 * `.git`).
 */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(p);
      else if (e.isFile() && (/^action\.ya?ml$/.test(e.name) || (path.basename(d) === 'workflows' && /\.ya?ml$/.test(e.name)))) out.push(p);
    }
  };
  walk(dir);
  // workflows first, as in the default set
  return [...out.filter((f) => path.basename(path.dirname(f)) === 'workflows'), ...out.filter((f) => path.basename(path.dirname(f)) !== 'workflows')];
}

/** The files to audit for the given paths: a directory stands for its workflows and actions. */
function targetsOf(paths: readonly string[], cwd: string): string[] {
  if (paths.length === 0) return defaultTargets(repoRoot(cwd));
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (!fs.existsSync(abs)) throw new PathError(`"${p}" does not exist; give workflow files (.github/workflows/*.yml), action.yml files or folders that contain them`);
    if (fs.statSync(abs).isDirectory()) {
      // and workflow files directly in the folder given (a top-level "jobs:")
      const inside = fs.readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(abs, f))
        .filter((f) => fs.statSync(f).isFile() && /^jobs:/m.test(fs.readFileSync(f, 'utf8')));
      const files = [...new Set([...inside, ...filesUnder(abs)])];
      if (files.length === 0) throw new PathError(`"${p}" holds no workflow or action files (.github/workflows/*.yml, action.yml)`);
      out.push(...files);
    } else {
      out.push(abs);
    }
  }
  return [...new Set(out)];
}

/**
 * `slipway audit [PATH ...]`: prints each finding as
 * `file:line:col: rule: message`, or writes a SARIF 2.1.0 report. Exit 0
 * without findings, 1 with findings, 2 on a usage error or a file that is
 * not valid YAML.
 */
export function auditCommand(opts: AuditCommandOptions, log: Log, err: Log): number {
  const cwd = opts.cwd ?? process.cwd();
  let files: string[];
  try {
    files = targetsOf(opts.paths, cwd);
  } catch (e) {
    if (!(e instanceof PathError)) throw e;
    err(`slipway audit: ${e.message}`);
    return AUDIT_USAGE;
  }
  if (files.length === 0) {
    err(`slipway audit: no workflow files under ${path.join(repoRoot(cwd), '.github', 'workflows')}; give the files or folders to audit`);
    return AUDIT_USAGE;
  }
  const findings: AuditFinding[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const shown = path.relative(cwd, file) || file;
    const parse = parseProblems(shown, text);
    if (parse.length > 0) {
      problems.push(...parse);
      continue;
    }
    problems.push(...ignoreProblems(shown, text));
    const root = repoRootOfFile(file);
    findings.push(...auditFile(shown, text, {
      readRepoFile: (rel) => {
        const p = path.join(root, rel);
        return p.startsWith(root) && fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined;
      },
    }));
  }
  for (const p of problems) err(`slipway audit: ${p}`);
  if (problems.length > 0) return AUDIT_USAGE;

  if (opts.format === 'sarif') {
    // code scanning places results by their path in the repository
    const root = repoRoot(cwd);
    const inRepo = (f: string) => path.relative(root, path.resolve(cwd, f));
    const report = JSON.stringify(toSarif(findings.map((f) => ({ ...f, file: inRepo(f.file) })), files.map(inRepo)), null, 2) + '\n';
    if (opts.output) {
      fs.mkdirSync(path.dirname(path.resolve(cwd, opts.output)), { recursive: true });
      fs.writeFileSync(path.resolve(cwd, opts.output), report);
    } else {
      process.stdout.write(report);
    }
  }
  if (opts.format === 'text' || opts.output) {
    for (const f of findings) log(`${f.file}:${f.line}:${f.column}: ${f.rule}: ${f.message}`);
    const n = findings.length;
    const summary = `slipway audit: ${files.length} file${files.length === 1 ? '' : 's'}, ${n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`}${opts.output ? `; SARIF written to ${opts.output}` : ''}`;
    (n === 0 ? log : err)(summary);
  }
  return findings.length > 0 ? AUDIT_FINDINGS : AUDIT_CLEAN;
}

/** The directory a workflow or action belongs to: above `.github`, else the repository root. */
function repoRootOfFile(file: string): string {
  const parts = path.resolve(file).split(path.sep);
  const gh = parts.lastIndexOf('.github');
  return gh > 0 ? parts.slice(0, gh).join(path.sep) || path.sep : repoRoot(path.dirname(file));
}

const INFORMATION_URI = 'https://github.com/slipway-dev/slipway/blob/main/docs/github.md#slipway-audit';

/**
 * A SARIF 2.1.0 log of the findings, as GitHub code scanning reads it: one
 * run, the rules with their help and security severity, each result with
 * its rule, message and region. Paths are relative to the repository
 * (`%SRCROOT%`).
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export function toSarif(findings: readonly AuditFinding[], files: readonly string[]): object {
  const index = new Map(AUDIT_RULES.map((r, i) => [r.id, i]));
  const uri = (f: string) => f.split(path.sep).join('/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'slipway-audit',
          informationUri: INFORMATION_URI,
          rules: AUDIT_RULES.map((r) => ({
            id: r.id,
            name: r.id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
            shortDescription: { text: r.summary },
            fullDescription: { text: `${r.summary}. ${r.help}` },
            help: { text: r.help, markdown: r.help },
            helpUri: `${INFORMATION_URI.replace(/#.*$/, '')}#${r.id}`,
            defaultConfiguration: { level: r.level },
            properties: { 'tags': ['security', 'github-actions'], 'security-severity': r.securitySeverity, 'precision': 'high' },
          })),
        },
      },
      artifacts: files.map((f) => ({ location: { uri: uri(f), uriBaseId: '%SRCROOT%' } })),
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: index.get(f.rule),
        level: AUDIT_RULES[index.get(f.rule)!].level,
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%', index: files.indexOf(f.file) },
            region: { startLine: f.line, startColumn: f.column },
          },
        }],
      })),
    }],
  };
}

const FORMATS = ['text', 'sarif'];

/** The `audit` subcommand. */
export const AUDIT_COMMAND: Command = {
  summary: 'Audit workflow files and composite actions (default: this repository\'s .github) for security problems; `# slipway-audit: ignore[rule]` silences one',
  positional: 'PATH',
  options: {
    format: { kind: 'string', value: FORMATS.join('|'), help: 'text: one `file:line:col: rule: message` line per finding (default); sarif: a SARIF 2.1.0 report for GitHub code scanning' } as OptionSpec,
    output: { kind: 'string', value: 'FILE', help: 'write the SARIF report to FILE (with --format sarif) and print the findings as text' },
    sarif: { kind: 'string', value: 'FILE', help: 'short for --format sarif --output FILE' },
  },
  run: (args) => {
    const err = (s: string) => process.stderr.write(s + '\n');
    const log = (s: string) => process.stdout.write(s + '\n');
    const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
    const format = str(args.flags.format);
    const output = str(args.flags.output);
    const sarif = str(args.flags.sarif);
    const fail = (m: string) => {
      err(`slipway audit: ${m}`);
      return AUDIT_USAGE;
    };
    if (format !== undefined && !FORMATS.includes(format)) return fail(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    if (sarif !== undefined && (output !== undefined || format === 'text')) return fail('--sarif FILE is short for --format sarif --output FILE; give either, not both');
    if (output !== undefined && format !== 'sarif') return fail('--output FILE writes the SARIF report; add --format sarif (or use --sarif FILE)');
    return auditCommand({
      paths: args.positional,
      format: sarif !== undefined ? 'sarif' : (format as 'text' | 'sarif' | undefined) ?? 'text',
      output: sarif ?? output,
    }, log, err);
  },
};
