import { Construct } from 'constructs';
import { Approval, ApprovalKind } from './approval';
import { Check } from './check';
import { SmokeTest } from './smoke-test';
import { Target, TargetKind } from './target';
import { Application } from '../core/application';
import { Rollout, RolloutKind } from '../core/rollout';

/**
 * Properties of an {@link Environment}.
 */
export interface EnvironmentProps {
  /** Where the environment runs. */
  readonly target: Target;
  /**
   * How a release rolls out here.
   * @default Rollout.allAtOnce()
   */
  readonly rollout?: Rollout;
  /**
   * Rollouts of single applications that differ from `rollout`, by
   * application name, e.g. `{ web: Rollout.allAtOnce() }` when only the API
   * of an environment deploys blue-green.
   * @default - every application rolls out with `rollout`
   */
  readonly applicationRollouts?: { [application: string]: Rollout };
  /**
   * A person's approval before deploying here.
   * @default - no approval
   */
  readonly approval?: Approval;
  /**
   * Public URL of the environment (the GitHub environment's URL and the smoke test's base).
   * @default - none; the smoke test then probes the target directly
   */
  readonly url?: string;
  /**
   * Environments that must be deployed successfully before this one (promotion order).
   * @default - none
   */
  readonly requires?: Environment[];
  /**
   * The check after every deploy and between rollout steps.
   * @default SmokeTest.http() against `url` and the application's health path, 5 attempts 10 s apart
   */
  readonly smokeTest?: SmokeTest;
  /**
   * Name of the GitHub environment the deploy job references (for its
   * secrets, URL and protection rules). To deploy without one, set
   * `useGithubEnvironment: false`.
   * @default - the environment's id
   */
  readonly githubEnvironment?: string;
  /**
   * Whether the deploy job references a GitHub environment at all.
   * @default true
   */
  readonly useGithubEnvironment?: boolean;
  /**
   * Branches whose pushes deploy here.
   * @default ["main"]
   */
  readonly branches?: string[];
  /**
   * Plain environment variables added to the applications in this environment.
   *
   * On Kubernetes they go into the chart's values file of the environment, on
   * Cloud Run into the service spec. A custom target takes its variables in
   * `Target.custom({ env })`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Checks that run against this environment after it deployed (load test,
   * DAST); the next stage waits for them.
   * @default - none
   */
  readonly checks?: Check[];
  /**
   * Replica count for this environment (Kubernetes) / minimum instances (Cloud Run).
   *
   * A custom target has none.
   * @default - the application's scaling
   */
  readonly replicas?: number;
}

/**
 * A place the applications are deployed to: dev, staging, production, a
 * Cloud Run project. Pipelines list environments as their stages, in
 * promotion order.
 */
