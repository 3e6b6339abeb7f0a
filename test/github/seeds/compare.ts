/**
 * Comparing a synthesized workflow with a transcribed seed fixture
 * (test/fixtures/seeds/<seed>-<name>.yml), "up to SHA pinning":
 *
 * - `uses: owner/repo@<ref>` is compared by repository only: the fixture
 *   pins a tag (`@v4`) or a SHA, slipway always a SHA from the lock;
 * - `permissions` (workflow and job level) are taken out of both documents and
 *   returned apart, because slipway always renders them (least privilege) and
 *   most seeds have none; tests assert them separately;
 * - `on` forms that GitHub treats alike are made alike: `on: push`,
 *   `on: [push]` and an event with a null configuration (`workflow_dispatch:`)
 *   all become `{ push: {} }`.
 *
 * Nothing else is normalized: every other key, value and type must match.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

export interface Normalized {
  readonly doc: any;
  readonly permissions: { workflow?: unknown; jobs: { [job: string]: unknown } };
}

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'seeds');

/** The parsed fixture. */
export function fixture(name: string): any {
  return YAML.parse(fs.readFileSync(path.join(FIXTURES, `${name}.yml`), 'utf8'));
}

/** A workflow document normalized for comparison. */
export function normalize(input: any): Normalized {
  const doc = JSON.parse(JSON.stringify(input));
  const permissions: Normalized['permissions'] = { jobs: {} };
  if ('permissions' in doc) {
    permissions.workflow = doc.permissions;
    delete doc.permissions;
  }
  doc.on = normalizeOn(doc.on);
  for (const [id, job] of Object.entries<any>(doc.jobs ?? {})) {
    if ('permissions' in job) {
      permissions.jobs[id] = job.permissions;
      delete job.permissions;
    }
    for (const step of job.steps ?? []) {
      if (typeof step.uses === 'string' && !step.uses.startsWith('./') && !step.uses.startsWith('docker://')) {
        step.uses = step.uses.replace(/@.*$/, '');
      }
    }
  }
  return { doc, permissions };
}

function normalizeOn(on: unknown): { [event: string]: unknown } {
  if (typeof on === 'string') return { [on]: {} };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [e, {}]));
  const out: { [event: string]: unknown } = {};
  for (const [k, v] of Object.entries(on as object)) out[k] = v === null ? {} : v;
  return out;
}

/** Every `uses:` line of a synthesized file, for asserting that each is SHA-pinned. */
export function usesLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s*(- )?uses: /.test(l)).map((l) => l.replace(/^\s*(- )?uses: /, ''));
}

/** `owner/repo@<40-hex> # vX...`: the pinned form. */
export const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/;
