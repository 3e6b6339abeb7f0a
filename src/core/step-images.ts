/**
 * The container images slipway's own generated steps run. `npx slipway pin --images` pins
 * each by digest in slipway.lock.json; synthesis then renders `name:tag@sha256:...`.
 * @internal
 */
export const STEP_IMAGES = {
  /** The in-cluster smoke test and metric gate pods (Kubernetes deploys). */
  curl: 'curlimages/curl:8.11.1',
  /** The default tflint of the IaC scan check. */
  tflint: 'ghcr.io/terraform-linters/tflint:latest',
  /** The default k6 of the load test check. */
  k6: 'grafana/k6:latest',
  /** The default image of the DAST check (OWASP ZAP baseline). */
  zap: 'ghcr.io/zaproxy/zaproxy:stable',
} as const;
