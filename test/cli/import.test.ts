import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { importCommand } from '../../src/cli/import';
import { importWorkflows, ImportResult, str } from '../../src/cli/import-workflows';
import { run } from '../../src/cli/main';
import { synthCommand } from '../../src/cli/synth';
import { CATALOG_LOCK } from '../../src/github/actions/catalog-lock';
import { serializeLockFile } from '../../src/github/actions/lock-file';
import { expectValid } from '../support/harness';
import { tempDir, tempProject } from '../support/temp-project';

const SRC = path.resolve(__dirname, '../../src');
const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, '../fixtures/import');
const CORPUS = fs.readdirSync(FIXTURES).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (f: string) => fs.readFileSync(path.join(FIXTURES, f), 'utf8');

/** The corpus, imported once into one definition. */
const imported: ImportResult = importWorkflows(CORPUS.map((f) => ({ fileName: f, text: read(f) })));

type J = any;
const isObj = (v: unknown): v is { [k: string]: J } => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A workflow in a canonical form, for a semantic comparison. Each rule is an
 * equivalence GitHub defines (the two forms mean the same workflow), except
 * the two differences import reports: the refs of repository actions (SHA
 * pinning) and the workflow's default `permissions`.
 */
function canonical(doc: J, defaultedPermissions: boolean): J {
  const d = JSON.parse(JSON.stringify(doc));
  // `on: push`, `on: [push]` and `on: { push: null }` are the same triggers
  const on = typeof d.on === 'string' ? { [d.on]: {} } : Array.isArray(d.on) ? Object.fromEntries(d.on.map((e: string) => [e, {}])) : d.on;
  for (const [event, config] of Object.entries(on)) {
    if (config === null) on[event] = {};
    // a dispatch input without a type is a string input; a secret without settings is {}
    for (const group of ['inputs', 'secrets']) {
      const m = (on[event] as J)?.[group];
      if (!isObj(m)) continue;
      for (const [k, v] of Object.entries(m)) m[k] = v === null ? {} : v;
      if (event === 'workflow_dispatch' && group === 'inputs') for (const v of Object.values(m)) if (isObj(v) && v.type === undefined) v.type = 'string';
    }
  }
  d.on = on;
  if (d.permissions === undefined && defaultedPermissions) d.permissions = { contents: 'read' };
  strings(d, 'env');
  if (typeof d.concurrency === 'string') d.concurrency = { group: d.concurrency };
  for (const job of Object.values(d.jobs) as J[]) {
    // a job without permissions has the workflow's
    if (job.permissions === undefined) job.permissions = d.permissions;
    if (typeof job.needs === 'string') job.needs = [job.needs];
    condition(job);
    if (typeof job.environment === 'string') job.environment = { name: job.environment };
    if (typeof job.concurrency === 'string') job.concurrency = { group: job.concurrency };
    strings(job, 'env');
    if (typeof job.container === 'string') job.container = { image: job.container };
    for (const c of [job.container, ...Object.values(job.services ?? {})]) {
      if (!isObj(c)) continue;
      strings(c, 'env');
      if (Array.isArray(c.ports)) c.ports = c.ports.map(String);
    }
    // an exclude entry naming a value no axis has matches nothing (GitHub applies exclude to the axes, before include)
    const matrix = job.strategy?.matrix;
    if (isObj(matrix) && Array.isArray(matrix.exclude)) {
      const has = (k: string, v: J) => Array.isArray(matrix[k]) && matrix[k].some((x: J) => JSON.stringify(x) === JSON.stringify(v));
      matrix.exclude = matrix.exclude.filter((e: J) => Object.entries(e).every(([k, v]) => has(k, v)));
      if (matrix.exclude.length === 0) delete matrix.exclude;
    }
    for (const step of job.steps ?? []) {
      condition(step);
      // `wait-all:` (null) is `wait-all: true`; `wait: [a]` is `wait: a`
      if ('wait-all' in step && step['wait-all'] === null) step['wait-all'] = true;
      if (Array.isArray(step.wait) && step.wait.length === 1) step.wait = step.wait[0];
      strings(step, 'env');
      if (typeof step.uses === 'string') step.uses = unpinned(step.uses);
    }
  }
  return d;
}

