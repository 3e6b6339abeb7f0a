import { execFileSync } from 'child_process';
import * as YAML from 'yaml';
import { SlipwayError } from '../../src/core/errors';
import { Testing } from '../../src/core/testing';
import { Action, DispatchInput, Job, RunsOn, Step, Trigger, Workflow, WorkflowCallInput } from '../../src/github';
import { moveUntrustedInput, ScriptLanguage, untrustedInputOf } from '../../src/github/untrusted-input';
import { expectValid, validateFiles } from '../support/harness';

function synthSteps(steps: Step[], runsOn?: RunsOn): { files: { [path: string]: string }; steps: any[] } {
  const app = Testing.app();
  const wf = new Workflow(app, 'pr', { triggers: [Trigger.pullRequestTarget({ types: ['opened'] }), Trigger.event('issue_comment', { types: ['created'] })] });
  new Job(wf, 'greet', { runsOn, steps });
  const files = Testing.synth(app);
  expectValid(files);
  return { files, steps: YAML.parse(files['.github/workflows/pr.yml']).jobs.greet.steps };
}

describe('untrusted input in run: scripts', () => {
  test('each untrusted expression moves into env with a deterministic name', () => {
    const { files, steps } = synthSteps([
      Step.run([
        'echo "Title: ${{ github.event.pull_request.title }}"',
        'git checkout ${{ github.head_ref }}',
        "echo '${{ github.event.comment.body }}'",
        'echo ${{ github.event.pull_request.number }}',
        'echo "${{ github.event.commits[0].message }} / ${{ github.event.head_commit.author.email }}"',
      ].join('\n'), { env: { KEEP: 'me' } }),
    ]);
    expect(steps[0]).toEqual({
      run: [
        'echo "Title: ${PR_TITLE}"',
        'git checkout "$GITHUB_HEAD_REF"',
        'echo \'\'"$COMMENT_BODY"\'\'',
        'echo ${{ github.event.pull_request.number }}',
        'echo "${COMMIT_MESSAGE} / ${HEAD_COMMIT_AUTHOR_EMAIL}"',
      ].join('\n'),
      env: {
        KEEP: 'me',
        PR_TITLE: '${{ github.event.pull_request.title }}',
        GITHUB_HEAD_REF: '${{ github.head_ref }}',
        COMMENT_BODY: '${{ github.event.comment.body }}',
        COMMIT_MESSAGE: '${{ github.event.commits[0].message }}',
        HEAD_COMMIT_AUTHOR_EMAIL: '${{ github.event.head_commit.author.email }}',
      },
    });
    expectValid(files);
  });

  test('actionlint reports the same script when slipway does not rewrite it', () => {
    const raw = [
      'on: pull_request',
      'jobs:',
      '  greet:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '',
    ].join('\n');
    const findings = validateFiles({ '.github/workflows/pr.yml': raw }).findings.filter((f) => f.validator === 'actionlint');
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/\[expression\].*"github\.event\.pull_request\.title" is potentially untrusted/)]);
  });

  test('a name taken by another value gets a suffix; the same expression reuses the variable', () => {
    const { steps } = synthSteps([
      Step.run('echo ${{ github.event.issue.title }} ${{ github.event.issue.title }}', { env: { ISSUE_TITLE: 'fixed' } }),
    ]);
    expect(steps[0].run).toBe('echo "$ISSUE_TITLE_2" "$ISSUE_TITLE_2"');
    expect(steps[0].env).toEqual({ ISSUE_TITLE: 'fixed', ISSUE_TITLE_2: '${{ github.event.issue.title }}' });
  });

  test('an expression that only contains untrusted input moves as a whole', () => {
    const { steps } = synthSteps([Step.run("echo ${{ format('{0}!', github.event.review.body) }}")]);
    expect(steps[0]).toEqual({ run: 'echo "$REVIEW_BODY"', env: { REVIEW_BODY: "${{ format('{0}!', github.event.review.body) }}" } });
  });

  test('pwsh scripts read $env:', () => {
    const { steps } = synthSteps([Step.run('Write-Output "${{ github.event.issue.body }}"; Write-Output ${{ github.head_ref }}', { shell: 'pwsh' })], RunsOn.WINDOWS_LATEST);
    expect(steps[0].run).toBe('Write-Output "$($env:ISSUE_BODY)"; Write-Output $env:GITHUB_HEAD_REF');
  });

  test('detection of untrusted expressions', () => {
    expect(untrustedInputOf('github.event.pull_request.title')).toBe('PR_TITLE');
    expect(untrustedInputOf('github.event.pull_request.title_x')).toBeUndefined();
    expect(untrustedInputOf("contains(github.event.pull_request.labels.*.name, 'x')")).toBeUndefined();
    expect(untrustedInputOf("'github.head_ref'")).toBeUndefined();
    expect(untrustedInputOf("github.event.pages['0'].page_name")).toBe('PAGE_NAME');
  });

  test('a shell slipway cannot rewrite, or an unknown runner shell, is an error', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'pr', { triggers: [Trigger.pullRequest()] });
    new Job(wf, 'py', { steps: [Step.run('print("${{ github.event.pull_request.body }}")', { shell: 'python' })] });
    new Job(wf, 'any', { runsOn: RunsOn.label('${{ matrix.os }}'), steps: [Step.run('echo ${{ github.head_ref }}')] });
    let problems: string[] = [];
    try {
      Testing.synth(app);
    } catch (e) {
      problems = (e as SlipwayError).problems;
    }
    expect(problems).toContain('[pr/py] step 1 interpolates untrusted input (${{ github.event.pull_request.body }}) into a "python" script; slipway can only move it into env for bash, sh and pwsh. Put it in the step\'s env yourself and read the variable in the script');
    expect(problems).toContain('[pr/any] step 1 interpolates untrusted input (${{ github.head_ref }}) into its script, and its shell depends on the runner; set "shell" ("bash" or "pwsh") so slipway can move the value into env safely');
  });

  test('the quoting heuristic skips comments and escaped quotes', () => {
    const r = moveUntrustedInput('# it\'s "fine"\necho \\"${{ github.head_ref }}', ScriptLanguage.POSIX, {});
    expect(r.script).toBe('# it\'s "fine"\necho \\""$GITHUB_HEAD_REF"');
  });
});

