export * from './core';
export * from './github';
export * from './kubernetes';
export * from './cloudrun';
export * from './delivery';
