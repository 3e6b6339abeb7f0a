import { contextPath, ExpressionNode, ExpressionSyntaxError, parseExpression } from './expression-parser';
import { expressionSpans } from './expression-scan';
import { javascriptContexts, posixContexts, powershellContexts, ScriptContext } from './script-contexts';

/**
 * Context properties an outside contributor controls (a pull request title,
 * a branch name, a commit message...). Interpolated into a script they become
 * code. slipway moves each expression that reads one into the step's `env:`
 * and references the variable instead.
 *
 * Paths are lowercase (GitHub compares property names case-insensitively);
 * `*` matches one array index or object key. A path that reads below an
 * entry (`client_payload.x`) or a whole object that contains one
 * (`github.event.pull_request`, `toJSON(github.event)`) is untrusted too. The
 * env name is used when the expression reads exactly the entry; otherwise
 * the name is made from the path.
 *
 * The list follows GitHub's security hardening guide and actionlint's list of
 * untrusted inputs.
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections
 * @internal
 */
export const UNTRUSTED_INPUTS: ReadonlyArray<[path: string, envName: string]> = [
  ['github.head_ref', 'GITHUB_HEAD_REF'],
  ['github.event.pull_request.title', 'PR_TITLE'],
  ['github.event.pull_request.body', 'PR_BODY'],
  ['github.event.pull_request.head.ref', 'PR_HEAD_REF'],
  ['github.event.pull_request.head.label', 'PR_HEAD_LABEL'],
  ['github.event.pull_request.head.repo.default_branch', 'PR_HEAD_REPO_DEFAULT_BRANCH'],
  ['github.event.pull_request.head.repo.description', 'PR_HEAD_REPO_DESCRIPTION'],
  ['github.event.pull_request.head.repo.homepage', 'PR_HEAD_REPO_HOMEPAGE'],
  ['github.event.issue.title', 'ISSUE_TITLE'],
  ['github.event.issue.body', 'ISSUE_BODY'],
  ['github.event.comment.body', 'COMMENT_BODY'],
  ['github.event.review.body', 'REVIEW_BODY'],
  ['github.event.review_comment.body', 'REVIEW_COMMENT_BODY'],
  ['github.event.discussion.title', 'DISCUSSION_TITLE'],
  ['github.event.discussion.body', 'DISCUSSION_BODY'],
  ['github.event.release.name', 'RELEASE_NAME'],
  ['github.event.release.body', 'RELEASE_BODY'],
  ['github.event.changes', 'CHANGES'],
  ['github.event.client_payload', 'CLIENT_PAYLOAD'],
  ['github.event.pages.*.page_name', 'PAGE_NAME'],
  ['github.event.commits.*.message', 'COMMIT_MESSAGE'],
  ['github.event.commits.*.author.email', 'COMMIT_AUTHOR_EMAIL'],
  ['github.event.commits.*.author.name', 'COMMIT_AUTHOR_NAME'],
  ['github.event.commits.*.committer.email', 'COMMIT_COMMITTER_EMAIL'],
  ['github.event.commits.*.committer.name', 'COMMIT_COMMITTER_NAME'],
  ['github.event.head_commit.message', 'HEAD_COMMIT_MESSAGE'],
  ['github.event.head_commit.author.email', 'HEAD_COMMIT_AUTHOR_EMAIL'],
  ['github.event.head_commit.author.name', 'HEAD_COMMIT_AUTHOR_NAME'],
  ['github.event.head_commit.committer.email', 'HEAD_COMMIT_COMMITTER_EMAIL'],
  ['github.event.head_commit.committer.name', 'HEAD_COMMIT_COMMITTER_NAME'],
  ['github.event.merge_group.head_commit.message', 'MERGE_GROUP_HEAD_COMMIT_MESSAGE'],
  ['github.event.merge_group.head_commit.author.email', 'MERGE_GROUP_HEAD_COMMIT_AUTHOR_EMAIL'],
  ['github.event.merge_group.head_commit.author.name', 'MERGE_GROUP_HEAD_COMMIT_AUTHOR_NAME'],
  ['github.event.workflow_run.head_branch', 'WORKFLOW_RUN_HEAD_BRANCH'],
  ['github.event.workflow_run.display_title', 'WORKFLOW_RUN_DISPLAY_TITLE'],
  ['github.event.workflow_run.head_commit.message', 'WORKFLOW_RUN_HEAD_COMMIT_MESSAGE'],
  ['github.event.workflow_run.head_commit.author.email', 'WORKFLOW_RUN_HEAD_COMMIT_AUTHOR_EMAIL'],
  ['github.event.workflow_run.head_commit.author.name', 'WORKFLOW_RUN_HEAD_COMMIT_AUTHOR_NAME'],
  ['github.event.workflow_run.head_commit.committer.email', 'WORKFLOW_RUN_HEAD_COMMIT_COMMITTER_EMAIL'],
  ['github.event.workflow_run.head_commit.committer.name', 'WORKFLOW_RUN_HEAD_COMMIT_COMMITTER_NAME'],
  ['github.event.workflow_run.head_repository.description', 'WORKFLOW_RUN_HEAD_REPOSITORY_DESCRIPTION'],
  ['github.event.workflow_run.pull_requests.*.head.ref', 'WORKFLOW_RUN_PR_HEAD_REF'],
];

