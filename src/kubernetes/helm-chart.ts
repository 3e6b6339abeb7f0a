import { Construct } from 'constructs';
import * as YAML from 'yaml';
import {
  ConfigMapOptions, ContainerPortOptions, MigrationMode, PodDisruptionBudgetOptions,
  ServiceAccountOptions, ServiceOptions, WorkloadSecurityOptions,
} from './chart-options';
import { ChartSpec } from './chart-spec';
import { buildValues, environmentValues, isHookPhase, ResolvedEnvironment, ValuesDefaults } from './chart-values';
import { HelmRolloutStrategy, isArgo, KubernetesEnvironment, strategyOf } from './kubernetes-environment';
import { CONFIG_KEY, DNS_1035_LABEL, dnsLabelProblem, labelValueProblem, NAME_SUFFIX, PORT_NAME } from './names';
import { probePortName } from './pod';
import { checkTemplate } from './template';
import { checkOverrides, mergeValues } from './values';
import { passMemo } from '../core/app';
import { Application, deployedValueProblem, MigrationPhase, Scaling } from '../core/application';
import { Duration } from '../core/duration';
import { fail } from '../core/errors';
import { limitBelowRequestProblems, QUANTITY } from '../core/quantity';
import { register, REGISTRY_KIND } from '../core/registry';
import { Rollout, validateCanarySteps } from '../core/rollout';
import { secretLiteralIn } from '../core/secret-literal';
import { carriedProblems } from '../core/strict';
import { HeaderStyle, SynthesisSession } from '../core/synthesis';
import { analysisTemplateTemplate } from './templates/analysis';
import { configMapTemplate, serviceAccountTemplate } from './templates/configuration';
import { migrationJobTemplate } from './templates/migration-job';
import { canaryIngressTemplate, canaryServiceTemplate, ingressTemplate, previewServiceTemplate, serviceTemplate } from './templates/networking';
import { notesTemplate } from './templates/notes';
import { hpaTemplate, pdbTemplate } from './templates/scaling';
import { canaryDeploymentTemplate, deploymentTemplate, rolloutTemplate } from './templates/workloads';
import type { UnpinnedImage } from '../core/image-pinning';
import { ENV_NAME } from '../core/names';
import { lockedApplicationDigest, unpinnedApplicationImage } from '../github/actions/action-lock';

/**
 * Properties of a {@link HelmChart}.
 */
export interface HelmChartProps {
  /** The application the chart deploys. */
  readonly application: Application;

  /**
   * The environments the chart is deployed to; each gets a
   * `values-<name>.yaml`. More can be added with `addEnvironment`.
   * @default - none (values.yaml only)
   */
  readonly environments?: KubernetesEnvironment[];

  /**
   * Chart name (Chart.yaml `name` and the chart folder).
   * @default - the application's name
   */
  readonly chartName?: string;

  /**
   * Folder the chart is written to, relative to the output directory.
   * @default "deploy/helm/<chartName>"
   */
  readonly directory?: string;

  /**
   * Helm release name the pipeline installs the chart as. Object names
   * derive from it (`<release>`, `<release>-canary`, ...).
   * @default - the application's name
   */
  readonly releaseName?: string;

  /**
   * Chart version (SemVer, without build metadata `+...`, because it is
   * part of the `helm.sh/chart` label).
   * @default "0.1.0"
   */
  readonly version?: string;

  /**
   * Chart appVersion: the image tag deployed when the pipeline sets none.
   * @default - the image's default tag, else the chart version
   */
  readonly appVersion?: string;

  /**
   * Chart description.
   * @default - the application's description
   */
  readonly description?: string;

  /**
   * How migrations run: as Helm hooks or as Jobs the pipeline runs.
   * @default MigrationMode.HOOK
   */
  readonly migrationMode?: MigrationMode;

  /**
   * The `--timeout` the pipeline gives `helm upgrade --wait`. A migration's
   * timeout (its Job's activeDeadlineSeconds) must be shorter, so that a
   * stuck migration fails with its own error before Helm gives up.
   * @default - 5 minutes, or the migration timeout plus 1 minute when longer
   */
  readonly deployTimeout?: Duration;

  /**
   * How long finished migration Jobs are kept (ttlSecondsAfterFinished).
   * Successful hook Jobs are deleted at once.
   * @default Duration.hours(24)
   */
  readonly migrationTtl?: Duration;

  /**
   * The service account of the pods.
   * @default - a ServiceAccount named after the release, without token automount
   */
  readonly serviceAccount?: ServiceAccountOptions;

