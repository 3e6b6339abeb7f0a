import { Deployer, DeployContext, envName, preDeploySteps } from './deployer';
import { bakeStep, httpCheckStep, smokeUrl } from './smoke';
import { Application, MigrationPhase } from '../../core/application';
import { RolloutKind } from '../../core/rollout';
import { Actions, Step } from '../../github';
import { HelmChart } from '../../kubernetes';

/** Version of the Argo Rollouts kubectl plugin installed when an environment uses Argo Rollouts. */
const ARGO_PLUGIN_VERSION = 'v1.7.2';
/** Image of the in-cluster smoke test pod. */
const CURL_IMAGE = 'curlimages/curl:8.11.1';

/**
 * Deploys the generated Helm chart of each application with `helm upgrade
 * --install`, steps NGINX canaries with `canary.weight`, follows Argo
 * Rollouts with the kubectl plugin, runs migration Jobs rendered from the
 * chart (`migration.run=<phase>`), and rolls back with Helm.
 * @internal
 */
export class KubernetesDeployer implements Deployer {
  public readonly permissions = {};
  public readonly runsOn = undefined;
  public readonly jobEnv: { [name: string]: string };
  private readonly ns: string;

  constructor(private readonly ctx: DeployContext, private readonly charts: { [app: string]: HelmChart }) {
    const o = ctx.environment.target.kubernetesOptions!;
    this.ns = o.namespace;
    const env: { [name: string]: string } = { SLIPWAY_SHA: ctx.sha };
    for (const [app, image] of Object.entries(ctx.images)) env[`IMAGE_${envName(app)}`] = image;
    this.jobEnv = env;
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
        `kubectl version --client && kubectl get namespace ${this.ns} > /dev/null`,
      ].join('\n'), { name: `Connect to the ${this.ctx.environment.name} cluster`, env: { KUBECONFIG_CONTENT: o.kubeconfig.expression } }),
    ];
    if (this.ctx.applications.some((a) => this.chart(a).usesArgoRollouts(this.ctx.environment.name))) {
      steps.push(Step.run([
        'mkdir -p "$RUNNER_TEMP/bin"',
        `curl -fsSL -o "$RUNNER_TEMP/bin/kubectl-argo-rollouts" https://github.com/argoproj/argo-rollouts/releases/download/${ARGO_PLUGIN_VERSION}/kubectl-argo-rollouts-linux-amd64`,
        'chmod +x "$RUNNER_TEMP/bin/kubectl-argo-rollouts"',
        'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
        '"$RUNNER_TEMP/bin/kubectl-argo-rollouts" version',
      ].join('\n'), { name: `Install the Argo Rollouts kubectl plugin ${ARGO_PLUGIN_VERSION}` }));
    }
    return steps;
  }

  public preDeploy(): Step[] {
    return preDeploySteps(this.ctx);
  }

  public migrate(app: Application, phase: string): Step[] {
    const chart = this.chart(app);
    const p = phase as MigrationPhase;
    const job = chart.migrationJobName(p);
    const timeout = app.migration!.timeout.toSeconds();
    return [Step.run([
      `helm template ${chart.releaseName} ${chart.chartDir} --namespace ${this.ns} ${this.imageArgs(app)} \\`,
      `  --set migration.run=${phase} --show-only ${chart.migrationJobTemplate(p)} > "$RUNNER_TEMP/${job}.yaml"`,
      `kubectl delete job/${job} --namespace ${this.ns} --ignore-not-found --wait`,
      `kubectl apply --namespace ${this.ns} -f "$RUNNER_TEMP/${job}.yaml"`,
      `for i in $(seq 1 ${Math.ceil(timeout / 5)}); do`,
      `  if [ "$(kubectl get job/${job} -n ${this.ns} -o jsonpath='{.status.succeeded}')" = "1" ]; then exit 0; fi`,
      `  if [ -n "$(kubectl get job/${job} -n ${this.ns} -o jsonpath='{.status.failed}')" ]; then break; fi`,
      '  sleep 5',
      'done',
      `kubectl logs job/${job} -n ${this.ns} --tail=200 || true`,
      `echo "::error::migration ${phase} of ${app.name} failed"`,
      'exit 1',
    ].join('\n'), { name: `Migrate ${app.name} (${phase})`, timeout: app.migration!.timeout })];
  }

  public deploy(app: Application, weight: number): Step[] {
    const env = this.ctx.environment.name;
    switch (this.kind(app)) {
      case 'nginx-canary':
        return [
          this.recordRunning(app),
          Step.run([
            `if [ -z "$${this.old(app, 'TAG')}" ] && [ -z "$${this.old(app, 'DIGEST')}" ]; then`,
            '  # first install: nothing to compare the canary with',
            `  ${this.helm(app, ['--set canary.enabled=false'])}`,
            'else',
            `  ${this.helm(app, this.canaryArgs(app, weight))}`,
            'fi',
          ].join('\n'), { name: `Deploy ${app.name} to ${env} as a ${weight}% canary` }),
        ];
      case 'argo':
        return [Step.run(this.helm(app, [], false), { name: `Deploy ${app.name} to ${env} (Argo Rollouts)` })];
      default:
        return [Step.run(this.helm(app, []), { name: `Deploy ${app.name} to ${env}` })];
    }
  }

  public setWeight(app: Application, weight: number): Step[] {
    return [Step.run([
      `if [ -n "$${this.old(app, 'TAG')}$${this.old(app, 'DIGEST')}" ]; then`,
      `  ${this.helm(app, this.canaryArgs(app, weight))}`,
      'fi',
    ].join('\n'), { name: `Shift ${weight}% of ${app.name} traffic to the canary` })];
  }

  public bake(app: Application, weight: number, seconds: number): Step[] {
    return [bakeStep(app, weight, seconds)];
  }

  public promote(app: Application): Step[] {
    const chart = this.chart(app);
    switch (this.kind(app)) {
      case 'nginx-canary':
        return [Step.run([
          '# the stable Deployment rolls to the new release while the canary takes all traffic, then the canary goes away',
          this.helm(app, ['--set canary.enabled=true', '--set canary.weight=100']),
          this.helm(app, ['--set canary.enabled=false']),
        ].join('\n'), { name: `Promote ${app.name} to 100%` })];
      case 'argo': {
        const r = this.ctx.environment.rolloutFor(app);
        const wait = r.kind === RolloutKind.BLUE_GREEN
          ? [
            `kubectl argo rollouts promote ${chart.rolloutName} --namespace ${this.ns}`,
            `kubectl argo rollouts status ${chart.rolloutName} --namespace ${this.ns} --timeout ${chart.deployTimeout.toSeconds()}s`,
          ]
          : [`kubectl argo rollouts status ${chart.rolloutName} --namespace ${this.ns} --timeout ${this.argoBudget(app)}s`];
        return [Step.run(wait.join('\n'), { name: r.kind === RolloutKind.BLUE_GREEN ? `Switch ${app.name} traffic to the new release` : `Follow the ${app.name} canary to 100%` })];
      }
      default:
        return [];
    }
  }

  public smokeTest(app: Application, weight: number): Step[] {
    return [...this.healthCheck(app, weight), ...this.metricGate(app, weight)];
  }

  private healthCheck(app: Application, weight: number): Step[] {
    const chart = this.chart(app);
    const env = this.ctx.environment;
    const url = smokeUrl(env, app);
    const kind = this.kind(app);
    // Below 100% the new release is probed directly, inside the cluster, through its own Service.
    if (weight < 100 || !url) {
      let service = chart.serviceName;
      if (weight < 100 && kind === 'nginx-canary') service = chart.canaryServiceName;
      if (weight < 100 && this.ctx.environment.rolloutFor(app).kind === RolloutKind.BLUE_GREEN) {
        service = chart.previewServiceName;
      }
      const path = app.healthCheck.path ?? '/';
      const label = weight === 0 ? 'preview' : weight < 100 ? `${weight}% canary` : 'release';
      const pre = this.ctx.environment.rolloutFor(app).kind === RolloutKind.BLUE_GREEN && weight === 0
        ? `kubectl argo rollouts status ${chart.rolloutName} --namespace ${this.ns} --timeout ${chart.deployTimeout.toSeconds()}s || true\n`
        : '';
      const guard = kind === 'nginx-canary' && weight < 100 ? `if [ -z "$${this.old(app, 'TAG')}$${this.old(app, 'DIGEST')}" ]; then echo "first install: no canary to check"; exit 0; fi\n` : '';
      return [Step.run(guard + pre + [
        `kubectl run smoke-${app.name}-$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT --namespace ${this.ns} --rm -i --restart=Never --quiet \\`,
        `  --image=${CURL_IMAGE} -- curl -fsS --retry ${env.smokeTest.retries} --retry-delay ${env.smokeTest.interval.toSeconds()} --retry-all-errors \\`,
        `  --max-time ${env.smokeTest.timeout?.toSeconds() ?? 10} http://${service}.${this.ns}.svc${path}`,
      ].join('\n'), { name: `Smoke test ${app.name} (${label}) inside the cluster` })];
    }
    return [httpCheckStep(`Smoke test ${app.name} at ${url}`, url, env)];
  }

  /**
   * A metric gate for an NGINX canary step: the environment's Prometheus
   * analysis, queried from inside the cluster `count` times, fails the step
   * (and so triggers the rollback) after more than `failureLimit` failed
   * measurements. `{{args.service}}` and `{{args.namespace}}` in the query
   * stand for the canary Service and the namespace, as in Argo Rollouts.
   */
  public metricGate(app: Application, weight: number): Step[] {
    const a = this.ctx.environment.rolloutFor(app).analysis;
    if (!a || this.kind(app) !== 'nginx-canary' || weight >= 100) return [];
    const chart = this.chart(app);
    const query = a.query.split('{{args.service}}').join(chart.canaryServiceName).split('{{args.namespace}}').join(this.ns);
    const condition = a.successCondition.replace(/result\[0\]/g, 'r');
    return [Step.run([
      `if [ -z "$${this.old(app, 'TAG')}$${this.old(app, 'DIGEST')}" ]; then echo "first install: no canary to measure"; exit 0; fi`,
      'failed=0',
      `for i in $(seq 1 ${a.count}); do`,
      `  r="$(kubectl run metric-${app.name}-$GITHUB_RUN_ID-$i --namespace ${this.ns} --rm -i --restart=Never --quiet --image=${CURL_IMAGE} -- \\`,
      '    curl -fsS --get "$PROMETHEUS/api/v1/query" --data-urlencode "query=$METRIC_QUERY" | jq -r \'.data.result[0].value[1] // "NaN"\')"',
      `  if echo "$r" | grep -Eq '^-?[0-9.]+([eE][-+]?[0-9]+)?$' && awk -v r="$r" 'BEGIN { r += 0; exit !(${condition}) }'; then echo "${a.name} = $r: ok"; else failed=$((failed + 1)); echo "${a.name} = $r: failed (${a.successCondition})"; fi`,
      `  if [ "$failed" -gt ${a.failureLimit} ]; then echo "::error::${a.name} failed $failed times at ${weight}%"; exit 1; fi`,
      `  sleep ${a.interval.toSeconds()}`,
      'done',
    ].join('\n'), { name: `Metric gate ${a.name} for ${app.name} at ${weight}%`, env: { PROMETHEUS: a.address, METRIC_QUERY: query } })];
  }

  public contract(app: Application): Step[] {
    return this.migrate(app, MigrationPhase.CONTRACT);
  }

  public rollback(app: Application): Step[] {
    const chart = this.chart(app);
    const lines: string[] = [];
    switch (this.kind(app)) {
      case 'nginx-canary':
        lines.push(
          `if [ -n "$${this.old(app, 'TAG')}$${this.old(app, 'DIGEST')}" ]; then`,
          '  # all traffic back to the release that ran before; the schema is left as it is',
          `  helm upgrade --install ${chart.releaseName} ${chart.chartDir} --namespace ${this.ns} -f ${chart.valuesFile(this.ctx.environment.name)} \\`,
          `    --set-string image.tag="$${this.old(app, 'TAG')}" --set-string image.digest="$${this.old(app, 'DIGEST')}" --set canary.enabled=false \\`,
          `    --wait --timeout ${chart.deployTimeout.toSeconds()}s`,
          'fi',
        );
        break;
      case 'argo':
        lines.push(
          `kubectl argo rollouts abort ${chart.rolloutName} --namespace ${this.ns} || true`,
          `helm rollback ${chart.releaseName} --namespace ${this.ns} --wait --timeout ${chart.deployTimeout.toSeconds()}s || echo "no earlier revision of ${chart.releaseName}"`,
        );
        break;
      default:
        lines.push(`helm rollback ${chart.releaseName} --namespace ${this.ns} --wait --timeout ${chart.deployTimeout.toSeconds()}s || echo "no earlier revision of ${chart.releaseName}"`);
    }
    return [Step.run(lines.join('\n'), { name: `Roll back ${app.name} in ${this.ctx.environment.name}`, if: 'failure()' })];
  }

  public recordValidated(): Step[] {
    return []; // deploy-first is a custom-target rollout (checked by Environment)
  }

  public rollbackToValidated(): Step[] {
    return [];
  }

  private chart(app: Application): HelmChart {
    return this.charts[app.name];
  }

  private kind(app: Application): 'rolling' | 'nginx-canary' | 'argo' {
    const c = this.chart(app);
    const env = this.ctx.environment.name;
    if (c.usesArgoRollouts(env)) return 'argo';
    return c.strategyFor(env) === 'nginx-canary' ? 'nginx-canary' : 'rolling';
  }

  private old(app: Application, what: 'TAG' | 'DIGEST'): string {
    return `PREVIOUS_${what}_${envName(app.name)}`;
  }

  private imageArgs(app: Application): string {
    const chart = this.chart(app);
    const image = this.ctx.images[app.name];
    const args = [`-f ${chart.valuesFile(this.ctx.environment.name)}`];
    if (app.image.buildOptions) {
      args.push(`--set-string ${chart.imageTagKey}="$SLIPWAY_SHA"`, `--set-string ${chart.imageDigestKey}="\${IMAGE_${envName(app.name)}#*@}"`);
    } else if (image) {
      args.push(`--set-string ${chart.imageTagKey}=${app.image.defaultTag}`);
    }
    return args.join(' ');
  }

  private helm(app: Application, extra: string[], wait = true): string {
    const chart = this.chart(app);
    return [
      `helm upgrade --install ${chart.releaseName} ${chart.chartDir} --namespace ${this.ns} ${this.imageArgs(app)}`,
      ...extra,
      wait ? `--wait --timeout ${chart.deployTimeout.toSeconds()}s` : `--timeout ${chart.deployTimeout.toSeconds()}s`,
    ].join(' ');
  }

  private canaryArgs(app: Application, weight: number): string[] {
    return [
      `--set-string stable.image.tag="$${this.old(app, 'TAG')}"`,
      `--set-string stable.image.digest="$${this.old(app, 'DIGEST')}"`,
      '--set canary.enabled=true',
      `--set canary.weight=${weight}`,
    ];
  }

  /** Records the release running now (the rollback target) in the job environment. */
  private recordRunning(app: Application): Step {
    const chart = this.chart(app);
    const get = (annotation: string) => `kubectl get deployment/${chart.deploymentName} --namespace ${this.ns} -o jsonpath='{.metadata.annotations.${annotation.replace(/\./g, '\\.')}}' 2>/dev/null || true`;
    return Step.run([
      `echo "${this.old(app, 'TAG')}=$(${get(chart.imageTagAnnotation)})" >> "$GITHUB_ENV"`,
      `echo "${this.old(app, 'DIGEST')}=$(${get(chart.imageDigestAnnotation)})" >> "$GITHUB_ENV"`,
    ].join('\n'), { name: `Record the ${app.name} release running in ${this.ctx.environment.name}` });
  }

  /** Time the Argo canary may take: every bake plus the deploy timeout. */
  private argoBudget(app: Application): number {
    const r = this.ctx.environment.rolloutFor(app);
    const bakes = (r.steps?.length ?? 1) * (r.bake?.toSeconds() ?? 0);
    return bakes + this.chart(app).deployTimeout.toSeconds() * 2;
  }
}
