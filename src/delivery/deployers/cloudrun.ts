import { Deployer, DeployContext, preDeploySteps, reportStep } from './deployer';
import { bakeStep, standardSmokeTest } from './smoke';
import { CloudRunDeployment } from '../../cloudrun';
import { Application, MigrationPhase } from '../../core/application';
import { Step } from '../../github';

/**
 * Maps the plan's actions to the steps of each application's
 * {@link CloudRunDeployment} (one verb of `cloud-run.sh` each): record the
 * serving split, migrate with Cloud Run jobs, deploy a tagged revision
 * without traffic, shift, bake and check at each canary weight, promote,
 * check, and roll back to the recorded split.
 * @internal
 */
export class CloudRunDeployer implements Deployer {
  public readonly permissions = {};
  public readonly runsOn = undefined;
  public readonly jobEnv: { [name: string]: string } = {};

  constructor(private readonly ctx: DeployContext, private readonly deployments: Map<Application, CloudRunDeployment>) {}

  public setup(): Step[] {
    const steps: Step[] = [];
    this.ctx.applications.forEach((app, i) => {
      const [checkout, auth, gcloud, render] = this.deployment(app).setupSteps();
      // check out, authenticate and set up gcloud once per job; render per service
      steps.push(...(i === 0 ? [checkout, auth, gcloud] : []), render);
    });
    return steps;
  }

  public record(app: Application): Step[] {
    return [this.deployment(app).recordStep()];
  }

  public preDeploy(): Step[] {
    return preDeploySteps(this.ctx);
  }

  public migrate(app: Application, phase: MigrationPhase): Step[] {
    return this.deployment(app).migrationSteps(phase);
  }

  public deploy(app: Application, weight: number): Step[] {
    const d = this.deployment(app);
    const steps = [d.deployStep()];
    // public invocation is an IAM binding, not part of the service spec
    if (this.ctx.environment.target.cloudRunOptions!.allowUnauthenticated) steps.push(d.allowPublicStep());
    if (d.service.trafficTag && weight > 0 && weight < 100) {
      // a canary's first weight: the revision is checked through its tag URL before it gets traffic
      steps.push(d.checkStep(true), d.shiftStep(weight));
    }
    return steps;
  }

  public setWeight(app: Application, weight: number): Step[] {
    return [this.deployment(app).shiftStep(weight)];
  }

  public bake(app: Application, weight: number, seconds: number): Step[] {
    return [bakeStep(app, weight, seconds)];
  }

  public promote(app: Application): Step[] {
    return this.deployment(app).service.trafficTag ? [this.deployment(app).promoteStep()] : [];
  }

  public smokeTest(app: Application, weight: number): Step[] {
    const d = this.deployment(app);
    if (weight < 100) return [d.checkStep(true)];
    // the service URL, then the environment URL (a domain mapping or load balancer) when there is one
    const steps = [d.checkStep(false)];
    if (this.ctx.environment.url) {
      const s = standardSmokeTest(this.ctx.environment, app, `${app.name} at ${this.ctx.environment.url}`);
      if (s) steps.push(s);
    }
    return steps;
  }

  public markDeployed(): Step[] {
    return [];
  }

  public contract(app: Application): Step[] {
    return this.deployment(app).migrationSteps(MigrationPhase.CONTRACT);
  }

  public rollback(app: Application): Step[] {
    return [this.deployment(app).rollbackStep()];
  }

  public report(): Step[] {
    return [reportStep()];
  }

  public recordValidated(): Step[] {
    return [];
  }

  public rollbackToValidated(): Step[] {
    return [];
  }

  private deployment(app: Application): CloudRunDeployment {
    const d = this.deployments.get(app);
    if (!d) throw new Error(`no Cloud Run service is bound to application "${app.name}" in environment "${this.ctx.environment.name}"`);
    return d;
  }
}
