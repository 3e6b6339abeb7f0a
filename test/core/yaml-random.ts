/**
 * Seeded random documents for the YAML round-trip property
 * (test/core/yaml-emitter.test.ts), a round-trip check in YAML 1.2 and 1.1,
 * and a shrinker that reduces a failing document to a minimal one.
 */
import { isDeepStrictEqual } from 'util';
import * as YAML from 'yaml';

/** mulberry32: a 32-bit seeded PRNG in integer arithmetic (Math.imul, >>> 0), no precision lost. */
/* eslint-disable no-bitwise -- a 32-bit integer generator is bit operations */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
/* eslint-enable no-bitwise */

/** Words that some YAML schema (1.1 or 1.2) or some reader would take for another type, or that are syntax. */
export const ALL_SPECIAL_WORDS = [
  '', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE',
  'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', '=', '<<', '0', '-0', '+0', '00', '007', '08', '0o17', '0O17', '0x1F', '0X1f', '0b101',
  '-0b1', '+12', '1_000', '1,000', '1e3', '1E3', '1e+3', '1.5e-3', '1.0', '.5', '5.', '-.5', '+.5', '1__0', '0.1_2', '.inf', '.Inf',
  '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN', 'inf', 'nan', 'Infinity', 'NaN', '190:20:30', '1:20', '-1:20', '1:20.5', '12:30:45',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-15T02:59:43.1Z', '2002-12-14', '1.2.3',
  '0.0.0.0', 'v1', 'x86_64', '---', '...', '--- x', '... x', '%YAML 1.2', '!tag', '!!str', '&a', '*a', '? x', '?', '-', '- x',
  ': x', ':', 'a:', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '@x', '`x`', '|', '|-', '>', '>+', '[a]', '{a: 1}', 'a,b', "it's", 'say "hi"',
  '${{ github.sha }}', '${{ inputs.x }}', '{{ .Values.image }}', '"{{ .Release.Name }}"', "'q'", '"dq"', 'http://x:80/',
  '\\', 'C:\\temp', '\\n', '\ufeff', '\ufeffx', '\u0085', 'a\u0085b', '\u2028', '\u2029', 'a\u2028b', '\u00a0', 'a\u00a0', '😀',
  'é', '\ud83d', '\ude00x', '\x00', '\x7f', '\x9f', '\x1b[0m', '\t', ' ', '  ', 'x'.repeat(1100), 'long '.repeat(60),
];

/** Pieces strings are assembled from: single characters of a rich alphabet and tokens. */
const ALL_PIECES = [
  ' ', ' ', '  ', '\t', '\n', '\n', '\n\n', '\r', '\r\n', 'a', 'b', 'Z', '0', '1', '9', '.', '-', '- ', '_', ':', ': ', '#', ' #', '?', '? ',
  ',', '[', ']', '{', '}', '"', "'", '\\', '/', '*', '&', '!', '%', '@', '`', '|', '>', '~', '=', '<<', '+', 'e', 'E', 'x', 'o', '${{', '}}',
  '{{', '---', '...', 'é', '😀', '\ud83d', '\ude00', '\ufeff', '\u0085', '\u2028', '\u2029', '\u00a0', '\u3000', '\x00', '\x01', '\x07',
  '\x08', '\x0b', '\x0c', '\x1b', '\x7f', '\x80', '\x9f', 'on', 'yes', 'null', 'true', '1.5', '.inf', '0x', '12:30', '2001-12-14',
];

export interface DocGenerator {
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  string(): string;
  key(): string;
  number(): number;
  value(depth: number): unknown;
  document(): unknown;
}

export interface GeneratorOptions {
  /** Include `YAML.Scalar` string nodes with a line comment (what slipway writes for pinned `uses:`). @default true */
  readonly commentedScalars?: boolean;
  /** Leave out the pieces and special words that match. @default - none */
  readonly omit?: RegExp;
}