export class Environment extends Construct {
  /** The environment's name (its construct id). */
  public readonly name: string;
  /** Where it runs. */
  public readonly target: Target;
  /** How releases roll out (unless `applicationRollouts` names the application). */
  public readonly rollout: Rollout;
  /** Rollouts of single applications that differ from `rollout`, by application name. */
  public readonly applicationRollouts: { [application: string]: Rollout };
  /** Approval, if any. */
  public readonly approval?: Approval;
  /** Public URL. */
  public readonly url?: string;
  /** Prerequisite environments. */
  public readonly requires: Environment[];
  /** The post-deploy check. */
  public readonly smokeTest: SmokeTest;
  /** GitHub environment name, if one is used. */
  public readonly githubEnvironment?: string;
  /** Branches that deploy here. */
  public readonly branches: string[];
  /** Extra plain environment variables. */
  public readonly env: { [name: string]: string };
  /** Replica override. */
  public readonly replicas?: number;
  /** Post-deploy checks. */
  public readonly checks: Check[];

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    // Every problem of the props is collected and reported at synth, with the others of the definition.
    const problems: string[] = [];
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(id) || id.length > 30) {
      problems.push(`Environment name "${id}" must be lowercase letters, digits and "-", start with a letter and have at most 30 characters (it names values files, jobs and concurrency groups)`);
    }
    this.name = id;
    this.target = props.target;
    this.rollout = props.rollout ?? Rollout.allAtOnce();
    this.applicationRollouts = { ...(props.applicationRollouts ?? {}) };
    this.approval = props.approval;
    this.url = props.url;
    this.requires = [...(props.requires ?? [])];
    this.smokeTest = props.smokeTest ?? SmokeTest.http();
    const useEnv = props.useGithubEnvironment ?? true;
    this.githubEnvironment = useEnv ? (props.githubEnvironment ?? id) : undefined;
    this.branches = [...(props.branches ?? ['main'])];
    this.env = { ...(props.env ?? {}) };
    this.replicas = props.replicas;
    this.checks = [...(props.checks ?? [])];

    if (this.rollout.splitsTraffic && !this.target.canSplitTraffic) {
      problems.push(`rollout ${this.rollout.kind} needs a target that can split traffic, but target is ${this.target.kind} (${this.target.customOptions?.platform ?? 'custom commands'}); use Rollout.allAtOnce() or Rollout.deployFirst(), or a Kubernetes or Cloud Run target`);
    }
    if (this.rollout.kind === RolloutKind.DEPLOY_FIRST && this.target.kind !== TargetKind.CUSTOM) {
      problems.push(`Rollout.deployFirst() is for custom targets (it rolls back to the last validated commit with your rollback commands); on ${this.target.kind} use Rollout.allAtOnce(), canary or blue-green, which roll back automatically`);
    }
    if (this.rollout.kind === RolloutKind.DEPLOY_FIRST && !this.target.canRollBack) {
      problems.push('Rollout.deployFirst() rolls back to the last validated release when verification fails, but the custom target has no rollback commands; add rollback: [...] to Target.custom({...})');
    }
    for (const [name, r] of Object.entries(this.applicationRollouts)) {
      if (r.kind === RolloutKind.DEPLOY_FIRST || this.rollout.kind === RolloutKind.DEPLOY_FIRST) {
        problems.push(`applicationRollouts.${name}: Rollout.deployFirst() validates a whole environment, so it cannot be mixed with other rollouts; set it as rollout and leave applicationRollouts out`);
      }
      if (r.splitsTraffic && !this.target.canSplitTraffic) {
        problems.push(`applicationRollouts.${name}: rollout ${r.kind} needs a target that can split traffic, but target is ${this.target.kind}; use Rollout.allAtOnce(), or a Kubernetes or Cloud Run target`);
      }
    }
    if (this.approval?.kind === ApprovalKind.ENVIRONMENT && !this.githubEnvironment) {
      problems.push('approval: Approval.environment() is enforced by GitHub environment protection rules, but useGithubEnvironment is false; remove useGithubEnvironment: false or use Approval.manualDispatch()');
    }
    if (this.approval?.kind === ApprovalKind.MANUAL_DISPATCH && this.rollout.kind === RolloutKind.DEPLOY_FIRST) {
      problems.push('Rollout.deployFirst() deploys on every push before verification, which contradicts approval: Approval.manualDispatch(); choose one');
    }
    if (this.replicas !== undefined && (!Number.isInteger(this.replicas) || this.replicas < 0)) {
      problems.push(`replicas must be an integer ≥ 0, got ${JSON.stringify(this.replicas)}`);
    }
    for (const r of this.requires) {
      if (r === this) problems.push('requires itself; list the environments that must deploy before this one');
    }
    if (this.url !== undefined && !/^https?:\/\/[^\s/]+(?:\/\S*)?$/.test(this.url) && !this.url.includes('${{')) {
      problems.push(`url "${this.url}" is not an http(s) URL (it is the GitHub environment's URL and the smoke test's base); write it with its scheme, e.g. "https://${this.url.replace(/^[a-z]+:\/*/i, '').trim() || 'staging.example.com'}"`);
    }
    if (this.branches.length === 0) problems.push('branches is an empty list, so nothing would deploy here; leave it out (main) or give a branch, e.g. ["main"]');
    this.branches.forEach((b, i) => {
      if (typeof b === 'string' && b.trim() === '') problems.push(`branches entry ${i + 1} is empty; give a branch name, e.g. "main"`);
    });
    // a custom target deploys with the user's commands: nothing would carry these to the applications
    if (this.target.kind === TargetKind.CUSTOM && Object.keys(this.env).length > 0) {
      problems.push(`env (${Object.keys(this.env).join(', ')}) is added to the applications of Kubernetes and Cloud Run targets, but a custom target deploys with your commands; give the variables to them: Target.custom({ deploy: [...], env: { ... } })`);
    }
    if (this.target.kind === TargetKind.CUSTOM && this.replicas !== undefined) {
      problems.push('replicas sets the replica count on Kubernetes and the minimum instances on Cloud Run, but a custom target deploys with your commands; remove replicas and scale in the commands');
    }
    if (problems.length) this.node.addValidation({ validate: () => problems });
  }

  /**
   * How an application rolls out here: its entry of `applicationRollouts`,
   * else `rollout`.
   */
  public rolloutFor(application: Application): Rollout {
    return this.applicationRollouts[application.name] ?? this.rollout;
  }
}
