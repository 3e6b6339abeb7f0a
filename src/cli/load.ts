import * as path from 'path';
import { App, setSynthHost, SynthHost } from '../core/app';

/**
 * Loads a TypeScript definition file without type-checking it (jiti:
 * transpile-only, no native binaries, cached transforms), with a synth host
 * installed so that `app.synth()` hands its files to the CLI instead of
 * writing them. Returns every App the file created.
 *
 * Loader choice: see BENCHMARKS.md (jiti vs tsx vs ts-node vs esbuild).
 */
export function loadDefinition(appFile: string, outdir: string): App[] {
  const abs = path.resolve(appFile);
  const host: SynthHost = {
    outdir,
    sourceFile: path.relative(outdir, abs).split(path.sep).join('/') || path.basename(abs),
    apps: [],
    synthRequested: new Set(),
  };
  setSynthHost(host);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createJiti } = require('jiti') as typeof import('jiti');
    const jiti = createJiti(__filename, { interopDefault: true, fsCache: true, moduleCache: true });
    jiti(abs);
  } finally {
    setSynthHost(undefined);
  }
  return host.apps;
}
