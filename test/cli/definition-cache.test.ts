import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir, tempProject } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'slipway');

/**
 * Loaded before the CLI (node -r): at exit, writes to $PROBE_OUT whether the
 * process loaded jiti, so that a test sees which loader ran the definition.
 */
function probe(): string {
  const file = path.join(tempDir('probe'), 'probe.js');
  fs.writeFileSync(file, [
    "process.on('exit', () => {",
    '  const jiti = Object.keys(require.cache).some((f) => /[\\\\/]jiti[\\\\/]/.test(f));',
    "  require('fs').writeFileSync(process.env.PROBE_OUT, jiti ? 'jiti' : 'cache');",
    '});',
  ].join('\n'));
  return file;
}

const PROBE = probe();

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Which loader ran the definition: jiti, or the cache of its transforms. */
  readonly loader: string;
}

/** `slipway <args>` in `cwd`, with its own temporary folder (where the compile cache and the transforms live). */
function slipway(cwd: string, tmp: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const out = path.join(tmp, 'probe.out');
  const r = spawnSync(process.execPath, ['-r', PROBE, BIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, SLIPWAY_NO_COMPILE_CACHE: '', PROBE_OUT: out, ...env },
  });
  return { status: r.status, stdout: r.stdout.replace(/\(\d+ ms\)/g, ''), stderr: r.stderr, loader: fs.readFileSync(out, 'utf8') };
}

/** The transforms the cache holds. */
function transforms(tmp: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/^definition-[0-9a-f]{40}\.js$/.test(e.name)) found.push(path.join(d, e.name));
    }
  };
  if (fs.existsSync(tmp)) walk(tmp);
  return found.sort();
}

/** A project whose slipway.ts builds its workflow with a function from a second file, delivery.ts. */
function project(delivery: string[], definition?: string[]): string {
  const dir = tempProject('defcache');
  fs.writeFileSync(path.join(dir, 'slipway.ts'), (definition ?? [
    "import { App } from 'slipway';",
    "import { define } from './delivery';",
    'const app = new App();',
    'define(app);',
    'app.synth();',
  ]).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'delivery.ts'), delivery.join('\n') + '\n');
  return dir;
}

const workflow = (step: string) => [
  "import * as path from 'path';",
  "import { App, Step, Trigger, Workflow } from 'slipway';",
  'export function define(app: App): void {',
  "  const wf = new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })] });",
  `  wf.addJob('test', { steps: [Step.run(${JSON.stringify(step)} + path.posix.sep)] });`,
  '}',
];

