import type * as wf from './workflows-model';

/** Options common to every typed input. */
export interface InputOptions {
  /**
   * Shown in the run form and in the reusable workflow's documentation.
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether a value must be given.
   * @default false
   */
  readonly required?: boolean;
}

/** Options of a string input. */
export interface StringInputOptions extends InputOptions {
  /**
   * Value used when none is given.
   * @default - no default (empty string)
   */
  readonly default?: string;
}

/** Options of a boolean input. */
export interface BooleanInputOptions extends InputOptions {
  /**
   * Value used when none is given.
   * @default - no default (false)
   */
  readonly default?: boolean;
}

/** Options of a number input. */
export interface NumberInputOptions extends InputOptions {
  /**
   * Value used when none is given.
   * @default - no default
   */
  readonly default?: number;
}

/**
 * A typed input of a `workflow_dispatch` trigger (the "Run workflow" form).
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onworkflow_dispatchinputs
 */
export class DispatchInput {
  /** A free-text input. */
  public static string(options: StringInputOptions = {}): DispatchInput {
    return new DispatchInput('string', options, options.default);
  }

  /** A checkbox. */
  public static boolean(options: BooleanInputOptions = {}): DispatchInput {
    return new DispatchInput('boolean', options, options.default);
  }

  /** A number. */
  public static number(options: NumberInputOptions = {}): DispatchInput {
    return new DispatchInput('number', options, options.default);
  }

  /**
   * A drop-down of fixed values.
   * @param choices the values offered, in order
   */
  public static choice(choices: string[], options: StringInputOptions = {}): DispatchInput {
    return new DispatchInput('choice', options, options.default, choices);
  }

  /** A drop-down of the repository's deployment environments. */
  public static environment(options: StringInputOptions = {}): DispatchInput {
    return new DispatchInput('environment', options, options.default);
  }

  /** The input type: string, boolean, number, choice or environment. */
  public readonly type: string;

  private constructor(
    type: string,
    private readonly options: InputOptions,
    private readonly defaultValue?: any,
    private readonly choices?: string[],
  ) {
    this.type = type;
  }

  /** @internal */
  public _problems(name: string): string[] {
    const problems: string[] = [];
    if (this.choices !== undefined) {
      if (this.choices.length === 0) problems.push(`input "${name}" is a choice with no options; pass at least one value to DispatchInput.choice([...])`);
      if (new Set(this.choices).size !== this.choices.length) problems.push(`input "${name}" lists an option twice: ${this.choices.join(', ')}`);
      if (this.defaultValue !== undefined && !this.choices.includes(this.defaultValue)) {
        problems.push(`input "${name}" has default "${this.defaultValue}", which is not one of its options: ${this.choices.join(', ')}`);
      }
    }
    return problems;
  }

  /** @internal */
  public _toWire(): wf.DispatchInput {
    return {
      description: this.options.description,
      required: this.options.required,
      default: this.defaultValue,
      type: this.type as wf.DispatchInput['type'],
      options: this.choices,
    };
  }
}

/**
 * A typed input of a reusable workflow (`on.workflow_call.inputs`).
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onworkflow_callinputs
 */
export class WorkflowCallInput {
  /** A string input. */
  public static string(options: StringInputOptions = {}): WorkflowCallInput {
    return new WorkflowCallInput('string', options, options.default);
  }

  /** A boolean input. */
  public static boolean(options: BooleanInputOptions = {}): WorkflowCallInput {
    return new WorkflowCallInput('boolean', options, options.default);
  }

  /** A number input. */
  public static number(options: NumberInputOptions = {}): WorkflowCallInput {
    return new WorkflowCallInput('number', options, options.default);
  }

  /** The input type: string, boolean or number. */
  public readonly type: string;

  private constructor(type: string, private readonly options: InputOptions, private readonly defaultValue?: any) {
    this.type = type;
  }

  /** @internal */
  public _toWire(): wf.DispatchInput {
    return {
      description: this.options.description,
      required: this.options.required,
      default: this.defaultValue,
      type: this.type as wf.DispatchInput['type'],
    };
  }
}

/** An output of a reusable workflow (`on.workflow_call.outputs`). */
export interface WorkflowCallOutput {
  /**
   * The value, usually a job output: `build.output('digest').toString()`.
   */
  readonly value: string;

  /**
   * What the output is.
   * @default - no description
   */
  readonly description?: string;
}

/** A secret a reusable workflow accepts (`on.workflow_call.secrets`). */
export interface WorkflowCallSecret {
  /**
   * What the secret is for.
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether callers must pass it.
   * @default false
   */
  readonly required?: boolean;
}
