import { expressionSpans, stripLiterals } from './expression-scan';

/**
 * Context properties an outside contributor controls (a pull request title,
 * a branch name, a commit message...). Interpolated into a `run:` script they
 * become shell code. slipway moves each expression that reads one into the
 * step's `env:` and references the variable instead.
 *
 * The list follows GitHub's security hardening guide and actionlint's list of
 * untrusted inputs. `*` matches one array index or object key.
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections
 * @internal
 */
export const UNTRUSTED_INPUTS: ReadonlyArray<[pattern: string, envName: string]> = [
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
  ['github.event.pages.*.page_name', 'PAGE_NAME'],
  ['github.event.commits.*.message', 'COMMIT_MESSAGE'],
  ['github.event.commits.*.author.email', 'COMMIT_AUTHOR_EMAIL'],
  ['github.event.commits.*.author.name', 'COMMIT_AUTHOR_NAME'],
  ['github.event.head_commit.message', 'HEAD_COMMIT_MESSAGE'],
  ['github.event.head_commit.author.email', 'HEAD_COMMIT_AUTHOR_EMAIL'],
  ['github.event.head_commit.author.name', 'HEAD_COMMIT_AUTHOR_NAME'],
  ['github.event.head_commit.committer.email', 'HEAD_COMMIT_COMMITTER_EMAIL'],
  ['github.event.head_commit.committer.name', 'HEAD_COMMIT_COMMITTER_NAME'],
  ['github.event.workflow_run.head_branch', 'WORKFLOW_RUN_HEAD_BRANCH'],
  ['github.event.workflow_run.display_title', 'WORKFLOW_RUN_DISPLAY_TITLE'],
  ['github.event.workflow_run.head_commit.message', 'WORKFLOW_RUN_HEAD_COMMIT_MESSAGE'],
  ['github.event.workflow_run.head_commit.author.email', 'WORKFLOW_RUN_HEAD_COMMIT_AUTHOR_EMAIL'],
  ['github.event.workflow_run.head_commit.author.name', 'WORKFLOW_RUN_HEAD_COMMIT_AUTHOR_NAME'],
  ['github.event.workflow_run.pull_requests.*.head.ref', 'WORKFLOW_RUN_PR_HEAD_REF'],
];

const SEGMENT = String.raw`(?:\.[A-Za-z0-9_-]+|\[\s*(?:\d+|'[^']*'|\*)\s*\]|\.\*)`;

const MATCHERS: Array<[RegExp, string]> = UNTRUSTED_INPUTS.map(([pattern, env]) => {
  const body = pattern.split('.').map((part, i) => {
    if (part === '*') return SEGMENT;
    const escaped = part.replace(/[-_]/g, (c) => `\\${c}`);
    return i === 0 ? escaped : `\\.${escaped}`;
  }).join('');
  return [new RegExp(`(?<![A-Za-z0-9_.\\]-])${body}(?![A-Za-z0-9_-])`), env];
});

/** The env name of the first untrusted input an expression reads, if any. @internal */
export function untrustedInputOf(expression: string): string | undefined {
  const text = stripLiterals(expression).replace(/\s+/g, '');
  for (const [re, env] of MATCHERS) if (re.test(text)) return env;
  return undefined;
}

/** How a script refers to an environment variable. @internal */
export enum ShellKind {
  POSIX = 'posix',
  POWERSHELL = 'powershell',
  CMD = 'cmd',
  OTHER = 'other',
}

/** The shell family of a `shell:` value (undefined: the runner default, bash or pwsh). @internal */
export function shellKind(shell: string | undefined): ShellKind {
  if (shell === undefined) return ShellKind.POSIX;
  const s = shell.trim().split(/\s+/)[0];
  if (s === 'bash' || s === 'sh') return ShellKind.POSIX;
  if (s === 'pwsh' || s === 'powershell') return ShellKind.POWERSHELL;
  if (s === 'cmd') return ShellKind.CMD;
  return ShellKind.OTHER;
}

/** The result of moving untrusted input out of a script. @internal */
export interface UntrustedRewrite {
  /** The script with the expressions replaced by variable references. */
  readonly script: string;
  /** Variables to add to the step's `env:`. */
  readonly env: { [name: string]: string };
  /** Expressions that could not be moved safely (a shell other than bash, sh or pwsh; pwsh single quotes). */
  readonly unmoved: string[];
}

/**
 * Moves every `${{ }}` of `script` that reads untrusted input into env
 * variables. `existingEnv` is the step's env: a variable already holding the
 * same expression is reused, a name taken by another value gets a `_2`, `_3`
 * suffix.
 * @internal
 */
export function moveUntrustedInput(script: string, shell: string | undefined, existingEnv: { readonly [name: string]: string }): UntrustedRewrite {
  const spans = expressionSpans(script);
  const env: { [name: string]: string } = {};
  const unmoved: string[] = [];
  const kind = shellKind(shell);
  let out = '';
  let last = 0;
  for (const span of spans) {
    const base = untrustedInputOf(span.text);
    if (!base) continue;
    const quote = quoteStateAt(script, span.start, kind);
    if (kind === ShellKind.OTHER || kind === ShellKind.CMD || (kind === ShellKind.POWERSHELL && quote === 'single')) {
      unmoved.push(span.text);
      continue;
    }
    const value = `\${{ ${span.text} }}`;
    const name = envNameFor(base, value, existingEnv, env);
    env[name] = value;
    out += script.slice(last, span.start) + reference(kind, name, quote);
    last = span.end;
  }
  out += script.slice(last);
  return { script: out, env, unmoved };
}

function envNameFor(base: string, value: string, existing: { readonly [name: string]: string }, added: { [name: string]: string }): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    const current = added[name] ?? existing[name];
    if (current === undefined || current === value) return name;
  }
}

type Quote = 'none' | 'single' | 'double';

/** Whether offset `at` of a shell script is inside single or double quotes. */
function quoteStateAt(script: string, at: number, kind: ShellKind): Quote {
  let state: Quote = 'none';
  for (let i = 0; i < at; i++) {
    const c = script[i];
    if (state === 'single') {
      if (c === "'") {
        if (kind === ShellKind.POWERSHELL && script[i + 1] === "'") i++;
        else state = 'none';
      }
    } else if (state === 'double') {
      if (c === (kind === ShellKind.POWERSHELL ? '`' : '\\')) i++;
      else if (c === '"') state = 'none';
    } else if (c === (kind === ShellKind.POWERSHELL ? '`' : '\\')) {
      i++;
    } else if (c === "'") {
      state = 'single';
    } else if (c === '"') {
      state = 'double';
    } else if (c === '#' && kind === ShellKind.POSIX && (i === 0 || /\s/.test(script[i - 1]))) {
      const nl = script.indexOf('\n', i);
      if (nl < 0 || nl >= at) return 'none';
      i = nl;
    }
  }
  return state;
}

function reference(kind: ShellKind, name: string, quote: Quote): string {
  switch (kind) {
    case ShellKind.POWERSHELL:
      return quote === 'double' ? `$($env:${name})` : `$env:${name}`;
    default:
      if (quote === 'double') return `\${${name}}`;
      if (quote === 'single') return `'"\$${name}"'`;
      return `"\$${name}"`;
  }
}
