/**
 * `slipway pin docker://name:tag` and `slipway pin --images`: image digests through the
 * registry HTTP API, against a local stub registry that follows the documented protocol
 * (Docker Registry v2 / OCI distribution: `HEAD /v2/<name>/manifests/<tag>`, the Bearer token
 * challenge, `Docker-Content-Digest`).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { App, Application, Check, Environment, IacScanner, HealthCheck, Image, Pipeline, Secret, Target, Testing, Toolchain, Trigger } from '../../src';
import { pinImagesCommand } from '../../src/cli/pin';
import { parseImageRef } from '../../src/cli/registry';
import { STEP_IMAGES } from '../../src/core/step-images';
import { CATALOG_IMAGE_LOCK } from '../../src/github/actions/catalog-lock';
import { parseLockFile, serializeLockFile } from '../../src/github/actions/lock-file';
import { expectValid } from '../support/harness';
import { tempDir } from '../support/temp-project';

const CURL_DIGEST = `sha256:${'a'.repeat(64)}`;
const ALPINE_MANIFEST = '{"schemaVersion":2,"manifests":[]}';
const ALPINE_DIGEST = `sha256:${createHash('sha256').update(ALPINE_MANIFEST).digest('hex')}`;

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; accept?: string; auth?: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, accept: req.headers.accept, auth: req.headers.authorization });
    const url = new URL(req.url!, base);
    if (url.pathname === '/token') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: `t-${url.searchParams.get('scope')}` }));
      return;
    }
    if (url.pathname === '/v2/curlimages/curl/manifests/8.11.1') {
      // a registry that wants a token (as Docker Hub does)
      if (req.headers.authorization !== 'Bearer t-repository:curlimages/curl:pull') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="stub",scope="repository:curlimages/curl:pull"` });
        res.end();
        return;
      }
      res.writeHead(200, { 'Docker-Content-Digest': CURL_DIGEST, 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
      res.end();
      return;
    }
    if (url.pathname === '/v2/library/alpine/manifests/3.20') {
      // no digest header: the digest is the sha256 of the manifest
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
      res.end(req.method === 'GET' ? ALPINE_MANIFEST : undefined);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** An application deployed to Kubernetes: its deploy job runs the smoke test pod. */
function kubernetesDelivery(app: App, checks: Check[] = []): void {
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
  });
  const staging = new Environment(app, 'staging', {
    target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
  });
  new Pipeline(app, 'ci', { applications: [api], triggers: [Trigger.push({ branches: ['main'] })], toolchain: Toolchain.python('3.12'), stages: [staging], checks });
}

