import { ExpressionSpan } from './expression-scan';

/**
 * Where in a script an expression span sits, as far as quoting goes. A
 * value moved out of the script into an environment variable must be
 * referenced in a way that means "this text, as data" in that place.
 *
 * - `code`: unquoted shell words (also inside `$(…)` and backticks), or
 *   JavaScript code
 * - `double`: inside `"…"` (or a `${…}` inside it)
 * - `single`: inside `'…'`
 * - `ansi`: inside bash's `$'…'`
 * - `heredoc`: in the body of an unquoted here-document (`<<EOF`)
 * - `literal-heredoc`: in the body of a quoted here-document (`<<'EOF'`) or
 *   a PowerShell `@'…'@` here-string, where nothing is expanded
 * - `arithmetic`: inside `$((…))`, where a variable's value is evaluated again
 * - `escaped`: right after a backslash, which would escape the reference
 * - `comment`: a comment
 * - `template`: a JavaScript template literal
 * - `js-string`: a JavaScript `'…'` or `"…"` string; `literal` holds its
 *   start and end offsets
 * - `unknown`: a construct the scanner does not follow
 * @internal
 */
export type ScriptContext =
  | { readonly kind: 'code' | 'double' | 'single' | 'ansi' | 'heredoc' | 'literal-heredoc' | 'arithmetic' | 'escaped' | 'comment' | 'template' | 'unknown' }
  | { readonly kind: 'js-string'; readonly start: number; readonly end: number };

type Frame =
  | { kind: 'cmd'; closer?: ')' | '`'; depth: number }
  | { kind: 'double' }
  | { kind: 'param'; depth: number }
  | { kind: 'arith'; depth: number }
  | { kind: 'heredoc' };

interface PendingHeredoc { delimiter: string; quoted: boolean; stripTabs: boolean }

/**
 * The context of each span in a POSIX shell (bash, sh) script, in the order
 * of `spans`. Expression spans themselves are opaque words.
 * @internal
 */
export function posixContexts(script: string, spans: readonly ExpressionSpan[]): ScriptContext[] {
  const result = new Map<number, ScriptContext>();
  const spanAt = new Map(spans.map((s) => [s.start, s]));
  lexPosix(script, 0, script.length, [{ kind: 'cmd', depth: 0 }], spanAt, result);
  return spans.map((s) => result.get(s.start) ?? { kind: 'unknown' });
}

type SpanIndex = Map<number, ExpressionSpan>;

