import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from './app';
import { spawnSync } from './child-process';
import { SlipwayError } from './errors';
import { trusted } from './strict';
import { collectWarnings } from './warnings';

/** Precedes the result of the `Testing.synthFile` child process on its stdout (as src/cli/synth-files.ts prints it). */
const RESULT_MARKER = '\n@@slipway-synth-files@@\n';

/** Options of {@link Testing.synthFile}. */
export interface SynthFileOptions {
  /**
   * The output directory the files are rendered for (it names the
   * regenerate command in their headers, as `slipway synth --outdir` does);
   * nothing is written to it.
   * @default - the definition file's folder
   */
  readonly outdir?: string;

  /**
   * How long loading and rendering may take.
   * @default 60000 (milliseconds)
   */
  readonly timeoutMs?: number;
}

/**
 * Helpers for testing slipway definitions without touching the disk.
 *
 * @example
 * const app = Testing.app();
 * new Workflow(app, 'ci', { ... });
 * expect(Testing.synth(app)).toMatchSnapshot();
 */
export class Testing {
  /**
   * An App for tests. Its outdir is never written by {@link Testing.synth};
   * by default it is a directory that does not exist, so no lock file or
   * previous output of the working directory leaks into a test.
   */
  public static app(props: AppProps = {}): App {
    return new App({ sourceFile: 'slipway.ts', outdir: path.join(os.tmpdir(), 'slipway-testing-outdir-unused'), ...props });
  }

  /**
   * Validates and renders the app, returning every generated file (path →
   * content, sorted by path), exactly as `app.synth()` would write it.
   * Throws the same errors `app.synth()` would, listing every problem with
   * its construct path.
   */
  public static synth(app: App): { [path: string]: string } {
    const out: { [path: string]: string } = {};
    for (const f of app._collect()) out[f.path] = f.content;
    return out;
  }

  /**
   * Loads an existing definition file (e.g. `slipway.ts`, which creates its
   * App and calls `app.synth()`) exactly as `slipway synth` does, and returns
   * every file it would write (path → content, as {@link Testing.synth}),
   * writing nothing: snapshot-test the definition file unchanged.
   *
   * The file is loaded in a Node.js process of its own, through the CLI's
   * loader, so its `import ... from 'slipway'` resolves as it does for
   * `npx slipway synth`, and a test may load the same file twice. Throws a
   * {@link SlipwayError} listing every problem when the definition is invalid.
   *
   * @param file the definition file, relative to the working directory
   * @example
   * expect(Testing.synthFile('slipway.ts')).toMatchSnapshot();
   */
  public static synthFile(file: string, options: SynthFileOptions = {}): { [path: string]: string } {
    const abs = path.resolve(file);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new Error(`Testing.synthFile: definition file "${file}" not found (resolved to ${abs})`);
    const ts = __filename.endsWith('.ts');
    const entry = path.join(__dirname, '..', 'cli', `synth-files${ts ? '.ts' : '.js'}`);
    // this copy of slipway runs from its TypeScript sources (its own tests): load the entry through jiti, as the definition is
    const load = ts
      ? `require(${JSON.stringify(require.resolve('jiti'))}).createJiti(${JSON.stringify(entry)})(${JSON.stringify(entry)})`
      : `require(${JSON.stringify(entry)})`;
    const args = [abs, ...(options.outdir !== undefined ? [path.resolve(options.outdir)] : [])];
    const r = spawnSync(process.execPath, ['-e', `${load}.synthFilesMain(${JSON.stringify(args)})`], {
      cwd: path.dirname(abs),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: options.timeoutMs ?? 60_000,
    });
    let result: { files?: { [path: string]: string }; problems?: string[]; error?: string } | undefined;
    try {
      const at = (r.stdout ?? '').lastIndexOf(RESULT_MARKER);
      result = at >= 0 ? JSON.parse(r.stdout.slice(at + RESULT_MARKER.length)) : undefined;
    } catch {
      result = undefined;
    }
    if (result?.files) return result.files;
    if (result?.problems) throw new SlipwayError(result.problems);
    const why = result?.error ?? (r.error ? r.error.message : `exit ${r.status ?? r.signal}${r.stderr ? `: ${r.stderr.trim()}` : ''}`);
    throw new Error(`Testing.synthFile: ${file} failed: ${why}`);
  }

  /**
   * The warnings synthesis of `app` prints: findings that do not stop it
   * (e.g. an action that declares no permission scopes), each with its
   * construct path.
   */
  public static warnings(app: App): string[] {
    // the constructs pipelines compile into carry warnings too: prepare them first (once per App)
    trusted(() => app._prepareTree());
    return collectWarnings(app);
  }

  private constructor() {}
}
