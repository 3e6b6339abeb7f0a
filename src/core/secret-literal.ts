/**
 * The one place that decides whether a string written into the definition is
 * a secret value given as a literal. Every field that reaches a generated
 * file asks it: workflow, job and step `env`, action `with:` inputs, `run:`
 * scripts (by value shape only), service containers, custom targets, the
 * application's env, chart values and Cloud Run env.
 *
 * Two rules:
 * - by name: a variable or input named like a secret (`*TOKEN*`, `*SECRET*`,
 *   `*PASSWORD*`, `DB_PASS`, `*API_KEY*`, `AWS_SECRET_ACCESS_KEY`, ...) whose
 *   value is a literal rather than a reference (`${{ secrets.X }}`,
 *   `${{ vars.X }}`, `$VAR`, a `SecretRef`);
 * - by value shape, anywhere: GitHub, Slack, Stripe, npm and GitLab tokens,
 *   AWS access keys, Google API keys, private keys, JWTs and URLs that carry
 *   a password.
 *
 * A value that only looks secret is let through with `NotASecret.value('...')`.
 */

/**
 * Marks a value that looks like a secret but is not one (a throwaway CI
 * database password, a documented test fixture), so that slipway's secret
 * literal check lets it through. The value itself is returned unchanged and
 * reaches the output as written.
 *
 * slipway refuses, in every field that reaches a generated file, literals
 * named like secrets (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*API_KEY*`, ...)
 * and values shaped like credentials (GitHub/Slack/Stripe tokens, AWS keys,
 * private keys, URLs with a password, ...). Wrap a value in
 * `NotASecret.value()` only when it is not a secret; real secrets belong in
 * `Secret.github('NAME')` / `${{ secrets.NAME }}` (workflows) or
 * `SecretRef.of(...)` (applications).
 *
 * @example
 * env: { SECRET_KEY: NotASecret.value('testing_secret_key') }
 */
export class NotASecret {
  /**
   * Declares `value` not a secret and returns it unchanged.
   * @param value the literal that only looks like a secret
   */
  public static value(value: string): string {
    if (typeof value !== 'string') throw new Error(`NotASecret.value() takes a string, got ${typeof value}`);
    DECLARED.add(value);
    return value;
  }

  /** Whether `value` was declared not a secret with `NotASecret.value()`. */
  public static isDeclared(value: string): boolean {
    return DECLARED.size > 0 && DECLARED.has(value);
  }

  private constructor() {}
}

const DECLARED = new Set<string>();

/**
 * Value shapes: each a pattern (global, for matchAll), what it is, and the
 * literal parts one of which any match contains (a text that holds none of
 * them is not searched with the pattern: most texts hold none).
 */
