// Pushing test images to a TestRegistry over plain HTTP, the way `docker push` does: each blob is an upload session
// (POST, then PUT with ?digest=), then the manifest; a multi-arch index is pushed after its images, which go by digest.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { httpRequest, type HttpResponse } from '../../http/request.js';
import type { TestRegistry } from './registry.js';

const OCI = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const DOCKER = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  index: 'application/vnd.docker.distribution.manifest.list.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

export type ImageFormat = 'oci' | 'docker';

/** A manifest as pushed: its exact bytes and the digest of those bytes. */
export interface PushedImage {
  digest: string;
  mediaType: string;
  size: number;
  body: Buffer;
  platform?: { architecture: string; os: string };
}

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function call(
  reg: TestRegistry,
  repository: string,
  method: string,
  pathOrUrl: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<HttpResponse> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${reg.url}${pathOrUrl}`;
  const authorization = reg.authorization(repository);
  const res = await httpRequest(url, {
    method,
    headers: { ...headers, ...(authorization && { authorization }) },
    body,
    timeoutMs: 15_000,
  });
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${res.body.toString('utf8')}`);
  return res;
}

/** Uploads a blob (monolithic upload: POST a session, PUT the bytes with their digest); resolves the digest. */
export async function pushBlob(reg: TestRegistry, repository: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes);
  const started = await call(reg, repository, 'POST', `/v2/${repository}/blobs/uploads/`);
  const location = new URL(started.headers.location, reg.url);
  location.searchParams.set('digest', digest);
  await call(reg, repository, 'PUT', location.toString(), { 'content-type': 'application/octet-stream' }, bytes);
  return digest;
}

/** PUTs manifest bytes under a tag, or under their digest when `tag` is undefined. */
export async function pushManifest(
  reg: TestRegistry,
  repository: string,
  tag: string | undefined,
  mediaType: string,
  body: Buffer,
): Promise<PushedImage> {
  const digest = digestOf(body);
  await call(
    reg,
    repository,
    'PUT',
    `/v2/${repository}/manifests/${tag ?? digest}`,
    { 'content-type': mediaType },
    body,
  );
  return { digest, mediaType, size: body.length, body };
}

/**
 * Pushes a small single-platform image: a config blob, one gzipped layer with random content (so every image is
 * distinct) and the manifest, in OCI or Docker v2 schema 2 format. Without `tag` it is stored by digest only.
 */
export async function pushImage(
  reg: TestRegistry,
  repository: string,
  tag: string | undefined,
  opts: { format?: ImageFormat; architecture?: string; os?: string } = {},
): Promise<PushedImage> {
  const types = opts.format === 'docker' ? DOCKER : OCI;
  const platform = { architecture: opts.architecture ?? 'amd64', os: opts.os ?? 'linux' };
  const content = randomBytes(64);
  const layer = gzipSync(content);
  const config = Buffer.from(
    JSON.stringify({ ...platform, config: {}, rootfs: { type: 'layers', diff_ids: [digestOf(content)] } }),
  );
  const [configDigest, layerDigest] = [await pushBlob(reg, repository, config), await pushBlob(reg, repository, layer)];
  // pretty-printed on purpose: a client that re-serialises the JSON would change the digest, and the tests would see it
  const manifest = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: types.manifest,
        config: { mediaType: types.config, size: config.length, digest: configDigest },
        layers: [{ mediaType: types.layer, size: layer.length, digest: layerDigest }],
      },
      null,
      3,
    ),
  );
  return { ...(await pushManifest(reg, repository, tag, types.manifest, manifest)), platform };
}

/** Pushes one image per platform by digest, then the index (OCI) or manifest list (Docker) naming them under `tag`. */
export async function pushIndex(
  reg: TestRegistry,
  repository: string,
  tag: string,
  opts: { format?: ImageFormat; platforms?: string[] } = {},
): Promise<PushedImage & { images: PushedImage[] }> {
  const types = opts.format === 'docker' ? DOCKER : OCI;
  const images: PushedImage[] = [];
  for (const p of opts.platforms ?? ['linux/amd64', 'linux/arm64']) {
    const [os, architecture] = p.split('/');
    images.push(await pushImage(reg, repository, undefined, { format: opts.format, os, architecture }));
  }
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.index,
      manifests: images.map((i) => ({ mediaType: i.mediaType, size: i.size, digest: i.digest, platform: i.platform })),
    }) + '\n',
  );
  return { ...(await pushManifest(reg, repository, tag, types.index, index)), images };
}
