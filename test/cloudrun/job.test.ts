import { parse, stringify } from 'yaml';
import { contextApi, EXPAND_JOB_FILE, SERVICE_FILE, serviceApp } from './fixtures';
import { Duration, Migration, MigrationPhase, SecretRef, Testing } from '../../src';
import { CloudRunJob, CloudRunLaunchStage, CloudRunVpcEgress } from '../../src/cloudrun';
import { expectValid, validateFiles } from '../support/harness';

describe('migration jobs', () => {
  test('Migration.command renders one expand job: a run.googleapis.com/v1 Job with the image, env and secrets of the service', () => {
    const { app, service } = serviceApp({
      serviceAccountEmail: 'context-api@coditect-production.iam.gserviceaccount.com',
      cloudSqlInstances: ['coditect-production:us-central1:context-db'],
      env: { DJANGO_SETTINGS_MODULE: 'coditect.settings.production' },
    });
    const files = Testing.synth(app);
    const report = expectValid(files);
    expect(report.checked[EXPAND_JOB_FILE]).toEqual(expect.arrayContaining(['cloudrun-job-structure', 'cloudrun-rules']));
    expect(Object.keys(files).filter((f) => f.endsWith('.job.yaml'))).toEqual([EXPAND_JOB_FILE]);
    expect(files[EXPAND_JOB_FILE]).toMatchSnapshot();

    const job = parse(files[EXPAND_JOB_FILE]);
    expect(job.apiVersion).toBe('run.googleapis.com/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toEqual({
      name: 'coditect-backend-migrate-expand',
      namespace: 'coditect-production',
      labels: { 'cloud.googleapis.com/location': 'us-central1' },
    });
    expect(job.spec.template.metadata.annotations).toEqual({ 'run.googleapis.com/cloudsql-instances': 'coditect-production:us-central1:context-db' });
    const execution = job.spec.template.spec;
    expect([execution.parallelism, execution.taskCount]).toEqual([1, 1]);
    const task = execution.template.spec;
    expect(task.maxRetries).toBe(0);
    expect(task.timeoutSeconds).toBe('600');
    expect(task.serviceAccountName).toBe('context-api@coditect-production.iam.gserviceaccount.com');
    const [container] = task.containers;
    expect(container.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(container.ports).toBeUndefined();

    const serviceContainer = parse(files[SERVICE_FILE]).spec.template.spec.containers[0];
    expect(container.image).toBe(serviceContainer.image);
    expect(container.env).toEqual(serviceContainer.env);
    expect(container.resources).toEqual(serviceContainer.resources);
    expect(service.migrationJob(MigrationPhase.EXPAND)?.jobName).toBe('coditect-backend-migrate-expand');
    expect(service.migrationJob(MigrationPhase.CONTRACT)).toBeUndefined();
  });

  test('Migration.phases renders one job per phase, in order, with the migration timeout and retries', () => {
    const { app, service } = serviceApp({}, {
      migration: Migration.phases({
        expand: ['alembic', 'upgrade', 'expand@head'],
        migrate: ['python', '-m', 'backfill'],
        contract: ['alembic', 'upgrade', 'head'],
        timeout: Duration.minutes(30),
        retries: 1,
      }),
    });
    const files = Testing.synth(app);
    expectValid(files);
    expect(service.migrationJobs.map((j) => j.jobName)).toEqual([
      'coditect-backend-migrate-expand', 'coditect-backend-migrate-migrate', 'coditect-backend-migrate-contract',
    ]);
    expect(service.migrationJobs.map((j) => j.specPath)).toEqual([
      'deploy/cloudrun/context-api-migrate-expand.coditect.job.yaml',
      'deploy/cloudrun/context-api-migrate-migrate.coditect.job.yaml',
      'deploy/cloudrun/context-api-migrate-contract.coditect.job.yaml',
    ]);
    const contract = parse(files['deploy/cloudrun/context-api-migrate-contract.coditect.job.yaml']).spec.template.spec.template.spec;
    expect(contract.containers[0].command).toEqual(['alembic', 'upgrade', 'head']);
    expect(contract.timeoutSeconds).toBe('1800');
    expect(contract.maxRetries).toBe(1);
  });

  test('migrations: false renders no job', () => {
    const { app, service } = serviceApp({ migrations: false });
    expect(Object.keys(Testing.synth(app)).filter((f) => f.endsWith('.job.yaml'))).toEqual([]);
    expect(service.migrationJobs).toEqual([]);
  });

  test('a migration job name over 63 characters is refused with the job path', () => {
    const { app } = serviceApp({ serviceName: 'a'.repeat(49) });
    expect(() => Testing.synth(app)).toThrow(/\[coditect\/migrate-expand\] jobName "a{49}-migrate-expand" is not a valid Cloud Run job name: use at most 63/);
  });

  test('problems shared with the service are reported once, by the service', () => {
    const { app } = serviceApp({ env: { API_TOKEN: 'abc123' } });
    let message = '';
    try {
      Testing.synth(app);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/env\.API_TOKEN/g)).toHaveLength(1);
    expect(message).toMatch(/^\[coditect\] env\.API_TOKEN/);
  });
});