/** A value that runs commands wherever it is read as shell or JavaScript code. */
const HOSTILE = 'a  b\'"; echo INJECTED; $(echo INJECTED) `echo INJECTED` ${x} $((1+1)) */ // ${process.exit(3)}\nEOF\necho INJECTED';

/** Rewrites `script` (one untrusted expression), runs it with the value in env, and returns stdout. */
function runPosix(script: string, shell: 'bash' | 'dash' = 'bash'): string {
  const r = moveUntrustedInput(script, ScriptLanguage.POSIX, {});
  expect(r.unmoved).toEqual([]);
  expect(Object.keys(r.env)).toHaveLength(1);
  const env = Object.fromEntries(Object.keys(r.env).map((k) => [k, HOSTILE]));
  return execFileSync(shell, [...(shell === 'bash' ? ['--noprofile', '--norc'] : []), '-e', '-c', r.script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
}

describe('untrusted expressions are found in the parsed expression', () => {
  test.each([
    ['github.event.PULL_REQUEST.TITLE', 'PR_TITLE'],
    ['GITHUB.EVENT.ISSUE.TITLE', 'ISSUE_TITLE'],
    ["github.event['pull_request']['title']", 'PR_TITLE'],
    ['github.event[\'Pull_Request\'].body', 'PR_BODY'],
    ['github.event.commits.*.message', 'COMMIT_MESSAGE'],
    ["join(github.event.commits.*.message, ', ')", 'COMMIT_MESSAGE'],
    ['toJSON(github.event)', 'GITHUB_EVENT'],
    ['toJson(github)', 'GITHUB_CONTEXT'],
    ['github.event.pull_request', 'PULL_REQUEST'],
    ['github.event.pull_request.head', 'PULL_REQUEST_HEAD'],
    ['github.event.workflow_run.head_repository.description', 'WORKFLOW_RUN_HEAD_REPOSITORY_DESCRIPTION'],
    ['github.event.workflow_run.head_commit', 'WORKFLOW_RUN_HEAD_COMMIT'],
    ['github.event.release.body', 'RELEASE_BODY'],
    ['github.event.release.name', 'RELEASE_NAME'],
    ['github.event.discussion.title', 'DISCUSSION_TITLE'],
    ['github.event.client_payload.command', 'CLIENT_PAYLOAD_COMMAND'],
    ['github.event.client_payload', 'CLIENT_PAYLOAD'],
    ['github.event.changes.title.from', 'CHANGES_TITLE_FROM'],
    ['github.event.pages[0].page_name', 'PAGE_NAME'],
    ['github.event.*.title', 'PR_TITLE'],
    ['github.event[matrix.field]', 'GITHUB_EVENT'],
    ['fromJSON(github.event.comment.body).command', 'COMMENT_BODY'],
    ["github.event.pull_request.title || 'none'", 'PR_TITLE'],
    ["format('{0}', github.head_ref)", 'GITHUB_HEAD_REF'],
    ['github.event.issue.title)', 'UNPARSED'],
  ])('%s is untrusted (%s)', (expression, env) => {
    expect(untrustedInputOf(expression)).toBe(env);
  });

  test.each([
    'github.event.pull_request.number',
    'github.sha',
    'github.event_name',
    'github.event.pull_request.head.sha',
    'github.event.pull_request.head.repo.full_name',
    'github.event.commits[0].id',
    "contains(github.event.pull_request.labels.*.name, 'x')",
    "startsWith(github.event.pull_request.title, 'feat')",
    "github.event.pull_request.title == 'x'",
    '!github.event.issue.body',
    "'github.event.issue.title'",
    "format('{0}', 'github.head_ref')",
    'inputs.name',
    'steps.x.outputs.title',
  ])('%s is safe', (expression) => {
    expect(untrustedInputOf(expression)).toBeUndefined();
  });

  test('inputs are untrusted where a caller chooses them', () => {
    expect(untrustedInputOf('inputs.name', { untrustedInputs: true })).toBe('INPUT_NAME');
    expect(untrustedInputOf('Inputs.Log-Level', { untrustedInputs: true })).toBe('INPUT_LOG_LEVEL');
  });
});

describe('the rewrite is correct in every shell context (executed with a hostile value)', () => {
  test.each([
    ['unquoted', 'echo ${{ github.event.PULL_REQUEST.TITLE }}', `${HOSTILE}\n`],
    ['double quotes', 'echo "T: ${{ GITHUB.EVENT.ISSUE.TITLE }}."', `T: ${HOSTILE}.\n`],
    ['single quotes', "echo 'T: ${{ github.event['pull_request']['title'] }}.'", `T: ${HOSTILE}.\n`],
    ['$\'…\' quotes', "echo $'T:\\t${{ github.head_ref }}.'", `T:\t${HOSTILE}.\n`],
    ['$(…) inside double quotes', 'echo "$(printf \'%s\' ${{ github.event.comment.body }})"', `${HOSTILE}\n`],
    ['backticks', 'echo "`printf \'%s\' ${{ github.event.comment.body }}`"', `${HOSTILE}\n`],
    ['${…:-…} inside double quotes', 'echo "${UNSET:-${{ github.head_ref }}}"', `${HOSTILE}\n`],
    ['\'…\' inside "${…}" (literal quotes)', 'echo "${UNSET:-\'${{ github.head_ref }}\'}"', `'${HOSTILE}'\n`],
    ['after an arithmetic command with a shift', 'x=1; (( x = x << 2 ))\necho "$x ${{ github.head_ref }}"', `4 ${HOSTILE}\n`],
    ['unquoted heredoc', 'cat <<EOF\nT: "${{ github.event.issue.body }}"\nEOF\necho done', `T: "${HOSTILE}"\ndone\n`],
    ['heredoc with tab stripping', 'cat <<-END\n\tT: ${{ github.event.issue.body }}\n\tEND\necho "$(cat <<X\nnested\nX\n)"', `T: ${HOSTILE}\nnested\n`],
    ['comment', '# ${{ github.event.issue.body }}\necho ok', 'ok\n'],
    ['a quoted heredoc before', "cat <<'EOF'\n${{ github.sha }} $x\nEOF\necho \"${{ github.head_ref }}\"", `\${{ github.sha }} $x\n${HOSTILE}\n`],
  ])('%s', (_, script, expected) => {
    expect(runPosix(script)).toBe(expected);
  });

  test('sh (dash) reads the same rewrite', () => {
    expect(runPosix('echo "T: ${{ github.head_ref }}" \'${{ github.head_ref }}\'', 'dash')).toBe(`T: ${HOSTILE} ${HOSTILE}\n`);
  });

  test.each([
    ['a quoted heredoc', "cat <<'EOF'\n${{ github.head_ref }}\nEOF", /quoted here-document .*use an unquoted delimiter/],
    ['a "quoted" heredoc', 'cat <<"EOF"\n${{ github.head_ref }}\nEOF', /quoted here-document/],
    ['an escaped heredoc delimiter', 'cat <<\\EOF\n${{ github.head_ref }}\nEOF', /quoted here-document/],
    ['arithmetic', 'echo $(( ${{ github.event.issue.title }} + 1 ))', /shell arithmetic/],
    ['an arithmetic command', '(( n = ${{ github.event.issue.title }} ))', /shell arithmetic/],
    ['a backslash', 'echo \\${{ github.head_ref }}', /follows a backslash/],
    ['an expression that does not parse', 'echo ${{ github.head_ref ) }}', /does not parse/],
  ])('%s is refused with the fix', (_, script, reason) => {
    const r = moveUntrustedInput(script, ScriptLanguage.POSIX, {});
    expect(r.unmoved).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason) })]);
    expect(r.script).toBe(script);
  });

  test('pwsh: here-strings and single quotes', () => {
    const expand = moveUntrustedInput('$x = @"\nT: ${{ github.head_ref }}\n"@\necho $x # ${{ github.head_ref }}', ScriptLanguage.POWERSHELL, {});
    expect(expand.script).toBe('$x = @"\nT: $($env:GITHUB_HEAD_REF)\n"@\necho $x # $env:GITHUB_HEAD_REF');
    expect(moveUntrustedInput("$x = @'\n${{ github.head_ref }}\n'@", ScriptLanguage.POWERSHELL, {}).unmoved).toEqual([expect.objectContaining({ reason: expect.stringMatching(/literal here-string/) })]);
    expect(moveUntrustedInput("echo '${{ github.head_ref }}'", ScriptLanguage.POWERSHELL, {}).unmoved).toEqual([expect.objectContaining({ reason: expect.stringMatching(/single-quoted PowerShell string/) })]);
  });

  test('JavaScript: code, strings, template literals and comments (executed with node)', () => {
    const script = [
      'const a = ${{ toJSON(github.event.issue.title) }};',
      "const b = 'T: ${{ github.event.issue.title }}.';",
      'const c = "${{ github.event.issue.title }}";',
      'const d = `T: ${{ github.event.issue.title }} ${1 + 1}`;',
      '// ${{ github.event.issue.title }}',
      'console.log(JSON.stringify([typeof a, b, c, d]));',
    ].join('\n');
    const r = moveUntrustedInput(script, ScriptLanguage.JAVASCRIPT, {});
    expect(r.unmoved).toEqual([]);
    expect(r.script).toBe([
      'const a = process.env.ISSUE_TITLE;',
      "const b = ('T: ' + process.env.ISSUE_TITLE_2 + '.');",
      'const c = process.env.ISSUE_TITLE_2;',
      'const d = `T: ${process.env.ISSUE_TITLE_2} ${1 + 1}`;',
      '// process.env.ISSUE_TITLE_2',
      'console.log(JSON.stringify([typeof a, b, c, d]));',
    ].join('\n'));
    const out = execFileSync(process.execPath, ['-e', r.script], { env: { ISSUE_TITLE: JSON.stringify(HOSTILE), ISSUE_TITLE_2: HOSTILE }, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['string', `T: ${HOSTILE}.`, HOSTILE, `T: ${HOSTILE} 2`]);
  });
});

