import * as YAML from 'yaml';
import { Duration } from '../../src/core/duration';
import { Testing } from '../../src/core/testing';
import {
  Action, CompositeAction, ConcurrencyQueue, Expression, Job, PermissionLevel, ReusableWorkflowJob, ServiceContainer, Step, Trigger, Workflow,
} from '../../src/github';
import { auditFile } from '../../src/github/audit';
import { expectValid, validateFiles } from '../support/harness';
import { synthProblems } from '../support/synth-problems';

/**
 * Workflow syntax GitHub's schema (@actions/workflow-parser's workflow-v1.0.json) accepts
 * that the typed API renders: each prop in its exact wire shape, through both validators.
 */
function build() {
  const app = Testing.app();
  const nightly = new Workflow(app, 'nightly', {
    name: 'Nightly',
    description: 'Builds the runner image every night, London time',
    triggers: [
      Trigger.schedule('30 2 * * *', { timezone: 'Europe/London' }),
      Trigger.schedule('0 12 * * 1'),
      Trigger.mergeGroup({ types: ['checks_requested'], branches: ['main'] }),
      Trigger.imageVersion({ types: ['ready'], names: ['ci-image'], versions: ['2.*'] }),
      Trigger.pullRequest({ types: ['opened', 'stacked'] }),
      Trigger.event('issues', { types: ['field_added', 'field_removed'] }),
    ],
    permissions: {
      contents: PermissionLevel.READ,
      codeQuality: PermissionLevel.READ,
      copilotRequests: PermissionLevel.WRITE,
      drives: PermissionLevel.READ,
      vulnerabilityAlerts: PermissionLevel.READ,
    },
    concurrency: { group: `deploy-${Expression.github('ref')}`, queue: ConcurrencyQueue.MAX },
  });
  const image = new Job(nightly, 'image', {
    outputs: { tag: 'v1' },
    cancelTimeout: Duration.minutes(15),
    snapshot: { imageName: 'ci-image', version: '2.*', if: Expression.github('ref').eq('refs/heads/main').toString() },
    concurrency: { group: 'image', queue: ConcurrencyQueue.SINGLE, cancelInProgress: true },
    steps: [Step.run('make image')],
  });
  new Job(nightly, 'plain-snapshot', { snapshot: { imageName: 'tools-image' }, steps: [Step.run('make tools')] });
  new Job(nightly, 'gated', {
    snapshot: { imageName: 'gated-image', if: image.output('tag').eq('v1').toString() },
    steps: [Step.run('make gated')],
  });
  new Job(nightly, 'smoke', {
    environment: { name: 'production', deployment: false },
    services: {
      cache: ServiceContainer.of('redis:7.4', { entrypoint: 'redis-server', command: '--port 6380', ports: ['6380:6380'] }),
    },
    steps: [Step.run('./smoke.sh')],
  });
  new Job(nightly, 'deploy', {
    environment: { name: 'staging', url: 'https://staging.example.com', deployment: true },
    steps: [Step.run('./deploy.sh')],
  });
  new Job(nightly, 'e2e', {
    steps: [
      Step.run('npm start', { id: 'server', background: true }),
      Step.run('./monitor.sh', { id: 'monitor', background: true, continueOnError: true }),
      Step.run('npm run e2e'),
      Step.waitFor(['server', 'monitor'], { name: 'Both done', continueOnError: true }),
      Step.cancel('monitor', { id: 'stop-monitor' }),
      Step.run('./collect.sh', { background: true }),
      Step.waitForAll(),
      Step.waitFor(['server']),
    ],
  });
  new Job(nightly, 'checks', {
    steps: [
      Step.run('npm ci'),
      Step.parallel([
        Step.run('npm run lint', { name: 'Lint' }),
        Step.run('npm test', { id: 'test', timeout: Duration.minutes(10) }),
        Step.uses(Action.of('some/labeler', 'v2', { sha: 'a'.repeat(40), permissions: { 'pull-requests': 'write' } }), { with: { label: 'checked' } }),
      ]),
      Step.run(`echo ${Expression.raw('steps.test.outcome')}`),
    ],
  });
  const reusable = new Workflow(app, 'reusable', { triggers: [Trigger.workflowCall()] });
  new Job(reusable, 'run', { steps: [Step.run('true')] });
  new ReusableWorkflowJob(nightly, 'call', { uses: reusable.localReference, concurrency: { group: 'call', queue: ConcurrencyQueue.MAX } });
  return app;
}

