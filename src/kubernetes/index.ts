export * from './chart-options';
export * from './helm-chart';
export * from './kubernetes-environment';
