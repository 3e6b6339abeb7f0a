import { ApprovalKind } from './approval';
import { Check, CheckPlacement } from './check';
import { Environment } from './environment';
import { Plan, PlanAction, PlanJob, PlanJobKind, PlanWhen } from './plan';
import { TargetKind } from './target';
import { resolveRollout } from './targets';
import { MigrationPhase, Application } from '../core/application';
import { RolloutKind, TrafficRouter } from '../core/rollout';

/** What the plan is built from: a pipeline's blueprint. */
export interface PlanInput {
  /** Pipeline id; names the main workflow. */
  readonly id: string;
  /** Applications deployed by every stage. */
  readonly applications: Application[];
  /** Quality gates and scans. */
  readonly checks: Check[];
  /** Stages in promotion order. */
  readonly stages: Environment[];
  /** Whether a notify job is planned. */
  readonly notify: boolean;
  /** Whether the pipeline runs on pull requests (images are then built there by a read-only job of their own). */
  readonly pullRequests?: boolean;
  /** Whether a summary job is planned (the main workflow's last job before notify). */
  readonly summary?: boolean;
}

/**
 * Compiles a pipeline blueprint into its plan: the one place that decides
 * jobs, needs and the order of deploy actions. Throws on an inconsistent
 * blueprint (messages name the prop and the fix; the caller adds the path).
 */
