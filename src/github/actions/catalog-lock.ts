import { Pin } from './lock-file';

/**
 * The built-in lock: commit SHAs of the action versions slipway's catalog
 * uses (and the older majors the seed pipelines use). A TypeScript module,
 * not JSON, so that it ships with the compiled library.
 *
 * Every SHA is the commit the tag pointed to, checked against public
 * workflows that pin the same action. A user's `slipway.lock.json` overrides
 * and extends these; `npx slipway pin` refreshes them from the tags.
 *
 * Not here (no verified SHA, so `npx slipway pin` must add them):
 * `azure/k8s-set-context`, `azure/setup-helm@v3`, `docker/build-push-action@v4`.
 *
 * `aquasecurity/trivy-action` only has `v0.35.0`: its older tags were
 * force-pushed to malicious commits in March 2026 (GHSA-69fq-xp46-6x23).
 *
 * Keys: `owner/repo@ref`, in code-unit order.
 * @internal
 */
export const CATALOG_LOCK: { readonly [key: string]: Pin } = {
  '8398a7/action-slack@v3': { sha: '77eaa4f1c608a7d68b38af4e3f739dcd8cba273e', version: 'v3.19.0' },
  'actions/cache@v4': { sha: '0057852bfaa89a56745cba8c7296529d2fc39830', version: 'v4.3.0' },
  'actions/checkout@v3': { sha: 'f43a0e5ff2bd294095638e18286ca9a3d1956744', version: 'v3.6.0' },
  'actions/checkout@v4': { sha: '34e114876b0b11c390a56381ad16ebd13914f8d5', version: 'v4.3.1' },
  'actions/checkout@v5': { sha: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', version: 'v5.0.0' },
  'actions/deploy-pages@v4': { sha: 'd6db90164ac5ed86f2b6aed7e0febac5b3c0c03e', version: 'v4.0.5' },
  'actions/download-artifact@v4': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  'actions/download-artifact@v5': { sha: '634f93cb2916e3fdff6788551b99b062d0335ce0', version: 'v5.0.0' },
  'actions/setup-node@v4': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/setup-node@v5': { sha: 'a0853c24544627f65ddf259abe73b1d18a591444', version: 'v5.0.0' },
  'actions/setup-node@v6': { sha: '2028fbc5c25fe9cf00d9f06a71cc4710d4507903', version: 'v6.0.0' },
  'actions/setup-python@v4': { sha: '7f4fc3e22c37d6ff65e88745f38bd3157c663f7c', version: 'v4.9.1' },
  'actions/setup-python@v5': { sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' },
  'actions/setup-python@v6': { sha: 'e797f83bcb11b83ae66e0230d6156d7c80228e7c', version: 'v6.0.0' },
  'actions/upload-artifact@v3': { sha: 'ff15f0306b3f739f7b6fd43fb5d26cd321bd4de5', version: 'v3.2.1' },
  'actions/upload-artifact@v4': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/upload-artifact@v5': { sha: '330a01c490aca151604b8cf639adc76d48f6c5d4', version: 'v5.0.0' },
  'actions/upload-pages-artifact@v3': { sha: '56afc609e74202658d3ffba0e8f6dda462b719fa', version: 'v3.0.1' },
  'amannn/action-semantic-pull-request@v5': { sha: '0723387faaf9b38adef4775cd42cfd5155ed6017', version: 'v5.5.3' },
  'aquasecurity/trivy-action@v0.35.0': { sha: '57a97c7e7821a5776cebc9bb87c984fa69cba8f1', version: 'v0.35.0' },
  'azure/setup-helm@v4': { sha: 'b9e51907a09c216f16ebe8536097933489208112', version: 'v4.3.0' },
  'codecov/codecov-action@v3': { sha: 'ab904c41d6ece82784817410c45d8b8c02684457', version: 'v3.1.6' },
  'codecov/codecov-action@v4': { sha: 'b9fd7d16f6d7d1b5d2bec1a2887e65ceed900238', version: 'v4.6.0' },
  'codecov/codecov-action@v5': { sha: '18283e04ce6e62d37312384ff67231eb8fd56d24', version: 'v5.4.3' },
  'codelytv/pr-size-labeler@v1': { sha: '19c335e7695ba922de938806dd129f0a9b992644', version: 'v1.12.0' },
  'docker/build-push-action@v5': { sha: 'ca052bb54ab0790a636c9b5f226502c73d547a25', version: 'v5.4.0' },
  'docker/build-push-action@v6': { sha: '263435318d21b8e681c14492fe198d362a7d2c83', version: 'v6.18.0' },
  'docker/login-action@v2': { sha: '465a07811f14bebb1938fbed4728c6a1ff8901fc', version: 'v2.2.0' },
  'docker/login-action@v3': { sha: '5e57cd118135c172c3672efd75eb46360885c0ef', version: 'v3.6.0' },
  'docker/setup-buildx-action@v2': { sha: '885d1462b80bc1c1c7f0b00334ad271f09369c55', version: 'v2.10.0' },
  'docker/setup-buildx-action@v3': { sha: 'e468171a9de216ec08956ac3ada2f0791b6bd435', version: 'v3.11.1' },
  'github/codeql-action@v3': { sha: 'ff0a06e83cb2de871e5a09832bc6a81e7276941f', version: 'v3.28.18' },
  'github/codeql-action@v4': { sha: '5d4e8d1aca955e8d8589aabd499c5cae939e33c7', version: 'v4.31.9' },
  'google-github-actions/auth@v2': { sha: '6fc4af4b145ae7821d527454aa9bd537d1f2dc5f', version: 'v2.1.7' },
  'google-github-actions/setup-gcloud@v2': { sha: '6189d56e4096ee891640bb02ac264be376592d6a', version: 'v2.1.2' },
  'peaceiris/actions-gh-pages@v3': { sha: '373f7f263a76c20808c831209c920827a82a2847', version: 'v3.9.3' },
  'peaceiris/actions-gh-pages@v4': { sha: '4f9cc6602d3f66b9c108549d475ec49e8ef4d45e', version: 'v4.0.0' },
  'pypa/gh-action-pypi-publish@release/v1': { sha: '76f52bc884231f62b9a034ebfe128415bbaabdfc', version: 'v1.12.4' },
  'sarisia/actions-status-discord@v1': { sha: 'eb045afee445dc055c18d3d90bd0f244fd062708', version: 'v1.16.0' },
  'slackapi/slack-github-action@v1': { sha: '37ebaef184d7626c5f204ab8d3baff4262dd30f0', version: 'v1.27.0' },
  'slackapi/slack-github-action@v2': { sha: '91efab103c0de0a537f72a35f6b8cda0ee76bf0a', version: 'v2.1.1' },
  'snok/install-poetry@v1': { sha: '76e04a911780d5b312d89783f7b1cd627778900a', version: 'v1.4.1' },
  'softprops/action-gh-release@v1': { sha: 'de2c0eb89ae2a093876385947365aca7b0e5f844', version: 'v0.1.15' },
  'softprops/action-gh-release@v2': { sha: '72f2c25fcb47643c292f7107632f7a47c1df5cd8', version: 'v2.3.2' },
};

/**
 * The built-in image lock: the digests of the container images slipway's own
 * generated steps run (src/core/step-images.ts), keyed `name:tag` as in the
 * `"images"` map of slipway.lock.json, whose entries override and extend
 * these. `npx slipway pin --images` re-resolves them from the registries.
 *
 * Each digest is the multi-platform index of that exact tag, as public
 * repositories pin it (searched 2026-11-28 for `"<name>:<tag>@sha256:"`;
 * every digest here was found for its tag in at least two unrelated files,
 * and several of them name it the OCI index):
 * - `curlimages/curl:8.21.0`: 10+ files (e.g. Dockerfiles `FROM curlimages/curl:8.21.0@sha256:7c12...`);
 * - `ghcr.io/terraform-linters/tflint:v0.64.0`: 8 files (Makefiles, Dockerfiles, scripts);
 * - `grafana/k6:2.2.0`: 10+ files, described there as the amd64/arm64 index;
 * - `ghcr.io/zaproxy/zaproxy:2.17.0`: 10+ files (also published as `:stable`
 *   and `zaproxy/zap-stable:2.17.0`), described there as the OCI index.
 *
 * Keys: `name:tag`, in code-unit order.
 * @internal
 */
export const CATALOG_IMAGE_LOCK: { readonly [image: string]: string } = {
  'curlimages/curl:8.21.0': 'sha256:7c12af72ceb38b7432ab85e1a265cff6ae58e06f95539d539b654f2cfa64bb13',
  'ghcr.io/terraform-linters/tflint:v0.64.0': 'sha256:1c595f42d794c32c45a6ea8b58655fd66433d4ca3b1bc631c574a48d120bd19f',
  'ghcr.io/zaproxy/zaproxy:2.17.0': 'sha256:781a2bdaea47324e7bab583e2263f21d257b0aee61ed51521a5be45f5f5081ef',
  'grafana/k6:2.2.0': 'sha256:9bd01d6941fca969cb61bb57d2da5ee9b385fe2aa8881df3798c196564d6ace6',
};
