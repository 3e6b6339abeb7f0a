export * from './app';
export * from './application';
export * from './duration';
export * from './rollout';
export { NotASecret } from './secret-literal';
export * from './testing';
export { Drift, WriteResult } from './output';
