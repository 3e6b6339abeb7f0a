import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Testing } from '../../../src/core';
import { Action, ActionLock, Actions, Step, Trigger, Workflow } from '../../../src/github';
import { CatalogOptions } from '../../../src/github/actions/catalog/catalog-options';
import { CATALOG_METADATA } from '../../../src/github/actions/catalog/metadata.generated';
import { CATALOG_LOCK } from '../../../src/github/actions/catalog-lock';
import { expectValid } from '../../support/harness';
import { synthProblems } from '../../support/synth-problems';

const SRC = path.resolve(__dirname, '../../../src/github/actions');
const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, 'catalog-verification.json'), 'utf8'));

/** The lock entries whose commit is newer than the clones they were checked in: no metadata recorded. */
const UNRECORDED = ['codelytv/pr-size-labeler@v1', 'pypa/gh-action-pypi-publish@release/v1', 'sarisia/actions-status-discord@v1'];

// ---- every factory, every prop ---------------------------------------------------------------

/** Each `Actions.<factory>(props: XProps, ...)`, with its props interface's members and their types, read from the source. */
function factoriesFromSource(): Array<{ factory: string; props: Array<{ name: string; type: string }> }> {
  const interfaces = new Map<string, Array<{ name: string; type: string }>>();
  for (const file of fs.readdirSync(path.join(SRC, 'catalog'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(SRC, 'catalog', file), 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      const members = node.members.filter(ts.isPropertySignature);
      interfaces.set(node.name.text, members.map((m) => ({ name: m.name.getText(source), type: m.type!.getText(source) })));
    });
  }
  const source = ts.createSourceFile('actions.ts', fs.readFileSync(path.join(SRC, 'actions.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Array<{ factory: string; props: Array<{ name: string; type: string }> }> = [];
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== 'Actions') return;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const propsType = member.parameters[0].type!.getText(source);
      out.push({ factory: member.name.getText(source), props: interfaces.get(propsType)! });
    }
  });
  return out;
}

/** A value of the prop's type, so that the factory renders the input. */
function valueFor(type: string): unknown {
  switch (type) {
    // an expression: a literal in an input named like a secret (token, password) is an error of its own
    case 'string': return '${{ vars.VALUE }}';
    case 'string[]': return ['a', 'b'];
    case 'number': return 1;
    case 'boolean': return true;
    case '{ [name: string]: string }': return { A: '1' };
    default: throw new Error(`no test value for a prop of type ${type}`);
  }
}

/**
 * Props that exclude each other: the factory is called once per group, with every other prop
 * and that group's props, so that between the calls every prop is rendered.
 */
const EXCLUSIVE: { [factory: string]: string[][] } = {
  slack: [['webhook', 'webhookType'], ['method', 'token']],
  ghPages: [['githubToken'], ['deployKey'], ['personalToken']],
};

const FACTORIES = factoriesFromSource();

/** The calls of `factory` that together pass every prop. */
function propSets(factory: string, props: Array<{ name: string; type: string }>): Array<{ [name: string]: unknown }> {
  const groups = EXCLUSIVE[factory] ?? [[]];
  const excluded = new Set(groups.flat());
  return groups.map((group) => Object.fromEntries(props
    .filter((p) => !excluded.has(p.name) || group.includes(p.name))
    .map((p) => [p.name, valueFor(p.type)])));
}

function make(factory: string, props: object, options?: CatalogOptions): Action {
  return (Actions as any)[factory](props, options);
}

/** The metadata recorded for the action at the version the built-in lock pins. */
function recorded(action: Action) {
  const repo = action.repository.split('/').slice(0, 2).join('/').toLowerCase();
  const pin = CATALOG_LOCK[`${repo}@${action.version}`];
  const entry = CATALOG_METADATA[`${action.repository.toLowerCase()}@${action.version}`];
  return pin && entry?.sha === pin.sha ? entry : undefined;
}

describe('every catalog factory, called with every prop, renders only inputs its action.yml declares', () => {
  test('the factories are read from the source, each with its props', () => {
    expect(FACTORIES.length).toBe(27);
    for (const f of FACTORIES) expect(f.props.length).toBeGreaterThan(0);
  });

  test.each(FACTORIES.map((f) => [f.factory, f]))('%s', (_name, { factory, props }) => {
    const sets = propSets(factory, props);
    // between the calls, every prop is passed
    expect(new Set(sets.flatMap((s) => Object.keys(s)))).toEqual(new Set(props.map((p) => p.name)));
    for (const set of sets) {
      const action = make(factory, set);
      const key = `${action.repository.split('/').slice(0, 2).join('/').toLowerCase()}@${action.version}`;
      const metadata = recorded(action);
      if (UNRECORDED.includes(key)) {
        expect(metadata).toBeUndefined();
        expect(action.metadata).toBeUndefined();
        continue;
      }
      expect(metadata).toBeDefined();
      // the factory's action carries the recorded metadata
      expect(action.metadata).toEqual({ inputs: metadata!.inputs, outputs: metadata!.outputs });
      const unknown = Object.keys(action.inputs).filter((k) => !(k in metadata!.inputs));
      expect(unknown).toEqual([]);
      // props render something: the test would pass vacuously on an action that renders nothing
      expect(Object.keys(action.inputs).length + Object.keys(action.env).length).toBeGreaterThan(0);
    }
  });

  test('a workflow with every factory and every prop synthesizes: the synth check agrees, and the output passes the validators', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'catalog', { triggers: [Trigger.workflowDispatch()] });
    FACTORIES.forEach(({ factory, props }, i) => {
      const steps = propSets(factory, props).map((set, j) => Step.uses(make(factory, set), { id: `s${i}-${j}` }));
      wf.addJob(`j${i}`).addSteps(...steps);
    });
    const files = Testing.synth(app);
    expectValid(files);
  });
});

