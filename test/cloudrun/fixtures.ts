import { parse } from 'yaml';
import { App, Application, ApplicationProps, HealthCheck, Image, Migration, SecretRef, Testing } from '../../src';
import { CloudRunService, CloudRunServiceProps } from '../../src/cloudrun';
import { expectValid } from '../support/harness';

/** Seed 002's application: one definition that both targets render. */
export function contextApi(scope: App, overrides: Partial<ApplicationProps> = {}): Application {
  return new Application(scope, 'context-api', {
    image: Image.fromDockerfile({ context: '.', dockerfile: 'docker/Dockerfile.app', repository: 'docker.io/coditect/context-app' }),
    port: 8000,
    env: { LOG_LEVEL: 'info' },
    healthCheck: HealthCheck.http('/health'),
    secrets: { DATABASE_URL: SecretRef.of('context-db', 'url') },
    migration: Migration.command(['alembic', 'upgrade', 'head']),
    ...overrides,
  });
}

/** Seed 002's Cloud Run environment. */
export function coditect(app: App, application: Application, overrides: Partial<CloudRunServiceProps> = {}): CloudRunService {
  return new CloudRunService(app, 'coditect', {
    application,
    project: 'coditect-production',
    region: 'us-central1',
    environment: 'coditect',
    serviceName: 'coditect-backend',
    ...overrides,
  });
}

/** An app with seed 002's application and one Cloud Run service with the given overrides. */
export function serviceApp(overrides: Partial<CloudRunServiceProps> = {}, appOverrides: Partial<ApplicationProps> = {}):
{ app: App; service: CloudRunService } {
  const app = Testing.app();
  const service = coditect(app, contextApi(app, appOverrides), overrides);
  return { app, service };
}

/** Synthesizes and parses one file (header comments dropped by the parser). */
export function synthDoc(app: App, path: string): any {
  const files = Testing.synth(app);
  if (!(path in files)) throw new Error(`${path} was not generated; files: ${Object.keys(files).join(', ')}`);
  expectValid(files);
  return parse(files[path]);
}

export const SERVICE_FILE = 'deploy/cloudrun/context-api.coditect.service.yaml';
export const EXPAND_JOB_FILE = 'deploy/cloudrun/context-api-migrate-expand.coditect.job.yaml';
