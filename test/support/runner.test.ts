/**
 * Tests of the runner simulator: each GitHub Actions semantic it claims is proven with real
 * bash steps. Time is scaled so that one `timeout-minutes` lasts 300 ms.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { evaluate, evaluateCondition, ExprValue, interpolate, JobResult, runJob, RunJobOptions, UnsupportedError } from './runner';

const TIME_SCALE = 300 / 60000; // 1 minute = 300 ms

let workspace: string;
beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
});
afterEach(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
});

/** Runs job `job` of a workflow given as YAML text. */
function run(workflowYaml: string, options: Partial<RunJobOptions> = {}): Promise<JobResult> {
  return runJob({ workflow: YAML.parse(workflowYaml), jobId: 'job', workspace, timeScale: TIME_SCALE, ...options });
}

/** A job of the given steps (YAML text, indented for `steps:`) with optional job-level keys. */
function jobYaml(steps: string, jobKeys = '', top = ''): string {
  return `${top}
on: push
jobs:
  job:
    runs-on: ubuntu-latest
${jobKeys.split('\n').map((l) => (l.trim() ? `    ${l}` : l)).join('\n')}
    steps:
${steps.split('\n').map((l) => (l.trim() ? `      ${l}` : l)).join('\n')}
`;
}

function step(r: JobResult, name: string) {
  const s = r.steps.find((x) => x.id === name || x.name === name);
  if (!s) throw new Error(`no step ${name}; steps: ${r.steps.map((x) => x.id ?? x.name).join(', ')}`);
  return s;
}