describe('definitions loaded again come from the cache of their transforms, without jiti', () => {
  test('the first run transforms with jiti and keeps each file; the second runs them alone, with the same result', () => {
    const dir = project(workflow('make test'));
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth']);
    expect(first.status).toBe(0);
    expect(first.loader).toBe('jiti');
    const cached = transforms(tmp);
    expect(cached).toHaveLength(2);
    for (const f of cached) expect((fs.statSync(f).mode % 0o1000).toString(8)).toBe('600');
    const written = fs.readFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(written).toContain('run: make test/');

    const second = slipway(dir, tmp, ['synth', '--check']);
    expect(second).toMatchObject({ status: 0, loader: 'cache', stderr: '' });
    expect(transforms(tmp)).toEqual(cached);

    // the same definition through jiti alone (no cache) writes the same files
    const plain = project(workflow('make test'));
    expect(slipway(plain, tempDir('defcache-tmp'), ['synth'], { SLIPWAY_NO_COMPILE_CACHE: '1' }).loader).toBe('jiti');
    expect(fs.readFileSync(path.join(plain, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(written);
  });

  test('a changed file is transformed again; the files that did not change stay cached', () => {
    const dir = project(workflow('make test'));
    const tmp = tempDir('defcache-tmp');
    expect(slipway(dir, tmp, ['synth']).status).toBe(0);
    const before = transforms(tmp);
    fs.writeFileSync(path.join(dir, 'delivery.ts'), workflow('make lint').join('\n') + '\n');
    const drift = slipway(dir, tmp, ['synth', '--check']);
    expect(drift.status).toBe(1);
    const after = transforms(tmp);
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(slipway(dir, tmp, ['synth']).loader).toBe('cache');
    expect(fs.readFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain('run: make lint/');
  });

  test('a damaged entry is a miss: the file is transformed again, never run as it is', () => {
    const dir = project(workflow('make test'));
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth', '--check']);
    const cached = transforms(tmp);
    for (const f of cached) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('make test', 'rm -rf /'));
    const again = slipway(dir, tmp, ['synth', '--check']);
    expect(again).toMatchObject({ status: first.status, stdout: first.stdout, stderr: first.stderr });
    expect(cached.map((f) => fs.readFileSync(f, 'utf8')).join()).not.toContain('rm -rf');
    expect(slipway(dir, tmp, ['synth', '--check']).loader).toBe('cache');
  });

  test('entries not written for 30 days are removed when something new is cached, not on a run that finds everything cached', () => {
    const dir = project(workflow('make test'));
    const tmp = tempDir('defcache-tmp');
    expect(slipway(dir, tmp, ['synth']).status).toBe(0);
    const folder = path.dirname(transforms(tmp)[0]);
    const old = path.join(folder, `definition-${'0'.repeat(40)}.js`);
    const recent = path.join(folder, `definition-${'1'.repeat(40)}.js`);
    for (const f of [old, recent]) fs.writeFileSync(f, '// unused\n');
    const days = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);
    fs.utimesSync(old, days(31), days(31));
    fs.utimesSync(recent, days(29), days(29));
    slipway(dir, tmp, ['synth', '--check']);
    expect(fs.existsSync(old)).toBe(true);
    fs.writeFileSync(path.join(dir, 'delivery.ts'), workflow('make lint').join('\n') + '\n');
    expect(slipway(dir, tmp, ['synth']).status).toBe(0);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
  });

  test('an error keeps its file:line, cached or not', () => {
    const dir = project([
      "import { App } from 'slipway';",
      'export function define(app: App): void {',
      '  void app;',
      "  throw new Error('no stages defined');",
      '}',
    ]);
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth']);
    const second = slipway(dir, tmp, ['synth']);
    expect(first.loader).toBe('jiti');
    expect(second.loader).toBe('cache');
    expect(first.status).toBe(2);
    expect(second.stderr).toBe(first.stderr);
    expect(second.stderr).toContain('  delivery.ts:4: no stages defined');
    expect(fs.readdirSync(dir).sort()).toEqual(['delivery.ts', 'slipway.ts']);
  });

  test('files that import each other load once each, as CommonJS modules do', () => {
    const dir = project([
      "import { App } from 'slipway';",
      "import { names } from './names';",
      'export function define(app: App): void {',
      "  if (names().join() !== 'ci') throw new Error(`names: ${names().join()}`);",
      '}',
      "export const WORKFLOW = 'ci';",
    ]);
    fs.writeFileSync(path.join(dir, 'names.ts'), [
      "import * as delivery from './delivery';",
      'export function names(): string[] { return [delivery.WORKFLOW]; }',
    ].join('\n') + '\n');
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth']);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    const second = slipway(dir, tmp, ['synth']);
    expect(second).toMatchObject({ loader: 'cache', status: 0, stderr: '', stdout: first.stdout });
  });

  /**
   * Files of a project (a target starting with "->" makes a symbolic link to it), the folder of its slipway.ts, the
   * environment of each run, and which loader the run with everything cached shows: the cache, or jiti for a definition
   * the fast path leaves to jiti (or a file of it that changed while it ran).
   */
  interface Case {
    readonly files: { [file: string]: string };
    readonly entry?: string;
    readonly env?: (run: number) => NodeJS.ProcessEnv;
    readonly cached?: 'cache' | 'jiti';
  }

  const cases: { [name: string]: Case } = {
    'this at the top level and in functions is undefined (strict code called without a receiver)': {
      files: {
        'helper.ts': "export function helper() { console.error('helper this:', this === undefined ? 'undefined' : typeof this); }",
        'slipway.ts': "import { App } from 'slipway';\nimport { helper } from './helper';\nconsole.error('top this:', this === undefined ? 'undefined' : typeof this, arguments.length);\nhelper();\nnew App().synth();",
      },
    },
    'default and named imports follow jiti\'s interop': {
      files: {
        'defaulted.ts': 'export default { value: 42, f() { return this === undefined; } };',
        'named.ts': 'export const x = 1;',
        'slipway.ts': "import slipway from 'slipway';\nimport named from './named';\nimport { value, f } from './defaulted';\nimport * as path from 'node:path';\n"
          + 'console.error(typeof slipway.App, typeof named, (named as any).x, value, f(), typeof path.join, typeof (path as any).default);\nnew slipway.App().synth();',
      },
    },
    'a cycle sees what jiti shows it': {
      files: {
        'a.ts': "import { early, readB } from './b';\nexport const a = 'A';\nexport function later() { return readB(); }\nvoid early;",
        'b.ts': "import * as amod from './a';\nexport const early = String(amod.a);\nexport function readB() { return amod.a; }",
        'slipway.ts': "import { App } from 'slipway';\nimport { a, later } from './a';\nconsole.error('a:', a, 'later:', later());\nnew App().synth();",
      },
    },
    'imports through symbolic links load the real file once': {
      files: {
        'shared/b.ts': "import { c } from './c';\nconsole.error('b from', __dirname.split('/').pop());\nexport const b = { c };",
        'shared/c.ts': "export const c = 'real-c';",
        'proj/b.ts': '->../shared/b.ts',
        'proj/b2.ts': '->../shared/b.ts',
        'proj/c.ts': "export const c = 'link-c';",
        'proj/slipway.ts': "import { App } from 'slipway';\nimport { b } from './b';\nimport { b as b2 } from './b2';\nconsole.error(b.c, b === b2);\nnew App().synth();",
      },
      entry: 'proj',
    },
    'an import of a folder path with a trailing slash is jiti\'s error': {
      files: {
        'b.ts': "export const b = 'b.ts';",
        'slipway.ts': "import { App } from 'slipway';\nimport { b } from './b/';\nconsole.error(b);\nnew App().synth();",
      },
      cached: 'jiti',
    },
    'an extension jiti prefers to an index file': {
      files: {
        'b.mtsx': "export const w: string = 'b.mtsx';",
        'b/index.ts': "export const w: string = 'b/index.ts';",
        'slipway.ts': "import { App } from 'slipway';\nimport { w } from './b';\nconsole.error(w);\nnew App().synth();",
      },
      cached: 'jiti',
    },
    'a file written while the definition runs is loaded as it is then': {
      files: {
        'generated.ts': "export const stamp = 'initial';",
        'writer.ts': "import * as fs from 'fs';\nfs.writeFileSync(__dirname + '/generated.ts', 'export const stamp = ' + JSON.stringify(process.env.STAMP) + ';\\n');",
        'slipway.ts': "import { App } from 'slipway';\nimport './writer';\nimport { stamp } from './generated';\nconsole.error('stamp', stamp);\nnew App().synth();",
      },
      env: (run) => ({ STAMP: `run-${run}` }),
      cached: 'jiti',
    },
  };

  test.each(Object.keys(cases))('as jiti does: %s', (name) => {
    const c = cases[name];
    const root = project([]);
    fs.rmSync(path.join(root, 'slipway.ts'));
    fs.rmSync(path.join(root, 'delivery.ts'));
    for (const [file, content] of Object.entries(c.files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      if (content.startsWith('->')) fs.symlinkSync(content.slice(2), path.join(root, file));
      else fs.writeFileSync(path.join(root, file), content + '\n');
    }
    const dir = path.join(root, c.entry ?? '');
    const tmp = tempDir('defcache-tmp');
    const runs = [
      slipway(dir, tempDir('defcache-tmp'), ['synth', '--quiet'], { SLIPWAY_NO_COMPILE_CACHE: '1', ...c.env?.(0) }),
      slipway(dir, tmp, ['synth', '--quiet'], c.env?.(1)),
      slipway(dir, tmp, ['synth', '--quiet'], c.env?.(2)),
    ];
    expect(runs.map((r) => r.loader)).toEqual(['jiti', 'jiti', c.cached ?? 'cache']);
    const shown = runs.map((r, i) => ({ status: r.status, stdout: r.stdout, stderr: r.stderr.split(`run-${i}`).join('run-N') }));
    expect(shown[1]).toEqual(shown[0]);
    expect(shown[2]).toEqual(shown[0]);
    if (c.env) expect(runs[2].stderr).toContain('stamp run-2');
  });

  test.each([
    ['a package', ["import { Construct } from 'constructs';", "import { App } from 'slipway';", 'export function define(app: App): void { void Construct; void app; }']],
    ['a dynamic import()', ["import { App } from 'slipway';", "export function define(app: App): void { void app; void (async () => import('os'))(); }"]],
    ['a JavaScript file', ["import { App } from 'slipway';", "import { n } from './plain';", 'export function define(app: App): void { void app; void n; }']],
  ])('a definition that reaches %s goes through jiti every time', (_what, delivery) => {
    const dir = project(delivery);
    fs.writeFileSync(path.join(dir, 'plain.js'), 'exports.n = 1;\n');
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth']);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    const second = slipway(dir, tmp, ['synth']);
    expect(second).toMatchObject({ loader: 'jiti', status: 0, stderr: '', stdout: first.stdout });
  });

  test('a definition jiti cannot transform is reported by jiti, every time', () => {
    const dir = project(["import { App } from 'slipway';", 'export function define(app: App): void {']);
    const tmp = tempDir('defcache-tmp');
    const first = slipway(dir, tmp, ['synth']);
    const second = slipway(dir, tmp, ['synth']);
    expect(first.status).toBe(2);
    expect(second).toMatchObject({ status: 2, loader: 'jiti', stderr: first.stderr });
    expect(transforms(tmp)).toHaveLength(1); // slipway.ts only
  });
});
