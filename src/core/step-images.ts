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

/**
 * Whether an image reference floats: no tag (which means `latest`) or the tag `latest`, and no
 * digest. References built from expressions (`${{ ... }}`) are not judged.
 * @internal
 */
export function isFloatingImage(image: string): boolean {
  const ref = image.replace(/^docker:\/\//, '').trim();
  if (ref === '' || ref.includes('${{') || ref.includes('@sha256:')) return false;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest';
}

/** The warning for a floating image, with the fix. @internal */
export function floatingImageWarning(where: string, image: string): string {
  const name = image.replace(/^docker:\/\//, '').replace(/:latest$/, '');
  return `${where} runs image "${image}", which is not pinned (${image.endsWith(':latest') ? 'the tag "latest" moves' : 'no tag means "latest", which moves'}); `
    + `pin a version tag, e.g. "${name}:1.2.3", or a digest, "${name}:1.2.3@sha256:..."`;
}
