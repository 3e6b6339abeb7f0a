export * from './app';
export * from './application';
export * from './duration';
export * from './rollout';
export * from './testing';
export { Drift, WriteResult } from './output';