/** Whether a process is alive (a zombie counts as dead). */
function alive(pid: number): boolean {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

describe('environment', () => {
  test('workflow < job < step env, with expressions, and the default variables', async () => {
    const r = await run(jobYaml(`
- id: show
  env:
    C: step
    D: \${{ env.B }}-from-step
  run: |
    echo "A=$A B=$B C=$C D=$D"
    echo "RUN_ID=$GITHUB_RUN_ID ATTEMPT=$GITHUB_RUN_ATTEMPT SHA=$GITHUB_SHA REF=$GITHUB_REF EVENT=$GITHUB_EVENT_NAME REPO=$GITHUB_REPOSITORY"
    echo "CI=$CI OS=$RUNNER_OS WS=$GITHUB_WORKSPACE PWD=$PWD EXTRA=$EXTRA"
    test -d "$RUNNER_TEMP"
    test -f "$GITHUB_STEP_SUMMARY"
`, `env:
  B: job
  C: job`, `env:
  A: wf
  B: wf
  C: wf
  E: \${{ github.run_id }}`), { env: { EXTRA: 'machine' }, contexts: { github: { run_id: '42' } } });
    expect(r.result).toBe('success');
    const log = step(r, 'show').log;
    expect(log).toContain('A=wf B=job C=step D=job-from-step');
    expect(log).toContain(`RUN_ID=42 ATTEMPT=1 SHA=${'a'.repeat(40)} REF=refs/heads/main EVENT=push REPO=`);
    expect(log).toContain(`CI=true OS=Linux WS=${workspace} PWD=${workspace} EXTRA=machine`);
  });

  test('a fresh RUNNER_TEMP per job', async () => {
    const y = jobYaml('- run: echo "temp=$RUNNER_TEMP"; ls -A "$RUNNER_TEMP" | grep -v "\\.sh$" | wc -l');
    const a = await run(y);
    const b = await run(y);
    const temp = (r: JobResult) => /temp=(\S+)/.exec(r.steps[0].log)![1];
    expect(temp(a)).not.toBe(temp(b));
    expect(a.steps[0].log).toMatch(/^0$/m);
  });

  test('$GITHUB_ENV, $GITHUB_OUTPUT (both forms), $GITHUB_PATH and $GITHUB_STEP_SUMMARY', async () => {
    const r = await run(jobYaml(`
- id: write
  run: |
    echo "SIMPLE=one=two" >> "$GITHUB_ENV"
    { echo "MULTI<<EOF_X"; echo "line 1"; echo "line 2"; echo "EOF_X"; } >> "$GITHUB_ENV"
    echo "plain=value" >> "$GITHUB_OUTPUT"
    printf 'lines<<DELIM\\nfirst\\nsecond\\nDELIM\\n' >> "$GITHUB_OUTPUT"
    mkdir -p "$GITHUB_WORKSPACE/bin"
    printf '#!/bin/sh\\necho from-added-path\\n' > "$GITHUB_WORKSPACE/bin/mytool"
    chmod +x "$GITHUB_WORKSPACE/bin/mytool"
    echo "$GITHUB_WORKSPACE/bin" >> "$GITHUB_PATH"
    echo "# Summary" >> "$GITHUB_STEP_SUMMARY"
    echo "in this step: SIMPLE=[$SIMPLE]"
- id: read
  env:
    FROM_OUTPUT: \${{ steps.write.outputs.lines }}
  run: |
    echo "SIMPLE=[$SIMPLE]"
    echo "MULTI=[$MULTI]"
    echo "FROM_OUTPUT=[$FROM_OUTPUT]"
    echo "plain=[\${{ steps.write.outputs.plain }}] env=[\${{ env.SIMPLE }}]"
    mytool
`));
    expect(r.result).toBe('success');
    expect(step(r, 'write').outputs).toEqual({ plain: 'value', lines: 'first\nsecond' });
    expect(step(r, 'write').log).toContain('in this step: SIMPLE=[]');
    const log = step(r, 'read').log;
    expect(log).toContain('SIMPLE=[one=two]');
    expect(log).toContain('MULTI=[line 1\nline 2]');
    expect(log).toContain('FROM_OUTPUT=[first\nsecond]');
    expect(log).toContain('plain=[value] env=[one=two]');
    expect(log).toContain('from-added-path');
    expect(r.summary).toBe('# Summary\n');
  });

  test('a heredoc without its delimiter fails the step', async () => {
    const r = await run(jobYaml('- run: printf "X<<EOF\\nvalue\\n" >> "$GITHUB_OUTPUT"'));
    expect(r.result).toBe('failure');
    expect(r.steps[0].log).toContain('Matching delimiter not found');
  });

  test('working-directory, defaults.run.working-directory and PATH from options', async () => {
    fs.mkdirSync(path.join(workspace, 'a', 'b'), { recursive: true });
    const stubs = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-stubs-'));
    fs.writeFileSync(path.join(stubs, 'helm'), '#!/bin/sh\necho "stub helm $*"\n', { mode: 0o755 });
    const r = await run(jobYaml(`
- run: pwd; helm version
- run: pwd
  working-directory: a/b`, `defaults:
  run:
    working-directory: a`), { path: [stubs] });
    fs.rmSync(stubs, { recursive: true, force: true });
    expect(r.steps[0].log).toContain(`${path.join(workspace, 'a')}\nstub helm version`);
    expect(r.steps[1].log).toContain(path.join(workspace, 'a', 'b'));
  });

  test('secrets and ::add-mask:: values are masked in the logs', async () => {
    const r = await run(jobYaml(`
- run: |
    echo "token=\${{ secrets.TOKEN }}"
    echo "::add-mask::hidden-value"
    echo "later: hidden-value"
    echo "::warning file=a.txt::careful"`), { contexts: { secrets: { TOKEN: 's3cr3t' } } });
    expect(r.steps[0].log).toContain('token=***');
    expect(r.steps[0].log).toContain('later: ***');
    expect(r.log).not.toContain('s3cr3t');
    expect(r.annotations).toEqual([expect.objectContaining({ level: 'warning', message: 'careful', properties: { file: 'a.txt' } })]);
  });
});

describe('shells', () => {
  test('no shell: is bash -e without pipefail; shell: bash has pipefail', async () => {
    const r = await run(jobYaml(`
- id: default
  run: false | true
- id: explicit
  continue-on-error: true
  run: false | true
  shell: bash
- id: errexit
  continue-on-error: true
  run: |
    false
    echo not reached
- id: sh
  shell: sh
  run: echo "sh - $0"`));
    expect(step(r, 'default').outcome).toBe('success');
    expect(step(r, 'explicit').outcome).toBe('failure');
    expect(step(r, 'explicit').log).toContain('Process completed with exit code 1.');
    expect(step(r, 'errexit').outcome).toBe('failure');
    expect(step(r, 'errexit').log).not.toContain('not reached');
    expect(step(r, 'sh').log).toMatch(/sh - \S+\.sh/);
  });

  test('defaults.run.shell: bash (workflow, then job) applies pipefail', async () => {
    const wf = (jobDefaults: string) => jobYaml('- run: false | true', jobDefaults, `defaults:
  run:
    shell: bash`);
    expect((await run(wf(''))).result).toBe('failure');
    expect((await run(wf(`defaults:
  run:
    shell: bash -e {0}`))).result).toBe('success');
  });
});

describe('status functions and continue-on-error', () => {
  const steps = (first: string) => `
- id: first
  run: ${first}
- id: next
  run: echo next
- id: on-failure
  if: failure()
  run: echo handling failure
- id: on-success-expr
  if: github.event_name == 'push'
  run: echo implicit success
- id: always
  if: \${{ always() }}
  run: echo always
- id: on-cancel
  if: cancelled()
  run: echo cancelled`;

  test('after a failure: failure() and always() steps run, the others are skipped', async () => {
    const r = await run(jobYaml(steps('exit 3')));
    expect(r.result).toBe('failure');
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['first', 'failure'], ['next', 'skipped'], ['on-failure', 'success'], ['on-success-expr', 'skipped'], ['always', 'success'], ['on-cancel', 'skipped'],
    ]);
    expect(step(r, 'first').exitCode).toBe(3);
  });

  test('without a failure: failure() steps are skipped', async () => {
    const r = await run(jobYaml(steps('true')));
    expect(r.result).toBe('success');
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['first', 'success'], ['next', 'success'], ['on-failure', 'skipped'], ['on-success-expr', 'success'], ['always', 'success'], ['on-cancel', 'skipped'],
    ]);
  });

  test('continue-on-error: outcome failure, conclusion success, the job goes on', async () => {
    const r = await run(jobYaml(`
- id: flaky
  continue-on-error: true
  run: exit 1
- id: after
  run: echo "outcome=\${{ steps.flaky.outcome }} conclusion=\${{ steps.flaky.conclusion }}"
- id: on-failure
  if: failure()
  run: echo no`));
    expect(r.result).toBe('success');
    expect(step(r, 'flaky')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(step(r, 'after').log).toContain('outcome=failure conclusion=success');
    expect(step(r, 'on-failure').outcome).toBe('skipped');
  });

  test('an invalid condition fails the step', async () => {
    const r = await run(jobYaml(`
- if: nosuchcontext.x == 1
  run: echo no`));
    expect(r.result).toBe('failure');
    expect(r.steps[0].log).toContain('Unrecognized named-value');
  });
});

