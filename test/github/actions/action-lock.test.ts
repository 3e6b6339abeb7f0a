import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { App, Testing } from '../../../src/core';
import { HeaderStyle, SynthesisSession } from '../../../src/core/synthesis';
import { Action, ActionLock } from '../../../src/github/actions';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

function appWithLockFile(content: string): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lock-'));
  fs.writeFileSync(path.join(outdir, 'slipway.lock.json'), content);
  return new App({ outdir });
}

/** Contributes a file listing the references of its actions, resolved at synth like a workflow does. */
class Uses extends Construct {
  constructor(scope: Construct, id: string, private readonly actions: Action[]) {
    super(scope, id);
  }

  public _synthesize(session: SynthesisSession): void {
    session.addText(this, `${this.node.id}.txt`, this.actions.map((a) => a._reference(this).uses).join('\n'), HeaderStyle.NONE);
  }
}

describe('ActionLock', () => {
  test('layers: code entries win over the lock file, which wins over the catalog', () => {
    const app = appWithLockFile(JSON.stringify({
      actions: {
        'acme/deploy@v2': { sha: SHA_B, version: 'v2.0.1' },
        'actions/checkout@v4': { sha: SHA_B, version: 'v4.9.0' },
      },
    }));
    new ActionLock(app, 'ActionLock', { entries: { 'acme/deploy@v2': { sha: SHA_C, version: 'v2.0.2' } } });
    const scope = new Construct(app, 'ci');
    expect(Action.of('acme/deploy', 'v2')._reference(scope)).toEqual({ uses: `acme/deploy@${SHA_C}`, comment: ' v2.0.2' });
    expect(Action.of('actions/checkout', 'v4')._reference(scope)).toEqual({ uses: `actions/checkout@${SHA_B}`, comment: ' v4.9.0' });
    expect(Action.of('actions/checkout', 'v5')._reference(scope).comment).toBe(' v5.1.0');
  });

  test('addEntry pins an action given in code; keys are case-insensitive in owner/repo', () => {
    const app = Testing.app();
    ActionLock.of(app).addEntry('Azure/k8s-set-context@v4', { sha: SHA_A, version: 'v4.0.1' });
    expect(Action.of('azure/k8s-set-context', 'v4')._reference(new Construct(app, 'ci'))).toEqual({ uses: `azure/k8s-set-context@${SHA_A}`, comment: ' v4.0.1' });
  });

  test('ActionLock.of returns the App\'s one lock, creating it on first use', () => {
    const app = Testing.app();
    const created = new ActionLock(app, 'Pins');
    expect(ActionLock.of(new Construct(new Construct(app, 'ci'), 'job'))).toBe(created);
    const other = Testing.app();
    const lazy = ActionLock.of(other);
    expect(lazy.node.path).toBe('ActionLock');
    expect(ActionLock.of(other)).toBe(lazy);
  });

  test('rejects a second lock and a lock below the App', () => {
    const app = Testing.app();
    new ActionLock(app, 'ActionLock');
    expect(() => new ActionLock(app, 'Another')).toThrow(/\[Another\] the App already has an ActionLock \("ActionLock"\)/);
    expect(() => new ActionLock(new Construct(app, 'ci'), 'Lock')).toThrow(/\[ci\/Lock\] an ActionLock must be a direct child of the App/);
  });

  test.each([
    ['actions/checkout', { sha: SHA_A, version: 'v4.0.0' }, /lock entry "actions\/checkout" must be "owner\/repo@version"/],
    ['actions/checkout@v4', { sha: 'abc', version: 'v4.0.0' }, /lock entry "actions\/checkout@v4" has sha "abc", which is not a full commit SHA \(40 lowercase hex digits\); run `npx slipway pin actions\/checkout@v4`/],
    ['actions/checkout@v4', { sha: SHA_A, version: '' }, /has version ""; it must be the tag of the pinned commit/],
  ])('addEntry(%j) is rejected with the path and the fix', (ref, entry, message) => {
    const lock = new ActionLock(Testing.app(), 'ActionLock');
    expect(() => lock.addEntry(ref, entry)).toThrow(message);
    expect(() => lock.addEntry(ref, entry)).toThrow(/^\[ActionLock\] /);
  });

  test('a lock file path can be given, relative to the outdir', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lock-'));
    fs.mkdirSync(path.join(outdir, 'ci'));
    fs.writeFileSync(path.join(outdir, 'ci', 'pins.json'), JSON.stringify({ actions: { 'acme/deploy@v2': { sha: SHA_A, version: 'v2.1.0' } } }));
    const app = new App({ outdir });
    new ActionLock(app, 'ActionLock', { file: 'ci/pins.json' });
    expect(Action.of('acme/deploy', 'v2')._reference(new Construct(app, 'ci')).uses).toBe(`acme/deploy@${SHA_A}`);
  });
});

describe('an invalid lock file fails synth, naming the file and the fix', () => {
  test.each([
    ['{ not json', /\[ActionLock\] slipway\.lock\.json is not valid JSON .*; fix it or delete it and run `npx slipway pin`/],
    ['[]', /slipway\.lock\.json must be a JSON object with an "actions" map/],
    [JSON.stringify({ actions: { 'actions/checkout@v4': { sha: 'main', version: 'v4' } } }), /slipway\.lock\.json: entry "actions\/checkout@v4" has sha "main", which is not a full commit SHA/],
    [JSON.stringify({ actions: { 'Actions/Checkout@v4': { sha: SHA_A, version: 'v4' } } }), /entry "Actions\/Checkout@v4" is not a valid key; use "owner\/repo@version" with owner and repo in lower case/],
    [JSON.stringify({ actions: {}, lockfileVersion: 2 }), /has lockfileVersion 2, but this slipway reads version 1/],
  ])('%s', (content, message) => {
    const app = appWithLockFile(content);
    new Uses(app, 'uses', [Action.of('actions/checkout', 'v4')]);
    expect(() => Testing.synth(app)).toThrow(message);
  });
});

test('an invalid lock file is reported once, before rendering, when the lock exists before synth', () => {
  const app = appWithLockFile('{ not json');
  ActionLock.of(app);
  new Uses(app, 'a', [Action.of('actions/checkout', 'v4'), Action.of('actions/setup-python', 'v5')]);
  new Uses(app, 'b', [Action.of('actions/checkout', 'v5')]);
  let message = '';
  try {
    Testing.synth(app);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/^\[ActionLock\] slipway\.lock\.json is not valid JSON/);
  expect(message.match(/not valid JSON/g)).toHaveLength(1);
});

describe('synth', () => {
  test('reports every unpinned action with the path of the construct that uses it', () => {
    const app = Testing.app();
    const ci = new Construct(app, 'ci');
    new Uses(ci, 'build', [Action.of('actions/checkout', 'v4'), Action.of('acme/build', 'v1')]);
    new Uses(ci, 'deploy', [Action.of('acme/deploy', 'v2')]);
    expect(() => Testing.synth(app)).toThrow(/2 problems:\n {2}- \[ci\/build\] action "acme\/build@v1" is not pinned.*\n {2}- \[ci\/deploy\] action "acme\/deploy@v2" is not pinned/);
  });

  test('renders pinned references', () => {
    const app = Testing.app();
    new Uses(app, 'build', [Action.of('actions/checkout', 'v4'), Action.local('./.github/actions/x'), Action.docker('alpine:3.20')]);
    expect(Testing.synth(app)['build.txt']).toBe('actions/checkout@11d5960a326750d5838078e36cf38b85af677262\n./.github/actions/x\ndocker://alpine:3.20\n');
  });
});
