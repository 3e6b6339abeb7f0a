import * as YAML from 'yaml';
import { secretLiteralIn, secretShapeIn } from '../core/secret-literal';
import { Action } from '../github/actions/action';
import { Actions } from '../github/actions/actions';
import { isCommitSha, lockKey, Pin } from '../github/actions/lock-file';
import { Matrix } from '../github/matrix';
import { mayRunOnWindows, secureStep } from '../github/untrusted-input';

/**
 * Translates GitHub Actions workflow files into a level-1 slipway definition
 * (`Workflow`, `Job`, `Step`, `Trigger`, `Action`) that synthesizes back to
 * the same workflows under the same file names. Everything the typed API
 * expresses is written with it; anything else is kept exactly with
 * `addOverride` and listed. Pure: it reads the texts it is given and returns
 * the definition, the lock entries and the notes.
 */

/** One workflow file to import. */
export interface WorkflowSource {
  /** The file name, e.g. `ci.yml` (only its base name is used). */
  readonly fileName: string;
  /** The YAML text. */
  readonly text: string;
}

/** What `importWorkflows` produced. */
export interface ImportResult {
  /** The TypeScript definition. */
  readonly source: string;
  /** Lock entries for the actions the workflows pin to a commit SHA (`owner/repo@version`). */
  readonly pins: Map<string, Pin>;
  /**
   * Where the synthesized workflows differ from the originals (SHA pinning,
   * permissions, scripts slipway secures), and advice. One line each.
   */
  readonly differences: string[];
  /** Values kept with `addOverride` because the typed API does not express them. */
  readonly overrides: string[];
  /** Files whose workflow-level `permissions` were absent (slipway renders `contents: read`). */
  readonly defaultedPermissions: string[];
  /** Lock keys (`owner/repo@ref`) of the actions the workflows use by tag; synth pins them from a lock. */
  readonly unpinned: string[];
}

/** Props in order: [name, value] pairs, rendered as an object literal. */
class Pairs extends Array<[string, unknown]> {
  static fromPairs(items: Array<[string, unknown]>): Pairs {
    const p = new Pairs();
    p.push(...items);
    return p;
  }
}

/** A fragment of TypeScript code, emitted as is. */
class Code {
  constructor(readonly text: string) {}
}

/** Lines of a template literal must not be re-indented: each is marked with NOINDENT. */
const NOINDENT = '\u0000';

const SCOPES: { [wire: string]: string } = {
  'actions': 'actions',
  'artifact-metadata': 'artifactMetadata',
  'attestations': 'attestations',
  'checks': 'checks',
  'code-quality': 'codeQuality',
  'contents': 'contents',
  'copilot-requests': 'copilotRequests',
  'deployments': 'deployments',
  'discussions': 'discussions',
  'drives': 'drives',
  'id-token': 'idToken',
  'issues': 'issues',
  'models': 'models',
  'packages': 'packages',
  'pages': 'pages',
  'pull-requests': 'pullRequests',
  'repository-projects': 'repositoryProjects',
  'security-events': 'securityEvents',
  'statuses': 'statuses',
  'vulnerability-alerts': 'vulnerabilityAlerts',
};
const LEVELS: { [wire: string]: string } = { read: 'READ', write: 'WRITE', none: 'NONE' };
const RANK: { [level: string]: number } = { none: 0, read: 1, write: 2 };

/** How a `with:` value maps to a prop: s(tring), b(oolean), n(umber), l(ines), c(ommas), k(ey=value lines). */
type Transform = 's' | 'b' | 'n' | 'l' | 'c' | 'k';
interface CatalogEntry {
  readonly factory: 'checkout' | 'setupPython' | 'setupNode' | 'cache' | 'uploadArtifact' | 'downloadArtifact' | 'dockerLogin' | 'setupBuildx' | 'buildPush';
  readonly version: string;
  /** `with:` key -> "prop:transform". */
  readonly inputs: { [wire: string]: string };
}

