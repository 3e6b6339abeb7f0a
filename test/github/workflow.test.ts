import * as YAML from 'yaml';
import { Duration } from '../../src/core/duration';
import { carriedProblems } from '../../src/core/strict';
import { Testing } from '../../src/core/testing';
import { Action, DispatchInput, Expression, Job, Matrix, PermissionLevel, RunsOn, ServiceContainer, Step, Trigger, Workflow, WorkflowCallInput } from '../../src/github';
import { expectValid } from '../support/harness';

const CHECKOUT = Action.of('actions/checkout', 'v4', { sha: '11bd71901bbe5b1630ceea73d27597364c9af683' });

function build() {
  const app = Testing.app();
  const wf = new Workflow(app, 'ci', {
    name: 'CI',
    runName: `CI for ${Expression.github('ref_name')}`,
    triggers: [
      Trigger.push({ branches: ['main'], tagsIgnore: ['v*'] }),
      Trigger.pullRequest({ branches: ['main'], pathsIgnore: ['docs/**'] }),
      Trigger.schedule('0 6 * * *'),
      Trigger.workflowDispatch({
        inputs: {
          logLevel: DispatchInput.choice(['info', 'debug'], { description: 'Log level', default: 'info' }),
          dry_run: DispatchInput.boolean({ default: false }),
          target: DispatchInput.environment({ required: true }),
          note: DispatchInput.string(),
        },
      }),
    ],
    env: { PYTHON_VERSION: '3.11', camelCase_Key: 'kept' },
    concurrency: { group: `ci-${Expression.github('ref')}`, cancelInProgress: true },
    defaults: { shell: 'bash' },
  });
  const image = new Job(wf, 'image', {
    name: 'Build image',
    outputs: { digest: Expression.stepOutput('push', 'digest').toString() },
    steps: [
      Step.uses(CHECKOUT, { with: { 'fetch-depth': 0 } }),
      Step.run('docker build -t app .\necho "digest=sha256:abc" >> "$GITHUB_OUTPUT"\n', { id: 'push', name: 'Build', workingDirectory: 'app', timeout: Duration.minutes(10) }),
    ],
  });
  const test = wf.addJob('test', {
    runsOn: RunsOn.label(Expression.matrix('os').toString()),
    timeout: Duration.minutes(30),
    continueOnError: false,
    strategy: { matrix: Matrix.of({ os: ['ubuntu-latest', 'macos-latest'], python: ['3.12', '3.13'] }), failFast: false, maxParallel: 2 },
    env: { DIGEST: image.output('digest').toString() },
    steps: [Step.run(`pytest --python ${Expression.matrix('python')}`, { env: { CI: 'true' }, continueOnError: true })],
  });
  wf.addJob('deploy', {
    needs: [test.jobId],
    if: Expression.github('ref').eq('refs/heads/main').and(Expression.github('event_name').eq('push')).toString(),
    environment: { name: 'production', url: 'https://example.com' },
    concurrency: { group: 'deploy' },
    permissions: { contents: PermissionLevel.READ, deployments: PermissionLevel.WRITE },
    runsOn: RunsOn.labels(['self-hosted', 'linux']),
    container: ServiceContainer.of('python:3.12-slim', { env: { PIP_NO_CACHE_DIR: '1' } }),
    services: { db: ServiceContainer.postgres('15', { ports: [], database: 'app' }), cache: ServiceContainer.redis('7') },
    defaults: { workingDirectory: 'deploy' },
    steps: [Step.run(`./deploy.sh ${image.output('digest')}`, { if: Expression.success().toString() })],
  });
  return { app, wf };
}

