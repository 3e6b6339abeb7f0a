import * as path from 'path';
import { DEFINITION_FILE, loadForSynth, markRepresentativeRun, resolveDefinition } from './load';
import { describeThrown, isInternal, userLocation } from './thrown';
import { SlipwayError } from '../core/errors';
import { OutputCheck, OutputError, OutputWriter, Recovery, STAGING_DIR } from '../core/output';
import { collectWarnings, groupWarnings } from '../core/warnings';

/** Options of `slipway synth`. */
export interface SynthCommandOptions {
  /** The definition file; default: the nearest `slipway.ts` (this folder or a parent folder). */
  readonly app?: string;
  /** The output directory; default: the folder of the definition. */
  readonly outdir?: string;
  readonly check: boolean;
  readonly quiet?: boolean;
  /** Overwrite or delete generated files that were edited by hand. */
  readonly force?: boolean;
  /** Take over files whose header names this definition (after a lost manifest). */
  readonly adopt?: boolean;
  /** Show the stack of an error the definition threw. */
  readonly verbose?: boolean;
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
/** `--check` found drift. */
export const EXIT_DRIFT = 1;
/** The definition is invalid (TypeScript, construct or validation error), or the write failed. */
export const EXIT_INVALID = 2;

/**
 * `slipway synth [--check]`: load the definition, check it, validate and
 * render its App, then write (or only compare). Nothing is written unless
 * the definition loaded without faults and rendered without problems, and
 * every check of the output directory passed.
 */
export async function synthCommand(opts: SynthCommandOptions, log: (s: string) => void, err: (s: string) => void): Promise<number> {
  const started = Date.now();
  const appFile = resolveDefinition(opts.app, err);
  if (!appFile) return EXIT_INVALID;
  const outdir = path.resolve(opts.outdir ?? path.dirname(appFile));
  const shown = path.relative(process.cwd(), appFile) || appFile;
  const command = regenerateCommand(appFile, outdir);

  // Each file goes to the output engine as it is rendered (compared, or planned and staged), and is not kept.
  let count: number;
  let appOutdir: string;
  let sink: OutputCheck | OutputWriter | undefined;
  try {
    const loaded = await loadForSynth(appFile, outdir, undefined, command);
    if (loaded.error) throw loaded.error;
    if (loaded.faults.length) {
      err(`slipway: ${shown} failed; nothing was written:\n${loaded.faults.map((f) => `  ${f}`).join('\n')}`);
      return EXIT_INVALID;
    }
    if (!loaded.app) {
      err(`slipway: ${shown} created no App; add \`const app = new App();\` and define constructs inside it`);
      return EXIT_INVALID;
    }
    appOutdir = loaded.app.outdir;
    sink = opts.check
      ? new OutputCheck(appOutdir)
      : new OutputWriter(appOutdir, { force: opts.force, adopt: opts.adopt, sourceFile: loaded.app.sourceFile });
    count = loaded.app._renderTo(sink);
    markRepresentativeRun();
    for (const w of groupWarnings(collectWarnings(loaded.app))) err(`slipway: warning: ${w}`);
  } catch (e) {
    const left = sink instanceof OutputWriter ? sink.abort() : [];
    if (sink instanceof OutputWriter && sink.recovery && !opts.quiet) log(recoveryLine(sink.recovery));
    err([describeFailure(e, shown, undefined, opts.verbose), ...left.map((l) => `  ${l}`)].join('\n'));
    return EXIT_INVALID;
  }

  if (sink instanceof OutputCheck) {
    let drift;
    try {
      drift = sink.finish();
    } catch (e) {
      err(describeFailure(e, shown, 'the output directory is invalid'));
      return EXIT_INVALID;
    }
    if (drift.length) {
      const interrupted = drift.some((d) => d.kind === 'interrupted' || d.kind === 'temp');
      err(interrupted
        ? `slipway: an earlier synthesis was interrupted; run \`${command}\`${where(appOutdir)} to complete it, then commit the result:`
        : `slipway: ${drift.length} generated file(s) are not current; run \`${command}\`${where(appOutdir)} and commit the result:`);
      for (const d of drift) err(`  ${d.kind.padEnd(12)}${shownPath(appOutdir, d.path)}`);
      return EXIT_DRIFT;
    }
    log(`slipway: ${count} generated file(s) are current (${Date.now() - started} ms)`);
    return EXIT_OK;
  }

  try {
    const res = sink.commit();
    if (res.recovery && !opts.quiet) log(recoveryLine(res.recovery));
    for (const k of res.recovery?.kept ?? []) err(`slipway: kept "${k}": the interrupted synthesis meant to delete it, but its content changed since`);
    if (!opts.quiet) {
      for (const f of res.written) log(`  wrote    ${shownPath(appOutdir, f)}`);
      for (const f of res.removed) log(`  removed  ${shownPath(appOutdir, f)}`);
    }
    log(`slipway: wrote ${res.written.length}, unchanged ${res.unchanged.length}, removed ${res.removed.length} stale file(s) (${Date.now() - started} ms)`);
  } catch (e) {
    // (a committed journal that was completed before the failure is in the error's list of what changed)
    if (sink.recovery && !opts.quiet) log(recoveryLine(sink.recovery));
    err(describeFailure(e, shown, 'the output directory is invalid'));
    return EXIT_INVALID;
  }
  return EXIT_OK;
}

/** What the recovery of an interrupted synthesis did, as the CLI says it. */
function recoveryLine(recovery: Recovery): string {
  return recovery.action === 'completed'
    ? `slipway: completed an interrupted synthesis (${recovery.touched.length} change(s))`
    : 'slipway: removed the staging directory of an interrupted synthesis (it had changed nothing)';
}

/** A path under the output directory, as the user sees it: relative to the current directory. */
function shownPath(outdir: string, file: string): string {
  return path.relative(process.cwd(), path.join(outdir, file)) || file;
}

/** ` in <dir>` when the output directory is not the current directory. */
function where(outdir: string): string {
  const rel = path.relative(process.cwd(), outdir);
  return rel ? ` in ${rel}` : '';
}

/**
 * The command that regenerates the files, as run in the output directory
 * (where `.github/` is): `npx slipway synth`, with `--app` when the
 * definition is not the `slipway.ts` of that directory and `--outdir .`
 * when the output directory is not the definition's folder. The same
 * definition and output directory always give the same command, however
 * the synth was invoked, so that `--check` compares like with like.
 * @internal
 */
export function regenerateCommand(appFile: string, outdir: string): string {
  const words = ['npx', 'slipway', 'synth'];
  const app = path.relative(outdir, appFile).split(path.sep).join('/');
  if (app !== DEFINITION_FILE) words.push('--app', shellWord(app));
  if (path.resolve(path.dirname(appFile)) !== path.resolve(outdir)) words.push('--outdir', '.');
  return words.join(' ');
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * The message of a failed synth: what was written, or that nothing was.
 * An error the definition threw shows where in the user's source
 * (`slipway.ts:12`) and one line of message; `verbose` adds the stack.
 * @internal
 */
export function describeFailure(e: unknown, appFile: string, what = `${appFile} is invalid`, verbose = false): string {
  // Only the staging directory left behind (it holds nothing of the tree): nothing was written, as below.
  if (e instanceof OutputError && (e.touched.length || e.pending.some((p) => p !== STAGING_DIR))) {
    const lines = ['slipway: the write did not complete; run `npx slipway synth` again to complete it:'];
    for (const p of e.problems) lines.push(`  ${p}`);
    if (e.touched.length) lines.push(`  written or removed: ${e.touched.join(', ')}`);
    if (e.pending.length) lines.push(`  not done: ${e.pending.join(', ')}`);
    return lines.join('\n');
  }
  if (e instanceof SlipwayError || (e instanceof Error && e.name === 'SlipwayError')) {
    const problems: string[] = (e as SlipwayError).problems ?? [e.message];
    const at = userLocation(e);
    return [`slipway: ${what}; nothing was written:`, ...problems.map((p) => `  ${p}`), ...(at ? [`  at ${at}`] : []),
      ...(verbose ? describeThrown(e, true).slice(1).map((l) => `  ${l}`) : [])].join('\n');
  }
  if (!isInternal(e) && (e instanceof SyntaxError || (e instanceof Error && /Transform|ParseError|Unexpected/.test(e.name + e.message)))) {
    return `slipway: ${appFile} could not be loaded (TypeScript syntax); nothing was written:\n  ${e.message}`;
  }
  const head = isInternal(e) ? `slipway: ${appFile} failed inside slipway; nothing was written:` : `slipway: ${appFile} failed; nothing was written:`;
  return [head, ...describeThrown(e, verbose).map((l) => `  ${l}`)].join('\n');
}