  /**
   * Files mounted into the application's containers from a ConfigMap.
   * @default - no ConfigMap
   */
  readonly configMap?: ConfigMapOptions;

  /**
   * The PodDisruptionBudget.
   * @default - enabled, maxUnavailable 1
   */
  readonly podDisruptionBudget?: PodDisruptionBudgetOptions;

  /**
   * Ingress class of the Ingress (and NGINX canary Ingress).
   * @default - the application ingress's class, else "nginx"
   */
  readonly ingressClassName?: string;

  /**
   * Pod and container security settings.
   * @default - non-root user 10001, read-only root filesystem, all capabilities dropped, no privilege escalation, RuntimeDefault seccomp
   */
  readonly securityContext?: WorkloadSecurityOptions;

  /**
   * The Service.
   * @default - ClusterIP on port 80
   */
  readonly service?: ServiceOptions;

  /**
   * More container ports (e.g. metrics), exposed on the Service too.
   * @default - only the application's port, named "http"
   */
  readonly additionalPorts?: ContainerPortOptions[];
}

const SEMVER_NO_BUILD = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Helm chart for one {@link Application}, written to
 * `deploy/helm/<chart>/`: Chart.yaml, values.yaml with every value the
 * templates read, values.schema.json, one values-<environment>.yaml per
 * environment, templates/*.yaml and templates/NOTES.txt.
 *
 * The objects are Kubernetes manifests (typed by slipway's own model of the API) turned into
 * templates that use only the core Go text/template language, so Helm
 * and any text/template engine render them alike. One chart serves every
 * environment: each values file selects the rollout strategy (rolling
 * update, NGINX canary, Argo Rollouts canary or blue-green).
 *
 * The pipeline deploys it with
 * `helm upgrade --install <releaseName> <chartDir> -f <valuesFile(env)> --set-string image.tag=<sha> --wait --timeout <deployTimeout>`;
 * the public fields below are the facts it needs.
 */
export class HelmChart extends Construct {
  /** The application. */
  public readonly application: Application;
  /** Chart name (= folder name). */
  public readonly chartName: string;
  /** Chart folder, relative to the output directory (`deploy/helm/<chart>`). */
  public readonly chartDir: string;
  /** The release name the pipeline installs the chart as. */
  public readonly releaseName: string;
  /** Chart version. */
  public readonly version: string;
  /** Chart appVersion. */
  public readonly appVersion: string;
  /** Chart description. */
  public readonly description: string;
  /** The `--timeout` to give `helm upgrade --wait`. */
  public readonly deployTimeout: Duration;
  /** How migrations run. */
  public readonly migrationMode: MigrationMode;

  /** Value key of the image tag (`--set-string image.tag=<sha>`). */
  public readonly imageTagKey = 'image.tag';
  /** Value key of the image digest (`--set image.digest=sha256:...`); wins over the tag. */
  public readonly imageDigestKey = 'image.digest';
  /** Value key of the rollout strategy (set by each values file). */
  public readonly strategyKey = 'rollout.strategy';
  /** NGINX canary: value key that turns the canary objects on. */
  public readonly canaryEnabledKey = 'canary.enabled';
  /** NGINX canary: value key of the canary's traffic percent. */
  public readonly canaryWeightKey = 'canary.weight';
  /** NGINX canary: value key of the tag the stable Deployment keeps while a canary runs. */
  public readonly stableImageTagKey = 'stable.image.tag';
  /** NGINX canary: value key of the digest the stable Deployment keeps while a canary runs. */
  public readonly stableImageDigestKey = 'stable.image.digest';
  /** Value key that turns the migration hook Jobs on (default true). */
  public readonly migrationEnabledKey = 'migration.enabled';
  /** Value key naming the standalone migration Job to render (`helm template --set migration.run=<phase>`). */
  public readonly migrationRunKey = 'migration.run';
  /** Annotation of the Deployment / Rollout holding the deployed image tag. */
  public readonly imageTagAnnotation = 'slipway.dev/image-tag';
  /** Annotation of the Deployment / Rollout holding the deployed image digest. */
  public readonly imageDigestAnnotation = 'slipway.dev/image-digest';

  /** The Deployment (rolling, NGINX canary stable track). */
  public readonly deploymentName: string;
  /** The NGINX canary Deployment. */
  public readonly canaryDeploymentName: string;
  /** The Argo Rollouts `Rollout` (argo strategies). */
  public readonly rolloutName: string;
  /** The Service (stable / active). */
  public readonly serviceName: string;
  /** The canary Service (NGINX and Argo canary). */
  public readonly canaryServiceName: string;
  /** The blue-green preview Service. */
  public readonly previewServiceName: string;
  /** The Ingress. */
  public readonly ingressName: string;
  /** The NGINX canary Ingress. */
  public readonly canaryIngressName: string;
  /** The Argo Rollouts AnalysisTemplate. */
  public readonly analysisTemplateName: string;