describe('Workflow rendering', () => {
  test('whole document', () => {
    const files = Testing.synth(build().app);
    expect(Object.keys(files)).toEqual(['.github/workflows/ci.yml']);
    expect(files['.github/workflows/ci.yml']).toMatchSnapshot();
    expectValid(files);
  });

  test('keys follow GitHub docs order; on is unquoted; user keys are kept', () => {
    const text = Testing.synth(build().app)['.github/workflows/ci.yml'];
    expect(text).toMatch(/^on:$/m);
    const doc = YAML.parse(text);
    expect(Object.keys(doc)).toEqual(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
    expect(Object.keys(doc.jobs.deploy)).toEqual(['needs', 'if', 'runs-on', 'environment', 'concurrency', 'permissions', 'env', 'defaults', 'container', 'services', 'steps'].filter((k) => k !== 'env'));
    expect(Object.keys(doc.jobs.test)).toEqual(['needs', 'runs-on', 'env', 'timeout-minutes', 'continue-on-error', 'strategy', 'steps']);
    expect(Object.keys(doc.jobs.image.steps[1])).toEqual(['id', 'name', 'run', 'working-directory', 'timeout-minutes']);
    expect(Object.keys(doc.on.workflow_dispatch.inputs)).toEqual(['logLevel', 'dry_run', 'target', 'note']);
    expect(doc.env).toEqual({ PYTHON_VERSION: '3.11', camelCase_Key: 'kept' });
    expect(doc.on.workflow_dispatch.inputs.logLevel).toEqual({ description: 'Log level', default: 'info', type: 'choice', options: ['info', 'debug'] });
  });

  test('multi-line scripts are literal block scalars; a pinned action carries its version comment', () => {
    const text = Testing.synth(build().app)['.github/workflows/ci.yml'];
    expect(text).toContain('        run: |\n          docker build -t app .\n          echo "digest=sha256:abc" >> "$GITHUB_OUTPUT"\n');
    expect(text).toContain('      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n');
  });

  test('reading a job output adds needs; conditions render without ${{ }}', () => {
    const doc = YAML.parse(Testing.synth(build().app)['.github/workflows/ci.yml']);
    expect(doc.jobs.image.needs).toBeUndefined();
    expect(doc.jobs.test.needs).toBe('image');
    expect(doc.jobs.deploy.needs).toEqual(['test', 'image']);
    expect(doc.jobs.deploy.if).toBe("github.ref == 'refs/heads/main' && github.event_name == 'push'");
    expect(doc.jobs.deploy.steps[0].if).toBe('success()');
  });

  test('services render typed health checks as --health-* options', () => {
    const doc = YAML.parse(Testing.synth(build().app)['.github/workflows/ci.yml']);
    expect(doc.jobs.deploy.services).toEqual({
      db: {
        image: 'postgres:15',
        env: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'app' },
        options: '--health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5',
      },
      cache: {
        image: 'redis:7',
        ports: ['6379:6379'],
        options: '--health-cmd "redis-cli ping" --health-interval 10s --health-timeout 5s --health-retries 5',
      },
    });
    const custom = ServiceContainer.of('mysql:8.4', {
      healthCheck: { command: 'mysqladmin ping -h localhost', interval: Duration.seconds(5), timeout: Duration.seconds(2), retries: 10, startPeriod: Duration.seconds(30) },
      options: ['--cpus 1'],
      credentials: { username: 'u', password: Expression.secret('REGISTRY_TOKEN').toString() },
    });
    expect(custom._toWire().options).toBe('--health-cmd "mysqladmin ping -h localhost" --health-interval 5s --health-timeout 2s --health-retries 10 --health-start-period 30s --cpus 1');
    expect(carriedProblems(ServiceContainer.of('x', { healthCheck: { command: 'true', retries: 0 } })).join('\n')).toMatch(/retries must be an integer ≥ 1/);
  });

  test('the file name defaults to the id and can be set', () => {
    const app = Testing.app();
    const a = new Workflow(app, 'docs', { triggers: [Trigger.push()] });
    a.addJob('a', { steps: [Step.run('true')] });
    const b = new Workflow(app, 'rel', { triggers: [Trigger.release({ types: ['published'] })], fileName: 'release.yaml' });
    b.addJob('a', { steps: [Step.run('true')] });
    expect(Object.keys(Testing.synth(app))).toEqual(['.github/workflows/docs.yml', '.github/workflows/release.yaml']);
    expect(b.localReference).toBe('./.github/workflows/release.yaml');
    expect(() => new Workflow(app, 'bad', { fileName: 'sub/x.yml' })).toThrow('[bad] fileName "sub/x.yml" must be a file name ending in .yml or .yaml, without directories (it is written under .github/workflows/)');
  });
});

