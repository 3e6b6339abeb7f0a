import { graphCommand } from './graph';
import { initCommand } from './init';
import { PIN_COMMAND } from './pin';
import { EXIT_INVALID, synthCommand } from './synth';

/** A subcommand of the CLI. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: ParsedArgs): Promise<number> | number;
}

/** Parsed command line: positional words and `--flag[=value]` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: { [name: string]: string | boolean };
}

/** Parses `--name value`, `--name=value` and boolean `--name` flags. */
export function parseArgs(argv: string[], booleans: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: { [name: string]: string | boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) flags[name] = a.slice(eq + 1);
    else if (booleans.includes(name)) flags[name] = true;
    else if (i + 1 < argv.length) flags[name] = argv[++i];
    else flags[name] = true;
  }
  return { positional, flags };
}

const log = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

/** The subcommands. Layers register theirs here. */
export const COMMANDS: { [name: string]: Command } = {
  synth: {
    summary: 'Synthesize the definition into workflows, charts and Cloud Run specs',
    usage: 'slipway synth [--app slipway.ts] [--outdir DIR] [--check] [--quiet] [--force] [--adopt]',
    run: (args) => synthCommand({
      app: String(args.flags.app ?? 'slipway.ts'),
      outdir: typeof args.flags.outdir === 'string' ? args.flags.outdir : undefined,
      check: args.flags.check === true,
      quiet: args.flags.quiet === true,
      force: args.flags.force === true,
      adopt: args.flags.adopt === true,
    }, log, err),
  },
  pin: PIN_COMMAND,
  graph: {
    summary: 'Print each pipeline as a Mermaid flowchart (jobs, needs, environments, gates)',
    usage: 'slipway graph [--app slipway.ts] [--pipeline ID]',
    run: (args) => graphCommand({
      app: String(args.flags.app ?? 'slipway.ts'),
      pipeline: typeof args.flags.pipeline === 'string' ? args.flags.pipeline : undefined,
    }, log, err),
  },
  init: {
    summary: 'Write a starter slipway.ts',
    usage: 'slipway init [--app slipway.ts] [--force]',
    run: (args) => initCommand({ app: String(args.flags.app ?? 'slipway.ts'), force: args.flags.force === true }, log, err),
  },
};

function usage(): string {
  const lines = ['Usage: slipway <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)}${c.summary}`, `          ${c.usage}`);
  lines.push('', 'Exit codes: 0 success, 1 `--check` found drift, 2 invalid definition, usage, or a write that failed.');
  return lines.join('\n');
}

/** Entry point of the `slipway` bin. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    log(usage());
    return name ? 0 : EXIT_INVALID;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`slipway: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return EXIT_INVALID;
  }
  return command.run(parseArgs(rest, ['check', 'quiet', 'help', 'force', 'adopt']));
}
