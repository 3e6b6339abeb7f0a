const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Options of a matrix. */
export interface MatrixOptions {
  /**
   * Extra entries. An entry whose values all match an original combination
   * adds its other keys to it; an entry that sets every axis is an extra
   * combination. slipway rejects an entry with a value that is in no axis
   * unless it sets every axis (a partial entry with an unknown value is
   * almost always a typo).
   * @default - none
   */
  readonly include?: Array<{ [key: string]: any }>;

  /**
   * Combinations to leave out. Every key must be an axis and every value one
   * of the axis' values.
   * @default - none
   */
  readonly exclude?: Array<{ [key: string]: any }>;
}

/** The most jobs one matrix may make. @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow */
const MAX_JOBS = 256;

/**
 * The matrix of a job: one job run per combination of the axes' values.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstrategymatrix
 */
export class Matrix {
  /**
   * A matrix of axes, e.g.
   * `Matrix.of({ os: ['ubuntu-latest', 'windows-latest'], 'python-version': ['3.12', '3.13'] })`.
   * Axis names are kept exactly as written.
   */
  public static of(axes: { [key: string]: any[] }, options: MatrixOptions = {}): Matrix {
    return new Matrix(axes, options, undefined);
  }

  /**
   * A matrix computed at run time, e.g.
   * `Matrix.fromExpression(Expression.call('fromJSON', setup.output('matrix')).toString())`.
   * Its keys are not known at synth, so `matrix.*` references are not checked.
   */
  public static fromExpression(expression: string): Matrix {
    return new Matrix(undefined, {}, expression);
  }

  private constructor(
    private readonly axes: { [key: string]: any[] } | undefined,
    private readonly options: MatrixOptions,
    private readonly expression: string | undefined,
  ) {}

  /**
   * The keys `matrix.<key>` may use: axes and keys added by `include`, or
   * undefined when the matrix comes from an expression.
   * @internal
   */
  public _keys(): string[] | undefined {
    if (!this.axes) return undefined;
    const keys = new Set(Object.keys(this.axes));
    for (const entry of this.options.include ?? []) for (const k of Object.keys(entry)) keys.add(k);
    return [...keys];
  }

  /** Why the matrix is invalid. @internal */
  public _problems(): string[] {
    if (!this.axes) return [];
    const problems: string[] = [];
    const axes = this.axes;
    const names = Object.keys(axes);
    if (names.length === 0 && (this.options.include ?? []).length === 0) {
      problems.push('strategy.matrix has no axes and no include entries; give at least one axis, e.g. Matrix.of({ os: ["ubuntu-latest"] })');
    }
    for (const name of names) {
      if (!KEY.test(name)) problems.push(`strategy.matrix axis "${name}" is not a valid key (letters, digits, "-" and "_", starting with a letter or "_")`);
      if (name === 'include' || name === 'exclude') problems.push(`strategy.matrix axis "${name}" is reserved; pass include/exclude as options of Matrix.of`);
      if (axes[name].length === 0) problems.push(`strategy.matrix axis "${name}" has no values`);
    }
    const has = (axis: string, v: unknown) => axes[axis].some((x) => JSON.stringify(x) === JSON.stringify(v));
    (this.options.exclude ?? []).forEach((entry, i) => {
      for (const [k, v] of Object.entries(entry)) {
        if (!(k in axes)) {
          problems.push(`strategy.matrix.exclude[${i}] uses key "${k}", which is not an axis of the matrix; axes: ${names.join(', ')}`);
        } else if (!has(k, v)) {
          problems.push(`strategy.matrix.exclude[${i}] sets ${k}: ${JSON.stringify(v)}, which is not a value of axis "${k}" (${axes[k].map((x) => JSON.stringify(x)).join(', ')}); the exclude would match nothing. Fix the value or remove the entry`);
        }
      }
    });
    (this.options.include ?? []).forEach((entry, i) => {
      const setsEveryAxis = names.every((n) => n in entry);
      if (setsEveryAxis) return;
      for (const [k, v] of Object.entries(entry)) {
        if (k in axes && !has(k, v)) {
          problems.push(`strategy.matrix.include[${i}] sets ${k}: ${JSON.stringify(v)}, which is not a value of axis "${k}" (${axes[k].map((x) => JSON.stringify(x)).join(', ')}); fix the value, or set every axis (${names.join(', ')}) to add a new combination`);
        }
      }
    });
    const jobs = this.jobCount();
    if (jobs > MAX_JOBS) {
      problems.push(`strategy.matrix makes ${jobs} jobs; GitHub allows at most ${MAX_JOBS} jobs per matrix. Split the job, remove axis values, or exclude combinations`);
    }
    return problems;
  }

  /**
   * How many jobs the matrix makes, as GitHub expands it: every combination
   * of the axes, less the excluded ones, plus each include entry that matches
   * no remaining combination (an entry that matches one only adds keys to it).
   */
  private jobCount(): number {
    const axes = this.axes!;
    const names = Object.keys(axes);
    const product = names.reduce((n, k) => n * axes[k].length, names.length ? 1 : 0);
    // a count too large to enumerate is over the limit whatever the excludes remove
    if (product > 100_000) return product;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    let combos: Array<{ [k: string]: unknown }> = names.length ? [{}] : [];
    for (const k of names) combos = combos.flatMap((c) => axes[k].map((v) => ({ ...c, [k]: v })));
    type Combo = { [k: string]: unknown };
    const matches = (c: Combo, entry: Combo) => Object.entries(entry).every(([k, v]) => !(k in axes) || same(c[k], v));
    combos = combos.filter((c) => !(this.options.exclude ?? []).some((e) => Object.entries(e).every(([k, v]) => same(c[k], v))));
    const added = (this.options.include ?? []).filter((e) => !combos.some((c) => matches(c, e))).length;
    return combos.length + added;
  }

  /** @internal */
  public _toWire(): { [key: string]: unknown } | string {
    if (this.expression !== undefined) return this.expression;
    const include = this.options.include ?? [];
    const exclude = this.options.exclude ?? [];
    return {
      ...this.axes,
      include: include.length > 0 ? include.map((e) => ({ ...e })) : undefined,
      exclude: exclude.length > 0 ? exclude.map((e) => ({ ...e })) : undefined,
    };
  }
}

/**
 * A job's strategy.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstrategy
 */
export interface Strategy {
  /** The matrix. */
  readonly matrix: Matrix;

  /**
   * Cancel the other matrix jobs when one fails.
   * @default true
   */
  readonly failFast?: boolean;

  /**
   * At most this many matrix jobs run at once.
   * @default - as many as runners allow
   */
  readonly maxParallel?: number;
}
