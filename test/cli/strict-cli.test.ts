import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, UsageError } from '../../src/cli/main';
import { regenerateCommand } from '../../src/cli/synth';
import { readFiles, tempProject } from '../support/temp-project';

const SRC = path.resolve(__dirname, '../../src');
const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'slipway');

/** A definition with constructs that each contribute a YAML file. */
function definition(ids: string[]): string {
  return `
import { Construct } from 'constructs';
import { App } from ${JSON.stringify(SRC)};
class Doc extends Construct {
  public _synthesize(session: any): void { session.addYaml(this, 'docs/' + this.node.id + '.yaml', { id: this.node.id }); }
}
const app = new App();
${ids.map((id) => `new Doc(app, ${JSON.stringify(id)});`).join('\n')}
app.synth();
`;
}

function tempDir(): string {
  return tempProject('strict');
}

function project(ids: string[] = ['a']): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'slipway.ts'), definition(ids));
  return dir;
}


const slipway = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('the argument parser', () => {
  const synth = { options: { app: { kind: 'string' as const, help: '' }, check: { kind: 'boolean' as const, help: '' } } };
  const parse = (...argv: string[]) => parseArgs(argv, synth);

  test('a switch never takes the next word; --flag=value and --flag value both work', () => {
    expect(parse('--check', '--app', 'x.ts').flags).toEqual({ check: true, app: 'x.ts' });
    expect(parse('--app=x.ts', '--check=false').flags).toEqual({ app: 'x.ts', check: false });
    expect(parse('--check=true').flags).toEqual({ check: true });
    expect(() => parse('--check', 'x')).toThrow(/unexpected argument "x"/);
    expect(parse('--app=--odd').flags).toEqual({ app: '--odd' });
  });

  test.each([
    [['--check=yes'], /option "--check" is a switch: give "--check", "--check=true" or "--check=false", not "--check=yes"/],
    [['--verbose', '--check'], /unknown option "--verbose"; options: --app, --check/],
    [['--chek'], /unknown option "--chek"; did you mean "--check"\?/],
    [['-c'], /unknown option "-c"/],
    [['--app'], /option "--app" needs a value/],
    [['--app', '--check'], /option "--app" needs a value.*"--check" looks like an option/],
    [['--app='], /option "--app" needs a value/],
    [['--check', '--check'], /option "--check" is given twice/],
    [['extra'], /unexpected argument "extra"/],
    [['--', '--check'], /unexpected argument "--check"/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });
});

describe('the slipway bin is strict', () => {
  test('--help and -h on every command print its help, exit 0 and touch nothing (a hand edit survives)', () => {
    const dir = project();
    expect(slipway(dir, 'synth').status).toBe(0);
    fs.appendFileSync(path.join(dir, 'docs/a.yaml'), '# hand edit\n');
    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition(['a', 'b']));
    const before = readFiles(dir);
    for (const args of [['synth', '--help'], ['synth', '-h'], ['synth', '--force', '--help'], ['synth', '--bogus', '-h'],
      ['init', '--help'], ['init', '--force', '-h'], ['init', '--language', 'python', '--help'], ['graph', '--help'], ['pin', '-h'], ['help', 'synth']]) {
      const r = slipway(dir, ...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: slipway ${args[0] === 'help' ? args[1] : args[0]} `));
      expect(r.stdout).toMatch(/-h, --help +print this help; do nothing else/);
      expect(readFiles(dir)).toEqual(before);
    }
    // init --help in an empty folder writes no starter
    const empty = tempDir();
    expect(slipway(empty, 'init', '--help').status).toBe(0);
    expect(slipway(empty, 'init', '--language=python', '-h').status).toBe(0);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  test('unknown options and extra words exit 2 with the usage, and write nothing', () => {
    const dir = project();
    for (const args of [['synth', '--loud', '--check'], ['synth', 'extra'], ['synth', '--check=maybe'], ['synth', '--outdir'],
      ['init', 'x.ts'], ['init', '--language'], ['init', '--langauge', 'python'], ['graph', '--pipline', 'ci'], ['synth', '-q']]) {
      const r = slipway(dir, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^slipway ${args[0]}: `));
      expect(r.stderr).toMatch(new RegExp(`\\nUsage: slipway ${args[0]} `));
      expect(r.stdout).toBe('');
      expect(Object.keys(readFiles(dir))).toEqual(['slipway.ts']);
    }
    expect(slipway(dir, 'graph', '--pipline', 'ci').stderr).toMatch(/did you mean "--pipeline"\?/);
    const unknown = slipway(dir, 'synht');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "synht"; did you mean "synth"\?/);
  });

  test('--check=true checks and --check=false writes', () => {
    const dir = project();
    const check = slipway(dir, 'synth', '--check=true');
    expect(check.status).toBe(1);
    expect(Object.keys(readFiles(dir))).toEqual(['slipway.ts']);
    expect(slipway(dir, 'synth', '--check=false').status).toBe(0);
    expect(slipway(dir, 'synth', '--check=true').status).toBe(0);
    expect(slipway(dir, 'synth', '--quiet', '--check').stdout).toMatch(/^slipway: 1 generated file\(s\) are current/);
  });

  test('--version prints the package version', () => {
    const r = slipway(REPO, '--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version}\n`);
  });

  test('run from a subfolder, synth finds the definition in a parent folder and writes next to it', () => {
    const dir = project();
    const sub = path.join(dir, 'src', 'deep');
    fs.mkdirSync(sub, { recursive: true });
    const r = slipway(sub, 'synth');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`  wrote    ${path.join('..', '..', 'docs', 'a.yaml')}\n`);
    expect(fs.readFileSync(path.join(dir, 'docs/a.yaml'), 'utf8')).toMatch(/^# Generated by slipway from slipway\.ts\. .*\n# Regenerate it with: npx slipway synth\n/);
    expect(slipway(sub, 'synth', '--check').status).toBe(0);
    expect(slipway(sub, 'graph').stderr).toMatch(/defines no Pipeline/);
  });

  test('a missing definition is exit 2, naming the fix', () => {
    const r = slipway(REPO, 'synth', '--app', 'nope.ts');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/definition file "nope\.ts" not found; pass --app <file> or create slipway\.ts/);
  });

  test('synth lists each file it wrote and removed, one line each; --quiet prints only the summary', () => {
    const dir = project(['a', 'b']);
    const first = slipway(dir, 'synth');
    expect(first.stdout).toMatch(/^  wrote    docs\/a\.yaml\n  wrote    docs\/b\.yaml\nslipway: wrote 2, unchanged 0, removed 0 stale file\(s\) \(\d+ ms\)\n$/);
    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition(['a']));
    const second = slipway(dir, 'synth');
    expect(second.stdout).toMatch(/^  removed  docs\/b\.yaml\nslipway: wrote 0, unchanged 1, removed 1 stale file\(s\)/);
    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition(['a', 'c']));
    expect(slipway(dir, 'synth', '--quiet').stdout).toMatch(/^slipway: wrote 1, unchanged 1, removed 0 stale file\(s\) \(\d+ ms\)\n$/);
  });

  test('the header names the command that regenerates the file, with --app and --outdir relative to the output directory', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'infra'));
    fs.writeFileSync(path.join(root, 'infra', 'delivery.ts'), definition(['a']));
    expect(slipway(root, 'synth', '--app', 'infra/delivery.ts', '--outdir=.').status).toBe(0);
    const header = fs.readFileSync(path.join(root, 'docs/a.yaml'), 'utf8').split('\n').slice(0, 2);
    expect(header).toEqual([
      '# Generated by slipway from infra/delivery.ts. Do not edit this file by hand.',
      '# Regenerate it with: npx slipway synth --app infra/delivery.ts --outdir .',
    ]);
    // the same definition and output directory give the same header however they are named
    expect(slipway(path.join(root, 'infra'), 'synth', '--check', '--app=delivery.ts', '--outdir', '..').status).toBe(0);
    // outputs next to a definition not named slipway.ts
    expect(slipway(root, 'synth', '--app', 'infra/delivery.ts').status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'infra/docs/a.yaml'), 'utf8')).toContain('# Regenerate it with: npx slipway synth --app delivery.ts\n');
  });

  test('regenerateCommand', () => {
    expect(regenerateCommand('/r/slipway.ts', '/r')).toBe('npx slipway synth');
    expect(regenerateCommand('/r/ci/slipway.ts', '/r')).toBe('npx slipway synth --app ci/slipway.ts --outdir .');
    expect(regenerateCommand('/r/defs/my app.ts', '/r/out')).toBe("npx slipway synth --app '../defs/my app.ts' --outdir .");
  });
});
