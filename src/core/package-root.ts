import * as fs from 'fs';
import * as path from 'path';

/** Defined as `true` in the bundle by scripts/bundle.js. */
declare const SLIPWAY_BUNDLE: boolean | undefined;

/**
 * Whether this code runs from the bundle (lib/slipway.js, the package's entry
 * point) rather than from slipway's modules (lib/index.js, or src/ in tests).
 * @internal
 */
export function bundled(): boolean {
  return typeof SLIPWAY_BUNDLE !== 'undefined';
}

let root: string | undefined;

/**
 * The folder of slipway's own package.json: where `assets/` and `.jsii` are.
 * Found by walking up from this file, so that it is the same answer from
 * `lib/core/` (the compiled modules), `lib/` (the bundle) and `src/core/`
 * (the tests).
 * @internal
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`slipway: no package.json above ${__dirname}`);
  }
}
