import { Deployer, DeployContext, preDeploySteps, reportStep, ROLLBACK_CONDITION } from './deployer';
import { DeployScript, scriptStep } from './scripts';
import { bakeStep, httpCheckStep, smokeUrl } from './smoke';
import { Application, MigrationPhase } from '../../core/application';
import { Duration } from '../../core/duration';
import { RolloutKind } from '../../core/rollout';
import { STEP_IMAGES } from '../../core/step-images';
import { Actions, Step } from '../../github';
import { ActionLock } from '../../github/actions/action-lock';
import { HelmChart } from '../../kubernetes';

/** Version of the Argo Rollouts kubectl plugin installed when an environment uses Argo Rollouts. */
const ARGO_PLUGIN_VERSION = 'v1.7.2';
/** sha256 of that version's `kubectl-argo-rollouts-linux-amd64` release asset. */
const ARGO_PLUGIN_SHA256 = 'af7eac6593bbcac4e219960995e78f6a4b3bb1e6aa47e15a495beb1a4d2da177';

/** How one application's release rolls out in the environment (the `SLIPWAY_STRATEGY` of helm-release.sh). */
type Strategy = 'rolling' | 'nginx-canary' | 'argo-canary' | 'argo-blue-green';

/**
 * Maps the plan's actions to steps that run `helm-release.sh` and
 * `cluster-check.sh` for the Helm chart bound to each application: record
 * the deployed revision, migrate with Jobs rendered from the chart, upgrade
 * (an NGINX canary moved by `canary.weight`, or an Argo Rollout followed with
 * the kubectl plugin), check from inside the cluster, and roll back to the
 * recorded revision.
 * @internal
 */
export class KubernetesDeployer implements Deployer {
  public readonly permissions = {};
  public readonly runsOn = undefined;
  public readonly jobEnv: { [name: string]: string } = {};
  private readonly ns: string;

  constructor(private readonly ctx: DeployContext, private readonly charts: Map<Application, HelmChart>) {
    this.ns = ctx.environment.target.kubernetesOptions!.namespace;
  }

  public setup(): Step[] {
    const o = this.ctx.environment.target.kubernetesOptions!;
    const steps = [
      Step.uses(Actions.checkout(), { name: 'Check out' }),
      Step.uses(Actions.setupHelm({ version: o.helmVersion ?? 'v3.13.0' }), { name: 'Set up Helm' }),
      Step.run([
        'mkdir -p "$HOME/.kube"',
        'printf \'%s\' "$KUBECONFIG_CONTENT" > "$HOME/.kube/config"',
        'chmod 600 "$HOME/.kube/config"',
        'kubectl get namespace "$SLIPWAY_NAMESPACE" --request-timeout=30s > /dev/null',
      ].join('\n'), {
        name: `Connect to the ${this.ctx.environment.name} cluster`,
        env: { KUBECONFIG_CONTENT: o.kubeconfig.expression, SLIPWAY_NAMESPACE: this.ns },
        timeout: Duration.minutes(2),
      }),
    ];
    if (this.ctx.applications.some((a) => this.strategy(a).startsWith('argo'))) {
      steps.push(Step.run([
        'mkdir -p "$RUNNER_TEMP/bin"',
        'curl -fsSL --max-time 120 -o "$RUNNER_TEMP/bin/kubectl-argo-rollouts" "https://github.com/argoproj/argo-rollouts/releases/download/$VERSION/kubectl-argo-rollouts-linux-amd64"',
        'echo "$SHA256  $RUNNER_TEMP/bin/kubectl-argo-rollouts" | sha256sum --check --strict',
        'chmod +x "$RUNNER_TEMP/bin/kubectl-argo-rollouts"',
        'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
      ].join('\n'), {
        name: `Install the Argo Rollouts kubectl plugin ${ARGO_PLUGIN_VERSION}`,
        env: { VERSION: ARGO_PLUGIN_VERSION, SHA256: ARGO_PLUGIN_SHA256 },
        timeout: Duration.minutes(3),
      }));
    }
    return steps;
  }

  public record(app: Application): Step[] {
    return [this.helmStep(app, ['record'], `Record the ${app.name} release running in ${this.ctx.environment.name}`, Duration.minutes(2).plus(this.chart(app).deployTimeout))];
  }

  public preDeploy(): Step[] {
    return preDeploySteps(this.ctx);
  }

