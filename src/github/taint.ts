import { expressionSpans } from './expression-scan';
import { TaintedPath, TrustOptions, untrustedInputOf } from './untrusted-input';

/**
 * Following untrusted text through a workflow, where both ends are in the
 * workflow: an `env:` variable (workflow, job or step) assigned untrusted
 * text, a step output a `run:` script writes from it to `$GITHUB_OUTPUT`,
 * and a job output read from either by `needs.<job>.outputs.<name>`.
 *
 * Reading such a variable as `"$VAR"` in a script is data; reading it as
 * `${{ env.VAR }}`, `${{ steps.s.outputs.o }}` or
 * `${{ needs.j.outputs.o }}` pastes the text into the script (injection).
 * @internal
 */

type Mapping = { readonly [key: string]: unknown };

const isMapping = (x: unknown): x is Mapping => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Whether a string value carries untrusted text: a `${{ }}` span that reads untrusted input. @internal */
export function carriesUntrusted(value: unknown, trust: TrustOptions): boolean {
  if (typeof value !== 'string') return false;
  return expressionSpans(value).some((s) => untrustedInputOf(s.text, trust) !== undefined);
}

/** The names of an `env:` mapping whose values carry untrusted text. @internal */
export function taintedEnvNames(env: unknown, trust: TrustOptions): string[] {
  if (!isMapping(env)) return [];
  return Object.entries(env).filter(([, v]) => carriesUntrusted(v, trust)).map(([k]) => k);
}

/** `env.<name>` paths for tainted env names. @internal */
export function envTaint(names: Iterable<string>): TaintedPath[] {
  return [...names].map((n) => ({ path: ['env', n.toLowerCase()], envName: n }));
}

