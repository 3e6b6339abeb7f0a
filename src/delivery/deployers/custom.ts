import { Deployer, DeployContext, ROLLBACK_CONDITION, reportStep, slipwayEnv } from './deployer';
import { DeployScript, scriptStep } from './scripts';
import { bakeStep, standardSmokeTest } from './smoke';
import { Application, MigrationPhase } from '../../core/application';
import { Duration } from '../../core/duration';
import { RolloutKind } from '../../core/rollout';
import { Actions, Step } from '../../github';

/** Step ids of the rollback of a custom target (one per job). */
const PREPARE = 'prepare-rollback';
const COMMANDS = 'rollback-commands';

/**
 * Deploys with the commands of a custom target. The last deployed release
 * (`slipway/deployed/<env>`) and, for deploy-first, the last validated one
 * (`slipway/validated/<env>`) are git tags that `release-marker.sh` reads
 * before anything changes and moves after checks pass; the target's
 * rollback commands return to the recorded commit.
 * @internal
 */
export class CustomDeployer implements Deployer {
  public readonly permissions = { contents: 'write' };
  public readonly runsOn?: string[];
  public readonly jobEnv: { [name: string]: string };
  private recorded = false;
  private deployed = false;
  private rolledBack = false;

  constructor(private readonly ctx: DeployContext) {
    const o = ctx.environment.target.customOptions!;
    this.runsOn = o.runsOn;
    this.jobEnv = { ...slipwayEnv(ctx), SLIPWAY_APP: ctx.environment.name, ...(o.env ?? {}) };
  }

  public setup(): Step[] {
    // release-marker.sh pushes the release tags to origin: these jobs keep the checkout's credentials
    if (this.ctx.environment.target.customOptions!.checkout === false) {
      // the deploy scripts (and the origin remote the release tags live in) without the repository's files
      // full history: a rollback moves the deployed tag back to the recorded commit, which must be here
      return [Step.uses(Actions.checkout({ sparseCheckout: ['.github/slipway'], fetchDepth: 0, persistCredentials: true }), { name: 'Check out the deploy scripts' })];
    }
    return [Step.uses(Actions.checkout({ fetchDepth: 0, persistCredentials: true }), { name: 'Check out' })];
  }

  public record(): Step[] {
    if (this.recorded) return [];
    this.recorded = true;
    return [this.marker(['record'], `Record the release running in ${this.ctx.environment.name}`)];
  }

  public preDeploy(): Step[] {
    const cmds = this.ctx.environment.target.customOptions!.preDeploy ?? [];
    return cmds.length ? [Step.run(cmds.join('\n'), { name: `Before deploying to ${this.ctx.environment.name}` })] : [];
  }

  public migrate(app: Application, phase: MigrationPhase): Step[] {
    const cmd = app.migration!.commandFor(phase)!;
    const steps: Step[] = [];
    if (phase === MigrationPhase.CONTRACT) steps.push(this.marker(['contract'], `Mark the contract of ${app.name} as started`));
    steps.push(Step.run(cmd.join(' '), { name: `Migrate ${app.name} (${phase})`, timeout: app.migration!.timeout.plus(Duration.minutes(1)) }));
    return steps;
  }

  public deploy(): Step[] {
    // The custom commands deploy the whole environment once.
    if (this.deployed) return [];
    this.deployed = true;
    return [
      this.marker(['begin'], `Mark ${this.ctx.environment.name} as changing`),
      Step.run(this.ctx.environment.target.customOptions!.deploy.join('\n'), { name: `Deploy to ${this.ctx.environment.name}` }),
    ];
  }

  public setWeight(): Step[] {
    return [];
  }

  public bake(app: Application, weight: number, seconds: number): Step[] {
    return [bakeStep(app, weight, seconds)];
  }

  public promote(): Step[] {
    return [];
  }

  public smokeTest(app: Application | undefined, weight: number): Step[] {
    // without applications (a pipeline of commands), the environment itself is checked
    const label = app ? `${app.name}${weight < 100 ? ` at ${weight}%` : ''}` : this.ctx.environment.name;
    const s = standardSmokeTest(this.ctx.environment, app, label);
    return s ? [s] : [];
  }

  public markDeployed(): Step[] {
    return [this.marker(['mark-deployed'], `Record ${this.ctx.environment.name} deployment`)];
  }

  public contract(app: Application): Step[] {
    return this.migrate(app, MigrationPhase.CONTRACT);
  }

  public rollback(): Step[] {
    if (this.rolledBack) return [];
    this.rolledBack = true;
    // deploy-first: the deploy job already returns to the last release it recorded; the validate job
    // returns to the last validated one when the gates reject this release
    return this.rollbackSteps(['prepare-rollback'], ROLLBACK_CONDITION, this.ctx.environment.rollout.kind === RolloutKind.DEPLOY_FIRST
      ? `Roll back ${this.ctx.environment.name} to the release before this deploy`
      : `Roll back ${this.ctx.environment.name}`);
  }

  public report(): Step[] {
    return [reportStep()];
  }

  public recordValidated(condition: string): Step[] {
    return [this.marker(['validate'], `Record ${this.ctx.environment.name} as validated`, condition)];
  }

  public rollbackToValidated(condition: string): Step[] {
    return this.rollbackSteps(['prepare-revalidate'], condition, `Roll back ${this.ctx.environment.name} to the last validated release`);
  }

  /** Decide (and record) whether to roll back, run the target's rollback commands, record their outcome. */
  private rollbackSteps(prepare: string[], condition: string, name: string): Step[] {
    const commands = this.ctx.environment.target.customOptions!.rollback ?? [];
    if (commands.length === 0) return [];
    // always(): the commands and the record of their outcome run whatever happened in between
    // (a cancel, failing commands); a condition without a status function would mean success() && …
    const needed = `always() && (${condition}) && steps.${PREPARE}.outputs.needed == 'true'`;
    return [
      this.marker(prepare, `Prepare the rollback of ${this.ctx.environment.name}`, condition, PREPARE),
      Step.run(commands.join('\n'), { id: COMMANDS, name, if: needed }),
      this.marker(['finish-rollback', '"$OUTCOME"'], `Record the rollback of ${this.ctx.environment.name}`, needed,
        undefined, { OUTCOME: `\${{ steps.${COMMANDS}.outcome }}` }),
    ];
  }

  private marker(args: string[], name: string, condition?: string, id?: string, env?: { [name: string]: string }): Step {
    return scriptStep(DeployScript.RELEASE_MARKER, args, { id, name, if: condition, env, timeout: Duration.minutes(3) });
  }
}
