/**
 * Operator precedence of an expression, used to add only the parentheses
 * that are needed when expressions are combined.
 */
enum Precedence {
  OR = 1,
  AND = 2,
  COMPARISON = 3,
  NOT = 4,
  ATOM = 5,
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A typed GitHub Actions expression.
 *
 * An Expression stringifies to its `${{ ... }}` form, so it can be placed in
 * any string the workflow accepts: a `run:` script, an `env:` value, a `with:`
 * input, a job output. Conditions (`if:`) accept the same text; slipway
 * renders a condition that is exactly one expression without the `${{ }}`.
 *
 * @example
 * Step.run(`echo ${Expression.github('sha')}`);
 * Expression.github('ref').eq('refs/heads/main').and(Expression.github('event_name').eq('push'));
 * Expression.not(Expression.cancelled());
 *
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions
 */
export class Expression {
  /** `secrets.<name>`: a repository, organization or environment secret. */
  public static secret(name: string): Expression {
    return Expression.property('secrets', name);
  }

  /** `vars.<name>`: a configuration variable. */
  public static vars(name: string): Expression {
    return Expression.property('vars', name);
  }

  /**
   * `github.<path>`: the github context, e.g. `sha`, `ref`, `event_name`,
   * `event.pull_request.number`.
   */
  public static github(path: string): Expression {
    return Expression.path('github', path);
  }

  /** `env.<name>`: an environment variable set by `env:`. */
  public static env(name: string): Expression {
    return Expression.property('env', name);
  }

  /** `matrix.<name>`: a value of the job's matrix. */
  public static matrix(name: string): Expression {
    return Expression.property('matrix', name);
  }

  /** `inputs.<name>`: an input of `workflow_dispatch` or `workflow_call`. */
  public static input(name: string): Expression {
    return Expression.property('inputs', name);
  }

  /**
   * `needs.<job>.outputs.<name>`: an output of another job of the workflow.
   * Prefer `job.output(name)`, which is typed to an existing job.
   */
  public static needs(jobId: string, output: string): Expression {
    return Expression.path('needs', `${identifier('needs', jobId)}.outputs.${identifier('output', output)}`);
  }

  /** `steps.<id>.outputs.<name>`: an output of an earlier step of the same job. */
  public static stepOutput(stepId: string, output: string): Expression {
    return Expression.path('steps', `${identifier('steps', stepId)}.outputs.${identifier('output', output)}`);
  }

  /** `success()`: every previous step (or needed job) succeeded. */
  public static success(): Expression {
    return new Expression('success()', Precedence.ATOM);
  }

  /** `failure()`: a previous step (or needed job) failed. */
  public static failure(): Expression {
    return new Expression('failure()', Precedence.ATOM);
  }

  /** `always()`: run even when earlier steps failed or the run was cancelled. */
  public static always(): Expression {
    return new Expression('always()', Precedence.ATOM);
  }

  /** `cancelled()`: the workflow run was cancelled. */
  public static cancelled(): Expression {
    return new Expression('cancelled()', Precedence.ATOM);
  }

  /**
   * A literal: a string (single-quoted, with `'` doubled), a number, a
   * boolean or null.
   * @param value a string, number, boolean or null
   */
  public static literal(value: any): Expression {
    if (value === null) return new Expression('null', Precedence.ATOM);
    switch (typeof value) {
      case 'string': return new Expression(`'${value.replace(/'/g, "''")}'`, Precedence.ATOM);
      case 'number':
        if (!Number.isFinite(value)) throw new Error(`Expression.literal: ${value} is not a finite number`);
        return new Expression(String(value), Precedence.ATOM);
      case 'boolean': return new Expression(String(value), Precedence.ATOM);
      default:
        throw new Error(`Expression.literal accepts a string, number, boolean or null, got ${typeof value}`);
    }
  }

  /** `a && b && ...`: every operand holds. */
  public static allOf(...operands: Expression[]): Expression {
    return Expression.join('&&', Precedence.AND, operands);
  }