describe('GitHub workflow syntax beyond the basics', () => {
  const files = Testing.synth(build());
  const doc = YAML.parse(files['.github/workflows/nightly.yml']);

  test('passes actionlint and the workflow parser', () => {
    const report = expectValid(files);
    expect(report.checked['.github/workflows/nightly.yml']).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
  });

  test('workflow description comes right after name', () => {
    expect(Object.keys(doc).slice(0, 3)).toEqual(['name', 'description', 'on']);
    expect(doc.description).toBe('Builds the runner image every night, London time');
  });

  test('schedule timezone is rendered on its entry only', () => {
    expect(doc.on.schedule).toEqual([{ cron: '30 2 * * *', timezone: 'Europe/London' }, { cron: '0 12 * * 1' }]);
  });

  test('merge_group branches, image_version names and versions, newer activity types', () => {
    expect(doc.on.merge_group).toEqual({ types: ['checks_requested'], branches: ['main'] });
    expect(doc.on.image_version).toEqual({ types: ['ready'], names: ['ci-image'], versions: ['2.*'] });
    expect(doc.on.pull_request.types).toEqual(['opened', 'stacked']);
    expect(doc.on.issues.types).toEqual(['field_added', 'field_removed']);
  });

  test('new permission scopes, in GitHub order', () => {
    expect(doc.permissions).toEqual({ 'code-quality': 'read', 'contents': 'read', 'copilot-requests': 'write', 'drives': 'read', 'vulnerability-alerts': 'read' });
    expect(Object.keys(doc.permissions)).toEqual(['code-quality', 'contents', 'copilot-requests', 'drives', 'vulnerability-alerts']);
  });

  test('concurrency queue, workflow and job level, also on a reusable-workflow job', () => {
    expect(doc.concurrency).toEqual({ group: 'deploy-${{ github.ref }}', queue: 'max' });
    expect(doc.jobs.image.concurrency).toEqual({ 'group': 'image', 'cancel-in-progress': true, 'queue': 'single' });
    expect(doc.jobs.call.concurrency).toEqual({ group: 'call', queue: 'max' });
  });

  test('snapshot: the string form for a name alone, the mapping otherwise; cancel-timeout-minutes', () => {
    expect(doc.jobs.image.snapshot).toEqual({ 'image-name': 'ci-image', 'version': '2.*', 'if': "${{ github.ref == 'refs/heads/main' }}" });
    expect(doc.jobs['plain-snapshot'].snapshot).toBe('tools-image');
    expect(doc.jobs.image['cancel-timeout-minutes']).toBe(15);
    expect(Object.keys(doc.jobs.image).slice(-2)).toEqual(['steps', 'snapshot']);
  });

  test('snapshot.if is checked like any expression: reading a job output adds the job to needs', () => {
    expect(doc.jobs.gated.snapshot).toEqual({ 'image-name': 'gated-image', 'if': "${{ needs.image.outputs.tag == 'v1' }}" });
    expect(doc.jobs.gated.needs).toBe('image');
  });

  test('environment deployment flag forces the mapping form', () => {
    expect(doc.jobs.smoke.environment).toEqual({ name: 'production', deployment: false });
    expect(doc.jobs.deploy.environment).toEqual({ name: 'staging', url: 'https://staging.example.com', deployment: true });
  });

  test('background steps, and the steps that wait for or cancel them', () => {
    expect(doc.jobs.e2e.steps).toEqual([
      { id: 'server', run: 'npm start', background: true },
      { 'id': 'monitor', 'run': './monitor.sh', 'continue-on-error': true, 'background': true },
      { run: 'npm run e2e' },
      { 'name': 'Both done', 'wait': ['server', 'monitor'], 'continue-on-error': true },
      { id: 'stop-monitor', cancel: 'monitor' },
      { run: './collect.sh', background: true },
      { 'wait-all': true },
      { wait: 'server' },
    ]);
  });

  test('a parallel group: its steps in place, the scopes of its actions granted to the job', () => {
    expect(doc.jobs.checks.steps[1]).toEqual({
      parallel: [
        { name: 'Lint', run: 'npm run lint' },
        { 'id': 'test', 'run': 'npm test', 'timeout-minutes': 10 },
        { uses: `some/labeler@${'a'.repeat(40)}`, with: { label: 'checked' } },
      ],
    });
    expect(doc.jobs.checks.steps[2]).toEqual({ run: 'echo ${{ steps.test.outcome }}' });
    expect(doc.jobs.checks.permissions['pull-requests']).toBe('write');
  });

  test('service entrypoint and command', () => {
    expect(doc.jobs.smoke.services.cache).toEqual({ image: 'redis:7.4', ports: ['6380:6380'], entrypoint: 'redis-server', command: '--port 6380' });
  });
});