  public migrate(app: Application, phase: MigrationPhase): Step[] {
    const chart = this.chart(app);
    // a chart that runs this phase as a Helm hook runs it during the upgrade; never twice
    if (chart.migrationRunsAsHook(phase)) return [];
    const timeout = app.migration!.timeout;
    return [this.helmStep(app, ['migrate', phase], `Migrate ${app.name} (${phase})`, timeout.plus(Duration.minutes(3)), {
      SLIPWAY_MIGRATION_JOB: chart.migrationJobName(phase),
      SLIPWAY_MIGRATION_TEMPLATE: chart.migrationJobTemplate(phase),
      SLIPWAY_MIGRATION_TIMEOUT: String(timeout.toSeconds()),
    })];
  }

  public deploy(app: Application, weight: number): Step[] {
    const env = this.ctx.environment.name;
    const strategy = this.strategy(app);
    const name = strategy === 'nginx-canary' ? `Deploy ${app.name} to ${env} as a ${weight}% canary`
      : strategy.startsWith('argo') ? `Deploy ${app.name} to ${env} (Argo Rollouts)` : `Deploy ${app.name} to ${env}`;
    return [this.helmStep(app, ['deploy', weight], name, this.rolloutBudget(app))];
  }

  public setWeight(app: Application, weight: number): Step[] {
    return [this.helmStep(app, ['set-weight', weight], `Shift ${weight}% of ${app.name} traffic to the canary`, this.rolloutBudget(app))];
  }

  public bake(app: Application, weight: number, seconds: number): Step[] {
    return [bakeStep(app, weight, seconds)];
  }

  public promote(app: Application): Step[] {
    const strategy = this.strategy(app);
    if (strategy === 'rolling') return [];
    const name = strategy === 'argo-blue-green' ? `Switch ${app.name} traffic to the new release`
      : strategy === 'argo-canary' ? `Follow the ${app.name} canary to 100%` : `Promote ${app.name} to 100%`;
    const budget = strategy === 'argo-canary' ? Duration.seconds(this.argoBudget(app)).plus(Duration.minutes(2)) : this.rolloutBudget(app).plus(this.rolloutBudget(app));
    return [this.helmStep(app, ['promote'], name, budget, strategy === 'argo-canary' ? { SLIPWAY_TIMEOUT: String(this.argoBudget(app)) } : {})];
  }

  public smokeTest(app: Application, weight: number): Step[] {
    return [...this.healthCheck(app, weight), ...this.metricGate(app, weight)];
  }

  public markDeployed(): Step[] {
    return [];
  }

  public contract(app: Application): Step[] {
    return this.migrate(app, MigrationPhase.CONTRACT);
  }

  public rollback(app: Application): Step[] {
    return [this.helmStep(app, ['rollback'], `Roll back ${app.name} in ${this.ctx.environment.name}`,
      this.rolloutBudget(app).plus(this.rolloutBudget(app)), {}, ROLLBACK_CONDITION)];
  }

  public report(): Step[] {
    return [reportStep()];
  }

  public recordValidated(): Step[] {
    return []; // deploy-first is a custom-target rollout (checked by Environment)
  }

  public rollbackToValidated(): Step[] {
    return [];
  }

  private healthCheck(app: Application, weight: number): Step[] {
    const chart = this.chart(app);
    const env = this.ctx.environment;
    const url = smokeUrl(env, app);
    const strategy = this.strategy(app);
    if (weight >= 100 && url) return [httpCheckStep(`Smoke test ${app.name} at ${url}`, url, env)];
    // Below 100% the new release is probed directly, inside the cluster, through its own Service.
    let service = chart.serviceName;
    if (weight < 100 && strategy === 'nginx-canary') service = chart.canaryServiceName;
    if (weight < 100 && strategy === 'argo-blue-green') service = chart.previewServiceName;
    const label = weight === 0 ? 'preview' : weight < 100 ? `${weight}% canary` : 'release';
    const t = env.smokeTest;
    const maxTime = t.timeout?.toSeconds() ?? 10;
    return [scriptStep(DeployScript.CLUSTER_CHECK, ['smoke', service, app.healthCheck.path ?? '/'], {
      name: `Smoke test ${app.name} (${label}) inside the cluster`,
      env: {
        ...this.checkEnv(app, weight < 100 && strategy === 'nginx-canary'),
        SLIPWAY_SMOKE_RETRIES: String(t.retries),
        SLIPWAY_SMOKE_INTERVAL: String(t.interval.toSeconds()),
        SLIPWAY_SMOKE_MAX_TIME: String(maxTime),
      },
      timeout: Duration.seconds(t.retries * (t.interval.toSeconds() + maxTime) + 180),
    })];
  }