  /** `a || b || ...`: at least one operand holds. */
  public static anyOf(...operands: Expression[]): Expression {
    return Expression.join('||', Precedence.OR, operands);
  }

  /** `!a`. */
  public static not(operand: Expression): Expression {
    return new Expression(`!${operand.wrap(Precedence.NOT)}`, Precedence.NOT);
  }

  /**
   * A call of a built-in function, e.g.
   * `Expression.call('contains', Expression.github('ref'), 'release/')`.
   * Arguments that are not Expressions become literals.
   * @param fn one of contains, startsWith, endsWith, format, join, toJSON, fromJSON, hashFiles
   * @param args the arguments
   */
  public static call(fn: string, ...args: any[]): Expression {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(fn)) throw new Error(`Expression.call: "${fn}" is not a function name`);
    return new Expression(`${fn}(${args.map((a) => Expression.of(a).text).join(', ')})`, Precedence.ATOM);
  }

  /**
   * An expression written by hand, without `${{ }}`, e.g.
   * `"github.event.pull_request.draft == false"`. Used as an operand, it is
   * parenthesized unless it is a plain property path.
   */
  public static raw(text: string): Expression {
    const t = text.trim();
    if (t.startsWith('${{') && t.endsWith('}}')) {
      throw new Error(`Expression.raw takes the expression without "\${{ }}", got ${JSON.stringify(text)}`);
    }
    if (t === '') throw new Error('Expression.raw needs a non-empty expression');
    return new Expression(t, /^[A-Za-z_][A-Za-z0-9_.*-]*$/.test(t) ? Precedence.ATOM : Precedence.OR);
  }

  /**
   * An Expression from a value: an Expression stays as it is; a string,
   * number, boolean or null becomes a literal.
   */
  public static of(value: any): Expression {
    return value instanceof Expression ? value : Expression.literal(value);
  }

  private static property(context: string, name: string): Expression {
    return new Expression(`${context}.${identifier(context, name)}`, Precedence.ATOM);
  }

  private static path(context: string, path: string): Expression {
    if (!/^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*$/.test(path)) {
      throw new Error(`Expression.${context}: "${path}" is not a property path (segments of letters, digits, "_", "-" separated by ".")`);
    }
    return new Expression(`${context}.${path}`, Precedence.ATOM);
  }

  private static join(operator: string, precedence: Precedence, operands: Expression[]): Expression {
    if (operands.length === 0) throw new Error(`"${operator}" needs at least one operand`);
    if (operands.length === 1) return operands[0];
    return new Expression(operands.map((o) => o.wrap(precedence)).join(` ${operator} `), precedence);
  }

  /** The expression without `${{ }}`, e.g. `github.ref == 'refs/heads/main'`. */
  public readonly text: string;

  private readonly precedence: Precedence;

  private constructor(text: string, precedence: Precedence) {
    this.text = text;
    this.precedence = precedence;
  }

  /** `this == other`. Values that are not Expressions become literals. */
  public eq(other: any): Expression {
    return this.compare('==', other);
  }

  /** `this != other`. Values that are not Expressions become literals. */
  public ne(other: any): Expression {
    return this.compare('!=', other);
  }

  /** `this && other`. */
  public and(other: Expression): Expression {
    return Expression.allOf(this, other);
  }

  /** `this || other`. */
  public or(other: Expression): Expression {
    return Expression.anyOf(this, other);
  }

  /** The `${{ ... }}` form, for use inside any workflow string. */
  public toString(): string {
    return `\${{ ${this.text} }}`;
  }

  private compare(operator: string, other: any): Expression {
    const right = Expression.of(other);
    return new Expression(`${this.wrap(Precedence.COMPARISON + 1)} ${operator} ${right.wrap(Precedence.COMPARISON + 1)}`, Precedence.COMPARISON);
  }

  private wrap(required: Precedence): string {
    return this.precedence >= required ? this.text : `(${this.text})`;
  }
}

function identifier(kind: string, name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`Expression.${kind}: "${name}" is not a valid name (start with a letter or "_", then letters, digits, "_" or "-")`);
  }
  return name;
}
