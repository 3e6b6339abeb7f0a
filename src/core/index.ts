// internals of these modules (the synth host, passMemo, validateCanarySteps) stay unexported
export { App, AppProps, SupplyChainOptions } from './app';
export {
  Application, ApplicationProps, AutoscalingOptions, HealthCheck, HealthCheckKind, HealthCheckOptions, Image, ImageBuildOptions,
  IngressOptions, Migration, MigrationOptions, MigrationPhase, MigrationPhasesOptions, RegistryKind, ResourceRequirements, Scaling,
  SecretRef,
} from './application';
export * from './duration';
export {
  AllAtOnceOptions, Analysis, BlueGreenOptions, CanaryOptions, DeployFirstOptions, PrometheusAnalysisOptions, Rollout, RolloutKind,
  TrafficRouter,
} from './rollout';
export { NotASecret } from './secret-literal';
export * from './testing';
