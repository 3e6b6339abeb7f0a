import { findCycle, pathBetween } from '../../src/github/job-graph';

const graph = (edges: { [job: string]: string[] }) => new Map(Object.entries(edges));

describe('job graph', () => {
  test('no cycle in a DAG', () => {
    expect(findCycle(graph({ lint: [], test: ['lint'], build: ['test', 'lint'], deploy: ['build'] }))).toBeUndefined();
  });

  test('the first cycle, as a path back to its start, in insertion order', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['d'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph({ x: [], d: ['d'] }))).toEqual(['d', 'd']);
    expect(findCycle(graph({ a: ['b'], b: ['a', 'c'], c: [] }))).toEqual(['a', 'b', 'a']);
  });

  test('edges to unknown jobs are ignored (they are reported separately)', () => {
    expect(findCycle(graph({ a: ['missing'] }))).toBeUndefined();
  });

  test('pathBetween follows needs edges', () => {
    const g = graph({ lint: [], test: ['lint'], build: ['test'], deploy: ['build'] });
    expect(pathBetween(g, 'deploy', 'lint')).toEqual(['deploy', 'build', 'test', 'lint']);
    expect(pathBetween(g, 'lint', 'deploy')).toBeUndefined();
    expect(pathBetween(g, 'test', 'test')).toEqual(['test']);
  });
});
