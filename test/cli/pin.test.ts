import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { run } from '../../src/cli/main';
import { pinCommand, PinCommandOptions } from '../../src/cli/pin';
import { App } from '../../src/core';
import { Action } from '../../src/github/actions';
import { tempDir, tempProject } from '../support/temp-project';

const SRC = path.resolve(__dirname, '../../src');
const CHECKOUT_V5 = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=slipway', '-c', 'user.email=slipway@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
  }).trim();
}

/**
 * A bare repository `<remotes>/<owner>/<repo>.git` with three commits:
 * c1: v1.0.0 (lightweight)
 * c2: v1.1.0 (annotated), v1 (lightweight, the moved major), branch release/v1
 * c3: v2.0.0 and v2 (both annotated), v2.1.0-rc.1 (lightweight prerelease)
 */
function makeRemote(remotes: string, owner: string, repo: string): { c1: string; c2: string; c3: string; tagObjectV110: string } {
  const bare = path.join(remotes, owner, `${repo}.git`);
  fs.mkdirSync(bare, { recursive: true });
  git(bare, 'init', '--bare', '-q');
  const work = tempDir('pin-work');
  git(work, 'init', '-q');
  const commit = (n: number) => {
    fs.writeFileSync(path.join(work, 'action.yml'), `name: ${repo}\nruns:\n  using: node20\n  main: index${n}.js\n`);
    git(work, 'add', '.');
    git(work, 'commit', '-q', '-m', `release ${n}`);
    return git(work, 'rev-parse', 'HEAD');
  };
  const c1 = commit(1);
  git(work, 'tag', 'v1.0.0');
  const c2 = commit(2);
  git(work, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
  git(work, 'tag', 'v1');
  git(work, 'branch', 'release/v1');
  const c3 = commit(3);
  git(work, 'tag', '-a', 'v2.0.0', '-m', 'v2.0.0');
  git(work, 'tag', '-a', 'v2', '-m', 'v2');
  git(work, 'tag', 'v2.1.0-rc.1');
  git(work, 'push', '-q', bare, 'main', 'release/v1', '--tags');
  const tagObjectV110 = git(bare, 'rev-parse', 'refs/tags/v1.1.0');
  return { c1, c2, c3, tagObjectV110 };
}

let remotes: string;
let base: string;
let tool: ReturnType<typeof makeRemote>;
let other: ReturnType<typeof makeRemote>;

beforeAll(() => {
  remotes = tempDir('pin-remotes');
  base = `file://${remotes}`;
  tool = makeRemote(remotes, 'acme', 'tool');
  other = makeRemote(remotes, 'acme', 'other');
});

function outdir(): string {
  return tempDir('pin-out');
}

function pin(opts: Partial<PinCommandOptions> & { outdir: string }): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = pinCommand({ app: path.join(opts.outdir, 'slipway.ts'), refs: [], remoteBase: base, ...opts }, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function lock(dir: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, 'slipway.lock.json'), 'utf8'));
}

