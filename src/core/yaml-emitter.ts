import * as YAML from 'yaml';

/**
 * A fast YAML emitter for the documents slipway renders: plain objects,
 * arrays, strings, finite numbers, booleans, null, `YAML.Scalar` string
 * nodes that carry only a line comment (`uses: ...@<sha> # v4.3.1`), and
 * node trees of maps, sequences and scalars whose keys may have comments
 * before them (the commented values.yaml of a Helm chart).
 *
 * It writes what `new YAML.Document(value).toString()` of the `yaml`
 * package writes with the options of {@link toYaml} (`lineWidth: 0`,
 * `blockQuote: 'literal'`, `indentSeq: true`, `nullStr: 'null'`, no
 * aliases): the string rules below are those of the package's
 * stringifyString (plain when the schema would read the text back as a
 * string, else single or double quotes; multi-line strings as literal
 * blocks), and whether a plain string would be read back as another type is
 * decided by the package's own schema tags. It is several times faster
 * because it builds no node tree.
 *
 * Where the package's output does not read back as the same data, it
 * writes something that does: a multi-line string of only whitespace with a
 * space in it is double-quoted (in a block, its spaces read back as
 * indentation); a whitespace-only line in a folded double-quoted string has
 * its space escaped once, not twice; `-0` and keys over 1024 characters
 * (explicit `? key`) are written here rather than by the package. It also
 * writes for readers other than the package: `<<` is quoted (a merge key to
 * most readers); the byte order mark, C1 controls such as NEL and the line
 * and paragraph separators are escaped in double quotes (YAML 1.1 readers
 * take them for line breaks); and for YAML 1.1 output, strings that YAML 1.2
 * or Go's integer parser would read as another type are quoted too.
 * test/core/yaml-emitter.test.ts checks the round trip in YAML 1.2 and 1.1
 * on seeded random documents. For anything else (other comments, tags,
 * anchors, flow collections, dates, non-finite numbers, top-level scalars)
 * it returns undefined, and the caller uses the `yaml` package.
 * @internal
 */
export function emitYaml(value: unknown, yaml11: boolean): string | undefined {
  if (value === null || typeof value !== 'object' || YAML.isScalar(value)) return undefined;
  try {
    if (!isCollection(value)) return undefined;
    return collection(value as object, '', yaml11 ? TESTS_11 : TESTS_12) + '\n';
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

const UNSUPPORTED = new Error('unsupported by the fast YAML emitter');
const STEP = '  ';

/** Tests of the schema's non-string tags: a plain string they match would not be read back as a string. */
function nonStringTests(version: '1.1' | '1.2'): RegExp[] {
  const tags = (new YAML.Document(null, { version }).schema as unknown as { tags: Array<{ default?: boolean; tag: string; test?: RegExp }> }).tags;
  return tags.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test!);
}
const TESTS_12 = nonStringTests('1.2');
/**
 * Output for YAML 1.1 readers is quoted where either version would read a
 * plain string as another type: Kubernetes' and Helm's Go readers mix the two
 * (1.1 booleans and sexagesimals, but also 1.2's `0o17` octals, and any
 * prefix Go's integer parser takes, such as `0O17` and `0B1`).
 */
const TESTS_11 = [...nonStringTests('1.1'), ...TESTS_12, /^[-+]?0[bBoOxX][0-9a-fA-F_]+$/];

/** A non-empty or empty map or sequence at `indent` (the yaml package's ctx.indent). */
function collection(value: object, indent: string, tests: RegExp[]): string {
  if (Array.isArray(value) || YAML.isSeq(value)) {
    const items = YAML.isSeq(value) ? value.items : value.filter((v) => v !== undefined);
    if (items.length === 0) return '[]';
    const itemIndent = indent + STEP;
    let out = '';
    for (let i = 0; i < items.length; i++) {
      const line = '- ' + item(items[i], itemIndent, tests);
      out += i === 0 ? line : `\n${indent}${line}`;
    }
    return out;
  }
  let out = '';
  const inner = indent + STEP;
  if (YAML.isMap(value)) {
    // a node tree (the commented values.yaml): string keys, perhaps with a comment before them
    for (const pair of value.items) {
      const key = pair.key;
      if (!YAML.isScalar(key) || typeof key.value !== 'string' || !YAML.isNode(pair.value) || !plainNode(key, true)) throw UNSUPPORTED;
      if (key.commentBefore) {
        // the yaml package's addCommentBefore: `#` lines at the map's indentation
        const comment = key.commentBefore.replace(/^(?!$)(?: $)?/gm, '#');
        const line = (indent ? comment.replace(/^(?! *$)/gm, indent) : comment).trimStart();
        out += out ? `\n${indent}${line}` : line;
      }
      const line = entry(key.value, pair.value, indent, inner, tests);
      out += out ? `\n${indent}${line}` : line;
    }
    return out || '{}';
  }
  const obj = value as { [key: string]: unknown };
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    const line = entry(key, v, indent, inner, tests);
    out += out ? `\n${indent}${line}` : line;
  }
  return out || '{}';
}