const SHAPES: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp; readonly anchor: (text: string) => boolean }> = [
  { what: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, anchor: has('PRIVATE KEY-----') },
  { what: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,}/g, anchor: has('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_') },
  { what: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/g, anchor: has('github_pat_') },
  { what: 'a Slack token', pattern: /(?<![A-Za-z0-9_])xox[abpr]-[A-Za-z0-9-]{10,}/g, anchor: has('xoxa-', 'xoxb-', 'xoxp-', 'xoxr-') },
  { what: 'a Slack webhook URL', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/g, anchor: has('hooks.slack.com/services/') },
  { what: 'a Stripe key', pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{16,}/g, anchor: has('k_live_') },
  { what: 'an AWS access key id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, anchor: has('AKIA', 'ASIA') },
  {
    what: 'an AWS secret access key',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi,
    anchor: (text) => /secret_?access/i.test(text),
  },
  { what: 'a Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, anchor: has('AIza') },
  { what: 'an npm token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, anchor: has('npm_') },
  { what: 'a GitLab token', pattern: /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/g, anchor: has('glpat-') },
  { what: 'a JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, anchor: has('eyJ') },
];

/** One of the shapes' literal parts (a superset: a text without one of them skips every shape). */
const ANY_ANCHOR = /PRIVATE KEY-----|gh[pousr]_|github_pat_|xox[abpr]-|hooks\.slack\.com\/services\/|k_live_|AKIA|ASIA|AIza|npm_|glpat-|eyJ/;
/** The AWS secret key's part, case ignored; its shape (name, `:` or `=`, 40 characters) is never shorter than 59. */
const AWS_ANCHOR = /secret_?access/i;
const AWS_SHORTEST = 'awssecretaccesskey:'.length + 40;

/** Whether a text contains one of these literal parts (case counts). */
function has(...parts: string[]): (text: string) => boolean {
  return (text) => parts.some((p) => text.includes(p));
}

/**
 * `scheme://user:password@host`, where the password is a literal (not `$VAR`,
 * `${{ }}`, `{placeholder}`, `<placeholder>`, `***`) and the host is not the
 * machine itself (a CI service container on `localhost` has a throwaway password).
 * Matched after each `://`: the scheme before it (the longest run of scheme
 * characters, from its first letter), the rest by this pattern.
 */
const AFTER_SCHEME = /[^/\s:@'"]+:([^/\s@'"]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])/y;

/** The URLs of a text that carry a user and a password: the scheme, the password and the host of each. */
function* urlsWithPasswords(text: string): Generator<{ scheme: string; password: string; host: string; match: string }> {
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && /[A-Za-z0-9+.-]/.test(text[start - 1])) start--;
    while (start < at && !/[A-Za-z]/.test(text[start])) start++;
    if (start === at) continue;
    AFTER_SCHEME.lastIndex = at + 3;
    const m = AFTER_SCHEME.exec(text);
    if (!m) continue;
    yield { scheme: text.slice(start, at), password: m[1], host: m[2], match: text.slice(start, at + 3) + m[0] };
  }
}

const LOCAL_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])$/i;

/** Words of a name that make it a secret's name. */
const SECRET_WORDS = new Set(['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASS', 'PASSPHRASE', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS']);
/** Pairs of words that make it a secret's name: `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`. */
const SECRET_PAIRS = new Set(['API KEY', 'PRIVATE KEY', 'ACCESS KEY', 'SECRET KEY', 'AUTH KEY', 'SIGNING KEY', 'ENCRYPTION KEY', 'CLIENT SECRET']);
/** A last word that makes the name describe a secret instead of holding one: `TOKEN_FILE`, `SECRET_NAME`, `TOKEN_URL`. */
const NOT_A_VALUE = new Set([
  'NAME', 'NAMES', 'FILE', 'PATH', 'DIR', 'ID', 'REF', 'URL', 'URI', 'ENDPOINT', 'HOST', 'TYPE', 'FORMAT', 'TTL', 'LIFETIME',
  'TIMEOUT', 'EXPIRY', 'EXPIRES', 'LENGTH', 'HEADER', 'FIELD', 'VAR', 'MOUNT', 'VERSION', 'PROVIDER', 'SCOPE', 'SCOPES', 'AUDIENCE',
  'ENABLED', 'REQUIRED', 'MODE', 'KIND', 'SOURCE', 'STORE', 'MANAGER', 'PREFIX', 'ROTATION', 'RENEWAL',
]);

/** The words of a name, upper case: `apiKey` and `api-key` both give `API KEY`. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 0);
}

/**
 * Whether `name` names a secret (`GITHUB_TOKEN`, `DB_PASS`, `apiKey`,
 * `AWS_SECRET_ACCESS_KEY`), and not something about one (`TOKEN_FILE`,
 * `SECRET_NAME`, `token-format`).
 * @internal
 */
export function namesASecret(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || NOT_A_VALUE.has(words[words.length - 1])) return false;
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i])) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${words[i]}`)) return true;
  }
  return false;
}

/**
 * Whether a value is a reference resolved elsewhere rather than a literal:
 * an expression (`${{ secrets.X }}`, `${{ vars.X }}`, or a text using one),
 * a shell or Kubernetes variable (`$X`, `${X}`, `$(X)`), a switch or number,
 * a file path, or empty.
 */
function isReference(value: string): boolean {
  const v = value.trim();
  return v === '' || v.includes('${{') || /^(?:\/|\.\/|~\/)\S*$/.test(v) || /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\}|\([A-Za-z_][A-Za-z0-9_]*\))$/.test(v)
    || /^(?:true|false|[0-9]+(?:\.[0-9]+)?[a-z]?)$/i.test(v);
}

/**
 * What secret-shaped text `text` holds, e.g. `a GitHub token (ghp_…)`, or
 * undefined. The description never includes the secret itself. Text
 * found inside a value declared with `NotASecret.value()` is let through,
 * so a declared value stays allowed inside a longer script.
 * @internal
 */
export function secretShapeIn(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const shapes = ANY_ANCHOR.test(text) || (text.length >= AWS_SHORTEST && AWS_ANCHOR.test(text));
  if ((!shapes && !text.includes('://')) || NotASecret.isDeclared(text)) return undefined;
  const declared = (found: string) => [...DECLARED].some((d) => d.includes(found));
  for (const s of shapes ? SHAPES : []) {
    if (!s.anchor(text)) continue;
    for (const m of text.matchAll(s.pattern)) {
      if (!declared(m[0])) return `${s.what} (${mask(m[0])})`;
    }
  }
  for (const u of urlsWithPasswords(text)) {
    if (/^[$<{%*]/.test(u.password) || LOCAL_HOST.test(u.host) || declared(u.match)) continue;
    // an image reference (docker://name:tag@sha256:…): a tag and a digest, not a user and a host
    if (u.scheme === 'docker' || /^sha(?:256|384|512)$/i.test(u.host)) continue;
    return `a URL with a password (${u.scheme}://…:****@…)`;
  }
  return undefined;
}

