export * from './core';
export * from './github';
