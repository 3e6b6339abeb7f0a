import type { Environment } from './environment';
import { Plan, PlanJob, PlanJobKind } from './plan';
import { TargetKind } from './target';
import { Rollout, RolloutKind } from '../core/rollout';

/**
 * A Mermaid flowchart of a plan: one node per job (shaped by kind), one
 * subgraph per workflow when there are several, and the transitive reduction
 * of the `needs` as arrows: an arrow a → c is left out when a path
 * a → … → c exists through other arrows, so the picture shows the order
 * without the clutter. The workflows keep every `needs`. Each deploy job
 * names its target and rollout.
 * @internal
 */
export function planToMermaid(plan: Plan, approvals: { [environment: string]: string } = {}): string {
  const lines = ['flowchart LR'];
  const workflows = [...new Set(plan.jobs.map((j) => j.workflow))];
  const node = (j: PlanJob) => `${safe(j.workflow)}__${safe(j.id)}`;
  for (const wf of workflows) {
    const jobs = plan.jobs.filter((j) => j.workflow === wf);
    const indent = workflows.length > 1 ? '    ' : '  ';
    if (workflows.length > 1) lines.push(`  subgraph ${safe(wf)}["${wf}.yml"]`);
    for (const j of jobs) {
      let label = j.label;
      if (j.kind === PlanJobKind.DEPLOY && j.environment) {
        label += `<br/>${describeEnvironment(j.environment)}`;
        if (approvals[j.environment.name]) label += `<br/>${approvals[j.environment.name]}`;
      }
      lines.push(`${indent}${node(j)}${shape(j.kind, label.replace(/"/g, "'"))}`);
    }
    const reduced = transitiveReduction(new Map(jobs.map((j) => [j.id, j.needs])));
    for (const j of jobs) {
      for (const n of reduced.get(j.id)!) lines.push(`${indent}${safe(wf)}__${safe(n)} --> ${node(j)}`);
    }
    if (workflows.length > 1) lines.push('  end');
  }
  return lines.join('\n') + '\n';
}

/**
 * The transitive reduction of a dependency graph without cycles (each node
 * mapped to the nodes it needs): a need is dropped when another need of the
 * same node already depends on it, directly or transitively. What reaches
 * what is unchanged; no remaining edge is implied by the others. Needs keep
 * their order; names outside the graph are kept as they are.
 * @internal
 */
export function transitiveReduction(needs: Map<string, string[]>): Map<string, string[]> {
  const upstream = new Map<string, Set<string>>();
  const upstreamOf = (id: string, visiting: Set<string> = new Set()): Set<string> => {
    const known = upstream.get(id);
    if (known) return known;
    const all = new Set<string>();
    visiting.add(id);
    for (const n of needs.get(id) ?? []) {
      all.add(n);
      if (visiting.has(n)) continue; // a cycle: stop here (workflows reject them on their own)
      for (const u of upstreamOf(n, visiting)) all.add(u);
    }
    visiting.delete(id);
    upstream.set(id, all);
    return all;
  };
  const reduced = new Map<string, string[]>();
  for (const [id, direct] of needs) {
    const unique = [...new Set(direct)];
    reduced.set(id, unique.filter((n) => !unique.some((m) => m !== n && upstreamOf(m).has(n))));
  }
  return reduced;
}

/** Where an environment deploys and how it rolls out, e.g. `kubernetes: production · canary 10→50→100`. */
function describeEnvironment(env: Environment): string {
  const t = env.target;
  let where: string;
  switch (t.kind) {
    case TargetKind.KUBERNETES: where = `kubernetes: ${t.kubernetesOptions!.namespace}`; break;
    case TargetKind.CLOUD_RUN: where = `cloud run: ${t.cloudRunOptions!.project} (${t.cloudRunOptions!.region})`; break;
    default: where = t.customOptions?.platform ? `custom: ${t.customOptions.platform}` : 'custom';
  }
  const parts = [where, describeRollout(env.rollout)];
  for (const [application, rollout] of Object.entries(env.applicationRollouts)) {
    parts.push(`${application}: ${describeRollout(rollout)}`);
  }
  return parts.join(' · ');
}

function describeRollout(r: Rollout): string {
  switch (r.kind) {
    case RolloutKind.CANARY: return `canary ${r.steps!.join('→')}`;
    case RolloutKind.BLUE_GREEN: return 'blue-green';
    case RolloutKind.DEPLOY_FIRST: return 'deploy first';
    default: return 'all at once';
  }
}

function shape(kind: PlanJobKind, label: string): string {
  switch (kind) {
    case PlanJobKind.DEPLOY: return `[["${label}"]]`;
    case PlanJobKind.CONFIRM: return `{"${label}"}`;
    case PlanJobKind.VALIDATE: return `{{"${label}"}}`;
    case PlanJobKind.NOTIFY: return `(["${label}"])`;
    default: return `["${label}"]`;
  }
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}
