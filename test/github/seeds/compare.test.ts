import { fixture, normalize } from './compare';

describe('fixture comparison', () => {
  test('normalizes only pinning, permissions and equivalent on: forms', () => {
    const a = normalize({
      on: 'workflow_dispatch',
      permissions: { contents: 'read' },
      jobs: { j: { 'permissions': {}, 'runs-on': 'x', 'steps': [{ uses: 'actions/checkout@v4' }, { uses: './local' }] } },
    });
    expect(a).toEqual({
      doc: { on: { workflow_dispatch: {} }, jobs: { j: { 'runs-on': 'x', 'steps': [{ uses: 'actions/checkout' }, { uses: './local' }] } } },
      permissions: { workflow: { contents: 'read' }, jobs: { j: {} } },
    });
    expect(normalize({ on: { workflow_dispatch: null }, jobs: {} }).doc).toEqual(normalize({ on: ['workflow_dispatch'], jobs: {} }).doc);
  });

  test('any other difference fails the comparison', () => {
    const original = fixture('000-ci');
    const changed = fixture('000-ci');
    changed.jobs.test.services.postgres.env.POSTGRES_DB = 'other';
    expect(normalize(changed).doc).not.toEqual(normalize(original).doc);
    const retyped = fixture('002-ci');
    retyped.jobs.build.steps[2].with.push = 'false';
    expect(normalize(retyped).doc).not.toEqual(normalize(fixture('002-ci')).doc);
  });
});
