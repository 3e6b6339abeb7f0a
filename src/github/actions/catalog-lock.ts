import { Pin } from './lock-file';

/**
 * The built-in lock: commit SHAs of the action versions slipway's catalog
 * uses (every major of each catalog action, and the older majors the seed
 * pipelines use). A TypeScript module, not JSON, so that it ships with the
 * compiled library.
 *
 * Each SHA is the commit its version tag points to in a clone of the action's
 * repository, on a branch of it; `scripts/catalog-sync.js` checks them, moves
 * each entry to the newest release of its major (`--refresh`), and writes the
 * table of what it checked (test/github/actions/catalog-verification.json).
 * Three entries are newer than the clones at hand and could not be checked
 * against their tags (`unverified` in the table): two are pinned with the
 * same version by public workflows, the third only named once in public.
 * A user's `slipway.lock.json` overrides and extends these; `npx slipway pin`
 * refreshes them from the tags.
 *
 * Not here (no release `vX.Y.Z` tag, so `npx slipway pin` must add it):
 * `azure/setup-helm@v3`.
 *
 * `aquasecurity/trivy-action` has only `v0.35.0` and `v0.36.0`: its older
 * tags were force-pushed to malicious commits in March 2026 (GHSA-69fq-xp46-6x23).
 *
 * Keys: `owner/repo@ref`, in code-unit order.
 * @internal
 */
