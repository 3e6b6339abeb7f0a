import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { Expression } from './expression';
import { unwrapCondition } from './expression-scan';
import { Step } from './step';
import type * as wf from './workflows-model';
import { closest } from '../core/errors';

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
export function renderStep(step: Step, ctx: StepRenderContext, problems: string[], index = 0): RenderedStep {
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
    problems.push(...inputProblems(step, index, Object.keys({ ...actionInputs, ...step.with }), ctx.scope));
  }

  if (ctx.composite && (step.background || isControlStep(step) || step.group)) {
    const what = step.background ? 'a background step' : step.group ? 'a parallel group' : 'a step that waits for or cancels background steps';
    problems.push(`${step._describe(index)}: ${what} cannot be part of a composite action; GitHub runs background steps in workflow jobs only`);
  }
  if (step.group && !ctx.composite) return renderGroup(step, step.group, ctx, problems, index);
  return {
    wire: {
      'id': step.id,
      'name': step.name,
      'wait': step.waitsFor === undefined ? undefined : step.waitsFor.length === 1 ? step.waitsFor[0] : [...step.waitsFor],
      'wait-all': step.waitsForAll,
      'cancel': step.cancels,
      'if': step.condition !== undefined ? unwrapCondition(String(step.condition)) : undefined,
      'uses': uses,
      'with': withInputs,
      'run': run,
      'shell': shell,
      'working-directory': step.workingDirectory,
      'env': env,
      'timeout-minutes': step.timeout?.toMinutes(),
      'continue-on-error': step.continueOnError,
      'background': step.background,
    },
    permissions,
  };
}

/** A `parallel:` group: its steps rendered in place, the scopes of their actions merged. */
function renderGroup(group: Step, steps: readonly Step[], ctx: StepRenderContext, problems: string[], index: number): RenderedStep {
  const where = group._describe(index);
  if (steps.length === 0) problems.push(`${where} is a parallel group with no steps; pass at least one to Step.parallel([...])`);
  const permissions: { [scope: string]: string } = {};
  const rank: { [level: string]: number } = { none: 0, read: 1, write: 2 };
  const wire = steps.map((s, i) => {
    const inner = `${where} (parallel step ${i + 1})`;
    if (s.group) problems.push(`${inner} is a parallel group; GitHub does not nest them. Move its steps into the outer group`);
    else if (isControlStep(s)) problems.push(`${inner} waits for or cancels steps, which a parallel group cannot hold; put it after the group`);
    else if (s.background !== undefined) problems.push(`${inner} sets background; every step of a parallel group runs in the background already. Remove it`);
    const r = renderStep(s, ctx, problems, index);
    for (const [scope, level] of Object.entries(r.permissions)) {
      if ((rank[level] ?? 0) >= (rank[permissions[scope]] ?? -1)) permissions[scope] = level;
    }
    return r.wire;
  });
  return { wire: { parallel: wire }, permissions };
}

/** The steps of a job with the steps of its parallel groups in their place. @internal */
export function flatSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => (s.group ? [s, ...flatSteps(s.group)] : [s]));
}

/** Whether the step waits for or cancels background steps. @internal */
export function isControlStep(step: Step): boolean {
  return step.waitsFor !== undefined || step.waitsForAll !== undefined || step.cancels !== undefined;
}

/**
 * Problems of background steps in a job: a `waitFor`/`cancel` target must be an
 * earlier background step of the job. @internal
 */
export function backgroundStepProblems(steps: readonly Step[]): string[] {
  const problems: string[] = [];
  const earlier = new Map<string, Step>();
  steps.forEach((step, i) => {
    const where = step._describe(i);
    const targets = [...(step.waitsFor ?? []), ...(step.cancels !== undefined ? [step.cancels] : [])];
    const verb = step.cancels !== undefined ? 'cancels' : 'waits for';
    if (step.waitsFor !== undefined && step.waitsFor.length === 0) problems.push(`${where} waits for no step; name at least one background step id, or use Step.waitForAll()`);
    for (const target of targets) {
      const found = earlier.get(target);
      if (!found) {
        const near = closest(target, [...earlier.keys()]);
        problems.push(`${where} ${verb} "${target}", which is not the id of an earlier step of the job${near ? `; did you mean "${near}"?` : ''}. Give the background step that id and put it before`);
      } else if (!found.background) {
        problems.push(`${where} ${verb} step "${target}", which does not run in the background; set background: true on it, or remove this step`);
      }
    }
    if (step.id) earlier.set(step.id, step);
  });
  return problems;
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

/**
 * The `with:` of a step whose action declares its inputs (`Action.metadata`): every key must
 * be an input of the action, and every required input without a default must be given.
 * @internal
 */
export function inputProblems(step: Step, index: number, given: readonly string[], scope: IConstruct): string[] {
  const metadata = step.action?._metadataAt(scope);
  if (!metadata) return [];
  const problems: string[] = [];
  // the messages' parts are built only when there is a problem (this runs for every step)
  const where = () => `${step._describe(index)} (${step.action!.toString()})`;
  for (const key of given) {
    if (key in metadata.inputs) continue;
    const declared = Object.keys(metadata.inputs);
    const list = declared.length > 0 ? `its inputs: ${declared.join(', ')}` : 'it declares no inputs';
    const near = closest(key, declared);
    problems.push(`${where()}: "${key}" is not an input of the action${near ? `; did you mean "${near}"?` : ''} (${list}). Fix the key in with: or remove it`);
  }
  for (const name in metadata.inputs) {
    const spec = metadata.inputs[name];
    if (spec.required && spec.defaultValue === undefined && !given.includes(name)) {
      problems.push(`${where()}: required input "${name}" is not given${spec.description ? ` (${spec.description.trim().split('\n')[0]})` : ''}; add it to with: (or the binding's props)`);
    }
  }
  return problems;
}

const OUTPUT_REF = /\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * `steps.<id>.outputs.<name>` references, anywhere in the rendered job (or composite action),
 * to an output that the step's action does not declare (`Action.metadata.outputs`).
 * @internal
 */
export function outputReferenceProblems(steps: readonly Step[], rendered: unknown, scope: IConstruct): string[] {
  const byId = new Map<string, { step: Step; outputs: string[] }>();
  for (const s of steps) {
    const outputs = s.id ? s.action?._metadataAt(scope)?.outputs : undefined;
    if (outputs) byId.set(s.id!, { step: s, outputs });
  }
  if (byId.size === 0) return [];
  const problems = new Set<string>();
  const text = JSON.stringify(rendered);
  for (const m of text.matchAll(OUTPUT_REF)) {
    const { step, outputs } = byId.get(m[1]) ?? {};
    if (!step || !outputs || outputs.includes(m[2])) continue;
    const near = closest(m[2], outputs);
    problems.add(`steps.${m[1]}.outputs.${m[2]}: ${step.action!.toString()} has no output "${m[2]}"${near ? `; did you mean "${near}"?` : ''} (its outputs: ${outputs.length > 0 ? outputs.join(', ') : 'none'})`);
  }
  return [...problems];
}
