import { spawnSync } from 'child_process';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..');

/** Runs `bench/inprocess.ts <args>` in a fresh node process (with tsx) and returns its JSON result. */
export function inChild<T>(args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'bench', 'inprocess.ts'), ...args], {
    cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/inprocess.ts ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}