describe('CloudRunJob', () => {
  test('a standalone job with VPC access and a launch stage', () => {
    const app = Testing.app();
    const api = contextApi(app);
    const job = new CloudRunJob(app, 'reindex', {
      application: api,
      project: 'coditect-production',
      region: 'us-central1',
      environment: 'production',
      jobName: 'context-api-reindex',
      command: ['python', '-m', 'reindex'],
      vpcConnector: 'context-connector',
      launchStage: CloudRunLaunchStage.BETA,
      timeout: Duration.hours(2),
      maxRetries: 3,
      secrets: { SEARCH_KEY: SecretRef.of('search-key', 'key', '2') },
    });
    const files = Testing.synth(app);
    expectValid(files);
    expect(job.specPath).toBe('deploy/cloudrun/context-api-reindex.production.job.yaml');
    const doc = parse(files[job.specPath]);
    expect(doc.metadata.annotations).toEqual({ 'run.googleapis.com/launch-stage': 'BETA' });
    expect(doc.spec.template.metadata.annotations).toEqual({
      'run.googleapis.com/vpc-access-connector': 'context-connector',
      'run.googleapis.com/vpc-access-egress': CloudRunVpcEgress.PRIVATE_RANGES_ONLY,
    });
    const task = doc.spec.template.spec.template.spec;
    expect(task.timeoutSeconds).toBe('7200');
    expect(task.maxRetries).toBe(3);
    expect(task.containers[0].env).toContainEqual({ name: 'SEARCH_KEY', valueFrom: { secretKeyRef: { name: 'search-key', key: '2' } } });
  });

  test.each([
    ['job name with upper case', { jobName: 'Reindex' }, /\[reindex\] jobName "Reindex" is not a valid Cloud Run job name/],
    ['job name of 64 characters', { jobName: 'a'.repeat(64) }, /jobName "a{64}" is not a valid Cloud Run job name: use at most 63/],
    ['retries over 10', { maxRetries: 11 }, /\[reindex\] maxRetries is 11; Cloud Run accepts an integer within 0\.\.10/],
    ['timeout over 24 hours', { timeout: Duration.hours(25) }, /\[reindex\] timeout is 90000 s; Cloud Run accepts 1\.\.86400 s/],
    ['empty command', { command: [] }, /command must be a non-empty list of non-empty words/],
    ['secret literal', { env: { SLACK_TOKEN: 'xoxb-1234567890-abcdef' } }, /\[reindex\] env\.SLACK_TOKEN is a secret written as a literal: the value looks like a Slack token \(xoxb-…\)/],
  ])('%s is refused', (_name, overrides, message) => {
    const app = Testing.app();
    new CloudRunJob(app, 'reindex', {
      application: contextApi(app),
      project: 'coditect-production',
      region: 'us-central1',
      environment: 'production',
      jobName: 'context-api-reindex',
      ...(overrides as any),
    });
    expect(() => Testing.synth(app)).toThrow(message);
  });

  test('two jobs with the same name in one project and region are refused', () => {
    const app = Testing.app();
    const api = contextApi(app);
    const props = { application: api, project: 'coditect-production', region: 'us-central1', environment: 'production', jobName: 'context-api-reindex' };
    const first = new CloudRunJob(app, 'reindex', props);
    new CloudRunJob(app, 'reindex-again', { ...props, environment: 'staging' });
    expect(first.committedImage).toBe('docker.io/coditect/context-app:set-by-deploy');
    expect(() => Testing.synth(app)).toThrow(/\[reindex\] job "context-api-reindex" in project "coditect-production", region "us-central1" is also defined by "reindex-again"/);
  });

  test('the job structure check rejects a job without the execution → task nesting', () => {
    const { app } = serviceApp();
    const doc = parse(Testing.synth(app)[EXPAND_JOB_FILE]);
    doc.spec.template.spec = doc.spec.template.spec.template.spec; // one level missing
    const report = validateFiles({ [EXPAND_JOB_FILE]: stringify(doc) });
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/task template\) is required/);
  });
});
