import * as YAML from 'yaml';
import { SlipwayError } from '../../src/core/errors';
import { Testing } from '../../src/core/testing';
import { Action, CompositeAction, Expression, Step, Trigger, Workflow } from '../../src/github';
import { expectValid, validateFiles } from '../support/harness';

describe('CompositeAction', () => {
  function build() {
    const app = Testing.app();
    const setup = new CompositeAction(app, 'setup-poetry', {
      name: 'Set up Poetry',
      description: 'Installs Python, Poetry and the dependencies',
      inputs: { 'python-version': { description: 'Python version', default: '3.11' }, 'groups': { required: true } },
      outputs: { 'cache-hit': { description: 'Whether the cache was hit', value: Expression.stepOutput('python', 'cache-hit').toString() } },
      steps: [
        Step.uses(Action.of('actions/setup-python', 'v5'), { id: 'python', with: { 'python-version': Expression.input('python-version').toString(), 'cache': 'pip' } }),
        Step.run('pipx install poetry'),
        Step.run(`poetry install --with ${Expression.input('groups')}`, { shell: 'bash', workingDirectory: '.' }),
      ],
    });
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    wf.addJob('test', { steps: [Step.uses(Action.of('actions/checkout', 'v4')), Step.uses(setup.action, { with: { groups: 'dev' } }), Step.run('poetry run pytest')] });
    return { app, setup };
  }

  test('writes .github/actions/<id>/action.yml; workflows use it as a local action', () => {
    const { app, setup } = build();
    const files = Testing.synth(app);
    expect(Object.keys(files)).toEqual(['.github/actions/setup-poetry/action.yml', '.github/workflows/ci.yml']);
    expect(setup.filePath).toBe('.github/actions/setup-poetry/action.yml');
    expect(files['.github/actions/setup-poetry/action.yml']).toMatchSnapshot();
    const meta = YAML.parse(files['.github/actions/setup-poetry/action.yml']);
    expect(meta.runs.steps.map((s: any) => s.shell)).toEqual([undefined, 'bash', 'bash']);
    expect(YAML.parse(files['.github/workflows/ci.yml']).jobs.test.steps[1]).toEqual({ uses: './.github/actions/setup-poetry', with: { groups: 'dev' } });
    expectValid(files);
  });

  test('the harness checks local action inputs against the generated action.yml', () => {
    const { app } = build();
    const files = Testing.synth(app);
    const wrong = files['.github/workflows/ci.yml'].replace('groups: dev', 'group: dev');
    const findings = validateFiles({ ...files, '.github/workflows/ci.yml': wrong }).findings.map((f) => f.message);
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/input "group" is not defined/), expect.stringMatching(/required input "groups"/)]));
  });

  test('a custom directory', () => {
    const app = Testing.app();
    const a = new CompositeAction(app, 'notify', { description: 'd', directory: './tools/notify/', steps: [Step.run('true')] });
    expect(a.filePath).toBe('tools/notify/action.yml');
    expect(a.action.version).toBe('./tools/notify');
    expect(Object.keys(Testing.synth(app))).toEqual(['tools/notify/action.yml']);
    expect(() => new CompositeAction(app, 'bad', { description: 'd', directory: '../x', steps: [] })).toThrow(/must be a relative path inside the repository/);
  });

  test('checks: unknown inputs and step ids, secrets, duplicate ids, no steps, untrusted input is moved', () => {
    const app = Testing.app();
    new CompositeAction(app, 'bad', {
      description: 'd',
      inputs: { token: { required: true } },
      outputs: { x: { value: Expression.stepOutput('nope', 'x').toString() } },
      steps: [
        Step.run(`echo ${Expression.input('tokn')} ${Expression.secret('TOKEN')}`, { id: 'a' }),
        Step.run('echo', { id: 'a' }),
      ],
    });
    new CompositeAction(app, 'empty', { description: ' ', steps: [] });
    let problems: string[] = [];
    try {
      Testing.synth(app);
    } catch (e) {
      problems = (e as SlipwayError).problems;
    }
    expect(problems).toEqual([
      '[bad] step id "a" is used by steps 1 and 2; step ids must be unique within a job. Rename one of them',
      '[bad] reads "secrets.TOKEN", but composite actions cannot read secrets; add an input and pass the secret from the workflow',
      '[bad] reads "inputs.tokn", which is not an input of the action; inputs: token',
      '[bad] reads "steps.nope", but no step of the action has id "nope"; step ids: a',
      '[empty] description must not be empty (GitHub requires it)',
      '[empty] has no steps; pass at least one in "steps"',
    ]);

    const ok = Testing.app();
    new CompositeAction(ok, 'greet', { description: 'd', steps: [Step.run('echo "${{ github.event.issue.title }}"')] });
    const meta = YAML.parse(Testing.synth(ok)['.github/actions/greet/action.yml']);
    expect(meta.runs.steps[0]).toEqual({ run: 'echo "${ISSUE_TITLE}"', shell: 'bash', env: { ISSUE_TITLE: '${{ github.event.issue.title }}' } });
  });

  test('inputs are untrusted in a composite action: the caller may pass event text', () => {
    const app = Testing.app();
    new CompositeAction(app, 'say', {
      description: 'd',
      inputs: { text: {} },
      steps: [Step.run(`echo ${Expression.input('text')}`), Step.run('echo ${{ INPUTS.Text }}', { shell: 'pwsh' })],
    });
    const files = Testing.synth(app);
    expectValid(files);
    const meta = YAML.parse(files['.github/actions/say/action.yml']);
    expect(meta.runs.steps[0]).toEqual({ run: 'echo "$INPUT_TEXT"', shell: 'bash', env: { INPUT_TEXT: '${{ inputs.text }}' } });
    expect(meta.runs.steps[1]).toEqual({ run: 'echo $env:INPUT_TEXT', shell: 'pwsh', env: { INPUT_TEXT: '${{ INPUTS.Text }}' } });
  });
});
