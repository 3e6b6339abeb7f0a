import { Construct } from 'constructs';
import { CloudRunDeployment, CloudRunService } from '../cloudrun';
import { Application, HealthCheckKind, MigrationPhase } from '../core/application';
import { DeployScripts, SCRIPTS_OF } from '../core/deploy-scripts';
import { Duration } from '../core/duration';
import { fail } from '../core/errors';
import { HeaderStyle, SynthesisSession } from '../core/synthesis';
import { Actions, DispatchInput, Expression, Job, RunsOn, Step, Trigger, Workflow } from '../github';
import { HelmChart } from '../kubernetes';
import { ApprovalKind } from './approval';
import { buildPlan } from './build-plan';
import { Check, checkListProblems, CheckPlacement } from './check';
import { CheckContext } from './checks/context';
import { CloudRunDeployer } from './deployers/cloudrun';
import { CustomDeployer } from './deployers/custom';
import { Deployer, DeployContext, envName, ROLLBACK_CONDITION } from './deployers/deployer';
import { KubernetesDeployer } from './deployers/kubernetes';
import { Environment } from './environment';
import { planToMermaid } from './graph';
import { Notification } from './notification';
import { Plan, PlanJob, PlanJobKind } from './plan';
import { RegistryLogin, RegistryLoginKind } from './registry';
import { SmokeTestKind } from './smoke-test';
import { TargetKind } from './target';
import { cloudRunServiceFor, gcpAuth, helmChartFor } from './targets';
import { Toolchain } from './toolchain';

/** Id of the step of a dispatch workflow's deploy job that resolves the images the main pipeline built. */
const RESOLVE_IMAGES = 'resolve-images';

/** Image references by application name, for checks. */
function imageNames(images: Map<Application, string>): { [app: string]: string } {
  const out: { [app: string]: string } = {};
  for (const [app, image] of images) out[app.name] = image;
  return out;
}

/** When the build job pushes its images: on every event but pull requests. */
const PUSHES = "github.event_name != 'pull_request'";

/**
 * Properties of a {@link Pipeline}.
 */
export interface PipelineProps {
  /**
   * Applications the pipeline builds and deploys to every stage.
   * @default - none (a pipeline of checks only)
   */
  readonly applications?: Application[];
  /**
   * Events that run the pipeline. Deploy jobs run only on pushes to each
   * stage's branches (and manual dispatches when a dispatch trigger is listed).
   * @default - push to main and pull requests to main
   */
  readonly triggers?: Trigger[];
  /**
   * Language toolchain the checks run with.
   * @default Toolchain.none()
   */
  readonly toolchain?: Toolchain;
  /**
   * Quality gates: lint, tests, scans. They run in parallel, and every deploy
   * waits for all of them.
   * @default - none
   */
  readonly checks?: Check[];
  /**
   * Environments in promotion order.
   * @default - none (nothing is deployed)
   */
  readonly stages?: Environment[];
  /**
   * Notifications on failure, success or rollback.
   * @default - none
   */
  readonly notifications?: Notification[];
  /**
   * How the build job logs in to the registry.
   * @default - RegistryLogin.forImage() of the first built image
   */
  readonly registryLogin?: RegistryLogin;
  /**
   * Display name of the workflow.
   * @default - the pipeline's id
   */
  readonly name?: string;
  /**
   * Runner of the build and check jobs.
   * @default RunsOn.UBUNTU_LATEST
   */
  readonly runsOn?: RunsOn;
  /**
   * Where the Mermaid graph of the pipeline is written, relative to the
   * output directory; the same graph goes into each run's job summary.
   * @default "docs/pipelines/<id>.md"
   */
  readonly graphFile?: string;
  /**
   * Time limit of each deploy job, before the stage's rollout time is added
   * (canary bakes and metric gates).
   * @default Duration.minutes(30)
   */
  readonly deployTimeout?: Duration;
  /**
   * Add a final `summary` job to the main workflow: it waits for every other
   * job whatever their results, writes each job's result to the run summary,
   * and fails when one of them failed or was cancelled. It is the one status
   * check to require for merging (jobs with `allowFailure` count as passed;
   * skipped deploys of pull requests too).
   * @default false
   */
  readonly summary?: boolean;
}

