/**
 * `slipway add-action owner/repo[/path]@ref`: pins the action in slipway.lock.json (as
 * `slipway pin` does), reads its `action.yml` at that commit with git, and writes a typed
 * binding: an inputs interface, the action's metadata (inputs and outputs, checked at synth)
 * and a factory that returns an `Action`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { DEFINITION_FILE, findDefinition } from './load';
import type { Command, ParsedArgs } from './main';
import { DEFAULT_REMOTE_BASE, pinCommand } from './pin';
import { EXIT_INVALID, EXIT_OK } from './synth';
import { spawnSync } from '../core/child-process';
import { LOCK_FILE_NAME, lockKey, parseLockFile, splitRef } from '../github/actions/lock-file';

type Log = (s: string) => void;

/** Where bindings go, relative to the folder of the definition. */
export const BINDINGS_DIR = '.slipway/actions';

/** Options of `slipway add-action`. */
export interface AddActionOptions {
  /** `owner/repo[/path]@ref`. */
  readonly ref: string;
  /** The folder of slipway.lock.json and of `.slipway/actions/`. */
  readonly outdir: string;
  /** The binding file; default `<outdir>/.slipway/actions/<name>.ts`. */
  readonly out?: string;
  /** Base URL of the repositories: `<base>/<owner>/<repo>.git`. */
  readonly remoteBase?: string;
  /** The module the binding imports slipway from. */
  readonly importFrom?: string;
}

/** One input of an action.yml. */
interface InputSpec {
  readonly required: boolean;
  readonly defaultValue?: string;
  readonly description?: string;
  readonly deprecationMessage?: string;
}

/** What the binding is generated from. */
export interface ActionYml {
  readonly name?: string;
  readonly description?: string;
  readonly inputs: { [name: string]: InputSpec };
  readonly outputs: { [name: string]: { readonly description?: string } };
}

const REF = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)((?:\/[A-Za-z0-9._-]+)*)@([A-Za-z0-9._\-/+]+)$/;

function git(args: string[], cwd: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '', err: (r.error?.message ?? r.stderr ?? '').trim() };
}

/** Reads `<path>/action.yml` (or `.yaml`) of the repository at `ref`, checking it is `sha`. */
function readActionYml(url: string, ref: string, sha: string, subpath: string): { text: string; file: string } | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-add-action-'));
  try {
    git(['init', '-q'], dir);
    const fetched = git(['fetch', '-q', '--depth', '1', url, ref], dir);
    if (!fetched.ok) return `\`git fetch ${url} ${ref}\` failed: ${fetched.err.split('\n').slice(-2).join(' ')}`;
    const head = git(['rev-parse', 'FETCH_HEAD^{commit}'], dir).out.trim();
    if (head !== sha) return `${ref} is at ${head} in ${url}, but ${LOCK_FILE_NAME} pins ${sha}; run \`npx slipway pin\` and try again`;
    for (const name of ['action.yml', 'action.yaml']) {
      const file = subpath ? `${subpath}/${name}` : name;
      const shown = git(['show', `FETCH_HEAD:${file}`], dir);
      if (shown.ok) return { text: shown.out, file };
    }
    return `${url} has no ${subpath ? `${subpath}/` : ''}action.yml or action.yaml at ${ref} (${sha.slice(0, 12)})`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));

