import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempProject } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'slipway');

const slipway = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

/** A project whose slipway.ts has these lines (line 1 is the import). */
function project(...lines: string[]): string {
  const dir = tempProject('errors');
  fs.writeFileSync(path.join(dir, 'slipway.ts'), [
    "import { App, CloudRunService, Job, Pipeline, Step, Trigger, Workflow } from 'slipway';",
    ...lines,
  ].join('\n') + '\n');
  return dir;
}

const files = (dir: string) => fs.readdirSync(dir);

describe('an error the definition throws: file:line of the user\'s source and one line, the stack only with --verbose', () => {
  const dir = project(
    '',
    'interface Shape { readonly n: number }',
    'const app = new App();',
    'function matrix(s: Shape): number {',
    "  if (s.n > 1) throw new Error('the build matrix is empty\\nsecond line');",
    '  return s.n;',
    '}',
    'matrix({ n: 2 });',
    'app.synth();',
  );

  test('from the definition\'s folder', () => {
    const r = slipway(dir, 'synth');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('slipway: slipway.ts failed; nothing was written:\n'
      + '  slipway.ts:6: the build matrix is empty …\n'
      + '  run with --verbose to see the stack\n');
    expect(files(dir)).toEqual(['slipway.ts']);
  });

  test('from a subfolder, the location is relative to where slipway runs', () => {
    const sub = path.join(dir, 'src');
    fs.mkdirSync(sub, { recursive: true });
    expect(slipway(sub, 'synth').stderr).toContain(`  ${path.join('..', 'slipway.ts')}:6: the build matrix is empty`);
  });

  test('--verbose adds the stack, starting in the user\'s function', () => {
    const r = slipway(dir, 'synth', '--verbose');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('  slipway.ts:6: the build matrix is empty …\n');
    expect(r.stderr).toMatch(/\n {4}at matrix \(.*slipway\.ts:6:\d+\)\n/);
    expect(r.stderr).not.toContain('run with --verbose');
  });

  test('graph reports it the same way', () => {
    const r = slipway(dir, 'graph');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('  slipway.ts:6: the build matrix is empty …\n');
  });

  test('a TypeError of the user\'s own code keeps its name', () => {
    const d = project('const app = new App();', 'const x: any = undefined;', 'x.go();', 'app.synth();');
    expect(slipway(d, 'synth').stderr).toContain("  slipway.ts:4: TypeError: Cannot read properties of undefined (reading 'go')\n");
  });

  test('an error slipway raises while the definition constructs names the line that constructed it', () => {
    const d = project(
      'const app = new App();',
      "const wf = new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })] });",
      "new Job(wf, 'build', { steps: [Step.run('echo')] });",
      "new Job(wf, 'build', { steps: [Step.run('echo')] });",
      'app.synth();',
    );
    const r = slipway(d, 'synth');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('slipway: slipway.ts is invalid; nothing was written:\n'
      + '  [ci] job id "build" is already used in workflow "ci"; job ids must be unique within a workflow. Rename one of the jobs\n'
      + '  at slipway.ts:5\n');
  });
});

describe('slipway\'s internal errors never leak as raw text', () => {
  test('a wrong-typed value found while synthesizing: the likely cause, no internal names; the stack with --verbose', () => {
    const d = project(
      'const app = new App();',
      // an object is taken for a Trigger (TypeScript types classes by their shape), and fails only when it is rendered
      "const wf = new Workflow(app, 'ci', { triggers: [{} as any] });",
      "new Job(wf, 'build', { steps: [Step.run('echo')] });",
      'app.synth();',
    );
    const r = slipway(d, 'synth');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^slipway: slipway\.ts failed inside slipway; nothing was written:\n {2}slipway failed on a value it was given \(TypeError inside slipway while synthesizing\); most likely a value of the wrong type that TypeScript did not catch/);
    expect(r.stderr).toContain('run with --verbose to see the stack; if the values are right, report this as a bug of slipway');
    expect(r.stderr).not.toMatch(/_problems|is not a function|is not iterable|\/lib\//);
    const verbose = slipway(d, 'synth', '--verbose');
    expect(verbose.stderr).toMatch(/\n {4}at _?Workflow\.\w+ \(.*(?:workflow|slipway)\.js:\d+:\d+\)\n/);
    expect(files(d)).toEqual(['slipway.ts']);
  });

  test('a wrong-typed value used while the definition constructs: the user\'s line', () => {
    const d = project(
      'const app = new App();',
      "new CloudRunService(app, 'svc', { application: {} as any, project: 'acme-prod', region: 'us-central1', environment: 'production' });",
      'app.synth();',
    );
    const r = slipway(d, 'synth');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('  slipway.ts:3: slipway failed on a value it was given (TypeError inside slipway, called from here);');
    expect(r.stderr).not.toMatch(/is not a function|Cannot read|\/lib\//);
    expect(files(d)).toEqual(['slipway.ts']);
  });

  test('a value of the wrong type that the props\' types rule out is a problem with the construct path, listed with the others', () => {
    const d = project(
      'const app = new App();',
      "const wf = new Workflow(app, 'ci', { triggers: ['push' as any, Trigger.schedule(5 as any)] });",
      "new Job(wf, 'build', { steps: [Step.run('echo', { env: { N: 1 as any } })], timeout: 30 as any });",
      'app.synth();',
    );
    const r = slipway(d, 'synth');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('slipway: slipway.ts is invalid; nothing was written:\n'
      + '  Trigger.schedule() cron must be a string, not the number 5\n'
      + '  at slipway.ts:3\n');
    fs.writeFileSync(path.join(d, 'slipway.ts'), fs.readFileSync(path.join(d, 'slipway.ts'), 'utf8').replace('Trigger.schedule(5 as any)', "Trigger.schedule('0 5 * * 1')"));
    const all = slipway(d, 'synth');
    expect(all.stderr).toBe('slipway: slipway.ts is invalid; nothing was written:\n'
      + '  [ci] Workflow props.triggers[0] must be a Trigger (e.g. Trigger.event(...)), not the string "push"\n'
      + '  [ci/build] Job props.timeout must be a Duration (e.g. Duration.hours(...)), not the number 30\n'
      + '  [ci/build] Step.run() options.env.N must be a string, not the number 1\n');
    expect(files(d)).toEqual(['slipway.ts']);
  });
});