/**
 * A delivery pipeline: triggers, quality gates, one build of every image,
 * and the stages it promotes that same build through, each with its rollout,
 * migrations, checks, approval and rollback. It compiles into level-1
 * workflows (`.github/workflows/<id>.yml`, plus one dispatch workflow per
 * manually approved stage), Helm charts and Cloud Run specs.
 */
export class Pipeline extends Construct {
  /** Applications. */
  public readonly applications: Application[];
  /** Triggers. */
  public readonly triggers: Trigger[];
  /** Toolchain. */
  public readonly toolchain: Toolchain;
  /** Quality gates. */
  public readonly checks: Check[];
  /** Stages in promotion order. */
  public readonly stages: Environment[];
  /** Notifications. */
  public readonly notifications: Notification[];
  /** Registry login of the build job, when something is built. */
  public readonly registryLogin?: RegistryLogin;
  /** Runner of build and checks. */
  public readonly runsOn: RunsOn;
  /** Path of the graph file. */
  public readonly graphFile: string;
  /** Time limit of each deploy job. */
  public readonly deployTimeout: Duration;
  /** Whether the main workflow ends with a summary job. */
  public readonly summary: boolean;
  private readonly displayName: string;
  private cachedPlan?: Plan;
  private readonly workflows = new Map<string, Workflow>();
  /** The Helm chart of each application deployed to Kubernetes, bound once. */
  private readonly charts = new Map<Application, HelmChart>();
  /** The Cloud Run service of each application, per Cloud Run stage, bound once. */
  private readonly services = new Map<Environment, Map<Application, CloudRunService>>();
  /** The build job, once rendered: deploy jobs read its typed outputs. */
  private buildJob?: Job;
  /** Each stage's deploy job, once rendered: its validate job reads its result. */
  private readonly deployJobs = new Map<Environment, Job>();

