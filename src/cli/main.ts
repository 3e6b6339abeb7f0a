import * as fs from 'fs';
import * as path from 'path';
import { ADD_ACTION_COMMAND } from './add-action';
import { AUDIT_COMMAND } from './audit';
import { graphCommand } from './graph';
import { IMPORT_COMMAND } from './import';
import { DELIVERY_MODULE, DELIVERY_TEST, GITATTRIBUTES, INIT_LANGUAGES, initCommand, TSCONFIG } from './init';
import { DEFINITION_FILE, resolveDefinition } from './load';
import { PIN_COMMAND } from './pin';
import { EXIT_INVALID, EXIT_OK, synthCommand } from './synth';
import { describeThrown } from './thrown';
import { validateCommand } from './validate';
import { closest } from '../core/errors';
import { packageRoot } from '../core/package-root';

/** An option of a command: a boolean switch, or an option that takes a value. */
export interface OptionSpec {
  readonly kind: 'boolean' | 'string';
  /** The value's name in help, for a string option: `--app FILE`. */
  readonly value?: string;
  readonly help: string;
}

/** A subcommand of the CLI. */
export interface Command {
  readonly summary: string;
  /** The options the command accepts, by name (without `--`). */
  readonly options: { readonly [name: string]: OptionSpec };
  /** The name of the positional words in help (`owner/repo@ref`); when absent, the command takes none. */
  readonly positional?: string;
  run(args: ParsedArgs): Promise<number> | number;
}

/** Parsed command line: positional words and `--flag[=value]` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: { [name: string]: string | boolean };
}

/** A command line the command does not accept: exit 2 with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses a command's arguments against its options. A boolean option never
 * takes the next word as its value: `--check` or `--check=true` / `--check=false`.
 * A string option takes `--app FILE` or `--app=FILE`. Unknown options, a
 * missing value, an option given twice and positional words the command does
 * not take are errors. Words after `--` are positional.
 */
export function parseArgs(argv: readonly string[], command: Pick<Command, 'options' | 'positional'>): ParsedArgs {
  const positional: string[] = [];
  const flags: { [name: string]: string | boolean } = {};
  const names = Object.keys(command.options);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`unknown option "${a}"${optionsHint(names)}`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const spec = command.options[name];
    if (!spec) {
      const near = closest(name, names);
      throw new UsageError(`unknown option "--${name}"${near ? `; did you mean "--${near}"?` : optionsHint(names)}`);
    }
    if (name in flags) throw new UsageError(`option "--${name}" is given twice`);
    if (spec.kind === 'boolean') {
      if (eq < 0) flags[name] = true;
      else if (a.slice(eq + 1) === 'true') flags[name] = true;
      else if (a.slice(eq + 1) === 'false') flags[name] = false;
      else throw new UsageError(`option "--${name}" is a switch: give "--${name}", "--${name}=true" or "--${name}=false", not "${a}"`);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('-'))) {
      throw new UsageError(`option "--${name}" needs a value: "--${name} ${spec.value ?? 'VALUE'}"${value ? `; "${value}" looks like an option (use "--${name}=${value}" if it is the value)` : ''}`);
    }
    flags[name] = value;
  }
  if (positional.length && !command.positional) {
    throw new UsageError(`unexpected argument "${positional[0]}"; this command takes no arguments besides its options`);
  }
  return { positional, flags };
}

function optionsHint(names: string[]): string {
  return names.length ? `; options: ${names.map((n) => `--${n}`).join(', ')}` : '; this command takes no options';
}

const log = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

