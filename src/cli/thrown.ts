import * as path from 'path';
import { packageRoot } from '../core/package-root';

/** The folders of slipway's own code in its package. */
const ownCode = () => [path.join(packageRoot(), 'src') + path.sep, path.join(packageRoot(), 'lib') + path.sep];

/** One frame of a V8 stack trace. */
interface Frame {
  readonly file: string;
  readonly line: number;
}

/** The frames of an error's stack that name a file: `at f (file:1:2)` and `at file:1:2`. */
function framesOf(e: unknown): Frame[] {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?(?:file:\/\/)?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (m) frames.push({ file: m[1], line: Number(m[2]) });
  }
  return frames;
}

function isOwnCode(file: string): boolean {
  return ownCode().some((dir) => file.startsWith(dir));
}

/** Node's own code, dependencies (jiti, constructs) and evaluated text: never the user's source. */
function isElsewhere(file: string): boolean {
  return file.startsWith('node:') || file.startsWith('internal/') || !path.isAbsolute(file) || file.split(path.sep).includes('node_modules');
}

/**
 * Where in the user's source an error was thrown, or where the user's
 * source called the code that threw: the first frame in a file of the
 * user's (not slipway's own code, not a dependency, not Node's), as
 * `file:line` relative to the current folder. The loader (jiti) keeps the
 * definition's line numbers (not its columns: it rewrites imports).
 * @internal
 */
export function userLocation(e: unknown): string | undefined {
  const frame = framesOf(e).find((f) => !isOwnCode(f.file) && !isElsewhere(f.file));
  if (!frame) return undefined;
  return `${path.relative(process.cwd(), frame.file) || frame.file}:${frame.line}`;
}

/**
 * Whether an error is a fault of slipway's own code rather than a message
 * meant for the user: a TypeError, ReferenceError or RangeError raised
 * inside slipway (`x._problems is not a function`). It is most often caused
 * by a value of the wrong type that TypeScript did not catch.
 * @internal
 */
export function isInternal(e: unknown): boolean {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null && 'stack' in e)) return false;
  const err = e as Error;
  if (!['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'].includes(err.name)) return false;
  const first = framesOf(err)[0];
  return first !== undefined && isOwnCode(first.file);
}

/**
 * The lines that describe an error thrown while loading or synthesizing a
 * definition: where (the user's `file:line`), then one line of
 * message. slipway's internal faults are not shown as their raw text: they
 * are described by their likely cause. With `verbose`, the stack follows.
 * @internal
 */
export function describeThrown(e: unknown, verbose: boolean): string[] {
  const at = userLocation(e);
  const lines: string[] = [];
  if (isInternal(e)) {
    const name = (e as Error).name;
    lines.push(`${at ? `${at}: ` : ''}slipway failed on a value it was given (${name} inside slipway${at ? ', called from here' : ' while synthesizing'}); `
      + 'most likely a value of the wrong type that TypeScript did not catch (an `as any`, a cast, or plain JavaScript), e.g. a string where a Trigger or Step is expected; '
      + `check the types of the props given ${at ? 'here' : 'in the definition'}`);
    lines.push(verbose ? 'stack:' : 'run with --verbose to see the stack; if the values are right, report this as a bug of slipway');
  } else {
    const message = e instanceof Error ? firstLine(e.message) : firstLine(String(e));
    const kind = e instanceof Error && e.name !== 'Error' && e.name !== 'SlipwayError' ? `${e.name}: ` : '';
    lines.push(`${at ? `${at}: ` : ''}${kind}${message}`);
    if (!verbose) lines.push('run with --verbose to see the stack');
  }
  if (verbose && e instanceof Error && e.stack) lines.push(...e.stack.split('\n').filter((l) => /^\s+at /.test(l)).map((l) => `  ${l.trim()}`));
  return lines;
}

function firstLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length <= 1 ? (lines[0] ?? '') : `${lines[0]} …`;
}