export const CATALOG_LOCK: { readonly [key: string]: Pin } = {
  '8398a7/action-slack@v3': { sha: '77eaa4f1c608a7d68b38af4e3f739dcd8cba273e', version: 'v3.19.0' },
  'actions/cache@v4': { sha: '0057852bfaa89a56745cba8c7296529d2fc39830', version: 'v4.3.0' },
  'actions/cache@v5': { sha: '27d5ce7f107fe9357f9df03efb73ab90386fccae', version: 'v5.0.5' },
  'actions/checkout@v3': { sha: 'a37ce9120846195fa4ece8f58b268e6043cb2f26', version: 'v3.7.0' },
  'actions/checkout@v4': { sha: '11d5960a326750d5838078e36cf38b85af677262', version: 'v4.4.0' },
  'actions/checkout@v5': { sha: 'fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09', version: 'v5.1.0' },
  'actions/checkout@v6': { sha: 'd23441a48e516b6c34aea4fa41551a30e30af803', version: 'v6.1.0' },
  'actions/checkout@v7': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  'actions/deploy-pages@v4': { sha: 'd6db90164ac5ed86f2b6aed7e0febac5b3c0c03e', version: 'v4.0.5' },
  'actions/deploy-pages@v5': { sha: 'cd2ce8fcbc39b97be8ca5fce6e763baed58fa128', version: 'v5.0.0' },
  'actions/download-artifact@v4': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  'actions/download-artifact@v5': { sha: '634f93cb2916e3fdff6788551b99b062d0335ce0', version: 'v5.0.0' },
  'actions/download-artifact@v6': { sha: '018cc2cf5baa6db3ef3c5f8a56943fffe632ef53', version: 'v6.0.0' },
  'actions/download-artifact@v7': { sha: '37930b1c2abaa49bbe596cd826c3c89aef350131', version: 'v7.0.0' },
  'actions/download-artifact@v8': { sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  'actions/setup-node@v4': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/setup-node@v5': { sha: 'a0853c24544627f65ddf259abe73b1d18a591444', version: 'v5.0.0' },
  'actions/setup-node@v6': { sha: '249970729cb0ef3589644e2896645e5dc5ba9c38', version: 'v6.5.0' },
  'actions/setup-node@v7': { sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  'actions/setup-python@v4': { sha: '7f4fc3e22c37d6ff65e88745f38bd3157c663f7c', version: 'v4.9.1' },
  'actions/setup-python@v5': { sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' },
  'actions/setup-python@v6': { sha: 'ece7cb06caefa5fff74198d8649806c4678c61a1', version: 'v6.3.0' },
  'actions/setup-python@v7': { sha: '5fda3b95a4ea91299a34e894583c3862153e4b97', version: 'v7.0.0' },
  'actions/upload-artifact@v3': { sha: 'ff15f0306b3f739f7b6fd43fb5d26cd321bd4de5', version: 'v3.2.1' },
  'actions/upload-artifact@v4': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/upload-artifact@v5': { sha: '330a01c490aca151604b8cf639adc76d48f6c5d4', version: 'v5.0.0' },
  'actions/upload-artifact@v6': { sha: 'b7c566a772e6b6bfb58ed0dc250532a479d7789f', version: 'v6.0.0' },
  'actions/upload-artifact@v7': { sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  'actions/upload-pages-artifact@v3': { sha: '56afc609e74202658d3ffba0e8f6dda462b719fa', version: 'v3.0.1' },
  'actions/upload-pages-artifact@v4': { sha: '7b1f4a764d45c48632c6b24a0339c27f5614fb0b', version: 'v4.0.0' },
  'actions/upload-pages-artifact@v5': { sha: 'fc324d3547104276b827a68afc52ff2a11cc49c9', version: 'v5.0.0' },
  'amannn/action-semantic-pull-request@v5': { sha: '0723387faaf9b38adef4775cd42cfd5155ed6017', version: 'v5.5.3' },
  'amannn/action-semantic-pull-request@v6': { sha: '48f256284bd46cdaab1048c3721360e808335d50', version: 'v6.1.1' },
  'aquasecurity/trivy-action@v0.35.0': { sha: '57a97c7e7821a5776cebc9bb87c984fa69cba8f1', version: 'v0.35.0' },
  'aquasecurity/trivy-action@v0.36.0': { sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25', version: 'v0.36.0' },
  'azure/k8s-set-context@v4': { sha: 'ae59a723ba9abe7a9655538854a025448dbab4aa', version: 'v4.0.2' },
  'azure/k8s-set-context@v5': { sha: '8698eba2499e9012f0d5085f8798077cce4bc526', version: 'v5.0.1' },
  'azure/setup-helm@v4': { sha: '1a275c3b69536ee54be43f2070a358922e12c8d4', version: 'v4.3.1' },
  'azure/setup-helm@v5': { sha: '9bc31f4ebc9c6b171d7bfbaa5d006ae7abdb4310', version: 'v5.0.1' },
  'codecov/codecov-action@v3': { sha: 'ab904c41d6ece82784817410c45d8b8c02684457', version: 'v3.1.6' },
  'codecov/codecov-action@v4': { sha: 'b9fd7d16f6d7d1b5d2bec1a2887e65ceed900238', version: 'v4.6.0' },
  'codecov/codecov-action@v5': { sha: '671740ac38dd9b0130fbe1cec585b89eea48d3de', version: 'v5.5.2' },
  'codelytv/pr-size-labeler@v1': { sha: '19c335e7695ba922de938806dd129f0a9b992644', version: 'v1.12.0' },
  'docker/build-push-action@v4': { sha: '0a97817b6ade9f46837855d676c4cca3a2471fc9', version: 'v4.2.1' },
  'docker/build-push-action@v5': { sha: 'ca052bb54ab0790a636c9b5f226502c73d547a25', version: 'v5.4.0' },
  'docker/build-push-action@v6': { sha: '10e90e3645eae34f1e60eeb005ba3a3d33f178e8', version: 'v6.19.2' },
  'docker/build-push-action@v7': { sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', version: 'v7.3.0' },
  'docker/login-action@v2': { sha: '465a07811f14bebb1938fbed4728c6a1ff8901fc', version: 'v2.2.0' },
  'docker/login-action@v3': { sha: 'c94ce9fb468520275223c153574b00df6fe4bcc9', version: 'v3.7.0' },
  'docker/login-action@v4': { sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121', version: 'v4.1.0' },
  'docker/setup-buildx-action@v2': { sha: '885d1462b80bc1c1c7f0b00334ad271f09369c55', version: 'v2.10.0' },
  'docker/setup-buildx-action@v3': { sha: '8d2750c68a42422c14e847fe6c8ac0403b4cbd6f', version: 'v3.12.0' },
  'docker/setup-buildx-action@v4': { sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0' },
  'github/codeql-action@v3': { sha: 'dd903d2e4f5405488e5ef1422510ee31c8b32357', version: 'v3.36.2' },
  'github/codeql-action@v4': { sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2' },
  'google-github-actions/auth@v2': { sha: 'c200f3691d83b41bf9bbd8638997a462592937ed', version: 'v2.1.13' },
  'google-github-actions/auth@v3': { sha: '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093', version: 'v3.0.0' },
  'google-github-actions/setup-gcloud@v2': { sha: 'e427ad8a34f8676edf47cf7d7925499adf3eb74f', version: 'v2.2.1' },
  'google-github-actions/setup-gcloud@v3': { sha: 'aa5489c8933f4cc7a4f7d45035b3b1440c9c10db', version: 'v3.0.1' },
  'peaceiris/actions-gh-pages@v3': { sha: '373f7f263a76c20808c831209c920827a82a2847', version: 'v3.9.3' },
  'peaceiris/actions-gh-pages@v4': { sha: '84c30a85c19949d7eee79c4ff27748b70285e453', version: 'v4.1.0' },
  'pypa/gh-action-pypi-publish@release/v1': { sha: '76f52bc884231f62b9a034ebfe128415bbaabdfc', version: 'v1.12.4' },
  'sarisia/actions-status-discord@v1': { sha: 'eb045afee445dc055c18d3d90bd0f244fd062708', version: 'v1.16.0' },
  'slackapi/slack-github-action@v1': { sha: 'fcfb566f8b0aab22203f066d80ca1d7e4b5d05b3', version: 'v1.27.1' },
  'slackapi/slack-github-action@v2': { sha: '91efab103c0de0a537f72a35f6b8cda0ee76bf0a', version: 'v2.1.1' },
  'slackapi/slack-github-action@v3': { sha: '0d95c9a7becc1e6e297d76df9bc735c44f4cbcbc', version: 'v3.0.5' },
  'slackapi/slack-github-action@v4': { sha: 'dcb1066f776dd043e64d0e8ba94ca15cc7e1875d', version: 'v4.0.0' },
  'snok/install-poetry@v1': { sha: 'a783c322200f0519c7926aa6faa857c4e23e9263', version: 'v1.4.2' },
  'softprops/action-gh-release@v1': { sha: 'de2c0eb89ae2a093876385947365aca7b0e5f844', version: 'v0.1.15' },
  'softprops/action-gh-release@v2': { sha: '3bb12739c298aeb8a4eeaf626c5b8d85266b0e65', version: 'v2.6.2' },
  'softprops/action-gh-release@v3': { sha: 'b4309332981a82ec1c5618f44dd2e27cc8bfbfda', version: 'v3.0.0' },
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