const APP_OPTION: OptionSpec = { kind: 'string', value: 'FILE', help: `the definition file (default: ${DEFINITION_FILE} in this folder or the nearest parent folder up to the repository root)` };
const VERBOSE_OPTION: OptionSpec = { kind: 'boolean', help: 'when the definition throws, show the stack after its file:line and message' };
const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The subcommands. Layers register theirs here. */
export const COMMANDS: { [name: string]: Command } = {
  'synth': {
    summary: 'Synthesize the definition into workflows, charts and Cloud Run specs',
    options: {
      app: APP_OPTION,
      outdir: { kind: 'string', value: 'DIR', help: 'the output directory (default: the folder of the definition)' },
      check: { kind: 'boolean', help: 'write nothing; exit 1 and list each file that is missing, changed or stale' },
      quiet: { kind: 'boolean', help: 'print a one-line summary instead of one line per file written or removed' },
      force: { kind: 'boolean', help: 'also overwrite, or delete when stale, generated files that were edited by hand' },
      adopt: { kind: 'boolean', help: 'after a lost manifest: take over files whose header names this definition' },
      verbose: VERBOSE_OPTION,
    },
    run: (args) => synthCommand({
      app: str(args.flags.app),
      outdir: str(args.flags.outdir),
      check: args.flags.check === true,
      quiet: args.flags.quiet === true,
      force: args.flags.force === true,
      adopt: args.flags.adopt === true,
      verbose: args.flags.verbose === true,
    }, log, err),
  },
  'pin': PIN_COMMAND,
  'add-action': ADD_ACTION_COMMAND,
  'audit': AUDIT_COMMAND,
  'import': IMPORT_COMMAND,
  'validate': {
    summary: 'Run the validators of slipway\'s output (actionlint, workflow parser, Kubernetes schemas, Go templates) on a folder',
    options: {},
    positional: 'DIR',
    run: (args) => {
      if (args.positional.length > 1) {
        err(`slipway validate: one folder at most, got ${args.positional.length}: ${args.positional.join(' ')}`);
        err(`Usage: ${commandUsage('validate', COMMANDS.validate)}`);
        return EXIT_INVALID;
      }
      return validateCommand({ dir: args.positional[0] }, log, err);
    },
  },
  'graph': {
    summary: 'Print each pipeline as a Mermaid flowchart (jobs, needs, environments, gates)',
    options: {
      app: APP_OPTION,
      pipeline: { kind: 'string', value: 'ID', help: 'only the pipeline with this id' },
      verbose: VERBOSE_OPTION,
    },
    run: (args) => {
      const app = resolveDefinition(str(args.flags.app), err);
      return app ? graphCommand({ app, pipeline: str(args.flags.pipeline), verbose: args.flags.verbose === true }, log, err) : EXIT_INVALID;
    },
  },
  'init': {
    summary: `Write a starter: ${DEFINITION_FILE}, the ${DELIVERY_MODULE} it calls, its snapshot test ${DELIVERY_TEST}; and add ${TSCONFIG}, npm test, ${GITATTRIBUTES} lines`,
    options: {
      app: { kind: 'string', value: 'FILE', help: `the definition file to write (default: ${DEFINITION_FILE} in this folder); the other two go next to it` },
      language: {
        kind: 'string',
        value: INIT_LANGUAGES.join('|'),
        help: 'the toolchain and checks of the starter pipeline: node (npm) or python (pip, pytest, ruff) (default: node)',
      },
      force: { kind: 'boolean', help: `overwrite the starter's three files when they exist (${TSCONFIG}, ${GITATTRIBUTES} and package.json are never overwritten)` },
    },
    run: (args) => initCommand({
      app: str(args.flags.app) ?? DEFINITION_FILE,
      language: str(args.flags.language),
      force: args.flags.force === true,
    }, log, err),
  },
};

/** The one-line usage of a command: `slipway synth [--app FILE] [--check] ...`. */
export function commandUsage(name: string, command: Command): string {
  const opts = Object.entries(command.options).map(([o, spec]) => (spec.kind === 'string' ? `[--${o} ${spec.value ?? 'VALUE'}]` : `[--${o}]`));
  return ['slipway', name, ...(command.positional ? [`[${command.positional} ...]`] : []), ...opts].join(' ');
}

function commandHelp(name: string, command: Command): string {
  const lines = [`Usage: ${commandUsage(name, command)}`, '', command.summary, '', 'Options:'];
  const label = (o: string, spec: OptionSpec) => (spec.kind === 'string' ? `--${o} ${spec.value ?? 'VALUE'}` : `--${o}`);
  const width = Math.max(10, ...Object.entries(command.options).map(([o, s]) => label(o, s).length)) + 2;
  for (const [o, spec] of Object.entries(command.options)) lines.push(`  ${label(o, spec).padEnd(width)}${spec.help}`);
  lines.push(`  ${'-h, --help'.padEnd(width)}print this help; do nothing else`);
  lines.push('', EXIT_CODES);
  return lines.join('\n');
}

const EXIT_CODES = 'Exit codes: 0 success, 1 `--check` found drift or `audit` or `validate` found problems, 2 invalid definition, usage, or a write that failed.';

function usage(): string {
  const lines = ['Usage: slipway <command> [options]', '', 'Commands:'];
  const width = Math.max(8, ...Object.keys(COMMANDS).map((n) => n.length + 2));
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}${c.summary}`, `  ${' '.repeat(width)}${commandUsage(name, c)}`);
  lines.push('', 'Run `slipway <command> --help` for the options of a command; `slipway --version` prints the version.', '', EXIT_CODES);
  return lines.join('\n');
}

/** The version of this package. */
export function version(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}

/** Whether the words ask for help (before any `--`). */
function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Entry point of the `slipway` bin. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    err(usage());
    return EXIT_INVALID;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    log(usage());
    return EXIT_OK;
  }
  if (name === '--version') {
    log(version());
    return EXIT_OK;
  }
  if (name === 'help') {
    const c = COMMANDS[rest[0]];
    if (!c || rest.length > 1) {
      err(`slipway help: unknown command "${rest.join(' ')}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
      return EXIT_INVALID;
    }
    log(commandHelp(rest[0], c));
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    const near = closest(name, Object.keys(COMMANDS));
    err(`slipway: unknown command "${name}"${near ? `; did you mean "${near}"?` : ''}`);
    err(usage());
    return EXIT_INVALID;
  }
  if (wantsHelp(rest)) {
    log(commandHelp(name, command));
    return EXIT_OK;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, command);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`slipway ${name}: ${e.message}`);
    err(`Usage: ${commandUsage(name, command)}`);
    err(`Run \`slipway ${name} --help\` for the options.`);
    return EXIT_INVALID;
  }
  try {
    return await command.run(args);
  } catch (e) {
    // a fault of slipway itself: one line, the stack only with --verbose
    err(`slipway ${name}: internal error: ${describeThrown(e, args.flags.verbose === true).join('\n  ')}`);
    return EXIT_INVALID;
  }
}
