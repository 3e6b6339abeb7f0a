/**
 * Resolves a container image tag to its manifest digest with the registry HTTP API (Docker
 * Registry v2 / OCI distribution): `HEAD /v2/<name>/manifests/<tag>`, accepting image indexes
 * and manifest lists, and reading `Docker-Content-Digest`. A `401` with a
 * `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge is answered with an
 * anonymous token from the realm (Docker Hub, ghcr.io and most registries work so for public
 * images).
 */
import { createHash } from 'crypto';
import { isImageDigest, isImageKey } from '../github/actions/lock-file';

/** A parsed `[registry/]name:tag`. */
export interface ImageRef {
  /** The reference as the lock keys it: as written, without `docker://`. */
  readonly key: string;
  /** `docker.io`, `ghcr.io`, `registry.example.com:5000`. */
  readonly registry: string;
  /** The repository on the registry (`library/alpine` for Docker Hub's official images). */
  readonly repository: string;
  readonly tag: string;
}

/** The media types asked for: a multi-platform index first, so the digest is the one `docker pull name:tag` records. */
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Parses `[docker://][registry/]name:tag`; a string saying what is wrong otherwise. */
export function parseImageRef(input: string): ImageRef | string {
  const ref = input.replace(/^docker:\/\//, '');
  if (ref.includes('@')) return `"${input}" already has a digest; give the tag to pin, e.g. "curlimages/curl:8.11.1"`;
  if (!isImageKey(ref)) {
    const slash = ref.lastIndexOf('/');
    const hasTag = ref.slice(slash + 1).includes(':');
    return hasTag
      ? `"${input}" is not an image reference "[registry/]name:tag" (lower-case name)`
      : `"${input}" has no tag; pin a tag such as "${ref}:1.2.3" (an untagged image means "latest", which moves)`;
  }
  const colon = ref.lastIndexOf(':');
  const name = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? name.slice(first.length + 1) : name;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { key: ref, registry, repository, tag };
}

/** The base URL of a registry's API. */
function registryBase(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

/** Parses `Bearer realm="...",service="...",scope="..."`. */
function bearerChallenge(header: string | null): { realm: string; params: { [k: string]: string } } | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined;
  const params: { [k: string]: string } = {};
  for (const m of header.slice(header.indexOf(' ') + 1).matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  if (!params.realm) return undefined;
  const { realm, ...rest } = params;
  return { realm, params: rest };
}

/**
 * The manifest digest of `ref` (`sha256:...`). `base` replaces the registry's URL (a mirror,
 * or a local registry in tests). Throws with the URL and the HTTP status when it fails.
 */
export async function resolveImageDigest(ref: ImageRef, base?: string): Promise<string> {
  const url = `${(base ?? registryBase(ref.registry)).replace(/\/+$/, '')}/v2/${ref.repository}/manifests/${encodeURIComponent(ref.tag)}`;
  const request = (method: string, token?: string) => fetch(url, {
    method,
    headers: { Accept: ACCEPT, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    redirect: 'follow',
  });
  let token: string | undefined;
  let res = await request('HEAD');
  if (res.status === 401) {
    const challenge = bearerChallenge(res.headers.get('www-authenticate'));
    if (!challenge) throw new Error(`${url}: 401 Unauthorized, and no Bearer challenge to answer (a private image needs credentials slipway does not handle)`);
    const tokenUrl = new URL(challenge.realm);
    for (const [k, v] of Object.entries(challenge.params)) tokenUrl.searchParams.set(k, v);
    if (!challenge.params.scope) tokenUrl.searchParams.set('scope', `repository:${ref.repository}:pull`);
    const t = await fetch(tokenUrl);
    if (!t.ok) throw new Error(`${tokenUrl.origin}${tokenUrl.pathname}: ${t.status} ${t.statusText} when asking for an anonymous pull token`);
    const body = (await t.json()) as { token?: string; access_token?: string };
    token = body.token ?? body.access_token;
    if (!token) throw new Error(`${tokenUrl.origin}${tokenUrl.pathname} gave no token`);
    res = await request('HEAD', token);
  }
  if (res.status === 404) throw new Error(`${url}: 404, no image ${ref.key} (check the name and the tag)`);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  let digest = res.headers.get('docker-content-digest') ?? undefined;
  if (!digest) {
    // Some registries send the digest on GET only; the digest is the sha256 of the manifest bytes.
    const got = await request('GET', token);
    if (!got.ok) throw new Error(`${url}: ${got.status} ${got.statusText}`);
    digest = got.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(Buffer.from(await got.arrayBuffer())).digest('hex')}`;
  }
  if (!isImageDigest(digest)) throw new Error(`${url}: the digest "${digest}" is not sha256:<64-hex>`);
  return digest;
}
