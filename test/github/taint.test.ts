import * as YAML from 'yaml';
import { Testing } from '../../src/core/testing';
import { CompositeAction, Job, Step, Trigger, Workflow } from '../../src/github';
import { auditFile } from '../../src/github/audit';
import { needsOrder, taintedOutputsOfScript } from '../../src/github/taint';
import { expectValid } from '../support/harness';

function synthWorkflow(build: (wf: Workflow) => void, env?: { [name: string]: string }): { files: { [path: string]: string }; jobs: any } {
  const app = Testing.app();
  const wf = new Workflow(app, 'triage', { triggers: [Trigger.event('issues', { types: ['opened'] })], env });
  build(wf);
  const files = Testing.synth(app);
  expectValid(files);
  return { files, jobs: YAML.parse(files['.github/workflows/triage.yml']).jobs };
}

describe('untrusted text through env at synth', () => {
  test('${{ env.X }} in a script, where X holds untrusted text, moves into env like the text itself; "$X" stays', () => {
    const { files, jobs } = synthWorkflow((wf) => new Job(wf, 'a', {
      env: { BODY: '${{ github.event.issue.body }}' },
      steps: [
        Step.run('echo "${{ env.TITLE }}" "${{ env.BODY }}" "$TITLE" ${{ env.SAFE }}', { env: { SAFE: 'fixed' } }),
      ],
    }), { TITLE: '${{ github.event.issue.title }}' });
    expect(jobs.a.steps[0]).toEqual({
      run: 'echo "${TITLE}" "${BODY}" "$TITLE" ${{ env.SAFE }}',
      env: { SAFE: 'fixed', TITLE: '${{ env.TITLE }}', BODY: '${{ env.BODY }}' },
    });
    expect(auditFile('.github/workflows/triage.yml', files['.github/workflows/triage.yml']).filter((f) => f.rule === 'template-injection')).toEqual([]);
  });

  test('a step-level env variable that holds untrusted text is untrusted in the same step\'s script', () => {
    const { jobs } = synthWorkflow((wf) => new Job(wf, 'a', {
      steps: [Step.run('echo ${{ env.T }}', { env: { T: 'title: ${{ github.event.issue.title }}' } })],
    }));
    expect(jobs.a.steps[0]).toEqual({ run: 'echo "$T_2"', env: { T: 'title: ${{ github.event.issue.title }}', T_2: '${{ env.T }}' } });
  });
});

describe('untrusted text through step outputs and job outputs at synth', () => {
  test('an output written from untrusted text is untrusted in later steps and, as a job output, in jobs that need it', () => {
    const { files, jobs } = synthWorkflow((wf) => {
      const a = new Job(wf, 'a', {
        outputs: { title: '${{ steps.read.outputs.title }}', number: '${{ steps.read.outputs.number }}' },
        steps: [
          Step.run([
            'echo "title=${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"',
            'echo "number=${{ github.event.issue.number }}" >> "$GITHUB_OUTPUT"',
          ].join('\n'), { id: 'read' }),
          Step.run('echo "${{ steps.read.outputs.title }} #${{ steps.read.outputs.number }}"'),
        ],
      });
      void a;
      new Job(wf, 'b', { needs: ['a'], steps: [Step.run('echo "${{ needs.a.outputs.title }}" ${{ needs.a.outputs.number }}')] });
    });
    expect(jobs.a.steps[0].run).toBe('echo "title=${ISSUE_TITLE}" >> "$GITHUB_OUTPUT"\necho "number=${{ github.event.issue.number }}" >> "$GITHUB_OUTPUT"');
    expect(jobs.a.steps[1]).toEqual({
      run: 'echo "${STEP_READ_TITLE} #${{ steps.read.outputs.number }}"',
      env: { STEP_READ_TITLE: '${{ steps.read.outputs.title }}' },
    });
    expect(jobs.b.steps[0]).toEqual({
      run: 'echo "${NEEDS_A_TITLE}" ${{ needs.a.outputs.number }}',
      env: { NEEDS_A_TITLE: '${{ needs.a.outputs.title }}' },
    });
    // what synthesis wrote, the audit finds clean
    expect(auditFile('.github/workflows/triage.yml', files['.github/workflows/triage.yml']).filter((f) => f.rule === 'template-injection')).toEqual([]);
  });

  test('a composite action follows its steps\' outputs too', () => {
    const app = Testing.app();
    new CompositeAction(app, 'greet', {
      description: 'greets',
      steps: [
        Step.run('echo "who=${{ inputs.name }}" >> "$GITHUB_OUTPUT"', { id: 'who', shell: 'bash' }),
        Step.run('echo hello ${{ steps.who.outputs.who }}', { shell: 'bash' }),
      ],
      inputs: { name: { description: 'who' } },
    });
    const files = Testing.synth(app);
    expectValid(files);
    const path = Object.keys(files).find((p) => p.endsWith('action.yml'))!;
    const steps = YAML.parse(files[path]).runs.steps;
    expect(steps[1]).toMatchObject({ run: 'echo hello "$STEP_WHO_WHO"', env: { STEP_WHO_WHO: '${{ steps.who.outputs.who }}' } });
  });
});

describe('the output scan', () => {
  test('echo and printf lines, variables and shell assignments; only scripts that write $GITHUB_OUTPUT', () => {
    const trust = {};
    expect(taintedOutputsOfScript('echo "a=$T" >> "$GITHUB_OUTPUT"\necho "b=$U" >> "$GITHUB_OUTPUT"', new Set(['T']), trust)).toEqual(['a']);
    expect(taintedOutputsOfScript('X="${T}-x"\necho "c=$X" >> $GITHUB_OUTPUT', new Set(['T']), trust)).toEqual(['X', 'c']);
    expect(taintedOutputsOfScript("echo 'd=$T' >> $GITHUB_OUTPUT", new Set(['T']), trust)).toEqual([]);
    expect(taintedOutputsOfScript('echo "e=${{ github.event.issue.body }}"', new Set(), trust)).toEqual([]);
  });

  test('jobs are walked after the jobs they need', () => {
    expect(needsOrder({ c: { needs: ['b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
  });
});