/**
 * Why `value`, given for `name`, is a secret written as a literal, or
 * undefined. The answer names the rule and never shows the value.
 * @param name the variable or input name; undefined for text that has none (a script)
 * @internal
 */
export function secretLiteralIn(name: string | undefined, value: string): string | undefined {
  if (typeof value !== 'string' || NotASecret.isDeclared(value)) return undefined;
  const shape = secretShapeIn(value);
  if (shape) return `the value looks like ${shape}`;
  if (name !== undefined && namesASecret(name) && !isReference(value)) {
    return `"${name}" names a secret and its value is a literal (${value.length} character${value.length === 1 ? '' : 's'})`;
  }
  return undefined;
}

/**
 * Whether a value reads a GitHub secret: `${{ secrets.X }}` anywhere in it.
 * Such a value is resolved only inside a workflow; written into a chart's
 * values or a Cloud Run spec it stays literal text.
 * @internal
 */
export function readsGithubSecret(value: string): boolean {
  return typeof value === 'string' && /\$\{\{[^}]*\bsecrets\s*(?:\.|\[)/.test(value);
}

/**
 * The fix to print after a secret literal found in a workflow field.
 * @internal
 */
export const WORKFLOW_SECRET_FIX = 'store it as a GitHub secret and read it with Secret.github(\'NAME\') / "${{ secrets.NAME }}"; '
  + 'if the value is not a secret, wrap it in NotASecret.value(\'...\')';

/**
 * The fix to print after a secret literal found in an application's env,
 * chart values or Cloud Run env.
 * @internal
 */
export const DEPLOYED_SECRET_FIX = 'reference a Kubernetes Secret / Secret Manager secret with secrets: { NAME: SecretRef.of(\'<secret-name>\', \'<key>\') }; '
  + 'if the value is not a secret, wrap it in NotASecret.value(\'...\')';

/** A masked token: its public prefix, then `…`. */
function mask(token: string): string {
  const prefix = /^(?:-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|github_pat_|gh[pousr]_|xox[abpr]-|hooks\.slack\.com\/services\/|(?:sk|rk)_live_|AKIA|ASIA|AIza|npm_|glpat-|eyJ|aws_?secret_?access_?key)/i.exec(token);
  return prefix ? `${prefix[0]}…` : '…';
}
