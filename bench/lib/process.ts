/**
 * Runs a command as a fresh process and measures its wall time and the peak
 * resident set size of the whole process.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set
 * size") when it is installed; otherwise the command must be `node ...`, and
 * a preloaded script reports the process's own VmHWM from /proc/self/status
 * when it exits. Wall time is measured around the spawn with a monotonic clock.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ProcessResult {
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = (() => {
  if (!fs.existsSync(GNU_TIME) || process.env.SLIPWAY_BENCH_NO_GNU_TIME) return false;
  const r = spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
})();

/** How peak RSS is measured on this machine (for the report). */
export const RSS_METHOD = hasGnuTime
  ? '`/usr/bin/time -v` (GNU time: maximum resident set size of the process)'
  : 'VmHWM of /proc/self/status, reported by a script preloaded into the node process (`-r`) when it exits';

const HWM_PRELOAD = path.join(os.tmpdir(), 'slipway-bench-vmhwm.js');

export function runMeasured(cmd: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ProcessResult {
  const report = path.join(os.tmpdir(), `slipway-bench-${process.pid}.rss`);
  fs.rmSync(report, { force: true });
  let argv: string[];
  if (hasGnuTime) {
    argv = [GNU_TIME, '-v', '-o', report, ...cmd];
  } else {
    if (path.basename(cmd[0]) !== 'node' && cmd[0] !== process.execPath) throw new Error(`without GNU time only node commands can be measured: ${cmd.join(' ')}`);
    fs.writeFileSync(HWM_PRELOAD, `process.on('exit', () => { const s = require('fs').readFileSync('/proc/self/status', 'utf8'); `
      + `require('fs').writeFileSync(process.env.SLIPWAY_BENCH_RSS, 'Maximum resident set size (kbytes): ' + /VmHWM:\\s*(\\d+)/.exec(s)[1]); });\n`);
    argv = [cmd[0], '-r', HWM_PRELOAD, ...cmd.slice(1)];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env, SLIPWAY_BENCH_RSS: report },
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
  fs.rmSync(report, { force: true });
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? NaN);
  return { wallMs, peakRssMiB: kb / 1024, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
