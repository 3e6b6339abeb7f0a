export * from './approval';
export * from './environment';
export * from './gates-index';
export * from './pipeline';
export * from './registry';
export * from './secret';
export * from './smoke-test';
export * from './target';