describe('permissions', () => {
  function synthPerms(configure: (wf: Workflow) => void, props = {}) {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()], ...props });
    configure(wf);
    const files = Testing.synth(app);
    expectValid(files);
    return YAML.parse(files['.github/workflows/ci.yml']);
  }

  test('contents: read at workflow level by default; jobs add what their actions declare', () => {
    const doc = synthPerms((wf) => {
      wf.addJob('plain', { steps: [Step.run('true')] });
      wf.addJob('oidc', { steps: [Step.uses(Action.of('google-github-actions/auth', 'v2', { sha: '6fc4af4b145ae7821d527454aa9bd537d1f2dc5f', permissions: { 'id-token': 'write' } }))] });
      wf.addJob('label', {
        permissions: { issues: PermissionLevel.WRITE },
        steps: [Step.uses(Action.of('codelytv/pr-size-labeler', 'v1', { sha: '19c335e7695ba922de938806dd129f0a9b992644', permissions: { 'pull-requests': 'write', 'contents': 'read' } }))],
      });
    });
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.plain.permissions).toBeUndefined();
    expect(doc.jobs.oidc.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(doc.jobs.label.permissions).toEqual({ 'contents': 'read', 'issues': 'write', 'pull-requests': 'write' });
  });

  test('a job whose permissions equal the workflow\'s renders none; workflow permissions can be set', () => {
    const doc = synthPerms((wf) => {
      wf.addJob('same', { permissions: { securityEvents: PermissionLevel.WRITE, contents: PermissionLevel.READ }, steps: [Step.run('true')] });
      wf.addJob('none', { permissions: {}, steps: [Step.run('true')] });
    }, { permissions: { contents: PermissionLevel.READ, securityEvents: PermissionLevel.WRITE } });
    expect(doc.permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
    expect(doc.jobs.same.permissions).toBeUndefined();
    expect(doc.jobs.none.permissions).toEqual({});
  });
});

describe('escape hatches', () => {
  test('addOverride and addDeletionOverride on Workflow and Job', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })] });
    const job = wf.addJob('build', { timeout: Duration.minutes(5), steps: [Step.run('make'), Step.run('make test')] });
    job.addOverride('steps.1.env.A\\.B', 'dotted');
    job.addOverride('snapshot', 'ubuntu-image');
    job.addDeletionOverride('timeout-minutes');
    job.addDeletionOverride('steps.0');
    wf.addOverride('on.push.branches', ['main', 'release/*']);
    wf.addOverride('jobs.build.runs-on', ['self-hosted']);
    wf.addDeletionOverride('permissions.contents');
    wf.addDeletionOverride('does.not.exist');
    const doc = YAML.parse(Testing.synth(app)['.github/workflows/ci.yml']);
    expect(doc).toEqual({
      on: { push: { branches: ['main', 'release/*'] } },
      permissions: {},
      jobs: { build: { 'runs-on': ['self-hosted'], 'steps': [{ run: 'make test', env: { 'A.B': 'dotted' } }], 'snapshot': 'ubuntu-image' } },
    });
    expect(() => wf.addOverride('jobs..x', 1)).toThrow(/empty segment/);
  });
});