/** `if: ${{ x }}` and `if: x` are the same condition. */
function condition(o: J): void {
  if (o.if === undefined) return;
  const s = String(o.if).trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(s);
  o.if = m && !m[1].includes('}}') ? m[1].trim() : s;
}

/** Environment values are strings to GitHub: `1` and `"1"` are the same. */
function strings(o: J, key: string): void {
  if (isObj(o[key])) for (const [k, v] of Object.entries(o[key])) o[key][k] = String(v);
}

/** `owner/repo@ref` without its ref (the pin may differ); local and docker actions as they are. */
function unpinned(uses: string): string {
  return uses.startsWith('./') || uses.startsWith('docker://') ? uses : uses.replace(/@[^@]+$/, '@<ref>');
}

/** Every `owner/repo@<40-hex>` of a text. */
function shaPins(text: string): string[] {
  return [...text.matchAll(/uses: ([\w./-]+@[0-9a-f]{40})/g)].map((m) => m[1]).sort();
}

async function synthesize(result: ImportResult): Promise<{ [file: string]: string }> {
  const dir = tempProject('import');
  fs.writeFileSync(path.join(dir, 'slipway.ts'), result.source.replace(/from 'slipway';/, `from ${JSON.stringify(SRC)};`));
  // what `npx slipway pin` (network) would add for the tags no lock pins: a stand-in commit per tag
  const pins = new Map(result.pins);
  for (const key of result.unpinned) {
    if (!(key in CATALOG_LOCK)) pins.set(key, { sha: createHash('sha1').update(key).digest('hex'), version: key.slice(key.indexOf('@') + 1) });
  }
  if (pins.size > 0) fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(pins));
  const out: string[] = [];
  const err: string[] = [];
  const code = await synthCommand({ app: path.join(dir, 'slipway.ts'), check: false }, (s) => out.push(s), (s) => err.push(s));
  if (code !== 0) throw new Error(`synth failed (${code}):\n${err.join('\n')}\n${result.source}`);
  const files: { [file: string]: string } = {};
  const root = path.join(dir, '.github', 'workflows');
  for (const f of fs.readdirSync(root)) files[`.github/workflows/${f}`] = fs.readFileSync(path.join(root, f), 'utf8');
  return files;
}

