import * as fs from 'fs';
import * as path from 'path';
import { auditCommand, AuditCommandOptions, defaultTargets } from '../../src/cli/audit';
import { run } from '../../src/cli/main';
import { AUDIT_RULES } from '../../src/github/audit';
import { tempDir } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');
const SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';

const BAD = `name: bad
on:
  pull_request_target: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: echo "\${{ github.event.pull_request.title }}"
`;

const GOOD = `name: good
on:
  push: {}
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v5.0.0
        with:
          persist-credentials: false
      - run: echo "$TITLE"
        env:
          TITLE: \${{ github.event.head_commit.message }}
`;

/** A repository folder with `.git` and the given files. */
function repo(files: { [path: string]: string }): string {
  const dir = tempDir('audit');
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

function audit(opts: Partial<AuditCommandOptions> & { cwd: string }): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = auditCommand({ paths: [], format: 'text', ...opts }, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

/** Runs the CLI entry point with stdout and stderr captured. */
async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(args);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
    out.mockRestore();
    err.mockRestore();
  }
}

describe('slipway audit', () => {
  test('the default set: workflows and composite actions of the repository around the folder', () => {
    const dir = repo({
      '.github/workflows/bad.yml': BAD,
      '.github/workflows/good.yaml': GOOD,
      '.github/workflows/notes.txt': 'x',
      '.github/actions/greet/action.yml': 'name: g\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: echo ${{ inputs.who }}\n      shell: bash\n',
      'sub/readme.md': 'x',
    });
    expect(defaultTargets(dir).map((f) => path.relative(dir, f))).toEqual([
      '.github/workflows/bad.yml', '.github/workflows/good.yaml', '.github/actions/greet/action.yml',
    ]);
    const r = audit({ cwd: path.join(dir, 'sub') });
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      expect.stringMatching(/^\.\.\/\.github\/workflows\/bad\.yml:4:1: excessive-permissions: /),
      expect.stringMatching(/^\.\.\/\.github\/workflows\/bad\.yml:8:15: credential-persistence: /),
      expect.stringMatching(/^\.\.\/\.github\/workflows\/bad\.yml:8:15: unpinned-uses: "actions\/checkout@v4" is not pinned/),
      expect.stringMatching(/^\.\.\/\.github\/workflows\/bad\.yml:10:11: dangerous-trigger: /),
      expect.stringMatching(/^\.\.\/\.github\/workflows\/bad\.yml:11:20: template-injection: /),
      '../.github/actions/greet/action.yml:6:17: template-injection: ${{ inputs.who }} pastes untrusted text into its "run" script; put it in the step\'s env (INPUT_WHO: ${{ inputs.who }}) and read "$INPUT_WHO" (or process.env.INPUT_WHO in github-script)',
    ]);
    expect(r.err).toEqual(['slipway audit: 3 files, 6 findings']);
  });

  test('clean files exit 0; paths may be files or folders', () => {
    const dir = repo({ '.github/workflows/good.yml': GOOD, 'other/ci.yml': GOOD });
    expect(audit({ cwd: dir, paths: ['.github/workflows/good.yml'] })).toEqual({ code: 0, out: ['slipway audit: 1 file, no findings'], err: [] });
    expect(audit({ cwd: dir, paths: ['other'] })).toEqual({ code: 0, out: ['slipway audit: 1 file, no findings'], err: [] });
    expect(audit({ cwd: dir, paths: ['.'] }).out).toEqual(['slipway audit: 1 file, no findings']);
  });

  test('a job output of a called workflow of the repository carries the untrusted text the caller passes into it', () => {
    const callee = `name: describe
on:
  workflow_call:
    inputs:
      text:
        type: string
    outputs:
      summary:
        value: \${{ jobs.sum.outputs.summary }}
permissions: {}
jobs:
  sum:
    runs-on: ubuntu-latest
    outputs:
      summary: \${{ steps.s.outputs.summary }}
    steps:
      - id: s
        env:
          TEXT: \${{ inputs.text }}
        run: echo "summary=$TEXT" >> "$GITHUB_OUTPUT"
`;
    const caller = (passed: string) => `name: triage
on:
  issues: {}
permissions: {}
jobs:
  describe:
    uses: ./.github/workflows/describe.yml
    with:
      text: ${passed}
  use:
    needs: describe
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ needs.describe.outputs.summary }}
`;
    const dir = repo({ '.github/workflows/describe.yml': callee, '.github/workflows/triage.yml': caller('${{ github.event.issue.title }}') });
    const r = audit({ cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toEqual([expect.stringMatching(/^\.github\/workflows\/triage\.yml:14:19: template-injection: \$\{\{ needs\.describe\.outputs\.summary \}\} pastes untrusted text/)]);
    fs.writeFileSync(path.join(dir, '.github/workflows/triage.yml'), caller('${{ github.event.issue.number }}'));
    expect(audit({ cwd: dir })).toEqual({ code: 0, out: ['slipway audit: 2 files, no findings'], err: [] });
  });

  test('a missing path, a folder without workflows, YAML errors and unknown rules in ignore comments exit 2', () => {
    const dir = repo({
      'broken.yml': 'jobs: [\n',
      'typo.yml': GOOD.replace('permissions:', '# slipway-audit: ignore[unpined-uses]\npermissions:'),
      'empty/x.txt': '',
    });
    expect(audit({ cwd: dir, paths: ['nope.yml'] })).toMatchObject({ code: 2, err: [expect.stringContaining('"nope.yml" does not exist')] });
    expect(audit({ cwd: dir, paths: ['empty'] })).toMatchObject({ code: 2, err: [expect.stringContaining('holds no workflow or action files')] });
    expect(audit({ cwd: dir, paths: ['broken.yml'] })).toMatchObject({ code: 2, err: [expect.stringMatching(/^slipway audit: broken\.yml:2:1: /)] });
    expect(audit({ cwd: dir, paths: ['typo.yml'] })).toMatchObject({ code: 2, err: [expect.stringContaining('typo.yml:4: unknown rule "unpined-uses"')] });
    expect(audit({ cwd: tempDir('audit-none') }).code).toBe(2);
  });

  test('usage: help, strict options, --format/--output/--sarif combinations', async () => {
    const dir = repo({ '.github/workflows/good.yml': GOOD });
    const help = await cli(['audit', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: slipway audit [PATH ...] [--format text|sarif] [--output FILE] [--sarif FILE]');
    expect((await cli(['help'], dir)).stdout).toContain('  audit       Audit workflow files and composite actions (default: this repository\'s .github)');
    expect(await cli(['audit', '--fromat', 'sarif'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option "--fromat"; did you mean "--format"?') });
    expect(await cli(['audit', '--format', 'json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of text, sarif, not "json"') });
    expect(await cli(['audit', '--output', 'x.sarif'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('add --format sarif') });
    expect(await cli(['audit', '--sarif', 'a', '--output', 'b'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('give either, not both') });
    expect(await cli(['audit'], dir)).toMatchObject({ code: 0, stdout: 'slipway audit: 1 file, no findings\n' });
    const sarif = await cli(['audit', '--format', 'sarif'], dir);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: '2.1.0', runs: [{ results: [] }] });
  });
});

describe('SARIF', () => {
  // No SARIF schema ships in node_modules, so the structure GitHub code scanning
  // requires is asserted field by field (SARIF 2.1.0 §3.13 sarifLog, §3.14 run,
  // §3.19 toolComponent, §3.49 reportingDescriptor, §3.27 result, §3.29 physicalLocation).
  test('--sarif FILE writes a SARIF 2.1.0 log with rules, results and regions, and prints the findings', async () => {
    const dir = repo({ '.github/workflows/bad.yml': BAD });
    const r = await cli(['audit', '--sarif', 'out/audit.sarif'], path.join(dir, '.github'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^workflows\/bad\.yml:4:1: excessive-permissions: /);
    expect(r.stderr).toBe('slipway audit: 1 file, 5 findings; SARIF written to out/audit.sarif\n');
    const log = JSON.parse(fs.readFileSync(path.join(dir, '.github', 'out', 'audit.sarif'), 'utf8'));

    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const [run0] = log.runs;
    const driver = run0.tool.driver;
    expect(driver.name).toBe('slipway-audit');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((x: any) => x.id)).toEqual(AUDIT_RULES.map((x) => x.id));
    for (const rule of driver.rules) {
      expect(rule).toEqual({
        id: expect.stringMatching(/^[a-z-]+$/),
        name: expect.stringMatching(/^[A-Z][A-Za-z]+$/),
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        help: { text: expect.any(String), markdown: expect.any(String) },
        helpUri: expect.stringMatching(/^https:\/\/.*#[a-z-]+$/),
        defaultConfiguration: { level: expect.stringMatching(/^(error|warning)$/) },
        properties: { 'tags': ['security', 'github-actions'], 'security-severity': expect.stringMatching(/^\d+\.\d$/), 'precision': 'high' },
      });
    }
    // paths are relative to the repository root, whatever folder the audit ran in
    expect(run0.artifacts).toEqual([{ location: { uri: '.github/workflows/bad.yml', uriBaseId: '%SRCROOT%' } }]);
    expect(run0.results.map((x: any) => x.ruleId)).toEqual(['excessive-permissions', 'credential-persistence', 'unpinned-uses', 'dangerous-trigger', 'template-injection']);
    for (const result of run0.results) {
      expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.level).toBe(driver.rules[result.ruleIndex].defaultConfiguration.level);
      expect(result.message.text.length).toBeGreaterThan(20);
      expect(result.locations).toHaveLength(1);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: '.github/workflows/bad.yml', uriBaseId: '%SRCROOT%', index: 0 });
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1).toBe(true);
    }
    expect(run0.results[4].locations[0].physicalLocation.region).toEqual({ startLine: 11, startColumn: 20 });
  });
});

describe('the examples and the repository audit clean', () => {
  // The examples' service images are pinned by digest through their slipway.lock.json
  // (postgres:15, redis:7, postgres:13: digests that public repositories pin for those tags).
  const dirs = ['.', ...fs.readdirSync(path.join(REPO, 'examples')).map((e) => `examples/${e}`)]
    .filter((d) => fs.existsSync(path.join(REPO, d, '.github', 'workflows')));

  test.each(dirs)('%s', (dir) => {
    const abs = path.join(REPO, dir);
    const out: string[] = [];
    const err: string[] = [];
    const code = auditCommand({ paths: dir === '.' ? [] : ['.'], format: 'text', cwd: abs }, (s) => out.push(s), (s) => err.push(s));
    const findings = [...out, ...err].filter((l) => !l.startsWith('slipway audit:'));
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  test('the service images of the examples are rendered by digest, as their lock files pin them', () => {
    const read = (f: string) => fs.readFileSync(path.join(REPO, f), 'utf8');
    const services = (f: string) => [...read(f).matchAll(/^ {8}image: (\S+)$/gm)].map((m) => m[1]);
    expect(services('examples/coditect/.github/workflows/ci.yml')).toEqual([
      'postgres:15@sha256:9b1d34adbce1dd07ee6e94b4a2cf698884b89bd44a6c9c12f5da8f3acbfe4957',
      'redis:7@sha256:71da9275c5f3fcb97d0fa0c8c5b36cc995327265420f17a04bfd544f458059f7',
    ]);
    expect(services('examples/planwise/.github/workflows/ci.yml')).toEqual([
      'postgres:13@sha256:4689940c683801b4ab839ab3b0a0a3555a5fe425371422310944e89eca7d8068',
    ]);
    expect(JSON.parse(read('examples/coditect/slipway.lock.json')).images['postgres:15'].digest).toBe('sha256:9b1d34adbce1dd07ee6e94b4a2cf698884b89bd44a6c9c12f5da8f3acbfe4957');
  });
});