/** A map entry, `key: value`, of a map at `indent`. */
function entry(key: string, v: unknown, indent: string, inner: string, tests: RegExp[]): string {
  const k = scalarString(key, inner, true, tests);
  if (k.length > 1024) {
    // an implicit key is at most 1024 characters long: an explicit key (`? key`, then `: value` on the next line)
    return `? ${k}\n${indent}: ` + (isCollection(v) ? collection(v as object, inner, tests) : scalar(v, inner, tests));
  }
  if (isCollection(v)) {
    const s = collection(v as object, inner, tests);
    return k + (s === '[]' || s === '{}' ? ': ' + s : `:\n${inner}${s}`);
  }
  return k + ': ' + scalar(v, inner, tests);
}

/**
 * Whether a node carries nothing the emitter does not write: no tag, anchor,
 * style, blank line or comment (but a key may have a comment before it).
 */
function plainNode(node: YAML.Node, isKey = false): boolean {
  const n = node as YAML.Node & { type?: string; format?: string; flow?: boolean };
  return n.tag === undefined && n.anchor === undefined && n.type === undefined && n.format === undefined && !n.flow && !n.spaceBefore
    && !n.comment && (isKey ? n.commentBefore === undefined || n.commentBefore === null || (typeof n.commentBefore === 'string'
      && !n.commentBefore.startsWith('\n') && !/\r/.test(n.commentBefore)) : !n.commentBefore);
}

/** A sequence item at `itemIndent`. */
function item(v: unknown, itemIndent: string, tests: RegExp[]): string {
  return isCollection(v) ? collection(v as object, itemIndent, tests) : scalar(v, itemIndent, tests);
}

function isCollection(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (YAML.isNode(v) || YAML.isPair(v)) {
    if (YAML.isScalar(v)) return false;
    if ((YAML.isMap(v) || YAML.isSeq(v)) && plainNode(v)) return true;
    throw UNSUPPORTED;
  }
  if (v instanceof Date) throw UNSUPPORTED;
  return true;
}

/** A scalar value (never a key) at `indent`: a plain value, or a Scalar node, with its line comment if it has one. */
function scalar(v: unknown, indent: string, tests: RegExp[]): string {
  switch (typeof v) {
    case 'string': return scalarString(v, indent, false, tests);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw UNSUPPORTED;
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    case 'object': {
      if (v === null) return 'null';
      if (!YAML.isScalar(v)) throw UNSUPPORTED;
      const node = v as YAML.Scalar;
      const value = node.value;
      if (plainNode(node)) return scalar(value, indent, tests); // a Scalar node of the yaml package's createNode
      if ( typeof value !== 'string' || value.includes('\n') || node.type !== undefined || node.tag !== undefined
        || node.anchor !== undefined || node.format !== undefined || node.commentBefore || node.spaceBefore
        || (node.comment !== undefined && (typeof node.comment !== 'string' || /[\r\n]/.test(node.comment)))) {
        throw UNSUPPORTED;
      }
      const s = scalarString(value, indent, false, tests);
      if (!node.comment) return s;
      const comment = node.comment.replace(/^(?!$)(?: $)?/gm, '#');
      return s + (s.endsWith(' ') ? '' : ' ') + comment;
    }
    default: throw UNSUPPORTED;
  }
}

// --- strings: the yaml package's stringifyString for slipway's options ---------------------------

const containsDocumentMarker = (s: string) => /^(%|---|\.\.\.)/m.test(s);

/**
 * Renderings of single-line strings, which do not depend on the indentation
 * (only on the YAML version, and for keys on whether they are top-level):
 * documents repeat the same keys and values many times.
 */
const newCaches = () => ({ topKeys: new Map<string, string>(), keys: new Map<string, string>(), values: new Map<string, string>() });
const CACHES = new Map([[TESTS_11, newCaches()], [TESTS_12, newCaches()]]);
const CACHE_LIMIT = 10000;

