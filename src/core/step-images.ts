/**
 * The container images slipway's own generated steps run, at exact versions.
 * The built-in image lock (src/github/actions/catalog-lock.ts,
 * `CATALOG_IMAGE_LOCK`) pins each by digest, so they render as
 * `name:tag@sha256:...`; `npx slipway pin --images` re-resolves them into
 * slipway.lock.json, whose entries win over the built-in ones.
 *
 * How they were chosen: the newest release tag of each project's repository,
 * read from the tags of a copy of the repository on 2026-11-28, for which a
 * digest could be confirmed (see the image lock):
 *
 * | image | repository | tag | tag date |
 * |---|---|---|---|
 * | curlimages/curl | curl/curl-container | 8.21.0 | 2026-06-24 |
 * | ghcr.io/terraform-linters/tflint | terraform-linters/tflint | v0.64.0 | 2026-07-17 |
 * | grafana/k6 | grafana/k6 | 2.2.0 (v2.2.0; v1.8.1 of 2026-08-12 is a 1.x patch) | 2026-08-10 |
 * | ghcr.io/zaproxy/zaproxy | zaproxy/zaproxy | 2.17.0 (v2.17.0; the `w*` tags are weeklies) | 2025-12-15 |
 *
 * Change a tag and its lock entry together: a default that shows up in the
 * output is part of the API.
 * @internal
 */
export const STEP_IMAGES = {
  /** The in-cluster smoke test and metric gate pods (Kubernetes deploys). */
  curl: 'curlimages/curl:8.21.0',
  /** The default tflint of the IaC scan check. */
  tflint: 'ghcr.io/terraform-linters/tflint:v0.64.0',
  /** The default k6 of the load test check. */
  k6: 'grafana/k6:2.2.0',
  /** The default image of the DAST check (OWASP ZAP baseline). */
  zap: 'ghcr.io/zaproxy/zaproxy:2.17.0',
} as const;

/**
 * `image` (a `name:tag` of {@link STEP_IMAGES}) with its tag replaced by
 * `tag`, or unchanged when `tag` is undefined.
 * @internal
 */
export function stepImageAt(image: string, tag: string | undefined): string {
  return tag === undefined ? image : `${image.slice(0, image.lastIndexOf(':'))}:${tag}`;
}
