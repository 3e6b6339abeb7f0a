import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { renderUses } from './render-uses';
import { App, Testing } from '../../../src/core';
import { SlipwayError } from '../../../src/core/errors';
import { toYaml } from '../../../src/core/yaml';
import { Job, Step, Trigger, Workflow } from '../../../src/github';
import { Action, ActionLock, Actions } from '../../../src/github/actions';

const CHECKOUT_V4 = '11d5960a326750d5838078e36cf38b85af677262';
const SHA_A = 'a'.repeat(40);

/** A job-like construct to resolve references from. */
function scope(app: App = Testing.app()): Construct {
  const workflow = app.node.tryFindChild('ci') ?? new Construct(app, 'ci');
  return new Construct(workflow, `build${workflow.node.children.length || ''}`);
}

describe('Action.of', () => {
  test('renders owner/repo@<40-hex> with the full version as the comment', () => {
    const ref = Action.of('actions/checkout', 'v4')._reference(scope());
    expect(ref).toEqual({ uses: `actions/checkout@${CHECKOUT_V4}`, comment: ' v4.4.0' });
    expect(ref.uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
  });

  test('the comment renders as `# vX.Y.Z` after the pinned reference', () => {
    const ref = Action.of('actions/checkout', 'v4')._reference(scope());
    expect(toYaml({ steps: [{ uses: renderUses(ref) }] })).toBe(`steps:\n  - uses: actions/checkout@${CHECKOUT_V4} # v4.4.0\n`);
  });

  test('an action in a sub-directory is pinned by its repository', () => {
    const ref = Action.of('github/codeql-action/upload-sarif', 'v3')._reference(scope());
    expect(ref).toEqual({ uses: 'github/codeql-action/upload-sarif@dd903d2e4f5405488e5ef1422510ee31c8b32357', comment: ' v3.36.2' });
  });

  test('a full version matches the entry whose pinned version it is', () => {
    expect(Action.of('actions/checkout', 'v4.4.0')._reference(scope())).toEqual({ uses: `actions/checkout@${CHECKOUT_V4}`, comment: ' v4.4.0' });
  });

  test('owner and repository are matched case-insensitively, and rendered as written', () => {
    const ref = Action.of('CodelyTV/pr-size-labeler', 'v1')._reference(scope());
    expect(ref.uses).toBe('CodelyTV/pr-size-labeler@19c335e7695ba922de938806dd129f0a9b992644');
  });

  test('an inline sha is used as is, with the version as the comment', () => {
    expect(Action.of('acme/deploy', 'v2', { sha: SHA_A })._reference(scope())).toEqual({ uses: `acme/deploy@${SHA_A}`, comment: ' v2' });
  });

  test('an unpinned third-party action is an error naming the construct path and the fixes', () => {
    const action = Action.of('acme/deploy', 'v2');
    let error: unknown;
    try {
      action._reference(scope());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    const message = (error as Error).message;
    expect(message).toMatch(/^\[ci\/build\] action "acme\/deploy@v2" is not pinned to a commit SHA/);
    expect(message).toContain('`npx slipway pin acme/deploy@v2`');
    expect(message).toContain('slipway.lock.json');
    expect(message).toContain('{ allowUnpinned: true }');
  });

  test('an unknown version of a catalog action is not pinned either', () => {
    expect(() => Action.of('actions/checkout', 'v4.2.2')._reference(scope())).toThrow(/\[ci\/build\] action "actions\/checkout@v4.2.2" is not pinned/);
  });

  test('first-party actions are pinned too (safe by default)', () => {
    expect(() => Action.of('actions/labeler', 'v5')._reference(scope())).toThrow(/not pinned/);
    expect(() => Action.of('github/super-linter', 'v7')._reference(scope())).toThrow(/not pinned/);
  });

  test('allowUnpinned renders owner/repo@version without a comment', () => {
    expect(Action.of('acme/deploy', 'v2', { allowUnpinned: true })._reference(scope())).toEqual({ uses: 'acme/deploy@v2', comment: ' slipway-audit: ignore[unpinned-uses] (allowUnpinned)' });
  });

  test('allowUnpinned still uses a pin when a lock has one', () => {
    expect(Action.of('actions/checkout', 'v4', { allowUnpinned: true })._reference(scope()).uses).toBe(`actions/checkout@${CHECKOUT_V4}`);
  });

  test.each([
    ['checkout', 'v4', /repository "checkout" is invalid; use "owner\/repo"/],
    ['actions/checkout@v4', 'v4', /repository "actions\/checkout@v4" is invalid/],
    ['./local', 'v1', /Action.local/],
    ['actions/checkout', '', /version must be a tag or branch name/],
    ['actions/checkout', 'v 4', /version must be a tag or branch name/],
    ['actions/checkout', CHECKOUT_V4, /the version is a commit SHA; pass the tag it belongs to as the version and the SHA as \{ sha:/],
  ])('rejects Action.of(%j, %j)', (repository, version, message) => {
    expect(() => Action.of(repository, version)).toThrow(message);
  });

  test.each([
    ['abc123'],
    ['A'.repeat(40)],
    ['a'.repeat(41)],
  ])('rejects the inline sha %j', (sha) => {
    expect(() => Action.of('acme/deploy', 'v2', { sha })).toThrow(/is not a full commit SHA; give all 40 lowercase hex digits/);
  });
});

describe('Action.local and Action.docker', () => {
  test('a local action renders its path and needs no pin', () => {
    const action = Action.local('./.github/actions/build');
    expect(action.repository).toBe('');
    expect(action._reference(scope())).toEqual({ uses: './.github/actions/build' });
  });

  test('a docker action renders docker://, with or without the prefix given', () => {
    expect(Action.docker('docker://alpine:3.20')._reference(scope())).toEqual({ uses: 'docker://alpine:3.20' });
    expect(Action.docker('alpine:3.20')._reference(scope())).toEqual({ uses: 'docker://alpine:3.20' });
    expect(Action.docker('docker://alpine:3.20').repository).toBe('');
  });

  test('rejects malformed local paths and images', () => {
    expect(() => Action.local('.github/actions/build')).toThrow(/must start with "\.\/"/);
    expect(() => Action.docker('docker://')).toThrow(/Action.docker: image "docker:\/\/" is invalid/);
  });
});

describe('inputs, env and permissions', () => {
  test('withInputs, withEnv and withPermissions return new actions and leave the original alone', () => {
    const base = Action.of('acme/deploy', 'v2', { inputs: { a: 1 }, env: { X: 'x' }, permissions: { contents: 'read' } });
    const more = base.withInputs({ b: true, a: 2 }).withEnv({ Y: 'y' }).withPermissions({ 'id-token': 'write' });
    expect(more.inputs).toEqual({ a: 2, b: true });
    expect(more.env).toEqual({ X: 'x', Y: 'y' });
    expect(more.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(base.inputs).toEqual({ a: 1 });
    expect(base.env).toEqual({ X: 'x' });
    expect(base.permissions).toEqual({ contents: 'read' });
    expect(more.toString()).toBe('acme/deploy@v2');
  });

  test('a copy keeps the pinning options', () => {
    expect(Action.of('acme/deploy', 'v2', { sha: SHA_A }).withInputs({ a: 1 })._reference(scope()).uses).toBe(`acme/deploy@${SHA_A}`);
    expect(Action.of('acme/deploy', 'v2', { allowUnpinned: true }).withEnv({ A: 'a' })._reference(scope()).uses).toBe('acme/deploy@v2');
  });

  test('catalog options add permissions and change the version', () => {
    const action = Actions.checkout({}, { version: 'v4', permissions: { statuses: 'write' } });
    expect(action.version).toBe('v4');
    expect(action.permissions).toEqual({ contents: 'read', statuses: 'write' });
    expect(action._reference(scope()).comment).toBe(' v4.4.0');
  });
});

describe('the user lock file', () => {
  test('is read from the App outdir and wins over the catalog', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lock-'));
    fs.writeFileSync(path.join(outdir, 'slipway.lock.json'), JSON.stringify({
      actions: {
        'actions/checkout@v4': { sha: SHA_A, version: 'v4.9.9' },
        'acme/deploy@v2': { sha: 'b'.repeat(40), version: 'v2.0.1' },
      },
      lockfileVersion: 1,
    }));
    const app = new App({ outdir });
    expect(Action.of('actions/checkout', 'v4')._reference(scope(app))).toEqual({ uses: `actions/checkout@${SHA_A}`, comment: ' v4.9.9' });
    expect(Action.of('acme/deploy', 'v2')._reference(scope(app))).toEqual({ uses: `acme/deploy@${'b'.repeat(40)}`, comment: ' v2.0.1' });
    // versions the user lock does not have still come from the catalog
    expect(Action.of('actions/checkout', 'v5')._reference(scope(app)).comment).toBe(' v5.1.0');
    expect(ActionLock.of(app).file).toBe(path.join(outdir, 'slipway.lock.json'));
  });

  test('Testing.app() reads no lock file', () => {
    const app = Testing.app();
    expect(fs.existsSync(ActionLock.of(app).file!)).toBe(false);
    expect(() => Action.of('acme/deploy', 'v2')._reference(scope(app))).toThrow(/not pinned/);
  });
});

describe('actions that declare no permission scopes', () => {
  test('a workflow warns about each, naming the step and the fix; declared, catalog and local actions are quiet', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    new Job(wf, 'build', {
      steps: [
        Step.uses(Actions.checkout()),
        Step.uses(Action.of('some/labeler', 'v1', { sha: SHA_A }).withInputs({ x: 1 }), { name: 'Label' }),
        Step.uses(Action.of('some/quiet', 'v1', { sha: SHA_A, permissions: {} })),
        Step.uses(Action.of('some/commenter', 'v2', { sha: SHA_A }).withPermissions({ 'pull-requests': 'write' })),
        Step.uses(Action.local('./.github/actions/x')),
      ],
    });
    expect(Testing.warnings(app)).toEqual([
      '[ci] job "build" step 2 ("Label") uses "some/labeler@v1", which declares no permission scopes; the job\'s token has only the job\'s scopes. '
        + 'Declare what it needs, e.g. Action.of(\'some/labeler\', \'v1\', { permissions: { \'pull-requests\': \'write\' } }), or { permissions: {} } if it needs none',
    ]);
    // a warning does not stop synthesis
    expect(Object.keys(Testing.synth(app))).toEqual(['.github/workflows/ci.yml']);
  });
});

test('a job that runs git push after a checkout that keeps no credentials gets a warning', () => {
  const app = Testing.app();
  const wf = new Workflow(app, 'tag', { triggers: [Trigger.push()] });
  new Job(wf, 'tag', { steps: [Step.uses(Actions.checkout()), Step.run('git tag v1\ngit push origin v1', { name: 'Tag' })] });
  new Job(wf, 'kept', { steps: [Step.uses(Actions.checkout({ persistCredentials: true })), Step.run('git push origin v1')] });
  expect(Testing.warnings(app)).toEqual([
    '[tag] job "tag" step 2 ("Tag") runs "git push", but the job\'s checkout keeps no credentials (slipway\'s default); pass Actions.checkout({ persistCredentials: true }) if the push relies on them',
  ]);
});
