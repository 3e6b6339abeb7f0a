import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from './app';
import { collectWarnings } from './warnings';

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
   * The warnings synthesis of `app` prints: findings that do not stop it
   * (e.g. an action that declares no permission scopes), each with its
   * construct path.
   */
  public static warnings(app: App): string[] {
    return collectWarnings(app);
  }

  private constructor() {}
}
