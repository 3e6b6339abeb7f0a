import { Application } from '../../core/application';
import { Step } from '../../github';
import { Environment } from '../environment';

/**
 * What a deployer knows while it renders one stage's deploy job.
 * @internal
 */
export interface DeployContext {
  /** The stage. */
  readonly environment: Environment;
  /** Every application the stage deploys. */
  readonly applications: Application[];
  /** Expression text of the image to deploy (`repository@digest`), per built application. */
  readonly images: { [application: string]: string };
  /** Expression text of the commit being deployed. */
  readonly sha: string;
}

/**
 * Renders the actions of a deploy plan for one kind of target. Each method
 * returns the level-1 steps of one planned action.
 * @internal
 */
export interface Deployer {
  /** Permissions the deploy job needs beyond `contents: read`. */
  readonly permissions: { [scope: string]: string };
  /** Runner labels. */
  readonly runsOn?: string[];
  /** Environment variables for the whole job. */
  readonly jobEnv: { [name: string]: string };
  setup(): Step[];
  preDeploy(): Step[];
  migrate(app: Application, phase: string): Step[];
  deploy(app: Application, weight: number): Step[];
  setWeight(app: Application, weight: number): Step[];
  /** Wait at a weight before checking. */
  bake(app: Application, weight: number, seconds: number): Step[];
  promote(app: Application): Step[];
  /** The URL a smoke test probes at `weight` (0: the preview/new release alone), or undefined to probe from inside the platform. */
  smokeTest(app: Application, weight: number): Step[];
  contract(app: Application): Step[];
  rollback(app: Application): Step[];
  /** Steps that record a successful deploy so a later rollback can return to it (before the rollback steps). */
  recordDeployed?(): Step[];
  /** Deploy-first: remember the release as validated; runs under `condition`. */
  recordValidated(condition: string): Step[];
  /** Deploy-first: return to the last validated release; runs under `condition`. */
  rollbackToValidated(condition: string): Step[];
}

/**
 * The variables a target's own commands (custom deploy/rollback commands,
 * `preDeploy`) run with: the commit, the environment and, per built
 * application, its image `repository@digest`.
 * @internal
 */
export function slipwayEnv(ctx: DeployContext): { [name: string]: string } {
  const env: { [name: string]: string } = { SLIPWAY_SHA: ctx.sha, SLIPWAY_ENVIRONMENT: ctx.environment.name };
  for (const [app, image] of Object.entries(ctx.images)) env[`SLIPWAY_IMAGE_${envName(app)}`] = image;
  return env;
}

/**
 * The step that runs a target's `preDeploy` commands with {@link slipwayEnv}.
 * @internal
 */
export function preDeploySteps(ctx: DeployContext): Step[] {
  const commands = ctx.environment.target.preDeployCommands;
  if (commands.length === 0) return [];
  return [Step.run(commands.join('\n'), { name: `Before deploying to ${ctx.environment.name}`, env: slipwayEnv(ctx) })];
}

/** Upper-snake form of a name, for environment variables. @internal */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Single-quotes a string for bash. @internal */
export function shq(s: string): string {
  return `'${s.replace(/'/g, '\'"\'"\'')}'`;
}