/**
 * `inputs.*` of a reusable workflow (`workflow_call`) or of a composite
 * action: the caller decides the value and may pass any of the above.
 * @internal
 */
export const UNTRUSTED_CALLER_INPUTS = 'inputs.*';

/** What counts as untrusted where an expression is read. @internal */
export interface TrustOptions {
  /** Whether `inputs.*` are untrusted (reusable workflows and composite actions). */
  readonly untrustedInputs?: boolean;
  /**
   * More untrusted paths, found by following values through the workflow:
   * `env.<name>` holding untrusted text, `steps.<id>.outputs.<name>` written
   * from it, `needs.<job>.outputs.<name>`. Paths are lowercase.
   */
  readonly tainted?: ReadonlyArray<TaintedPath>;
}

/** A path that holds untrusted text, and the env name to move it into. @internal */
export interface TaintedPath {
  readonly path: readonly string[];
  readonly envName: string;
}

const PATTERNS = UNTRUSTED_INPUTS.map(([path, env]) => ({ path: path.split('.'), env }));
const INPUTS_PATTERN = { path: UNTRUSTED_CALLER_INPUTS.split('.'), env: '' };

/** What an expression reads that is untrusted. @internal */
export interface UntrustedRead {
  /** The property path read, lowercased (`*` for any key). */
  readonly path: string[];
  /** The env variable name slipway moves it to. */
  readonly envName: string;
}

/** The first untrusted value `node` can evaluate to, if any. @internal */
export function untrustedReadOf(node: ExpressionNode, options: TrustOptions = {}): UntrustedRead | undefined {
  switch (node.kind) {
    case 'literal':
      return undefined;
    case 'context':
    case 'member': {
      const path = contextPath(node);
      if (path) {
        const hit = matchPath(path, options);
        if (hit) return hit;
        // a dynamic index reads another path: a[b]
        for (let m: ExpressionNode = node; m.kind === 'member'; m = m.object) {
          const inner = m.index ? untrustedReadOf(m.index, options) : undefined;
          if (inner) return inner;
        }
        return undefined;
      }
      // a property of a computed value: fromJSON(x).y, (a || b).c
      const object = node.kind === 'member' ? untrustedReadOf(node.object, options) : undefined;
      return object ?? (node.kind === 'member' && node.index ? untrustedReadOf(node.index, options) : undefined);
    }
    case 'call':
      // these return booleans or a hash, never the text they read
      if (['contains', 'startswith', 'endswith', 'hashfiles', 'success', 'failure', 'always', 'cancelled'].includes(node.name)) return undefined;
      for (const arg of node.args) {
        const hit = untrustedReadOf(arg, options);
        if (hit) return hit;
      }
      return undefined;
    case 'not':
      return undefined;
    case 'binary':
      if (node.op !== '&&' && node.op !== '||') return undefined;
      return untrustedReadOf(node.left, options) ?? untrustedReadOf(node.right, options);
  }
}

/** Whether a lowercased context path (`github.event.pull_request.title`, `steps.s.outputs.o`) is untrusted. @internal */
export function untrustedPath(path: readonly string[], options: TrustOptions = {}): boolean {
  return matchPath([...path], options) !== undefined;
}

