/**
 * A generated script step, cancelled while its script waits on a bounded command, must stop
 * that command before the next step (the rollback) starts. Run with the runner simulator,
 * which signals the step's shell pid only, as the GitHub runner does (SIGINT, then SIGTERM
 * after the grace period, then SIGKILL).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scriptStep } from '../../src/github/script-step';
import { JobResult, runJob } from '../support/runner';

const LIB = path.join(__dirname, '..', '..', 'assets', 'deploy', 'lib.sh');

let workspace: string;
beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'script-step-'));
  const dir = path.join(workspace, '.github', 'slipway');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(LIB, path.join(dir, 'lib.sh'));
  // The command records its pid, then takes 3 s and leaves a marker: a deploy that must not
  // finish after the rollback started.
  fs.writeFileSync(path.join(dir, 'long.sh'), `#!/usr/bin/env bash
set -euo pipefail
# shellcheck source=/dev/null
source "$(dirname "$0")/lib.sh"
slipway_bounded 60 bash -c 'echo $$ > "$1/pid"; sleep 3; echo finished > "$1/marker"' _ "$1"
`);
});
afterEach(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
});

/** Runs the job: the deploy step runs `run`, is cancelled 300 ms in, and the rollback step reports whether the command still runs. */
function cancelDuring(run: string): Promise<JobResult> {
  const rollback = 'if kill -0 "$(cat "$W/pid")" 2>/dev/null; then echo "command alive"; else echo "command gone"; fi';
  return runJob({
    workflow: {
      on: 'push',
      jobs: {
        job: {
          'runs-on': 'ubuntu-latest',
          'steps': [
            { id: 'deploy', run, env: { W: workspace } },
            { id: 'rollback', if: 'failure() || cancelled()', run: rollback, env: { W: workspace } },
          ],
        },
      },
    },
    jobId: 'job',
    workspace,
    cancelAt: { step: 'deploy', afterMs: 300 },
    cancelGraceMs: 1000,
    killGraceMs: 500,
  });
}

function step(r: JobResult, id: string) {
  return r.steps.find((s) => s.id === id)!;
}

test('the step replaces its shell, bash, with the script', () => {
  const s = scriptStep('.github/slipway/long.sh', ['"$W"'], { name: 'Deploy' });
  expect(s.script).toBe('exec bash .github/slipway/long.sh "$W"');
  expect(s.shell).toBe('bash');
});

test('cancelled, the script stops its bounded command before the rollback step starts', async () => {
  const r = await cancelDuring(scriptStep('.github/slipway/long.sh', ['"$W"'], {}).script!);
  expect(step(r, 'deploy').outcome).toBe('cancelled');
  expect(fs.existsSync(path.join(workspace, 'pid'))).toBe(true);
  expect(step(r, 'rollback').log).toContain('command gone');
  // the SIGINT stopped it: no wait for the SIGTERM
  expect(step(r, 'deploy').durationMs).toBeLessThan(1000);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  expect(fs.existsSync(path.join(workspace, 'marker'))).toBe(false);
}, 15000);

test('a shell that forks the script instead (the step before the fix) leaves the command running through the rollback', async () => {
  const r = await cancelDuring('bash .github/slipway/long.sh "$W"');
  expect(step(r, 'deploy').outcome).toBe('cancelled');
  expect(step(r, 'rollback').log).toContain('command alive');
  await new Promise((resolve) => setTimeout(resolve, 3500));
  expect(fs.readFileSync(path.join(workspace, 'marker'), 'utf8')).toBe('finished\n');
}, 15000);