describe('reusable workflows', () => {
  test('workflow_call with typed inputs, outputs and secrets; a job that calls it', () => {
    const app = Testing.app();
    const reusable = new Workflow(app, 'deploy', {
      triggers: [Trigger.workflowCall({
        inputs: {
          environment: WorkflowCallInput.string({ required: true }),
          dryRun: WorkflowCallInput.boolean({ default: false }),
          replicas: WorkflowCallInput.number({ default: 2 }),
        },
        outputs: { url: { description: 'URL', value: '${{ jobs.deploy.outputs.url }}' } },
        secrets: { KUBECONFIG: { required: true } },
      })],
    });
    reusable.addJob('deploy', {
      outputs: { url: Expression.stepOutput('d', 'url').toString() },
      steps: [Step.run(`echo url=https://${Expression.input('environment')}.example.com >> "$GITHUB_OUTPUT"`, { id: 'd' })],
    });
    const caller = new Workflow(app, 'release', { triggers: [Trigger.push({ tags: ['v*'] })] });
    const staging = caller.addReusableWorkflowJob('staging', { uses: reusable.localReference, with: { environment: 'staging', dryRun: true }, inheritSecrets: true });
    caller.addReusableWorkflowJob('production', {
      uses: reusable.localReference,
      if: `${staging.output('url')} != ''`,
      with: { environment: 'production' },
      secrets: { KUBECONFIG: Expression.secret('KUBECONFIG_PRODUCTION').toString() },
      permissions: { contents: PermissionLevel.READ, idToken: PermissionLevel.WRITE },
    });
    const files = Testing.synth(app);
    expectValid(files);
    const doc = YAML.parse(files['.github/workflows/release.yml']);
    expect(doc.jobs).toEqual({
      staging: { uses: './.github/workflows/deploy.yml', with: { environment: 'staging', dryRun: true }, secrets: 'inherit' },
      production: {
        needs: 'staging',
        if: "needs.staging.outputs.url != ''",
        permissions: { 'contents': 'read', 'id-token': 'write' },
        uses: './.github/workflows/deploy.yml',
        with: { environment: 'production' },
        secrets: { KUBECONFIG: '${{ secrets.KUBECONFIG_PRODUCTION }}' },
      },
    });
    expect(YAML.parse(files['.github/workflows/deploy.yml']).on.workflow_call.inputs).toEqual({
      environment: { required: true, type: 'string' },
      dryRun: { default: false, type: 'boolean' },
      replicas: { default: 2, type: 'number' },
    });
  });

  test('a bad reusable workflow reference', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    wf.addReusableWorkflowJob('x', { uses: 'octo/repo/deploy.yml', inheritSecrets: true, secrets: { A: 'b' } });
    expect(() => Testing.synth(app)).toThrow(/\[ci\/x\] uses "octo\/repo\/deploy.yml" is not a reusable workflow reference[\s\S]*\[ci\/x\] sets both "secrets" and "inheritSecrets"/);
  });
});

describe('other triggers', () => {
  test('workflow_run, repository_dispatch, merge_group, pull_request_target and an escape-hatch event', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'after', {
      triggers: [
        Trigger.workflowRun({ workflows: ['CI'], types: ['completed'], branches: ['main'] }),
        Trigger.repositoryDispatch({ types: ['deploy'] }),
        Trigger.mergeGroup({ types: ['checks_requested'] }),
        Trigger.pullRequestTarget({ types: ['labeled'] }),
        Trigger.event('issue_comment', { types: ['created'] }),
        Trigger.schedule('0 1 * * *'),
        Trigger.schedule('0 13 * * 1-5'),
      ],
    });
    wf.addJob('a', { steps: [Step.run('true')] });
    const files = Testing.synth(app);
    expectValid(files);
    expect(YAML.parse(files['.github/workflows/after.yml']).on).toEqual({
      workflow_run: { workflows: ['CI'], types: ['completed'], branches: ['main'] },
      repository_dispatch: { types: ['deploy'] },
      merge_group: { types: ['checks_requested'] },
      pull_request_target: { types: ['labeled'] },
      issue_comment: { types: ['created'] },
      schedule: [{ cron: '0 1 * * *' }, { cron: '0 13 * * 1-5' }],
    });
    expect(() => Testing.synth(((a) => { const w = new Workflow(a, 'x', { triggers: [Trigger.event('push')] }); w.addJob('a', { steps: [Step.run('true')] }); return a; })(Testing.app())))
      .toThrow('[x] trigger "push": event "push" has a typed factory; use Trigger.push(...) instead of Trigger.event("push")');
  });
});