describe('slipway pin <refs> against local bare repositories', () => {
  test('a moved major tag resolves to its commit, named by the highest full version tag of that commit', () => {
    const dir = outdir();
    const res = pin({ outdir: dir, refs: ['acme/tool@v1'] });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(lock(dir).actions).toEqual({ 'acme/tool@v1': { sha: tool.c2, version: 'v1.1.0' } });
    expect(res.out).toContain(`added     acme/tool@v1 -> ${tool.c2.slice(0, 12)} (v1.1.0)`);
  });

  test('an annotated tag is peeled to its commit, not the tag object', () => {
    const dir = outdir();
    expect(pin({ outdir: dir, refs: ['acme/tool@v1.1.0', 'acme/tool@v2'] }).code).toBe(0);
    expect(tool.tagObjectV110).not.toBe(tool.c2);
    expect(lock(dir).actions).toEqual({
      'acme/tool@v1.1.0': { sha: tool.c2, version: 'v1.1.0' },
      'acme/tool@v2': { sha: tool.c3, version: 'v2.0.0' }, // the release, not the v2.1.0-rc.1 prerelease of the same commit
    });
  });

  test('a lightweight tag, a branch, and an action in a sub-directory', () => {
    const dir = outdir();
    expect(pin({ outdir: dir, refs: ['acme/tool@v1.0.0', 'acme/tool@release/v1', 'acme/other/sub/action@v2'] }).code).toBe(0);
    expect(lock(dir).actions).toEqual({
      'acme/other@v2': { sha: other.c3, version: 'v2.0.0' },
      'acme/tool@release/v1': { sha: tool.c2, version: 'v1.1.0' },
      'acme/tool@v1.0.0': { sha: tool.c1, version: 'v1.0.0' },
    });
  });

  test('an unknown tag is an error naming the ref and the tags there are; nothing is written', () => {
    const dir = outdir();
    const res = pin({ outdir: dir, refs: ['acme/tool@v1', 'acme/tool@v9'] });
    expect(res.code).toBe(2);
    expect(res.err).toContain('1 action version(s) could not be resolved; slipway.lock.json was not changed');
    expect(res.err).toMatch(/acme\/tool@v9: no tag or branch "v9" in file:\/\/.*\/acme\/tool\.git; version tags include: v1, v2/);
    expect(fs.existsSync(path.join(dir, 'slipway.lock.json'))).toBe(false);
  });

  test('an unknown repository is an error with git\'s message', () => {
    const res = pin({ outdir: outdir(), refs: ['acme/missing@v1'] });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/acme\/missing@v1: `git ls-remote file:\/\/.*\/acme\/missing\.git` failed: .+/);
  });

  test.each([['actions/checkout'], ['checkout@v4'], [`actions/checkout@${CHECKOUT_V5}`]])('rejects the argument %j', (ref) => {
    const res = pin({ outdir: outdir(), refs: [ref] });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/is not an action reference|is already a commit SHA/);
  });

  test('the lock file is deterministic: sorted keys, the same bytes whatever the order, existing entries kept', () => {
    const a = outdir();
    const b = outdir();
    fs.writeFileSync(path.join(a, 'slipway.lock.json'), JSON.stringify({ actions: { 'zed/last@v1': { sha: 'f'.repeat(40), version: 'v1.0.0' } } }));
    fs.copyFileSync(path.join(a, 'slipway.lock.json'), path.join(b, 'slipway.lock.json'));
    expect(pin({ outdir: a, refs: ['acme/tool@v2', 'acme/other@v1'] }).code).toBe(0);
    expect(pin({ outdir: b, refs: ['acme/other@v1'] }).code).toBe(0);
    expect(pin({ outdir: b, refs: ['acme/tool@v2'] }).code).toBe(0);
    const text = fs.readFileSync(path.join(a, 'slipway.lock.json'), 'utf8');
    expect(fs.readFileSync(path.join(b, 'slipway.lock.json'), 'utf8')).toBe(text);
    expect(Object.keys(JSON.parse(text).actions)).toEqual(['acme/other@v1', 'acme/tool@v2', 'zed/last@v1']);
    expect(text.endsWith('}\n')).toBe(true);
    const again = pin({ outdir: a, refs: ['acme/tool@v2'] });
    expect(again.out).toContain('slipway pin: unchanged');
    expect(fs.readFileSync(path.join(a, 'slipway.lock.json'), 'utf8')).toBe(text);
  });

  test('the App reads what pin wrote', () => {
    const dir = outdir();
    expect(pin({ outdir: dir, refs: ['acme/tool@v1'] }).code).toBe(0);
    const app = new App({ outdir: dir });
    expect(Action.of('acme/tool', 'v1')._reference(new Construct(app, 'ci'))).toEqual({ uses: `acme/tool@${tool.c2}`, comment: ' v1.1.0' });
  });

  test('`slipway pin` is registered in the CLI', async () => {
    const dir = outdir();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await run(['pin', '--remote-base', base, '--outdir', dir, 'acme/tool@v2'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(lock(dir).actions['acme/tool@v2'].sha).toBe(tool.c3);
  });
});