describe('timeouts and cancellation', () => {
  /** A step that starts two background sleeps and a foreground one, and records their PIDs. */
  const hangingSteps = (pids: string) => `
- id: hang
  timeout-minutes: 1
  run: |
    sleep 1000 & echo $! >> "${pids}"
    bash -c 'sleep 1000' & echo $! >> "${pids}"
    echo $$ >> "${pids}"
    sleep 1000
- id: check
  if: always()
  run: |
    for p in $(cat "${pids}"); do
      if [ -e /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status; then echo "alive $p"; fi
    done
    echo checked`;

  test('step timeout-minutes stops the step, which fails; its children die with the job at the latest', async () => {
    const pids = path.join(workspace, 'pids');
    const started = Date.now();
    const r = await run(jobYaml(hangingSteps(pids)));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(step(r, 'hang')).toMatchObject({ outcome: 'failure', conclusion: 'failure', timedOut: true });
    expect(step(r, 'hang').log).toContain('has timed out');
    expect(step(r, 'hang').durationMs).toBeGreaterThanOrEqual(250);
    expect(r.result).toBe('failure');
    const [bg1, bg2, shell] = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    // As on GitHub, the signals go to the shell only: its children outlive the step ...
    const check = step(r, 'check').log;
    expect(check).toContain('checked');
    expect(check).not.toContain(`alive ${shell}`);
    expect(check).toContain(`alive ${bg1}`);
    expect(check).toContain(`alive ${bg2}`);
    // ... until the end of the job.
    for (const pid of [bg1, bg2, shell]) expect(alive(pid)).toBe(false);
  });

  test("killMode 'group': the step's whole process group is stopped with it", async () => {
    const pids = path.join(workspace, 'pids');
    const r = await run(jobYaml(hangingSteps(pids)), { killMode: 'group' });
    expect(step(r, 'hang')).toMatchObject({ outcome: 'failure', timedOut: true });
    expect(step(r, 'check').log).toContain('checked');
    expect(step(r, 'check').log).not.toContain('alive');
    const list = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(list).toHaveLength(3);
    for (const pid of list) expect(alive(pid)).toBe(false);
  });

  test('job timeout-minutes cancels the job: always() and cancelled() steps run, failure() steps do not', async () => {
    const r = await run(jobYaml(`
- id: hang
  run: sleep 1000
- id: next
  run: echo next
- id: on-failure
  if: failure()
  run: echo failure
- id: on-failure-or-cancel
  if: failure() || cancelled()
  run: echo "rollback, job status \${{ job.status }}"
- id: always
  if: always()
  run: echo always
- id: success-or-cancel
  if: success() || cancelled()
  run: echo ok`, 'timeout-minutes: 1'));
    expect(r.result).toBe('cancelled');
    expect(r.cancelReason).toBe('timeout');
    expect(r.log).toContain('has exceeded the maximum execution time of 1 minutes');
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['hang', 'cancelled'], ['next', 'skipped'], ['on-failure', 'skipped'], ['on-failure-or-cancel', 'success'], ['always', 'success'], ['success-or-cancel', 'success'],
    ]);
    expect(step(r, 'on-failure-or-cancel').log).toContain('rollback, job status cancelled');
  });

  test('cancelAt: SIGINT reaches the step (a trap sees it) and cancelled() steps run', async () => {
    const marker = path.join(workspace, 'got-int');
    const r = await run(jobYaml(`
- id: deploy
  run: |
    trap 'echo INT > "${marker}"; exit 130' INT
    echo ready
    sleep 1000 & wait $!
- id: next
  run: echo next
- id: on-failure
  if: failure()
  run: echo failure
- id: rollback
  if: cancelled()
  run: echo "rollback after \${{ steps.deploy.outcome }}"`), { cancelAt: { step: 'deploy', afterMs: 300 } });
    expect(fs.readFileSync(marker, 'utf8')).toBe('INT\n');
    expect(r.result).toBe('cancelled');
    expect(r.cancelReason).toBe('cancelAt');
    expect(step(r, 'deploy')).toMatchObject({ outcome: 'cancelled', conclusion: 'cancelled' });
    expect(step(r, 'next').outcome).toBe('skipped');
    expect(step(r, 'on-failure').outcome).toBe('skipped');
    expect(step(r, 'rollback').log).toContain('rollback after cancelled');
  });

  test('a trap does not run while a foreground child runs: the child gets no signal (unless killMode is group)', async () => {
    const script = (marker: string) => jobYaml(`
- id: deploy
  run: |
    trap 'echo INT > "${marker}"; exit 130' INT
    sleep 1000
- if: always()
  run: echo after`);
    const runnerMarker = path.join(workspace, 'runner-int');
    const r = await run(script(runnerMarker), { cancelAt: { step: 'deploy', afterMs: 200 } });
    expect(step(r, 'deploy').outcome).toBe('cancelled');
    expect(fs.existsSync(runnerMarker)).toBe(false); // bash was killed before sleep ended
    const groupMarker = path.join(workspace, 'group-int');
    const g = await run(script(groupMarker), { cancelAt: { step: 'deploy', afterMs: 200 }, killMode: 'group' });
    expect(step(g, 'deploy').outcome).toBe('cancelled');
    expect(fs.readFileSync(groupMarker, 'utf8')).toBe('INT\n');
  });

  test('a step whose condition still holds under cancellation is not stopped', async () => {
    const r = await run(jobYaml(`
- id: cleanup
  if: always()
  run: sleep 0.6; echo finished
- id: next
  run: echo next`, 'timeout-minutes: 1'));
    expect(r.result).toBe('cancelled');
    expect(step(r, 'cleanup').outcome).toBe('success');
    expect(step(r, 'cleanup').log).toContain('finished');
    expect(step(r, 'next').outcome).toBe('skipped');
  });

  test('after SIGINT, SIGTERM follows after the grace period, then SIGKILL', async () => {
    const signals = path.join(workspace, 'signals');
    const r = await run(jobYaml(`
- name: stubborn
  run: |
    trap 'echo INT >> "${signals}"' INT
    trap 'echo TERM >> "${signals}"' TERM
    echo ready
    while true; do sleep 0.02 || true; done`), { cancelAt: { step: 'stubborn', afterMs: 200 }, cancelGraceMs: 150, killGraceMs: 150 });
    expect(r.steps[0].outcome).toBe('cancelled');
    expect(fs.readFileSync(signals, 'utf8')).toBe('INT\nTERM\n');
    expect(r.steps[0].durationMs).toBeGreaterThanOrEqual(200 + 150 + 150 - 20);
  });

  test('cancelAt without afterMs cancels before the step starts', async () => {
    const r = await run(jobYaml(`
- id: one
  run: echo one
- id: two
  run: echo two
- id: three
  if: always()
  run: echo three`), { cancelAt: { step: 'two' } });
    expect(r.result).toBe('cancelled');
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([['one', 'success'], ['two', 'skipped'], ['three', 'success']]);
  });
});

