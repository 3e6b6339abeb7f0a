import * as YAML from 'yaml';
import { App } from '../../src/core/app';
import { SlipwayError } from '../../src/core/errors';
import { carriedProblems } from '../../src/core/strict';
import { Testing } from '../../src/core/testing';
import { DispatchInput, Expression, Job, Matrix, Step, Trigger, Workflow } from '../../src/github';
import { expectValid, validateFiles } from '../support/harness';

/** The problems synth reports (it must fail). */
function problems(app: App): string[] {
  try {
    Testing.synth(app);
  } catch (e) {
    if (e instanceof SlipwayError) return e.problems;
    throw e;
  }
  throw new Error('synth succeeded, but a problem was expected');
}

function workflow(app: App, id = 'ci'): Workflow {
  return new Workflow(app, id, { triggers: [Trigger.push()] });
}

const echo = (s = 'ok') => Step.run(`echo ${s}`);

describe('job graph checks', () => {
  test('unknown needs lists the jobs', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'build', { steps: [echo()] });
    new Job(wf, 'deploy', { needs: ['tset'], steps: [echo()] });
    expect(problems(app)).toEqual([
      '[ci/deploy] needs "tset", which is not a job of workflow "ci"; jobs: build, deploy. Fix the id, or add the job to this workflow (needs cannot cross workflow files)',
    ]);
  });

  test('actionlint flags the same unknown needs in hand-written YAML', () => {
    const raw = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ok',
      '  deploy:',
      '    needs: tset',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ok',
      '',
    ].join('\n');
    const report = validateFiles({ '.github/workflows/ci.yml': raw });
    const actionlint = report.findings.filter((f) => f.validator === 'actionlint');
    expect(actionlint.map((f) => f.message)).toEqual([expect.stringMatching(/\[job-needs\].*"tset".*does not exist/)]);
  });

  test('needing itself is reported', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'build', { needs: ['build'], steps: [echo()] });
    expect(problems(app)).toEqual(['[ci/build] needs itself ("build"); remove it from "needs"']);
  });

  test('a needs cycle is printed', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'a', { needs: ['c'], steps: [echo()] });
    new Job(wf, 'b', { needs: ['a'], steps: [echo()] });
    new Job(wf, 'c', { needs: ['b'], steps: [echo()] });
    new Job(wf, 'd', { steps: [echo()] });
    expect(problems(app)).toEqual(['[ci] jobs form a cycle through "needs": a -> c -> b -> a; remove one of these dependencies']);
  });

  test('invalid and duplicate job ids are rejected with the workflow path', () => {
    const app = Testing.app();
    const wf = workflow(app);
    expect(() => new Job(wf, '1build', {})).toThrow('[ci] job id "1build" is invalid: start with a letter or "_", then use letters, digits, "-" or "_" (e.g. "unit-tests")');
    expect(() => new Job(wf, 'unit tests', {})).toThrow(/job id "unit tests" is invalid/);
    new Job(wf, 'build', { steps: [echo()] });
    expect(() => wf.addJob('build', {})).toThrow('[ci] job id "build" is already used in workflow "ci"; job ids must be unique within a workflow. Rename one of the jobs');
  });

  test('duplicate and invalid step ids', () => {
    expect(carriedProblems(Step.run('x', { id: 'my step' })).join('\n')).toMatch(/step id "my step" is invalid/);
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'build', { steps: [Step.run('a', { id: 'meta' }), echo(), Step.run('b', { id: 'meta' })] });
    expect(problems(app)).toEqual(['[ci/build] step id "meta" is used by steps 1 and 3; step ids must be unique within a job. Rename one of them']);
  });

  test('a workflow without jobs or triggers, and a job without steps', () => {
    const app = Testing.app();
    new Workflow(app, 'empty');
    const wf = workflow(app, 'ci');
    new Job(wf, 'build');
    expect(problems(app)).toEqual([
      '[empty] has no triggers; pass "triggers", e.g. [Trigger.push({ branches: ["main"] })], or call addTrigger()',
      '[empty] has no jobs; add one with workflow.addJob(id, {...}) or new Job(workflow, id, {...})',
      '[ci/build] has no steps; add them with the "steps" prop or job.addSteps(...)',
    ]);
  });
});