describe('slipway pin with a definition', () => {
  function project(): string {
    const dir = tempProject('pin');
    fs.writeFileSync(path.join(dir, 'slipway.ts'), `
import { App } from ${JSON.stringify(SRC)};
import { Action } from ${JSON.stringify(path.join(SRC, 'github/actions'))};

const app = new App();
const actions = [
  Action.of('acme/tool', 'v1'),
  Action.of('acme/tool', 'v1'),                  // twice: pinned once
  Action.of('acme/other/sub', 'v2'),
  Action.of('acme/unreachable', 'v1', { allowUnpinned: true }),      // opted out: skipped
  Action.of('acme/inline', 'v1', { sha: '${'e'.repeat(40)}' }),       // pinned inline: skipped
  Action.local('./.github/actions/build'),
  Action.docker('alpine:3.20'),
];
void actions;
app.synth();
`);
    return dir;
  }

  test('pins every repository action the definition creates, and nothing else', () => {
    const dir = project();
    const res = pin({ outdir: dir, app: path.join(dir, 'slipway.ts') });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(lock(dir).actions).toEqual({
      'acme/other@v2': { sha: other.c3, version: 'v2.0.0' },
      'acme/tool@v1': { sha: tool.c2, version: 'v1.1.0' },
    });
    // synth of the definition writes nothing during pin
    expect(fs.readdirSync(dir).sort()).toEqual(['slipway.lock.json', 'slipway.ts']);
  });

  test('--missing only resolves actions no lock pins yet', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), JSON.stringify({ actions: { 'acme/tool@v1': { sha: 'd'.repeat(40), version: 'v1.0.9' } } }));
    const res = pin({ outdir: dir, app: path.join(dir, 'slipway.ts'), missing: true });
    expect(res.code).toBe(0);
    expect(lock(dir).actions['acme/tool@v1']).toEqual({ sha: 'd'.repeat(40), version: 'v1.0.9' });
    expect(lock(dir).actions['acme/other@v2']).toEqual({ sha: other.c3, version: 'v2.0.0' });
  });

  test('a missing definition file is an error saying what to do', () => {
    const res = pin({ outdir: outdir() });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/definition file ".*slipway\.ts" not found; pass --app <file>, or name the actions/);
  });
});

describe('slipway pin --adopt', () => {
  function withWorkflow(content: string, lockContent?: object): string {
    const dir = outdir();
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), content);
    if (lockContent) fs.writeFileSync(path.join(dir, 'slipway.lock.json'), JSON.stringify(lockContent));
    return dir;
  }

  test('imports the SHAs Dependabot wrote into the generated workflows, keyed by the version they belong to', () => {
    const dir = withWorkflow([
      'jobs:',
      '  build:',
      '    steps:',
      `      - uses: actions/checkout@${'1'.repeat(40)} # v5.0.1`,
      '      - uses: actions/setup-python@ece7cb06caefa5fff74198d8649806c4678c61a1 # v6.3.0',
      `      - uses: acme/tool@${tool.c3} # v2.0.0`,
      `        uses: github/codeql-action/upload-sarif@${'2'.repeat(40)} # v4.32.0`,
      `      - uses: acme/nocomment@${'3'.repeat(40)}`,
      '      - uses: ./.github/actions/build',
      '',
    ].join('\n'));
    const res = pin({ outdir: dir, adopt: true, remoteBase: 'file:///nonexistent' });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(lock(dir).actions).toEqual({
      'acme/tool@v2': { sha: tool.c3, version: 'v2.0.0' },
      'actions/checkout@v5': { sha: '1'.repeat(40), version: 'v5.0.1' },
      'github/codeql-action@v4': { sha: '2'.repeat(40), version: 'v4.32.0' },
      // setup-python's pin equals the catalog's: not repeated in the lock
    });
    const app = new App({ outdir: dir });
    expect(Action.of('actions/checkout', 'v5')._reference(new Construct(app, 'ci'))).toEqual({ uses: `actions/checkout@${'1'.repeat(40)}`, comment: ' v5.0.1' });
  });

  test('updates the key whose version covers the tag (a branch key covers every version)', () => {
    const dir = withWorkflow(`      - uses: pypa/gh-action-pypi-publish@${'4'.repeat(40)} # v1.13.0\n`, {
      actions: { 'acme/tool@v1': { sha: tool.c2, version: 'v1.1.0' } },
    });
    expect(pin({ outdir: dir, adopt: true }).code).toBe(0);
    expect(lock(dir).actions).toEqual({
      'acme/tool@v1': { sha: tool.c2, version: 'v1.1.0' },
      'pypa/gh-action-pypi-publish@release/v1': { sha: '4'.repeat(40), version: 'v1.13.0' },
    });
  });

  test('keeps the highest version, and refuses two SHAs for one version', () => {
    const ok = withWorkflow(`- uses: acme/tool@${tool.c1} # v1.0.0\n- uses: acme/tool@${tool.c2} # v1.1.0\n`);
    expect(pin({ outdir: ok, adopt: true }).code).toBe(0);
    expect(lock(ok).actions).toEqual({ 'acme/tool@v1': { sha: tool.c2, version: 'v1.1.0' } });

    const clash = withWorkflow(`- uses: acme/tool@${tool.c1} # v1.1.0\n- uses: acme/tool@${tool.c2} # v1.1.0\n`);
    const res = pin({ outdir: clash, adopt: true });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/acme\/tool@v1: \.github\/workflows\/ci\.yml:1 pins .* and \.github\/workflows\/ci\.yml:2 pins .*, both as v1\.1\.0; make them agree/);
    expect(fs.existsSync(path.join(clash, 'slipway.lock.json'))).toBe(false);
  });
});
