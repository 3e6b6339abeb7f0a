import { Deployer, DeployContext, preDeploySteps } from './deployer';
import { standardSmokeTest } from './smoke';
import { CloudRunDeployment } from '../../cloudrun';
import { Application, MigrationPhase } from '../../core/application';
import { Step } from '../../github';

/**
 * Deploys each application's generated Cloud Run spec through the Cloud Run
 * target's deploy steps: tagged no-traffic revision, `update-traffic`
 * canary steps with checks, promotion, rollback to the recorded revision.
 * The Cloud Run steps own traffic shifting and baking, so the plan's
 * set-weight and bake actions render to nothing here.
 * @internal
 */
export class CloudRunDeployer implements Deployer {
  public readonly permissions = {};
  public readonly runsOn = undefined;
  public readonly jobEnv: { [name: string]: string } = {};

  constructor(private readonly ctx: DeployContext, private readonly deployments: { [app: string]: CloudRunDeployment }) {}

  public setup(): Step[] {
    const seen = new Set<string>();
    const steps: Step[] = [];
    for (const app of this.ctx.applications) {
      for (const s of this.deployments[app.name].setupSteps()) {
        // checkout, authentication and gcloud once per job; render and record per service
        const key = s.id ?? s.name ?? '';
        if (seen.has(key)) continue;
        seen.add(key);
        steps.push(s);
      }
    }
    return steps;
  }

  public preDeploy(): Step[] {
    return preDeploySteps(this.ctx);
  }

  public migrate(app: Application, phase: string): Step[] {
    return this.deployments[app.name].migrationSteps(phase as MigrationPhase);
  }

  public deploy(app: Application): Step[] {
    const steps = this.deployments[app.name].rolloutSteps();
    if (this.ctx.environment.target.cloudRunOptions!.allowUnauthenticated) {
      const svc = this.deployments[app.name].service;
      // public invocation is an IAM binding, not part of the service spec
      steps.splice(1, 0, Step.run(
        `gcloud run services add-iam-policy-binding ${svc.serviceName} --project=${svc.project} --region=${svc.region} --member=allUsers --role=roles/run.invoker`,
        { name: `Allow unauthenticated calls to ${svc.serviceName}` },
      ));
    }
    return steps;
  }

  public setWeight(): Step[] {
    return [];
  }

  public bake(): Step[] {
    return [];
  }

  public promote(): Step[] {
    return [];
  }

  public smokeTest(app: Application, weight: number): Step[] {
    // the deploy steps check the tag URL at each step and the service URL after promotion;
    // an environment URL (a domain mapping or load balancer) is checked too
    if (weight < 100 || !this.ctx.environment.url) return [];
    const s = standardSmokeTest(this.ctx.environment, app, `${app.name} at ${this.ctx.environment.url}`);
    return s ? [s] : [];
  }

  public contract(app: Application): Step[] {
    return this.deployments[app.name].migrationSteps(MigrationPhase.CONTRACT);
  }

  public rollback(app: Application): Step[] {
    return [this.deployments[app.name].rollbackStep()];
  }

  public recordValidated(): Step[] {
    return [];
  }

  public rollbackToValidated(): Step[] {
    return [];
  }
}