describe('every place that becomes code is checked', () => {
  function synth(build: (wf: Workflow) => void, triggers = [Trigger.pullRequestTarget()]): { files: { [path: string]: string }; problems: string[] } {
    const app = Testing.app();
    const wf = new Workflow(app, 'pr', { triggers });
    build(wf);
    try {
      return { files: Testing.synth(app), problems: [] };
    } catch (e) {
      return { files: {}, problems: (e as SlipwayError).problems };
    }
  }

  test('actions/github-script "script" is JavaScript', () => {
    const { files } = synth((wf) => new Job(wf, 'label', {
      steps: [Step.uses(Action.of('actions/github-script', 'v7', { sha: 'f28e40c7f34bde8b3046d885e986cb6290c5673b' }), {
        with: { script: "await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: ['${{ github.event.comment.body }}'] });" },
      })],
    }));
    expectValid(files);
    const step = YAML.parse(files['.github/workflows/pr.yml']).jobs.label.steps[0];
    expect(step.with.script).toBe('await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: [process.env.COMMENT_BODY] });');
    expect(step.env).toEqual({ COMMENT_BODY: '${{ github.event.comment.body }}' });
  });

  test('a run: set through a job or workflow override is rewritten too', () => {
    const { files } = synth((wf) => {
      const job = new Job(wf, 'a', { steps: [Step.run('true'), Step.run('true')] });
      job.addOverride('steps.0.run', 'echo "${{ github.event.pull_request.title }}"');
      wf.addOverride('jobs.a.steps.1', { run: 'echo ${{ github.head_ref }}' });
    });
    expectValid(files);
    const steps = YAML.parse(files['.github/workflows/pr.yml']).jobs.a.steps;
    expect(steps[0]).toEqual({ run: 'echo "${PR_TITLE}"', env: { PR_TITLE: '${{ github.event.pull_request.title }}' } });
    expect(steps[1]).toEqual({ run: 'echo "$GITHUB_HEAD_REF"', env: { GITHUB_HEAD_REF: '${{ github.head_ref }}' } });
  });

  test('an override that no rewrite can make safe fails synth with the path and the fix', () => {
    const { problems } = synth((wf) => {
      const job = new Job(wf, 'a', { steps: [Step.run('true')] });
      job.addOverride('steps.0.run', "cat <<'EOF'\n${{ github.event.issue.body }}\nEOF");
      wf.addOverride('jobs.extra', { 'runs-on': 'ubuntu-latest', 'steps': [{ run: 'echo $(( ${{ github.event.issue.title }} ))' }] });
    });
    expect(problems.sort()).toEqual([
      '[pr/a] step 1 interpolates untrusted input (${{ github.event.issue.body }}) into its script, where it sits in a quoted here-document (<<\'EOF\'), where a variable is written literally; use an unquoted delimiter (<<EOF) and slipway writes ${ISSUE_BODY}, or print the value outside it with printf \'%s\' "$ISSUE_BODY" (with ISSUE_BODY: ${{ github.event.issue.body }} in the step\'s env)',
      '[pr] job "extra": step 1 interpolates untrusted input (${{ github.event.issue.title }}) into its script, where it sits in shell arithmetic ($((…)) or ((…))), where the shell evaluates a variable\'s value as arithmetic again (and runs $(…) in array subscripts); put it in the step\'s env yourself, check it is a number, then compute',
    ]);
  });

  test('inputs of a reusable workflow are untrusted; of workflow_dispatch they are not', () => {
    const call = synth((wf) => new Job(wf, 'a', { steps: [Step.run('echo "${{ inputs.name }}"')] }), [Trigger.workflowCall({ inputs: { name: WorkflowCallInput.string() } })]);
    expectValid(call.files);
    expect(YAML.parse(call.files['.github/workflows/pr.yml']).jobs.a.steps[0]).toEqual({ run: 'echo "${INPUT_NAME}"', env: { INPUT_NAME: '${{ inputs.name }}' } });
    const dispatch = synth((wf) => new Job(wf, 'a', { steps: [Step.run('echo "${{ inputs.name }}"')] }), [Trigger.workflowDispatch({ inputs: { name: DispatchInput.string() } })]);
    expect(YAML.parse(dispatch.files['.github/workflows/pr.yml']).jobs.a.steps[0]).toEqual({ run: 'echo "${{ inputs.name }}"' });
  });
});