  /**
   * A metric gate for an NGINX canary step: the environment's Prometheus
   * analysis, queried from inside the cluster `count` times, fails the step
   * (and so triggers the rollback) after more than `failureLimit` failed
   * measurements. `{{args.service}}` and `{{args.namespace}}` in the query
   * stand for the canary Service and the namespace, as in Argo Rollouts.
   */
  private metricGate(app: Application, weight: number): Step[] {
    const a = this.ctx.environment.rolloutFor(app).analysis;
    if (!a || this.strategy(app) !== 'nginx-canary' || weight >= 100) return [];
    const chart = this.chart(app);
    const query = a.query.split('{{args.service}}').join(chart.canaryServiceName).split('{{args.namespace}}').join(this.ns);
    return [scriptStep(DeployScript.CLUSTER_CHECK, ['gate'], {
      name: `Metric gate ${a.name} for ${app.name} at ${weight}%`,
      env: {
        ...this.checkEnv(app, true),
        SLIPWAY_GATE_NAME: a.name,
        SLIPWAY_PROMETHEUS: a.address,
        SLIPWAY_GATE_QUERY: query,
        SLIPWAY_GATE_CONDITION: a.successCondition.replace(/result\[0\]/g, 'r'),
        SLIPWAY_GATE_COUNT: String(a.count),
        SLIPWAY_GATE_INTERVAL: String(a.interval.toSeconds()),
        SLIPWAY_GATE_FAILURE_LIMIT: String(a.failureLimit),
      },
      timeout: Duration.seconds(a.count * (a.interval.toSeconds() + 150) + 60),
    })];
  }

  private checkEnv(app: Application, canaryOnly: boolean): { [name: string]: string } {
    return {
      SLIPWAY_APP: app.name,
      SLIPWAY_NAMESPACE: this.ns,
      // by digest: slipway.lock.json's pin (`npx slipway pin --images`), else the built-in image lock's
      SLIPWAY_CHECK_IMAGE: ActionLock.of(this.ctx.environment)._imageRef(STEP_IMAGES.curl),
      SLIPWAY_CANARY_ONLY: String(canaryOnly),
    };
  }

  private chart(app: Application): HelmChart {
    const chart = this.charts.get(app);
    if (!chart) throw new Error(`no Helm chart is bound to application "${app.name}" in environment "${this.ctx.environment.name}"`);
    return chart;
  }

  private strategy(app: Application): Strategy {
    const c = this.chart(app);
    const env = this.ctx.environment.name;
    if (c.usesArgoRollouts(env)) return this.ctx.environment.rolloutFor(app).kind === RolloutKind.BLUE_GREEN ? 'argo-blue-green' : 'argo-canary';
    return c.strategyFor(env) === 'nginx-canary' ? 'nginx-canary' : 'rolling';
  }

  /** The parameters of helm-release.sh for one application. */
  private releaseEnv(app: Application): { [name: string]: string } {
    const chart = this.chart(app);
    const env: { [name: string]: string } = {
      SLIPWAY_APP: app.name,
      SLIPWAY_RELEASE: chart.releaseName,
      SLIPWAY_NAMESPACE: this.ns,
      SLIPWAY_CHART: chart.chartDir,
      SLIPWAY_VALUES: chart.valuesFile(this.ctx.environment.name),
      SLIPWAY_STRATEGY: this.strategy(app),
      SLIPWAY_TIMEOUT: String(chart.deployTimeout.toSeconds()),
    };
    if (app.image.buildOptions) {
      env.SLIPWAY_IMAGE_TAG = this.ctx.sha;
      env.SLIPWAY_IMAGE_DIGEST = this.ctx.digests.get(app) ?? '';
    } else if (app.image.defaultTag) {
      env.SLIPWAY_IMAGE_TAG = app.image.defaultTag;
    }
    if (this.strategy(app).startsWith('argo')) env.SLIPWAY_ROLLOUT = chart.rolloutName;
    return env;
  }

  private helmStep(app: Application, args: Array<string | number>, name: string, timeout: Duration,
    extra: { [name: string]: string } = {}, condition?: string): Step {
    return scriptStep(DeployScript.HELM, args, { name, env: { ...this.releaseEnv(app), ...extra }, timeout, if: condition });
  }

  /** The time one `helm upgrade --wait` may take, plus a margin for the API calls around it. */
  private rolloutBudget(app: Application): Duration {
    return this.chart(app).deployTimeout.plus(Duration.minutes(2));
  }

  /** Time the Argo canary may take: every bake plus the deploy timeout, twice. */
  private argoBudget(app: Application): number {
    const r = this.ctx.environment.rolloutFor(app);
    const bakes = (r.steps?.length ?? 1) * (r.bake?.toSeconds() ?? 0);
    return bakes + this.chart(app).deployTimeout.toSeconds() * 2;
  }
}
