import { App, Application, ApplicationProps, HealthCheck, Image, Migration, SecretRef, Testing } from '../../src';

/** The seed-002 application: one image, port 8000, /health, a database secret and a migration. */
export function contextApi(app: App, props: Partial<ApplicationProps> = {}): Application {
  return new Application(app, 'context-api', {
    image: Image.fromDockerfile({ context: '.', dockerfile: 'docker/Dockerfile.app', repository: 'docker.io/coditect/context-app' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
    secrets: { DATABASE_URL: SecretRef.of('context-db', 'url') },
    env: { LOG_LEVEL: 'info' },
    migration: Migration.command(['alembic', 'upgrade', 'head']),
    ...props,
  });
}

export const CHART_DIR = 'deploy/helm/context-api';

/** The files of one chart, keyed by path inside the chart. */
export function chartFiles(files: { [path: string]: string }, dir = CHART_DIR): { [path: string]: string } {
  const out: { [path: string]: string } = {};
  for (const [p, c] of Object.entries(files)) if (p.startsWith(`${dir}/`)) out[p.slice(dir.length + 1)] = c;
  return out;
}

export { Testing };
