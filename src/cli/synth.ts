import * as fs from 'fs';
import * as path from 'path';
import { loadDefinition } from './load';
import { SlipwayError } from '../core/errors';
import { diffOutput, GeneratedFile, writeOutput } from '../core/synthesis';

/** Options of `slipway synth`. */
export interface SynthCommandOptions {
  readonly app: string;
  readonly outdir?: string;
  readonly check: boolean;
  readonly quiet?: boolean;
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
/** `--check` found drift. */
export const EXIT_DRIFT = 1;
/** The definition is invalid (TypeScript, construct or validation error). */
export const EXIT_INVALID = 2;

/**
 * `slipway synth [--check]`: load the definition, validate and render every
 * App it creates, then write (or only compare). Nothing is written unless
 * every App rendered without problems.
 */
export function synthCommand(opts: SynthCommandOptions, log: (s: string) => void, err: (s: string) => void): number {
  const started = Date.now();
  const appFile = path.resolve(opts.app);
  if (!fs.existsSync(appFile)) {
    err(`slipway: definition file "${opts.app}" not found; pass --app <file> or create slipway.ts (see \`slipway init\`)`);
    return EXIT_INVALID;
  }
  const outdir = path.resolve(opts.outdir ?? path.dirname(appFile));

  let rendered: Array<{ outdir: string; files: GeneratedFile[] }>;
  try {
    const apps = loadDefinition(appFile, outdir);
    if (apps.length === 0) {
      err(`slipway: ${opts.app} created no App; add \`const app = new App();\` and define constructs inside it`);
      return EXIT_INVALID;
    }
    rendered = apps.map((a) => ({ outdir: a.outdir, files: a._collect() }));
  } catch (e) {
    err(describeFailure(e, opts.app));
    return EXIT_INVALID;
  }

  if (opts.check) {
    const drift = rendered.flatMap((r) => diffOutput(r.outdir, r.files).map((d) => ({ ...d, outdir: r.outdir })));
    if (drift.length) {
      err(`slipway: ${drift.length} generated file(s) are not current; run \`npx slipway synth\` and commit the result:`);
      for (const d of drift) err(`  ${d.kind.padEnd(9)}${path.relative(process.cwd(), path.join(d.outdir, d.path)) || d.path}`);
      return EXIT_DRIFT;
    }
    const count = rendered.reduce((n, r) => n + r.files.length, 0);
    if (!opts.quiet) log(`slipway: ${count} generated file(s) are current (${Date.now() - started} ms)`);
    return EXIT_OK;
  }

  try {
    let written = 0, removed = 0, unchanged = 0;
    for (const r of rendered) {
      const res = writeOutput(r.outdir, r.files);
      written += res.written.length;
      removed += res.removed.length;
      unchanged += res.unchanged.length;
    }
    if (!opts.quiet) log(`slipway: wrote ${written}, unchanged ${unchanged}, removed ${removed} stale file(s) (${Date.now() - started} ms)`);
  } catch (e) {
    err(describeFailure(e, opts.app));
    return EXIT_INVALID;
  }
  return EXIT_OK;
}

function describeFailure(e: unknown, appFile: string): string {
  if (e instanceof SlipwayError || (e instanceof Error && e.name === 'SlipwayError')) {
    const problems: string[] = (e as SlipwayError).problems ?? [e.message];
    return `slipway: ${appFile} is invalid; nothing was written:\n${problems.map((p) => `  ${p}`).join('\n')}`;
  }
  if (e instanceof SyntaxError || (e instanceof Error && /Transform|ParseError|Unexpected/.test(e.name + e.message))) {
    return `slipway: ${appFile} could not be loaded (TypeScript syntax); nothing was written:\n  ${e.message}`;
  }
  const message = e instanceof Error ? e.message : String(e);
  return `slipway: ${appFile} failed; nothing was written:\n  ${message}`;
}