  constructor(scope: Construct, id: string, props: PipelineProps = {}) {
    super(scope, id);
    // Problems of the props are collected and reported at synth, with the others of the definition.
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9-]*$/.test(id) || id.length > 40) {
      problems.push(`Pipeline id "${id}" must be lowercase letters, digits and "-" (at most 40): it names the workflow file`);
    }
    this.applications = [...(props.applications ?? [])];
    this.triggers = [...(props.triggers ?? [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ branches: ['main'] })])];
    this.toolchain = props.toolchain ?? Toolchain.none();
    this.checks = [...(props.checks ?? [])];
    this.stages = [...(props.stages ?? [])];
    this.notifications = [...(props.notifications ?? [])];
    const firstBuilt = this.applications.find((a) => a.image.buildOptions);
    this.registryLogin = props.registryLogin ?? (firstBuilt ? RegistryLogin.forImage(firstBuilt.image) : undefined);
    this.runsOn = props.runsOn ?? RunsOn.UBUNTU_LATEST;
    this.graphFile = props.graphFile ?? `docs/pipelines/${id}.md`;
    this.deployTimeout = props.deployTimeout ?? Duration.minutes(30);
    this.summary = props.summary ?? false;
    this.displayName = props.name ?? id;

    const names = new Set<string>();
    for (const app of this.applications) {
      if (names.has(app.name)) problems.push(`application "${app.name}" is listed twice in applications`);
      names.add(app.name);
    }
    if (this.stages.length > 0 && this.applications.length === 0 && this.stages.some((s) => s.target.kind !== TargetKind.CUSTOM)) {
      problems.push('stages deploy to Kubernetes or Cloud Run, but applications is empty; list the applications to deploy: applications: [api]');
    }
    if (problems.length) this.node.addValidation({ validate: () => problems });
    this.bindTargets();
    for (const s of this.stages) {
      const kind = s.target.kind;
      const scripts = kind === TargetKind.KUBERNETES ? SCRIPTS_OF.kubernetes
        : kind === TargetKind.CLOUD_RUN ? SCRIPTS_OF.cloudRun : SCRIPTS_OF.custom;
      DeployScripts.of(this).use(...scripts);
    }
    this.node.addValidation({
      validate: () => [
        ...checkListProblems(this.checks),
        ...this.notifications.flatMap((n) => n._problems()),
        ...this.validateStages(),
      ],
    });
  }

  /**
   * The pipeline's plan: jobs, needs, and the ordered actions of each
   * deploy job. Built once; the blueprint is locked afterwards.
   * @internal
   */
  public _plan(): Plan {
    if (!this.cachedPlan) {
      try {
        this.cachedPlan = buildPlan({
          id: this.node.id,
          applications: this.applications,
          checks: this.checks,
          stages: this.stages,
          notify: this.notifications.length > 0,
          summary: this.summary,
          pullRequests: this.onPullRequests,
        });
      } catch (e) {
        fail(this, (e as Error).message);
      }
    }
    return this.cachedPlan!;
  }

  /**
   * The pipeline as a Mermaid flowchart: jobs, needs (the transitive
   * reduction: no arrow that a longer path implies), each deploy's target and
   * rollout, and gates.
   */
  public toMermaid(): string {
    const approvals: { [env: string]: string } = {};
    for (const s of this.stages) {
      if (s.approval?.kind === ApprovalKind.ENVIRONMENT) approvals[s.name] = 'approval: environment reviewers';
      if (s.approval?.kind === ApprovalKind.MANUAL_DISPATCH) approvals[s.name] = `manual: type ${s.approval.confirmation}`;
    }
    return planToMermaid(this._plan(), approvals);
  }

  /** Compiles the plan into workflows. @internal */
  public _prepare(): void {
    const plan = this._plan();
    for (const pj of plan.jobs) this.renderJob(pj);
  }

  /** Writes the graph. @internal */
  public _synthesize(session: SynthesisSession): void {
    const body = [
      `# Pipeline \`${this.node.id}\``,
      '',
      'Jobs, their dependencies and the environments they deploy, in promotion order.',
      '',
      '```mermaid',
      this.toMermaid().trimEnd(),
      '```',
      '',
    ].join('\n');
    session.addText(this, this.graphFile, body, HeaderStyle.HTML);
  }

  /**
   * Binds each stage's target construct once, with one set of defaults: the
   * application's Helm chart (the one the user created, else a new one) and
   * each Cloud Run stage's service.
   */
  private bindTargets(): void {
    for (const app of this.applications) {
      if (this.stages.some((s) => s.target.kind === TargetKind.KUBERNETES)) this.charts.set(app, helmChartFor(app, this.stages));
    }
    for (const env of this.stages.filter((s) => s.target.kind === TargetKind.CLOUD_RUN)) {
      this.services.set(env, new Map(this.applications.map((app) => [app, cloudRunServiceFor(env, app, this.applications)])));
    }
  }

  private validateStages(): string[] {
    const problems: string[] = [];
    for (const s of this.stages) {
      if (s.target.kind === TargetKind.CUSTOM && s.smokeTest.kind === SmokeTestKind.HTTP && !s.smokeTest.url && !s.url) {
        problems.push(`stage "${s.name}" deploys with custom commands but has no url and no SmokeTest.command(...); every deploy needs a health check: set url: 'https://...' or smokeTest: SmokeTest.command('...')`);
      }
      const names = this.applications.map((a) => a.name);
      for (const name of Object.keys(s.applicationRollouts)) {
        if (!names.includes(name)) {
          problems.push(`stage "${s.name}" has applicationRollouts for "${name}", which is not an application of this pipeline; applications: ${names.join(', ') || 'none'}`);
        }
      }
      for (const app of this.applications) {
        if (s.target.kind !== TargetKind.CUSTOM && !app.image.buildOptions && !app.image.defaultTag) {
          problems.push(`application "${app.name}" is deployed to "${s.name}" but is neither built by the pipeline (Image.fromDockerfile) nor has a tag (Image.fromRegistry(repo, tag))`);
        }
        const probesUrl = s.smokeTest.kind === SmokeTestKind.HTTP && s.url && !s.smokeTest.url;
        if (probesUrl && app.healthCheck.kind !== HealthCheckKind.HTTP && s.target.kind === TargetKind.CUSTOM) {
          problems.push(`application "${app.name}" has no HTTP health check to probe at ${s.url}; give it healthCheck: HealthCheck.http('/health') or the stage a smokeTest`);
        }
      }
    }
    return problems;
  }

  private workflow(name: string): Workflow {
    let wf = this.workflows.get(name);
    if (wf) return wf;
    if (name === this.node.id) {
      wf = new Workflow(this, 'workflow', {
        name: this.displayName,
        fileName: `${name}.yml`,
        triggers: this.triggers,
        concurrency: {
          // a newer push to a pull request cancels its older run; every other run has a group of its own,
          // so pushes to main are never cancelled midway (deploy jobs also queue per environment)
          group: `${this.node.id}-\${{ github.event_name == 'pull_request' && github.ref || github.run_id }}`,
          cancelInProgress: true,
        },
      });
    } else {
      const env = this.stages.find((s) => `${this.node.id}-${s.name}` === name)!;
      wf = new Workflow(this, `workflow-${env.name}`, {
        name: `${this.displayName}: deploy ${env.name}`,
        fileName: `${name}.yml`,
        runName: `Deploy \${{ inputs.sha || github.sha }} to ${env.name}`,
        triggers: [Trigger.workflowDispatch({
          inputs: {
            confirm: DispatchInput.string({ description: env.approval!.description ?? `Type ${env.approval!.confirmation} to deploy to ${env.name}`, required: true }),
            sha: DispatchInput.string({ description: 'Commit to deploy (its images were built by the main pipeline); empty for the selected ref', required: false, default: '' }),
          },
        })],
      });
    }
    this.workflows.set(name, wf);
    return wf;
  }

  private renderJob(pj: PlanJob): void {
    const wf = this.workflow(pj.workflow);
    switch (pj.kind) {
      case PlanJobKind.GATE: return this.renderCheck(wf, pj, pj.check!, undefined);
      case PlanJobKind.VERIFY: return this.renderCheck(wf, pj, pj.check!, pj.environment!);
      case PlanJobKind.BUILD: return this.renderBuild(wf, pj);
      case PlanJobKind.PULL_REQUEST_BUILD: return this.renderPullRequestBuild(wf, pj);
      case PlanJobKind.CONFIRM: return this.renderConfirm(wf, pj);
      case PlanJobKind.DEPLOY: return this.renderDeploy(wf, pj);
      case PlanJobKind.VALIDATE: return this.renderValidate(wf, pj);
      case PlanJobKind.SUMMARY: return this.renderSummary(wf, pj);
      case PlanJobKind.NOTIFY: return this.renderNotify(wf, pj);
    }
  }

  private isMain(pj: PlanJob): boolean {
    return pj.workflow === this.node.id;
  }

  /** Image reference expressions per application, as seen from a job of the plan. */
  private images(pj: PlanJob): Map<Application, string> {
    const out = new Map<Application, string>();
    for (const app of this.applications) {
      if (!app.image.buildOptions) {
        if (app.image.defaultTag) out.set(app, `${app.image.repository}:${app.image.defaultTag}`);
        continue;
      }
      out.set(app, this.isMain(pj)
        ? this.buildJob!.output(`image-${app.name}`).toString()
        : Expression.stepOutput(RESOLVE_IMAGES, `image-${app.name}`).toString());
    }
    return out;
  }

  /** Image digest expressions (`sha256:...`) per built application, as seen from a job of the plan. */
  private digests(pj: PlanJob): Map<Application, string> {
    const out = new Map<Application, string>();
    for (const app of this.applications.filter((a) => a.image.buildOptions)) {
      out.set(app, this.isMain(pj)
        ? this.buildJob!.output(`digest-${app.name}`).toString()
        : Expression.stepOutput(RESOLVE_IMAGES, `digest-${app.name}`).toString());
    }
    return out;
  }

  private sha(pj: PlanJob): string {
    return this.isMain(pj) ? '${{ github.sha }}' : '${{ inputs.sha || github.sha }}';
  }

  /** Whether the pipeline runs on pull requests. */
  private get onPullRequests(): boolean {
    return this.triggers.some((t) => t.eventName === 'pull_request' || t.eventName === 'pull_request_target');
  }

  /** Deploy jobs of the main workflow run only on pushes to the stage's branches (or a dispatch). */
  private deployCondition(env: Environment): string {
    const events = ['push', ...(this.triggers.some((t) => t.eventName === 'workflow_dispatch') ? ['workflow_dispatch'] : [])];
    const eventCond = events.map((e) => `github.event_name == '${e}'`).join(' || ');
    const refCond = env.branches.map((b) => `github.ref == 'refs/heads/${b}'`).join(' || ');
    return `(${eventCond}) && (${refCond})`;
  }

  private renderCheck(wf: Workflow, pj: PlanJob, check: Check, env: Environment | undefined): void {
    const ctx: CheckContext = {
      toolchain: this.toolchain, runsOn: this.runsOn, images: imageNames(this.images(pj)), environmentUrl: env?.url, scope: this,
    };
    let condition = check._jobProps(ctx).if;
    if (pj.deploysOnly && env) condition = condition ? `(${condition}) && (${this.deployCondition(env)})` : this.deployCondition(env);
    // images are pushed (and so can be pulled by digest) only where the build pushes: not on pull requests
    if (check.placement === CheckPlacement.AFTER_BUILD) condition = condition ? `(${condition}) && (${PUSHES})` : PUSHES;
    check._addJob(wf, ctx, { jobId: pj.id, needs: pj.needs, if: condition });
  }

  /**
   * The build job pushes images, so it holds registry write scopes
   * (`packages: write`, `id-token: write`). Permissions cannot depend on the
   * event, so a pipeline that runs on pull requests gets two jobs: the build
   * that pushes runs only outside pull requests; a read-only job builds the
   * same images without pushing on pull requests.
   */
  private renderBuild(wf: Workflow, pj: PlanJob): void {
    const built = this.applications.filter((a) => a.image.buildOptions);
    const onPullRequests = this.onPullRequests;
    const steps: Step[] = [Step.uses(Actions.checkout(), { name: 'Check out' })];
    const login = this.registryLogin!;
    switch (login.kind) {
      case RegistryLoginKind.GITHUB_TOKEN:
        steps.push(Step.uses(Actions.dockerLogin({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }), { name: 'Log in to ghcr.io' }));
        break;
      case RegistryLoginKind.GOOGLE: {
        steps.push(Step.uses(gcpAuth(login.googleOptions ?? {}).toAction(), { name: 'Authenticate to Google Cloud' }));
        const hosts = [...new Set(built.map((a) => a.image.registry))];
        steps.push(Step.run(`gcloud auth configure-docker ${hosts.join(',')} --quiet`, { name: 'Configure Docker for Artifact Registry' }));
        break;
      }
      default:
        steps.push(Step.uses(
          Actions.dockerLogin({ registry: login.registry, username: login.username!.expression, password: login.passwordSecret!.expression }),
          { name: `Log in to ${login.registry ?? 'Docker Hub'}` }));
    }
    steps.push(Step.uses(Actions.setupBuildx(), { name: 'Set up Docker Buildx' }));
    const outputs: { [name: string]: string } = {};
    for (const app of built) {
      steps.push(this.buildStep(app, true));
      outputs[`image-${app.name}`] = `${app.image.repository}@\${{ steps.build-${app.name}.outputs.digest }}`;
      outputs[`digest-${app.name}`] = `\${{ steps.build-${app.name}.outputs.digest }}`;
    }
    steps.push(this.summaryStep());
    const job = wf.addJob(pj.id, {
      name: pj.label, runsOn: this.runsOn, needs: pj.needs, steps, timeout: undefined, if: onPullRequests ? PUSHES : undefined,
    });
    for (const [k, v] of Object.entries(outputs)) job.addOutput(k, v);
    this.buildJob = job;
  }

  /** The read-only build of pull requests: the same images, not pushed, no write scopes. */
  private renderPullRequestBuild(wf: Workflow, pj: PlanJob): void {
    const built = this.applications.filter((a) => a.image.buildOptions);
    wf.addJob(pj.id, {
      name: pj.label,
      runsOn: this.runsOn,
      needs: pj.needs,
      if: 'github.event_name == \'pull_request\'',
      steps: [
        Step.uses(Actions.checkout(), { name: 'Check out' }),
        Step.uses(Actions.setupBuildx(), { name: 'Set up Docker Buildx' }),
        ...built.map((app) => this.buildStep(app, false)),
        this.summaryStep(),
      ],
    });
  }

  /** Builds one image; pushed by the build job, only built on pull requests (reading, not writing, the layer cache). */
  private buildStep(app: Application, push: boolean): Step {
    const b = app.image.buildOptions!;
    return Step.uses(Actions.buildPush({
      context: b.context ?? '.',
      file: b.dockerfile,
      target: b.target,
      platforms: b.platforms,
      buildArgs: b.buildArgs,
      push,
      tags: [`${app.image.repository}:\${{ github.sha }}`],
      cacheFrom: [`type=gha,scope=${app.name}`],
      cacheTo: push ? [`type=gha,mode=max,scope=${app.name}`] : undefined,
    }), { id: `build-${app.name}`, name: `Build ${app.name}` });
  }

  private summaryStep(): Step {
    return Step.run(['cat >> "$GITHUB_STEP_SUMMARY" <<\'SLIPWAY_GRAPH\'', '```mermaid', this.toMermaid().trimEnd(), '```', 'SLIPWAY_GRAPH'].join('\n'),
      { name: 'Pipeline graph' });
  }

  private renderConfirm(wf: Workflow, pj: PlanJob): void {
    const env = pj.environment!;
    const word = env.approval!.confirmation!;
    wf.addJob(pj.id, {
      name: pj.label,
      runsOn: RunsOn.UBUNTU_LATEST,
      steps: [
        Step.run([
          `if [ "$CONFIRMATION" != ${JSON.stringify(word)} ]; then`,
          `  echo "::error::type ${word} to deploy to ${env.name} (got: $CONFIRMATION)"`,
          '  exit 1',
          'fi',
          `echo "deploying $DEPLOY_SHA to ${env.name}" >> "$GITHUB_STEP_SUMMARY"`,
        ].join('\n'), { name: `Require "${word}"`, env: { CONFIRMATION: '${{ inputs.confirm }}', DEPLOY_SHA: '${{ inputs.sha || github.sha }}' } }),
      ],
    });
  }

  private deployerFor(pj: PlanJob): Deployer {
    const env = pj.environment!;
    const ctx: DeployContext = {
      environment: env, applications: this.applications, images: this.images(pj), digests: this.digests(pj), sha: this.sha(pj),
    };
    switch (env.target.kind) {
      case TargetKind.KUBERNETES: return new KubernetesDeployer(ctx, this.charts);
      case TargetKind.CLOUD_RUN: {
        const o = env.target.cloudRunOptions!;
        const deployments = new Map<Application, CloudRunDeployment>();
        for (const [app, service] of this.services.get(env)!) {
          const imageDigest = ctx.digests.get(app);
          deployments.set(app, new CloudRunDeployment(service, { auth: gcpAuth(o), imageDigest, deployTimeout: this.deployTimeout }));
        }
        return new CloudRunDeployer(ctx, deployments);
      }
      default: return new CustomDeployer(ctx);
    }
  }

  private renderDeploy(wf: Workflow, pj: PlanJob): void {
    const env = pj.environment!;
    const deployer = this.deployerFor(pj);
    const steps: Step[] = [];
    if (!this.isMain(pj)) steps.push(...this.resolveImageSteps());
    const bake = (app: Application) => env.rolloutFor(app).bake?.toSeconds() ?? 0;
    for (const act of pj.actions) {
      // undefined only for a custom target's application-less actions (record, deploy, smoke test, rollback)
      const app = act.application!;
      switch (act.kind) {
        case 'setup': steps.push(...deployer.setup()); break;
        case 'record': steps.push(...deployer.record(act.application)); break;
        case 'pre-deploy': steps.push(...deployer.preDeploy()); break;
        case 'migrate': steps.push(...deployer.migrate(app, act.phase as MigrationPhase)); break;
        case 'deploy': steps.push(...deployer.deploy(act.application, act.weight!)); break;
        case 'set-weight': steps.push(...deployer.setWeight(app, act.weight!)); break;
        case 'bake': steps.push(...deployer.bake(app, act.weight!, bake(app))); break;
        case 'smoke-test': steps.push(...deployer.smokeTest(act.application, act.weight!)); break;
        case 'promote': steps.push(...deployer.promote(app)); break;
        case 'mark-deployed': steps.push(...deployer.markDeployed()); break;
        case 'contract': steps.push(...deployer.contract(app)); break;
        case 'rollback': steps.push(...deployer.rollback(act.application)); break;
        case 'report': steps.push(...deployer.report()); break;
        default: throw new Error(`unexpected action ${act.kind} in a deploy job`);
      }
    }
    const job = wf.addJob(pj.id, {
      name: pj.label,
      needs: pj.needs,
      if: this.isMain(pj) ? this.deployCondition(env) : undefined,
      runsOn: deployer.runsOn ? RunsOn.labels(deployer.runsOn) : RunsOn.UBUNTU_LATEST,
      environment: env.githubEnvironment ? { name: env.githubEnvironment, url: env.url } : undefined,
      concurrency: { group: `deploy-${env.name}`, cancelInProgress: false },
      permissions: deployer.permissions as any,
      env: jobLevelEnv(deployer.jobEnv),
      timeout: this.deployJobTimeout(env, steps),
      steps,
    });
    job.addOutput('rolled_back', Expression.stepOutput('report', 'rolled_back').toString());
    job.addOutput('rollback', Expression.stepOutput('report', 'rollback').toString());
    this.deployJobs.set(env, job);
  }

  /**
   * The deploy job's time limit: the deploy timeout plus the time each
   * application's rollout spends baking and measuring, plus what its
   * rollback steps may take, so that a rollback after a timed-out step still
   * fits in the job.
   */
  private deployJobTimeout(env: Environment, steps: Step[]): Duration {
    let seconds = this.deployTimeout.toSeconds();
    for (const app of this.applications) {
      const r = env.rolloutFor(app);
      const n = r.steps?.length ?? 0;
      seconds += n * (r.bake?.toSeconds() ?? 0);
      if (r.analysis) seconds += n * r.analysis.count * r.analysis.interval.toSeconds();
    }
    for (const s of steps.filter((x) => x.condition === ROLLBACK_CONDITION || x.condition === 'always()')) seconds += s.timeout?.toSeconds() ?? 0;
    return Duration.seconds(seconds);
  }

  private resolveImageSteps(): Step[] {
    const built = this.applications.filter((a) => a.image.buildOptions);
    if (built.length === 0) return [];
    const lines = built.flatMap((a) => [
      `digest="$(docker buildx imagetools inspect "${a.image.repository}:$DEPLOY_SHA" --format '{{json .Manifest.Digest}}' | tr -d '"')"`,
      `echo "digest-${a.name}=$digest" >> "$GITHUB_OUTPUT"`,
      `echo "image-${a.name}=${a.image.repository}@$digest" >> "$GITHUB_OUTPUT"`,
      // a job's env cannot read the steps context: the later steps get the image through $GITHUB_ENV
      `echo "SLIPWAY_IMAGE_${envName(a.name)}=${a.image.repository}@$digest" >> "$GITHUB_ENV"`,
    ]);
    return [Step.run(lines.join('\n'), {
      id: RESOLVE_IMAGES,
      name: 'Resolve the digests the main pipeline built for this commit',
      env: { DEPLOY_SHA: '${{ inputs.sha || github.sha }}' },
    })];
  }

  private renderValidate(wf: Workflow, pj: PlanJob): void {
    const env = pj.environment!;
    const deployer = this.deployerFor(pj);
    const failed = "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')";
    const steps: Step[] = [...deployer.setup()];
    for (const act of pj.actions) {
      if (act.kind === 'record-validated') steps.push(...deployer.recordValidated(`!(${failed})`));
      if (act.kind === 'rollback-to-validated') steps.push(...deployer.rollbackToValidated(failed));
      if (act.kind === 'report') steps.push(...deployer.report());
    }
    const job = wf.addJob(pj.id, {
      name: pj.label,
      needs: pj.needs,
      if: Expression.allOf(Expression.always(), this.deployJobs.get(env)!.result.eq('success')).toString(),
      runsOn: deployer.runsOn ? RunsOn.labels(deployer.runsOn) : RunsOn.UBUNTU_LATEST,
      environment: env.githubEnvironment ? { name: env.githubEnvironment, url: env.url } : undefined,
      concurrency: { group: `deploy-${env.name}`, cancelInProgress: false },
      permissions: { ...deployer.permissions, contents: 'write' } as any,
      env: Object.keys(deployer.jobEnv).length ? deployer.jobEnv : undefined,
      steps,
    });
    job.addOutput('rolled_back', Expression.stepOutput('report', 'rolled_back').toString());
    job.addOutput('rollback', Expression.stepOutput('report', 'rollback').toString());
  }

  private renderSummary(wf: Workflow, pj: PlanJob): void {
    const needs = pj.needs;
    const failed = "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')";
    const table = [
      '{',
      "  echo '| job | result |'",
      "  echo '| --- | --- |'",
      ...needs.map((n) => `  echo "| ${n} | \${{ needs.${n}.result }} |"`),
      '} >> "$GITHUB_STEP_SUMMARY"',
    ];
    wf.addJob(pj.id, {
      name: 'Summary',
      needs,
      if: 'always()',
      runsOn: RunsOn.UBUNTU_LATEST,
      steps: [
        Step.run(table.join('\n'), { name: 'Write every job\'s result to the run summary' }),
        Step.run('echo "::error::a job failed or was cancelled; see the run summary"\nexit 1', { name: 'Fail when a job failed', if: failed }),
      ],
    });
  }

  private renderNotify(wf: Workflow, pj: PlanJob): void {
    const kindOf = (id: string) => this._plan().jobs.find((j) => j.id === id && j.workflow === pj.workflow)?.kind;
    const deploys = pj.needs.filter((n) => kindOf(n) === PlanJobKind.DEPLOY);
    // deploy jobs roll back failed deploys; deploy-first validate jobs roll back when the gates failed
    const rollbacks = pj.needs.filter((n) => kindOf(n) === PlanJobKind.DEPLOY || kindOf(n) === PlanJobKind.VALIDATE);
    const steps = this.notifications.flatMap((n) => n._steps({
      title: `${this.displayName} (${Expression.github('ref_name')}@${Expression.github('sha')})`,
      resultExpression: "${{ (contains(needs.*.result, 'failure') && 'failure') || (contains(needs.*.result, 'cancelled') && 'cancelled') || 'success' }}",
      rolledBackExpression: rollbacks.length
        ? `\${{ ${rollbacks.map((d) => `needs.${d}.outputs.rolled_back == 'true'`).join(' || ')} }}`
        : undefined,
      deployedExpression: deploys.length
        ? deploys.map((d) => `needs.${d}.result == 'success'`).join(' || ')
        : 'false',
      // a failed deploy that was not rolled back says why (the deploy job's `rollback` output)
      failureDetailExpression: rollbacks.length
        ? [...rollbacks.flatMap((d) => [
          `(needs.${d}.outputs.rollback == 'refused' && ' (${d}: not rolled back, the contract migration had started)')`,
          `(needs.${d}.outputs.rollback == 'failed' && ' (${d}: the rollback failed)')`,
        ]), "''"].join(' || ')
        : undefined,
    }));
    // a workflow with nothing to report (e.g. only NotifyOn.DEPLOYED in a workflow that deploys nothing) gets no notify job
    if (steps.length === 0) return;
    wf.addJob(pj.id, { name: 'notify', needs: pj.needs, if: 'always()', runsOn: RunsOn.UBUNTU_LATEST, steps });
  }
}

/**
 * The env of a job without the entries that read the steps context, which
 * GitHub does not allow at job level (a dispatch workflow's deploy job
 * resolves the images in its first step, which exports them to $GITHUB_ENV).
 */
function jobLevelEnv(env: { [name: string]: string }): { [name: string]: string } | undefined {
  const out = Object.fromEntries(Object.entries(env).filter(([, v]) => !/\$\{\{[^}]*\bsteps\./.test(v)));
  return Object.keys(out).length ? out : undefined;
}