function lexPosix(s: string, from: number, to: number, initial: Frame[], spanAt: SpanIndex, result: Map<number, ScriptContext>): void {
  const stack: Frame[] = [...initial];
  const pending: PendingHeredoc[] = [];
  const top = () => stack[stack.length - 1];
  const quotedParam = () => {
    for (let k = stack.length - 1; k >= 0; k--) if (stack[k].kind !== 'param') return stack[k].kind === 'double' || stack[k].kind === 'heredoc';
    return false;
  };
  const contextHere = (): ScriptContext => {
    const f = top();
    switch (f.kind) {
      case 'cmd': return { kind: 'code' };
      case 'double': return { kind: 'double' };
      case 'heredoc': return { kind: 'heredoc' };
      case 'arith': return { kind: 'arithmetic' };
      case 'param': return quotedParam() ? { kind: 'double' } : { kind: 'code' };
    }
  };
  const markSpans = (a: number, b: number, ctx: ScriptContext) => {
    for (const [start] of spanAt) if (start >= a && start < b) result.set(start, ctx);
  };

  let i = from;
  while (i < to) {
    const span = spanAt.get(i);
    if (span) {
      result.set(i, contextHere());
      i = span.end;
      continue;
    }
    const c = s[i];
    const f = top();

    if (f.kind === 'cmd' || f.kind === 'param' || f.kind === 'arith') {
      if (c === '\\') {
        if (spanAt.has(i + 1)) result.set(i + 1, { kind: 'escaped' });
        const skipped = spanAt.get(i + 1);
        i = skipped ? skipped.end : i + 2;
        continue;
      }
      // inside "${…}", single quotes are literal characters
      const literalQuotes = f.kind === 'arith' || (f.kind === 'param' && quotedParam());
      if (c === "'" && !literalQuotes) {
        const end = s.indexOf("'", i + 1);
        const stop = end < 0 ? to : end;
        markSpans(i + 1, stop, { kind: 'single' });
        i = stop + 1;
        continue;
      }
      if (c === '$' && s[i + 1] === "'" && !literalQuotes) {
        let j = i + 2;
        while (j < to && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
        markSpans(i + 2, j, { kind: 'ansi' });
        i = j + 1;
        continue;
      }
      if (c === '"') {
        stack.push({ kind: 'double' });
        i++;
        continue;
      }
      if (c === '#' && f.kind === 'cmd' && (i === from || /[\s;&|()<>]/.test(s[i - 1]))) {
        const nl = s.indexOf('\n', i);
        const stop = nl < 0 ? to : nl;
        markSpans(i, stop, { kind: 'comment' });
        i = stop;
        continue;
      }
      if (c === '<' && s[i + 1] === '<' && s[i + 2] !== '<' && f.kind === 'cmd') {
        const m = /^<<(-?)[ \t]*((?:[^\s;&|()<>'"\\]|'[^']*'|"[^"]*"|\\.)+)/.exec(s.slice(i, to));
        if (m) {
          const word = m[2];
          pending.push({ delimiter: word.replace(/['"\\]/g, ''), quoted: /['"\\]/.test(word), stripTabs: m[1] === '-' });
          i += m[0].length;
          continue;
        }
      }
      if (c === '\n' && f.kind === 'cmd' && pending.length > 0) {
        let at = i + 1;
        for (const h of pending.splice(0)) {
          const bodyStart = at;
          let bodyEnd = to;
          while (at < to) {
            const nl = s.indexOf('\n', at);
            const lineEnd = nl < 0 || nl > to ? to : nl;
            const line = s.slice(at, lineEnd);
            if ((h.stripTabs ? line.replace(/^\t+/, '') : line) === h.delimiter) {
              bodyEnd = at;
              at = lineEnd;
              break;
            }
            at = lineEnd + 1;
          }
          if (h.quoted) markSpans(bodyStart, bodyEnd, { kind: 'literal-heredoc' });
          else lexPosix(s, bodyStart, bodyEnd, [{ kind: 'heredoc' }], spanAt, result);
          if (at >= to) break;
        }
        i = at;
        continue;
      }
      if (c === '(' && s[i + 1] === '(' && f.kind === 'cmd') {
        // the arithmetic command ((…)): "<<" in it is a shift, not a here-document
        stack.push({ kind: 'arith', depth: 0 });
        i += 2;
        continue;
      }
      if (c === '`' && f.kind === 'cmd' && f.closer === '`') {
        stack.pop();
        i++;
        continue;
      }
    }

    if (f.kind === 'double' || f.kind === 'heredoc') {
      if (c === '\\') {
        if (spanAt.has(i + 1)) result.set(i + 1, { kind: 'escaped' });
        const skipped = spanAt.get(i + 1);
        i = skipped ? skipped.end : i + 2;
        continue;
      }
      if (c === '"' && f.kind === 'double') {
        stack.pop();
        i++;
        continue;
      }
    }

    // expansions start the same way in every context but single quotes
    if (c === '$' && s[i + 1] === '(' && s[i + 2] === '(') {
      stack.push({ kind: 'arith', depth: 0 });
      i += 3;
      continue;
    }
    if (c === '$' && s[i + 1] === '(') {
      stack.push({ kind: 'cmd', closer: ')', depth: 0 });
      i += 2;
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      stack.push({ kind: 'param', depth: 0 });
      i += 2;
      continue;
    }
    if (c === '`' && !(f.kind === 'cmd' && f.closer === '`')) {
      stack.push({ kind: 'cmd', closer: '`', depth: 0 });
      i++;
      continue;
    }
    if (f.kind === 'cmd' && f.closer === ')') {
      if (c === '(') f.depth++;
      else if (c === ')' && f.depth-- === 0) stack.pop();
    } else if (f.kind === 'arith') {
      if (c === '(') {f.depth++;} else if (c === ')' && s[i + 1] === ')' && f.depth === 0) {
        stack.pop();
        i += 2;
        continue;
      } else if (c === ')') {f.depth--;}
    } else if (f.kind === 'param') {
      if (c === '{') f.depth++;
      else if (c === '}' && f.depth-- === 0) stack.pop();
    }
    i++;
  }
}

/**
 * The context of each span in a PowerShell script: `code`, `double` (inside
 * `"…"` or an `@"…"@` here-string), `single` (inside `'…'`), or
 * `literal-heredoc` (inside an `@'…'@` here-string).
 * @internal
 */
export function powershellContexts(script: string, spans: readonly ExpressionSpan[]): ScriptContext[] {
  const result = new Map<number, ScriptContext>();
  const spanAt = new Map(spans.map((s) => [s.start, s]));
  let state: 'code' | 'double' | 'single' | 'here-double' | 'here-single' | 'comment' | 'block-comment' = 'code';
  const contextOf = (): ScriptContext => {
    switch (state) {
      case 'double': case 'here-double': return { kind: 'double' };
      case 'single': return { kind: 'single' };
      case 'here-single': return { kind: 'literal-heredoc' };
      case 'comment': case 'block-comment': return { kind: 'comment' };
      default: return { kind: 'code' };
    }
  };
  let i = 0;
  while (i < script.length) {
    const span = spanAt.get(i);
    if (span) {
      result.set(i, contextOf());
      i = span.end;
      continue;
    }
    const c = script[i];
    const lineStart = i === 0 || script[i - 1] === '\n';
    switch (state) {
      case 'code':
        if (c === '`') {i++;} else if (c === '@' && (script[i + 1] === "'" || script[i + 1] === '"') && /^[ \t]*\r?\n/.test(script.slice(i + 2))) {
          state = script[i + 1] === "'" ? 'here-single' : 'here-double';
          i++;
        } else if (c === "'") {state = 'single';} else if (c === '"') {state = 'double';} else if (c === '<' && script[i + 1] === '#') {state = 'block-comment';} else if (c === '#') {state = 'comment';}
        break;
      case 'single':
        if (c === "'") {
          if (script[i + 1] === "'") i++;
          else state = 'code';
        }
        break;
      case 'double':
        if (c === '`') {i++;} else if (c === '"') {
          if (script[i + 1] === '"') i++;
          else state = 'code';
        }
        break;
      case 'here-single':
      case 'here-double':
        if (lineStart && script.startsWith(state === 'here-single' ? "'@" : '"@', i)) {
          state = 'code';
          i++;
        }
        break;
      case 'comment':
        if (c === '\n') state = 'code';
        break;
      case 'block-comment':
        if (c === '#' && script[i + 1] === '>') {
          state = 'code';
          i++;
        }
        break;
    }
    i++;
  }
  return spans.map((s) => result.get(s.start) ?? { kind: 'unknown' });
}

/**
 * The context of each span in a JavaScript program (`actions/github-script`'s
 * `script`): `code`, `comment`, `template` (inside a template literal's
 * text), or `js-string` with the literal's offsets. Regular expression
 * literals are not followed: a span inside one is `unknown` only when a
 * quote in the regex misleads the scan, so `/` after an operand is division.
 * @internal
 */
export function javascriptContexts(script: string, spans: readonly ExpressionSpan[]): ScriptContext[] {
  const result = new Map<number, ScriptContext>();
  const spanAt = new Map(spans.map((s) => [s.start, s]));
  // a stack of template literals and the `${` brace depth inside each
  const stack: Array<{ kind: 'template' } | { kind: 'code'; depth: number }> = [{ kind: 'code', depth: 0 }];
  let i = 0;
  while (i < script.length) {
    const frame = stack[stack.length - 1];
    const span = spanAt.get(i);
    if (span) {
      result.set(i, frame.kind === 'template' ? { kind: 'template' } : { kind: 'code' });
      i = span.end;
      continue;
    }
    const c = script[i];
    if (frame.kind === 'template') {
      if (c === '\\') {i += 2;} else if (c === '`') {
        stack.pop();
        i++;
      } else if (c === '$' && script[i + 1] === '{') {
        stack.push({ kind: 'code', depth: 0 });
        i += 2;
      } else {i++;}
      continue;
    }
    if (c === '/' && script[i + 1] === '/') {
      const nl = script.indexOf('\n', i);
      const stop = nl < 0 ? script.length : nl;
      for (const [start] of spanAt) if (start > i && start < stop) result.set(start, { kind: 'comment' });
      i = stop;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      const stop = end < 0 ? script.length : end + 2;
      for (const [start] of spanAt) if (start > i && start < stop) result.set(start, { kind: 'comment' });
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      const inner: number[] = [];
      while (j < script.length && script[j] !== c && script[j] !== '\n') {
        const sp = spanAt.get(j);
        if (sp) {
          inner.push(j);
          j = sp.end;
        } else {
          j += script[j] === '\\' ? 2 : 1;
        }
      }
      for (const start of inner) result.set(start, { kind: 'js-string', start: i, end: j + 1 });
      i = j + 1;
    } else if (c === '`') {
      stack.push({ kind: 'template' });
      i++;
    } else if (c === '{') {
      frame.depth++;
      i++;
    } else if (c === '}') {
      if (frame.depth === 0 && stack.length > 1) stack.pop();
      else frame.depth--;
      i++;
    } else {
      i++;
    }
  }
  return spans.map((s) => result.get(s.start) ?? { kind: 'unknown' });
}