function matchPath(path: string[], options: TrustOptions): UntrustedRead | undefined {
  const patterns: Array<{ path: readonly string[]; env: string }> = options.untrustedInputs ? [...PATTERNS, INPUTS_PATTERN] : [...PATTERNS];
  for (const t of options.tainted ?? []) patterns.push({ path: t.path, env: t.envName });
  for (const p of patterns) {
    const n = Math.min(p.path.length, path.length);
    let same = true;
    for (let k = 0; k < n && same; k++) same = p.path[k] === '*' || path[k] === '*' || p.path[k] === path[k];
    if (!same) continue;
    const exact = p.env !== '' && p.path.length === path.length;
    return { path, envName: exact ? p.env : derivedEnvName(path) };
  }
  return undefined;
}

function derivedEnvName(path: string[]): string {
  let parts = path.filter((p) => p !== '*');
  let prefix = '';
  if (parts[0] === 'github' && parts[1] === 'event') {parts = parts.slice(2);} else if (parts[0] === 'github') {
    parts = parts.slice(1);
    prefix = 'GITHUB_';
  } else if (parts[0] === 'inputs') {
    parts = parts.slice(1);
    prefix = 'INPUT_';
  }
  if (parts.length === 0) return { github: path.length > 1 ? 'GITHUB_EVENT' : 'GITHUB_CONTEXT', inputs: 'INPUTS' }[path[0]] ?? 'UNTRUSTED';
  const name = prefix + parts.join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The env name of the first untrusted input an expression reads, if any. An
 * expression that does not parse counts as untrusted (`UNPARSED`): it cannot
 * be shown safe.
 * @internal
 */
export function untrustedInputOf(expression: string, options: TrustOptions = {}): string | undefined {
  let node: ExpressionNode;
  try {
    node = parseExpression(expression);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return 'UNPARSED';
    throw e;
  }
  return untrustedReadOf(node, options)?.envName;
}

/** The language a script is interpreted in. @internal */
export enum ScriptLanguage {
  POSIX = 'posix',
  POWERSHELL = 'powershell',
  JAVASCRIPT = 'javascript',
  CMD = 'cmd',
  OTHER = 'other',
}

/** The language of a `run:` step with this `shell:` value (undefined: the runner default, bash). @internal */
export function shellLanguage(shell: string | undefined): ScriptLanguage {
  if (shell === undefined) return ScriptLanguage.POSIX;
  const s = shell.trim().split(/\s+/)[0];
  if (s === 'bash' || s === 'sh') return ScriptLanguage.POSIX;
  if (s === 'pwsh' || s === 'powershell') return ScriptLanguage.POWERSHELL;
  if (s === 'cmd') return ScriptLanguage.CMD;
  return ScriptLanguage.OTHER;
}

/** An expression left in a script, and why. @internal */
export interface UnmovedExpression {
  /** The expression text (without `${{ }}`). */
  readonly expression: string;
  /** Why it was not moved, and what to do instead. */
  readonly reason: string;
}

/** The result of moving untrusted input out of a script. @internal */
export interface UntrustedRewrite {
  /** The script with the expressions replaced by variable references. */
  readonly script: string;
  /** Variables to add to the step's `env:`. */
  readonly env: { [name: string]: string };
  /** Expressions that could not be moved safely. */
  readonly unmoved: UnmovedExpression[];
}

interface Edit { start: number; end: number; text: string }

/**
 * Moves every `${{ }}` of `script` that reads untrusted input into env
 * variables, referenced in the way that means "this text, as data" where
 * the expression stood. `existingEnv` is the step's env: a variable already
 * holding the same expression is reused, a name taken by another value gets
 * a `_2`, `_3` suffix. Where no reference is correct (a quoted heredoc,
 * arithmetic, an unknown shell), the expression is left and reported.
 * @internal
 */
export function moveUntrustedInput(
  script: string, language: ScriptLanguage, existingEnv: { readonly [name: string]: string }, options: TrustOptions = {},
): UntrustedRewrite {
  const spans = expressionSpans(script);
  const env: { [name: string]: string } = {};
  const unmoved: UnmovedExpression[] = [];
  const tainted = spans.map((span) => untrustedInputOf(span.text, options));
  if (!tainted.some((t) => t !== undefined)) return { script, env, unmoved };

  const contexts: ScriptContext[] = language === ScriptLanguage.POSIX ? posixContexts(script, spans)
    : language === ScriptLanguage.POWERSHELL ? powershellContexts(script, spans)
      : language === ScriptLanguage.JAVASCRIPT ? javascriptContexts(script, spans)
        : spans.map(() => ({ kind: 'unknown' }));

  const edits: Edit[] = [];
  const literalEdits = new Map<number, LiteralEdit>();
  spans.forEach((span, k) => {
    const base = tainted[k];
    if (!base) return;
    if (base === 'UNPARSED') {
      unmoved.push({ expression: span.text, reason: 'does not parse as an expression, so slipway cannot tell whether it reads untrusted input; fix its syntax' });
      return;
    }
    const ctx = contexts[k];
    const refusal = refusalOf(language, ctx, base, span.text);
    if (refusal) {
      unmoved.push({ expression: span.text, reason: refusal });
      return;
    }
    const value = `\${{ ${span.text} }}`;
    const name = envNameFor(base, value, existingEnv, env);
    env[name] = value;
    if (ctx.kind === 'js-string') {
      const lit = literalEdits.get(ctx.start) ?? { start: ctx.start, end: ctx.end, parts: [] };
      lit.parts.push({ start: span.start, end: span.end, name });
      literalEdits.set(ctx.start, lit);
    } else {
      edits.push({ start: span.start, end: span.end, text: reference(language, ctx, name) });
    }
  });
  for (const lit of literalEdits.values()) edits.push({ start: lit.start, end: lit.end, text: javascriptConcatenation(script, lit) });
  edits.sort((a, b) => a.start - b.start);

  let out = '';
  let last = 0;
  for (const e of edits) {
    out += script.slice(last, e.start) + e.text;
    last = e.end;
  }
  out += script.slice(last);
  return { script: out, env, unmoved };
}

function refusalOf(language: ScriptLanguage, ctx: ScriptContext, name: string, expression: string): string | undefined {
  switch (ctx.kind) {
    case 'literal-heredoc':
      return language === ScriptLanguage.POWERSHELL
        ? `sits in a literal here-string (@'…'@), where nothing is expanded; use @"…"@ and slipway references $($env:${name}), or put the value in the step's env yourself`
        : `sits in a quoted here-document (<<'EOF'), where a variable is written literally; use an unquoted delimiter (<<EOF) and slipway writes \${${name}}, or print the value outside it with printf '%s' "$${name}" (with ${name}: \${{ ${expression} }} in the step's env)`;
    case 'arithmetic':
      return 'sits in shell arithmetic ($((…)) or ((…))), where the shell evaluates a variable\'s value as arithmetic again (and runs $(…) in array subscripts); put it in the step\'s env yourself, check it is a number, then compute';
    case 'escaped':
      return 'follows a backslash, which would escape the variable reference; remove the backslash';
    case 'single':
      if (language === ScriptLanguage.POWERSHELL) return `sits in a single-quoted PowerShell string, where nothing is expanded; use double quotes and slipway references $($env:${name}), or put the value in the step's env yourself`;
      return undefined;
    case 'unknown':
      return language === ScriptLanguage.POSIX || language === ScriptLanguage.POWERSHELL || language === ScriptLanguage.JAVASCRIPT
        ? 'sits where slipway cannot tell how the script quotes it; put it in the step\'s env yourself and read the variable'
        : 'is interpolated into a script in a language slipway cannot rewrite (it moves values for bash, sh, pwsh and github-script); put it in the step\'s env yourself and read the variable';
    default:
      return undefined;
  }
}

function reference(language: ScriptLanguage, ctx: ScriptContext, name: string): string {
  if (language === ScriptLanguage.POWERSHELL) return ctx.kind === 'double' ? `$($env:${name})` : `$env:${name}`;
  if (language === ScriptLanguage.JAVASCRIPT) return ctx.kind === 'template' ? `\${process.env.${name}}` : `process.env.${name}`;
  switch (ctx.kind) {
    case 'double':
    case 'heredoc':
      return `\${${name}}`;
    case 'single':
      return `'"$${name}"'`;
    case 'ansi':
      return `'"$${name}"$'`;
    default:
      return `"$${name}"`;
  }
}

/** A JavaScript string literal with moved expressions, as a concatenation: `('a ' + process.env.X + '!')`. */
interface LiteralEdit { start: number; end: number; parts: Array<{ start: number; end: number; name: string }> }

function javascriptConcatenation(script: string, lit: LiteralEdit): string {
  const quote = script[lit.start];
  const pieces: string[] = [];
  let at = lit.start + 1;
  for (const p of lit.parts.sort((a, b) => a.start - b.start)) {
    if (p.start > at) pieces.push(quote + script.slice(at, p.start) + quote);
    pieces.push(`process.env.${p.name}`);
    at = p.end;
  }
  if (lit.end - 1 > at) pieces.push(quote + script.slice(at, lit.end - 1) + quote);
  return pieces.length === 1 ? pieces[0] : `(${pieces.join(' + ')})`;
}

function envNameFor(base: string, value: string, existing: { readonly [name: string]: string }, added: { [name: string]: string }): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    const current = added[name] ?? existing[name];
    if (current === undefined || current === value) return name;
  }
}