  private readonly props: HelmChartProps;
  private readonly envs: ResolvedEnvironment[] = [];
  private readonly extraTemplates = new Map<string, string>();
  /** Problems of the props and environments, found while they are read: reported with the chart's other problems at synth. */
  private readonly propProblems: string[] = [];

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    register(this, REGISTRY_KIND.helmChart);
    this.props = props;
    const app = props.application;
    this.application = app;
    this.chartName = props.chartName ?? app.name;
    this.chartDir = trimSlashes(props.directory ?? `deploy/helm/${this.chartName}`);
    this.releaseName = props.releaseName ?? app.name;
    this.version = props.version ?? '0.1.0';
    this.appVersion = props.appVersion ?? app.image.defaultTag ?? this.version;
    this.description = props.description ?? app.description;
    this.migrationMode = props.migrationMode ?? MigrationMode.HOOK;
    const migrationTimeout = app.migration?.timeout;
    this.deployTimeout = props.deployTimeout
      ?? (migrationTimeout && migrationTimeout.toSeconds() + 60 > 300 ? Duration.seconds(migrationTimeout.toSeconds() + 60) : Duration.minutes(5));

    const r = this.releaseName;
    this.deploymentName = r;
    this.rolloutName = r;
    this.serviceName = r;
    this.ingressName = r;
    this.canaryDeploymentName = r + NAME_SUFFIX.canary;
    this.canaryServiceName = r + NAME_SUFFIX.canary;
    this.canaryIngressName = r + NAME_SUFFIX.canary;
    this.previewServiceName = r + NAME_SUFFIX.preview;
    this.analysisTemplateName = r + NAME_SUFFIX.analysis;

