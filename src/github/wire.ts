/**
 * Conversions of slipway's typed props to the wire model of
 * `workflows-model.ts`, and the shapes rendering passes around. Internal.
 * @internal
 */
import type { IConstruct } from 'constructs';
import type { Concurrency, RunDefaults } from './concurrency';
import type { JobEnvironment } from './job-base';
import type { Strategy } from './matrix';
import type { JobPermissions } from './permissions';
import type * as wf from './workflows-model';

/** What rendering a job produced, before the workflow adds `needs`. @internal */
export interface RenderedJob {
  /** The job object, with a `needs` key placed where it belongs (value set by the workflow). */
  readonly wire: { [key: string]: unknown };
  readonly problems: string[];
  /** Permission scopes the job's actions declare. */
  readonly actionPermissions: Array<{ readonly [scope: string]: string }>;
  /** Keys `matrix.*` may use; undefined for a matrix computed at run time; null without a matrix. */
  readonly matrixKeys: string[] | undefined | null;
  /** Step ids, for `steps.<id>` references; undefined when the job has no steps of its own. */
  readonly stepIds?: string[];
}

/** Problems of a compilation, by the construct they concern. @internal */
export type ProblemMap = Map<IConstruct, string[]>;

/** A compiled workflow: the document and every problem found. @internal */
export interface Compiled {
  readonly doc: { [key: string]: unknown };
  readonly problems: ProblemMap;
}

/** @internal */
export function concurrencyToWire(c: Concurrency | undefined): wf.Concurrency | undefined {
  if (!c) return undefined;
  return { 'group': c.group, 'cancel-in-progress': c.cancelInProgress, 'queue': c.queue as wf.Concurrency['queue'] };
}

/** What GitHub rejects in a concurrency group. @internal */
export function concurrencyProblems(c: Concurrency | undefined): string[] {
  if (!c) return [];
  const problems: string[] = [];
  if (c.group.trim() === '') problems.push('concurrency.group is empty; give a group key, e.g. `${{ github.workflow }}-${{ github.ref }}`');
  if (c.queue !== undefined && c.queue !== 'single' && c.queue !== 'max') {
    problems.push(`concurrency.queue "${String(c.queue)}" is not a queue mode; use ConcurrencyQueue.SINGLE or ConcurrencyQueue.MAX`);
  }
  if (c.queue === 'max' && c.cancelInProgress === true) {
    problems.push('concurrency sets queue: max together with cancelInProgress: true; GitHub allows a queue only when runs in progress are not cancelled. Remove one of the two');
  }
  return problems;
}

/** @internal */
export function defaultsToWire(d: RunDefaults | undefined): wf.Defaults | undefined {
  if (!d || (d.shell === undefined && d.workingDirectory === undefined)) return undefined;
  return { run: { 'shell': d.shell, 'working-directory': d.workingDirectory } };
}

/** @internal */
export function strategyToWire(s: Strategy | undefined): wf.Strategy | undefined {
  if (!s) return undefined;
  return { 'matrix': s.matrix._toWire(), 'fail-fast': s.failFast, 'max-parallel': s.maxParallel };
}

/** @internal */
export function environmentToWire(e: JobEnvironment | undefined): wf.Environment | undefined {
  if (!e) return undefined;
  return e.url === undefined && e.deployment === undefined ? e.name : { name: e.name, url: e.url, deployment: e.deployment };
}

/** Wire scope names in GitHub's documented order. */
const SCOPES: Array<[keyof JobPermissions, string]> = [
  ['actions', 'actions'],
  ['artifactMetadata', 'artifact-metadata'],
  ['attestations', 'attestations'],
  ['checks', 'checks'],
  ['codeQuality', 'code-quality'],
  ['contents', 'contents'],
  ['copilotRequests', 'copilot-requests'],
  ['deployments', 'deployments'],
  ['discussions', 'discussions'],
  ['drives', 'drives'],
  ['idToken', 'id-token'],
  ['issues', 'issues'],
  ['models', 'models'],
  ['packages', 'packages'],
  ['pages', 'pages'],
  ['pullRequests', 'pull-requests'],
  ['repositoryProjects', 'repository-projects'],
  ['securityEvents', 'security-events'],
  ['statuses', 'statuses'],
  ['vulnerabilityAlerts', 'vulnerability-alerts'],
];

/** Scopes GitHub grants at some levels only (GitHub's workflow schema). */
const RESTRICTED: { readonly [scope: string]: readonly string[] } = {
  'id-token': ['write', 'none'],
  'copilot-requests': ['write', 'none'],
  'models': ['read', 'none'],
};

const WIRE_SCOPES = new Set(SCOPES.map(([, wire]) => wire));
const RANK: { [level: string]: number } = { none: 0, read: 1, write: 2 };

/** Converts typed permissions to the wire map. @internal */
export function permissionsToWire(p: JobPermissions): wf.Permissions {
  const out: { [scope: string]: wf.PermissionValue } = {};
  for (const [prop, wire] of SCOPES) {
    const level = p[prop];
    if (level !== undefined) out[wire] = level as wf.PermissionValue;
  }
  return out;
}

/**
 * Merges permission maps: each scope gets the highest level any map asks for.
 * Keys come out in GitHub's documented order, unknown scopes last (sorted).
 * @internal
 */
export function mergePermissions(...maps: Array<{ readonly [scope: string]: string }>): wf.Permissions {
  const merged: { [scope: string]: wf.PermissionValue } = {};
  for (const m of maps) {
    for (const [scope, level] of Object.entries(m)) {
      const current = merged[scope];
      if (current === undefined || (RANK[level] ?? 0) > (RANK[current] ?? 0)) merged[scope] = level as wf.PermissionValue;
    }
  }
  return sortPermissions(merged);
}

/** @internal */
export function sortPermissions(p: wf.Permissions): wf.Permissions {
  const out: { [scope: string]: wf.PermissionValue } = {};
  for (const [, wire] of SCOPES) if (p[wire] !== undefined) out[wire] = p[wire];
  for (const scope of Object.keys(p).filter((s) => !WIRE_SCOPES.has(s)).sort()) out[scope] = p[scope];
  return out;
}

/** Problems with a permissions map from outside slipway's typed API (e.g. an action's declaration). @internal */
export function permissionProblems(p: { readonly [scope: string]: string }): string[] {
  const problems: string[] = [];
  for (const [scope, level] of Object.entries(p)) {
    if (!WIRE_SCOPES.has(scope)) problems.push(`unknown permission scope "${scope}"; scopes: ${[...WIRE_SCOPES].join(', ')}`);
    if (!(level in RANK)) {
      problems.push(`permission "${scope}: ${level}" must be read, write or none`);
    } else if (RESTRICTED[scope] && !RESTRICTED[scope].includes(level)) {
      problems.push(`permission "${scope}: ${level}" is not a level GitHub grants for "${scope}"; use ${RESTRICTED[scope].join(' or ')}`);
    }
  }
  return problems;
}

/** Whether two permission maps grant the same. @internal */
export function samePermissions(a: wf.Permissions, b: wf.Permissions): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== 'none');
  const kb = Object.keys(b).filter((k) => b[k] !== 'none');
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}
