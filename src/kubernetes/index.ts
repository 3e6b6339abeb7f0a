export * from './chart-options';
export * from './helm-chart';
export { HelmRolloutStrategy, KubernetesEnvironment } from './kubernetes-environment';