async function pin(dir: string, refs: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await pinImagesCommand({ outdir: dir, refs, registryBase: base }, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('slipway pin: images', () => {
  test('resolves digests (token challenge, index media types, digest of the body) into the "images" map, keeping the actions', async () => {
    const dir = tempDir('pin-images');
    const action = { sha: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', version: 'v5.0.0' };
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map([['actions/checkout@v5', action]])));
    const r = await pin(dir, ['docker://curlimages/curl:8.11.1', 'alpine:3.20']);
    expect(r).toMatchObject({ code: 0, err: '' });
    const text = fs.readFileSync(path.join(dir, 'slipway.lock.json'), 'utf8');
    const lock = parseLockFile(text, 'slipway.lock.json');
    expect(lock.problems).toEqual([]);
    expect([...lock.images]).toEqual([['alpine:3.20', ALPINE_DIGEST], ['curlimages/curl:8.11.1', CURL_DIGEST]]);
    expect(lock.pins.get('actions/checkout@v5')).toEqual(action);
    expect(JSON.parse(text).images['curlimages/curl:8.11.1']).toEqual({ digest: CURL_DIGEST });
    // HEAD with the index types first; the token asked for the repository's pull scope
    const head = seen.find((s) => s.method === 'HEAD' && s.url.startsWith('/v2/curlimages'))!;
    expect(head.accept).toMatch(/^application\/vnd\.oci\.image\.index\.v1\+json, application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json/);
    expect(seen.some((s) => s.url.startsWith('/token?') && s.url.includes('scope=repository%3Acurlimages%2Fcurl%3Apull'))).toBe(true);
    // run again: unchanged
    const again = await pin(dir, ['curlimages/curl:8.11.1']);
    expect(again.out).toContain('unchanged curlimages/curl:8.11.1');
  });

  test('all or nothing: an unknown image, an untagged one and a digest are listed; nothing is written', async () => {
    const dir = tempDir('pin-images-bad');
    const r = await pin(dir, ['curlimages/curl:8.11.1', 'acme/nope:1', 'alpine', `alpine@${ALPINE_DIGEST}`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"alpine" has no tag; pin a tag such as "alpine:1.2.3"');
    expect(r.err).toContain('already has a digest');
    expect(fs.existsSync(path.join(dir, 'slipway.lock.json'))).toBe(false);
    const unknown = await pin(dir, ['acme/nope:1']);
    expect(unknown.err).toMatch(/acme\/nope:1: .*\/v2\/acme\/nope\/manifests\/1: 404, no image acme\/nope:1/);
  });

  test('image references: Docker Hub official images, other registries', () => {
    expect(parseImageRef('alpine:3.20')).toEqual({ key: 'alpine:3.20', registry: 'docker.io', repository: 'library/alpine', tag: '3.20' });
    expect(parseImageRef('ghcr.io/zaproxy/zaproxy:stable')).toEqual({ key: 'ghcr.io/zaproxy/zaproxy:stable', registry: 'ghcr.io', repository: 'zaproxy/zaproxy', tag: 'stable' });
    expect(parseImageRef('localhost:5000/x:1')).toMatchObject({ registry: 'localhost:5000', repository: 'x' });
  });

  test('the lock rejects a malformed images entry with the fix', () => {
    const { problems } = parseLockFile(JSON.stringify({ actions: {}, images: { 'curlimages/curl:8.11.1': { digest: 'sha256:xyz' } } }), 'slipway.lock.json');
    expect(problems).toEqual(['slipway.lock.json: image "curlimages/curl:8.11.1" has digest "sha256:xyz", which is not "sha256:<64-hex>"; run `npx slipway pin docker://curlimages/curl:8.11.1` to resolve it']);
  });

  test('at synth, the smoke test pods run the curl image by the digest the lock pins, over the built-in one', () => {
    const dir = tempDir('pin-images-synth');
    const plain = Testing.app({ outdir: dir });
    kubernetesDelivery(plain);
    expect(Testing.synth(plain)['.github/workflows/ci.yml']).toContain(`SLIPWAY_CHECK_IMAGE: ${STEP_IMAGES.curl}@${CATALOG_IMAGE_LOCK[STEP_IMAGES.curl]}\n`);
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map(), new Map([[STEP_IMAGES.curl, CURL_DIGEST]])));
    const app = Testing.app({ outdir: dir });
    kubernetesDelivery(app);
    const files = Testing.synth(app);
    expectValid(files);
    const ci = files['.github/workflows/ci.yml'];
    expect(ci).toContain(`SLIPWAY_CHECK_IMAGE: ${STEP_IMAGES.curl}@${CURL_DIGEST}\n`);
    expect(ci).not.toContain(`SLIPWAY_CHECK_IMAGE: ${STEP_IMAGES.curl}\n`);
    expect(ci).not.toContain(CATALOG_IMAGE_LOCK[STEP_IMAGES.curl]);
  });

  test('the tflint of the IaC scan check runs by the digest the lock pins', () => {
    const dir = tempDir('pin-images-tflint');
    const digest = `sha256:${'c'.repeat(64)}`;
    fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map(), new Map([[STEP_IMAGES.tflint, digest]])));
    const app = Testing.app({ outdir: dir });
    kubernetesDelivery(app, [Check.iacScan([IacScanner.TFLINT])]);
    const files = Testing.synth(app);
    expectValid(files);
    expect(files['.github/workflows/ci.yml']).toContain(`${STEP_IMAGES.tflint}@${digest} --chdir=. --init`);
  });
});
