import { synthChecks } from './support';
import { carriedProblems } from '../../../src/core/strict';
import { Check } from '../../../src/delivery/check';
import { Expression } from '../../../src/github/expression';
import { ServiceContainer } from '../../../src/github/service-container';

describe('service containers expose their connection URL', () => {
  test('postgres and redis: the URL matches the env the factory sets and the published port', () => {
    expect(ServiceContainer.postgres('15').url).toBe('postgresql://postgres:postgres@localhost:5432/postgres');
    expect(ServiceContainer.postgres('13', { user: 'app', password: 'p@ss word', database: 'test_db', ports: ['15432:5432'] }).url)
      .toBe('postgresql://app:p%40ss%20word@localhost:15432/test_db');
    expect(ServiceContainer.postgres('15', { password: Expression.secret('PG_PASSWORD').toString() }).url)
      .toBe('postgresql://postgres:${{ secrets.PG_PASSWORD }}@localhost:5432/postgres');
    expect(ServiceContainer.redis('7').url).toBe('redis://localhost:6379');
    // a container job reaches the service by its id
    expect(ServiceContainer.redis('7', { ports: [] }).url).toBe('redis://redis:6379');
    // a random host port cannot be known when the workflow is written
    expect(ServiceContainer.postgres('15', { ports: ['5432'] }).url).toBeUndefined();
    expect(ServiceContainer.of('mysql:8.4').url).toBeUndefined();
    expect(ServiceContainer.postgres('15').urlEnv).toBe('DATABASE_URL');
    expect(ServiceContainer.postgres('15', { urlEnv: '' }).urlEnv).toBeUndefined();
  });

  test('a test check that uses services gets DATABASE_URL and REDIS_URL; its own env wins', () => {
    const { files, doc } = synthChecks([
      Check.test('integration-tests', ['alembic upgrade head', 'pytest tests/integration/'], {
        services: [ServiceContainer.postgres('15'), ServiceContainer.redis('7')],
      }),
      Check.custom('e2e', ['pytest e2e/'], {
        services: [ServiceContainer.postgres('15', { database: 'e2e' })],
        env: { REDIS_URL: 'redis://cache:6379/1' },
      }),
    ]);
    expect(files['.github/workflows/ci.yml']).toBeDefined();
    expect(doc.jobs['integration-tests'].env).toEqual({
      DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres',
      REDIS_URL: 'redis://localhost:6379',
    });
    expect(Object.keys(doc.jobs['integration-tests'].services)).toEqual(['postgres', 'redis']);
    expect(doc.jobs.e2e.env).toEqual({ DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/e2e', REDIS_URL: 'redis://cache:6379/1' });
  });

  test('a second service of the same image in a container job is reached by its own id', () => {
    const { doc } = synthChecks([Check.test('t', ['pytest'], {
      services: [ServiceContainer.redis('7', { ports: [] }), ServiceContainer.redis('7', { ports: [], urlEnv: 'CACHE_URL' })],
    })]);
    expect(doc.jobs.t.env).toEqual({ REDIS_URL: 'redis://redis:6379', CACHE_URL: 'redis://redis-2:6379' });
  });

  test('of two services naming the same variable, the first sets it; an invalid variable name is an error', () => {
    const { doc } = synthChecks([Check.test('t', ['pytest'], { services: [ServiceContainer.postgres('15'), ServiceContainer.postgres('16', { ports: ['5433:5432'] })] })]);
    expect(doc.jobs.t.env).toEqual({ DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres' });
    expect(carriedProblems(ServiceContainer.postgres('15', { urlEnv: 'DATABASE-URL' })).join('\n')).toMatch(/urlEnv "DATABASE-URL" is not an environment variable name/);
  });
});