/** The catalog factories import uses (at their default major), with how each `with:` key maps to a prop. */
const CATALOG: { [repository: string]: CatalogEntry } = {
  'actions/checkout': {
    factory: 'checkout',
    version: 'v5',
    inputs: {
      'repository': 'repository:s',
      'ref': 'ref:s',
      'token': 'token:s',
      'ssh-key': 'sshKey:s',
      'persist-credentials': 'persistCredentials:b',
      'path': 'path:s',
      'clean': 'clean:b',
      'filter': 'filter:s',
      'sparse-checkout': 'sparseCheckout:l',
      'fetch-depth': 'fetchDepth:n',
      'fetch-tags': 'fetchTags:b',
      'lfs': 'lfs:b',
      'submodules': 'submodules:s',
      'set-safe-directory': 'setSafeDirectory:b',
    },
  },
  'actions/setup-python': {
    factory: 'setupPython',
    version: 'v6',
    inputs: {
      'python-version': 'pythonVersion:s',
      'python-version-file': 'pythonVersionFile:s',
      'cache': 'cache:s',
      'cache-dependency-path': 'cacheDependencyPath:l',
      'architecture': 'architecture:s',
      'check-latest': 'checkLatest:b',
      'allow-prereleases': 'allowPrereleases:b',
      'update-environment': 'updateEnvironment:b',
    },
  },
  'actions/setup-node': {
    factory: 'setupNode',
    version: 'v6',
    inputs: {
      'node-version': 'nodeVersion:s',
      'node-version-file': 'nodeVersionFile:s',
      'cache': 'cache:s',
      'cache-dependency-path': 'cacheDependencyPath:l',
      'registry-url': 'registryUrl:s',
      'scope': 'scope:s',
      'architecture': 'architecture:s',
      'check-latest': 'checkLatest:b',
    },
  },
  'actions/cache': {
    factory: 'cache',
    version: 'v4',
    inputs: {
      'path': 'path:l',
      'key': 'key:s',
      'restore-keys': 'restoreKeys:l',
      'enableCrossOsArchive': 'enableCrossOsArchive:b',
      'fail-on-cache-miss': 'failOnCacheMiss:b',
      'lookup-only': 'lookupOnly:b',
    },
  },
  'actions/upload-artifact': {
    factory: 'uploadArtifact',
    version: 'v5',
    inputs: {
      'name': 'name:s',
      'path': 'path:l',
      'if-no-files-found': 'ifNoFilesFound:s',
      'retention-days': 'retentionDays:n',
      'compression-level': 'compressionLevel:n',
      'overwrite': 'overwrite:b',
      'include-hidden-files': 'includeHiddenFiles:b',
    },
  },
  'actions/download-artifact': {
    factory: 'downloadArtifact',
    version: 'v5',
    inputs: {
      'name': 'name:s',
      'path': 'path:s',
      'pattern': 'pattern:s',
      'merge-multiple': 'mergeMultiple:b',
      'github-token': 'githubToken:s',
      'repository': 'repository:s',
      'run-id': 'runId:s',
    },
  },
  'docker/login-action': {
    factory: 'dockerLogin',
    version: 'v3',
    inputs: {
      registry: 'registry:s', username: 'username:s', password: 'password:s', ecr: 'ecr:s', logout: 'logout:b',
    },
  },
  'docker/setup-buildx-action': {
    factory: 'setupBuildx',
    version: 'v3',
    inputs: {
      'version': 'version:s',
      'driver': 'driver:s',
      'driver-opts': 'driverOpts:l',
      'buildkitd-flags': 'buildkitdFlags:s',
      'buildkitd-config-inline': 'buildkitdConfigInline:s',
      'platforms': 'platforms:c',
      'use': 'use:b',
      'name': 'name:s',
      'cleanup': 'cleanup:b',
    },
  },
  'docker/build-push-action': {
    factory: 'buildPush',
    version: 'v6',
    inputs: {
      'context': 'context:s',
      'file': 'file:s',
      'push': 'push:b',
      'load': 'load:b',
      'tags': 'tags:l',
      'build-args': 'buildArgs:k',
      'labels': 'labels:k',
      'platforms': 'platforms:c',
      'cache-from': 'cacheFrom:l',
      'cache-to': 'cacheTo:l',
      'target': 'target:s',
      'secrets': 'secrets:l',
      'provenance': 'provenance:s',
      'sbom': 'sbom:s',
      'pull': 'pull:b',
      'no-cache': 'noCache:b',
      'outputs': 'outputs:l',
    },
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Imports workflow files. Throws an Error naming the file when one is not a workflow. */
export function importWorkflows(sources: readonly WorkflowSource[]): ImportResult {
  const gen = new Generator(sources);
  return gen.run();
}

interface ParsedWorkflow {
  readonly fileName: string;
  readonly id: string;
  readonly variable: string;
  readonly doc: Obj;
  /** `uses:` value -> its trailing comment (the version of a SHA pin). */
  readonly comments: Map<string, string>;
}

class Generator {
  private readonly pins = new Map<string, Pin>();
  private readonly differences: string[] = [];
  private readonly overrides: string[] = [];
  private readonly defaultedPermissions: string[] = [];
  private readonly unpinned = new Set<string>();
  private readonly imports = new Set<string>(['App', 'Workflow']);
  private readonly workflows: ParsedWorkflow[];
  private dependabot?: { readonly fileName: string; readonly doc: Obj };

  constructor(sources: readonly WorkflowSource[]) {
    const used = new Set(['app']);
    const ids = new Set<string>();
    this.workflows = sources.map((s) => {
      const fileName = s.fileName.split(/[\\/]/).pop()!;
      if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(fileName)) throw new Error(`${s.fileName}: a workflow file name must end in .yml or .yaml`);
      const id = fileName.replace(/\.ya?ml$/, '');
      if (ids.has(id)) throw new Error(`${s.fileName}: a workflow named "${id}" is imported twice; import each file once`);
      ids.add(id);
      const parsed = YAML.parseDocument(s.text, { uniqueKeys: true });
      if (parsed.errors.length > 0) throw new Error(`${s.fileName}: not valid YAML: ${parsed.errors[0].message}`);
      const doc = parsed.toJS({ maxAliasCount: -1 }) as unknown;
      if (isObj(doc) && doc.version === 2 && Array.isArray(doc.updates) && doc.on === undefined) {
        if (this.dependabot) throw new Error(`${s.fileName}: a second Dependabot configuration; a repository has one (.github/dependabot.yml)`);
        this.dependabot = { fileName, doc };
        return undefined;
      }
      if (!isObj(doc) || doc.on === undefined || !isObj(doc.jobs)) {
        throw new Error(`${s.fileName}: not a GitHub Actions workflow (it needs "on:" and "jobs:") nor a Dependabot configuration (version: 2, updates:); import reads files of .github/workflows/ and .github/dependabot.yml`);
      }
      const comments = new Map<string, string>();
      YAML.visit(parsed, {
        Pair(_, pair) {
          const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
          if (key === 'uses' && YAML.isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.comment) {
            comments.set(pair.value.value, pair.value.comment.trim());
          }
        },
      });
      return { fileName, id, variable: variableName(id, used), doc, comments };
    }).filter((w): w is ParsedWorkflow => w !== undefined);
  }

  public run(): ImportResult {
    const body: string[] = [];
    for (const w of this.workflows) body.push(this.workflow(w));
    if (this.dependabot) body.push(this.dependabotConfig(this.dependabot.fileName, this.dependabot.doc));
    const unpinned = new Set<string>();
    for (const u of this.unpinned) {
      const ref = u.slice(u.indexOf(': ') + 2);
      const key = lockKey(ref.slice(0, ref.lastIndexOf('@')), ref.slice(ref.lastIndexOf('@') + 1));
      unpinned.add(key);
      this.differences.push(`${u} is not pinned to a commit SHA; the synthesized file pins it from slipway.lock.json or slipway's catalog lock (if synth says it is not pinned, run \`npx slipway pin ${key}\`)`);
    }
    const imports = [...this.imports].sort();
    const lines = [
      '// Imported by `slipway import` from GitHub Actions workflows. `npx slipway synth` writes them back.',
      `import { ${imports.join(', ')} } from 'slipway';`,
      '',
      'const app = new App();',
      '',
      ...body,
      'app.synth();',
      '',
    ];
    const source = lines.join('\n').replace(/\n\n\n+/g, '\n\n').split(NOINDENT).join('');
    return {
      source,
      pins: this.pins,
      differences: this.differences,
      overrides: this.overrides,
      defaultedPermissions: this.defaultedPermissions,
      unpinned: [...unpinned].sort(),
    };
  }

  /**
   * `.github/dependabot.yml` as the `Dependabot` construct. It has no escape
   * hatch, so a configuration with settings it does not model is refused,
   * naming them (keep that file hand-written).
   */
  private dependabotConfig(fileName: string, doc: Obj): string {
    const ecosystems: { [wire: string]: string } = {
      'github-actions': 'GITHUB_ACTIONS', 'pip': 'PIP', 'uv': 'UV', 'npm': 'NPM', 'docker': 'DOCKER', 'terraform': 'TERRAFORM', 'helm': 'HELM',
    };
    const intervals: { [wire: string]: string } = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY' };
    const problems: string[] = [];
    for (const key of Object.keys(doc)) if (key !== 'version' && key !== 'updates') problems.push(`"${key}"`);
    const updates = (doc.updates as Json[]).map((u, i) => {
      const where = `updates[${i}]`;
      if (!isObj(u)) {
        problems.push(where);
        return undefined;
      }
      for (const key of Object.keys(u)) {
        if (!['package-ecosystem', 'directory', 'schedule', 'labels', 'groups', 'open-pull-requests-limit'].includes(key)) problems.push(`${where}.${key}`);
      }
      const eco = String(u['package-ecosystem']);
      if (!(eco in ecosystems)) problems.push(`${where}.package-ecosystem "${eco}"`);
      const schedule = u.schedule;
      if (!isObj(schedule) || Object.keys(schedule).some((k) => k !== 'interval') || !(String(schedule.interval) in intervals)) problems.push(`${where}.schedule`);
      const groups = u.groups;
      const grouped = isObj(groups) && Object.keys(groups).length === 1 && JSON.stringify(groups[`${eco}-minor-and-patch`]) === '{"update-types":["minor","patch"]}';
      if (groups !== undefined && !grouped) problems.push(`${where}.groups (only "${eco}-minor-and-patch" with update-types minor and patch is modelled)`);
      const labels = u.labels;
      if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string'))) problems.push(`${where}.labels`);
      const limit = u['open-pull-requests-limit'];
      if (limit !== undefined && typeof limit !== 'number') problems.push(`${where}.open-pull-requests-limit`);
      const o = new Pairs();
      o.push(['ecosystem', new Code(`DependabotEcosystem.${ecosystems[eco]}`)]);
      if (u.directory !== undefined && u.directory !== '/') o.push(['directory', String(u.directory)]);
      if (isObj(schedule) && schedule.interval !== 'weekly') o.push(['interval', new Code(`DependabotInterval.${intervals[String(schedule.interval)]}`)]);
      if (labels !== undefined) o.push(['labels', labels]);
      if (grouped) o.push(['groupMinorAndPatch', true]);
      if (limit !== undefined) o.push(['openPullRequestsLimit', limit]);
      return o;
    });
    if (problems.length > 0) {
      throw new Error(`${fileName}: the Dependabot construct does not model ${problems.join(', ')}; import the workflows without ${fileName} and keep it hand-written`);
    }
    if (fileName !== 'dependabot.yml') this.differences.push(`${fileName}: slipway writes it as .github/dependabot.yml`);
    this.use('Dependabot', 'DependabotEcosystem');
    if (updates.some((u) => u!.some(([k]) => k === 'interval'))) this.use('DependabotInterval');
    return `// .github/${fileName}\nnew Dependabot(app, 'dependabot', ${lit(Pairs.fromPairs([['githubActions', false], ['updates', updates]]), '')});\n\n`;
  }

  private use(...names: string[]): void {
    for (const n of names) this.imports.add(n);
  }

  private workflow(w: ParsedWorkflow): string {
    const d = w.doc;
    const out: string[] = [`// .github/workflows/${w.fileName}`];
    const overrides: string[] = [];
    const override = (path: string[], value: Json | undefined, why: string) => {
      const p = path.map((s) => s.replace(/\./g, '\\.')).join('.');
      overrides.push(value === undefined ? `${w.variable}.addDeletionOverride(${str(p)});` : `${w.variable}.addOverride(${str(p)}, ${lit(value, '')});`);
      this.overrides.push(`${w.fileName}: ${p} (${why})`);
    };
    this.use('Trigger');
    const props: Pairs = new Pairs();
    if (d.name !== undefined) props.push(['name', String(d.name)]);
    if (typeof d.description === 'string') props.push(['description', d.description]);
    if (d['run-name'] !== undefined) props.push(['runName', String(d['run-name'])]);
    props.push(['triggers', this.triggers(d.on, override)]);

    const wfPermissions = d.permissions;
    if (wfPermissions === undefined) {
      this.defaultedPermissions.push(w.fileName);
      this.differences.push(`${w.fileName}: the workflow sets no "permissions" (the token gets the repository's default scopes); slipway renders "permissions: contents: read". Jobs that need more must say so`);
    } else {
      const p = this.permissions(wfPermissions);
      if (p) props.push(['permissions', p]);
      else override(['permissions'], wfPermissions, 'permissions as a single level');
    }
    if (d.env !== undefined) props.push(['env', this.env(d.env, ['env'], override)]);
    if (d.defaults !== undefined) props.push(['defaults', this.defaults(d.defaults, ['defaults'], override)]);
    if (d.concurrency !== undefined) props.push(['concurrency', this.concurrency(d.concurrency, ['concurrency'], override)]);
    if (!w.fileName.endsWith('.yml')) props.push(['fileName', w.fileName]);
    for (const key of Object.keys(d)) {
      if (!['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'].includes(key)
        && !(key === 'description' && typeof d.description === 'string')) override([key], d[key], 'not modelled');
    }
    out.push(`const ${w.variable} = new Workflow(app, ${str(w.id)}, ${lit(props, '')});`);
    for (const [id, job] of Object.entries(d.jobs as Obj)) {
      out.push('', this.job(w, id, job, override));
    }
    if (overrides.length > 0) out.push('', ...overrides);
    out.push('', '');
    return out.join('\n');
  }

  private triggers(on: Json, override: (path: string[], value: Json | undefined, why: string) => void): Code[] {
    const events: Obj = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((e) => [String(e), null])) : isObj(on) ? on : {};
    const out: Code[] = [];
    for (const [event, raw] of Object.entries(events)) {
      const config = raw === null ? {} : raw;
      const typed = this.trigger(event, config);
      if (typed) {
        out.push(...typed);
        continue;
      }
      // kept exactly: the factory renders the event, the override its configuration
      const bare: { [event: string]: string } = {
        push: 'Trigger.push()',
        pull_request: 'Trigger.pullRequest()',
        pull_request_target: 'Trigger.pullRequestTarget()',
        workflow_dispatch: 'Trigger.workflowDispatch()',
        workflow_call: 'Trigger.workflowCall()',
        schedule: 'Trigger.schedule(\'0 0 * * *\')',
      };
      out.push(new Code(bare[event] ?? `Trigger.event(${str(event)})`));
      override(['on', event], config, `"${event}" configuration the typed trigger does not express`);
    }
    return out;
  }

  /** The typed trigger(s) of one event, or undefined when its configuration does not fit them. */
  private trigger(event: string, c: Json): Code[] | undefined {
    const typed = ['push', 'pull_request', 'pull_request_target', 'schedule', 'workflow_dispatch', 'workflow_call'];
    if (event === 'schedule') {
      const entry = (e: Json) => isObj(e) && typeof e.cron === 'string'
        && Object.keys(e).every((k) => k === 'cron' || (k === 'timezone' && typeof e.timezone === 'string'));
      if (!Array.isArray(c) || !c.every(entry)) return undefined;
      return c.map((e) => {
        const { cron, timezone } = e as { cron: string; timezone?: string };
        return new Code(`Trigger.schedule(${str(cron)}${timezone === undefined ? '' : `, ${lit({ timezone }, '')}`})`);
      });
    }
    if (!isObj(c)) return undefined;
    const filters = (keys: string[]) => {
      const o: Pairs = new Pairs();
      for (const [k, v] of Object.entries(c)) {
        if (!keys.includes(k) || !Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
        o.push([camel(k), v]);
      }
      return o;
    };
    const call = (factory: string, o: Pairs | undefined) => (o === undefined ? undefined
      : [new Code(`Trigger.${factory}(${o.length ? lit(o, '') : ''})`)]);
    switch (event) {
      case 'push': return call('push', filters(['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore']));
      case 'pull_request': return call('pullRequest', filters(['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore']));
      case 'pull_request_target': return call('pullRequestTarget', filters(['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore']));
      case 'release': return call('release', filters(['types']));
      case 'repository_dispatch': return call('repositoryDispatch', filters(['types']));
      case 'merge_group': return call('mergeGroup', filters(['types', 'branches', 'branches-ignore']));
      case 'image_version': return call('imageVersion', filters(['types', 'names', 'versions']));
      case 'workflow_run': {
        const o = filters(['workflows', 'types', 'branches', 'branches-ignore']);
        return o && Array.isArray(c.workflows) ? call('workflowRun', o) : undefined;
      }
      case 'workflow_dispatch': return this.dispatch(c);
      case 'workflow_call': return this.workflowCall(c);
      default:
        return typed.includes(event) ? undefined : [new Code(`Trigger.event(${str(event)}${Object.keys(c).length ? `, ${lit(c, '')}` : ''})`)];
    }
  }

  private dispatch(c: Obj): Code[] | undefined {
    if (Object.keys(c).some((k) => k !== 'inputs')) return undefined;
    if (c.inputs === undefined || c.inputs === null) return [new Code('Trigger.workflowDispatch()')];
    if (!isObj(c.inputs)) return undefined;
    const inputs: Pairs = new Pairs();
    for (const [name, raw] of Object.entries(c.inputs)) {
      const i = raw === null ? {} : raw;
      if (!isObj(i) || Object.keys(i).some((k) => !['description', 'required', 'default', 'type', 'options'].includes(k))) return undefined;
      const type = i.type ?? 'string';
      const opts = inputOptions(i, type === 'boolean' ? 'boolean' : type === 'number' ? 'number' : 'string');
      if (!opts) return undefined;
      if (type === 'choice') {
        if (!Array.isArray(i.options) || !i.options.every((o) => typeof o === 'string')) return undefined;
        inputs.push([name, new Code(`DispatchInput.choice(${lit(i.options, '')}${opts.length ? `, ${lit(opts, '')}` : ''})`)]);
      } else if (['string', 'boolean', 'number', 'environment'].includes(String(type)) && i.options === undefined) {
        inputs.push([name, new Code(`DispatchInput.${type}(${opts.length ? lit(opts, '') : ''})`)]);
      } else {
        return undefined;
      }
    }
    this.use('DispatchInput');
    return [new Code(`Trigger.workflowDispatch(${lit(Pairs.fromPairs([['inputs', inputs]]), '')})`)];
  }

  private workflowCall(c: Obj): Code[] | undefined {
    if (Object.keys(c).some((k) => !['inputs', 'outputs', 'secrets'].includes(k))) return undefined;
    const o: Pairs = new Pairs();
    if (c.inputs !== undefined && c.inputs !== null) {
      if (!isObj(c.inputs)) return undefined;
      const inputs: Pairs = new Pairs();
      for (const [name, i] of Object.entries(c.inputs)) {
        if (!isObj(i) || !['string', 'boolean', 'number'].includes(String(i.type))) return undefined;
        if (Object.keys(i).some((k) => !['description', 'required', 'default', 'type'].includes(k))) return undefined;
        const opts = inputOptions(i, i.type as string);
        if (!opts) return undefined;
        inputs.push([name, new Code(`WorkflowCallInput.${i.type}(${opts.length ? lit(opts, '') : ''})`)]);
      }
      this.use('WorkflowCallInput');
      o.push(['inputs', inputs]);
    }
    for (const key of ['outputs', 'secrets']) {
      const m = c[key];
      if (m === undefined || m === null) continue;
      if (!isObj(m)) return undefined;
      const allowed = key === 'outputs' ? ['description', 'value'] : ['description', 'required'];
      for (const v of Object.values(m)) {
        const e = v === null ? {} : v;
        if (!isObj(e) || Object.keys(e).some((k) => !allowed.includes(k))) return undefined;
        if (key === 'outputs' && typeof e.value !== 'string') return undefined;
        if (e.description !== undefined && typeof e.description !== 'string') return undefined;
        if (e.required !== undefined && typeof e.required !== 'boolean') return undefined;
      }
      o.push([key, Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null ? {} : v]))]);
    }
    return [new Code(`Trigger.workflowCall(${o.length ? lit(o, '') : ''})`)];
  }

  /** JobPermissions, or undefined when the value is `read-all`/`write-all` or names an unknown scope. */
  private permissions(p: Json): Code | undefined {
    if (!isObj(p)) return undefined;
    const o: string[] = [];
    for (const [scope, level] of Object.entries(p)) {
      if (!(scope in SCOPES) || typeof level !== 'string' || !(level in LEVELS)) return undefined;
      o.push(`${SCOPES[scope]}: PermissionLevel.${LEVELS[level]}`);
    }
    if (o.length) this.use('PermissionLevel');
    return new Code(o.length ? `{ ${o.join(', ')} }` : '{}');
  }

  private env(e: Json, path: string[], override: (path: string[], value: Json | undefined, why: string) => void): unknown {
    if (!isObj(e)) {
      override(path, e, 'an expression in place of a map');
      return undefined;
    }
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, this.envValue(k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))]));
  }

  /**
   * An env value as code. A literal under a secret's name (`POSTGRES_PASSWORD: postgres`,
   * a test `SECRET_KEY`), which synth refuses, is kept as `NotASecret.value(...)` and listed, so
   * that the definition synthesizes back to the workflow while the choice stays visible; a
   * value shaped like a real credential is kept as it is (synth refuses it) and listed with the fix.
   */
  private envValue(name: string, value: string): string | Code {
    const problem = secretLiteralIn(name, value);
    if (problem === undefined) return value;
    if (secretShapeIn(value) !== undefined) {
      this.differences.push(`env ${name}: the value looks like a real credential (${problem}); synth refuses it until it is a GitHub secret: \${{ secrets.${name} }}`);
      return value;
    }
    this.imports.add('NotASecret');
    this.differences.push(`env ${name}: a literal under a secret's name is kept as NotASecret.value(...); if it is a real secret, store it as a GitHub secret and read \${{ secrets.${name} }} instead`);
    return new Code(`NotASecret.value(${str(value)})`);
  }

  private defaults(d: Json, path: string[], override: (path: string[], value: Json | undefined, why: string) => void): unknown {
    const run = isObj(d) && isObj(d.run) ? d.run : undefined;
    if (!run || Object.keys(d as Obj).length !== 1 || Object.keys(run).some((k) => !['shell', 'working-directory'].includes(k))) {
      override(path, d, 'defaults other than run.shell / run.working-directory');
      return undefined;
    }
    return Object.fromEntries(Object.entries(run).map(([k, v]) => [camel(k), String(v)]));
  }

  private concurrency(c: Json, path: string[], override: (path: string[], value: Json | undefined, why: string) => void): unknown {
    if (typeof c === 'string') return { group: c };
    const queues: { [wire: string]: string } = { single: 'SINGLE', max: 'MAX' };
    if (isObj(c) && typeof c.group === 'string' && Object.keys(c).every((k) => ['group', 'cancel-in-progress', 'queue'].includes(k))
      && (c.queue === undefined || String(c.queue) in queues)) {
      const o: Pairs = Pairs.fromPairs([['group', c.group]]);
      if (typeof c['cancel-in-progress'] === 'boolean') o.push(['cancelInProgress', c['cancel-in-progress']]);
      else if (c['cancel-in-progress'] !== undefined) override([...path, 'cancel-in-progress'], c['cancel-in-progress'], 'cancel-in-progress as an expression');
      if (c.queue !== undefined) {
        this.use('ConcurrencyQueue');
        o.push(['queue', new Code(`ConcurrencyQueue.${queues[String(c.queue)]}`)]);
      }
      return o;
    }
    override(path, c, 'concurrency the typed props do not express');
    return undefined;
  }

  private job(w: ParsedWorkflow, id: string, job: Json, wfOverride: (path: string[], value: Json | undefined, why: string) => void): string {
    const override = (path: string[], value: Json | undefined, why: string) => wfOverride(['jobs', id, ...path], value, why);
    if (!isObj(job)) {
      override([], job, 'not a job mapping');
      return '';
    }
    const props: Pairs = new Pairs();
    const handled = new Set(['name', 'needs', 'if', 'permissions', 'concurrency', 'strategy']);
    if (job.name !== undefined) props.push(['name', String(job.name)]);
    if (job.needs !== undefined) {
      const needs = Array.isArray(job.needs) ? job.needs.map(String) : [String(job.needs)];
      for (const n of needs.filter((x) => !(x in (w.doc.jobs as Obj)))) {
        this.differences.push(`${w.fileName}: job "${id}" needs "${n}", which is not a job of this workflow: GitHub rejects the file as it is, and synth does too. Fix or remove the need`);
      }
      props.push(['needs', needs]);
    }
    if (job.if !== undefined) props.push(['if', String(job.if)]);
    if (job.permissions !== undefined) {
      const p = this.permissions(job.permissions);
      if (p) props.push(['permissions', p]);
      else override(['permissions'], job.permissions, 'permissions as a single level');
    }
    if (job.concurrency !== undefined) props.push(['concurrency', this.concurrency(job.concurrency, ['concurrency'], override)]);
    if (job.strategy !== undefined) {
      const s = this.strategy(`${w.fileName}: job "${id}"`, job.strategy, override);
      if (s) props.push(['strategy', s]);
    }

    if (typeof job.uses === 'string') {
      handled.add('uses').add('with').add('secrets');
      const target = this.workflows.find((o) => job.uses === `./.github/workflows/${o.fileName}`);
      props.push(['uses', target ? new Code(`${target.variable}.localReference`) : job.uses]);
      if (job.with !== undefined) props.push(['with', job.with]);
      if (job.secrets === 'inherit') props.push(['inheritSecrets', true]);
      else if (isObj(job.secrets)) props.push(['secrets', this.env(job.secrets, ['secrets'], override)]);
      else if (job.secrets !== undefined) override(['secrets'], job.secrets, 'secrets');
      for (const key of Object.keys(job)) if (!handled.has(key)) override([key], job[key], 'not modelled for reusable-workflow jobs');
      return `${w.variable}.addReusableWorkflowJob(${str(id)}, ${lit(props, '')});`;
    }

    for (const k of ['runs-on', 'environment', 'outputs', 'env', 'defaults', 'timeout-minutes', 'cancel-timeout-minutes', 'continue-on-error', 'container', 'services', 'steps', 'snapshot']) handled.add(k);
    const runsOn = job['runs-on'];
    if (typeof runsOn === 'string') {
      if (runsOn !== 'ubuntu-latest') {
        this.use('RunsOn');
        const constant = { 'windows-latest': 'WINDOWS_LATEST', 'macos-latest': 'MACOS_LATEST' }[runsOn];
        props.push(['runsOn', new Code(constant ? `RunsOn.${constant}` : `RunsOn.label(${str(runsOn)})`)]);
      }
    } else if (Array.isArray(runsOn) && runsOn.length > 0 && runsOn.every((l) => typeof l === 'string')) {
      this.use('RunsOn');
      props.push(['runsOn', new Code(`RunsOn.labels(${lit(runsOn, '')})`)]);
    } else if (isObj(runsOn) && typeof runsOn.group === 'string' && Object.keys(runsOn).every((k) => ['group', 'labels'].includes(k))
      && (runsOn.labels === undefined || typeof runsOn.labels === 'string' || (Array.isArray(runsOn.labels) && runsOn.labels.length > 1))) {
      this.use('RunsOn');
      const labels = runsOn.labels === undefined ? undefined : typeof runsOn.labels === 'string' ? [runsOn.labels] : runsOn.labels;
      props.push(['runsOn', new Code(`RunsOn.group(${str(runsOn.group)}${labels ? `, ${lit(labels, '')}` : ''})`)]);
    } else {
      override(['runs-on'], runsOn ?? undefined as unknown as Json, 'runs-on the typed RunsOn does not express');
    }
    const env = job.environment;
    if (typeof env === 'string') props.push(['environment', { name: env }]);
    else if (isObj(env) && typeof env.name === 'string' && Object.keys(env).every((k) => ['name', 'url', 'deployment'].includes(k))
      && (env.url === undefined || typeof env.url === 'string') && (env.deployment === undefined || typeof env.deployment === 'boolean')) props.push(['environment', env]);
    else if (env !== undefined) override(['environment'], env, 'environment');
    if (job.outputs !== undefined) props.push(['outputs', this.env(job.outputs, ['outputs'], override)]);
    if (job.env !== undefined) props.push(['env', this.env(job.env, ['env'], override)]);
    if (job.defaults !== undefined) props.push(['defaults', this.defaults(job.defaults, ['defaults'], override)]);
    this.timing(job, props, override);
    const cancel = job['cancel-timeout-minutes'];
    if (typeof cancel === 'number' && Number.isInteger(cancel) && cancel > 0) {
      this.use('Duration');
      props.push(['cancelTimeout', new Code(`Duration.minutes(${cancel})`)]);
    } else if (cancel !== undefined) {
      override(['cancel-timeout-minutes'], cancel, 'cancel-timeout-minutes as an expression');
    }
    const snapshot = job.snapshot;
    if (typeof snapshot === 'string' && snapshot.trim() !== '') {
      props.push(['snapshot', { imageName: snapshot }]);
    } else if (isObj(snapshot) && typeof snapshot['image-name'] === 'string' && Object.keys(snapshot).every((k) => ['image-name', 'version', 'if'].includes(k))
      && ['version', 'if'].every((k) => snapshot[k] === undefined || typeof snapshot[k] === 'string')) {
      props.push(['snapshot', Pairs.fromPairs([['imageName', snapshot['image-name']], ['version', snapshot.version], ['if', snapshot.if]])]);
    } else if (snapshot !== undefined) {
      override(['snapshot'], snapshot, 'snapshot');
    }
    if (job.container !== undefined) {
      const c = this.container(job.container, false);
      if (c) props.push(['container', c]);
      else override(['container'], job.container, 'container');
    }
    if (isObj(job.services)) {
      const services: Pairs = new Pairs();
      for (const [sid, s] of Object.entries(job.services)) {
        const c = this.container(s, true);
        if (c) services.push([sid, c]);
        else override(['services', sid], s, 'service');
      }
      if (services.length) props.push(['services', services]);
    } else if (job.services !== undefined) {
      override(['services'], job.services, 'services');
    }
    const effective = (job.permissions ?? w.doc.permissions ?? { contents: 'read' }) as Json;
    if (Array.isArray(job.steps)) {
      const site = { defaultShell: shellOf(job.defaults) ?? shellOf(w.doc.defaults), mayBeWindows: mayRunOnWindows(runsOn), trust: { untrustedInputs: isObj(w.doc.on) && 'workflow_call' in w.doc.on } };
      props.push(['steps', job.steps.map((st, i) => this.step(w, id, st, i, effective, site, (p, v, why) => override(['steps', String(i), ...p], v, why)))]);
    } else {
      override(['steps'], job.steps ?? undefined as unknown as Json, 'steps');
    }
    for (const key of Object.keys(job)) if (!handled.has(key)) override([key], job[key], 'not modelled');
    const order = ['name', 'needs', 'if', 'runsOn', 'environment', 'concurrency', 'permissions', 'outputs', 'env', 'defaults', 'timeout', 'cancelTimeout',
      'continueOnError', 'strategy', 'container', 'services', 'steps', 'snapshot'];
    props.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    return `${w.variable}.addJob(${str(id)}, ${lit(props, '')});`;
  }

  private timing(o: Obj, props: Pairs, override: (path: string[], value: Json | undefined, why: string) => void): void {
    const t = o['timeout-minutes'];
    if (typeof t === 'number' && Number.isInteger(t) && t > 0) {
      this.use('Duration');
      props.push(['timeout', new Code(`Duration.minutes(${t})`)]);
    } else if (t !== undefined) {
      override(['timeout-minutes'], t, 'timeout-minutes as an expression');
    }
    const c = o['continue-on-error'];
    if (typeof c === 'boolean') props.push(['continueOnError', c]);
    else if (c !== undefined) override(['continue-on-error'], c, 'continue-on-error as an expression');
  }

  private strategy(where: string, s: Json, override: (path: string[], value: Json | undefined, why: string) => void): unknown {
    if (!isObj(s) || s.matrix === undefined || Object.keys(s).some((k) => !['matrix', 'fail-fast', 'max-parallel'].includes(k))) {
      override(['strategy'], s, 'strategy');
      return undefined;
    }
    this.use('Matrix');
    const out: Pairs = new Pairs();
    const m = s.matrix;
    if (typeof m === 'string') {
      out.push(['matrix', new Code(`Matrix.fromExpression(${str(m)})`)]);
    } else if (isObj(m)) {
      const axes: Obj = {};
      for (const [k, v] of Object.entries(m)) if (k !== 'include' && k !== 'exclude') axes[k] = v;
      const include = m.include;
      const exclude = m.exclude;
      const entries = (v: Json | undefined) => v === undefined || (Array.isArray(v) && v.every(isObj));
      if (!Object.values(axes).every(Array.isArray) || !entries(include) || !entries(exclude)) {
        out.push(['matrix', new Code(`Matrix.fromExpression(${str('${{ fromJSON(\'{}\') }}')}) /* set with addOverride below */`)]);
        override(['strategy', 'matrix'], m, 'a matrix built from expressions');
      } else {
        // GitHub applies exclude to the product of the axes (before include): an entry naming a key or value
        // no axis has matches nothing, and slipway rejects it as a likely typo. Leaving it out keeps the matrix.
        const has = (k: string, v: Json) => Array.isArray(axes[k]) && (axes[k] as Json[]).some((x) => JSON.stringify(x) === JSON.stringify(v));
        const matches = (e: Obj) => Object.entries(e).every(([k, v]) => has(k, v));
        const kept = exclude === undefined ? undefined : (exclude as Obj[]).filter(matches);
        for (const e of (exclude as Obj[] | undefined) ?? []) {
          if (!matches(e)) this.differences.push(`${where}: strategy.matrix.exclude entry ${JSON.stringify(e)} matches no combination of the axes; import leaves it out (slipway rejects an exclude that matches nothing)`);
        }
        const options: Pairs = new Pairs();
        if (include !== undefined) options.push(['include', include]);
        if (kept !== undefined && kept.length > 0) options.push(['exclude', kept]);
        const matrix = Matrix.of(axes as { [k: string]: any[] }, { include: include as Obj[] | undefined, exclude: kept });
        for (const p of matrix._problems()) this.differences.push(`${where}: ${p} (synth rejects it; fix the matrix in the definition)`);
        out.push(['matrix', new Code(`Matrix.of(${lit(axes, '')}${options.length ? `, ${lit(options, '')}` : ''})`)]);
      }
    } else {
      override(['strategy'], s, 'strategy');
      return undefined;
    }
    for (const [key, prop] of [['fail-fast', 'failFast'], ['max-parallel', 'maxParallel']] as const) {
      const v = s[key];
      if (v === undefined) continue;
      if (typeof v === (key === 'fail-fast' ? 'boolean' : 'number')) out.push([prop, v]);
      else override(['strategy', key], v, `${key} as an expression`);
    }
    return out;
  }

  private container(c: Json, isService: boolean): Code | undefined {
    if (typeof c === 'string') {
      this.use('ServiceContainer');
      return new Code(`ServiceContainer.of(${str(c)})`);
    }
    if (!isObj(c) || typeof c.image !== 'string') return undefined;
    const keys = ['image', 'credentials', 'env', 'ports', 'volumes', 'options', ...(isService ? ['entrypoint', 'command'] : [])];
    if (Object.keys(c).some((k) => !keys.includes(k))) return undefined;
    const o: Pairs = new Pairs();
    if (c.credentials !== undefined) {
      if (!isObj(c.credentials) || typeof c.credentials.username !== 'string' || typeof c.credentials.password !== 'string') return undefined;
      o.push(['credentials', { username: c.credentials.username, password: c.credentials.password }]);
    }
    if (c.env !== undefined) {
      if (!isObj(c.env)) return undefined;
      o.push(['env', Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, this.envValue(k, String(v))]))]);
    }
    for (const key of ['ports', 'volumes']) {
      const v = c[key];
      if (v === undefined) continue;
      if (!Array.isArray(v) || v.length === 0) return undefined;
      o.push([key, v.map(String)]);
    }
    if (c.options !== undefined) {
      if (typeof c.options !== 'string' || c.options === '') return undefined;
      o.push(['options', [c.options]]);
    }
    for (const key of ['entrypoint', 'command']) {
      const v = c[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.trim() === '') return undefined;
      o.push([key, v]);
    }
    this.use('ServiceContainer');
    return new Code(`ServiceContainer.of(${str(c.image)}${o.length ? `, ${lit(o, '')}` : ''})`);
  }

  private step(w: ParsedWorkflow, jobId: string, st: Json, index: number, permissions: Json,
    site: Parameters<typeof secureStep>[2], override: (path: string[], value: Json | undefined, why: string) => void): Code {
    this.use('Step');
    const where = `${w.fileName}: job "${jobId}" step ${index + 1}`;
    const control = isObj(st) ? this.controlStep(st) : undefined;
    if (control) return control;
    if (isObj(st) && Object.keys(st).length === 1 && Array.isArray(st.parallel) && st.parallel.length > 0) {
      const inner = st.parallel.map((p, j) => this.step(w, jobId, p, index, permissions, site, (path, v, why) => override(['parallel', String(j), ...path], v, why)));
      return new Code(`Step.parallel(${lit(inner, '')})`);
    }
    if (!isObj(st) || (typeof st.run !== 'string' && typeof st.uses !== 'string') || (st.run !== undefined && st.uses !== undefined)) {
      override([], st, 'not a run or uses step');
      return new Code('Step.run(\'true\')');
    }
    // what slipway does to the script at synth: move untrusted input into env
    const secured = JSON.parse(JSON.stringify(st)) as Obj;
    const problems: string[] = [];
    secureStep(secured, index, site, problems);
    for (const p of problems) this.differences.push(`${where}: ${p}`);
    if (problems.length === 0 && JSON.stringify(secured) !== JSON.stringify(st)) {
      this.differences.push(`${where}: slipway moves the untrusted expressions of its script into the step's env (the script then reads variables): ${JSON.stringify(secured.env)}`);
    }

    const o: Pairs = new Pairs();
    const handled = new Set(['id', 'name', 'if', 'env', 'uses', 'with', 'run', 'shell', 'working-directory', 'timeout-minutes', 'continue-on-error', 'background']);
    if (st.id !== undefined) o.push(['id', String(st.id)]);
    if (st.name !== undefined) o.push(['name', String(st.name)]);
    if (st.if !== undefined) o.push(['if', String(st.if)]);
    if (typeof st.run === 'string') {
      if (st.shell !== undefined) o.push(['shell', String(st.shell)]);
      if (st['working-directory'] !== undefined) o.push(['workingDirectory', String(st['working-directory'])]);
    } else {
      handled.delete('shell');
      handled.delete('working-directory');
    }
    if (st.env !== undefined) o.push(['env', this.env(st.env, ['env'], override)]);
    this.timing(st, o, override);
    if (typeof st.background === 'boolean') o.push(['background', st.background]);
    else if (st.background !== undefined) override(['background'], st.background, 'background');
    for (const key of Object.keys(st)) if (!handled.has(key)) override([key], st[key], 'not modelled for this kind of step');
    const opts = () => (o.length ? `, ${lit(o, '')}` : '');
    if (typeof st.run === 'string') {
      if (st.run.trim() === '') {
        override(['run'], st.run, 'an empty script');
        return new Code(`Step.run('true'${opts()})`);
      }
      return new Code(`Step.run(${str(st.run)}${opts()})`);
    }
    const withInputs = st.with === undefined || st.with === null ? undefined : st.with;
    if (withInputs !== undefined && !isObj(withInputs)) {
      override(['with'], withInputs, 'with');
    }
    const action = this.action(w, where, st.uses as string, isObj(withInputs) ? withInputs : undefined, permissions, w.comments);
    if (!action.consumedWith && isObj(withInputs)) {
      const at = o.findIndex(([k]) => !['id', 'name', 'if'].includes(k));
      o.splice(at < 0 ? o.length : at, 0, ['with', withInputs]);
    }
    return new Code(`Step.uses(${action.code}${opts()})`);
  }

  /**
   * A step that waits for or cancels background steps, as `Step.waitFor`, `Step.waitForAll` or
   * `Step.cancel`; undefined when it is not one, or has a shape they do not render.
   */
  private controlStep(st: Obj): Code | undefined {
    const kinds = ['wait', 'wait-all', 'cancel'].filter((k) => k in st);
    if (kinds.length !== 1 || Object.keys(st).some((k) => !['id', 'name', 'continue-on-error', kinds[0]].includes(k))) return undefined;
    const o: Pairs = new Pairs();
    for (const key of ['id', 'name']) {
      if (st[key] === undefined) continue;
      if (typeof st[key] !== 'string') return undefined;
      o.push([key, st[key]]);
    }
    if (st['continue-on-error'] !== undefined) {
      if (typeof st['continue-on-error'] !== 'boolean') return undefined;
      o.push(['continueOnError', st['continue-on-error']]);
    }
    const opts = o.length ? lit(o, '') : '';
    const v = st[kinds[0]];
    if (kinds[0] === 'wait') {
      const ids = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? v as string[] : undefined;
      return ids && new Code(`Step.waitFor(${lit(ids, '')}${opts ? `, ${opts}` : ''})`);
    }
    if (kinds[0] === 'wait-all') return v === null || v === true ? new Code(`Step.waitForAll(${opts})`) : undefined;
    return typeof v === 'string' ? new Code(`Step.cancel(${str(v)}${opts ? `, ${opts}` : ''})`) : undefined;
  }

  private action(w: ParsedWorkflow, where: string, uses: string, withInputs: Obj | undefined, permissions: Json,
    comments: Map<string, string>): { code: string; consumedWith: boolean } {
    this.use('Action');
    if (uses.startsWith('./')) return { code: `Action.local(${str(uses)})`, consumedWith: false };
    if (uses.startsWith('docker://')) return { code: `Action.docker(${str(uses)})`, consumedWith: false };
    const at = uses.lastIndexOf('@');
    const repository = uses.slice(0, at);
    const ref = uses.slice(at + 1);
    let version = ref;
    let sha: string | undefined;
    if (isCommitSha(ref)) {
      sha = ref;
      const comment = comments.get(uses);
      const tag = comment?.match(/(?:^|[\s@=:])(v?\d+(?:\.\d+)*(?:[-+][A-Za-z0-9.]+)?)\b/)?.[1] ?? comment?.split(/\s+/)[0];
      if (tag && /^[A-Za-z0-9._\-/+]+$/.test(tag) && !isCommitSha(tag)) {
        version = tag;
        const key = lockKey(repository, version);
        this.pins.set(key, { sha, version });
      } else {
        version = 'pinned';
        this.differences.push(`${where}: ${repository} is pinned to ${sha} without a "# version" comment; the definition names version "pinned" with the SHA inline (replace it with the tag)`);
      }
    } else {
      this.unpinned.add(`${w.fileName}: ${uses}`);
    }
    const inline = version === 'pinned' ? `, { sha: ${str(sha!)} }` : '';

    const entry = CATALOG[repository.toLowerCase()];
    if (entry && majorOf(version) === majorOf(entry.version) && inline === '') {
      const catalog = this.catalogCall(entry, version, withInputs ?? {}, permissions);
      if (catalog) return { code: catalog, consumedWith: true };
      if (repository.toLowerCase() === 'actions/checkout' && withInputs?.['persist-credentials'] === undefined) {
        this.differences.push(`${where}: kept as Action.of: Actions.checkout() would add "persist-credentials: false" (slipway's default, safer); switch to it when no step of the job pushes with the checkout's credentials`);
      }
    }
    return { code: `Action.of(${str(repository)}, ${str(version)}${inline})`, consumedWith: false };
  }

  /** The catalog factory call that renders exactly `withInputs`, or undefined. */
  private catalogCall(entry: CatalogEntry, version: string, withInputs: Obj, permissions: Json): string | undefined {
    const props: Pairs = new Pairs();
    const values: { [prop: string]: unknown } = {};
    for (const [key, value] of Object.entries(withInputs)) {
      const spec = entry.inputs[key];
      if (!spec) return undefined;
      const [prop, transform] = spec.split(':') as [string, Transform];
      const v = fromWire(value, transform);
      if (v === undefined) return undefined;
      props.push([prop, v]);
      values[prop] = v;
    }
    const options = version === entry.version ? undefined : { version };
    let action;
    try {
      const factory = Actions[entry.factory] as (p: unknown, o?: unknown) => Action;
      action = factory(values, options);
    } catch {
      return undefined;
    }
    if (JSON.stringify(sortKeys(action.inputs)) !== JSON.stringify(sortKeys(withInputs))) return undefined;
    // the catalog's scopes are added to the job's: use it only when the job grants them already
    const granted = isObj(permissions) ? permissions : undefined;
    for (const [scope, level] of Object.entries(action.permissions)) {
      const has = typeof permissions === 'string' ? (permissions === 'write-all' ? 2 : 1) : RANK[String(granted?.[scope] ?? 'none')] ?? 0;
      if (has < (RANK[level] ?? 2)) return undefined;
    }
    this.use('Actions');
    return `Actions.${String(entry.factory)}(${props.length || options ? lit(props, '') : ''}${options ? `, ${lit(options, '')}` : ''})`;
  }
}