describe('an older major, kept with { version }', () => {
  test('renders that major\'s pin and is checked against that major\'s inputs', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('build').addSteps(
        // compression-level came with upload-artifact v4
        Step.uses(Actions.uploadArtifact({ path: ['dist/'], compressionLevel: 9 }, { version: 'v3' })),
      );
    });
    expect(problems).toEqual([expect.stringMatching(/^\[ci\/build\] .*\(actions\/upload-artifact@v3\): "compression-level" is not an input of the action/)]);

    const app = Testing.app();
    new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('build').addSteps(
      Step.uses(Actions.checkout({ fetchDepth: 0 }, { version: 'v4' })),
      Step.uses(Actions.uploadArtifact({ path: ['dist/'], compressionLevel: 9 }, { version: 'v4' })),
    );
    const files = Testing.synth(app);
    expect(files['.github/workflows/ci.yml']).toContain(`actions/checkout@${CATALOG_LOCK['actions/checkout@v4'].sha} # ${CATALOG_LOCK['actions/checkout@v4'].version}`);
    expectValid(files);
  });

  test('codecov: v5 removed `file`, so the one report joins `files` from v5 on; v4 still gets `file`', () => {
    expect(Actions.codecov({ files: ['a.xml'], file: 'b.xml' }).inputs).toEqual({ files: 'a.xml,b.xml' });
    expect(Actions.codecov({ file: 'b.xml' }).inputs).toEqual({ files: 'b.xml' });
    expect(Actions.codecov({ files: ['a.xml'], file: 'b.xml' }, { version: 'v4' }).inputs).toEqual({ files: 'a.xml', file: 'b.xml' });
    expect('file' in CATALOG_METADATA['codecov/codecov-action@v4'].inputs).toBe(true);
    expect('file' in CATALOG_METADATA['codecov/codecov-action@v5'].inputs).toBe(false);
  });
});

// ---- the lock, the metadata and the verification table agree -------------------------------