describe('slipway import: the corpus round-trips', () => {
  let files: { [file: string]: string };
  beforeAll(async () => {
    files = await synthesize(imported);
  });

  test('the corpus covers the common triggers and features', () => {
    const all = CORPUS.map(read).join('\n');
    for (const needle of ['push:', 'paths:', 'tags:', 'pull_request:', 'types:', 'pull_request_target:', 'schedule:', 'workflow_dispatch:',
      'workflow_call:', 'release:', 'issue_comment:', 'workflow_run:', 'merge_group', 'include:', 'exclude:', 'services:', 'container:',
      'secrets: inherit', './.github/actions/', 'concurrency:', 'url:', '&node-setup', '*node-setup', 'run: |+', 'run: >-', 'options: >-',
      'description:', 'timezone:', 'queue: max', 'image_version:', 'code-quality:', 'cancel-timeout-minutes:', 'snapshot:', 'entrypoint:', 'deployment: false',
      'background: true', 'wait:', 'wait-all:', 'cancel:', 'parallel:']) {
      expect({ needle, found: all.includes(needle) }).toEqual({ needle, found: true });
    }
  });

  test.each(CORPUS)('%s synthesizes to the same workflow, under the same file name', (file) => {
    const synthesized = files[`.github/workflows/${file}`];
    expect(synthesized).toBeDefined();
    const original = YAML.parse(read(file), { maxAliasCount: -1 });
    const defaulted = imported.defaultedPermissions.includes(file);
    expect(canonical(YAML.parse(synthesized), false)).toEqual(canonical(original, defaulted));
  });

  test('the comparison sees a changed script, condition or trigger', () => {
    const original = canonical(YAML.parse(read('ci.yml')), false);
    for (const change of [
      (d: J) => { d.jobs.lint.steps[2].run = 'npm install'; },
      (d: J) => { d.jobs.test.if = 'github.event.pull_request.draft'; },
      (d: J) => { d.on.push.branches.pop(); },
      (d: J) => { d.jobs.test.strategy.matrix.exclude = []; },
    ]) {
      const synthesized = YAML.parse(files['.github/workflows/ci.yml']);
      change(synthesized);
      expect(canonical(synthesized, false)).not.toEqual(original);
    }
  });

  test('SHAs pinned in the originals are kept; tags become pins', () => {
    for (const file of CORPUS) {
      const synthesized = files[`.github/workflows/${file}`];
      for (const pin of shaPins(read(file))) expect(shaPins(synthesized)).toContain(pin);
      // nothing is left unpinned
      for (const m of synthesized.matchAll(/uses: ([\w./-]+)@(\S+)/g)) {
        if (!m[1].includes('.github/workflows')) expect(m[2]).toMatch(/^[0-9a-f]{40}$/);
      }
    }
    expect(imported.pins.get('actions/checkout@v5.0.0')).toEqual({ sha: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', version: 'v5.0.0' });
    expect(imported.pins.get('rhysd/actionlint@1.7.7')).toEqual({ sha: '4e683ab8014a63fa2ac3a3bc9b4e4a18f2a3b1c9', version: '1.7.7' });
    // the comment is the version, as in the original
    expect(files['.github/workflows/release.yml']).toContain('docker/metadata-action@902fa8ec7d6ecbf8d84d538b9b233a880e428804 # v5.7.0');
  });

  test('the synthesized workflows pass the validators', () => {
    expectValid({ ...files, '.github/actions/setup-kubectl/action.yml': read('actions/setup-kubectl/action.yml') });
  });

  test('import lists what differs: default permissions, SHA pinning, checkout credentials; overrides for what level 1 does not express', () => {
    expect(imported.defaultedPermissions).toEqual(['nightly.yaml']);
    const diffs = imported.differences.join('\n');
    expect(diffs).toContain('nightly.yaml: the workflow sets no "permissions"');
    expect(diffs).toContain('actions/checkout@v4 is not pinned to a commit SHA');
    expect(diffs).toContain('Actions.checkout() would add "persist-credentials: false"');
    expect(imported.overrides).toEqual(expect.arrayContaining([
      'ci.yml: concurrency.cancel-in-progress (cancel-in-progress as an expression)',
      'lint.yml: permissions (permissions as a single level)',
      'nightly.yaml: jobs.build.steps.3.continue-on-error (continue-on-error as an expression)',
      'nightly.yaml: jobs.per-os.strategy.matrix (a matrix built from expressions)',
    ]));
    expect(imported.source).toContain('matrix: Matrix.fromExpression(\'${{ fromJSON(needs.plan.outputs.shards) }}\')');
  });
});

describe('slipway import: syntax newer than the basics uses the typed props', () => {
  const only = (file: string) => importWorkflows([{ fileName: file, text: read(file) }]);

  test('modern.yml: no override; each key becomes its prop', () => {
    const r = only('modern.yml');
    expect(r.overrides).toEqual([]);
    for (const code of [
      "description: 'Rebuilds the CI runner image at night, London time, and deploys in order'",
      "Trigger.schedule('30 2 * * *', { timezone: 'Europe/London' })",
      "Trigger.schedule('0 12 * * 1')",
      "Trigger.mergeGroup({ types: ['checks_requested'], branches: ['main'] })",
      "Trigger.imageVersion({ types: ['ready'], names: ['ci-image'], versions: ['2.*'] })",
      'codeQuality: PermissionLevel.READ',
      'vulnerabilityAlerts: PermissionLevel.READ',
      "concurrency: { group: 'image-${{ github.ref }}', queue: ConcurrencyQueue.MAX }",
      'queue: ConcurrencyQueue.SINGLE',
      'cancelTimeout: Duration.minutes(10)',
      "entrypoint: 'redis-server', command: '--port 6380'",
      "snapshot: {\n    imageName: 'ci-image',\n    version: '2.*',\n    if: \"${{ !startsWith(github.ref, 'refs/tags/') }}\",\n  },",
      "snapshot: { imageName: 'tools-image' }",
      "environment: { name: 'production', deployment: false }",
      "Step.run('npm start', { id: 'server', background: true })",
      "Step.uses(Action.local('./.github/actions/monitor'), { id: 'monitor', background: true })",
      "Step.waitFor(['server', 'monitor'], { continueOnError: true })",
      "Step.cancel('monitor', { name: 'Stop the monitor' })",
      'Step.waitForAll()',
      "Step.parallel([\n      Step.run('npm run lint'),\n      Step.run('npm test', { id: 'unit', name: 'Unit', timeout: Duration.minutes(10) }),\n    ])",
    ]) expect({ code, found: r.source.includes(code) }).toEqual({ code, found: true });
    expect(r.source).toMatch(/^import \{ Action, App, ConcurrencyQueue, Duration, /m);
  });

  test('what the typed props cannot hold is still kept with an override', () => {
    const text = [
      'on:',
      '  schedule:',
      "    - cron: '0 6 * * *'",
      '      timezone: 3',
      'permissions: {}',
      'concurrency:',
      '  group: g',
      '  queue: unlimited',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: node:22',
      '      entrypoint: sh',
      '    cancel-timeout-minutes: ${{ inputs.minutes }}',
      '    snapshot:',
      '      image-name: x',
      '      size: large',
      '    steps:',
      '      - run: echo',
      '      - parallel:',
      '          - run: npm test',
      '            shell: ${{ inputs.shell }}',
      '          - background: true',
      '      - wait: []',
      '',
    ].join('\n');
    const r = importWorkflows([{ fileName: 'odd.yml', text }]);
    expect(r.overrides).toEqual([
      'odd.yml: on.schedule ("schedule" configuration the typed trigger does not express)',
      'odd.yml: concurrency (concurrency the typed props do not express)',
      'odd.yml: jobs.a.cancel-timeout-minutes (cancel-timeout-minutes as an expression)',
      'odd.yml: jobs.a.snapshot (snapshot)',
      'odd.yml: jobs.a.container (container)',
      'odd.yml: jobs.a.steps.1.parallel.1 (not a run or uses step)',
      'odd.yml: jobs.a.steps.2 (not a run or uses step)',
    ]);
  });
});

describe('slipway import: real workflows (the seed repositories) round-trip', () => {
  const SEEDS = path.join(__dirname, '../fixtures/seeds');
  // two of them need jobs that do not exist: GitHub rejects them, and so does synth
  const BROKEN = ['002-deploy-coditect.yml', '002-deploy-standalone.yml'];
  const seeds = fs.readdirSync(SEEDS).filter((f) => /\.ya?ml$/.test(f) && !BROKEN.includes(f)).sort();
  const readSeed = (f: string) => fs.readFileSync(path.join(SEEDS, f), 'utf8');
  const result = importWorkflows(seeds.map((f) => ({ fileName: f, text: readSeed(f) })));

  test('import reports the workflows GitHub would reject', () => {
    const broken = importWorkflows(BROKEN.map((f) => ({ fileName: f, text: readSeed(f) })));
    expect(broken.differences).toContain('002-deploy-coditect.yml: job "deploy-coditect" needs "unit-tests", which is not a job of this workflow: '
      + 'GitHub rejects the file as it is, and synth does too. Fix or remove the need');
    expect(result.differences.join('\n')).not.toContain('which is not a job of this workflow');
  });
  let files: { [file: string]: string };
  beforeAll(async () => {
    files = await synthesize(result);
  });

  test.each(seeds)('%s', (file) => {
    const original = YAML.parse(readSeed(file), { maxAliasCount: -1 });
    expect(canonical(YAML.parse(files[`.github/workflows/${file}`]), false)).toEqual(canonical(original, result.defaultedPermissions.includes(file)));
  });

  test('they pass the validators', () => {
    expectValid(files);
  });
});

describe('slipway import: the generated definition', () => {
  const source = imported.source;

  test('uses the level-1 API idiomatically: catalog factories at the catalog major, Action.of otherwise, typed inputs', () => {
    expect(source).toContain("import { Action, Actions, App, ConcurrencyQueue, DispatchInput, Duration, Matrix, NotASecret, PermissionLevel, RunsOn, ServiceContainer, Step, Trigger, Workflow, WorkflowCallInput } from 'slipway';");
    expect(source).toContain("Actions.setupNode({ nodeVersion: '22', cache: 'npm' })");
    expect(source).toContain("Actions.checkout({ persistCredentials: false }, { version: 'v5.0.0' })");
    expect(source).toContain("Action.of('actions/setup-python', 'v5')");
    expect(source).toContain("DispatchInput.choice(['stable', 'beta', 'nightly'], { description: 'Release channel', default: 'stable' })");
    expect(source).toContain('uses: deployReusable.localReference');
    expect(source).toContain("new Workflow(app, 'nightly', {");
    expect(source).toContain("fileName: 'nightly.yaml'");
    expect(source).toContain("    Trigger.schedule('0 3 * * *'),\n    Trigger.schedule('30 4 * * 1-5'),");
    expect(source).toContain("RunsOn.group('large-runners', ['linux', 'x64'])");
  });

  test('scripts are readable: template literals, and line lists where the script holds backticks or ${; no escape noise', () => {
    expect(source).not.toMatch(/\\`|\\\$\{/);
    // a template literal: the script as written, no escapes
    expect(source).toContain([
      '    Step.run(`npm run lint -- --format stylish',
      'npx prettier --check "src/**/*.ts"',
      "`, { name: 'Lint' }),",
    ].join('\n'));
    // `|+` keeps its trailing blank lines
    expect(source).toContain('cat coverage/summary.txt\n\n\n`');
    // backticks and ${ in a script: one literal per line
    expect(source).toContain("      'echo \"Triggered by `whoami` on ${{ github.repository }}\"',");
    expect(source).toContain("          'core.notice(`Deploying to ${env}`);',");
    // backslashes: String.raw
    expect(source).toContain('Step.run(String.raw`echo C:\\path\\to\\file`)');
  });

  test('every string literal it writes evaluates to the original text', () => {
    const texts = ['plain', "it's", 'say "hi"', 'both \' and "', 'C:\\dir\\', 'a\\b', '`tick`', '${HOME}', "'${x}' \"y\" \\ `z`", 'tab\there',
      'multi\nline\n', 'multi `tick`\n${{ x }}\n', 'multi\\\nback\\slash\n', 'ends\nwith\\', '\n\n', 'unicode ✓\n', '\u2028'];
    for (const t of texts) {
      const literal = str(t).split('\u0000').join('');
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      expect({ literal, value: new Function(`return ${literal};`)() }).toEqual({ literal, value: t });
      expect(literal).not.toMatch(/\\`|\\\$\{/);
    }
  });

  test('compiles under tsc --strict (the corpus and the seed workflows)', () => {
    // one tsc run: the corpus's definition and the seeds'
    const dir = tempDir('import-tsc');
    fs.writeFileSync(path.join(dir, 'slipway.ts'), source);
    const seeds = path.join(__dirname, '../fixtures/seeds');
    fs.writeFileSync(path.join(dir, 'seeds.ts'), importWorkflows(fs.readdirSync(seeds).filter((f) => f.endsWith('.yml'))
      .map((f) => ({ fileName: f, text: fs.readFileSync(path.join(seeds, f), 'utf8') }))).source);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node',
        skipLibCheck: true,
        types: ['node'],
        baseUrl: '.',
        paths: { slipway: [path.join(SRC, 'index.ts')], constructs: [path.join(REPO, 'node_modules/constructs')] },
        typeRoots: [path.join(REPO, 'node_modules/@types')],
      },
      files: ['slipway.ts', 'seeds.ts'],
    }));
    const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});

describe('slipway import: what it reports', () => {
  test('a script that interpolates untrusted input: slipway will move it into env, and import says so', () => {
    const r = importWorkflows([{
      fileName: 'greet.yml',
      text: [
        'on: issues',
        'permissions: {}',
        'jobs:',
        '  greet:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "Thanks for ${{ github.event.issue.title }}"',
      ].join('\n'),
    }]);
    expect(r.differences.join('\n')).toContain('greet.yml: job "greet" step 1: slipway moves the untrusted expressions of its script into the step\'s env');
    expect(r.source).toContain("import { App, Step, Trigger, Workflow } from 'slipway';");
    expect(r.source).toContain("new Workflow(app, 'greet', { triggers: [Trigger.event('issues')], permissions: {} });");
  });

  test('a literal under a secret\'s name is kept as NotASecret.value and listed; a value shaped like a credential is left for synth to refuse', async () => {
    const text = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    services:',
      '      db:',
      '        image: postgres:15',
      '        env:',
      '          POSTGRES_PASSWORD: testing',
      '    steps:',
      '      - run: pytest',
      '        env:',
      '          SECRET_KEY: not-so-secret-test-key',
    ].join('\n');
    const r = importWorkflows([{ fileName: 'tests.yml', text }]);
    expect(r.source).toContain("POSTGRES_PASSWORD: NotASecret.value('testing')");
    expect(r.source).toContain("SECRET_KEY: NotASecret.value('not-so-secret-test-key')");
    expect(r.differences.filter((d) => d.includes('NotASecret.value')).length).toBe(2);
    const files = await synthesize(r);
    expect(canonical(YAML.parse(files['.github/workflows/tests.yml']), false)).toEqual(canonical(YAML.parse(text), false));

    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
    const leaked = importWorkflows([{ fileName: 'leak.yml', text: text.replace('not-so-secret-test-key', token) }]);
    expect(leaked.source).toContain(`SECRET_KEY: '${token}'`);
    expect(leaked.differences.join('\n')).toContain('env SECRET_KEY: the value looks like a real credential');
  });

  test('keys level 1 does not model are kept with addOverride, and listed; the result synthesizes to the same workflow', async () => {
    const text = [
      'on:',
      '  push:',
      '    branches: main',
      'permissions: write-all',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      "    continue-on-error: ${{ github.event_name == 'push' }}",
      '    steps:',
      '      - run: make',
      '        timeout-minutes: ${{ github.run_attempt }}',
    ].join('\n');
    const r = importWorkflows([{ fileName: 'odd.yml', text }]);
    expect(r.source).toContain('triggers: [Trigger.push()]');
    expect(r.source).toContain("odd.addOverride('on.push', { branches: 'main' });");
    expect(r.source).toContain("odd.addOverride('jobs.a.continue-on-error', \"${{ github.event_name == 'push' }}\");");
    expect(r.source).toContain("odd.addOverride('jobs.a.steps.0.timeout-minutes', '${{ github.run_attempt }}');");
    expect(r.source).toContain("odd.addOverride('permissions', 'write-all');");
    expect(r.overrides).toEqual([
      'odd.yml: on.push ("push" configuration the typed trigger does not express)',
      'odd.yml: permissions (permissions as a single level)',
      'odd.yml: jobs.a.continue-on-error (continue-on-error as an expression)',
      'odd.yml: jobs.a.steps.0.timeout-minutes (timeout-minutes as an expression)',
    ]);
    const files = await synthesize(r);
    expect(canonical(YAML.parse(files['.github/workflows/odd.yml']), false)).toEqual(canonical(YAML.parse(text), false));
  });
});

describe('slipway import: dependabot.yml', () => {
  const text = read('dependabot/dependabot.yml');

  test('becomes the Dependabot construct and synthesizes to the same configuration', async () => {
    const result = importWorkflows([{ fileName: 'lint.yml', text: read('lint.yml') }, { fileName: 'dependabot.yml', text }]);
    expect(result.source).toContain([
      "new Dependabot(app, 'dependabot', {",
      '  githubActions: false,',
      '  updates: [',
      '    { ecosystem: DependabotEcosystem.GITHUB_ACTIONS, groupMinorAndPatch: true },',
    ].join('\n'));
    const dir = tempProject('import-dependabot');
    fs.writeFileSync(path.join(dir, 'slipway.ts'), result.source.replace(/from 'slipway';/, `from ${JSON.stringify(SRC)};`));
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(result.pins));
    const err: string[] = [];
    expect(await synthCommand({ app: path.join(dir, 'slipway.ts'), check: false, quiet: true }, () => undefined, (s) => err.push(s))).toBe(0);
    // warnings only: Action.of names no permission scopes (import cannot know them)
    expect(err.filter((e) => !e.startsWith('slipway: warning: '))).toEqual([]);
    const synthesized = fs.readFileSync(path.join(dir, '.github/dependabot.yml'), 'utf8');
    const byKey = (d: J) => d.updates.map((u: J) => ({ directory: '/', ...u })).sort((a: J, b: J) => `${a['package-ecosystem']}${a.directory}`.localeCompare(`${b['package-ecosystem']}${b.directory}`));
    expect(byKey(YAML.parse(synthesized))).toEqual(byKey(YAML.parse(text)));
    expectValid({ '.github/dependabot.yml': synthesized, '.github/workflows/lint.yml': fs.readFileSync(path.join(dir, '.github/workflows/lint.yml'), 'utf8') });
  });

  test('settings the construct does not model are refused, each named', () => {
    const odd = text.replace('    open-pull-requests-limit: 5\n', '    open-pull-requests-limit: 5\n    ignore:\n      - dependency-name: react\n')
      .replace('schedule: { interval: monthly }', 'schedule: { interval: monthly, day: monday }');
    expect(() => importWorkflows([{ fileName: 'dependabot.yml', text: odd }])).toThrow(
      'dependabot.yml: the Dependabot construct does not model updates[1].ignore, updates[2].schedule; import the workflows without dependabot.yml and keep it hand-written');
  });
});

describe('slipway import (command)', () => {
  function cli(files: string[], out: string, force = false) {
    const o: string[] = [];
    const e: string[] = [];
    const code = importCommand({ files, out, force }, (s) => o.push(s), (s) => e.push(s));
    return { code, out: o.join('\n'), err: e.join('\n') };
  }

  test('writes the definition and merges the pins into slipway.lock.json next to it', () => {
    const dir = tempDir('import-cli');
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map([
      ['acme/tool@v1', { sha: 'a'.repeat(40), version: 'v1.0.0' }],
      ['rhysd/actionlint@1.7.7', { sha: 'b'.repeat(40), version: '1.7.7' }],
    ])));
    const res = cli([path.join(FIXTURES, 'lint.yml'), path.join(FIXTURES, 'ci.yml')], path.join(dir, 'slipway.ts'));
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain('(2 workflows)');
    expect(res.out).toContain(`replaced rhysd/actionlint@1.7.7: ${'b'.repeat(40)} -> 4e683ab8014a63fa2ac3a3bc9b4e4a18f2a3b1c9`);
    expect(res.out).toContain('Kept exactly with addOverride');
    expect(res.out).toContain('lint.yml: permissions (permissions as a single level)');
    expect(fs.readFileSync(path.join(dir, 'slipway.ts'), 'utf8')).toContain("new Workflow(app, 'lint', {");
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'slipway.lock.json'), 'utf8')).actions).toEqual({
      'acme/tool@v1': { sha: 'a'.repeat(40), version: 'v1.0.0' },
      'actions/checkout@v5.0.0': { sha: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', version: 'v5.0.0' },
      'rhysd/actionlint@1.7.7': { sha: '4e683ab8014a63fa2ac3a3bc9b4e4a18f2a3b1c9', version: '1.7.7' },
    });
    // an existing definition is kept unless --force
    const again = cli([path.join(FIXTURES, 'lint.yml')], path.join(dir, 'slipway.ts'));
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists; pass --out <another file>, or --force to overwrite it');
    expect(cli([path.join(FIXTURES, 'lint.yml')], path.join(dir, 'slipway.ts'), true).code).toBe(0);
  });

  test('a file that is not a workflow is an error naming it, and nothing is written', () => {
    const dir = tempDir('import-bad');
    fs.writeFileSync(path.join(dir, 'bad.yml'), 'name: x\n');
    const res = cli([path.join(dir, 'bad.yml')], path.join(dir, 'slipway.ts'));
    expect(res.code).toBe(2);
    expect(res.err).toContain('bad.yml: not a GitHub Actions workflow');
    expect(fs.existsSync(path.join(dir, 'slipway.ts'))).toBe(false);
  });

  test('is registered: --help prints its usage, unknown options are usage errors', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    const errWrite = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
    try {
      expect(await run(['import', '--help'])).toBe(0);
      expect(await run(['import', '--outt', 'x.ts'])).toBe(2);
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
    const text = out.join('');
    expect(text).toContain('Usage: slipway import [workflow.yml ...] [--out FILE] [--force]');
    expect(text).toContain('unknown option "--outt"; did you mean "--out"?');
  });
});
