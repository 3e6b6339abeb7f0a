import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { Expression } from './expression';
import { unwrapCondition } from './expression-scan';
import { Step } from './step';
import { moveUntrustedInput } from './untrusted-input';
import type * as wf from './workflows-model';

/** What a step's rendering depends on. @internal */
export interface StepRenderContext {
  /** The construct the step belongs to (a job or a composite action); named in errors and passed to action pinning. */
  readonly scope: IConstruct;
  /** The shell a `run:` step without `shell:` uses (from `defaults.run`). */
  readonly defaultShell?: string;
  /** Whether the runner may be Windows (where the default shell is pwsh). */
  readonly mayBeWindows: boolean;
  /** Composite actions need `shell:` on every run step. */
  readonly composite: boolean;
}

/** A rendered step and what it implies. @internal */
export interface RenderedStep {
  readonly wire: wf.Step;
  /** Permission scopes its action needs. */
  readonly permissions: { readonly [scope: string]: string };
}

/** Renders a step; problems are appended to `problems`. @internal */
export function renderStep(step: Step, index: number, ctx: StepRenderContext, problems: string[]): RenderedStep {
  // an action may carry inputs and env of its own; the step's win on conflicts
  const actionEnv = step.action && Object.keys(step.action.env ?? {}).length > 0 ? step.action.env : undefined;
  const actionInputs = step.action && Object.keys(step.action.inputs ?? {}).length > 0 ? step.action.inputs : undefined;
  let env = step.env || actionEnv ? stringMap({ ...actionEnv, ...step.env }) : undefined;
  const withInputs = step.with || actionInputs ? valueMap({ ...actionInputs, ...step.with }) : undefined;
  let run = step.script;
  let shell = step.shell;
  if (ctx.composite && run !== undefined && shell === undefined) shell = 'bash';

  if (run !== undefined) {
    const effectiveShell = shell ?? ctx.defaultShell;
    if (effectiveShell === undefined && ctx.mayBeWindows) {
      // the script's shell is unknown (bash or pwsh): moving is only safe when the shell is fixed
      const rewrite = moveUntrustedInput(run, 'unknown-shell', env ?? {});
      if (rewrite.unmoved.length > 0) {
        problems.push(`${step._describe(index)} interpolates untrusted input (${rewrite.unmoved.map((u) => `\${{ ${u} }}`).join(', ')}) into its script, and its shell depends on the runner; set "shell" ("bash" or "pwsh") so slipway can move the value into env safely`);
      }
    } else {
      const rewrite = moveUntrustedInput(run, effectiveShell, env ?? {});
      if (rewrite.unmoved.length > 0) {
        problems.push(`${step._describe(index)} interpolates untrusted input (${rewrite.unmoved.map((u) => `\${{ ${u} }}`).join(', ')}) into a "${effectiveShell}" script; slipway can only move it into env for bash, sh and pwsh. Put it in the step's env yourself and read the variable in the script`);
      }
      if (Object.keys(rewrite.env).length > 0) {
        run = rewrite.script;
        env = { ...(env ?? {}), ...rewrite.env };
      }
    }
  }

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