describe('job level', () => {
  test('job outputs are evaluated at the end with the steps context', async () => {
    const r = await run(jobYaml(`
- id: s
  run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
- id: t
  continue-on-error: true
  run: exit 1`, `outputs:
  version: \${{ steps.s.outputs.version }}
  t-outcome: \${{ steps.t.outcome }}
  missing: \${{ steps.nope.outputs.x }}`));
    expect(r.outputs).toEqual({ 'version': '1.2.3', 't-outcome': 'failure', 'missing': '' });
  });

  test('job if: evaluated against needs; false means skipped', async () => {
    const wf = (cond: string) => `
on: push
jobs:
  build: { runs-on: ubuntu-latest, steps: [{ run: 'true' }] }
  job:
    runs-on: ubuntu-latest
    needs: [build]
${cond ? `    if: ${cond}` : ''}
    steps:
      - run: echo "built \${{ needs.build.outputs.tag }}"
`;
    const failed = { build: { result: 'failure' as const, outputs: { tag: 'v1' } } };
    const ok = { build: { result: 'success' as const, outputs: { tag: 'v1' } } };
    const skipped = await run(wf(''), { contexts: { needs: failed } });
    expect(skipped).toMatchObject({ result: 'skipped', skipped: true, steps: [] });
    expect((await run(wf("needs.build.result == 'success'"), { contexts: { needs: failed } })).result).toBe('skipped');
    expect((await run(wf('failure()'), { contexts: { needs: failed } })).result).toBe('success');
    expect((await run(wf('failure()'), { contexts: { needs: ok } })).result).toBe('skipped');
    // Without a status function the condition is `success() && (...)`: skipped after a failed need.
    expect((await run(wf("${{ contains(needs.*.result, 'failure') }}"), { contexts: { needs: failed } })).result).toBe('skipped');
    expect((await run(wf("${{ always() && contains(needs.*.result, 'failure') }}"), { contexts: { needs: failed } })).result).toBe('success');
    const ran = await run(wf(''), { contexts: { needs: ok } });
    expect(ran.result).toBe('success');
    expect(ran.steps[0].log).toContain('built v1');
    await expect(run(wf(''))).rejects.toThrow(/pass contexts.needs.build/);
  });
});

