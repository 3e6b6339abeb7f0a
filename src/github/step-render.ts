import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { Expression } from './expression';
import { unwrapCondition } from './expression-scan';
import { Step } from './step';
import type * as wf from './workflows-model';

/** What a step's rendering depends on. @internal */
export interface StepRenderContext {
  /** The construct the step belongs to (a job or a composite action); named in errors and passed to action pinning. */
  readonly scope: IConstruct;
  /** Composite actions need `shell:` on every run step. */
  readonly composite: boolean;
}

/** A rendered step and what it implies. @internal */
export interface RenderedStep {
  readonly wire: wf.Step;
  /** Permission scopes its action needs. */
  readonly permissions: { readonly [scope: string]: string };
}

/**
 * Renders a step; problems are appended to `problems`. Untrusted input is
 * moved out of its code later, by `secureStep`, on the document as it is
 * written (after overrides).
 * @internal
 */
export function renderStep(step: Step, ctx: StepRenderContext, problems: string[]): RenderedStep {
  // an action may carry inputs and env of its own; the step's win on conflicts
  const actionEnv = step.action && Object.keys(step.action.env ?? {}).length > 0 ? step.action.env : undefined;
  const actionInputs = step.action && Object.keys(step.action.inputs ?? {}).length > 0 ? step.action.inputs : undefined;
  const env = step.env || actionEnv ? stringMap({ ...actionEnv, ...step.env }) : undefined;
  const withInputs = step.with || actionInputs ? valueMap({ ...actionInputs, ...step.with }) : undefined;
  const run = step.script;
  let shell = step.shell;
  if (ctx.composite && run !== undefined && shell === undefined) shell = 'bash';

  let uses: unknown;
  let permissions: { readonly [scope: string]: string } = {};
  if (step.action) {
    try {
      const ref = step.action._reference(ctx.scope);
      if (ref.comment) {
        const scalar = new YAML.Scalar(ref.uses);
        scalar.comment = ref.comment.startsWith(' ') ? ref.comment : ` ${ref.comment}`;
        uses = scalar;
      } else {
        uses = ref.uses;
      }
    } catch (e) {
      problems.push(stripPath(e instanceof Error ? e.message : String(e), ctx.scope));
      uses = step.action.toString();
    }
    permissions = step.action.permissions ?? {};
  }

  return {
    wire: {
      'id': step.id,
      'name': step.name,
      'if': step.condition !== undefined ? unwrapCondition(String(step.condition)) : undefined,
      'uses': uses,
      'with': withInputs,
      'run': run,
      'shell': shell,
      'working-directory': step.workingDirectory,
      'env': env,
      'timeout-minutes': step.timeout?.toMinutes(),
      'continue-on-error': step.continueOnError,
    },
    permissions,
  };
}

/** Problems that concern the set of steps: duplicate ids. @internal */
export function stepIdProblems(steps: readonly Step[]): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!s.id) return;
    const prior = first.get(s.id);
    if (prior !== undefined) {
      problems.push(`step id "${s.id}" is used by steps ${prior + 1} and ${i + 1}; step ids must be unique within a job. Rename one of them`);
    } else {
      first.set(s.id, i);
    }
  });
  return problems;
}

/** An env map with Expression values stringified. @internal */
export function stringMap(m: { readonly [k: string]: unknown }): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) out[k] = String(v);
  return out;
}

/** A `with:` map: Expressions stringified, strings/numbers/booleans kept. @internal */
export function valueMap(m: { readonly [k: string]: unknown }): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    out[k] = v instanceof Expression ? v.toString() : v;
  }
  return out;
}

/** Error messages thrown by `fail(scope, ...)` already carry the path; the validation adds it again. */
function stripPath(message: string, scope: IConstruct): string {
  const prefix = `[${scope.node.path}] `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
