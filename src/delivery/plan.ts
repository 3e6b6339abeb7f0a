import type { Check } from './check';
import type { Environment } from './environment';
import type { Application } from '../core/application';

/**
 * The delivery plan: what a Pipeline compiles into before any YAML exists.
 * Jobs, their dependencies and conditions, and the ordered actions of each
 * deploy job. The plan is built once, in one place (`buildPlan`), tested on
 * its own (graph tests), then rendered into level-1 workflows.
 */

/** What a planned job is for. */
export enum PlanJobKind {
  /** A quality gate (lint, tests, scans). */
  GATE = 'gate',
  /** Builds and pushes every image once (outside pull requests). */
  BUILD = 'build',
  /** Builds every image on pull requests, without pushing and without write scopes. */
  PULL_REQUEST_BUILD = 'pull-request-build',
  /** The typed-confirmation check of a manual dispatch. */
  CONFIRM = 'confirm',
  /** Deploys one environment (migrations, rollout, checks, promotion, contract, rollback). */
  DEPLOY = 'deploy',
  /** A check that runs against a deployed environment (load test, DAST). */
  VERIFY = 'verify',
  /** Deploy-first: records the validated release, or rolls back to it. */
  VALIDATE = 'validate',
  /** Reports the result of every job of the workflow, and fails when one failed. */
  SUMMARY = 'summary',
  /** Sends notifications. */
  NOTIFY = 'notify',
}

/** When a planned action runs, relative to the ones before it. */
export enum PlanWhen {
  /** Only if everything before succeeded. */
  SUCCESS = 'success',
  /** Only if something before failed, or the job was cancelled or timed out. */
  FAILURE = 'failure',
  /** Whatever happened before (reports). */
  ALWAYS = 'always',
}

/** One ordered action of a deploy job. */
export interface PlanAction {
  /** What it does. */
  readonly kind: 'setup' | 'record' | 'pre-deploy' | 'migrate' | 'deploy' | 'set-weight' | 'bake' | 'smoke-test' | 'promote'
  | 'mark-deployed' | 'contract' | 'rollback' | 'report' | 'record-validated' | 'rollback-to-validated';
  /** The application it concerns, if any. */
  readonly application?: Application;
  /** Migration phase (migrate, contract). */
  readonly phase?: string;
  /** Traffic weight in percent (deploy of a canary, set-weight). */
  readonly weight?: number;
  /** When it runs. */
  readonly when: PlanWhen;
}

/** One planned job. */
export interface PlanJob {
  /** Job id in its workflow. */
  readonly id: string;
  /** The workflow file (without `.yml`) the job belongs to. */
  readonly workflow: string;
  /** What it is for. */
  readonly kind: PlanJobKind;
  /** Ids of the jobs it needs (same workflow). */
  readonly needs: string[];
  /** The environment it deploys or verifies, if any. */
  readonly environment?: Environment;
  /** The check it runs (gate and verify jobs). */
  readonly check?: Check;
  /** Ordered actions (deploy and validate jobs). */
  readonly actions: PlanAction[];
  /** Human label for the graph. */
  readonly label: string;
  /** Whether the job runs only on deploying events (push to the environment's branches, dispatch). */
  readonly deploysOnly: boolean;
  /** Extra condition on the results of needed jobs: `all-success` (default) or `always-after` (runs whatever they concluded). */
  readonly runsWhen: 'all-success' | 'always-after';
}

/** The whole plan of one pipeline. */
export interface Plan {
  /** Every job, in rendering order. */
  readonly jobs: PlanJob[];
}

/** The job with `id` in `workflow`, or throws. */
export function planJob(plan: Plan, id: string, workflow?: string): PlanJob {
  const job = plan.jobs.find((j) => j.id === id && (workflow === undefined || j.workflow === workflow));
  if (!job) throw new Error(`no planned job "${id}"; jobs: ${plan.jobs.map((j) => j.id).join(', ')}`);
  return job;
}

/** Every job `id` depends on, directly or transitively. */
export function upstreamOf(plan: Plan, id: string, workflow?: string): Set<string> {
  const start = planJob(plan, id, workflow);
  const seen = new Set<string>();
  const visit = (j: PlanJob) => {
    for (const n of j.needs) {
      if (seen.has(n)) continue;
      seen.add(n);
      visit(planJob(plan, n, j.workflow));
    }
  };
  visit(start);
  return seen;
}
