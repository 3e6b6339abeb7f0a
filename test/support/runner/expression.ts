/**
 * GitHub Actions expression language: tokenizer, parser and evaluator.
 *
 * Follows "Expressions" (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions)
 * and "Contexts" (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/accessing-contextual-information-about-workflow-runs):
 *
 * - literals: `null`, `true`, `false`, numbers (JSON numbers, a leading `-`, hex `0xff`,
 *   exponents), strings in single quotes with `''` as the escaped quote;
 * - operators by precedence: `( )`, `[ ]`, `.`, `!`, `< <= > >=`, `== !=`, `&&`, `||`;
 *   `&&` / `||` return one of their operands, not a boolean;
 * - loose equality: operands of different types are both converted to numbers (null → 0,
 *   true → 1, a string parsed as a number, '' → 0, otherwise NaN; arrays and objects → NaN);
 *   strings compare case-insensitively; arrays and objects equal only themselves;
 * - falsy: `false`, `0`, `-0`, `''`, `null` (and NaN); everything else is truthy;
 * - property names, context names and function names are case-insensitive; a missing
 *   property is `null`; `.*` makes a filtered array and later `.x` / `[x]` apply to each item;
 * - functions: contains, startsWith, endsWith, format, join, toJSON, fromJSON and the status
 *   functions success, failure, cancelled, always. `hashFiles` is not supported.
 */

/** A value of the expression language. */
export type ExprValue = null | boolean | number | string | ExprValue[] | { [key: string]: ExprValue };

/** Thrown for a feature the simulator does not model; it is never turned into a step failure. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(`runner simulator: unsupported: ${message}`);
    this.name = 'UnsupportedError';
  }
}

/** Thrown for an expression that GitHub would also reject (syntax or evaluation error). */
export class ExpressionError extends Error {
  constructor(message: string, expression: string) {
    super(`${message} (in expression: ${expression})`);
    this.name = 'ExpressionError';
  }
}

/** The status functions that are available in `if:` conditions. */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
  always(): boolean;
}

/** What an expression is evaluated against. */
export interface EvalContext {
  /** Context objects by name (`github`, `env`, `steps`, ...); names are matched case-insensitively. */
  contexts: Record<string, ExprValue>;
  /** Present only where status functions are allowed (`if:` conditions). */
  status?: StatusFunctions;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'id'; value: string; pos: number }
  | { kind: 'punct'; value: string; pos: number }
  | { kind: 'eof'; pos: number };