describe('expression checks', () => {
  test('matrix.* outside a matrix job', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'lint', { steps: [Step.run(`tox -e ${Expression.matrix('python')}`)] });
    expect(problems(app)).toEqual(['[ci/lint] reads "matrix.python", but the job has no strategy.matrix; add strategy: { matrix: Matrix.of({...}) } or remove the reference']);
  });

  test('matrix key that the matrix does not have (also in conditions)', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'test', {
      strategy: { matrix: Matrix.of({ python: ['3.12'] }, { include: [{ python: '3.12', experimental: true }] }) },
      steps: [Step.run('pytest', { if: "matrix.pyhton == '3.12' && !matrix.experimental" })],
    });
    expect(problems(app)).toEqual(['[ci/test] reads "matrix.pyhton", which is not a key of the job\'s matrix; keys: python, experimental']);
  });

  test('matrix.* at workflow level', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()], env: { PY: Expression.matrix('python').toString() } });
    new Job(wf, 'a', { steps: [echo()] });
    expect(problems(app)).toEqual(['[ci] env.PY reads "matrix.python", but the matrix context exists only inside matrix jobs; move the value into the job']);
  });

  test('matrix exclude and include values that are not in the matrix', () => {
    const app = Testing.app();
    const wf = workflow(app);
    new Job(wf, 'test', {
      runsOn: undefined,
      strategy: {
        matrix: Matrix.of(
          { 'os': ['ubuntu-latest', 'macos-latest'], 'python-version': ['3.12', '3.13'] },
          {
            exclude: [{ 'os': 'macos-latest', 'python-version': '3.8' }, { arch: 'arm64' }],
            include: [{ 'python-version': '3.14', 'experimental': true }, { 'os': 'windows-latest', 'python-version': '3.13' }],
          },
        ),
      },
      steps: [echo()],
    });
    expect(problems(app)).toEqual([
      '[ci/test] strategy.matrix.exclude[0] sets python-version: "3.8", which is not a value of axis "python-version" ("3.12", "3.13"); the exclude would match nothing. Fix the value or remove the entry',
      '[ci/test] strategy.matrix.exclude[1] uses key "arch", which is not an axis of the matrix; axes: os, python-version',
      '[ci/test] strategy.matrix.include[0] sets python-version: "3.14", which is not a value of axis "python-version" ("3.12", "3.13"); fix the value, or set every axis (os, python-version) to add a new combination',
    ]);
  });

  test('an output read from a job that is not upstream', () => {
    const app = Testing.app();
    const wf = workflow(app);
    const build = new Job(wf, 'build', { steps: [echo()] });
    const deploy = new Job(wf, 'deploy', { needs: ['build'], outputs: { url: '${{ steps.d.outputs.url }}' }, steps: [Step.run('deploy', { id: 'd' })] });
    build.addSteps(Step.run(`echo ${deploy.output('url')}`));
    expect(problems(app)).toEqual([
      '[ci/build] reads "needs.deploy.outputs.url", but job "deploy" is not upstream of "build": it runs after it (deploy -> build); a job can read only outputs of jobs that run before it. Reverse the dependency or move the step',
    ]);
  });

  test('an output the job does not declare, a job that does not exist, a job\'s own output', () => {
    const app = Testing.app();
    const wf = workflow(app);
    const build = new Job(wf, 'build', { outputs: { digest: '${{ steps.push.outputs.digest }}' }, steps: [Step.run('push', { id: 'push' })] });
    const other = new Job(workflow(app, 'release'), 'package', { steps: [echo()] });
    const self = new Job(wf, 'test', { steps: [] });
    self.addSteps(
      Step.run(`echo ${build.output('digst')}`),
      Step.run(`echo ${other.output('x')}`),
      Step.run(`echo ${self.output('y')}`),
    );
    expect(problems(app)).toEqual([
      '[ci/test] reads "needs.build.outputs.digst", but job "build" has no output "digst"; did you mean "digest"? its outputs: digest. Declare it with the "outputs" prop or job.addOutput()',
      '[ci/test] reads "needs.package.outputs.x", but "package" is not a job of workflow "ci"; jobs: build, test',
      '[ci/test] reads "needs.test.outputs.y": a job cannot read its own outputs; inside the job use steps.<id>.outputs.<name>',
    ]);
  });

  test('needs.* at workflow level, and steps.* of an unknown step', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()], runName: `Deploy ${Expression.needs('build', 'tag')}` });
    new Job(wf, 'build', { outputs: { tag: Expression.stepOutput('meta', 'tag').toString() }, steps: [Step.run('x', { id: 'mta' })] });
    expect(problems(app)).toEqual([
      '[ci] run-name reads "needs.build.outputs.tag", but the needs context exists only inside jobs; move the value into the job that reads it',
      '[ci/build] reads "steps.meta", but no step of the job has id "meta"; step ids: mta. Give the step an id',
    ]);
  });
});

