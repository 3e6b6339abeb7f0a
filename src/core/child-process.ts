import type * as cp from 'child_process';

/**
 * `child_process.spawnSync`, with the module loaded on its first call: no
 * synthesis starts a process (only `pin`, `add-action` and
 * `Testing.synthFile` do), and loading `child_process` (with `net` and the
 * streams under it) is a measurable part of a cold `slipway synth`.
 * @internal
 */
export const spawnSync = ((...args: any[]) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('child_process') as typeof cp).spawnSync(...(args as [string]))) as typeof cp.spawnSync;
