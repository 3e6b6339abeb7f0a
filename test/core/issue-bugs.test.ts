import { Application, CloudRunJob, CloudRunService, HealthCheck, Image, JobPermissions, PermissionLevel, Target, Testing } from '../../src';
import { SlipwayError } from '../../src/core/errors';
import { carriedProblems } from '../../src/core/strict';
import { permissionProblems, permissionsToWire } from '../../src/github/wire';

const api = (app: ReturnType<typeof Testing.app>) =>
  new Application(app, 'api', { image: Image.fromRegistry('us-docker.pkg.dev/acme/apps/api'), port: 8080, healthCheck: HealthCheck.http('/health') });

describe('one region rule for Target.cloudRun, CloudRunService and CloudRunJob', () => {
  test('a two-digit region such as europe-west10 is accepted by both', () => {
    expect(Target.cloudRun({ project: 'acme-production', region: 'europe-west10', service: 'api' }).kind).toBe('cloud-run');
    const app = Testing.app();
    new CloudRunService(app, 'svc', { application: api(app), project: 'acme-production', region: 'europe-west10', environment: 'production' });
    expect(Object.keys(Testing.synth(app))).toContain('deploy/cloudrun/api.production.service.yaml');
  });

  test('a bad region gets the same message from both', () => {
    expect(carriedProblems(Target.cloudRun({ project: 'acme-production', region: 'moon', service: 'api' })).join('\n'))
      .toContain('Target.cloudRun region "moon" is not a Google Cloud region such as "us-central1" or "europe-west4"');
    const app = Testing.app();
    new CloudRunService(app, 'svc', { application: api(app), project: 'acme-production', region: 'moon', environment: 'production' });
    expect(() => Testing.synth(app)).toThrow('[svc] region "moon" is not a Google Cloud region such as "us-central1" or "europe-west4"');
  });
});

test('a CloudRunJob without jobName is an error naming the prop, not a TypeError', () => {
  const app = Testing.app();
  new CloudRunJob(app, 'job', { application: api(app), project: 'acme-production', region: 'us-central1', environment: 'production' } as any);
  let problems: string[] = [];
  try {
    Testing.synth(app);
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    problems = (e as SlipwayError).problems;
  }
  expect(problems).toEqual([
    '[job] CloudRunJob props: missing required prop "jobName"',
    '[job] jobName is required: the name of the Cloud Run job, e.g. "context-api-migrate-expand"',
  ]);
});

test('the artifact-metadata permission is a known scope', () => {
  const typed: JobPermissions = { artifactMetadata: PermissionLevel.WRITE, contents: PermissionLevel.READ };
  expect(permissionsToWire(typed)).toEqual({ 'artifact-metadata': 'write', 'contents': 'read' });
  expect(permissionProblems({ 'artifact-metadata': 'read' })).toEqual([]);
  expect(permissionProblems({ 'artifact-metadta': 'read' })[0]).toMatch(/^unknown permission scope "artifact-metadta"; scopes: actions, artifact-metadata, /);
});