export function buildPlan(input: PlanInput): Plan {
  const jobs: PlanJob[] = [];
  const main = input.id;
  const add = (planned: PlanJob) => {
    if (jobs.some((j) => j.id === planned.id && j.workflow === planned.workflow)) {
      throw new Error(`two jobs would be named "${planned.id}" in workflow "${planned.workflow}"; rename the check or environment`);
    }
    jobs.push(planned);
  };

  // Quality gates run in parallel; image scans need the build.
  const built = input.applications.filter((a) => a.image.buildOptions);
  const gates: string[] = [];
  const sourceGates = input.checks.filter((c) => c.placement === CheckPlacement.BEFORE_DEPLOY).map((c) => c.id);
  for (const c of input.checks) {
    if (c.placement === CheckPlacement.AFTER_DEPLOY) {
      throw new Error(`check "${c.id}" runs against a deployed environment; list it in that Environment's checks: [...] instead of the pipeline's`);
    }
    if (c.placement === CheckPlacement.AFTER_BUILD && built.length === 0) {
      throw new Error(`check "${c.id}" scans built images, but no application is built by this pipeline (use Image.fromDockerfile)`);
    }
    gates.push(c.id);
    const needs = c.placement === CheckPlacement.AFTER_BUILD ? ['build'] : c.placement === CheckPlacement.AFTER_GATES ? sourceGates : [];
    add(job(c.id, main, PlanJobKind.GATE, needs, { label: c.id, check: c }));
  }
  if (built.length > 0) {
    // Build once: every later stage deploys the digest this job outputs.
    jobs.splice(0, 0, job('build', main, PlanJobKind.BUILD, [], { label: `build ${built.map((a) => a.name).join(', ')}` }));
    if (input.pullRequests) {
      // permissions cannot depend on the event: pull requests build in a job without write scopes
      jobs.splice(1, 0, job('build-pull-request', main, PlanJobKind.PULL_REQUEST_BUILD, [], {
        label: `build ${built.map((a) => a.name).join(', ')} (pull request, not pushed)`,
      }));
    }
  }
  for (const reserved of jobs.filter((j) => j.kind === PlanJobKind.BUILD || j.kind === PlanJobKind.PULL_REQUEST_BUILD)) {
    const gate = input.checks.find((c) => c.id === reserved.id);
    if (gate) {
      throw new Error(`check "${gate.id}" would be a second job "${reserved.id}" in workflow "${main}", where the pipeline's own "${reserved.id}" job builds ${built.map((a) => a.name).join(', ')}; give the check another name, e.g. "${gate.id}-check"`);
    }
  }
  const buildNeeds = built.length > 0 ? ['build'] : [];

  // Stages in promotion order.
  const seen = new Set<string>();
  const done: Array<{ readonly env: Environment; readonly workflow: string; readonly finals: string[] }> = [];
  let manualWorkflow: string | undefined;
  for (const env of input.stages) {
    const manual = env.approval?.kind === ApprovalKind.MANUAL_DISPATCH;
    for (const r of env.requires) {
      if (!input.stages.includes(r)) {
        throw new Error(`stage "${env.name}" requires "${r.name}", which is not a stage of this pipeline; add it to stages before "${env.name}"`);
      }
      if (!seen.has(r.name)) {
        throw new Error(`stage "${env.name}" is listed before its prerequisite "${r.name}"; order stages as [${orderHint(input.stages)}]`);
      }
      if (!manual && !manualWorkflow && !sharesBranch(env, r)) {
        throw new Error(`stage "${env.name}" requires "${r.name}", but they deploy from different branches (${r.name}: ${r.branches.join(', ')}; ${env.name}: ${env.branches.join(', ')}), so no run deploys both; give them a common branch in branches, or remove "${r.name}" from requires`);
      }
    }
    if (seen.has(env.name)) throw new Error(`stage "${env.name}" is listed twice`);
    seen.add(env.name);

    if (manual) manualWorkflow = `${main}-${env.name}`;
    const workflow = manualWorkflow ?? main;
    // A stage follows the latest earlier stage of its workflow; in the main workflow, only one that
    // deploys from a common branch (a push to "develop" never deploys a "main" stage, so waiting for it
    // would skip this stage on every run).
    // A stage that names its prerequisites follows exactly those (so stages can fan out).
    const prior = [...done].reverse().find((d) => d.workflow === workflow && (workflow !== main || sharesBranch(d.env, env)));
    const previous = env.requires.length > 0
      ? unique(done.filter((d) => d.workflow === workflow && env.requires.includes(d.env)).flatMap((d) => d.finals))
      : prior?.finals ?? [];
    const deployId = `deploy-${env.name}`;
    const actions = deployActions(env, input.applications);

    if (manual && workflow === `${main}-${env.name}`) {
      // A manual stage lives in its own dispatch workflow: confirm, then deploy.
      add(job(`confirm-${env.name}`, workflow, PlanJobKind.CONFIRM, [], { label: `confirm "${env.approval!.confirmation}"`, environment: env }));
      add(job(deployId, workflow, PlanJobKind.DEPLOY, [`confirm-${env.name}`], { environment: env, actions, label: `deploy ${env.name}`, deploysOnly: true }));
    } else if (env.rollout.kind === RolloutKind.DEPLOY_FIRST) {
      // Deploy at once, verify in parallel with the gates; validate or roll back after.
      add(job(deployId, workflow, PlanJobKind.DEPLOY, [...buildNeeds, ...previous], { environment: env, actions, label: `deploy ${env.name} (first)`, deploysOnly: true }));
      add(job(`validate-${env.name}`, workflow, PlanJobKind.VALIDATE, [...gates, deployId], {
        environment: env,
        label: `validate ${env.name}`,
        deploysOnly: true,
        runsWhen: 'always-after',
        actions: [
          { kind: 'record-validated', when: PlanWhen.SUCCESS },
          { kind: 'rollback-to-validated', when: PlanWhen.FAILURE },
          { kind: 'report', when: PlanWhen.ALWAYS },
        ],
      }));
    } else {
      const needs = unique(workflow === main ? [...gates, ...buildNeeds, ...previous] : previous);
      add(job(deployId, workflow, PlanJobKind.DEPLOY, needs, { environment: env, actions, label: `deploy ${env.name}`, deploysOnly: true }));
    }

    const finals = [env.rollout.kind === RolloutKind.DEPLOY_FIRST && !manual ? `validate-${env.name}` : deployId];
    for (const c of env.checks) {
      if (c.placement !== CheckPlacement.AFTER_DEPLOY) {
        throw new Error(`check "${c.id}" of environment "${env.name}" is a ${c.placement} check; put it in the pipeline's checks: [...]`);
      }
      const id = `${c.id}-${env.name}`;
      add(job(id, workflow, PlanJobKind.VERIFY, [deployId], { environment: env, check: c, label: `${c.id} on ${env.name}`, deploysOnly: true }));
      finals.push(id);
    }
    done.push({ env, workflow, finals });
  }

  if (input.summary) {
    // one status check for the whole run: it waits for every job, whatever its result
    add(job('summary', main, PlanJobKind.SUMMARY, jobs.filter((j) => j.workflow === main).map((j) => j.id), { label: 'summary', runsWhen: 'always-after' }));
  }

  if (input.notify) {
    const workflows = unique(jobs.map((j) => j.workflow));
    for (const wf of workflows) {
      add(job('notify', wf, PlanJobKind.NOTIFY, jobs.filter((j) => j.workflow === wf).map((j) => j.id), { label: 'notify', runsWhen: 'always-after' }));
    }
  }
  return { jobs };
}