export function generator(seed: number, options: GeneratorOptions = {}): DocGenerator {
  const u32 = mulberry32(seed);
  const int = (n: number) => Math.floor((u32() / 4294967296) * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const commented = options.commentedScalars ?? true;
  const PIECES = options.omit ? ALL_PIECES.filter((p) => !options.omit!.test(p)) : ALL_PIECES;
  const SPECIAL_WORDS = options.omit ? ALL_SPECIAL_WORDS.filter((p) => !options.omit!.test(p)) : ALL_SPECIAL_WORDS;

  /** Lines with leading/trailing/whitespace-only variants, joined by newlines. */
  const multiLine = (): string => {
    const lines = Array.from({ length: 1 + int(5) }, () => {
      switch (int(8)) {
        case 0: return '';
        case 1: return pick([' ', '  ', '\t', ' \t ', '    ']);
        case 2: return pick([' ', '  ', '\t']) + pieces(3);
        case 3: return pieces(3) + pick([' ', '\t', '  ']);
        case 4: return pick(SPECIAL_WORDS.filter((w) => w.length < 40));
        default: return pieces(1 + int(6));
      }
    });
    return pick(['', '\n', '\n\n', ' \n', '  ']) + lines.join(pick(['\n', '\n', '\n\n', '\r\n'])) + pick(['', '\n', '\n', '\n\n', '\n  ', ' ', '\n\t']);
  };
  const pieces = (n: number) => Array.from({ length: n }, () => pick(PIECES)).join('');

  const string = (): string => {
    switch (int(10)) {
      case 0: case 1: return pick(SPECIAL_WORDS);
      case 2: return pick([' ', '', '\t', '  ']) + pick(SPECIAL_WORDS) + pick([' ', '', '\t', '\n', ':', ' #']);
      case 3: case 4: return multiLine();
      case 5: return 'line '.repeat(1 + int(16)) + pieces(int(4));
      case 6: return String(number());
      default: return pieces(int(12));
    }
  };

  const key = (): string => (int(3) === 0 ? `k${int(40)}` : string());

  const number = (): number => {
    switch (int(8)) {
      case 0: return pick([0, -0, 1, -1, 42, 8080, 65535]);
      case 1: return int(1000000) - 500000;
      case 2: return (int(2000000) - 1000000) / pick([10, 100, 7, 3]);
      case 3: return pick([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, -1e21, 1e100, 1.7976931348623157e308]);
      case 4: return pick([5e-324, 1e-7, 0.1, 0.000001, 1.5e-10, -2.5e-8]);
      case 5: return pick([1e15, 1e16, 123456789012345680000, 0.1 + 0.2]);
      default: return int(100);
    }
  };

  const scalar = (): unknown => {
    switch (int(12)) {
      case 0: return int(2) === 0;
      case 1: return null;
      case 2: return number();
      case 3: return undefined;
      case 4: {
        if (!commented) return string();
        const node = new YAML.Scalar(string().replace(/[\r\n]+/g, ' '));
        if (int(3)) node.comment = pick([' v4.3.1', 'v1', ' # x', ' ${{ x }}', '', ' ']);
        return node;
      }
      default: return string();
    }
  };

  const value = (depth: number): unknown => {
    const r = int(10);
    if (depth > 3 || r < 4) return scalar();
    if (r < 7) {
      const o: { [k: string]: unknown } = {};
      for (let i = int(5); i > 0; i--) {
        const k = key();
        if (k === '__proto__') continue;
        o[k] = value(depth + 1);
      }
      return o;
    }
    return Array.from({ length: int(5) }, () => value(depth + 1));
  };

  const document = (): unknown => {
    switch (int(20)) {
      case 0: case 1: case 2: return Array.from({ length: 1 + int(4) }, () => value(1));
      case 3: return {};
      default: {
        const o: { [k: string]: unknown } = {};
        for (let i = 1 + int(4); i > 0; i--) {
          const k = key();
          if (k !== '__proto__') o[k] = value(1);
        }
        return o;
      }
    }
  };

  return { int, pick, string, key, number, value, document };
}

/** What a reader should get back: undefined members dropped, commented Scalar nodes as their string. */
export function expected(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(expected);
  if (YAML.isScalar(value)) return value.value;
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = expected(v);
    return out;
  }
  return value;
}