/** Parses the inputs and outputs of an action.yml; a string when it is not one. */
export function parseActionYml(text: string): ActionYml | string {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (e) {
    return `it is not valid YAML: ${(e as Error).message.split('\n')[0]}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'it is not a mapping';
  const d = parsed as { [k: string]: unknown };
  const inputs: { [name: string]: InputSpec } = {};
  for (const [name, spec] of Object.entries((d.inputs ?? {}) as { [k: string]: unknown })) {
    const s = (typeof spec === 'object' && spec !== null ? spec : {}) as { [k: string]: unknown };
    inputs[name] = {
      required: s.required === true || s.required === 'true',
      defaultValue: str(s.default),
      description: str(s.description),
      deprecationMessage: str(s.deprecationMessage),
    };
  }
  const outputs: { [name: string]: { description?: string } } = {};
  for (const [name, spec] of Object.entries((d.outputs ?? {}) as { [k: string]: unknown })) {
    const s = (typeof spec === 'object' && spec !== null ? spec : {}) as { [k: string]: unknown };
    outputs[name] = { description: str(s.description) };
  }
  return { name: str(d.name), description: str(d.description), inputs, outputs };
}

const words = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean);
const camel = (s: string) => words(s).map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
const pascal = (s: string) => words(s).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The binding's names: file `<repo>[-<path>]`, factory `camelCase`, interface `PascalCaseInputs`. */
export function bindingNames(repository: string): { file: string; factory: string; type: string; constant: string } {
  const [, repo, ...sub] = repository.split('/');
  const base = [repo, ...sub].join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  let factory = camel(base) || 'action';
  if (!IDENT.test(factory)) factory = `action${pascal(base)}`;
  return { file: base, factory, type: `${pascal(factory)}Inputs`, constant: `${words(base).join('_').toUpperCase() || 'ACTION'}_METADATA` };
}

/** A JSDoc comment, `*\/` made harmless. */
function doc(lines: string[], indent: string): string {
  const body = lines.flatMap((l) => l.replace(/\*\//g, '*\\/').split('\n')).map((l) => `${indent} *${l ? ` ${l.trimEnd()}` : ''}`);
  return [`${indent}/**`, ...body, `${indent} */`].join('\n');
}

/** The TypeScript of a binding. */
export function renderBinding(opts: {
  readonly repository: string;
  readonly version: string;
  readonly sha: string;
  readonly file: string;
  readonly action: ActionYml;
  readonly importFrom: string;
}): string {
  const { repository, version, sha, action } = opts;
  const names = bindingNames(repository);
  const inputNames = Object.keys(action.inputs);
  // Prop names: camelCase, unless two inputs would share one, or it is no identifier.
  const camels = inputNames.map((n) => camel(n));
  const unique = (c: string) => IDENT.test(c) && camels.indexOf(c) === camels.lastIndexOf(c);
  const prop = (n: string, i: number) => (unique(camels[i]) ? camels[i] : JSON.stringify(n));
  const access = (n: string, i: number) => (prop(n, i) === camels[i] ? `inputs.${camels[i]}` : `inputs[${JSON.stringify(n)}]`);
  const needed = (s: InputSpec) => s.required && s.defaultValue === undefined;
  const anyRequired = inputNames.some((n) => needed(action.inputs[n]));
  const title = `\`${repository}\` (${version})${action.name ? `: ${action.name}` : ''}`;

  const out: string[] = [];
  out.push(`// Generated by \`npx slipway add-action ${repository}@${version}\` from ${opts.file} at ${sha}.`);
  out.push('// Do not edit by hand; run the command again to update it.');
  out.push(`import { Action, ActionMetadata, CatalogOptions } from ${JSON.stringify(opts.importFrom)};`);
  out.push('');
  out.push(doc([`Inputs of ${title}.`, ...(action.description ? ['', action.description.trim()] : [])], ''));
  out.push(`export interface ${names.type} {`);
  inputNames.forEach((n, i) => {
    const s = action.inputs[n];
    const lines = [s.description?.trim() || `The \`${n}\` input.`, '', `Input \`${n}\`${s.required ? ' (required by the action)' : ''}.`];
    lines.push(s.defaultValue !== undefined ? `@default ${JSON.stringify(s.defaultValue)}` : '@default - none');
    if (s.deprecationMessage) lines.push(`@deprecated ${s.deprecationMessage.trim()}`);
    out.push(doc(lines, '  '));
    out.push(`  readonly ${prop(n, i)}${needed(s) ? '' : '?'}: string | number | boolean;`);
    if (i < inputNames.length - 1) out.push('');
  });
  out.push('}');
  out.push('');
  out.push(doc([`The inputs and outputs ${repository}@${version} declares: \`with:\` and \`steps.<id>.outputs.<name>\` are checked against them at synth.`], ''));
  const metadata = {
    inputs: Object.fromEntries(inputNames.map((n) => {
      const s = action.inputs[n];
      const spec: { [k: string]: unknown } = {};
      if (s.required) spec.required = true;
      if (s.defaultValue !== undefined) spec.defaultValue = s.defaultValue;
      if (s.deprecationMessage) spec.deprecationMessage = s.deprecationMessage.trim();
      return [n, spec];
    })),
    outputs: Object.keys(action.outputs),
  };
  out.push(`export const ${names.constant}: ActionMetadata = ${JSON.stringify(metadata, undefined, 2)};`);
  out.push('');
  const outputDocs = Object.entries(action.outputs).map(([n, o]) => `- \`${n}\`${o.description ? `: ${o.description.trim().split('\n')[0]}` : ''}`);
  out.push(doc([
    `${title}, pinned through ${LOCK_FILE_NAME}.`,
    ...(outputDocs.length ? ['', 'Outputs (`steps.<id>.outputs.<name>`):', ...outputDocs] : []),
  ], ''));
  out.push(`export function ${names.factory}(inputs: ${names.type}${anyRequired ? '' : ' = {}'}, options: CatalogOptions = {}): Action {`);
  out.push('  const given: { [name: string]: string | number | boolean | undefined } = {');
  inputNames.forEach((n, i) => out.push(`    ${JSON.stringify(n)}: ${access(n, i)},`));
  out.push('  };');
  out.push(`  return Action.of(${JSON.stringify(repository)}, options.version ?? ${JSON.stringify(version)}, {`);
  out.push('    sha: options.sha,');
  out.push('    allowUnpinned: options.allowUnpinned,');
  out.push('    permissions: options.permissions,');
  out.push('    inputs: Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),');
  out.push(`    metadata: ${names.constant},`);
  out.push('  });');
  out.push('}');
  return out.join('\n') + '\n';
}

/** `slipway add-action`: pin, read action.yml, write the binding. */
export function addActionCommand(opts: AddActionOptions, log: Log, err: Log): number {
  const m = REF.exec(opts.ref);
  const parts = splitRef(opts.ref);
  if (!m || !parts) {
    err(`slipway add-action: "${opts.ref}" is not owner/repo[/path]@ref (e.g. "actions/setup-go@v5", "github/codeql-action/upload-sarif@v3")`);
    return EXIT_INVALID;
  }
  const { repository, version } = parts;
  const subpath = m[3].replace(/^\//, '');
  const remoteBase = (opts.remoteBase ?? DEFAULT_REMOTE_BASE).replace(/\/+$/, '');
  const url = `${remoteBase}/${m[1]}/${m[2]}.git`;

  // The lock entry first: the binding is read from the commit the lock pins.
  const pinned = pinCommand({ app: path.join(opts.outdir, DEFINITION_FILE), outdir: opts.outdir, refs: [opts.ref], remoteBase }, log, err);
  if (pinned !== EXIT_OK) return pinned;
  const lockFile = path.join(opts.outdir, LOCK_FILE_NAME);
  const pin = parseLockFile(fs.readFileSync(lockFile, 'utf8'), LOCK_FILE_NAME).pins.get(lockKey(repository, version));
  if (!pin) {
    err(`slipway add-action: ${lockFile} has no entry ${lockKey(repository, version)} after pinning`);
    return EXIT_INVALID;
  }

  const read = readActionYml(url, version, pin.sha, subpath);
  if (typeof read === 'string') {
    err(`slipway add-action: ${read}`);
    return EXIT_INVALID;
  }
  const action = parseActionYml(read.text);
  if (typeof action === 'string') {
    err(`slipway add-action: ${read.file} of ${repository}@${version} cannot be read: ${action}`);
    return EXIT_INVALID;
  }
  const names = bindingNames(repository);
  const target = path.resolve(opts.out ?? path.join(opts.outdir, ...BINDINGS_DIR.split('/'), `${names.file}.ts`));
  const text = renderBinding({ repository, version, sha: pin.sha, file: read.file, action, importFrom: opts.importFrom ?? 'slipway' });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (before !== text) fs.writeFileSync(target, text);
  const shown = path.relative(process.cwd(), target) || target;
  const required = Object.entries(action.inputs).filter(([, s]) => s.required && s.defaultValue === undefined).map(([n]) => n);
  log(`slipway add-action: ${before === text ? 'unchanged' : 'wrote'} ${shown}: ${names.factory}() with ${Object.keys(action.inputs).length} input(s)`
    + `${required.length ? ` (required: ${required.join(', ')})` : ''} and ${Object.keys(action.outputs).length} output(s)`);
  const rel = path.relative(opts.outdir, target).split(path.sep).join('/').replace(/\.ts$/, '');
  log(`  use it: import { ${names.factory} } from './${rel}';  Step.uses(${names.factory}({ ... }), { id: '...' })`);
  return EXIT_OK;
}

/** The `slipway add-action` subcommand, as registered in main.ts. */
export const ADD_ACTION_COMMAND: Command = {
  summary: 'Pin an action and generate its typed binding (inputs, outputs) from its action.yml',
  positional: 'owner/repo[/path]@ref',
  options: {
    'app': { kind: 'string', value: 'FILE', help: `the definition; the lock and ${BINDINGS_DIR}/ go next to it (default: ${DEFINITION_FILE} in this folder or the nearest parent folder, else this folder)` },
    'out': { kind: 'string', value: 'FILE', help: `the binding file to write (default: ${BINDINGS_DIR}/<name>.ts next to the definition)` },
    'import-from': { kind: 'string', value: 'MODULE', help: 'the module the binding imports slipway from (default: slipway)' },
    'remote-base': { kind: 'string', value: 'URL', help: `base URL of the action repositories (default: ${DEFAULT_REMOTE_BASE})` },
  },
  run: (args: ParsedArgs) => {
    const log = (s: string) => process.stdout.write(s + '\n');
    const err = (s: string) => process.stderr.write(s + '\n');
    if (args.positional.length !== 1) {
      err(`slipway add-action: give one action, owner/repo[/path]@ref; got ${args.positional.length}`);
      return EXIT_INVALID;
    }
    const flag = (n: string) => (typeof args.flags[n] === 'string' ? args.flags[n] as string : undefined);
    const app = flag('app') ?? findDefinition();
    return addActionCommand({
      ref: args.positional[0],
      outdir: app ? path.dirname(path.resolve(app)) : process.cwd(),
      out: flag('out'),
      remoteBase: flag('remote-base'),
      importFrom: flag('import-from'),
    }, log, err);
  },
};