describe('the catalog lock, the recorded metadata and the verification table', () => {
  const lock = Object.entries(CATALOG_LOCK);

  test('every lock entry has metadata recorded at its SHA, but the three newer than their clones', () => {
    const withoutMetadata = lock.filter(([key, pin]) => CATALOG_METADATA[key]?.sha !== pin.sha).map(([key]) => key);
    expect(withoutMetadata).toEqual(UNRECORDED);
  });

  test('every metadata entry belongs to a lock entry, at the same SHA', () => {
    for (const [uses, metadata] of Object.entries(CATALOG_METADATA)) {
      const at = uses.lastIndexOf('@');
      const repo = uses.slice(0, at).split('/').slice(0, 2).join('/');
      expect([uses, CATALOG_LOCK[`${repo}@${uses.slice(at + 1)}`]?.sha]).toEqual([uses, metadata.sha]);
    }
  });

  test('the table lists every lock entry with the same tag and SHA, each verified against its repository, but the three', () => {
    const rows = new Map<string, any>(TABLE.entries.map((r: any) => [r.key, r]));
    expect([...rows.keys()].sort()).toEqual(lock.map(([k]) => k).sort());
    for (const [key, pin] of lock) {
      const row = rows.get(key);
      expect({ key, sha: row.sha, version: row.version }).toEqual({ key, ...pin });
      expect(row.status === 'unverified').toBe(UNRECORDED.includes(key));
      if (row.status !== 'unverified') expect(row.branch).toEqual(expect.any(String));
      else expect(row.corroboration).toEqual(expect.any(String));
    }
    expect(TABLE.verifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('the metadata holds facts only: no descriptions', () => {
    for (const metadata of Object.values(CATALOG_METADATA)) {
      for (const input of Object.values(metadata.inputs)) {
        expect(Object.keys(input).filter((k) => !['required', 'defaultValue', 'deprecationMessage'].includes(k))).toEqual([]);
      }
    }
  });
});

// ---- the synth check on Action.of ----------------------------------------------------------

describe('Action.of an action of the catalog is checked against its recorded inputs and outputs', () => {
  test('a typo in with: is an error naming the job, the step and the input it likely meant; synth writes nothing', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test')
        .addSteps(Step.uses(Action.of('actions/checkout', 'v4', { permissions: { contents: 'read' } }), { with: { 'fetch-dept': 0 } }));
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\[ci\/test\] .*\(actions\/checkout@v4\): "fetch-dept" is not an input of the action; did you mean "fetch-depth"\?.*Fix the key in with: or remove it/);
  });

  test('a full version the lock pins is checked too, and so is an action in a folder of its repository', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('scan').addSteps(
        Step.uses(Action.of('actions/checkout', CATALOG_LOCK['actions/checkout@v5'].version, { permissions: {} }), { with: { lfss: true } }),
        Step.uses(Action.of('github/codeql-action/upload-sarif', 'v4', { permissions: {} }), { with: { 'sarif-file': 'x.sarif' } }),
      );
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/"lfss" is not an input of the action; did you mean "lfs"\?/);
    expect(problems[1]).toMatch(/\(github\/codeql-action\/upload-sarif@v4\): "sarif-file" is not an input of the action; did you mean "sarif_file"\?/);
  });

  test('a required input left out is an error', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test')
        .addSteps(Step.uses(Action.of('actions/cache', 'v4', { permissions: {} }), { with: { path: '~/.cache/pip' } }));
    });
    expect(problems).toEqual([expect.stringMatching(/^\[ci\/test\] .*\(actions\/cache@v4\): required input "key" is not given; add it to with:/)]);
  });

  test('a reference to an output the action does not declare is an error, with the likely output', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('image').addSteps(
        Step.uses(Actions.buildPush({ tags: ['app:1'] }), { id: 'build' }),
        Step.run('echo "${{ steps.build.outputs.digets }}"'),
      );
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\[ci\/image\] steps\.build\.outputs\.digets: docker\/build-push-action@v\d+ has no output "digets"; did you mean "digest"\?/);
  });

  test('a factory\'s with: is checked as well: a key added with withInputs', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test')
        .addSteps(Step.uses(Actions.setupPython({ pythonVersion: '3.12' }).withInputs({ 'python-versoin': '3.13' })));
    });
    expect(problems).toEqual([expect.stringMatching(/"python-versoin" is not an input of the action; did you mean "python-version"\?/)]);
  });

  test('the right keys synthesize, and the output passes the validators', () => {
    const app = Testing.app();
    new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test').addSteps(
      Step.uses(Action.of('actions/checkout', 'v4', { permissions: { contents: 'read' } }), { with: { 'fetch-depth': 0 } }),
      Step.uses(Action.of('actions/cache', 'v4', { permissions: {} }), { id: 'cache', with: { path: '~/.cache/pip', key: 'pip' } }),
      Step.run('echo "${{ steps.cache.outputs.cache-hit }}"'),
    );
    expectValid(Testing.synth(app));
  });

  test('a commit the catalog did not record is not checked: a lock that pins another commit, or an inline sha', () => {
    const app = Testing.app();
    new ActionLock(app, 'ActionLock', { entries: { 'actions/checkout@v4': { sha: '1'.repeat(40), version: 'v4.9.9' } } });
    new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test').addSteps(
      Step.uses(Action.of('actions/checkout', 'v4', { permissions: {} }), { with: { 'input-of-v4-9-9': 'x' } }),
      Step.uses(Action.of('actions/cache', 'v4', { permissions: {}, sha: '2'.repeat(40) }), { with: { 'input-of-that-commit': 'x' } }),
    );
    const files = Testing.synth(app);
    expect(files['.github/workflows/ci.yml']).toContain(`actions/checkout@${'1'.repeat(40)} # v4.9.9`);
    expect(Action.of('actions/cache', 'v4', { sha: '2'.repeat(40) }).metadata).toBeUndefined();
  });

  test('metadata given to Action.of wins over the recorded one', () => {
    const problems = synthProblems((app) => {
      new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('test').addSteps(
        Step.uses(Action.of('actions/checkout', 'v4', { permissions: {}, metadata: { inputs: { only: {} } } }), { with: { 'fetch-depth': 1 } }),
      );
    });
    expect(problems).toEqual([expect.stringMatching(/"fetch-depth" is not an input of the action \(its inputs: only\)/)]);
  });

  test('an input the action deprecates is a warning with the action\'s message, not an error', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    wf.addJob('test').addSteps(
      Step.uses(Action.of('actions/cache', 'v4', { permissions: {} }), { with: { 'path': 'x', 'key': 'k', 'save-always': true } }),
      Step.uses(Actions.checkout()),
    );
    expect(wf._warnings()).toEqual([
      expect.stringMatching(/^job "test" step 1 .*sets "save-always", which actions\/cache@v4 deprecates: save-always does not work as intended/),
    ]);
    expectValid(Testing.synth(app));
  });

  test('an action the catalog does not know carries no metadata', () => {
    expect(Action.of('example/unknown', 'v1').metadata).toBeUndefined();
    expect(Action.of('actions/checkout', 'v1').metadata).toBeUndefined();
  });
});