function fromWire(value: Json, transform: Transform): unknown {
  if (transform === 's') return typeof value === 'string' ? value : undefined;
  if (transform === 'b') return typeof value === 'boolean' ? value : undefined;
  if (transform === 'n') return typeof value === 'number' ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (transform === 'c') return value.includes('\n') ? undefined : value.split(',');
  const items = (value.endsWith('\n') ? value.slice(0, -1) : value).split('\n');
  if (transform === 'l') return items;
  const out: { [k: string]: string } = {};
  for (const line of items) {
    const eq = line.indexOf('=');
    if (eq <= 0) return undefined;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function inputOptions(i: Obj, type: string): Array<[string, unknown]> | undefined {
  const o: Pairs = new Pairs();
  if (i.description !== undefined) {
    if (typeof i.description !== 'string') return undefined;
    o.push(['description', i.description]);
  }
  if (i.required !== undefined) {
    if (typeof i.required !== 'boolean') return undefined;
    o.push(['required', i.required]);
  }
  if (i.default !== undefined) {
    if (typeof i.default !== type) return undefined;
    o.push(['default', i.default]);
  }
  return o;
}

function shellOf(defaults: Json | undefined): string | undefined {
  const shell = isObj(defaults) && isObj(defaults.run) ? defaults.run.shell : undefined;
  return typeof shell === 'string' ? shell : undefined;
}

function majorOf(version: string): string {
  return version.match(/^(v?\d+)/)?.[1] ?? version;
}

function sortKeys(o: { [k: string]: unknown }): { [k: string]: unknown } {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function camel(s: string): string {
  return s.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
}

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw',
  'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected',
  'public', 'await', 'Action', 'Actions', 'App', 'ConcurrencyQueue', 'DispatchInput', 'Duration', 'Matrix', 'NotASecret', 'PermissionLevel', 'RunsOn', 'ServiceContainer', 'Step',
  'Trigger', 'Workflow', 'WorkflowCallInput']);

/** A camelCase variable name for a workflow id, unique among `used`. */
function variableName(id: string, used: Set<string>): string {
  let base = id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[^A-Za-z_]+/, '');
  base = base ? base[0].toLowerCase() + base.slice(1) : 'workflow';
  if (RESERVED.has(base)) base = `${base}Workflow`;
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}${n}`;
  used.add(name);
  return name;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal that needs no escapes when one exists: '...', "...", a template literal or String.raw. */
export function str(s: string): string {
  if (s.includes('\n')) return script(s);
  if (!/['\\]/.test(s)) return `'${s}'`;
  if (!/["\\]/.test(s)) return `"${s}"`;
  if (!/`|\$\{/.test(s)) return s.includes('\\') && !s.endsWith('\\') ? `String.raw\`${s}\`` : s.includes('\\') ? quoted(s) : `\`${s}\``;
  return quoted(s);
}

