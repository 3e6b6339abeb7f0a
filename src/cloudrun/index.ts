export * from './options';
export * from './job';
export * from './service';
export * from './auth';
export * from './deployment';
