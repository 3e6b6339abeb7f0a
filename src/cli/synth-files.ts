import * as path from 'path';
import { loadForSynth } from './load';
import { regenerateCommand } from './synth';
import { SlipwayError } from '../core/errors';

/** What the child process of `Testing.synthFile` prints: the files, or why there are none. @internal */
export interface SynthFilesResult {
  readonly files?: { [path: string]: string };
  readonly problems?: string[];
  readonly error?: string;
}

/**
 * Loads a definition file exactly as `slipway synth` does (jiti, the same
 * synth host, the same faults) and returns what it would write, path →
 * content, without writing anything. Runs in a process of its own (see
 * `Testing.synthFile`).
 * @internal
 */
export async function synthFiles(appFile: string, outdir?: string): Promise<SynthFilesResult> {
  const abs = path.resolve(appFile);
  const out = path.resolve(outdir ?? path.dirname(abs));
  try {
    const loaded = await loadForSynth(abs, out, undefined, regenerateCommand(abs, out));
    if (loaded.error) throw loaded.error;
    if (loaded.faults.length) return { problems: loaded.faults };
    if (!loaded.app) return { problems: [`${appFile} created no App; add \`const app = new App();\` and define constructs inside it`] };
    const files: { [path: string]: string } = {};
    for (const f of loaded.app._collect()) files[f.path] = f.content;
    return { files };
  } catch (e) {
    if (e instanceof SlipwayError || (e instanceof Error && e.name === 'SlipwayError' && Array.isArray((e as any).problems))) {
      return { problems: (e as SlipwayError).problems };
    }
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Precedes the result on stdout: what the definition itself prints comes before it. @internal */
export const RESULT_MARKER = '\n@@slipway-synth-files@@\n';

/** The entry point of the child process: argv is [appFile, outdir?]; prints the result as JSON. @internal */
export function synthFilesMain(argv: string[]): void {
  void synthFiles(argv[0], argv[1]).then((r) => {
    process.stdout.write(RESULT_MARKER + JSON.stringify(r));
    process.exitCode = r.files ? 0 : 2;
  });
}