describe('trigger checks', () => {
  test.each([
    ['0 6 * *', /has 4 field\(s\); it needs exactly 5/],
    ['60 * * * *', /minute value "60" is out of range; allowed: 0-59/],
    ['0 24 * * *', /hour value "24" is out of range; allowed: 0-23/],
    ['0 0 0 * *', /day of month value "0" is out of range; allowed: 1-31/],
    ['0 0 * 13 *', /month value "13" is out of range; allowed: 1-12 or JAN-DEC/],
    ['0 0 * * 7', /day of week value "7" is out of range; allowed: 0-6 or SUN-SAT/],
    ['0 0 * * FRI-MON', /range "FRI-MON" is reversed/],
    ['*/0 * * * *', /step "\/0"/],
    ['@daily', /has 1 field/],
  ])('bad cron %p', (cron, message) => {
    const app = Testing.app();
    const wf = new Workflow(app, 'nightly', { triggers: [Trigger.schedule(cron)] });
    new Job(wf, 'a', { steps: [echo()] });
    const p = problems(app);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^\[nightly\] trigger "schedule": cron "/);
    expect(p[0]).toMatch(message);
  });

  test.each(['0 6 * * *', '*/15 0-6,22-23 1-31/2 JAN-MAR,dec mon-fri', '30 5 * * 1,3'])('good cron %p', (cron) => {
    const app = Testing.app();
    const wf = new Workflow(app, 'nightly', { triggers: [Trigger.schedule(cron)] });
    new Job(wf, 'a', { steps: [echo()] });
    const files = Testing.synth(app);
    expect(YAML.parse(files['.github/workflows/nightly.yml']).on.schedule).toEqual([{ cron }]);
    expectValid(files);
  });

  test('conflicting filters, a twice-given trigger, a choice default that is not an option', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', {
      triggers: [
        Trigger.push({ branches: ['main'], branchesIgnore: ['dev'] }),
        Trigger.pullRequest(),
        Trigger.pullRequest({ branches: ['main'] }),
        Trigger.workflowDispatch({ inputs: { env: DispatchInput.choice(['staging', 'production'], { default: 'prod' }) } }),
      ],
    });
    new Job(wf, 'a', { steps: [echo()] });
    expect(problems(app)).toEqual([
      '[ci] trigger "push": push sets both "branches" and "branchesIgnore"; GitHub rejects that combination. Keep one (use "!pattern" entries in "branches" to exclude)',
      '[ci] trigger "pull_request" is given twice; merge the two into one trigger with the combined filters',
      '[ci] trigger "workflow_dispatch": input "env" has default "prod", which is not one of its options: staging, production',
    ]);
  });
});