    this.validateProps();
    for (const env of props.environments ?? []) this.addEnvironment(env);
    this.node.addValidation({ validate: () => this.validateChart() });
  }

  /** Adds an environment (a `values-<name>.yaml`). */
  public addEnvironment(environment: KubernetesEnvironment): void {
    this.envs.push(this.resolveEnvironment(environment, false));
  }

  /**
   * Adds the environment of a pipeline stage, whose Environment checks and
   * reports its namespace (Target.kubernetes) and replicas: a bad one is
   * reported once, by the stage.
   * @internal
   */
  public _addCheckedEnvironment(environment: KubernetesEnvironment): void {
    this.envs.push(this.resolveEnvironment(environment, true));
  }

  /**
   * Adds a template of your own to `templates/` (an escape hatch). It is
   * written as given: it may use `{{ .Values.x }}` for any value of
   * values.yaml, and only core text/template functions; both are checked
   * at synth.
   * @param fileName file name inside templates/, e.g. `network-policy.yaml`
   * @param content the template text
   */
  public addTemplate(fileName: string, content: string): void {
    if (!/^[a-z0-9][-a-z0-9._]*\.(yaml|yml|tpl|txt)$/.test(fileName)) {
      fail(this, `addTemplate file name "${fileName}" must be a plain file name ending in .yaml, .yml, .tpl or .txt (Helm only loads those from templates/)`);
    }
    if (this.extraTemplates.has(fileName) || this.templates().some(([f]) => f === `templates/${fileName}`)) {
      fail(this, `addTemplate file name "${fileName}" is already a template of the chart; choose another name`);
    }
    this.extraTemplates.set(fileName, content);
  }

  /** Names of the environments, in the order they were added. */
  public get environmentNames(): string[] {
    return this.envs.map((e) => e.name);
  }

  /** Path of an environment's values file, relative to the output directory (for `helm -f`). */
  public valuesFile(environment: string): string {
    return `${this.chartDir}/values-${this.env(environment).name}.yaml`;
  }

  /** Namespace of an environment (for `helm --namespace`). */
  public namespaceFor(environment: string): string {
    return this.env(environment).namespace;
  }

  /** The rollout of an environment. */
  public rolloutFor(environment: string): Rollout {
    return this.env(environment).rollout;
  }

  /** The chart strategy an environment's values file selects. */
  public strategyFor(environment: string): HelmRolloutStrategy {
    return this.env(environment).strategy;
  }

  /**
   * Whether an environment deploys an Argo Rollouts `Rollout` (watch it
   * with `kubectl argo rollouts status <rolloutName>`) rather than a
   * Deployment (`kubectl rollout status deployment/<deploymentName>`).
   */
  public usesArgoRollouts(environment: string): boolean {
    return isArgo(this.env(environment).strategy);
  }

  /** The migration phases that have a Job, in execution order. */
  public get migrationPhases(): MigrationPhase[] {
    return this.application.migration?.phaseNames ?? [];
  }

  /** Whether a migration phase runs as a Helm pre-install/pre-upgrade hook (else the pipeline runs it). */
  public migrationRunsAsHook(phase: MigrationPhase): boolean {
    this.migrationPhase(phase);
    return this.migrationMode === MigrationMode.HOOK && phase !== MigrationPhase.CONTRACT;
  }

  /** Name of a migration phase's Job (`kubectl wait --for=condition=complete job/<name>`). */
  public migrationJobName(phase: MigrationPhase): string {
    this.migrationPhase(phase);
    return this.releaseName + NAME_SUFFIX.migration(phase);
  }

  /**
   * A migration phase's template, relative to the chart folder. For a phase
   * the pipeline runs, render it with
   * `helm template <release> <chartDir> -f <values> --set-string image.tag=<sha> --set migration.run=<phase> --show-only <this>`
   * and `kubectl apply` the output.
   */
  public migrationJobTemplate(phase: MigrationPhase): string {
    this.migrationPhase(phase);
    return `templates/migration-${phase}-job.yaml`;
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    const spec = this.spec();
    const values = this.valuesBuilder(spec);
    const dir = this.chartDir;
    session.addYaml(this, `${dir}/Chart.yaml`, {
      apiVersion: 'v2',
      name: this.chartName,
      version: this.version,
      description: this.description,
      type: 'application',
      appVersion: this.appVersion,
    }, { yaml11: true });
    session.addYaml(this, `${dir}/values.yaml`, commentedValues(values.values(), values), { yaml11: true });
    session.addJson(this, `${dir}/values.schema.json`, values.schema(`Values of the ${this.chartName} chart`));
    for (const env of this.envs) {
      session.addYaml(this, `${dir}/values-${env.name}.yaml`, environmentValues(spec, env), { yaml11: true });
    }
    for (const [file, text] of this.renderedTemplates(spec)) {
      session.addText(this, `${dir}/${file}`, text, file.endsWith('.txt') ? HeaderStyle.NONE : HeaderStyle.HASH);
    }
  }

  /** The templates, rendered once per synth: the validation checks the same texts the renderer writes. */
  private renderedTemplates(spec: ChartSpec): [string, string][] {
    return passMemo(this, 'templates', () => this.templates(spec));
  }

  /** Every template file (path inside the chart → text), generated and added. */
  private templates(spec: ChartSpec = this.spec()): [string, string][] {
    const has = (s: HelmRolloutStrategy) => spec.strategies.includes(s);
    const out: [string, string][] = [];
    const add = (file: string, text: string) => out.push([`templates/${file}`, text]);
    add('deployment.yaml', deploymentTemplate(spec));
    add('service.yaml', serviceTemplate(spec));
    if (spec.serviceAccount.create) add('serviceaccount.yaml', serviceAccountTemplate(spec));
    if (spec.configMap) add('configmap.yaml', configMapTemplate(spec));
    if (spec.ingress) add('ingress.yaml', ingressTemplate(spec));
    if (spec.autoscaling) add('hpa.yaml', hpaTemplate(spec));
    add('pdb.yaml', pdbTemplate(spec));
    if (has(HelmRolloutStrategy.NGINX_CANARY)) add('canary-deployment.yaml', canaryDeploymentTemplate(spec));
    if (has(HelmRolloutStrategy.NGINX_CANARY) || has(HelmRolloutStrategy.ARGO_CANARY)) add('canary-service.yaml', canaryServiceTemplate(spec));
    if (has(HelmRolloutStrategy.NGINX_CANARY) && spec.ingress) add('canary-ingress.yaml', canaryIngressTemplate(spec));
    if (has(HelmRolloutStrategy.ARGO_CANARY) || has(HelmRolloutStrategy.ARGO_BLUE_GREEN)) add('rollout.yaml', rolloutTemplate(spec));
    if (has(HelmRolloutStrategy.ARGO_BLUE_GREEN)) add('preview-service.yaml', previewServiceTemplate(spec));
    if (spec.analysis) add('analysis-template.yaml', analysisTemplateTemplate(spec));
    for (const phase of spec.migration?.phases ?? []) {
      add(`migration-${phase}-job.yaml`, migrationJobTemplate(spec, phase, isHookPhase(spec, phase)));
    }
    for (const [file, text] of this.extraTemplates) add(file, text);
    add('NOTES.txt', notesTemplate(spec));
    return out;
  }

  /** The resolved settings the templates are rendered from. */
  private spec(): ChartSpec {
    const app = this.application;
    const p = this.props;
    const strategies = Object.values(HelmRolloutStrategy)
      .filter((s) => s === HelmRolloutStrategy.ROLLING || this.envs.some((e) => e.strategy === s));
    const sec = p.securityContext ?? {};
    const sa = p.serviceAccount ?? {};
    return {
      app,
      chartName: this.chartName,
      strategies,
      ingress: app.ingress !== undefined || this.envs.some((e) => e.ingressHost !== undefined || e.values.ingress?.enabled === true),
      autoscaling: app.scaling.isAutoscaled || this.envs.some((e) => e.scaling?.isAutoscaled),
      analysis: this.envs.some((e) => isArgo(e.strategy) && e.rollout.analysis !== undefined),
      serviceAccount: { create: sa.create ?? true, name: sa.name, automountToken: sa.automountToken ?? false },
      configMap: p.configMap ? { mountPath: p.configMap.mountPath ?? `/etc/${app.name}` } : undefined,
      security: {
        runAsNonRoot: sec.runAsNonRoot ?? true,
        runAsUser: sec.runAsUser ?? 10001,
        runAsGroup: sec.runAsGroup ?? 10001,
        fsGroup: sec.fsGroup ?? 10001,
        readOnlyRootFilesystem: sec.readOnlyRootFilesystem ?? true,
        allowPrivilegeEscalation: sec.allowPrivilegeEscalation ?? false,
        addCapabilities: sec.addCapabilities ?? [],
        seccompRuntimeDefault: sec.seccompRuntimeDefault ?? true,
      },
      extraPorts: p.additionalPorts ?? [],
      migration: app.migration ? {
        mode: this.migrationMode,
        phases: app.migration.phaseNames,
        timeout: app.migration.timeout,
        retries: app.migration.retries,
        ttl: p.migrationTtl ?? Duration.hours(24),
      } : undefined,
    };
  }

  /** The prebuilt application image, when nothing pins it by digest (warnings, supplyChain.strict). @internal */
  public _unpinnedImages(): UnpinnedImage[] {
    return unpinnedApplicationImage(this, this.application).map((u) => ({ ...u, what: `chart "${this.chartName}" of ${u.what}` }));
  }

  private valuesBuilder(spec: ChartSpec) {
    const p = this.props;
    const defaults: ValuesDefaults = {
      appVersion: this.appVersion,
      serviceType: p.service?.type ?? 'ClusterIP',
      servicePort: p.service?.port ?? 80,
      ingressClassName: p.ingressClassName ?? this.application.ingress?.className ?? 'nginx',
      podDisruptionBudget: { enabled: p.podDisruptionBudget?.enabled ?? true, maxUnavailable: p.podDisruptionBudget?.maxUnavailable ?? '1' },
      serviceAccountAnnotations: p.serviceAccount?.annotations ?? {},
      configMapData: p.configMap?.data ?? {},
      imageDigest: lockedApplicationDigest(this, this.application.image) ?? '',
    };
    return buildValues(spec, defaults);
  }

  private env(name: string): ResolvedEnvironment {
    const env = this.envs.find((e) => e.name === name);
    if (!env) {
      throw new Error(`[${this.node.path}] "${name}" is not an environment of chart "${this.chartName}"; environments: ${this.envs.map((e) => e.name).join(', ') || '(none)'}`);
    }
    return env;
  }

  private migrationPhase(phase: MigrationPhase): void {
    if (!this.migrationPhases.includes(phase)) {
      fail(this, `the application "${this.application.name}" has no ${phase} migration; its phases: ${this.migrationPhases.join(', ') || '(no migration)'}`);
    }
  }

  private validateProps(): void {
    const p = this.props;
    const app = this.application;
    const problem = dnsLabelProblem(this.chartName);
    if (problem) this.report(`chartName "${this.chartName}" ${problem} (it is the chart folder and Chart.yaml name)`);
    const badVersion = !SEMVER_NO_BUILD.test(this.version);
    if (badVersion) {
      this.report(`version "${this.version}" must be a SemVer version without build metadata, e.g. "0.1.0" or "1.2.0-rc.1" (it is part of the helm.sh/chart label, where "+" is not allowed)`);
    }
    const chartLabel = `${this.chartName}-${this.version}`;
    const chartLabelProblem = labelValueProblem(chartLabel);
    // the label and the default appVersion are made of the version: a bad version is one problem
    if (chartLabelProblem && !badVersion) this.report(`the helm.sh/chart label "${chartLabel}" (chartName-version) ${chartLabelProblem}; shorten chartName or version`);
    const appVersionProblem = labelValueProblem(this.appVersion);
    if ((appVersionProblem || this.appVersion === '') && !(badVersion && this.appVersion === this.version)) this.report(`appVersion "${this.appVersion}" ${appVersionProblem ?? 'must not be empty'} (it is the app.kubernetes.io/version label when no image tag is set)`);
    if (!DNS_1035_LABEL.test(this.releaseName) || this.releaseName.length > 53) {
      this.report(`releaseName "${this.releaseName}" must be a Helm release name: at most 53 lowercase letters, digits and "-", starting with a letter`);
    }
    const longest = this.releaseName + NAME_SUFFIX.longest;
    if (longest.length > 63) {
      this.report(`releaseName "${this.releaseName}" is too long: object names such as "${longest}" (${longest.length} characters) must be at most 63; use a releaseName of at most ${63 - NAME_SUFFIX.longest.length} characters`);
    }

    const ports = new Map<number, string>([[app.port, 'http']]);
    for (const port of p.additionalPorts ?? []) {
      if (!PORT_NAME.test(port.name) || port.name.length > 15 || !/[a-z]/.test(port.name)) {
        this.report(`additionalPorts name "${port.name}" must be at most 15 lowercase letters, digits and "-" with at least one letter (an IANA service name)`);
      }
      if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) this.report(`additionalPorts "${port.name}" port must be an integer within 1..65535, got ${port.port}`);
      if (ports.has(port.port)) this.report(`additionalPorts "${port.name}" uses port ${port.port}, which is already the "${ports.get(port.port)}" port`);
      if ([...ports.values()].includes(port.name)) this.report(`additionalPorts name "${port.name}" is used twice (the application's port is named "http")`);
      ports.set(port.port, port.name);
    }
    if (probePortName(app, p.additionalPorts ?? []) === undefined) {
      this.report(`the health check probes port ${app.healthCheckPort}, which is not a container port (ports: ${[...ports].map(([n, name]) => `${name}=${n}`).join(', ')}); probe the application's port or add it to additionalPorts`);
    }
    const servicePort = p.service?.port ?? 80;
    if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) this.report(`service.port must be an integer within 1..65535, got ${servicePort}`);
    if (p.service?.type !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(p.service.type)) {
      this.report(`service.type "${p.service.type}" is not supported; use "ClusterIP", "NodePort" or "LoadBalancer"`);
    }

    const sa = p.serviceAccount ?? {};
    if (sa.create === false && !sa.name) this.report('serviceAccount.create is false, so serviceAccount.name must name an existing ServiceAccount');
    if (sa.create !== false && sa.name !== undefined) this.report(`serviceAccount.name "${sa.name}" names an existing ServiceAccount; set serviceAccount.create to false (a created one is named after the release)`);
    if (sa.name !== undefined && dnsLabelProblem(sa.name, 253)) this.report(`serviceAccount.name "${sa.name}" ${dnsLabelProblem(sa.name, 253)}`);

    const sec = p.securityContext ?? {};
    for (const [k, v] of [['runAsUser', sec.runAsUser], ['runAsGroup', sec.runAsGroup], ['fsGroup', sec.fsGroup]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) this.report(`securityContext.${k} must be an integer ≥ 0, got ${v}`);
    }
    if ((sec.runAsNonRoot ?? true) && sec.runAsUser === 0) {
      this.report('securityContext.runAsUser is 0 (root) while runAsNonRoot is true; use a non-root user ID, or set runAsNonRoot: false if the image must run as root');
    }
    for (const cap of sec.addCapabilities ?? []) {
      if (!/^[A-Z_]+$/.test(cap)) this.report(`securityContext.addCapabilities entry "${cap}" must be a capability name without "CAP_", e.g. "NET_BIND_SERVICE"`);
    }

    if (p.configMap) {
      for (const [k, v] of Object.entries(p.configMap.data)) {
        if (!CONFIG_KEY.test(k) || k.length > 253) this.report(`configMap.data key "${k}" must consist of letters, digits, "-", "_" or "."`);
        const dataProblem = deployedValueProblem(`configMap.data.${k}`, k, v);
        if (dataProblem) this.report(dataProblem);
      }
      const mount = p.configMap.mountPath;
      if (mount !== undefined && (!mount.startsWith('/') || mount === '/' || mount === '/tmp')) {
        this.report(`configMap.mountPath "${mount}" must be an absolute directory other than "/" and "/tmp", e.g. "/etc/${app.name}"`);
      }
    }
    for (const [k, v] of Object.entries(p.serviceAccount?.annotations ?? {})) {
      const why = secretLiteralIn(k, v);
      if (why) this.report(`serviceAccount.annotations "${k}" is a secret written as a literal: ${why}; annotations are not secret: reference a Secret through the application's secrets`);
    }
    const pdb = p.podDisruptionBudget?.maxUnavailable;
    if (pdb !== undefined && !/^[0-9]+%?$/.test(pdb)) this.report(`podDisruptionBudget.maxUnavailable "${pdb}" must be a count ("1") or a percent ("25%")`);
    const ingressClass = p.ingressClassName ?? app.ingress?.className;
    if (ingressClass !== undefined && dnsLabelProblem(ingressClass, 253)) this.report(`ingressClassName "${ingressClass}" ${dnsLabelProblem(ingressClass, 253)}`);
    if (app.ingress && !HOSTNAME.test(app.ingress.host)) this.report(`the application's ingress host "${app.ingress.host}" is not a valid host name (lowercase, e.g. "api.example.com")`);
    if (app.ingress?.path !== undefined && !app.ingress.path.startsWith('/')) this.report(`the application's ingress path "${app.ingress.path}" must start with "/"`);
    if (app.scaling.isAutoscaled && app.scaling.minReplicas < 1) {
      this.report('the application\'s Scaling.auto minReplicas is 0, which a HorizontalPodAutoscaler does not support; use minReplicas ≥ 1');
    }
    if (app.migration) {
      const timeout = app.migration.timeout.toSeconds();
      if (timeout >= this.deployTimeout.toSeconds()) {
        this.report(`the migration timeout (${app.migration.timeout.toHumanString()}) must be shorter than deployTimeout (${this.deployTimeout.toHumanString()}), so a stuck migration Job fails before helm --timeout; raise deployTimeout above ${app.migration.timeout.toHumanString()} or lower Migration timeout`);
      }
    }
  }

  private resolveEnvironment(e: KubernetesEnvironment, stageChecked: boolean): ResolvedEnvironment {
    const where = `environment "${e.name}"`;
    const nameProblem = dnsLabelProblem(e.name, 53);
    if (nameProblem) this.report(`${where}: name ${nameProblem}`);
    // the namespace defaults to the name: its problem is the name's
    if (this.envs.some((x) => x.name === e.name)) this.report(`${where} is added twice; environment names must be unique`);
    const namespace = e.namespace ?? e.name;
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem && !stageChecked && !(nameProblem && e.namespace === undefined)) this.report(`${where}: namespace "${namespace}" ${nsProblem}`);
    const rollout = e.rollout ?? Rollout.allAtOnce();
    // A rollout with problems of its own is reported by the construct that received it.
    if (rollout.steps && carriedProblems(rollout).length === 0) {
      const stepsProblem = validateCanarySteps(rollout.steps);
      if (stepsProblem) this.report(`${where}: ${stepsProblem}`);
    }
    if (e.replicas !== undefined && e.scaling !== undefined) this.report(`${where}: give replicas or scaling, not both`);
    const badReplicas = e.replicas !== undefined && (!Number.isInteger(e.replicas) || e.replicas < 1);
    if (badReplicas && !(stageChecked && (!Number.isInteger(e.replicas) || e.replicas! < 0))) this.report(`${where}: replicas must be an integer ≥ 1, got ${JSON.stringify(e.replicas)}`);
    const scaling = e.scaling ?? (e.replicas !== undefined && !badReplicas ? Scaling.fixed(e.replicas) : undefined);
    if (scaling?.isAutoscaled && scaling.minReplicas < 1) this.report(`${where}: Scaling.auto minReplicas is 0, which a HorizontalPodAutoscaler does not support; use minReplicas ≥ 1`);
    if (e.ingressHost !== undefined && !HOSTNAME.test(e.ingressHost)) this.report(`${where}: ingressHost "${e.ingressHost}" is not a valid host name (lowercase, e.g. "staging.example.com")`);
    for (const [k, v] of Object.entries(e.resources ?? {})) {
      if (!QUANTITY.test(String(v))) this.report(`${where}: resources.${k} "${v}" is not a Kubernetes quantity (e.g. "250m", "1", "512Mi")`);
    }
    if (e.resources) {
      const merged = { ...this.application.resources, ...e.resources };
      for (const p of limitBelowRequestProblems(merged, ' (the environment\'s resources over the application\'s)')) this.report(`${where}: ${p}`);
    }
    const env = { ...(e.env ?? {}) };
    for (const [k, v] of Object.entries(env)) {
      if (!ENV_NAME.test(k)) this.report(`${where}: env name "${k}" is invalid: use letters, digits and "_", not starting with a digit`);
      const problem = deployedValueProblem(`env.${k}`, k, v);
      if (problem) this.report(`${where}: ${problem}`);
      if (k in this.application.secrets) this.report(`${where}: env "${k}" is also a secret of the application; keep one`);
    }
    const values = e.values ?? {};
    for (const [path, value] of leaves(values)) {
      if (typeof value !== 'string') continue;
      const problem = deployedValueProblem(`values.${path.join('.')}`, String(path[path.length - 1]), value);
      if (problem) this.report(`${where}: ${problem}`);
    }
    return {
      name: e.name, namespace, rollout, strategy: strategyOf(rollout), scaling, resources: e.resources, ingressHost: e.ingressHost, env, values,
    };
  }

  /** Records a problem of the props or an environment; synthesis reports it with every other problem. */
  private report(message: string): void {
    this.propProblems.push(message);
  }

  /** Checks that need every environment: run at synth. */
  private validateChart(): string[] {
    // The checks below render the chart, which needs valid props and environments.
    if (this.propProblems.length) return [...this.propProblems];
    const problems: string[] = [];
    if (this.deployTimeout.toSeconds() === 0) {
      problems.push('deployTimeout is 0s: `helm --timeout 0s` waits for nothing, so a failed rollout would pass; give it a budget, e.g. Duration.minutes(5)');
    }
    if (/^(\.\/)?\.github\/workflows(\/|$)/.test(this.chartDir)) {
      problems.push(`directory "${this.chartDir}" is inside .github/workflows, where GitHub reads every YAML file as a workflow; write the chart elsewhere, e.g. "deploy/helm/${this.chartName}"`);
    }
    const spec = this.spec();
    const builder = this.valuesBuilder(spec);
    const values = builder.values();
    const schema = builder.schema('');
    for (const env of this.envs) {
      const where = `environment "${env.name}"`;
      for (const p of checkOverrides(env.values, values, schema)) problems.push(`${where}: values ${p}`);
      const merged = mergeValues(values, environmentValues(spec, env)) as { [key: string]: any };
      // (a rollout with problems of its own is reported by the construct that received it)
      const reportedElsewhere = carriedProblems(env.rollout).length > 0;
      if (env.strategy === HelmRolloutStrategy.NGINX_CANARY && !(merged.ingress?.enabled && merged.ingress?.host) && !reportedElsewhere) {
        problems.push(`${where}: an NGINX canary needs the ingress (the canary Ingress shares its host); give the application an ingress or the environment an ingressHost, or use Rollout.canary({ router: TrafficRouter.ARGO_ROLLOUTS }), which shifts traffic by replica count without an ingress`);
      }
      const steps = env.values.canary?.steps;
      if (Array.isArray(steps)) {
        const stepsProblem = validateCanarySteps(steps);
        if (stepsProblem) problems.push(`${where}: values canary.steps: ${stepsProblem}`);
        else if (steps.includes(100)) problems.push(`${where}: values canary.steps must stop short of 100 (Argo Rollouts promotes fully after the last step); got [${steps.join(', ')}]`);
      }
      const weight = env.values.canary?.weight;
      if (weight !== undefined && (!Number.isInteger(weight) || weight < 0 || weight > 100)) {
        problems.push(`${where}: values canary.weight must be an integer within 0..100, got ${JSON.stringify(weight)}`);
      }
    }
    for (const [file, text] of this.renderedTemplates(spec)) {
      for (const p of checkTemplate(text, values)) problems.push(`${this.chartDir}/${file} ${p}`);
    }
    return problems;
  }
}

/** values.yaml as a YAML node with each documented value's description as a comment. */
function commentedValues(values: { [key: string]: unknown }, builder: { schema(title: string): { [key: string]: unknown } }): unknown {
  const doc = new YAML.Document(values);
  const schema = builder.schema('');
  const annotate = (node: unknown, s: any) => {
    if (!YAML.isMap(node)) return;
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
      const sub = key !== undefined ? s?.properties?.[key] : undefined;
      if (!sub) continue;
      if (typeof sub.description === 'string' && YAML.isScalar(pair.key)) pair.key.commentBefore = ` ${sub.description}`;
      if (sub.properties) annotate(pair.value, sub);
    }
  };
  annotate(doc.contents, schema);
  return doc.contents;
}

function leaves(obj: unknown, prefix: string[] = []): [string[], unknown][] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [[prefix, obj]];
  return Object.entries(obj as object).flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

function trimSlashes(p: string): string {
  return p.replace(/^\.\/+/, '').replace(/\/+$/, '');
}