describe('values GitHub rejects are reported at synth, with the path and the fix', () => {
  const base = (app: Parameters<Parameters<typeof synthProblems>[0]>[0], props: object = {}) =>
    new Workflow(app, 'ci', { triggers: [Trigger.push()], ...props });

  test('a time zone that is not an IANA name', () => {
    expect(synthProblems((app) => {
      new Job(base(app, { triggers: [Trigger.schedule('0 6 * * *', { timezone: 'Europe/Londn' }), Trigger.schedule('0 7 * * *', { timezone: '+01:00' })] }), 'a', { steps: [Step.run('x')] });
    })).toEqual([
      '[ci] trigger "schedule": schedule timezone "Europe/Londn" is not a time zone of the IANA database; e.g. "Europe/London", "America/New_York" or "UTC"',
      '[ci] trigger "schedule": schedule timezone "+01:00" is not an IANA time zone name; e.g. "Europe/London", "America/New_York" or "UTC"',
    ]);
  });

  test('queue: max with cancelInProgress, at workflow and job level', () => {
    expect(synthProblems((app) => {
      const wf = base(app, { concurrency: { group: 'g', queue: ConcurrencyQueue.MAX, cancelInProgress: true } });
      new Job(wf, 'a', { concurrency: { group: 'j', queue: ConcurrencyQueue.MAX, cancelInProgress: true }, steps: [Step.run('x')] });
    })).toEqual([
      '[ci] concurrency sets queue: max together with cancelInProgress: true; GitHub allows a queue only when runs in progress are not cancelled. Remove one of the two',
      '[ci/a] concurrency sets queue: max together with cancelInProgress: true; GitHub allows a queue only when runs in progress are not cancelled. Remove one of the two',
    ]);
  });

  test('expressions where GitHub takes plain text: description, snapshot image name and version, time zone', () => {
    expect(synthProblems((app) => {
      const wf = base(app, {
        description: `Deploys ${Expression.github('ref')}`,
        triggers: [Trigger.schedule('0 6 * * *', { timezone: Expression.vars('TZ').toString() })],
      });
      new Job(wf, 'a', { snapshot: { imageName: Expression.matrix('image').toString(), version: Expression.vars('V').toString() }, steps: [Step.run('x')] });
    })).toEqual([
      '[ci] trigger "schedule": schedule timezone "${{ vars.TZ }}" is not an IANA time zone name; e.g. "Europe/London", "America/New_York" or "UTC"',
      '[ci] description holds an expression, which GitHub does not evaluate there (it rejects the file); write plain text',
      '[ci/a] snapshot.imageName "${{ matrix.image }}" holds an expression, which GitHub does not evaluate there; write the value itself',
      '[ci/a] snapshot.version "${{ vars.V }}" holds an expression, which GitHub does not evaluate there; write the value itself',
      '[ci/a] reads "matrix.image", but the job has no strategy.matrix; add strategy: { matrix: Matrix.of({...}) } or remove the reference',
    ]);
  });

  test('a queue mode that does not exist (from JavaScript)', () => {
    expect(synthProblems((app) => {
      new Job(base(app), 'a', { concurrency: { group: 'j', queue: 'many' as ConcurrencyQueue }, steps: [Step.run('x')] });
    })).toEqual([
      // the props' types (from the jsii assembly): the value is left out, so the job's own check does not repeat it
      '[ci/a] Job props.concurrency.queue must be one of ConcurrencyQueue.SINGLE, ConcurrencyQueue.MAX, not the string "many"',
    ]);
  });

  test('entrypoint and command on a job container; empty snapshot fields; a zero cancel timeout', () => {
    expect(synthProblems((app) => {
      new Job(base(app), 'a', {
        container: ServiceContainer.of('node:22', { entrypoint: 'sh', command: '-c true' }),
        services: { db: ServiceContainer.of('postgres:17', { command: ' ' }) },
        snapshot: { imageName: ' ', version: '' },
        cancelTimeout: Duration.seconds(0),
        steps: [Step.run('x')],
      });
    })).toEqual([
      '[ci/a] cancelTimeout must be at least one minute',
      '[ci/a] snapshot.imageName is empty; name the custom image to create, e.g. "ci-image"',
      '[ci/a] snapshot.version is empty; give a major version such as "2.*", or leave it out',
      '[ci/a] container (node:22) sets "entrypoint", which GitHub accepts on service containers only; bake it into the image, or run the image as a service',
      '[ci/a] container (node:22) sets "command", which GitHub accepts on service containers only; bake it into the image, or run the image as a service',
      '[ci/a] service "db" (postgres:17) has an empty "command"; give a value, or leave it out for the image\'s own',
    ]);
  });

  test('levels GitHub does not grant for id-token, copilot-requests and models', () => {
    expect(synthProblems((app) => {
      const wf = base(app, { permissions: { idToken: PermissionLevel.READ, copilotRequests: PermissionLevel.READ } });
      new Job(wf, 'a', { permissions: { models: PermissionLevel.WRITE }, steps: [Step.run('x')] });
    })).toEqual([
      '[ci] permissions: permission "copilot-requests: read" is not a level GitHub grants for "copilot-requests"; use write or none',
      '[ci] permissions: permission "id-token: read" is not a level GitHub grants for "id-token"; use write or none',
      '[ci/a] permissions: permission "models: write" is not a level GitHub grants for "models"; use read or none',
    ]);
  });

  test('waiting for or cancelling a step that is not an earlier background step; background steps in a composite action', () => {
    expect(synthProblems((app) => {
      new Job(base(app), 'a', {
        steps: [
          Step.waitFor(['server']),
          Step.run('npm start', { id: 'server', background: true }),
          Step.run('npm ci', { id: 'install' }),
          Step.waitFor(['install', 'sever']),
          Step.cancel('install'),
          Step.waitFor([]),
        ],
      });
      new CompositeAction(app, 'setup', { description: 'x', steps: [Step.run('x', { background: true }), Step.waitForAll()] });
    })).toEqual([
      '[ci/a] step 1 waits for "server", which is not the id of an earlier step of the job. Give the background step that id and put it before',
      '[ci/a] step 4 waits for step "install", which does not run in the background; set background: true on it, or remove this step',
      '[ci/a] step 4 waits for "sever", which is not the id of an earlier step of the job; did you mean "server"?. Give the background step that id and put it before',
      '[ci/a] step 5 cancels step "install", which does not run in the background; set background: true on it, or remove this step',
      '[ci/a] step 6 waits for no step; name at least one background step id, or use Step.waitForAll()',
      '[setup] step 1: a background step cannot be part of a composite action; GitHub runs background steps in workflow jobs only',
      '[setup] step 2: a step that waits for or cancels background steps cannot be part of a composite action; GitHub runs background steps in workflow jobs only',
    ]);
  });

  test('a parallel group with no steps, a nested group, a wait or a background step inside; in a composite action', () => {
    expect(synthProblems((app) => {
      new Job(base(app), 'a', {
        steps: [
          Step.run('npm start', { id: 'server', background: true }),
          Step.parallel([]),
          Step.parallel([Step.parallel([Step.run('x')]), Step.waitFor(['server']), Step.run('y', { background: true })]),
        ],
      });
      new CompositeAction(app, 'setup', { description: 'x', steps: [Step.parallel([Step.run('x')])] });
    })).toEqual([
      '[ci/a] step 2 is a parallel group with no steps; pass at least one to Step.parallel([...])',
      '[ci/a] step 3 (parallel step 1) is a parallel group; GitHub does not nest them. Move its steps into the outer group',
      '[ci/a] step 3 (parallel step 2) waits for or cancels steps, which a parallel group cannot hold; put it after the group',
      '[ci/a] step 3 (parallel step 3) sets background; every step of a parallel group runs in the background already. Remove it',
      '[setup] step 1: a parallel group cannot be part of a composite action; GitHub runs background steps in workflow jobs only',
    ]);
  });

  test('merge_group branches with branchesIgnore; activity types image_version does not have; empty image names', () => {
    expect(synthProblems((app) => {
      new Job(base(app, {
        triggers: [
          Trigger.mergeGroup({ branches: ['main'], branchesIgnore: ['dev'] }),
          Trigger.imageVersion({ types: ['published'], names: [] }),
        ],
      }), 'a', { steps: [Step.run('x')] });
    })).toEqual([
      '[ci] trigger "merge_group": merge_group sets both "branches" and "branchesIgnore"; GitHub rejects that combination. Keep one (use "!pattern" entries in "branches" to exclude)',
      '[ci] trigger "image_version": image_version "names" is an empty list, which matches nothing; leave it out or give a pattern',
      '[ci] trigger "image_version": "published" is not an activity type of "image_version"; types: created, ready, deleted',
    ]);
  });
});

