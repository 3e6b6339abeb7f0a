import { Construct } from 'constructs';
import { fail } from '../core/errors';
import type { SynthesisSession } from '../core/synthesis';
import { Action } from './actions/action';
import { expressionsOf, stepsReferences, stripLiterals, visitStrings } from './expression-scan';
import { secretLiteralProblems } from './secret-scan';
import { Step } from './step';
import { outputReferenceProblems, renderStep, stepIdProblems } from './step-render';
import { walkSteps } from './taint';
import { secureStep } from './untrusted-input';
import type * as wf from './workflows-model';

/** An input of a composite action. */
export interface ActionInput {
  /**
   * What the input is for.
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether callers must set it.
   * @default false
   */
  readonly required?: boolean;

  /**
   * Value used when the caller sets none.
   * @default - empty string
   */
  readonly default?: string;
}

/** An output of a composite action. */
export interface ActionOutput {
  /** The value, usually `Expression.stepOutput(stepId, name).toString()`. */
  readonly value: string;

  /**
   * What the output is.
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Properties of a {@link CompositeAction}.
 * @see https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions
 */
export interface CompositeActionProps {
  /** What the action does (required by GitHub). */
  readonly description: string;

  /** The steps. Run steps without `shell` get `shell: bash` (composite actions require a shell). */
  readonly steps: Step[];

  /**
   * The action's name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The author.
   * @default - none
   */
  readonly author?: string;

  /**
   * Inputs, by name (read them as `Expression.input(name)`). Names are kept exactly as written.
   * @default - none
   */
  readonly inputs?: { [name: string]: ActionInput };

  /**
   * Outputs, by name.
   * @default - none
   */
  readonly outputs?: { [name: string]: ActionOutput };

  /**
   * The directory of the action, relative to the repository root; the
   * metadata is written to `<directory>/action.yml`.
   * @default - `.github/actions/<construct id>`
   */
  readonly directory?: string;
}

/**
 * A composite action: steps packaged as an action in this repository,
 * written to `.github/actions/<id>/action.yml`. Use it in a job with
 * `Step.uses(compositeAction.action)`.
 */
export class CompositeAction extends Construct {
  /** The directory, relative to the repository root. */
  public readonly directory: string;

  /** The action, for `Step.uses(...)`: `./<directory>`. */
  public readonly action: Action;

  private readonly props: CompositeActionProps;

  constructor(scope: Construct, id: string, props: CompositeActionProps) {
    super(scope, id);
    this.props = props;
    this.directory = (props.directory ?? `.github/actions/${id}`).replace(/^\.\//, '').replace(/\/+$/, '');
    if (this.directory === '' || this.directory.startsWith('/') || this.directory.split('/').includes('..')) {
      fail(this, `directory "${props.directory}" must be a relative path inside the repository, e.g. ".github/actions/${id}"`);
    }
    // Its declared inputs and outputs: a step that uses it has its with: checked at synth.
    this.action = Action.local(`./${this.directory}`)._withMetadata({
      inputs: mapValues(props.inputs ?? {}, (i) => ({ required: i.required, defaultValue: i.default, description: i.description })),
      outputs: Object.keys(props.outputs ?? {}),
    });
    this.node.addValidation({ validate: () => this.render().problems });
  }

  /** The path of the generated `action.yml`. */
  public get filePath(): string {
    return `${this.directory}/action.yml`;
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    const { doc, problems } = this.render();
    if (problems.length > 0) fail(this, problems.join('; '));
    session.addYaml(this, this.filePath, doc);
  }

  private render(): { doc: wf.CompositeActionMetadata; problems: string[] } {
    const p = this.props;
    const problems: string[] = [];
    if (p.description.trim() === '') problems.push('description must not be empty (GitHub requires it)');
    if (p.steps.length === 0) problems.push('has no steps; pass at least one in "steps"');
    problems.push(...stepIdProblems(p.steps));
    const steps = p.steps.map((s, i) => renderStep(s, { scope: this, composite: true }, problems, i).wire);
    secretLiteralProblems({ jobs: { action: { steps } } }, (_job, message) => problems.push(message));
    problems.push(...outputReferenceProblems(p.steps, { steps, outputs: p.outputs }, this));
    // a caller passes inputs, possibly from event text: they are untrusted here
    // (also env variables and step outputs that carry them)
    walkSteps(steps, { untrustedInputs: true }, [], ({ step, index, trust }) => secureStep(step, index, { mayBeWindows: false, trust }, problems));

    const inputs = Object.keys(p.inputs ?? {});
    const stepIds = [...new Set(p.steps.filter((s) => s.id).map((s) => s.id!))];
    visitStrings({ steps, outputs: p.outputs }, (s, path) => {
      const isCondition = path[0] === 'steps' && path[path.length - 1] === 'if' && path.length === 3;
      for (const expr of expressionsOf(s, isCondition)) {
        const text = stripLiterals(expr);
        for (const m of text.matchAll(/(?<![A-Za-z0-9_.-])inputs\.([A-Za-z_][A-Za-z0-9_-]*)/gi)) {
          if (!inputs.some((i) => i.toLowerCase() === m[1].toLowerCase())) problems.push(`reads "inputs.${m[1]}", which is not an input of the action; inputs: ${inputs.length ? inputs.join(', ') : '(none)'}`);
        }
        if (/(?<![A-Za-z0-9_.-])secrets\./i.test(text)) problems.push(`reads "${expr}", but composite actions cannot read secrets; add an input and pass the secret from the workflow`);
        for (const id of stepsReferences(expr)) {
          if (!stepIds.some((x) => x.toLowerCase() === id.toLowerCase())) problems.push(`reads "steps.${id}", but no step of the action has id "${id}"; step ids: ${stepIds.length ? stepIds.join(', ') : '(none)'}`);
        }
      }
    });

    const doc: wf.CompositeActionMetadata = {
      name: p.name ?? this.node.id,
      author: p.author,
      description: p.description,
      inputs: p.inputs ? mapValues(p.inputs, (i) => ({ description: i.description, required: i.required, default: i.default })) : undefined,
      outputs: p.outputs ? mapValues(p.outputs, (o) => ({ description: o.description, value: o.value })) : undefined,
      runs: { using: 'composite', steps },
    };
    return { doc, problems: [...new Set(problems)] };
  }
}

function mapValues<T, U>(m: { [k: string]: T }, f: (v: T) => U): { [k: string]: U } {
  const out: { [k: string]: U } = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}
