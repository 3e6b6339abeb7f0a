import * as YAML from 'yaml';

/**
 * Finding expressions and context references in workflow strings. Expressions
 * are plain `${{ ... }}` text (an {@link Expression} stringifies to exactly
 * that), so the workflow scans every string it renders.
 * @internal
 */

/** One `${{ ... }}` span of a string. @internal */
export interface ExpressionSpan {
  /** Offset of `$`. */
  readonly start: number;
  /** Offset after `}}`. */
  readonly end: number;
  /** The expression text, trimmed. */
  readonly text: string;
}

/** Every `${{ ... }}` span of `s`, honouring `'...'` string literals inside. @internal */
export function expressionSpans(s: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  let i = s.indexOf('${{');
  while (i >= 0) {
    let j = i + 3;
    let inString = false;
    let end = -1;
    while (j < s.length) {
      const c = s[j];
      if (inString) {
        if (c === "'") {
          if (s[j + 1] === "'") j++;
          else inString = false;
        }
      } else if (c === "'") {
        inString = true;
      } else if (c === '}' && s[j + 1] === '}') {
        end = j + 2;
        break;
      }
      j++;
    }
    if (end < 0) break;
    spans.push({ start: i, end, text: s.slice(i + 3, end - 2).trim() });
    i = s.indexOf('${{', end);
  }
  return spans;
}

/**
 * The expression texts of a string: its `${{ }}` spans, or for a condition
 * (`if:`) without any span, the whole string.
 * @internal
 */
export function expressionsOf(s: string, isCondition: boolean): string[] {
  const spans = expressionSpans(s);
  if (spans.length === 0 && isCondition) return [s];
  return spans.map((sp) => sp.text);
}

/** Removes `'...'` string literals so that their content is not read as references. @internal */
export function stripLiterals(expression: string): string {
  return expression.replace(/'(?:[^']|'')*'/g, "''");
}

/** A `needs.<job>.<rest>` reference. @internal */
export interface NeedsReference {
  readonly job: string;
  /** `outputs` or `result`, or undefined for `needs.<job>` alone. */
  readonly property?: string;
  /** The output name for `needs.<job>.outputs.<name>`. */
  readonly output?: string;
}

/** `needs.*` references of an expression (context and property names in any case, as GitHub reads them). @internal */
export function needsReferences(expression: string): NeedsReference[] {
  const out: NeedsReference[] = [];
  const re = /(?<![A-Za-z0-9_.-])needs\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?)?/gi;
  let m: RegExpExecArray | null;
  const text = stripLiterals(expression);
  while ((m = re.exec(text)) !== null) {
    const property = m[2]?.toLowerCase();
    out.push({ job: m[1], property, output: property === 'outputs' ? m[3] : undefined });
  }
  return out;
}

/** `matrix.<key>` references of an expression (`matrix` alone gives ""). @internal */
export function matrixReferences(expression: string): string[] {
  const out: string[] = [];
  const re = /(?<![A-Za-z0-9_.-])matrix(?:\.([A-Za-z_][A-Za-z0-9_-]*)|(?![A-Za-z0-9_-]))/gi;
  let m: RegExpExecArray | null;
  const text = stripLiterals(expression);
  while ((m = re.exec(text)) !== null) out.push(m[1] ?? '');
  return out;
}

/**
 * The text of a condition (`if:`). GitHub evaluates `if:` as one expression,
 * with or without `${{ }}`; but a condition that mixes `${{ }}` with other
 * text (`${{ a }} && ${{ b }}`, `${{ x }} != ''`) is a string to GitHub, and
 * a non-empty string is always true. So slipway renders a condition that is
 * exactly one `${{ }}` without it, and one that mixes them as a single
 * expression, each span in parentheses unless it is a plain property path.
 * @internal
 */
export function unwrapCondition(condition: string): string {
  const t = condition.trim();
  const spans = expressionSpans(t);
  if (spans.length === 0) return t;
  if (spans.length === 1 && spans[0].start === 0 && spans[0].end === t.length) return spans[0].text;
  let out = '';
  let last = 0;
  for (const span of spans) {
    const atom = /^[A-Za-z_][A-Za-z0-9_.*-]*$/.test(span.text) || /^[A-Za-z]+\([^()]*\)$/.test(span.text);
    out += t.slice(last, span.start) + (atom ? span.text : `(${span.text})`);
    last = span.end;
  }
  return (out + t.slice(last)).trim();
}

/** The path segments of the first list indexes, made once: a walk visits every item of every list. */
const INDEX = Array.from({ length: 128 }, (_, i) => String(i));

/**
 * Calls `visit` for every string in a rendered value (keys excluded), with
 * the path to it. The path array is reused: it is valid only during the call.
 * @internal
 */
export function visitStrings(value: unknown, visit: (s: string, path: string[]) => void, path: string[] = []): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i < INDEX.length ? INDEX[i] : String(i));
      visitStrings(value[i], visit, path);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    if (YAML.isScalar(value)) {
      visitStrings(value.value, visit, path); // a pinned `uses:` with its comment
      return;
    }
    const v = value as { [k: string]: unknown };
    for (const k of Object.keys(v)) {
      path.push(k);
      visitStrings(v[k], visit, path);
      path.pop();
    }
  }
}

/** `steps.<id>` references of an expression. @internal */
export function stepsReferences(expression: string): string[] {
  const out: string[] = [];
  const re = /(?<![A-Za-z0-9_.-])steps\.([A-Za-z_][A-Za-z0-9_-]*)/gi;
  let m: RegExpExecArray | null;
  const text = stripLiterals(expression);
  while ((m = re.exec(text)) !== null) out.push(m[1]);
  return out;
}