const ASSIGNMENT = /(^|[\s"'`;{(])([A-Za-z_][A-Za-z0-9_-]*)=((?:(?!>>)[^\n])*)/g;
const SHELL_VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * The outputs a `run:` script writes to `$GITHUB_OUTPUT` with untrusted
 * text: every `name=value` of a script that writes `$GITHUB_OUTPUT` (an
 * `echo "name=value" >> "$GITHUB_OUTPUT"`, or a shell assignment) whose value
 * has a `${{ }}` reading untrusted input or references a tainted variable
 * (`$TITLE`, `${TITLE}`). Shell assignments propagate: `T="$TITLE"` makes `T`
 * tainted for the lines after it. The scan over-approximates (any
 * `name=value` of such a script counts as an output), which errs on the
 * side of reporting.
 * @internal
 */
export function taintedOutputsOfScript(script: string, taintedVars: ReadonlySet<string>, trust: TrustOptions): string[] {
  if (!/GITHUB_OUTPUT/.test(script)) return [];
  const vars = new Set(taintedVars);
  const outputs = new Set<string>();
  for (const line of script.split('\n')) {
    for (const m of line.matchAll(ASSIGNMENT)) {
      const [, before, name, value] = m;
      // in '…' a shell variable is not expanded (a ${{ }} still is: GitHub substitutes it first)
      if (valueIsTainted(before === "'" ? `'${value}` : value, vars, trust)) {
        vars.add(name);
        outputs.add(name);
      }
    }
  }
  return [...outputs];
}

function valueIsTainted(value: string, vars: ReadonlySet<string>, trust: TrustOptions): boolean {
  if (carriesUntrusted(value, trust)) return true;
  if (value.startsWith("'")) return false;
  for (const m of value.matchAll(SHELL_VAR)) if (vars.has(m[1] ?? m[2])) return true;
  return false;
}

/** A step as the taint walk sees it: mutable, since synthesis rewrites it in place. @internal */
export type StepObject = { [key: string]: unknown };

/** What {@link walkSteps} passes to its visitor for each step. @internal */
export interface StepVisit {
  readonly step: StepObject;
  /** The position in the job's steps (a step of a `parallel` group: the group's). */
  readonly index: number;
  /** Where the step is under the job's `steps`: `[2]`, or `[2, 'parallel', 0]` in a parallel group. */
  readonly location: Array<string | number>;
  /** The trust options for the step's code: the base ones plus the tainted env, step outputs and needs outputs. */
  readonly trust: TrustOptions;
}

/**
 * Walks the steps of one job (or composite action) in order, tracking which
 * env variables and step outputs carry untrusted text. `visit` may rewrite
 * the step (synthesis moves untrusted input into env); the step is read for
 * its outputs after the visit. Returns the tainted `steps.<id>.outputs.<name>`
 * paths, for the job's outputs.
 * @internal
 */
export function walkSteps(
  steps: readonly unknown[], base: TrustOptions, outerEnv: readonly string[], visit: (v: StepVisit) => void,
  group?: { readonly index: number; readonly location: Array<string | number> },
): TaintedPath[] {
  const stepTaint: TaintedPath[] = [];
  steps.forEach((raw, i) => {
    if (!isMapping(raw)) return;
    const step = raw as StepObject;
    const index = group?.index ?? i;
    const location = group ? [...group.location, 'parallel', i] : [i];
    const before = { ...base, tainted: [...(base.tainted ?? []), ...stepTaint, ...envTaint(outerEnv)] };
    if (Array.isArray(step.parallel)) {
      // a parallel group: its steps run at once, each sees what ran before the group
      const groupBase = { ...base, tainted: [...(base.tainted ?? []), ...stepTaint] };
      stepTaint.push(...walkSteps(step.parallel, groupBase, outerEnv, visit, { index, location }));
      return;
    }
    const stepEnv = taintedEnvNames(step.env, before);
    const trust: TrustOptions = { ...before, tainted: [...(before.tainted ?? []), ...envTaint(stepEnv)] };
    visit({ step, index, location, trust });
    if (typeof step.id !== 'string' || typeof step.run !== 'string') return;
    const vars = new Set([...outerEnv, ...taintedEnvNames(step.env, before)]);
    for (const o of taintedOutputsOfScript(step.run, vars, trust)) {
      stepTaint.push({ path: ['steps', step.id.toLowerCase(), 'outputs', o.toLowerCase()], envName: envNameOf('STEP', step.id, o) });
    }
  });
  return stepTaint;
}

/**
 * Walks the jobs of a rendered workflow in `needs` order, calling `visit`
 * for each step with the trust options that hold there: `base`, the tainted
 * workflow and job env, the tainted outputs of earlier steps and the tainted
 * outputs of the jobs it needs.
 * @internal
 */
export function walkWorkflow(
  doc: Mapping, base: TrustOptions, visit: (jobId: string, job: Mapping, v: StepVisit) => void,
): void {
  const jobs = isMapping(doc.jobs) ? doc.jobs : {};
  const workflowEnv = taintedEnvNames(doc.env, base);
  const jobTaint = new Map<string, TaintedPath[]>();
  for (const id of needsOrder(jobs)) {
    const job = jobs[id];
    if (!isMapping(job)) continue;
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
    const trust: TrustOptions = { ...base, tainted: [...(base.tainted ?? []), ...needs.flatMap((n) => jobTaint.get(n) ?? [])] };
    const jobEnv = taintedEnvNames(job.env, { ...trust, tainted: [...(trust.tainted ?? []), ...envTaint(workflowEnv)] });
    const env = [...new Set([...workflowEnv, ...jobEnv])];
    const steps = Array.isArray(job.steps) ? job.steps : [];
    const stepTaint = walkSteps(steps, trust, env, (v) => visit(id, job, v));
    const outputTrust: TrustOptions = { ...trust, tainted: [...(trust.tainted ?? []), ...stepTaint, ...envTaint(env)] };
    const outputs = isMapping(job.outputs) ? job.outputs : {};
    jobTaint.set(id, Object.entries(outputs)
      .filter(([, v]) => carriesUntrusted(v, outputTrust))
      .map(([o]) => ({ path: ['needs', id.toLowerCase(), 'outputs', o.toLowerCase()], envName: envNameOf('NEEDS', id, o) })));
  }
}

function envNameOf(prefix: string, owner: string, name: string): string {
  return `${prefix}_${owner}_${name}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Job ids with each job after the jobs it needs (a cycle keeps the document order). @internal */
export function needsOrder(jobs: Mapping): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.has(id) || !(id in jobs)) return;
    state.set(id, 'visiting');
    const job = jobs[id];
    const needs = isMapping(job) ? (typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : []) : [];
    for (const n of needs) visit(n);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id);
  return order;
}