function scalarString(value: string, indent: string, implicitKey: boolean, tests: RegExp[]): string {
  if (value.includes('\n')) return uncachedScalarString(value, indent, implicitKey, tests);
  const caches = CACHES.get(tests)!;
  const cache = implicitKey ? (indent === STEP ? caches.topKeys : caches.keys) : caches.values;
  let s = cache.get(value);
  if (s === undefined) {
    s = uncachedScalarString(value, indent, implicitKey, tests);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, s);
  }
  return s;
}

function uncachedScalarString(value: string, indent: string, implicitKey: boolean, tests: RegExp[]): string {
  // a plain `<<` is a merge key to YAML 1.1 readers and to most others
  if (value === '<<') return doubleQuoted(value, indent, implicitKey);
  // control characters, unpaired surrogates, the byte order mark (not allowed
  // in any scalar) and the line and paragraph separators (line breaks to
  // YAML 1.1 readers) force double quotes, where they are escaped
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}\u2028\u2029\uFEFF]/u.test(value)) return doubleQuoted(value, indent, implicitKey);
  return plain(value, indent, implicitKey, tests);
}

function plain(value: string, indent: string, implicitKey: boolean, tests: RegExp[]): string {
  if (implicitKey && value.includes('\n')) return quoted(value, indent, implicitKey);
  if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
    return implicitKey || !value.includes('\n') ? quoted(value, indent, implicitKey) : block(value, indent, implicitKey);
  }
  if (!implicitKey && value.includes('\n')) return block(value, indent, implicitKey);
  if (containsDocumentMarker(value)) {
    if (indent === '') throw UNSUPPORTED; // a top-level scalar; never emitted here
    if (implicitKey && indent === STEP) return quoted(value, indent, implicitKey);
  }
  const str = value.replace(/\n+/g, `$&\n${indent}`);
  if (tests.some((t) => t.test(str))) return quoted(value, indent, implicitKey);
  return str;
}

function quoted(value: string, indent: string, implicitKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, indent, implicitKey) : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, indent, implicitKey);
  const ind = indent || (containsDocumentMarker(value) ? STEP : '');
  return "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${ind}`) + "'";
}

function doubleQuoted(value: string, ctxIndent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value).replace(/[\x7f-\x9f\u2028\u2029\uFEFF]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const indent = ctxIndent || (containsDocumentMarker(value) ? STEP : '');
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // space before newline needs to be escaped to not be folded (unless
      // it is a whitespace-only line's space, escaped already as the space
      // after a folded newline)
      str += json.slice(start, i) + (start === i && str.endsWith('\\') ? ' ' : '\\ ');
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch === '\\') {
      switch (json[i + 1]) {
        case 'u': {
          str += json.slice(start, i);
          const code = json.substr(i + 2, 4);
          switch (code) {
            case '0000': str += '\\0'; break;
            case '0007': str += '\\a'; break;
            case '000b': str += '\\v'; break;
            case '001b': str += '\\e'; break;
            case '0085': str += '\\N'; break;
            case '00a0': str += '\\_'; break;
            case '2028': str += '\\L'; break;
            case '2029': str += '\\P'; break;
            default:
              if (code.substr(0, 2) === '00') str += '\\x' + code.substr(2);
              else str += json.substr(i, 6);
          }
          i += 5;
          start = i + 1;
          break;
        }
        case 'n':
          if (implicitKey || json[i + 2] === '"' || json.length < 40) {
            i += 1;
          } else {
            // folding will eat first newline
            str += json.slice(start, i) + '\n\n';
            while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
              str += '\n';
              i += 2;
            }
            str += indent;
            // space after newline needs to be escaped to not be folded
            if (json[i + 2] === ' ') str += '\\';
            i += 1;
            start = i + 1;
          }
          break;
        default:
          i += 1;
      }
    }
  }
  return start ? str + json.slice(start) : json;
}

let blockEndNewlines: RegExp;
try {
  blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
} catch {
  blockEndNewlines = /\n+(?!\n|$)/g;
}

/** A literal block scalar (`|`, `|-`, `|+`, with an indentation indicator when the text starts with a space). */
function block(input: string, ctxIndent: string, implicitKey: boolean): string {
  let value = input;
  // a block cannot end in whitespace unless the last line is non-empty; and
  // in a block of only whitespace, spaces are taken for indentation (there
  // is no line with content to detect the indentation from): quote
  if (/\n[\t ]+$/.test(value) || (!/[^\t\n ]/.test(value) && value.includes(' '))) return quoted(value, ctxIndent, implicitKey);
  const indent = ctxIndent || (containsDocumentMarker(value) ? STEP : '');
  if (!value) return '|\n';
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const indentSize = indent ? '2' : '1';
  const header = (startWithSpace ? indentSize : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}
