import * as YAML from 'yaml';
import { Testing } from '../../src/core/testing';
import { Action, CompositeAction, Job, Matrix, Step, Trigger, Workflow, WorkflowCallInput } from '../../src/github';
import { auditFile } from '../../src/github/audit';
import { matrixTaint, needsOrder, taintedOutputsOfGithubScript, taintedOutputsOfScript, walkSteps } from '../../src/github/taint';
import { expectValid } from '../support/harness';
import { synthProblems } from '../support/synth-problems';

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
    expect(taintedOutputsOfScript("printf 'f=%s\\n' \"$T\" >> \"$GITHUB_OUTPUT\"\nprintf 'g=%s\\n' \"$U\" >> \"$GITHUB_OUTPUT\"", new Set(['T']), trust)).toEqual(['f']);
    expect(taintedOutputsOfScript('echo "e=${{ github.event.issue.body }}"', new Set(), trust)).toEqual([]);
  });

  test('jobs are walked after the jobs they need', () => {
    expect(needsOrder({ c: { needs: ['b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
  });
});

const GITHUB_SCRIPT = Action.of('actions/github-script', 'v7', { sha: 'f28e40c7f34bde8b3046d885e986cb6290c5673b' });

/** The template-injection findings of the audit of a synthesized file: none, when synthesis did its job. */
function injections(files: { [path: string]: string }, file: string): string[] {
  return auditFile(file, files[file], { readRepoFile: (p) => files[p] }).filter((f) => f.rule === 'template-injection').map((f) => f.message);
}

describe('github-script outputs at synth', () => {
  test('core.setOutput and the returned result from untrusted payload text are untrusted later; payload numbers are not', () => {
    const { files, jobs } = synthWorkflow((wf) => {
      new Job(wf, 'a', {
        outputs: { title: '${{ steps.gs.outputs.title }}', result: '${{ steps.gs.outputs.result }}' },
        steps: [
          Step.uses(GITHUB_SCRIPT, {
            id: 'gs',
            with: {
              script: [
                'const issue = context.payload.issue;',
                "core.setOutput('title', `Issue: ${issue.title}`);",
                "core.setOutput('number', issue.number);",
                "core.setOutput('label', 'title');",
                'return context.payload.issue.body;',
              ].join('\n'),
            },
          }),
          Step.run('echo "${{ steps.gs.outputs.title }}" ${{ steps.gs.outputs.number }} ${{ steps.gs.outputs.label }}'),
        ],
      });
      new Job(wf, 'b', { needs: ['a'], steps: [Step.run('echo ${{ needs.a.outputs.result }}')] });
    });
    expect(jobs.a.steps[1]).toEqual({
      run: 'echo "${STEP_GS_TITLE}" ${{ steps.gs.outputs.number }} ${{ steps.gs.outputs.label }}',
      env: { STEP_GS_TITLE: '${{ steps.gs.outputs.title }}' },
    });
    expect(jobs.b.steps[0]).toEqual({ run: 'echo "$NEEDS_A_RESULT"', env: { NEEDS_A_RESULT: '${{ needs.a.outputs.result }}' } });
    expect(injections(files, '.github/workflows/triage.yml')).toEqual([]);
  });

  test('a ${{ }} of untrusted text that synthesis moved into the script\'s env still taints the output it sets', () => {
    const { jobs } = synthWorkflow((wf) => new Job(wf, 'a', {
      steps: [
        Step.uses(GITHUB_SCRIPT, { id: 'gs', with: { script: "const t = '${{ github.event.issue.title }}';\ncore.setOutput('t', t.trim());" } }),
        Step.run('echo ${{ steps.gs.outputs.t }}'),
      ],
    }));
    expect(jobs.a.steps[0].with.script).toBe("const t = process.env.ISSUE_TITLE;\ncore.setOutput('t', t.trim());");
    expect(jobs.a.steps[1]).toEqual({ run: 'echo "$STEP_GS_T"', env: { STEP_GS_T: '${{ steps.gs.outputs.t }}' } });
  });
});

describe('multi-line $GITHUB_OUTPUT writes at synth', () => {
  test('name<<EOF in a group, line by line, and with a generated delimiter; a clean value stays', () => {
    const { files, jobs } = synthWorkflow((wf) => new Job(wf, 'a', {
      env: { BODY: '${{ github.event.issue.body }}' },
      steps: [
        Step.run([
          '{ echo "body<<EOF"; echo "$BODY"; echo EOF; } >> "$GITHUB_OUTPUT"',
          'echo "sha<<EOF" >> "$GITHUB_OUTPUT"',
          'echo "$GITHUB_SHA" >> "$GITHUB_OUTPUT"',
          'echo "EOF" >> "$GITHUB_OUTPUT"',
          'echo "title<<EOF" >> "$GITHUB_OUTPUT"',
          'echo "${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"',
          'echo "EOF" >> "$GITHUB_OUTPUT"',
          'D=$(openssl rand -hex 8)',
          '{ echo "again<<$D"; printf \'%s\\n\' "$BODY"; echo "$D"; } >> "$GITHUB_OUTPUT"',
        ].join('\n'), { id: 's' }),
        Step.run('echo ${{ steps.s.outputs.body }} ${{ steps.s.outputs.sha }} ${{ steps.s.outputs.title }} ${{ steps.s.outputs.again }}'),
      ],
    }));
    expect(jobs.a.steps[1]).toEqual({
      run: 'echo "$STEP_S_BODY" ${{ steps.s.outputs.sha }} "$STEP_S_TITLE" "$STEP_S_AGAIN"',
      env: { STEP_S_BODY: '${{ steps.s.outputs.body }}', STEP_S_TITLE: '${{ steps.s.outputs.title }}', STEP_S_AGAIN: '${{ steps.s.outputs.again }}' },
    });
    expect(injections(files, '.github/workflows/triage.yml')).toEqual([]);
  });
});

describe('reusable workflow outputs at synth', () => {
  function app(passed: string) {
    const a = Testing.app();
    const callee = new Workflow(a, 'describe', {
      triggers: [Trigger.workflowCall({
        inputs: { text: WorkflowCallInput.string({ required: true }) },
        outputs: { summary: { value: '${{ jobs.sum.outputs.summary }}' }, fixed: { value: '${{ jobs.sum.outputs.fixed }}' } },
      })],
    });
    new Job(callee, 'sum', {
      outputs: { summary: '${{ steps.s.outputs.summary }}', fixed: '${{ steps.s.outputs.fixed }}' },
      steps: [Step.run('echo "summary=${{ inputs.text }}" >> "$GITHUB_OUTPUT"\necho "fixed=ok" >> "$GITHUB_OUTPUT"', { id: 's' })],
    });
    const caller = new Workflow(a, 'pr', { triggers: [Trigger.event('issues', { types: ['opened'] })] });
    const call = caller.addReusableWorkflowJob('describe', { uses: callee.localReference, with: { text: passed } });
    new Job(caller, 'use', { steps: [Step.run(`echo ${call.output('summary')} ${call.output('fixed')}`)] });
    const files = Testing.synth(a);
    expectValid(files);
    return { files, use: YAML.parse(files['.github/workflows/pr.yml']).jobs.use };
  }

  test('an output of a called workflow of the App that carries the untrusted text the caller passed is untrusted in the caller', () => {
    const { files, use } = app('${{ github.event.issue.title }}');
    expect(use.steps[0]).toEqual({
      run: 'echo "$NEEDS_DESCRIBE_SUMMARY" ${{ needs.describe.outputs.fixed }}',
      env: { NEEDS_DESCRIBE_SUMMARY: '${{ needs.describe.outputs.summary }}' },
    });
    expect(injections(files, '.github/workflows/pr.yml')).toEqual([]);
  });

  test('the same workflow called with trusted text leaves the caller\'s script as written', () => {
    const { use } = app('${{ github.event.issue.number }}');
    expect(use.steps[0]).toEqual({ run: 'echo ${{ needs.describe.outputs.summary }} ${{ needs.describe.outputs.fixed }}' });
  });
});

test('two workflows of the App that call each other (which GitHub rejects) do not send synthesis round in circles', () => {
  const app = Testing.app();
  const make = (id: string, other: string) => {
    const wf = new Workflow(app, id, { triggers: [Trigger.workflowCall({ inputs: { text: WorkflowCallInput.string() }, outputs: { out: { value: '${{ jobs.call.outputs.out }}' } } })] });
    wf.addReusableWorkflowJob('call', { uses: `./.github/workflows/${other}.yml`, with: { text: '${{ inputs.text }}' } });
    new Job(wf, 'use', { needs: ['call'], steps: [Step.run('echo "${{ needs.call.outputs.out }}"')] });
  };
  make('ping', 'pong');
  make('pong', 'ping');
  const files = Testing.synth(app);
  expectValid(files);
  expect(YAML.parse(files['.github/workflows/ping.yml']).jobs.use.steps[0]).toEqual({ run: 'echo "${{ needs.call.outputs.out }}"' });
});

describe('matrix values at synth', () => {
  test('a matrix from untrusted text, or an axis or include key holding it, makes matrix.<key> untrusted; other keys stay', () => {
    const { files, jobs } = synthWorkflow((wf) => {
      new Job(wf, 'whole', {
        strategy: { matrix: Matrix.fromExpression('${{ fromJSON(github.event.issue.body) }}') },
        steps: [Step.run('echo ${{ matrix.name }}', { shell: 'bash' })],
      });
      new Job(wf, 'keys', {
        strategy: { matrix: Matrix.of({ os: ['ubuntu-latest'], label: ['${{ github.event.issue.title }}', 'fixed'] }, { include: [{ os: 'ubuntu-latest', note: '${{ github.event.comment.body }}' }] }) },
        steps: [Step.run('echo ${{ matrix.os }} ${{ matrix.label }} ${{ matrix.note }}', { shell: 'bash' })],
      });
    });
    expect(jobs.whole.steps[0]).toEqual({ run: 'echo "$MATRIX_NAME"', env: { MATRIX_NAME: '${{ matrix.name }}' }, shell: 'bash' });
    expect(jobs.keys.steps[0]).toEqual({
      run: 'echo ${{ matrix.os }} "$MATRIX_LABEL" "$MATRIX_NOTE"',
      env: { MATRIX_LABEL: '${{ matrix.label }}', MATRIX_NOTE: '${{ matrix.note }}' },
      shell: 'bash',
    });
    expect(injections(files, '.github/workflows/triage.yml')).toEqual([]);
  });

  test('a matrix from a tainted job output is untrusted; from a clean one it is not', () => {
    const { jobs } = synthWorkflow((wf) => {
      new Job(wf, 'setup', {
        outputs: { tainted: '${{ steps.m.outputs.tainted }}', clean: '${{ steps.m.outputs.clean }}' },
        steps: [Step.run('echo "tainted=${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"\necho "clean=[1]" >> "$GITHUB_OUTPUT"', { id: 'm' })],
      });
      new Job(wf, 'bad', {
        strategy: { matrix: Matrix.fromExpression('${{ fromJSON(needs.setup.outputs.tainted) }}') },
        steps: [Step.run('echo ${{ matrix.x }}', { shell: 'bash' })],
      });
      new Job(wf, 'good', {
        strategy: { matrix: Matrix.fromExpression('${{ fromJSON(needs.setup.outputs.clean) }}') },
        steps: [Step.run('echo ${{ matrix.x }}', { shell: 'bash' })],
      });
    });
    expect(jobs.bad.steps[0]).toEqual({ run: 'echo "$MATRIX_X"', env: { MATRIX_X: '${{ matrix.x }}' }, shell: 'bash' });
    expect(jobs.good.steps[0]).toEqual({ run: 'echo ${{ matrix.x }}', shell: 'bash' });
  });
});

describe('the github-script and matrix scans', () => {
  const scan = (script: string, vars: string[] = []) => taintedOutputsOfGithubScript(script, new Set(vars), {});

  test('payload paths in dot, bracket and optional forms; numbers and string literals are clean', () => {
    expect(scan("core.setOutput('a', context.payload.pull_request.title)")).toEqual(['a']);
    expect(scan("core.setOutput('a', context.payload['pull_request']?.['body'])")).toEqual(['a']);
    expect(scan("core.setOutput('a', JSON.stringify(context.payload.pull_request))")).toEqual(['a']);
    expect(scan("core.setOutput('a', context.payload.pull_request.number)")).toEqual([]);
    expect(scan("core.setOutput('a', 'context.payload.pull_request.title') // context.payload.issue.body")).toEqual([]);
    expect(scan("core.setOutput('a', context.sha); core.setOutput(name, context.payload.issue.title)")).toEqual([]);
  });

  test('tainted env, variables, destructuring, reassignment and the return value', () => {
    expect(scan("core.setOutput('a', process.env.TITLE)", ['TITLE'])).toEqual(['a']);
    expect(scan("core.setOutput('a', process.env.OTHER)", ['TITLE'])).toEqual([]);
    expect(scan("const { title, number: n } = context.payload.issue;\ncore.setOutput('t', title);\ncore.setOutput('n', n);")).toEqual(['t']);
    expect(scan("let t = context.payload.comment.body;\nt = 'fixed';\ncore.setOutput('t', t);")).toEqual([]);
    expect(scan("const pr = context.payload.pull_request;\nconst x = `#${pr.number}: ${pr.head.ref}`;\ncore.setOutput('x', x)")).toEqual(['x']);
    expect(scan('const body = context.payload.issue.body\nreturn body.split("\\n")[0]')).toEqual(['result']);
    expect(scan('return context.payload.issue.number')).toEqual([]);
    expect(scan("const t =\n  context.payload.issue.title;\nconst u = [\n  t,\n].join(' ');\ncore.setOutput(\n  'u',\n  u,\n);")).toEqual(['u']);
  });

  test('quotes and backticks inside regular expression literals do not hide the code after them', () => {
    expect(scan("const body = context.payload.comment.body\nconst c = body.replace(/`/g, '')\ncore.setOutput('b', body)")).toEqual(['b']);
    expect(scan("const t = context.payload.issue.title.replace(/'/g, ''); core.setOutput('t', t)")).toEqual(['t']);
    expect(scan("const n = 4 / 2; const t = context.payload.issue.title; core.setOutput('t', t / 1)")).toEqual(['t']);
    expect(scan("const s = 'a' + `b`; core.setOutput('s', s)")).toEqual([]);
    // an unterminated template literal: the scan keeps every character as code rather than hide any
    expect(scan("const x = `open\ncore.setOutput('t', context.payload.issue.title)")).toEqual(['t']);
  });

  test('steps of a parallel group do not see each other\'s outputs; the steps after the group see them all', () => {
    const seen: { [where: string]: string[] } = {};
    walkSteps([{
      parallel: [
        { id: 'a', run: 'echo "o=${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"' },
        { id: 'b', run: 'echo "o=$X" >> "$GITHUB_OUTPUT"' },
      ],
    }, { id: 'c', run: 'true' }], {}, [], ({ location, trust }) => {
      seen[location.join('.')] = (trust.tainted ?? []).map((t) => t.path.join('.'));
    });
    expect(seen['0.parallel.1']).not.toContain('steps.a.outputs.o');
    expect(seen['1']).toContain('steps.a.outputs.o');
  });

  test('matrix axes, include keys and expressions', () => {
    const trust = {};
    expect(matrixTaint({ matrix: { os: ['a'], t: [{ x: '${{ github.head_ref }}' }] } }, trust).map((t) => t.path.join('.'))).toEqual(['matrix.t']);
    expect(matrixTaint({ matrix: { include: '${{ fromJSON(github.event.issue.body) }}' } }, trust).map((t) => t.path.join('.'))).toEqual(['matrix']);
    expect(matrixTaint({ matrix: { os: ['a'], exclude: [{ os: '${{ github.head_ref }}' }] } }, trust)).toEqual([]);
    expect(matrixTaint({ matrix: '${{ fromJSON(vars.MATRIX) }}' }, trust)).toEqual([]);
  });
});

test('the new sources reach the same refusals: where no rewrite is safe, synth fails with the fix', () => {
  const problems = synthProblems((app) => {
    const wf = new Workflow(app, 'triage', { triggers: [Trigger.event('issues', { types: ['opened'] })] });
    new Job(wf, 'a', {
      strategy: { matrix: Matrix.of({ label: ['${{ github.event.issue.title }}'] }) },
      steps: [
        Step.uses(GITHUB_SCRIPT, { id: 'gs', with: { script: "core.setOutput('body', context.payload.issue.body)" } }),
        Step.run("cat <<'EOF'\n${{ steps.gs.outputs.body }}\nEOF"),
        Step.run('echo $(( ${{ matrix.label }} + 1 ))'),
      ],
    });
  });
  expect(problems).toEqual([
    expect.stringMatching(/^\[triage\/a\] step 2 interpolates untrusted input \(\$\{\{ steps\.gs\.outputs\.body \}\}\) into its script, where it sits in a quoted here-document .*printf '%s' "\$STEP_GS_BODY"/),
    expect.stringMatching(/^\[triage\/a\] step 3 interpolates untrusted input \(\$\{\{ matrix\.label \}\}\) into its script, where it sits in shell arithmetic/),
  ]);
});
