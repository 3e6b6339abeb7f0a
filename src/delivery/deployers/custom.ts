import { Deployer, DeployContext, slipwayEnv } from './deployer';
import { bakeStep, standardSmokeTest } from './smoke';
import { Application } from '../../core/application';
import { RolloutKind } from '../../core/rollout';
import { Actions, Step } from '../../github';

/**
 * Deploys with the commands of a custom target. The last good release is
 * remembered as a git tag (`slipway/deployed/<env>`, and for deploy-first
 * `slipway/validated/<env>`), which rollbacks return to.
 * @internal
 */
export class CustomDeployer implements Deployer {
  public readonly permissions = { contents: 'write' };
  public readonly runsOn?: string[];
  public readonly jobEnv: { [name: string]: string };
  private deployed = false;
  private readonly tag: string;
  private readonly validatedTag: string;

  constructor(private readonly ctx: DeployContext) {
    const o = ctx.environment.target.customOptions!;
    this.runsOn = o.runsOn;
    this.tag = `slipway/deployed/${ctx.environment.name}`;
    this.validatedTag = `slipway/validated/${ctx.environment.name}`;
    this.jobEnv = { ...slipwayEnv(ctx), ...(o.env ?? {}) };
  }

  public setup(): Step[] {
    if (this.ctx.environment.target.customOptions!.checkout === false) return [];
    return [Step.uses(Actions.checkout({ fetchDepth: 0 }), { name: 'Check out' })];
  }

  public preDeploy(): Step[] {
    const cmds = this.ctx.environment.target.customOptions!.preDeploy ?? [];
    return cmds.length ? [Step.run(cmds.join('\n'), { name: `Before deploying to ${this.ctx.environment.name}` })] : [];
  }

  public migrate(app: Application, phase: string): Step[] {
    const cmd = app.migration!.commandFor(phase as any)!;
    return [Step.run(cmd.join(' '), { name: `Migrate ${app.name} (${phase})` })];
  }

  public deploy(_app: Application, _weight: number): Step[] {
    // The custom commands deploy the whole environment once.
    if (this.deployed) return [];
    this.deployed = true;
    return [Step.run(this.ctx.environment.target.customOptions!.deploy.join('\n'), { name: `Deploy to ${this.ctx.environment.name}` })];
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

  public contract(app: Application): Step[] {
    return this.migrate(app, 'contract');
  }

  public rollback(_app: Application): Step[] {
    if (!this.deployed) return [];
    this.deployed = false;
    // deploy-first: the last deployed release may be one the gates later rejected; return to the last validated one
    if (this.ctx.environment.rollout.kind === RolloutKind.DEPLOY_FIRST) {
      return [this.rollbackTo(this.validatedTag, `Roll back ${this.ctx.environment.name} to the last validated release`, 'failure()')];
    }
    return [this.rollbackTo(this.tag, `Roll back ${this.ctx.environment.name}`, 'failure()')];
  }

  public recordValidated(condition: string): Step[] {
    return [Step.run([
      `git tag -f ${this.validatedTag} "$SLIPWAY_SHA"`,
      `git push -f origin refs/tags/${this.validatedTag}`,
    ].join('\n'), { name: `Record ${this.ctx.environment.name} as validated`, if: condition })];
  }

  public rollbackToValidated(condition: string): Step[] {
    return [this.rollbackTo(this.validatedTag, `Roll back ${this.ctx.environment.name} to the last validated release`, condition)];
  }

  /** The step that records a successful deploy, so a later rollback can return to it. */
  public recordDeployed(): Step[] {
    return [Step.run([
      `git tag -f ${this.tag} "$SLIPWAY_SHA"`,
      `git push -f origin refs/tags/${this.tag}`,
    ].join('\n'), { name: `Record ${this.ctx.environment.name} deployment` })];
  }

  private rollbackTo(tag: string, name: string, condition: string): Step {
    const rollback = this.ctx.environment.target.customOptions!.rollback ?? [];
    return Step.run([
      `git fetch --force origin "refs/tags/${tag}:refs/tags/${tag}" || { echo "::error::no ${tag} tag to roll back to"; exit 1; }`,
      `SLIPWAY_ROLLBACK_SHA="$(git rev-list -n 1 "${tag}")"`,
      'export SLIPWAY_ROLLBACK_SHA',
      'echo "rolling back to $SLIPWAY_ROLLBACK_SHA"',
      ...rollback,
    ].join('\n'), { name, if: condition });
  }
}