describe('dispatch inputs', () => {
  test('a number input', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ops', { triggers: [Trigger.workflowDispatch({ inputs: { replicas: DispatchInput.number({ description: 'Replicas', default: 2, required: true }) } })] });
    wf.addJob('scale', { steps: [Step.run(`kubectl scale --replicas=${Expression.input('replicas')} deploy/api`)] });
    const files = Testing.synth(app);
    expect(YAML.parse(files['.github/workflows/ops.yml']).on.workflow_dispatch.inputs.replicas).toEqual({ description: 'Replicas', required: true, default: 2, type: 'number' });
    expectValid(files);
  });
});

describe('RunsOn', () => {
  test('labels, groups', () => {
    expect(RunsOn.UBUNTU_LATEST._toWire()).toBe('ubuntu-latest');
    expect(RunsOn.labels(['self-hosted', 'linux', 'x64'])._toWire()).toEqual(['self-hosted', 'linux', 'x64']);
    expect(RunsOn.group('large-runners')._toWire()).toEqual({ group: 'large-runners' });
    expect(RunsOn.group('large-runners', ['linux'])._toWire()).toEqual({ group: 'large-runners', labels: 'linux' });
    expect(carriedProblems(RunsOn.labels([])).join('\n')).toMatch(/at least one label/);
  });
});

describe('jobs with Job', () => {
  test('a job must live in a workflow', () => {
    const app = Testing.app();
    expect(() => new Job(app as any, 'x', {})).toThrow('job "x" must be created in a Workflow: new Job(workflow, "x", {...}) or workflow.addJob("x", {...})');
  });
});

describe('floating images', () => {
  test('an untagged, "latest" or tag-only image of a container, a service or a docker:// step is a warning with the fix; digests are not', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    wf.addJob('test', {
      container: ServiceContainer.of('python'),
      services: { db: ServiceContainer.of('postgres:latest'), cache: ServiceContainer.of('redis:7'), pinned: ServiceContainer.of(`mysql:8.4@sha256:${'b'.repeat(64)}`) },
      steps: [Step.uses(Action.docker('docker://alpine'), { id: 'alp' }), Step.uses(Action.docker(`docker://alpine:3.20@sha256:${'c'.repeat(64)}`)), Step.run('true')],
    });
    expect(Testing.warnings(app)).toEqual([
      '[ci] job "test" its container runs image "python", which is not pinned (no tag means "latest", which moves); give a version and pin it by digest: "python:<version>", then `npx slipway pin docker://python:<version>` and commit slipway.lock.json, or "python:<version>@sha256:<digest>"',
      '[ci] job "test" service "db" runs image "postgres:latest", which is not pinned (the tag "latest" moves); give a version and pin it by digest: "postgres:<version>", then `npx slipway pin docker://postgres:<version>` and commit slipway.lock.json, or "postgres:<version>@sha256:<digest>"',
      '[ci] job "test" service "cache" runs image "redis:7" by its tag alone, and a tag can be pushed again with other content; pin it by digest: `npx slipway pin docker://redis:7` and commit slipway.lock.json (synthesis then renders "redis:7@sha256:..."), or give "redis:7@sha256:<digest>"',
      '[ci] job "test" step "alp" runs image "docker://alpine", which is not pinned (no tag means "latest", which moves); give a version and pin it by digest: "docker://alpine:<version>", then `npx slipway pin docker://alpine:<version>` and commit slipway.lock.json, or "docker://alpine:<version>@sha256:<digest>"',
    ]);
  });
});
