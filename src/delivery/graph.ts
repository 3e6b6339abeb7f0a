import { Plan, PlanJob, PlanJobKind } from './plan';

/**
 * A Mermaid flowchart of a plan: one node per job (shaped by kind), one
 * arrow per `needs`, one subgraph per workflow when there are several.
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
      if (j.kind === PlanJobKind.DEPLOY && j.environment && approvals[j.environment.name]) label += `<br/>${approvals[j.environment.name]}`;
      lines.push(`${indent}${node(j)}${shape(j.kind, label.replace(/"/g, "'"))}`);
    }
    for (const j of jobs) {
      for (const n of j.needs) lines.push(`${indent}${safe(wf)}__${safe(n)} --> ${node(j)}`);
    }
    if (workflows.length > 1) lines.push('  end');
  }
  return lines.join('\n') + '\n';
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
