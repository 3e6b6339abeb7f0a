/**
 * Checks that the three tools produced the same workflows: every document,
 * parsed, is equal after normalizing what each tool spells its own way with
 * the same meaning — key order, `needs: x` vs `needs: [x]`, and the
 * workflow-level `permissions` default vs the same permissions on every job
 * (projen's Job requires them per job; GithubWorkflow has no workflow-level
 * permissions), and the step ids projen derives from step names when a step
 * has none. Comments (slipway's `# v4.3.1` after a pinned SHA) are not content.
 */
import { isDeepStrictEqual } from 'util';
import * as YAML from 'yaml';

type Doc = { [key: string]: any };

/** The meaning of a workflow document, in a canonical form. */
export function canonical(text: string): Doc {
  const doc = YAML.parse(text) as Doc;
  const permissions = doc.permissions;
  delete doc.permissions;
  for (const job of Object.values(doc.jobs as Doc)) {
    job.permissions = job.permissions ?? permissions;
    if (typeof job.needs === 'string') job.needs = [job.needs];
  }
  return sortKeys(doc);
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => [k, sortKeys(v[k])]));
  }
  return v;
}

/** Differences between a tool's output and slipway's, as messages; empty when they are equivalent. */
export function differences(tool: string, reference: { [path: string]: string }, other: { [path: string]: string }): string[] {
  const problems: string[] = [];
  const a = Object.keys(reference).sort();
  const b = Object.keys(other).sort();
  if (!isDeepStrictEqual(a, b)) problems.push(`${tool}: files ${b.join(', ')} differ from slipway's ${a.join(', ')}`);
  for (const p of a) {
    if (!(p in other)) continue;
    const x = canonical(reference[p]);
    const y = canonical(other[p]);
    for (const [id, job] of Object.entries(y.jobs as Doc)) {
      (job.steps as Doc[] | undefined)?.forEach((step, i) => {
        if (x.jobs[id]?.steps?.[i] && x.jobs[id].steps[i].id === undefined) delete step.id;
      });
    }
    if (!isDeepStrictEqual(x, y)) problems.push(`${tool}: ${p} differs from slipway's:\n${JSON.stringify(y)}\n${JSON.stringify(x)}`);
  }
  return problems;
}
