import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  Action, App, Application, Check, CloudRunService, HealthCheck, HelmChart, Image, Job, Pipeline, ServiceContainer, Step, Testing, Trigger, Workflow,
} from '../../src';
import { SlipwayError } from '../../src/core/errors';
import { serializeLockFile } from '../../src/github/actions/lock-file';
import { context } from '../delivery/checks/support';
import { expectValid } from '../support/harness';
import { tempDir } from '../support/temp-project';

const PG = `sha256:${'1'.repeat(64)}`;
const HELLO = `sha256:${'2'.repeat(64)}`;
const REPO = 'europe-west1-docker.pkg.dev/acme/apps/hello';

/** An output directory whose slipway.lock.json pins `images` (name:tag -> digest). */
function lockedOutdir(images: { [ref: string]: string }): string {
  const dir = tempDir('image-pinning');
  fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map(), new Map(Object.entries(images))));
  return dir;
}

/**
 * A definition with an image of each kind: a job container ("latest"), a tag-only service, an untagged
 * docker:// step, images pinned by digest or given by an expression (never reported), a prebuilt
 * application image in a chart and a Cloud Run service, and a check's ZAP image.
 */
function define(app: App): void {
  const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
  new Job(wf, 'test', {
    container: ServiceContainer.of('python:latest'),
    services: {
      db: ServiceContainer.postgres('15'),
      pinned: ServiceContainer.of(`mysql:8.4@sha256:${'b'.repeat(64)}`),
      built: ServiceContainer.of('${{ vars.CACHE_IMAGE }}'),
    },
    steps: [Step.uses(Action.docker('docker://alpine'), { id: 'alp' }), Step.uses(Action.docker(`docker://alpine:3.20@sha256:${'c'.repeat(64)}`)), Step.run('true')],
  });
  Check.dast({ image: 'ghcr.io/zaproxy/zaproxy:2.16.0', target: 'https://staging.example.com' })._addJob(wf, context({ scope: wf }));
  const hello = new Application(app, 'hello', { image: Image.fromRegistry(REPO, '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/healthz') });
  new HelmChart(app, 'chart', { application: hello });
  new CloudRunService(app, 'run', { application: hello, project: 'acme-prod', region: 'europe-west1', environment: 'production' });
}

const WARNINGS = [
  '[ci] job "test" its container runs image "python:latest", which is not pinned (the tag "latest" moves); give a version and pin it by digest: "python:<version>", then `npx slipway pin docker://python:<version>` and commit slipway.lock.json, or "python:<version>@sha256:<digest>"',
  '[ci] job "test" service "db" runs image "postgres:15" by its tag alone, and a tag can be pushed again with other content; pin it by digest: `npx slipway pin docker://postgres:15` and commit slipway.lock.json (synthesis then renders "postgres:15@sha256:..."), or give "postgres:15@sha256:<digest>"',
  '[ci] job "test" step "alp" runs image "docker://alpine", which is not pinned (no tag means "latest", which moves); give a version and pin it by digest: "docker://alpine:<version>", then `npx slipway pin docker://alpine:<version>` and commit slipway.lock.json, or "docker://alpine:<version>@sha256:<digest>"',
  '[ci] check "dast" ZAP runs image "ghcr.io/zaproxy/zaproxy:2.16.0" by its tag alone, and a tag can be pushed again with other content; pin it by digest: `npx slipway pin docker://ghcr.io/zaproxy/zaproxy:2.16.0` and commit slipway.lock.json (synthesis then renders "ghcr.io/zaproxy/zaproxy:2.16.0@sha256:..."), or give "ghcr.io/zaproxy/zaproxy:2.16.0@sha256:<digest>"',
  `[chart] chart "hello" of application "hello" runs image "${REPO}:1.0.0" by its tag alone, and a tag can be pushed again with other content; pin it by digest: \`npx slipway pin docker://${REPO}:1.0.0\` and commit slipway.lock.json (synthesis then renders "${REPO}:1.0.0@sha256:..."), or give "${REPO}:1.0.0@sha256:<digest>"`,
  `[run] Cloud Run service "hello" of application "hello" runs image "${REPO}:1.0.0" by its tag alone, and a tag can be pushed again with other content; pin it by digest: \`npx slipway pin docker://${REPO}:1.0.0\` and commit slipway.lock.json (synthesis then renders "${REPO}:1.0.0@sha256:..."), or give "${REPO}:1.0.0@sha256:<digest>"`,
];