/** No literal form needs no escapes: the quote that needs fewer. */
function quoted(s: string): string {
  const q = (s.match(/'/g) ?? []).length <= (s.match(/"/g) ?? []).length ? "'" : '"';
  const body = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body.replace(/"/g, '\\"')) + q;
}

/**
 * A script, readable: a template literal when it holds no backtick and no
 * `${` (`String.raw` when it holds backslashes), otherwise its lines, one
 * literal each, joined with newlines.
 */
function script(s: string): string {
  if (!/`|\$\{/.test(s) && !s.endsWith('\\')) {
    const body = s.split('\n').join(`\n${NOINDENT}`);
    return s.includes('\\') ? `String.raw\`${body}\`` : `\`${body}\``;
  }
  return `[\n${s.split('\n').map((l) => `  ${str(l)},`).join('\n')}\n].join('\\n')`;
}

/** A TypeScript literal for a value: objects and [key, value] lists as object literals, Code as is. */
function lit(v: unknown, indent: string): string {
  const inner = indent + '  ';
  if (v instanceof Code) return v.text.replace(/\n(?!\u0000)/g, `\n${indent}`);
  if (v === null) return 'null';
  if (typeof v === 'string') return str(v).replace(/\n(?!\u0000)/g, `\n${indent}`);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const pairs: Array<[string, unknown]> | undefined = v instanceof Pairs ? [...v] : Array.isArray(v) ? undefined : Object.entries(v as object);
  if (pairs === undefined) {
    const items = (v as unknown[]).map((e) => lit(e, inner));
    const flat = `[${items.join(', ')}]`;
    if (flat.length <= 80 && !flat.includes('\n')) return flat;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const defined = pairs.filter(([, x]) => x !== undefined);
  if (defined.length === 0) return '{}';
  const items = defined.map(([k, x]) => `${IDENT.test(k) ? k : str(k)}: ${lit(x, inner)}`);
  const flat = `{ ${items.join(', ')} }`;
  if (flat.length <= 80 && !flat.includes('\n')) return flat;
  return `{\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}}`;
}

