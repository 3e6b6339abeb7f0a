import { expressionSpans } from './expression-scan';
import { TaintedPath, TrustOptions, untrustedInputOf, untrustedPath } from './untrusted-input';

/**
 * Following untrusted text through a workflow, where both ends are in the
 * workflow: an `env:` variable (workflow, job or step) assigned untrusted
 * text, a step output a `run:` script writes from it to `$GITHUB_OUTPUT`
 * (`name=value` or the `name<<EOF` multi-line form) or an
 * `actions/github-script` step sets (`core.setOutput`, its return value), a
 * job output read from either by `needs.<job>.outputs.<name>`, an output of
 * a reusable workflow of the same repository whose job outputs carry it, and
 * a matrix whose values carry it (`matrix.<key>`).
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
  for (const name of multilineOutputs(script, vars, trust)) outputs.add(name);
  return [...outputs];
}

/** `name<<DELIM` in quotes (`echo "name<<EOF"`) or at the start of a line (a here-document body). */
const MULTILINE = /(^|["'])([A-Za-z_][A-Za-z0-9_-]*)<<(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Za-z0-9_.-]+)/gm;

/**
 * The outputs written in GitHub's multi-line form, `name<<DELIM`, the value
 * lines, then `DELIM`: `{ echo "body<<EOF"; echo "$BODY"; echo EOF; } >>
 * "$GITHUB_OUTPUT"`, one `echo … >> "$GITHUB_OUTPUT"` per line, or a
 * here-document. The value is the script text between `name<<DELIM` and the
 * next `DELIM` (a `$D` delimiter ends at the next `$D` or `${D}`), or the end
 * of the script; it is tainted when it has a `${{ }}` reading untrusted input
 * or references a tainted variable (quoting is not looked at: `'$BODY'`
 * counts, erring on the side of reporting).
 */
function multilineOutputs(script: string, vars: ReadonlySet<string>, trust: TrustOptions): string[] {
  const out: string[] = [];
  for (const m of script.matchAll(MULTILINE)) {
    const [all, , name, delim] = m;
    const from = m.index! + all.length;
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(delim);
    const end = variable
      ? new RegExp(`\\$\\{?${variable[1]}\\}?(?![A-Za-z0-9_])`, 'g')
      : new RegExp(`(?<![A-Za-z0-9_<.-])${delim.replace(/[.]/g, '\\.')}(?![A-Za-z0-9_.-])`, 'g');
    end.lastIndex = from;
    const stop = end.exec(script);
    const value = script.slice(from, stop ? stop.index : script.length);
    if (carriesUntrusted(value, trust) || [...value.matchAll(SHELL_VAR)].some((v) => vars.has(v[1] ?? v[2]))) out.push(name);
  }
  return out;
}

function valueIsTainted(value: string, vars: ReadonlySet<string>, trust: TrustOptions): boolean {
  if (carriesUntrusted(value, trust)) return true;
  // a single-quoted part is literal; what follows it is read again (printf 'name=%s\n' "$TITLE")
  if (value.startsWith("'")) {
    const close = value.indexOf("'", 1);
    return close > 0 && valueIsTainted(value.slice(close + 1), vars, trust);
  }
  for (const m of value.matchAll(SHELL_VAR)) if (vars.has(m[1] ?? m[2])) return true;
  return false;
}

const GITHUB_SCRIPT = /^actions\/github-script@/i;

/** The `uses:` of a rendered step: a string, or a YAML scalar with a version comment. */
function usesOf(step: StepObject): string | undefined {
  const u = step.uses;
  const v = u !== null && typeof u === 'object' && 'value' in u ? (u as { value: unknown }).value : u;
  return typeof v === 'string' ? v : undefined;
}

const JS_PATH = /(?<![\w$.])([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*)*)/g;
const JS_ASSIGNMENT = /(?<![\w$.])(?:(?:const|let|var)\s+)?(?:([A-Za-z_$][\w$]*)|\{([^{}]*)\})\s*=(?![=>])/g;
/** A JavaScript variable that holds untrusted text, whatever property of it is read. */
const ANY = ['*taint*'];

/**
 * The outputs an `actions/github-script` script sets from untrusted text:
 * `core.setOutput('name', value)` with a literal name, and its return value
 * (the `result` output). A value is untrusted when it reads
 * - an untrusted property of the event payload, `context.payload.<path>`
 *   with a path from the untrusted list (`context.payload.pull_request.title`,
 *   `context.payload.comment.body`; `['title']` and `?.` read the same; the
 *   whole `context.payload.pull_request` counts, `.number` does not),
 * - `process.env.NAME` where `NAME` is a tainted env variable of the step,
 * - a `${{ }}` reading untrusted input (GitHub substitutes it first),
 * - a variable assigned one of these (`const t = …`, `let t = …`, `t = …`,
 *   `const { title } = context.payload.pull_request`), in script order;
 *   a variable assigned a payload object is followed by path, so
 *   `pr.number` of `const pr = context.payload.pull_request` is clean.
 * Text inside string literals and comments is not code and does not count.
 * Not recognised (the output is taken as clean): a computed output name,
 * values passed through functions defined in the script or other modules,
 * `core.exportVariable`, and files written to `$GITHUB_OUTPUT` directly.
 * @internal
 */
export function taintedOutputsOfGithubScript(script: string, taintedVars: ReadonlySet<string>, trust: TrustOptions): string[] {
  // a['b'] and a?.b read a.b
  const raw = script.replace(/\?\.(?!\d)/g, '.').replace(/\[\s*(['"])([A-Za-z_$][\w$-]*)\1\s*\]/g, '.$2');
  const code = codeOnly(raw);
  const aliases = new Map<string, string[]>();

  const pathOf = (head: string, rest: string): string[] | undefined => {
    const members = rest.split('.').map((x) => x.trim()).filter((x) => x !== '').map((x) => x.toLowerCase());
    if (head === 'context' && members[0] === 'payload') return ['github', 'event', ...members.slice(1)];
    if (head === 'process' && members[0] === 'env' && members.length >= 2) {
      // env names are case-sensitive on the runner
      const name = rest.split('.').map((x) => x.trim()).filter((x) => x !== '')[1];
      return taintedVars.has(name) ? ANY : undefined;
    }
    const alias = aliases.get(head);
    if (alias === ANY) return ANY;
    return alias ? [...alias, ...members] : undefined;
  };
  const tainted = (from: number, to: number): boolean => {
    if (carriesUntrusted(raw.slice(from, to), trust)) return true;
    for (const m of code.slice(from, to).matchAll(JS_PATH)) {
      const p = pathOf(m[1], m[2]);
      if (p === ANY || (p && untrustedPath(p, trust))) return true;
    }
    return false;
  };

  // assignments, in script order: a value up to the next ';' or line end
  for (const m of code.matchAll(JS_ASSIGNMENT)) {
    const [from, to] = statementAfter(code, m.index! + m[0].length);
    const value = code.slice(from, to).trim();
    const whole = /^([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*)*)$/.exec(value);
    const path = whole ? pathOf(whole[1], whole[2]) : undefined;
    const target = path ?? (tainted(from, to) ? ANY : undefined);
    if (m[1] !== undefined) {
      if (target) aliases.set(m[1], target);
      else aliases.delete(m[1]);
      continue;
    }
    // const { title, body: text } = context.payload.issue
    for (const part of m[2].split(',')) {
      const [key, local] = part.split(':').map((x) => x.trim());
      const name = (local ?? key).split('=')[0].trim();
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || !/^[A-Za-z_$][\w$]*$/.test(key)) continue;
      const t = target === ANY ? ANY : target ? [...target, key.toLowerCase()] : undefined;
      if (t) aliases.set(name, t);
      else aliases.delete(name);
    }
  }

  const outputs = new Set<string>();
  for (const m of code.matchAll(/(?<![\w$])core\s*\.\s*setOutput\s*\(/g)) {
    const args = argumentsAt(code, m.index! + m[0].length);
    if (args.length < 2) continue;
    const name = /^\s*(['"`])([A-Za-z0-9_-]+)\1\s*$/.exec(raw.slice(args[0].start, args[0].end));
    if (name && tainted(args[1].start, args[args.length - 1].end)) outputs.add(name[2]);
  }
  for (const m of code.matchAll(/(?<![\w$.])return\b/g)) {
    const [from, to] = statementAfter(code, m.index! + m[0].length);
    if (tainted(from, to)) outputs.add('result');
  }
  return [...outputs];
}

/**
 * The rest of a statement from `at`: up to the next `;`, or the end of the
 * line (of the next line with text, when the line ends right after `=` or
 * `return`) outside brackets.
 */
function statementAfter(code: string, at: number): [number, number] {
  let from = at;
  while (from < code.length && /\s/.test(code[from])) from++;
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ';' || c === '\n')) return [from, i];
  }
  return [from, code.length];
}

/** The arguments of a call whose `(` ends at `from`, as ranges, split at top-level commas. */
function argumentsAt(code: string, from: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      if (depth === 0) {
        if (code.slice(start, i).trim() !== '') out.push({ start, end: i });
        return out;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end: code.length });
  return out;
}

/**
 * JavaScript with the text of string literals and comments blanked (same
 * length, newlines kept); `${…}` inside template literals stays code.
 */
function codeOnly(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // each frame: code (with its brace depth, for the end of a `${`) or a template literal's text
  const stack: Array<{ code: boolean; depth: number }> = [{ code: true, depth: 0 }];
  for (let i = 0; i < src.length; i++) {
    const top = stack[stack.length - 1];
    const c = src[i];
    if (!top.code) {
      if (c === '\\') {
        blank(i, i + 2);
        i++;
      } else if (c === '`') {
        stack.pop();
      } else if (c === '$' && src[i + 1] === '{') {
        stack.push({ code: true, depth: 0 });
        i++;
      } else {
        blank(i, i + 1);
      }
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const e = src.indexOf('\n', i);
      const end = e < 0 ? src.length : e;
      blank(i, end);
      i = end - 1;
    } else if (c === '/' && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      const end = e < 0 ? src.length : e + 2;
      blank(i, end);
      i = end - 1;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, src.length));
      i = j;
    } else if (c === '/' && operandExpected(src, i)) {
      // a regular expression literal: its text (which may hold quotes or backticks) is not code
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      blank(i + 1, Math.min(j, src.length));
      i = j;
    } else if (c === '`') {
      stack.push({ code: false, depth: 0 });
    } else if (c === '{') {
      top.depth++;
    } else if (c === '}') {
      if (top.depth === 0 && stack.length > 1) stack.pop();
      else top.depth--;
    }
  }
  // A template literal left open means the scan lost its place: keep every character as code, so
  // that nothing the script reads is hidden (a string read as code can only add findings).
  return stack.length > 1 ? src : out.join('');
}

/** Keywords after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|instanceof|yield|await)$/;

/** Whether a `/` at `i` (not a comment) begins a regular expression literal: no operand before it. */
function operandExpected(src: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (src[k] === ' ' || src[k] === '\t' || src[k] === '\n' || src[k] === '\r')) k--;
  if (k < 0) return true;
  const p = src[k];
  if ('(,=:[!&|?{};+-*%<>~^'.includes(p)) return true;
  return /[\w$]/.test(p) && REGEX_AFTER_WORD.test(src.slice(Math.max(0, k - 11), k + 1));
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
    // inside a parallel group the steps run at once: none sees another's outputs
    const before = { ...base, tainted: [...(base.tainted ?? []), ...(group ? [] : stepTaint), ...envTaint(outerEnv)] };
    if (Array.isArray(step.parallel)) {
      // a parallel group: its steps run at once, each sees what ran before the group
      const groupBase = { ...base, tainted: [...(base.tainted ?? []), ...stepTaint] };
      stepTaint.push(...walkSteps(step.parallel, groupBase, outerEnv, visit, { index, location }));
      return;
    }
    const stepEnv = taintedEnvNames(step.env, before);
    const trust: TrustOptions = { ...before, tainted: [...(before.tainted ?? []), ...envTaint(stepEnv)] };
    visit({ step, index, location, trust });
    if (typeof step.id !== 'string') return;
    const vars = new Set([...outerEnv, ...taintedEnvNames(step.env, before)]);
    const script = isMapping(step.with) ? step.with.script : undefined;
    const outputs = typeof step.run === 'string' ? taintedOutputsOfScript(step.run, vars, trust)
      : GITHUB_SCRIPT.test(usesOf(step) ?? '') && typeof script === 'string' ? taintedOutputsOfGithubScript(script, vars, trust)
        : [];
    for (const o of outputs) {
      stepTaint.push({ path: ['steps', step.id.toLowerCase(), 'outputs', o.toLowerCase()], envName: envNameOf('STEP', step.id, o) });
    }
  });
  return stepTaint;
}