describe('the validators on the new keys', () => {
  const workflow = (extra: string) => `name: x\non: push\npermissions: {}\n${extra}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;

  test('actionlint v1.7.7 rejects keys it predates: those findings are set aside, the workflow parser still checks the value', () => {
    const report = validateFiles({
      'ok/.github/workflows/q.yml': workflow('concurrency:\n  group: g\n  queue: max\n'),
      'bad/.github/workflows/q.yml': workflow('concurrency:\n  group: g\n  queue: many\n'),
      'typo/.github/workflows/q.yml': workflow('concurrency:\n  group: g\n  queues: max\n'),
    });
    expect(report.findings.filter((f) => f.file.startsWith('ok/'))).toEqual([]);
    expect(report.suppressed.map((s) => [s.file, s.message.replace(/\. expected.*/, '')])).toEqual([
      ['bad/.github/workflows/q.yml', '6:3 [syntax-check] unexpected key "queue" for "concurrency" section'],
      ['ok/.github/workflows/q.yml', '6:3 [syntax-check] unexpected key "queue" for "concurrency" section'],
    ]);
    expect(report.findings.map((f) => [f.file, f.validator, f.message.replace(/\. expected.*/, '')])).toEqual([
      ['bad/.github/workflows/q.yml', 'workflow-parser', "6:10 Unexpected value 'many'"],
      ['typo/.github/workflows/q.yml', 'actionlint', '6:3 [syntax-check] unexpected key "queues" for "concurrency" section'],
      ['typo/.github/workflows/q.yml', 'workflow-parser', "6:3 Unexpected value 'queues'"],
    ]);
  });

  test('parallel steps: v1.7.7 findings set aside where the steps are; the parser checks them', () => {
    const steps = (list: string) => `name: x\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${list}`;
    const report = validateFiles({
      'ok/.github/workflows/p.yml': steps([
        '      - id: server', '        run: npm start', '        background: true',
        '      - wait: server', '      - cancel: server', '      - wait-all:',
        '      - parallel:', '          - run: npm run lint', '          - id: unit', '            run: npm test',
        '      - run: echo ${{ steps.unit.outcome }}', '',
      ].join('\n')),
      'bad/.github/workflows/p.yml': steps(['      - run: npm start', '        background: true', '      - wait: server', '      - name: nothing',
        '      - run: echo ${{ steps.unit.outcome }}', ''].join('\n')),
    });
    expect(report.findings.filter((f) => f.file.startsWith('ok/'))).toEqual([]);
    expect(report.suppressed.filter((f) => f.file.startsWith('ok/'))).toHaveLength(10);
    const bad = report.findings.filter((f) => f.file.startsWith('bad/')).map((f) => `${f.validator} ${f.message.replace(/\. expected.*/, '')}`);
    expect(bad).toEqual(expect.arrayContaining([
      "workflow-parser 10:15 Step references unknown step ID 'server'",
      'actionlint 11:9 [syntax-check] step must run script with "run" section or run action with "uses" section',
      // no parallel group has a step "unit" here: the finding stands
      'actionlint 12:23 [expression] property "unit" is not defined in object type {}',
    ]));
  });

  test('an unknown matrix key named like a grouped step is still reported: only steps.<id> of a group is set aside', () => {
    const report = validateFiles({
      'typo/.github/workflows/m.yml': [
        'name: x', 'on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest',
        '    strategy:', '      matrix:', '        os: [ubuntu-latest]', '    steps:',
        '      - parallel:', '          - id: test', '            run: npm test', '          - run: npm run lint',
        '      - run: echo ${{ matrix.test }} ${{ steps.test.outcome }}', '',
      ].join('\n'),
    });
    const found = report.findings.map((f) => `${f.validator} ${f.message.replace(/\. expected.*/, '')}`);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^actionlint 15:\d+ \[expression\] property "test" is not defined in object type \{os: /)]));
  });

  test('a schedule entry is set aside only when its keys are cron and timezone', () => {
    const schedule = (entry: string) => `name: x\non:\n  schedule:\n    - ${entry}\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
    const report = validateFiles({
      'ok/.github/workflows/s.yml': schedule("cron: '0 6 * * *'\n      timezone: Asia/Tokyo"),
      'bad/.github/workflows/s.yml': schedule("cron: '0 6 * * *'\n      tz: Asia/Tokyo"),
    });
    expect(report.findings.filter((f) => f.file.startsWith('ok/'))).toEqual([]);
    expect(report.suppressed.map((s) => s.file)).toEqual(['ok/.github/workflows/s.yml']);
    expect(report.findings.filter((f) => f.file.startsWith('bad/')).map((f) => f.validator)).toEqual(['actionlint', 'workflow-parser']);
  });
});

