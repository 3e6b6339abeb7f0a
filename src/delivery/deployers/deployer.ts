import { DeployScript, scriptStep } from './scripts';
import { Application, MigrationPhase } from '../../core/application';
import { ROLLBACK_CONDITION } from '../../core/deploy-scripts';
import { Duration } from '../../core/duration';
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
  /** Expression text of the image to deploy (`repository@digest` or `repository:tag`), per application that has one. */
  readonly images: Map<Application, string>;
  /** Expression text of the image digest (`sha256:...`), per built application. */
  readonly digests: Map<Application, string>;
  /** Expression text of the commit being deployed. */
  readonly sha: string;
}

export { ROLLBACK_CONDITION };

/**
 * Maps the actions of a deploy plan to steps for one kind of target. The
 * plan decides the order; a deployer never sequences on its own. Each method
 * returns the level-1 steps of one planned action (possibly none).
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
  /** Reads what runs now (the rollback target) before anything changes; fails the job when it cannot. */
  record(app: Application | undefined): Step[];
  preDeploy(): Step[];
  migrate(app: Application, phase: MigrationPhase): Step[];
  deploy(app: Application | undefined, weight: number): Step[];
  setWeight(app: Application, weight: number): Step[];
  /** Wait at a weight before checking. */
  bake(app: Application, weight: number, seconds: number): Step[];
  promote(app: Application): Step[];
  /** Checks the release at `weight` (0: the preview alone). */
  smokeTest(app: Application | undefined, weight: number): Step[];
  /** Every application is at 100% and checked. */
  markDeployed(): Step[];
  contract(app: Application): Step[];
  /** Back to the recorded state, when this run changed the application and no contract ran. */
  rollback(app: Application | undefined): Step[];
  /** Always last: the job's `rolled_back` and `rollback` outputs. */
  report(): Step[];
  /** Deploy-first: remember the release as validated; runs under `condition`. */
  recordValidated(condition: string): Step[];
  /** Deploy-first: return to the last validated release; runs under `condition`. */
  rollbackToValidated(condition: string): Step[];
}

/**
 * The step that runs last in a deploy job, whatever happened before, and
 * sets the job outputs `rolled_back` and `rollback` (step id `report`).
 * @internal
 */
export function reportStep(): Step {
  return scriptStep(DeployScript.REPORT, [], { id: 'report', name: 'Report the outcome', if: 'always()', timeout: Duration.minutes(1) });
}

/**
 * The variables a target's own commands (custom deploy/rollback commands,
 * `preDeploy`) run with: the commit, the environment and, per built
 * application, its image `repository@digest`.
 * @internal
 */
export function slipwayEnv(ctx: DeployContext): { [name: string]: string } {
  const env: { [name: string]: string } = { SLIPWAY_SHA: ctx.sha, SLIPWAY_ENVIRONMENT: ctx.environment.name };
  for (const [app, image] of ctx.images) env[`SLIPWAY_IMAGE_${envName(app.name)}`] = image;
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