/** The document of a reusable workflow a job calls (`uses:`), when it can be read; see {@link walkWorkflow}. @internal */
export type CallResolver = (uses: string) => Mapping | undefined;

/** GitHub runs reusable workflows nested up to ten levels deep; deeper, or a call back into a workflow being followed (a cycle), is not followed. */
const MAX_CALL_DEPTH = 10;

/**
 * Walks the jobs of a rendered workflow in `needs` order, calling `visit`
 * for each step with the trust options that hold there: `base`, the tainted
 * workflow and job env, the tainted matrix, the tainted outputs of earlier
 * steps and the tainted outputs of the jobs it needs. A job that calls a
 * reusable workflow that `resolveCall` returns has the tainted outputs of
 * that workflow, given the inputs it passes (see {@link workflowCallOutputs});
 * `calling` are the `uses:` of the calls being followed, outermost first.
 * Returns the tainted `needs.<job>.outputs.<name>` paths of each job.
 * @internal
 */
export function walkWorkflow(
  doc: Mapping, base: TrustOptions, visit: (jobId: string, job: Mapping, v: StepVisit) => void,
  resolveCall?: CallResolver, calling: readonly string[] = [],
): Map<string, TaintedPath[]> {
  const jobs = isMapping(doc.jobs) ? doc.jobs : {};
  const workflowEnv = taintedEnvNames(doc.env, base);
  const jobTaint = new Map<string, TaintedPath[]>();
  const needsPath = (id: string, o: string): TaintedPath => ({ path: ['needs', id.toLowerCase(), 'outputs', o.toLowerCase()], envName: envNameOf('NEEDS', id, o) });
  for (const id of needsOrder(jobs)) {
    const job = jobs[id];
    if (!isMapping(job)) continue;
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
    const needsTrust: TrustOptions = { ...base, tainted: [...(base.tainted ?? []), ...needs.flatMap((n) => jobTaint.get(n) ?? [])] };
    const trust: TrustOptions = { ...needsTrust, tainted: [...(needsTrust.tainted ?? []), ...matrixTaint(job.strategy, needsTrust)] };
    if (typeof job.uses === 'string') {
      const follow = resolveCall && calling.length < MAX_CALL_DEPTH && !calling.includes(job.uses);
      const callee = follow ? resolveCall(job.uses) : undefined;
      if (callee) {
        const given = isMapping(job.with) ? job.with : {};
        const inputs = Object.keys(given).filter((k) => carriesUntrusted(given[k], trust))
          .map((k) => ({ path: ['inputs', k.toLowerCase()], envName: envNameOf('INPUT', '', k) }));
        jobTaint.set(id, workflowCallOutputs(callee, inputs, resolveCall, [...calling, job.uses]).map((o) => needsPath(id, o)));
      }
      continue;
    }
    const jobEnv = taintedEnvNames(job.env, { ...trust, tainted: [...(trust.tainted ?? []), ...envTaint(workflowEnv)] });
    const env = [...new Set([...workflowEnv, ...jobEnv])];
    const steps = Array.isArray(job.steps) ? job.steps : [];
    const stepTaint = walkSteps(steps, trust, env, (v) => visit(id, job, v));
    const outputTrust: TrustOptions = { ...trust, tainted: [...(trust.tainted ?? []), ...stepTaint, ...envTaint(env)] };
    const outputs = isMapping(job.outputs) ? job.outputs : {};
    jobTaint.set(id, Object.entries(outputs).filter(([, v]) => carriesUntrusted(v, outputTrust)).map(([o]) => needsPath(id, o)));
  }
  return jobTaint;
}

