import * as fs from 'fs';
import * as path from 'path';
import { importWorkflows, ImportResult } from './import-workflows';
import { DEFINITION_FILE } from './load';
import type { Command, ParsedArgs } from './main';
import { EXIT_INVALID, EXIT_OK } from './synth';
import { LOCK_FILE_NAME, parseLockFile, Pin, serializeLockFile } from '../github/actions/lock-file';

type Log = (s: string) => void;

/** Options of `slipway import`. */
export interface ImportCommandOptions {
  /** Workflow files (and `dependabot.yml`) to import; none: every `.yml`/`.yaml` under `.github/workflows/` of the current folder, and `.github/dependabot.yml`. */
  readonly files: readonly string[];
  /** The definition file to write. */
  readonly out: string;
  /** Overwrite `out` when it exists. */
  readonly force?: boolean;
}

/**
 * `slipway import <file.yml>... [--out slipway.ts]`: writes a level-1
 * definition (Workflow, Job, Step, Trigger, Action) that synthesizes back to
 * the same workflows, merges the SHAs the workflows pin into
 * `slipway.lock.json` next to it, and lists where the synthesized files will
 * differ (SHA pinning, default permissions, secured scripts) and what was
 * kept with `addOverride`. Writes nothing when a file cannot be imported.
 */
export function importCommand(opts: ImportCommandOptions, log: Log, err: Log): number {
  const files = opts.files.length > 0 ? [...opts.files] : defaultFiles();
  if (files.length === 0) {
    err('slipway import: no workflow files given and none under .github/workflows/; pass the files, e.g. `slipway import .github/workflows/ci.yml`');
    return EXIT_INVALID;
  }
  const sources = [];
  for (const f of files) {
    try {
      sources.push({ fileName: path.basename(f), text: fs.readFileSync(f, 'utf8') });
    } catch (e) {
      err(`slipway import: cannot read ${f}: ${(e as Error).message}`);
      return EXIT_INVALID;
    }
  }
  const out = path.resolve(opts.out);
  if (fs.existsSync(out) && !opts.force) {
    err(`slipway import: ${opts.out} exists; pass --out <another file>, or --force to overwrite it`);
    return EXIT_INVALID;
  }
  let result: ImportResult;
  try {
    result = importWorkflows(sources);
  } catch (e) {
    err(`slipway import: ${(e as Error).message}`);
    return EXIT_INVALID;
  }

  const lockFile = path.join(path.dirname(out), LOCK_FILE_NAME);
  let lock: string | undefined;
  const replaced: string[] = [];
  if (result.pins.size > 0) {
    const existing = new Map<string, Pin>();
    if (fs.existsSync(lockFile)) {
      const parsed = parseLockFile(fs.readFileSync(lockFile, 'utf8'), LOCK_FILE_NAME);
      if (parsed.problems.length > 0) {
        for (const p of parsed.problems) err(`slipway import: ${p}`);
        return EXIT_INVALID;
      }
      for (const [k, v] of parsed.pins) existing.set(k, v);
    }
    for (const [k, v] of result.pins) {
      const prior = existing.get(k);
      if (prior && prior.sha !== v.sha) replaced.push(`${k}: ${prior.sha} -> ${v.sha} (the workflows' pin)`);
      existing.set(k, v);
    }
    lock = serializeLockFile(existing);
  }

  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, result.source);
    if (lock !== undefined) fs.writeFileSync(lockFile, lock);
  } catch (e) {
    err(`slipway import: writing failed: ${(e as Error).message}`);
    return EXIT_INVALID;
  }

  log(`slipway import: wrote ${path.relative(process.cwd(), out) || out} (${sources.length} workflow${sources.length === 1 ? '' : 's'})`);
  if (lock !== undefined) log(`slipway import: ${result.pins.size} pinned action version${result.pins.size === 1 ? '' : 's'} recorded in ${LOCK_FILE_NAME}`);
  for (const r of replaced) log(`  replaced ${r}`);
  if (result.differences.length > 0) {
    log('');
    log('The synthesized workflows will differ from the originals here:');
    for (const d of result.differences) log(`  - ${d}`);
  }
  if (result.overrides.length > 0) {
    log('');
    log('Kept exactly with addOverride (the typed API does not express them):');
    for (const o of result.overrides) log(`  - ${o}`);
  }
  log('');
  log('Next: move the imported files out of .github/workflows/ (slipway writes only files it generated), run `npx slipway synth`, and review `git diff`.');
  return EXIT_OK;
}

/** Every workflow of `.github/workflows/`, and `.github/dependabot.yml` when there is one. */
function defaultFiles(): string[] {
  const dir = path.join('.github', 'workflows');
  const workflows = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)) : [];
  const dependabot = ['dependabot.yml', 'dependabot.yaml'].map((f) => path.join('.github', f)).filter((f) => fs.existsSync(f));
  return [...workflows, ...dependabot];
}

/** The `slipway import` subcommand, as registered in main.ts. */
export const IMPORT_COMMAND: Command = {
  summary: 'Write a slipway definition (level 1) that synthesizes back to existing GitHub Actions workflows',
  positional: 'workflow.yml',
  options: {
    out: { kind: 'string', value: 'FILE', help: `the definition file to write (default: ${DEFINITION_FILE}); ${LOCK_FILE_NAME} is written next to it` },
    force: { kind: 'boolean', help: 'overwrite the definition file when it exists' },
  },
  run: (args: ParsedArgs) => importCommand({
    files: args.positional,
    out: typeof args.flags.out === 'string' ? args.flags.out : DEFINITION_FILE,
    force: args.flags.force === true,
  }, (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n')),
};
