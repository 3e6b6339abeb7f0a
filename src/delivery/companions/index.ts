export * from './dependabot';
export * from './docs-workflow';
export * from './health-check-workflow';
export * from './pull-request-checks';
export * from './release-workflow';
