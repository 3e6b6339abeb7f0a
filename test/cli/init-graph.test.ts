import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { graphCommand } from '../../src/cli/graph';
import { initCommand } from '../../src/cli/init';
import { synthCommand, EXIT_OK } from '../../src/cli/synth';
import { setSynthHost } from '../../src/core/app';
import { expectValid } from '../support/harness';
import { tempProject } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'slipway');
const STARTER = ['slipway.ts', 'delivery.ts', 'delivery.test.ts'];

function readTree(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.slipway/manifest.json'), 'utf8'));
  for (const f of Object.keys(manifest.files)) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

/** Points the starter's `from 'slipway'` at this checkout's sources, so an in-process synth uses the same classes as the test. */
function useSources(dir: string): void {
  for (const f of ['slipway.ts', 'delivery.ts']) {
    const file = path.join(dir, f);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("from 'slipway'", `from ${JSON.stringify(path.join(REPO, 'src'))}`));
  }
}

describe.each(['node', 'python'])('slipway init --language %s', (language) => {
  test('writes slipway.ts, the delivery.ts it calls and a snapshot test; it synthesizes to valid output; nothing is overwritten', async () => {
    const dir = tempProject('init');
    const app = path.join(dir, 'slipway.ts');
    const log: string[] = [];
    const err: string[] = [];
    expect(initCommand({ app, force: false, language }, (s) => log.push(s), (s) => err.push(s))).toBe(0);
    // with no tsconfig.json, .gitattributes or package.json in the folder: the tsconfig and the attributes, nothing else
    expect(fs.readdirSync(dir).sort()).toEqual([...STARTER, 'tsconfig.json', '.gitattributes'].sort());
    expect(fs.readFileSync(app, 'utf8')).toBe("import { App } from 'slipway';\nimport { defineDelivery } from './delivery';\n\nconst app = new App();\ndefineDelivery(app);\napp.synth();\n");
    expect(fs.readFileSync(path.join(dir, 'delivery.ts'), 'utf8')).toMatch(/^export function defineDelivery\(app: App\): void \{$/m);
    expect(fs.readFileSync(path.join(dir, 'delivery.test.ts'), 'utf8')).toMatch(/expect\(Testing\.synth\(app\)\)\.toMatchSnapshot\(\);/);
    expect(log[0]).toBe(`slipway: wrote ${app}, ${path.join(dir, 'delivery.ts')}, ${path.join(dir, 'delivery.test.ts')} (${language})`);

    useSources(dir);
    expect(await synthCommand({ app, check: false, quiet: true }, () => undefined, (s) => err.push(s))).toBe(EXIT_OK);
    expect(err).toEqual([]);
    const files = readTree(dir);
    expectValid(files);
    const ci = YAML.parse(files['.github/workflows/ci.yml']);
    const steps = (job: string) => ci.jobs[job].steps.map((s: any) => s.run ?? s.uses ?? '').join('\n');
    if (language === 'python') {
      expect(steps('lint')).toMatch(/actions\/setup-python@/);
      expect(steps('lint')).toMatch(/python -m pip install -r requirements\.txt/);
      expect(steps('lint')).toMatch(/ruff check \.[\s\S]*ruff format --check \./);
      expect(steps('test')).toMatch(/pytest/);
    } else {
      expect(steps('lint')).toMatch(/actions\/setup-node@/);
      expect(steps('test')).toMatch(/npm test/);
    }
    // the generated files are checked on every pull request: npm installs slipway, then synth --check
    expect(ci.jobs['drift-check'].name).toBe('Generated files are current');
    expect(steps('drift-check')).toMatch(/actions\/setup-node@[\s\S]*npm ci\nnpx slipway synth --check$/);
    expect(ci.on.pull_request).toBeDefined();

    const before = fs.readFileSync(path.join(dir, 'delivery.ts'), 'utf8');
    expect(initCommand({ app, force: false, language }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err.pop()).toBe(`slipway: ${app}, ${path.join(dir, 'delivery.ts')}, ${path.join(dir, 'delivery.test.ts')} exist; pass --force to overwrite them`);
    expect(fs.readFileSync(path.join(dir, 'delivery.ts'), 'utf8')).toBe(before);
    expect(initCommand({ app, force: true, language }, () => undefined, () => undefined)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'delivery.ts'), 'utf8')).not.toBe(before);
  });

  test('as a user runs it (the packaged bin): init, synth, and the snapshot test sees exactly the files synth wrote', () => {
    const dir = tempProject('init-bin');
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
    const init = run('init', '--language', language);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const synth = run('synth', '--quiet');
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const written = readTree(dir);
    expect(Object.keys(written)).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', 'deploy/helm/api/Chart.yaml', 'docs/pipelines/ci.md']));

    // Git reads the .gitattributes init wrote: every generated file (and the manifest) is generated and LF, the starter's own files are not
    expect(spawnSync('git', ['init', '-q', '.'], { cwd: dir }).status).toBe(0);
    const attrs = (files: string[]) => {
      const r = spawnSync('git', ['check-attr', 'linguist-generated', 'eol', '--', ...files], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const generated = [...Object.keys(written), '.slipway/manifest.json'];
    expect(attrs(generated)).toBe(generated.map((f) => `${f}: linguist-generated: true\n${f}: eol: lf\n`).join(''));
    const own = [...STARTER, 'tsconfig.json', '.github/workflows/other.yml', 'docs/pipelines/other.md', 'deploy/helm/web/Chart.yaml'];
    expect(attrs(own)).toBe(own.map((f) => `${f}: linguist-generated: unspecified\n${f}: eol: unspecified\n`).join(''));

    // the tsconfig.json init wrote type-checks the starter (strict) with slipway's and jest's types, as ts-jest will
    fs.mkdirSync(path.join(dir, '..', 'node_modules', '@types'));
    fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules', '@types', 'jest')), path.join(dir, '..', 'node_modules', '@types', 'jest'), 'dir');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.', '--noEmit', '--listFiles'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stderr).toBe('');
    expect([tsc.status, tsc.stdout.split('\n').filter((l) => /error TS/.test(l))]).toEqual([0, []]);
    for (const f of STARTER) expect(tsc.stdout.split('\n')).toContain(path.join(fs.realpathSync(dir), f));
    // delivery.test.ts with a stand-in for jest's test() and expect().toMatchSnapshot()
    const script = `
      let snapshot;
      globalThis.test = (name, fn) => fn();
      globalThis.expect = (value) => ({ toMatchSnapshot: () => { snapshot = value; } });
      const { createJiti } = require(${JSON.stringify(require.resolve('jiti', { paths: [REPO] }))});
      createJiti(${JSON.stringify(path.join(dir, 'index.js'))})('./delivery.test.ts');
      process.stdout.write(JSON.stringify(snapshot));`;
    const t = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    const snapshot = JSON.parse(t.stdout);
    for (const [file, content] of Object.entries(written)) expect([file, snapshot[file]]).toEqual([file, content]);
  });
});

describe('slipway init refuses', () => {
  test('an unknown language, naming the ones there are, and writes nothing', () => {
    const dir = tempProject('init');
    const err: string[] = [];
    expect(initCommand({ app: path.join(dir, 'slipway.ts'), force: false, language: 'rust' }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err).toEqual(['slipway init: --language "rust" is not one of: node, python']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a definition file named like one of the starter\'s other files', () => {
    const dir = tempProject('init');
    const err: string[] = [];
    expect(initCommand({ app: path.join(dir, 'delivery.ts'), force: true }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err[0]).toMatch(/would be overwritten by the starter's own delivery\.ts; name the definition file differently/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('slipway graph', () => {
  test('prints the Mermaid plan of each pipeline, and names the pipelines when asked for an unknown one', () => {
    const dir = tempProject('init');
    const app = path.join(dir, 'slipway.ts');
    initCommand({ app, force: false }, () => undefined, () => undefined);
    useSources(dir);
    const out: string[] = [];
    expect(graphCommand({ app }, (s) => out.push(s), () => undefined)).toBe(0);
    expect(out.join('\n')).toMatch(/^%% pipeline ci\nflowchart LR\n/);
    expect(out.join('\n')).toContain('ci__deploy_staging[["deploy staging<br/>kubernetes: staging · all at once"]]');
    expect(out.join('\n')).toContain('ci__build --> ci__deploy_staging');
    const err: string[] = [];
    expect(graphCommand({ app, pipeline: 'nope' }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err[0]).toBe('slipway: no pipeline "nope"; pipelines: ci');
  });
});

// `slipway synth` leaves a closed host installed (a late app.synth() then fails); remove it after this file.
afterAll(() => setSynthHost(undefined));