describe('parallel step groups (kept with addOverride)', () => {
  const group = {
    parallel: [
      { run: 'npm run lint' },
      { run: 'echo "${{ github.event.pull_request.title }}"' },
    ],
  };

  test('synth moves untrusted input out of the scripts of a parallel group, and the result is valid', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'pr', { triggers: [Trigger.pullRequest()] });
    const job = new Job(wf, 'checks', { steps: [Step.run('npm ci'), Step.run('true')] });
    job.addOverride('steps.1', group);
    const files = Testing.synth(app);
    const steps = YAML.parse(files['.github/workflows/pr.yml']).jobs.checks.steps;
    expect(steps[1]).toEqual({
      parallel: [
        { run: 'npm run lint' },
        { run: 'echo "${PR_TITLE}"', env: { PR_TITLE: '${{ github.event.pull_request.title }}' } },
      ],
    });
    expectValid(files);
  });

  test('slipway audit finds an injection inside a parallel group, at its line', () => {
    const text = [
      'name: t', 'on: pull_request', 'permissions:', '  contents: read', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:',
      '      - parallel:', '          - run: npm test', '          - run: echo "${{ github.event.pull_request.title }}"', '',
    ].join('\n');
    const findings = auditFile('wf.yml', text).filter((f) => f.rule === 'template-injection');
    expect(findings.map((f) => [f.line, f.rule])).toEqual([[11, 'template-injection']]);
  });
});