describe('unpinned images', () => {
  test('an image referenced by a tag alone, "latest" or no tag is a warning with the fix; digests and expressions are not', () => {
    const app = Testing.app();
    define(app);
    const files = Testing.synth(app);
    expectValid(files);
    expect(Testing.warnings(app)).toEqual(WARNINGS);
    // a warning does not change the output: the images are rendered as given
    const job = YAML.parse(files['.github/workflows/ci.yml']).jobs.test;
    expect(job.services.db.image).toBe('postgres:15');
    expect(job.container.image).toBe('python:latest');
  });

  test('Testing.warnings before Testing.synth sees the workflows a pipeline compiles into, and synthesis still works after it', () => {
    const app = Testing.app();
    const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), port: 8080, healthCheck: HealthCheck.http('/health') });
    new Pipeline(app, 'ci', { applications: [api], checks: [Check.test('it', ['pytest'], { services: [ServiceContainer.postgres('15')] })] });
    const before = Testing.warnings(app);
    expect(before.filter((w) => w.includes('"postgres:15" by its tag alone'))).toHaveLength(1);
    const files = Testing.synth(app);
    expectValid(files);
    expect(Testing.warnings(app)).toEqual(before);
    // a second synthesis prepares nothing twice
    expect(Testing.synth(app)).toEqual(files);
  });

  test('the lock pins an image: it is rendered by digest (service, docker:// step, chart values, Cloud Run spec) and not reported', () => {
    const outdir = lockedOutdir({ 'postgres:15': PG, 'alpine:3.20': `sha256:${'d'.repeat(64)}`, [`${REPO}:1.0.0`]: HELLO });
    const app = Testing.app({ outdir });
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    new Job(wf, 'test', {
      services: { db: ServiceContainer.postgres('15') },
      steps: [Step.uses(Action.docker('docker://alpine:3.20'), { name: 'Alpine' }), Step.run('true')],
    });
    const hello = new Application(app, 'hello', { image: Image.fromRegistry(REPO, '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/healthz') });
    new HelmChart(app, 'chart', { application: hello });
    new CloudRunService(app, 'run', { application: hello, project: 'acme-prod', region: 'europe-west1', environment: 'production' });
    const files = Testing.synth(app);
    expectValid(files);
    expect(Testing.warnings(app)).toEqual([]);
    const job = YAML.parse(files['.github/workflows/ci.yml']).jobs.test;
    expect(job.services.db.image).toBe(`postgres:15@${PG}`);
    expect(job.steps[0].uses).toBe(`docker://alpine:3.20@sha256:${'d'.repeat(64)}`);
    expect(YAML.parse(files['deploy/helm/hello/values.yaml']).image).toMatchObject({ repository: REPO, tag: '1.0.0', digest: HELLO });
    expect(YAML.parse(files['deploy/cloudrun/hello.production.service.yaml']).spec.template.spec.containers[0].image).toBe(`${REPO}:1.0.0@${HELLO}`);
  });

  test('supplyChain.allowUnpinned lets a repository (every tag) or one name:tag go unpinned', () => {
    const app = Testing.app({ supplyChain: { allowUnpinned: [REPO, 'postgres:15', 'alpine:3.20'] } });
    define(app);
    expect(Testing.warnings(app)).toEqual([WARNINGS[0], WARNINGS[2], WARNINGS[3]]);
  });
});

test('an allowUnpinned entry that names no repository or name:tag is a problem', () => {
  const app = Testing.app({ supplyChain: { allowUnpinned: ['', `postgres:15@${PG}`, 'docker://alpine'] } });
  new Workflow(app, 'ci', { triggers: [Trigger.push()] }).addJob('a', { steps: [Step.run('true')] });
  expect(() => Testing.synth(app)).toThrow(SlipwayError);
  try {
    Testing.synth(app);
  } catch (e) {
    expect((e as SlipwayError).problems).toEqual([
      'supplyChain.allowUnpinned has ""; give a repository ("ghcr.io/acme/api") or a "name:tag", without "docker://" or a digest',
      `supplyChain.allowUnpinned has "postgres:15@${PG}"; give a repository ("ghcr.io/acme/api") or a "name:tag", without "docker://" or a digest`,
      'supplyChain.allowUnpinned has "docker://alpine"; give a repository ("ghcr.io/acme/api") or a "name:tag", without "docker://" or a digest',
    ]);
  }
});

describe('supplyChain.strict', () => {
  test('every unpinned image is an error with its path and fix, reported together with the other problems; nothing is written', () => {
    const outdir = path.join(tempDir('strict'), 'out');
    const app = new App({ outdir, supplyChain: { strict: true } });
    define(app);
    new Workflow(app, 'empty', { triggers: [Trigger.push()] });
    let thrown: unknown;
    try {
      app.synth();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SlipwayError);
    const problems = (thrown as SlipwayError).problems;
    expect(problems.filter((p) => p.includes('(supplyChain.strict is on)'))).toEqual(WARNINGS.map((w) => `${w} (supplyChain.strict is on)`));
    expect(problems).toContain('[empty] has no jobs; add one with workflow.addJob(id, {...}) or new Job(workflow, id, {...})');
    expect(fs.existsSync(outdir)).toBe(false);
    // the warnings are not repeated: they are errors now
    expect(Testing.warnings(app)).toEqual([]);
  });

  test('a definition whose images are all pinned (by digest, the lock or allowUnpinned) synthesizes', () => {
    const outdir = lockedOutdir({ 'postgres:15': PG });
    const app = Testing.app({ outdir, supplyChain: { strict: true, allowUnpinned: [REPO] } });
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    new Job(wf, 'test', { services: { db: ServiceContainer.postgres('15') }, steps: [Step.run('true')] });
    const hello = new Application(app, 'hello', { image: Image.fromRegistry(REPO, '1.0.0'), port: 8080, healthCheck: HealthCheck.http('/healthz') });
    new HelmChart(app, 'chart', { application: hello });
    const files = Testing.synth(app);
    expectValid(files);
    expect(YAML.parse(files['.github/workflows/ci.yml']).jobs.test.services.db.image).toBe(`postgres:15@${PG}`);
  });
});
