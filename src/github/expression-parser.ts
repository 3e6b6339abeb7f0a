/**
 * A parser of GitHub's expression language: the text between `${{` and `}}`
 * and of `if:` conditions. Names are case-insensitive in GitHub, so context,
 * property and function names are lowercased in the tree; string literals
 * keep their case.
 *
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions
 * @internal
 */

/** A node of a parsed expression. @internal */
export type ExpressionNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'context'; readonly name: string }
  /** `a.b`, `a['b']` (key "b"), `a.*` / `a[*]` (key "*"), `a[<expression>]` (key undefined, index set). */
  | { readonly kind: 'member'; readonly object: ExpressionNode; readonly key?: string; readonly index?: ExpressionNode }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ExpressionNode[] }
  | { readonly kind: 'not'; readonly operand: ExpressionNode }
  | { readonly kind: 'binary'; readonly op: string; readonly left: ExpressionNode; readonly right: ExpressionNode };

type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

/** A syntax error, with the offset it was found at. @internal */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(message);
  }
}

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];

/** Splits an expression into tokens. @internal */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ExpressionSyntaxError('unterminated string literal', i);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(text[i + 1] ?? '')) || (c === '.' && /[0-9]/.test(text[i + 1] ?? '') && !endsOperand(tokens))) {
      const m = /^[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'name', value: m[0], at: i });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new ExpressionSyntaxError(`unexpected character "${c}"`, i);
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
    }
  }
  return tokens;
}

function endsOperand(tokens: Token[]): boolean {
  const t = tokens[tokens.length - 1];
  return t !== undefined && (t.kind !== 'op' || t.value === ')' || t.value === ']' || t.value === '*');
}

const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];

/** Parses one expression (without `${{ }}`). Throws {@link ExpressionSyntaxError}. @internal */
export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => peek()?.kind === 'op' && peek()!.value === value;
  const expectOp = (value: string) => {
    if (!isOp(value)) throw new ExpressionSyntaxError(`expected "${value}"${peek() ? ` but found "${String(peek()!.value)}"` : ' at the end'}`, peek()?.at ?? text.length);
    pos++;
  };

  const binary = (level: number): ExpressionNode => {
    if (level === BINARY_LEVELS.length) return unary();
    let left = binary(level + 1);
    while (peek()?.kind === 'op' && BINARY_LEVELS[level].includes(peek()!.value as string)) {
      const op = tokens[pos++].value as string;
      left = { kind: 'binary', op, left, right: binary(level + 1) };
    }
    return left;
  };

  const unary = (): ExpressionNode => {
    if (isOp('!')) {
      pos++;
      return { kind: 'not', operand: unary() };
    }
    return postfix(primary());
  };

  const primary = (): ExpressionNode => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionSyntaxError('unexpected end of expression', text.length);
    if (t.kind === 'string' || t.kind === 'number') return { kind: 'literal', value: t.value };
    if (t.kind === 'op') {
      if (t.value === '(') {
        const inner = binary(0);
        expectOp(')');
        return inner;
      }
      throw new ExpressionSyntaxError(`unexpected "${t.value}"`, t.at);
    }
    const name = t.value.toLowerCase();
    if (isOp('(')) {
      pos++;
      const args: ExpressionNode[] = [];
      if (!isOp(')')) {
        for (;;) {
          args.push(binary(0));
          if (isOp(',')) {
            pos++;
            continue;
          }
          break;
        }
      }
      expectOp(')');
      return { kind: 'call', name, args };
    }
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'null') return { kind: 'literal', value: null };
    if (name === 'nan' || name === 'infinity') return { kind: 'literal', value: name === 'nan' ? NaN : Infinity };
    return { kind: 'context', name };
  };

  const postfix = (object: ExpressionNode): ExpressionNode => {
    for (;;) {
      if (isOp('.')) {
        pos++;
        const t = tokens[pos++];
        if (t?.kind === 'op' && t.value === '*') object = { kind: 'member', object, key: '*' };
        else if (t?.kind === 'name') object = { kind: 'member', object, key: t.value.toLowerCase() };
        else throw new ExpressionSyntaxError('expected a property name or "*" after "."', t?.at ?? text.length);
      } else if (isOp('[')) {
        pos++;
        if (isOp('*')) {
          pos++;
          object = { kind: 'member', object, key: '*' };
        } else {
          const index = binary(0);
          if (index.kind === 'literal' && index.value !== null && typeof index.value !== 'boolean') {
            object = { kind: 'member', object, key: String(index.value).toLowerCase() };
          } else {
            object = { kind: 'member', object, index };
          }
        }
        expectOp(']');
      } else {
        return object;
      }
    }
  };

  const tree = binary(0);
  if (pos < tokens.length) throw new ExpressionSyntaxError(`unexpected "${String(tokens[pos].value)}"`, tokens[pos].at);
  return tree;
}

/**
 * The property path a node reads from a context: `['github', 'event',
 * 'issue', 'title']`. A dynamic index (`a[b]`) is `*`. Undefined when the
 * node is not a path from a context.
 * @internal
 */
export function contextPath(node: ExpressionNode): string[] | undefined {
  if (node.kind === 'context') return [node.name];
  if (node.kind !== 'member') return undefined;
  const base = contextPath(node.object);
  return base ? [...base, node.key ?? '*'] : undefined;
}

/** Every context path an expression reads, in order (dynamic indexes included as their own paths). @internal */
export function contextPaths(node: ExpressionNode): string[][] {
  const out: string[][] = [];
  const visit = (n: ExpressionNode): void => {
    const path = contextPath(n);
    if (path) {
      out.push(path);
      // indexes inside the path are read too
      for (let m: ExpressionNode = n; m.kind === 'member'; m = m.object) if (m.index) visit(m.index);
      return;
    }
    switch (n.kind) {
      case 'member': visit(n.object); if (n.index) visit(n.index); break;
      case 'call': n.args.forEach(visit); break;
      case 'not': visit(n.operand); break;
      case 'binary': visit(n.left); visit(n.right); break;
      default: break;
    }
  };
  visit(node);
  return out;
}