describe('uses: steps', () => {
  test('built-in no-ops, simulated actions with interpolated inputs, unknown actions throw', async () => {
    const calls: Array<Record<string, string>> = [];
    const r = await run(jobYaml(`
- uses: actions/checkout@v4
- id: auth
  uses: google-github-actions/auth@0123456789abcdef0123456789abcdef01234567
  with:
    workload_identity_provider: projects/1/providers/\${{ github.ref_name }}
- id: custom
  uses: acme/deploy@v1
  with:
    target: \${{ steps.auth.outcome }}
- run: echo "got \${{ steps.custom.outputs.url }} $EXPORTED"`), {
      actions: {
        'acme/deploy': (_step, ctx) => {
          calls.push(ctx.with);
          return { outcome: 'success', outputs: { url: 'https://x' }, env: { EXPORTED: 'yes' } };
        },
      },
    });
    expect(r.result).toBe('success');
    expect(calls).toEqual([{ target: 'success' }]);
    expect(r.steps[3].log).toContain('got https://x yes');
    await expect(run(jobYaml('- uses: acme/unknown@v1'))).rejects.toThrow(UnsupportedError);
  });
});

describe('expressions', () => {
  const contexts: Record<string, ExprValue> = {
    github: { event_name: 'push', ref: 'refs/heads/main', event: { inputs: { flag: 'true' } } },
    needs: { a: { result: 'success', outputs: { x: '1' } }, b: { result: 'failure', outputs: { x: '2' } } },
    env: { EMPTY: '', NAME: 'Slipway' },
    list: [1, 'two', null],
  };
  const ev = (e: string) => evaluate(e, { contexts });

  test('literals', () => {
    expect(ev("'it''s'")).toBe("it's");
    expect(ev('0xff')).toBe(255);
    expect(ev('-2.5e1')).toBe(-25);
    expect(ev('null')).toBeNull();
    expect(ev('TRUE')).toBe(true);
  });

  test('property names are case-insensitive; missing properties are null', () => {
    expect(ev('GitHub.Event_Name')).toBe('push');
    expect(ev("github['REF']")).toBe('refs/heads/main');
    expect(ev('github.event.inputs.flag')).toBe('true');
    expect(ev('github.nope')).toBeNull();
    expect(ev('github.nope.deeper')).toBeNull();
    expect(ev('list[1]')).toBe('two');
    expect(ev('list[9]')).toBeNull();
    expect(interpolate('[${{ github.nope }}]', { contexts })).toBe('[]');
    expect(() => ev('nosuch.x')).toThrow(/Unrecognized named-value/);
  });

  test('filters', () => {
    expect(ev('needs.*.result')).toEqual(['success', 'failure']);
    expect(ev("contains(needs.*.result, 'failure')")).toBe(true);
    expect(ev("contains(needs.*.result, 'FAILURE')")).toBe(true);
    expect(ev("contains(needs.*.result, 'cancelled')")).toBe(false);
    expect(ev('needs.*.outputs.x')).toEqual(['1', '2']);
    expect(ev("join(needs.*.outputs['x'], '+')")).toBe('1+2');
  });

  test('&& and || return operand values; ! negates truthiness', () => {
    expect(ev("'a' && 'b'")).toBe('b');
    expect(ev("'' && 'b'")).toBe('');
    expect(ev("env.EMPTY || 'fallback'")).toBe('fallback');
    expect(ev("env.NAME || 'fallback'")).toBe('Slipway');
    expect(ev('null && x.y')).toBeNull(); // short-circuit: the right side is not evaluated
    expect(ev('0 || false')).toBe(false);
    expect(ev("!''")).toBe(true);
    expect(ev("!'0'")).toBe(false); // a non-empty string is truthy
    expect(ev('!0')).toBe(true);
    expect(ev('!!github')).toBe(true);
    expect(ev("!(env.NAME == 'slipway')")).toBe(false);
  });

  test('loose equality and comparison', () => {
    expect(ev("'1' == 1")).toBe(true);
    expect(ev("'' == 0")).toBe(true);
    expect(ev('null == 0')).toBe(true);
    expect(ev('true == 1')).toBe(true);
    expect(ev("'true' == true")).toBe(false); // 'true' is NaN as a number
    expect(ev("'abc' == 'ABC'")).toBe(true);
    expect(ev("'0x10' == 16")).toBe(true);
    expect(ev('github == github')).toBe(true);
    expect(ev("'b' > 'A'")).toBe(true);
    expect(ev("'10' > 9")).toBe(true);
    expect(ev("'x' < 1 || 'x' >= 1")).toBe(false); // NaN compares false
  });

  test('functions', () => {
    expect(ev("contains('Hello world', 'WORLD')")).toBe(true);
    expect(ev("startsWith(github.ref, 'refs/HEADS/')")).toBe(true);
    expect(ev("endsWith(github.ref, '/main')")).toBe(true);
    expect(ev("format('{0}-{1} {{x}}', 'a', 2)")).toBe('a-2 {x}');
    expect(ev('join(list)')).toBe('1,two,');
    expect(ev("fromJSON('{\"a\":[1,2]}').a[1]")).toBe(2);
    expect(ev("toJSON(fromJSON('{\"a\":1}'))")).toBe('{\n  "a": 1\n}');
    expect(ev("fromJSON('true')")).toBe(true);
    expect(() => ev("hashFiles('**/x')")).toThrow(UnsupportedError);
    expect(() => ev('success()')).toThrow(/only available in if/);
    expect(interpolate("${{ format('{0}}}', 'a') }}!", { contexts })).toBe('a}!');
  });

  test('conditions: implicit success(), optional ${{ }}', () => {
    const status = (failed: boolean) => ({ success: () => !failed, failure: () => failed, cancelled: () => false, always: () => true });
    const cond = (c: string | undefined, failed: boolean) => evaluateCondition(c, { contexts, status: status(failed) });
    expect(cond(undefined, false)).toBe(true);
    expect(cond(undefined, true)).toBe(false);
    expect(cond("github.event_name == 'push'", true)).toBe(false); // success() && (...)
    expect(cond("${{ github.event_name == 'push' }}", false)).toBe(true);
    expect(cond("failure() && github.event_name == 'push'", true)).toBe(true);
    expect(cond('!cancelled()', true)).toBe(true); // a status function is present: no implicit success()
    expect(cond('${{ false }}', false)).toBe(false);
  });
});