/** The ordered actions of one stage's deploy job. */
export function deployActions(env: Environment, applications: Application[]): PlanAction[] {
  const a: PlanAction[] = [{ kind: 'setup', when: PlanWhen.SUCCESS }];
  // What runs now is read before anything changes: it is what a rollback returns to.
  for (const app of applications) a.push({ kind: 'record', application: app, when: PlanWhen.SUCCESS });
  if (applications.length === 0) a.push({ kind: 'record', when: PlanWhen.SUCCESS });
  if (env.target.preDeployCommands.length) a.push({ kind: 'pre-deploy', when: PlanWhen.SUCCESS });
  // Expand and migrate run before the rollout, for every application first.
  for (const app of applications) {
    for (const phase of [MigrationPhase.EXPAND, MigrationPhase.MIGRATE]) {
      if (app.migration?.commandFor(phase)) a.push({ kind: 'migrate', application: app, phase, when: PlanWhen.SUCCESS });
    }
  }
  for (const app of applications) {
    const r = env.rolloutFor(app);
    switch (r.kind) {
      case RolloutKind.CANARY: {
        const steps = r.steps!;
        if (resolveRollout(env, app).router === TrafficRouter.ARGO_ROLLOUTS && env.target.kind === TargetKind.KUBERNETES) {
          // The Argo controller steps the weights (with its analysis); the job follows it to 100%.
          a.push({ kind: 'deploy', application: app, weight: steps[0], when: PlanWhen.SUCCESS });
          a.push({ kind: 'promote', application: app, weight: 100, when: PlanWhen.SUCCESS });
          a.push({ kind: 'smoke-test', application: app, weight: 100, when: PlanWhen.SUCCESS });
          break;
        }
        a.push({ kind: 'deploy', application: app, weight: steps[0], when: PlanWhen.SUCCESS });
        if (steps[0] < 100) {
          a.push({ kind: 'bake', application: app, weight: steps[0], when: PlanWhen.SUCCESS });
          a.push({ kind: 'smoke-test', application: app, weight: steps[0], when: PlanWhen.SUCCESS });
        }
        for (const w of steps.slice(1, -1)) {
          a.push({ kind: 'set-weight', application: app, weight: w, when: PlanWhen.SUCCESS });
          a.push({ kind: 'bake', application: app, weight: w, when: PlanWhen.SUCCESS });
          a.push({ kind: 'smoke-test', application: app, weight: w, when: PlanWhen.SUCCESS });
        }
        a.push({ kind: 'promote', application: app, weight: 100, when: PlanWhen.SUCCESS });
        a.push({ kind: 'smoke-test', application: app, weight: 100, when: PlanWhen.SUCCESS });
        break;
      }
      case RolloutKind.BLUE_GREEN:
        a.push({ kind: 'deploy', application: app, weight: 0, when: PlanWhen.SUCCESS });
        a.push({ kind: 'smoke-test', application: app, weight: 0, when: PlanWhen.SUCCESS });
        a.push({ kind: 'promote', application: app, weight: 100, when: PlanWhen.SUCCESS });
        a.push({ kind: 'smoke-test', application: app, weight: 100, when: PlanWhen.SUCCESS });
        break;
      default:
        a.push({ kind: 'deploy', application: app, weight: 100, when: PlanWhen.SUCCESS });
        a.push({ kind: 'smoke-test', application: app, weight: 100, when: PlanWhen.SUCCESS });
    }
  }
  if (applications.length === 0) {
    // A custom target without applications still deploys (its commands) and checks the environment.
    a.push({ kind: 'deploy', weight: 100, when: PlanWhen.SUCCESS }, { kind: 'smoke-test', weight: 100, when: PlanWhen.SUCCESS });
  }
  // Every application is at 100% and checked: this release is the one to return to from now on.
  a.push({ kind: 'mark-deployed', when: PlanWhen.SUCCESS });
  // Contract only after every application reached 100% and passed its checks; never followed by a rollback.
  for (const app of applications) {
    if (app.migration?.commandFor(MigrationPhase.CONTRACT)) a.push({ kind: 'contract', application: app, phase: MigrationPhase.CONTRACT, when: PlanWhen.SUCCESS });
  }
  // Rollback when something failed, was cancelled or timed out: each application back to what was
  // recorded, in reverse order, only if this run changed it; never the schema.
  for (const app of [...applications].reverse()) a.push({ kind: 'rollback', application: app, when: PlanWhen.FAILURE });
  if (applications.length === 0) a.push({ kind: 'rollback', when: PlanWhen.FAILURE });
  a.push({ kind: 'report', when: PlanWhen.ALWAYS });
  return a;
}

function job(id: string, workflow: string, kind: PlanJobKind, needs: string[], o: Partial<PlanJob> & { label: string }): PlanJob {
  return {
    id,
    workflow,
    kind,
    needs: unique(needs),
    environment: o.environment,
    check: o.check,
    actions: o.actions ?? [],
    label: o.label,
    deploysOnly: o.deploysOnly ?? false,
    runsWhen: o.runsWhen ?? 'all-success',
  };
}

/** Whether two stages deploy from at least one common branch. */
function sharesBranch(a: Environment, b: Environment): boolean {
  return a.branches.some((x) => b.branches.includes(x));
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function orderHint(stages: Environment[]): string {
  const out: Environment[] = [];
  const visit = (e: Environment, trail: Set<Environment>) => {
    if (out.includes(e) || trail.has(e)) return;
    trail.add(e);
    e.requires.filter((r) => stages.includes(r)).forEach((r) => visit(r, trail));
    out.push(e);
  };
  stages.forEach((s) => visit(s, new Set()));
  return out.map((e) => e.name).join(', ');
}