const PUNCT = ['<=', '>=', '==', '!=', '&&', '||', '(', ')', '[', ']', '.', ',', '!', '<', '>', '*'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** Whether the previous token ends an operand (then `.` is a property access, not `.5`). */
  const afterOperand = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return false;
    return prev.kind !== 'punct' || [')', ']', '*'].includes(prev.value);
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '\'') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ExpressionError(`unterminated string literal at position ${i}`, src);
        if (src[j] === '\'') {
          if (src[j + 1] === '\'') { value += '\''; j += 2; continue; }
          break;
        }
        value += src[j++];
      }
      tokens.push({ kind: 'str', value, pos: i });
      i = j + 1;
      continue;
    }
    const startsNumber = /[0-9]/.test(c) || (c === '-' && /[0-9.]/.test(src[i + 1] ?? '')) || (c === '.' && /[0-9]/.test(src[i + 1] ?? '') && !afterOperand());
    if (startsNumber) {
      const m = /^-?(0x[0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(src.slice(i));
      if (!m) throw new ExpressionError(`invalid number at position ${i}`, src);
      const text = m[0];
      const negative = text.startsWith('-');
      const body = negative ? text.slice(1) : text;
      const n = /^0x/i.test(body) ? parseInt(body.slice(2), 16) : Number(body);
      // A number must not run straight into a name: `1abc` is an error.
      if (/[A-Za-z_]/.test(src[i + text.length] ?? '')) throw new ExpressionError(`invalid number at position ${i}`, src);
      tokens.push({ kind: 'num', value: negative ? -n : n, pos: i });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      tokens.push({ kind: 'id', value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new ExpressionError(`unexpected character '${c}' at position ${i}`, src);
    tokens.push({ kind: 'punct', value: p, pos: i });
    i += p.length;
  }
  tokens.push({ kind: 'eof', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

export type Node =
  | { type: 'literal'; value: ExprValue }
  | { type: 'context'; name: string }
  | { type: 'property'; object: Node; name: string }
  | { type: 'index'; object: Node; index: Node }
  | { type: 'star'; object: Node }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] };

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly src: string) {}

  parse(): Node {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(`unexpected token '${describe(t)}'`, t);
    return node;
  }

  private peek(): Token { return this.tokens[this.i]; }
  private next(): Token { return this.tokens[this.i++]; }
  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === value;
  }
  private expect(value: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) this.fail(`expected '${value}' but found '${describe(t)}'`, t);
  }
  private fail(message: string, t: Token): never {
    throw new ExpressionError(`${message} at position ${t.pos}`, this.src);
  }

  private or(): Node {
    let left = this.and();
    while (this.isPunct('||')) { this.next(); left = { type: 'binary', op: '||', left, right: this.and() }; }
    return left;
  }
  private and(): Node {
    let left = this.equality();
    while (this.isPunct('&&')) { this.next(); left = { type: 'binary', op: '&&', left, right: this.equality() }; }
    return left;
  }
  private equality(): Node {
    let left = this.comparison();
    while (this.isPunct('==') || this.isPunct('!=')) {
      const op = (this.next() as { value: string }).value;
      left = { type: 'binary', op, left, right: this.comparison() };
    }
    return left;
  }
  private comparison(): Node {
    let left = this.unary();
    while (['<', '<=', '>', '>='].some((op) => this.isPunct(op))) {
      const op = (this.next() as { value: string }).value;
      left = { type: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): Node {
    if (this.isPunct('!')) { this.next(); return { type: 'not', operand: this.unary() }; }
    return this.postfix();
  }
  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const t = this.next();
        if (t.kind === 'punct' && t.value === '*') node = { type: 'star', object: node };
        else if (t.kind === 'id') node = { type: 'property', object: node, name: t.value };
        else this.fail(`expected a property name after '.' but found '${describe(t)}'`, t);
      } else if (this.isPunct('[')) {
        this.next();
        if (this.isPunct('*')) { this.next(); this.expect(']'); node = { type: 'star', object: node }; continue; }
        const index = this.or();
        this.expect(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }
  private primary(): Node {
    const t = this.next();
    if (t.kind === 'num' || t.kind === 'str') return { type: 'literal', value: t.value };
    if (t.kind === 'punct' && t.value === '(') {
      const node = this.or();
      this.expect(')');
      return node;
    }
    if (t.kind === 'id') {
      const lower = t.value.toLowerCase();
      if (this.isPunct('(')) {
        this.next();
        const args: Node[] = [];
        if (!this.isPunct(')')) {
          args.push(this.or());
          while (this.isPunct(',')) { this.next(); args.push(this.or()); }
        }
        this.expect(')');
        return { type: 'call', name: lower, args };
      }
      if (lower === 'true') return { type: 'literal', value: true };
      if (lower === 'false') return { type: 'literal', value: false };
      if (lower === 'null') return { type: 'literal', value: null };
      return { type: 'context', name: lower };
    }
    return this.fail(`unexpected token '${describe(t)}'`, t);
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of expression' : String(t.value);
}

const parseCache = new Map<string, Node>();

/** Parses an expression (the text inside `${{ }}`). */
export function parseExpression(src: string): Node {
  let node = parseCache.get(src);
  if (!node) {
    if (src.trim() === '') throw new ExpressionError('empty expression', src);
    node = new Parser(tokenize(src), src).parse();
    parseCache.set(src, node);
  }
  return node;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

/** Whether an expression calls one of the status functions anywhere (then no implicit `success() &&`). */
export function usesStatusFunction(node: Node): boolean {
  switch (node.type) {
    case 'call': return STATUS_FUNCTIONS.includes(node.name) || node.args.some(usesStatusFunction);
    case 'property': case 'star': return usesStatusFunction(node.object);
    case 'index': return usesStatusFunction(node.object) || usesStatusFunction(node.index);
    case 'not': return usesStatusFunction(node.operand);
    case 'binary': return usesStatusFunction(node.left) || usesStatusFunction(node.right);
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Arrays produced by `.*`: a later property access or index applies to each item. */
const filtered = new WeakSet<ExprValue[]>();

function filteredArray(items: ExprValue[]): ExprValue[] {
  filtered.add(items);
  return items;
}

function isObject(v: ExprValue | undefined): v is { [key: string]: ExprValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property lookup; `undefined` when the property does not exist. */
function lookup(obj: ExprValue, key: string): ExprValue | undefined {
  if (!isObject(obj)) return undefined;
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function indexValue(obj: ExprValue, index: ExprValue): ExprValue | undefined {
  if (Array.isArray(obj)) {
    const n = typeof index === 'number' ? index : toNumber(index);
    if (!Number.isInteger(n) || n < 0 || n >= obj.length) return undefined;
    return obj[n];
  }
  if (isObject(obj)) return lookup(obj, toStr(index));
  return undefined;
}

/** Applies an access to a value, or to each item of a filtered array (dropping missing results). */
function access(obj: ExprValue, get: (v: ExprValue) => ExprValue | undefined): ExprValue {
  if (Array.isArray(obj) && filtered.has(obj)) {
    const out: ExprValue[] = [];
    for (const item of obj) {
      const v = get(item);
      if (v !== undefined) out.push(v);
    }
    return filteredArray(out);
  }
  const v = get(obj);
  return v === undefined ? null : v;
}

/** Truthiness as GitHub defines it. */
export function truthy(v: ExprValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return true;
}

/** Conversion to a number for loose comparison. */
export function toNumber(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return 0;
    if (/^[-+]?0x[0-9a-f]+$/i.test(s)) {
      const n = parseInt(s.replace(/^[-+]?0x/i, ''), 16);
      return s.startsWith('-') ? -n : n;
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
    return Number(s);
  }
  return NaN;
}

/** Conversion to a string, as used for `${{ }}` interpolation and string functions. */
export function toStr(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? 'Array' : 'Object';
}

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
function kindOf(v: ExprValue): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}
const PRIMITIVE: Kind[] = ['null', 'boolean', 'number', 'string'];

/** Brings two operands to a common type: different primitive types both become numbers. */
function coerce(a: ExprValue, b: ExprValue): [ExprValue, ExprValue] {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === kb) return [a, b];
  if (PRIMITIVE.includes(ka) && PRIMITIVE.includes(kb)) return [toNumber(a), toNumber(b)];
  return [a, b];
}

/** Loose equality (`==`). */
export function looseEquals(x: ExprValue, y: ExprValue): boolean {
  const [a, b] = coerce(x, y);
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case 'null': return true;
    case 'number': return a === b; // NaN is never equal
    case 'string': return (a as string).toUpperCase() === (b as string).toUpperCase();
    default: return a === b; // booleans by value, arrays and objects by identity
  }
}

function compare(op: string, x: ExprValue, y: ExprValue): boolean {
  const [a, b] = coerce(x, y);
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    c = a - b;
  } else if (typeof a === 'string' && typeof b === 'string') {
    const ua = a.toUpperCase();
    const ub = b.toUpperCase();
    c = ua < ub ? -1 : ua > ub ? 1 : 0;
  } else {
    return false;
  }
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    default: return c >= 0;
  }
}

function formatString(src: string, fmt: string, args: ExprValue[]): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '{') {
      if (fmt[i + 1] === '{') { out += '{'; i++; continue; }
      const m = /^\{(\d+)\}/.exec(fmt.slice(i));
      if (!m) throw new ExpressionError(`format: invalid format string '${fmt}'`, src);
      const n = Number(m[1]);
      if (n >= args.length) throw new ExpressionError(`format: the format string references argument {${n}} but only ${args.length} were given`, src);
      out += toStr(args[n]);
      i += m[0].length - 1;
    } else if (c === '}') {
      if (fmt[i + 1] !== '}') throw new ExpressionError(`format: invalid format string '${fmt}'`, src);
      out += '}';
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

function evalNode(node: Node, ctx: EvalContext, src: string): ExprValue {
  switch (node.type) {
    case 'literal': return node.value;
    case 'context': {
      const v = lookup(ctx.contexts as { [key: string]: ExprValue }, node.name);
      if (v === undefined) throw new ExpressionError(`Unrecognized named-value: '${node.name}'`, src);
      return v;
    }
    case 'property': return access(evalNode(node.object, ctx, src), (v) => lookup(v, node.name));
    case 'index': {
      const obj = evalNode(node.object, ctx, src);
      const index = evalNode(node.index, ctx, src);
      return access(obj, (v) => indexValue(v, index));
    }
    case 'star': {
      const obj = evalNode(node.object, ctx, src);
      const values = (v: ExprValue): ExprValue[] => (Array.isArray(v) ? [...v] : isObject(v) ? Object.values(v) : []);
      if (Array.isArray(obj) && filtered.has(obj)) return filteredArray(obj.flatMap(values));
      return filteredArray(values(obj));
    }
    case 'not': return !truthy(evalNode(node.operand, ctx, src));
    case 'binary': {
      const left = evalNode(node.left, ctx, src);
      if (node.op === '&&') return truthy(left) ? evalNode(node.right, ctx, src) : left;
      if (node.op === '||') return truthy(left) ? left : evalNode(node.right, ctx, src);
      const right = evalNode(node.right, ctx, src);
      if (node.op === '==') return looseEquals(left, right);
      if (node.op === '!=') return !looseEquals(left, right);
      return compare(node.op, left, right);
    }
    case 'call': return callFunction(node, ctx, src);
  }
}

function callFunction(node: { name: string; args: Node[] }, ctx: EvalContext, src: string): ExprValue {
  const arity = (min: number, max: number): void => {
    if (node.args.length < min || node.args.length > max) {
      throw new ExpressionError(`${node.name}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${node.args.length}`, src);
    }
  };
  const args = (): ExprValue[] => node.args.map((a) => evalNode(a, ctx, src));
  switch (node.name) {
    case 'success': case 'failure': case 'cancelled': case 'always': {
      arity(0, 0);
      if (!ctx.status) throw new ExpressionError(`${node.name}() is only available in if: conditions`, src);
      return ctx.status[node.name]();
    }
    case 'contains': {
      arity(2, 2);
      const [search, item] = args();
      if (Array.isArray(search)) return search.some((x) => looseEquals(x, item));
      return toStr(search).toUpperCase().includes(toStr(item).toUpperCase());
    }
    case 'startswith': case 'endswith': {
      arity(2, 2);
      const [a, b] = args();
      if (!PRIMITIVE.includes(kindOf(a)) || !PRIMITIVE.includes(kindOf(b))) return false;
      const s = toStr(a).toUpperCase();
      const t = toStr(b).toUpperCase();
      return node.name === 'startswith' ? s.startsWith(t) : s.endsWith(t);
    }
    case 'format': {
      if (node.args.length < 1) arity(1, Infinity);
      const [fmt, ...rest] = args();
      return formatString(src, toStr(fmt), rest);
    }
    case 'join': {
      arity(1, 2);
      const [arr, sep] = args();
      const separator = node.args.length > 1 ? toStr(sep) : ',';
      if (Array.isArray(arr)) return arr.map(toStr).join(separator);
      return toStr(arr);
    }
    case 'tojson': {
      arity(1, 1);
      return JSON.stringify(args()[0], null, 2);
    }
    case 'fromjson': {
      arity(1, 1);
      const text = toStr(args()[0]);
      try {
        return JSON.parse(text) as ExprValue;
      } catch (e) {
        throw new ExpressionError(`fromJSON: invalid JSON '${text}': ${(e as Error).message}`, src);
      }
    }
    case 'hashfiles':
      throw new UnsupportedError('hashFiles()');
    default:
      throw new ExpressionError(`Unrecognized function: '${node.name}'`, src);
  }
}

/** Evaluates an expression (the text inside `${{ }}`). */
export function evaluate(src: string, ctx: EvalContext): ExprValue {
  return evalNode(parseExpression(src), ctx, src);
}

/**
 * Finds the `${{ … }}` parts of a string. The end `}}` is searched outside string literals,
 * so `${{ format('{0}}}', x) }}` works.
 */
function splitTemplate(text: string): Array<{ literal: string } | { expr: string }> {
  const parts: Array<{ literal: string } | { expr: string }> = [];
  let i = 0;
  for (;;) {
    const start = text.indexOf('${{', i);
    if (start < 0) { parts.push({ literal: text.slice(i) }); return parts; }
    parts.push({ literal: text.slice(i, start) });
    let j = start + 3;
    let inString = false;
    for (;;) {
      if (j >= text.length) throw new ExpressionError('unterminated ${{', text);
      if (inString) {
        if (text[j] === '\'') {
          if (text[j + 1] === '\'') j++;
          else inString = false;
        }
      } else if (text[j] === '\'') {
        inString = true;
      } else if (text.startsWith('}}', j)) {
        break;
      }
      j++;
    }
    parts.push({ expr: text.slice(start + 3, j) });
    i = j + 2;
  }
}

/** Replaces each `${{ expr }}` in a string by the string form of its value. */
export function interpolate(text: string, ctx: EvalContext): string {
  if (!text.includes('${{')) return text;
  return splitTemplate(text).map((p) => ('literal' in p ? p.literal : toStr(evaluate(p.expr, ctx)))).join('');
}

/**
 * Evaluates a value that may be a single `${{ expr }}` (then the raw value is kept, not its
 * string form), a string with embedded expressions (a string) or plain text.
 */
export function evaluateTemplate(text: string, ctx: EvalContext): ExprValue {
  const parts = splitTemplate(text).filter((p) => !('literal' in p) || p.literal.trim() !== '');
  if (parts.length === 1 && 'expr' in parts[0]) return evaluate(parts[0].expr, ctx);
  return interpolate(text, ctx);
}

/**
 * The expression of an `if:` condition: `${{ }}` is optional around the whole condition.
 * A condition that mixes text and `${{ }}` is a string (truthy when not empty), as on GitHub.
 */
export function conditionExpression(condition: string | boolean | number): string {
  const text = String(condition).trim();
  if (!text.includes('${{')) return text;
  const parts = splitTemplate(text).filter((p) => !('literal' in p) || p.literal.trim() !== '');
  if (parts.length === 1 && 'expr' in parts[0]) return parts[0].expr.trim();
  // A format string: evaluate its pieces and test the result for emptiness.
  const pieces = splitTemplate(text).map((p) => ('literal' in p ? `'${p.literal.replace(/'/g, '\'\'')}'` : `(${p.expr})`));
  return `format('${pieces.map((_, i) => `{${i}}`).join('')}', ${pieces.join(', ')})`;
}

/**
 * Evaluates an `if:` condition with status functions. Without a status function the
 * condition is `success() && (condition)`; an empty condition is `success()`.
 */
export function evaluateCondition(condition: string | boolean | number | undefined, ctx: EvalContext): boolean {
  const expr = condition === undefined || String(condition).trim() === '' ? 'success()' : conditionExpression(condition);
  const node = parseExpression(expr);
  const full = usesStatusFunction(node) ? expr : `success() && (${expr})`;
  return truthy(evaluate(full, ctx));
}