export type Version = '1.1' | '1.2';

/** Why `text` does not read back as `value` in YAML `version`, or undefined when it does. */
export function roundTripProblem(value: unknown, text: string, version: Version): string | undefined {
  let back: unknown;
  try {
    const doc = YAML.parseDocument(text, { version, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length) return `YAML ${version} parse error: ${doc.errors[0].message}`;
    back = doc.toJS({ maxAliasCount: 0 });
  } catch (e) {
    return `YAML ${version} parse threw: ${(e as Error).message}`;
  }
  const want = expected(value);
  if (!isDeepStrictEqual(back, want) || !sameKeyOrder(back, want)) {
    return `YAML ${version} reads back ${show(back)}\n  instead of ${show(want)}`;
  }
  return undefined;
}

function sameKeyOrder(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.every((x, i) => sameKeyOrder(x, b[i]));
  if (a !== null && typeof a === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b as object);
    return ka.join('\0') === kb.join('\0') && ka.every((k) => sameKeyOrder((a as any)[k], (b as any)[k]));
  }
  return true;
}

/** JSON with -0 and lone surrogates visible. */
export function show(value: unknown): string {
  return JSON.stringify(expected(value), (_k, v) => (Object.is(v, -0) ? '-0 (negative zero)' : v))
    .replace(/[\x7f-\xa0\u2028\u2029\ufeff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Simpler variants of a value, simplest first. */
function* smaller(value: unknown): Generator<unknown> {
  if (typeof value === 'string') {
    if (value === '') return;
    yield '';
    const cps = Array.from(value);
    for (let size = Math.max(1, Math.floor(cps.length / 2)); size >= 1; size = Math.floor(size / 2)) {
      for (let i = 0; i + size <= cps.length; i += size) yield [...cps.slice(0, i), ...cps.slice(i + size)].join('');
    }
    return;
  }
  if (YAML.isScalar(value)) {
    yield value.value;
    if (value.comment) {
      const bare = new YAML.Scalar(value.value);
      yield bare;
    }
    for (const s of smaller(value.value)) {
      const node = new YAML.Scalar(s);
      node.comment = value.comment;
      yield node;
    }
    return;
  }
  if (typeof value === 'number') {
    if (value !== 0) yield 0;
    if (!Number.isInteger(value)) yield Math.trunc(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const x of value) if (x !== null && typeof x === 'object' && !YAML.isScalar(x)) yield x;
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    for (let i = 0; i < value.length; i++) {
      for (const s of smaller(value[i])) yield [...value.slice(0, i), s, ...value.slice(i + 1)];
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const obj = (es: Array<[string, unknown]>) => Object.fromEntries(es);
    for (const [, x] of entries) if (x !== null && typeof x === 'object' && !YAML.isScalar(x)) yield x;
    for (let i = 0; i < entries.length; i++) yield obj([...entries.slice(0, i), ...entries.slice(i + 1)]);
    for (let i = 0; i < entries.length; i++) {
      const [k, x] = entries[i];
      for (const s of smaller(x)) yield obj([...entries.slice(0, i), [k, s], ...entries.slice(i + 1)]);
      for (const s of smaller(k)) {
        if (s === '__proto__' || entries.some(([other]) => other === s)) continue;
        yield obj([...entries.slice(0, i), [s as string, x], ...entries.slice(i + 1)]);
      }
    }
  }
}

/** Greedily shrinks `value` while `fails` holds (bounded number of attempts). */
export function shrink(value: unknown, fails: (v: unknown) => boolean, maxAttempts = 20000): unknown {
  let current = value;
  let attempts = 0;
  let progress = true;
  while (progress && attempts < maxAttempts) {
    progress = false;
    for (const candidate of smaller(current)) {
      if (++attempts > maxAttempts) break;
      if (fails(candidate)) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}
