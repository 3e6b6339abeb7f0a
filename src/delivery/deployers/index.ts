import { Application } from '../../core/application';
import { Environment } from '../environment';
import { TargetKind } from '../target';
import { cloudRunDeploymentFor, helmChartFor } from '../targets';
import { CloudRunDeployer } from './cloudrun';
import { CustomDeployer } from './custom';
import { Deployer, DeployContext } from './deployer';
import { KubernetesDeployer } from './kubernetes';

/**
 * The deployer for a stage's target. `digests` gives, per built
 * application, the expression of its image digest (`sha256:...`).
 * @internal
 */
export function createDeployer(ctx: DeployContext, stages: Environment[], digests: { [app: string]: string }): Deployer {
  const byApp = <T>(f: (a: Application) => T) => Object.fromEntries(ctx.applications.map((a) => [a.name, f(a)])) as { [app: string]: T };
  switch (ctx.environment.target.kind) {
    case TargetKind.KUBERNETES: return new KubernetesDeployer(ctx, byApp((a) => helmChartFor(a, stages)));
    case TargetKind.CLOUD_RUN:
      return new CloudRunDeployer(ctx, byApp((a) => cloudRunDeploymentFor(ctx.environment, a, ctx.applications, digests[a.name])));
    default: return new CustomDeployer(ctx);
  }
}