/**
 * The outputs of a reusable workflow (`on.workflow_call.outputs`) that carry
 * untrusted text when it is called with the tainted `inputs.<name>` paths
 * given: an output whose `value` reads a tainted `jobs.<id>.outputs.<name>`.
 * Inside the workflow only those inputs are followed as untrusted (the
 * caller's other inputs are its own text); synthesis and the audit of the
 * workflow itself still treat every `inputs.*` as untrusted.
 * @internal
 */
export function workflowCallOutputs(
  doc: Mapping, inputs: readonly TaintedPath[], resolveCall?: CallResolver, calling: readonly string[] = [],
): string[] {
  const jobTaint = walkWorkflow(doc, { tainted: inputs }, () => undefined, resolveCall, calling);
  const tainted = [...jobTaint].flatMap(([id, paths]) => paths.map((p) => ({ path: ['jobs', id.toLowerCase(), 'outputs', p.path[3]], envName: p.envName })));
  const on = doc.on ?? (doc as { true?: unknown }).true;
  const call = isMapping(on) && isMapping(on.workflow_call) ? on.workflow_call : undefined;
  const outputs = call && isMapping(call.outputs) ? call.outputs : {};
  return Object.entries(outputs).filter(([, o]) => isMapping(o) && carriesUntrusted(o.value, { tainted })).map(([name]) => name);
}

