/**
 * Every public type is reachable from README.md or docs/*.md: its name is in an example or a
 * reference section (code in the Markdown), or it is reached through a documented type (a props
 * struct of its construct, a `kind` enum the type reports). The list of exported types is the
 * jsii assembly (.jsii, written by the compile step). Names the docs write as `Type.member` are
 * members of the type, and the examples that show the types otherwise missing are run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectValid } from './support/harness';
import { tempProject } from './support/temp-project';
import { Application, HealthCheck, Image, Testing } from '../src/core';
import { Environment, Pipeline, RegistryLogin, Secret, Target } from '../src/delivery';
import { Job, JobBase, ReusableWorkflowJob, Step, Trigger, Workflow } from '../src/github';

const REPO = path.resolve(__dirname, '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const MARKDOWN = Object.fromEntries(DOCS.map((f) => [f, fs.readFileSync(path.join(REPO, f), 'utf8')]));

interface TypeRef { readonly fqn?: string; readonly collection?: { readonly elementtype: TypeRef }; readonly union?: { readonly types: TypeRef[] } }
interface Member {
  readonly name: string;
  readonly type?: TypeRef;
  readonly parameters?: { readonly type: TypeRef }[];
  readonly returns?: { readonly type: TypeRef };
}
interface JsiiType {
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly abstract?: boolean;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly initializer?: { readonly parameters?: { readonly type: TypeRef }[] };
  readonly methods?: Member[];
  readonly properties?: Member[];
  readonly members?: { readonly name: string }[];
}
const ASSEMBLY: { types: { [fqn: string]: JsiiType } } = JSON.parse(fs.readFileSync(path.join(REPO, '.jsii'), 'utf8'));
const TYPES: { [name: string]: JsiiType } = Object.fromEntries(Object.values(ASSEMBLY.types).map((t) => [t.name, t]));
const shortName = (fqn: string) => fqn.split('.').pop()!;

/** The code of a Markdown text: its fenced blocks and its inline code spans. */
function code(md: string): string {
  const fenced: string[] = [];
  const prose = md.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_, block: string) => {
    fenced.push(block);
    return '';
  });
  return [...fenced, ...(prose.match(/`[^`\n]+`/g) ?? [])].join('\n');
}
const CODE = Object.fromEntries(DOCS.map((f) => [f, code(MARKDOWN[f])]));
const ALL_CODE = Object.values(CODE).join('\n');
const documented = (name: string) => new RegExp(`\\b${name}\\b`).test(ALL_CODE);

/**
 * Types a user never writes by name, each reached through the documented type it is listed under
 * (checked below: the type is in that type's signature):
 * - props and options structs: written as object literals where the construct or factory
 *   takes them, and listed under it in API.md (`new Pipeline(app, 'ci', { ... })` is PipelineProps);
 * - the structs inside them, and the structs they extend;
 * - `kind` enums, which a value object reports in its `kind` property (read, never passed in).
 * A type whose name a user writes (a class, an enum passed in props) is not listed: it is documented.
 */
const REACHED_THROUGH: { readonly [documentedType: string]: readonly string[] } = {
  // constructs and their props
  App: ['AppProps'],
  AppProps: ['SupplyChainOptions'],
  Application: ['ApplicationProps', 'IngressOptions', 'ResourceRequirements'],
  Environment: ['EnvironmentProps'],
  Pipeline: ['PipelineProps'],
  Workflow: ['WorkflowProps'],
  Job: ['JobProps', 'JobEnvironment', 'JobSnapshot', 'RunDefaults'],
  JobBase: ['JobBaseProps', 'Concurrency', 'Strategy'],
  ReusableWorkflowJob: ['ReusableWorkflowJobProps'],
  CompositeAction: ['CompositeActionProps'],
  CompositeActionProps: ['ActionInput', 'ActionOutput'],
  HelmChart: ['HelmChartProps'],
  HelmChartProps: ['ConfigMapOptions', 'ContainerPortOptions', 'PodDisruptionBudgetOptions', 'ServiceAccountOptions', 'ServiceOptions', 'WorkloadSecurityOptions'],
  CloudRunService: ['CloudRunServiceProps'],
  CloudRunServiceProps: ['CloudRunTrafficTarget'],
  CloudRunJob: ['CloudRunJobProps'],
  CloudRunJobProps: ['CloudRunJobOptions', 'CloudRunWorkloadOptions'],
  CloudRunDeployment: ['CloudRunDeploymentOptions'],
  CloudRunAuth: ['CloudRunWorkloadIdentityOptions'],
  ActionLock: ['ActionLockProps', 'LockEntry'],
  PullRequestChecks: ['PullRequestChecksProps'],
  ReleaseWorkflow: ['ReleaseWorkflowProps'],
  DocsWorkflow: ['DocsWorkflowProps'],
  HealthCheckWorkflow: ['HealthCheckWorkflowProps'],
  HealthCheckWorkflowProps: ['HealthCheckTarget'],
  Dependabot: ['DependabotProps', 'DependabotUpdate'],
  // value objects: the options of their factories, and their kind
  Action: ['ActionMetadata'],
  ActionMetadata: ['ActionInputSpec'],
  Actions: [
    'BuildPushProps', 'CacheProps', 'CatalogOptions', 'CheckoutProps', 'CodecovProps', 'DeployPagesProps', 'DiscordProps', 'DockerLoginProps',
    'DownloadArtifactProps', 'GhPagesProps', 'GhReleaseProps', 'GoogleAuthProps', 'InstallPoetryProps', 'K8sSetContextProps', 'PrSizeLabelerProps',
    'PypiPublishProps', 'SemanticPullRequestProps', 'SetupBuildxProps', 'SetupGcloudProps', 'SetupHelmProps', 'SetupNodeProps', 'SetupPythonProps',
    'SlackProps', 'SlackStatusProps', 'TrivyProps', 'UploadArtifactProps', 'UploadPagesArtifactProps', 'UploadSarifProps',
  ],
  Analysis: ['PrometheusAnalysisOptions'],
  Approval: ['ApprovalKind', 'ManualDispatchOptions'],
  Check: ['CustomCheckOptions', 'DastOptions', 'DriftCheckOptions', 'IacScanOptions', 'ImageScanOptions', 'LintCheckOptions', 'LoadTestOptions', 'SecurityScanOptions', 'TestCheckOptions'],
  TestCheckOptions: ['TestMatrixOptions'],
  DispatchInput: ['BooleanInputOptions', 'NumberInputOptions', 'StringInputOptions'],
  BooleanInputOptions: ['InputOptions'],
  HealthCheck: ['HealthCheckKind', 'HealthCheckOptions'],
  IacScanner: ['CheckovOptions', 'TflintOptions'],
  Image: ['ImageBuildOptions', 'RegistryKind'],
  Matrix: ['MatrixOptions'],
  Migration: ['MigrationOptions', 'MigrationPhasesOptions'],
  Notification: ['DiscordNotificationOptions', 'SlackNotificationOptions'],
  PackageRegistry: ['NpmRegistryOptions', 'PypiRegistryOptions'],
  RegistryLogin: ['GoogleRegistryLoginOptions', 'PasswordRegistryLoginOptions', 'RegistryLoginKind'],
  Rollout: ['AllAtOnceOptions', 'BlueGreenOptions', 'CanaryOptions', 'DeployFirstOptions', 'RolloutKind'],
  Scaling: ['AutoscalingOptions'],
  Scanner: ['BanditOptions', 'NpmAuditOptions', 'PipAuditOptions', 'SafetyOptions'],
  ServiceContainer: ['ContainerOptions', 'PostgresServiceOptions', 'RedisServiceOptions'],
  ContainerOptions: ['ContainerCredentials', 'ServiceHealthCheck'],
  SmokeTest: ['CommandSmokeTestOptions', 'HttpSmokeTestOptions', 'SmokeTestKind'],
  Step: ['ControlStepOptions', 'RunStepOptions', 'UsesStepOptions'],
  RunStepOptions: ['StepOptions'],
  Target: ['CloudRunTargetOptions', 'CustomTargetOptions', 'KubernetesTargetOptions', 'TargetKind'],
  Testing: ['SynthFileOptions'],
  Toolchain: ['NodeToolchainOptions', 'PythonToolchainOptions'],
  Trigger: [
    'ImageVersionTriggerOptions', 'MergeGroupTriggerOptions', 'PullRequestTriggerOptions', 'PushTriggerOptions', 'ScheduleOptions',
    'TypesTriggerOptions', 'WorkflowCallOptions', 'WorkflowDispatchOptions', 'WorkflowRunTriggerOptions',
  ],
  WorkflowCallOptions: ['WorkflowCallOutput', 'WorkflowCallSecret'],
};
const VIA: { [type: string]: string } = {};
for (const [via, types] of Object.entries(REACHED_THROUGH)) for (const t of types) VIA[t] = via;

function names(ref: TypeRef | undefined, out: Set<string>): void {
  if (!ref) return;
  if (ref.fqn) out.add(shortName(ref.fqn));
  if (ref.collection) names(ref.collection.elementtype, out);
  for (const u of ref.union?.types ?? []) names(u, out);
}

/** The types in a type's signature: what its constructor and methods take and return, its properties, what it extends. */
function signature(t: JsiiType): Set<string> {
  const out = new Set<string>();
  for (const p of t.initializer?.parameters ?? []) names(p.type, out);
  for (const m of t.methods ?? []) {
    for (const p of m.parameters ?? []) names(p.type, out);
    names(m.returns?.type, out);
  }
  for (const p of t.properties ?? []) names(p.type, out);
  for (const i of t.interfaces ?? []) out.add(shortName(i));
  if (t.base) out.add(shortName(t.base));
  return out;
}

/** The methods and properties of a type, with those of what it extends (`Type.member` in prose names one, static or not). */
function memberNames(t: JsiiType): Set<string> {
  const out = new Set([...(t.methods ?? []), ...(t.properties ?? [])].map((m) => m.name));
  for (const parent of [t.base, ...(t.interfaces ?? [])]) {
    const p = parent && TYPES[shortName(parent)];
    if (p) for (const n of memberNames(p)) out.add(n);
  }
  return out;
}

describe('every public type is reachable from README.md or docs/*.md', () => {
  test('the assembly lists the exported types', () => {
    expect(Object.keys(TYPES).length).toBeGreaterThan(200);
    expect(TYPES.Pipeline.kind).toBe('class');
  });

  test('each one is named in the docs\' code, or reached through a type that is', () => {
    const missing = Object.keys(TYPES).filter((name) => !documented(name) && !VIA[name]).sort();
    expect(missing).toEqual([]);
  });

  test('each listed type is reached through the type it is listed under, which is documented or reached in turn', () => {
    for (const [type, via] of Object.entries(VIA)) {
      expect([type, TYPES[type] !== undefined, TYPES[via] !== undefined]).toEqual([type, true, true]);
      expect([type, via, signature(TYPES[via]).has(type)]).toEqual([type, via, true]);
      const chain = [type];
      let at = via;
      while (!documented(at)) {
        expect([type, chain, VIA[at] !== undefined && !chain.includes(at)]).toEqual([type, chain, true]);
        chain.push(at);
        at = VIA[at];
      }
    }
  });

  test('only structs and kind enums are listed, and none that the docs name (the list stays as short as it can be)', () => {
    for (const [type, via] of Object.entries(VIA)) {
      const t = TYPES[type];
      expect([type, documented(type)]).toEqual([type, false]);
      if (t.kind === 'enum') {
        // a kind enum: the documented class reports it in a property, nothing takes it
        const v = TYPES[via];
        expect([type, v.kind, (v.properties ?? []).some((p) => p.name.toLowerCase().endsWith('kind') && p.type?.fqn?.endsWith(`.${type}`))]).toEqual([type, 'class', true]);
        const takes = Object.values(TYPES).filter((o) => o.kind !== 'enum' && [...(o.methods ?? []), { parameters: o.initializer?.parameters }].some((m) => (m.parameters ?? []).some((p) => p.type.fqn?.endsWith(`.${type}`))));
        expect([type, takes.map((o) => o.name)]).toEqual([type, []]);
        const inStructs = Object.values(TYPES).filter((o) => o.datatype && (o.properties ?? []).some((p) => p.type?.fqn?.endsWith(`.${type}`)));
        expect([type, inStructs.map((o) => o.name)]).toEqual([type, []]);
      } else {
        expect([type, t.kind, t.datatype]).toEqual([type, 'interface', true]);
      }
    }
  });

  test('each `Type.member` in the docs\' code is a member of that type (or of what it extends), and each `new Type(` a class that can be constructed', () => {
    const wrong: string[] = [];
    for (const [file, text] of Object.entries(CODE)) {
      for (const m of text.matchAll(/(?<![\w.])([A-Z]\w*)\.([A-Za-z_]\w*)/g)) {
        const t = TYPES[m[1]];
        if (!t) continue;
        const member = m[2];
        const ok = t.kind === 'enum' ? (t.members ?? []).some((e) => e.name === member) : memberNames(t).has(member);
        if (!ok) wrong.push(`${file}: ${m[0]}`);
      }
      for (const m of text.matchAll(/\bnew ([A-Z]\w*)\(/g)) {
        const t = TYPES[m[1]];
        if (t && (t.kind !== 'class' || t.abstract || !t.initializer)) wrong.push(`${file}: new ${m[1]}(`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The one ```ts block of a document that contains `marker`. */
function example(file: string, marker: string): string {
  const found = [...MARKDOWN[file].matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => b.includes(marker));
  expect([file, marker, found.length]).toEqual([file, marker, 1]);
  return found[0];
}

/** A definition file: the example between the context it assumes and what the test adds, importing the slipway types it names. */
function definition(context: string, shown: string, after = ''): string {
  const body = `const app = new App();\n${context}\n${shown}${after}\napp.synth();\n`;
  const used = Object.keys(TYPES).filter((n) => TYPES[n].kind !== 'interface' && new RegExp(`\\b${n}\\b`).test(body)).sort();
  return `import { ${used.join(', ')} } from 'slipway';\n\n${body}`;
}

const API = `const api = new Application(app, 'api', {
  image: Image.fromDockerfile({ repository: 'registry.example.com/team/api' }),
  port: 8080,
  healthCheck: HealthCheck.http('/health'),
});
const staging = new Environment(app, 'staging', {
  target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
});`;

describe('the examples that show the types, as written in the docs: they type-check (strict) and synthesize to valid output', () => {
  const dir = tempProject('docs-types');
  const files: { [name: string]: string } = {
    'registry-login.ts': definition(API, example('docs/delivery.md', 'RegistryLogin.password(')),
    'dependabot.ts': definition("const toolchain = Toolchain.node('20');", example('docs/delivery-gates.md', 'DependabotEcosystem.TERRAFORM')),
    'reusable.ts': definition(
      "const release = new Workflow(app, 'release', { triggers: [Trigger.push({ branches: ['main'] })] });",
      example('docs/github.md', 'release.addReusableWorkflowJob('),
      // the job of the called workflow, with the output its workflow_call trigger declares; a later job of the caller reads it
      `deploy.addJob('deploy', { steps: [Step.run('echo "url=https://staging.example.com" >> "$GITHUB_OUTPUT"', { id: 'url' })] })
  .addOutput('url', '\${{ steps.url.outputs.url }}');
release.addJob('announce', { steps: [Step.run('echo "$URL"', { env: { URL: staging.output('url').toString() } })] });`,
    ),
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const synth = (name: string) => Testing.synthFile(path.join(dir, name));

  test('tsc --strict accepts them', () => {
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'commonjs', '--target', 'es2020',
      ...Object.keys(files)], { cwd: dir, encoding: 'utf8' });
    expect([tsc.status, tsc.stdout]).toEqual([0, '']);
  });

  test('docs/delivery.md, "Registry login": the build job logs in with the two secrets', () => {
    const out = synth('registry-login.ts');
    expectValid(out);
    const build = YAML.parse(out['.github/workflows/ci.yml']).jobs.build;
    const login = build.steps.find((s: any) => s.name === 'Log in to registry.example.com');
    expect(login.uses).toMatch(/^docker\/login-action@[0-9a-f]{40}/);
    expect(login.with).toEqual({ registry: 'registry.example.com', username: '${{ secrets.REGISTRY_USER }}', password: '${{ secrets.REGISTRY_TOKEN }}' });
  });

  test('docs/delivery-gates.md, "Dependabot": the Terraform update weekly in /infra, the others monthly', () => {
    const out = synth('dependabot.ts');
    expectValid(out);
    const updates = YAML.parse(out['.github/dependabot.yml']).updates.map((u: any) => [u['package-ecosystem'], u.directory, u.schedule.interval]);
    expect(updates).toEqual([['github-actions', '/', 'monthly'], ['npm', '/', 'monthly'], ['terraform', '/infra', 'weekly']]);
  });

  test('docs/github.md, "Reusable workflows": a job that calls deploy.yml with secrets: inherit, whose output a later job reads', () => {
    const out = synth('reusable.ts');
    expectValid(out);
    const jobs = YAML.parse(out['.github/workflows/release.yml']).jobs;
    expect(jobs.staging).toMatchObject({ uses: './.github/workflows/deploy.yml', with: { environment: 'staging' }, secrets: 'inherit' });
    expect(jobs.announce.needs).toBe('staging');
    expect(jobs.announce.steps[0].env).toEqual({ URL: '${{ needs.staging.outputs.url }}' });
  });
});

describe('the prose around them', () => {
  /** The build job of a one-application pipeline whose image is `repository`. */
  function build(repository: string, registryLogin?: RegistryLogin): any {
    const app = Testing.app();
    const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository }), port: 8080, healthCheck: HealthCheck.http('/health') });
    const staging = new Environment(app, 'staging', { target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG') }) });
    new Pipeline(app, 'ci', { applications: [api], stages: [staging], registryLogin });
    return YAML.parse(Testing.synth(app)['.github/workflows/ci.yml']).jobs.build;
  }
  const login = (job: any) => job.steps.find((s: any) => /^(Log in|Authenticate)/.test(s.name));

  test('docs/delivery.md, "Registry login": by default the login follows the first built image', () => {
    expect(login(build('ghcr.io/org/api'))).toMatchObject({ name: 'Log in to ghcr.io', with: { registry: 'ghcr.io', password: '${{ secrets.GITHUB_TOKEN }}' } });
    expect(build('ghcr.io/org/api').permissions.packages).toBe('write');
    expect(login(build('docker.io/org/api'))).toMatchObject({ with: { username: '${{ secrets.DOCKER_USERNAME }}', password: '${{ secrets.DOCKER_PASSWORD }}' } });
    expect(login(build('registry.example.com/team/api'))).toMatchObject({
      name: 'Log in to registry.example.com', with: { registry: 'registry.example.com', username: '${{ secrets.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' },
    });
    const google = build('us-docker.pkg.dev/p/r/api');
    expect(login(google).name).toBe('Authenticate to Google Cloud');
    expect(google.steps.map((s: any) => s.run).filter(Boolean)).toContain('gcloud auth configure-docker us-docker.pkg.dev --quiet');
    // RegistryLogin.githubToken() chosen for an image elsewhere
    expect(login(build('registry.example.com/team/api', RegistryLogin.githubToken()))).toMatchObject({ name: 'Log in to ghcr.io' });
  });

  test('docs/github.md, "Reusable workflows": addReusableWorkflowJob returns a ReusableWorkflowJob; it and Job are both JobBase', () => {
    const app = Testing.app();
    const release = new Workflow(app, 'release', { triggers: [Trigger.push({ branches: ['main'] })] });
    const staging = release.addReusableWorkflowJob('staging', { uses: './.github/workflows/deploy.yml', inheritSecrets: true });
    const production = new ReusableWorkflowJob(release, 'production', { uses: './.github/workflows/deploy.yml', inheritSecrets: true });
    const job = release.addJob('after', { steps: [Step.run('true')] });
    expect(staging).toBeInstanceOf(ReusableWorkflowJob);
    for (const j of [staging, production, job]) expect(j).toBeInstanceOf(JobBase);
    expect(job).toBeInstanceOf(Job);
    production.addNeeds(staging);
    expect(production.needs).toEqual(['staging']);
    expect(staging.output('url').toString()).toBe('${{ needs.staging.outputs.url }}');
    expect(staging.result.toString()).toBe('${{ needs.staging.result }}');
  });
});