/** Where a rendered step runs, for {@link secureStep}. @internal */
export interface StepSite {
  /** The shell of `run:` steps without `shell:` (from `defaults.run`). */
  readonly defaultShell?: string;
  /** Whether the runner may be Windows, where the default shell is pwsh. */
  readonly mayBeWindows: boolean;
  /** What counts as untrusted. */
  readonly trust: TrustOptions;
}

const GITHUB_SCRIPT = /^actions\/github-script@/i;

/**
 * Moves untrusted input out of the code of a rendered step (mutated): its
 * `run:` script, or the `script` input of `actions/github-script`. Problems
 * name the step (`step 2 ("Greet")`); the caller adds the construct path.
 * @internal
 */
export function secureStep(step: { [key: string]: unknown }, index: number, site: StepSite, problems: string[]): void {
  const describe = typeof step.id === 'string' ? `step "${step.id}"` : typeof step.name === 'string' ? `step ${index + 1} ("${step.name}")` : `step ${index + 1}`;
  const env = (step.env ?? {}) as { [name: string]: string };
  const list = (unmoved: UnmovedExpression[]) => unmoved.map((u) => `\${{ ${u.expression} }}`).join(', ');

  if (typeof step.run === 'string') {
    const shell = typeof step.shell === 'string' ? step.shell : site.defaultShell;
    if (shell === undefined && site.mayBeWindows) {
      // the script's shell is unknown (bash or pwsh): moving is only safe when the shell is fixed
      const rewrite = moveUntrustedInput(step.run, ScriptLanguage.OTHER, env, site.trust);
      if (rewrite.unmoved.length > 0) {
        problems.push(`${describe} interpolates untrusted input (${list(rewrite.unmoved)}) into its script, and its shell depends on the runner; set "shell" ("bash" or "pwsh") so slipway can move the value into env safely`);
      }
      return;
    }
    const language = shellLanguage(shell);
    const rewrite = moveUntrustedInput(step.run, language, env, site.trust);
    if (language === ScriptLanguage.OTHER || language === ScriptLanguage.CMD) {
      if (rewrite.unmoved.length > 0) {
        problems.push(`${describe} interpolates untrusted input (${list(rewrite.unmoved)}) into a "${shell}" script; slipway can only move it into env for bash, sh and pwsh. Put it in the step's env yourself and read the variable in the script`);
      }
      return;
    }
    for (const u of rewrite.unmoved) problems.push(`${describe} interpolates untrusted input (\${{ ${u.expression} }}) into its script, where it ${u.reason}`);
    apply(step, 'run', rewrite);
  }

  const uses = step.uses !== null && typeof step.uses === 'object' && 'value' in step.uses ? (step.uses as { value: unknown }).value : step.uses;
  const inputs = step.with as { [key: string]: unknown } | undefined;
  if (typeof uses === 'string' && GITHUB_SCRIPT.test(uses) && inputs && typeof inputs.script === 'string') {
    const rewrite = moveUntrustedInput(inputs.script, ScriptLanguage.JAVASCRIPT, env, site.trust);
    for (const u of rewrite.unmoved) problems.push(`${describe} interpolates untrusted input (\${{ ${u.expression} }}) into its github-script "script", where it ${u.reason}`);
    if (Object.keys(rewrite.env).length > 0) {
      step.with = { ...inputs, script: rewrite.script };
      step.env = { ...env, ...rewrite.env };
    }
  }
}

function apply(step: { [key: string]: unknown }, key: 'run', rewrite: UntrustedRewrite): void {
  if (Object.keys(rewrite.env).length === 0) return;
  step[key] = rewrite.script;
  step.env = { ...(step.env as object ?? {}), ...rewrite.env };
}

/** Whether a rendered `runs-on:` may pick a Windows runner. @internal */
export function mayRunOnWindows(runsOn: unknown): boolean {
  const labels = typeof runsOn === 'string' ? [runsOn] : Array.isArray(runsOn) ? runsOn.map(String) : [];
  return labels.length === 0 || labels.some((l) => /windows|\$\{\{/i.test(l));
}
