import { closest } from '../core/errors';

/**
 * The events that start a workflow and their activity types, as GitHub
 * documents them. `undefined`: the event has no `types` filter; `'any'`: the
 * types are the caller's own (repository_dispatch).
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows
 * @internal
 */
export const EVENT_TYPES: { readonly [event: string]: readonly string[] | 'any' | undefined } = {
  branch_protection_rule: ['created', 'edited', 'deleted'],
  check_run: ['created', 'rerequested', 'completed', 'requested_action'],
  check_suite: ['completed'],
  create: undefined,
  delete: undefined,
  deployment: undefined,
  deployment_status: undefined,
  discussion: ['created', 'edited', 'deleted', 'transferred', 'pinned', 'unpinned', 'labeled', 'unlabeled', 'locked', 'unlocked',
    'category_changed', 'answered', 'unanswered'],
  discussion_comment: ['created', 'edited', 'deleted'],
  fork: undefined,
  gollum: undefined,
  image_version: ['created', 'ready', 'deleted'],
  issue_comment: ['created', 'edited', 'deleted'],
  issues: ['opened', 'edited', 'deleted', 'transferred', 'pinned', 'unpinned', 'closed', 'reopened', 'assigned', 'unassigned',
    'labeled', 'unlabeled', 'locked', 'unlocked', 'milestoned', 'demilestoned', 'field_added', 'field_removed', 'typed', 'untyped'],
  label: ['created', 'edited', 'deleted'],
  merge_group: ['checks_requested'],
  milestone: ['created', 'closed', 'opened', 'edited', 'deleted'],
  page_build: undefined,
  project: ['created', 'closed', 'reopened', 'edited', 'deleted'],
  project_card: ['created', 'moved', 'converted', 'edited', 'deleted'],
  project_column: ['created', 'updated', 'moved', 'deleted'],
  public: undefined,
  pull_request: PULL_REQUEST_TYPES(),
  pull_request_review: ['submitted', 'edited', 'dismissed'],
  pull_request_review_comment: ['created', 'edited', 'deleted'],
  pull_request_target: PULL_REQUEST_TYPES(),
  push: undefined,
  registry_package: ['published', 'updated'],
  release: ['published', 'unpublished', 'created', 'edited', 'deleted', 'prereleased', 'released'],
  repository_dispatch: 'any',
  schedule: undefined,
  status: undefined,
  watch: ['started'],
  workflow_call: undefined,
  workflow_dispatch: undefined,
  workflow_run: ['completed', 'requested', 'in_progress'],
};

function PULL_REQUEST_TYPES(): string[] {
  return ['assigned', 'unassigned', 'labeled', 'unlabeled', 'opened', 'edited', 'closed', 'reopened', 'synchronize',
    'converted_to_draft', 'ready_for_review', 'locked', 'unlocked', 'review_requested', 'review_request_removed',
    'auto_merge_enabled', 'auto_merge_disabled', 'enqueued', 'dequeued', 'milestoned', 'demilestoned', 'stacked'];
}

/** Why `event` is not an event GitHub knows, or undefined. @internal */
export function eventNameProblem(event: string): string | undefined {
  if (event in EVENT_TYPES) return undefined;
  const near = closest(event, Object.keys(EVENT_TYPES));
  return `"${event}" is not an event that starts a GitHub workflow; ${near ? `did you mean "${near}"?` : `events: ${Object.keys(EVENT_TYPES).join(', ')}`}`;
}

/** Why the activity `types` of `event` are not GitHub's, one problem per type. @internal */
export function activityTypeProblems(event: string, types: unknown): string[] {
  const known = EVENT_TYPES[event];
  if (types === undefined || known === 'any' || !(event in EVENT_TYPES)) return [];
  if (known === undefined) return [`event "${event}" has no activity types; remove "types"`];
  const list = Array.isArray(types) ? types : [types];
  if (list.length === 0) return [`event "${event}" has an empty "types" list; leave "types" out for the default types, or name some: ${known.join(', ')}`];
  return list.filter((t) => typeof t !== 'string' || !known.includes(t)).map((t) => {
    const near = typeof t === 'string' ? closest(t, known) : undefined;
    return `"${String(t)}" is not an activity type of "${event}"; ${near ? `did you mean "${near}"?` : `types: ${known.join(', ')}`}`;
  });
}

/** Empty entries of branch, tag and path filters. @internal */
export function filterProblems(event: string, config: unknown): string[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [];
  const out: string[] = [];
  for (const key of ['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore']) {
    const v = (config as { [k: string]: unknown })[key];
    if (!Array.isArray(v)) continue;
    const example = key.startsWith('path') ? '"src/**"' : key.startsWith('tag') ? '"v*"' : '"main"';
    if (v.length === 0) out.push(`${event} "${key}" is an empty list, which matches nothing; leave it out or give a pattern, e.g. ${example}`);
    v.forEach((p, i) => {
      if (typeof p !== 'string' || p.trim() === '') out.push(`${event} "${key}" entry ${i + 1} is empty; give a name or pattern, e.g. ${example}`);
    });
  }
  return out;
}