/**
 * The `matrix.<key>` paths whose values carry untrusted text: an axis or an
 * `include` entry's key with a value (at any depth) that does, or the whole
 * `matrix` when the matrix, its `include` or an entry of it is an
 * expression that does (`${{ fromJSON(github.event.pull_request.body) }}`,
 * `${{ fromJSON(needs.setup.outputs.matrix) }}` of a tainted output).
 * `exclude` only removes combinations and is not read.
 * @internal
 */
export function matrixTaint(strategy: unknown, trust: TrustOptions): TaintedPath[] {
  const whole = [{ path: ['matrix'], envName: 'MATRIX' }];
  const deep = (v: unknown): boolean => (typeof v === 'string' ? carriesUntrusted(v, trust)
    : Array.isArray(v) ? v.some(deep) : isMapping(v) ? Object.values(v).some(deep) : false);
  if (!isMapping(strategy)) return deep(strategy) ? whole : [];
  const matrix = strategy.matrix;
  if (!isMapping(matrix)) return deep(matrix) ? whole : [];
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(matrix)) {
    if (key === 'exclude') continue;
    if (key !== 'include') {
      if (deep(value)) keys.add(key);
      continue;
    }
    if (!Array.isArray(value)) {
      if (deep(value)) return whole;
      continue;
    }
    for (const entry of value) {
      if (!isMapping(entry)) {
        if (deep(entry)) return whole;
        continue;
      }
      for (const [k, v] of Object.entries(entry)) if (deep(v)) keys.add(k);
    }
  }
  return [...keys].map((k) => ({ path: ['matrix', k.toLowerCase()], envName: envNameOf('MATRIX', '', k) }));
}

function envNameOf(prefix: string, owner: string, name: string): string {
  return [prefix, owner, name].filter((x) => x !== '').join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
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
