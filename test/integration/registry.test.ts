// The OCI client against Debian's real docker-registry: existence checks, reading manifests with the right Accept
// headers, and re-tags that keep the exact bytes (and so the digest) of images and multi-arch indexes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { httpRequest } from '../../shared/src/http/request.js';
import {
  ImageNotFoundError,
  parseImageRef,
  RegistryClient,
  sha256,
  withTag,
  type ImageRef,
} from '../../shared/src/registry/index.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage, pushIndex } from '../../shared/src/registry/testing/registry-push.js';
import { closedPort, httpServer } from '../../shared/src/http/testing/servers.js';

let reg: TestRegistry;
let client: RegistryClient;
const ref = (name: string): ImageRef => parseImageRef(`${reg.host}/${name}`);

/** The manifest bytes and content type as the registry serves them, read without the client under test. */
async function served(name: string, tagOrDigest: string) {
  const accept =
    'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';
  const res = await httpRequest(`${reg.url}/v2/${name}/manifests/${tagOrDigest}`, {
    headers: { accept },
    timeoutMs: 5000,
  });
  return {
    status: res.status,
    type: res.headers['content-type'],
    body: res.body,
    digest: res.headers['docker-content-digest'],
  };
}

beforeAll(async () => {
  reg = await startRegistry();
  client = new RegistryClient();
});
afterAll(async () => {
  await reg?.stop();
});

describe('manifestExists', () => {
  it('gives the digest of an existing tag and undefined for a missing tag or repository', async () => {
    const image = await pushImage(reg, 'shop/orders', 'sha-1111111');
    expect(await client.manifestExists(withTag(ref('shop/orders'), 'sha-1111111'))).toBe(image.digest);
    expect(await client.manifestExists(withTag(ref('shop/orders'), 'sha-2222222'))).toBeUndefined();
    expect(await client.manifestExists(withTag(ref('shop/nothing-here'), 'latest'))).toBeUndefined();
  });

  it('finds an index and an image by digest', async () => {
    const index = await pushIndex(reg, 'shop/multi', 'sha-3333333');
    expect(await client.manifestExists(withTag(ref('shop/multi'), 'sha-3333333'))).toBe(index.digest);
    expect(await client.manifestExists({ ...ref('shop/multi'), digest: index.images[1].digest })).toBe(
      index.images[1].digest,
    );
  });
});

describe('Accept headers', () => {
  it('sees all four manifest kinds, which the registry hides from a request without Accept', async () => {
    const name = 'shop/kinds';
    const pushed = [
      await pushImage(reg, name, 'oci-image'),
      await pushImage(reg, name, 'docker-image', { format: 'docker' }),
      await pushIndex(reg, name, 'oci-index'),
      await pushIndex(reg, name, 'docker-list', { format: 'docker' }),
    ];
    const tags = ['oci-image', 'docker-image', 'oci-index', 'docker-list'];
    for (const [i, tag] of tags.entries()) {
      const bare = await httpRequest(`${reg.url}/v2/${name}/manifests/${tag}`, { timeoutMs: 5000 });
      expect(bare.status, tag).not.toBe(200);
      const m = await client.getManifest(withTag(ref(name), tag));
      expect([m.mediaType, m.digest]).toEqual([pushed[i].mediaType, pushed[i].digest]);
    }
  });
});

describe('getManifest', () => {
  it.each(['oci', 'docker'] as const)(
    'returns the exact bytes, media type and digest of a %s image',
    async (format) => {
      const image = await pushImage(reg, `shop/get-${format}`, 'v1', { format });
      const m = await client.getManifest(withTag(ref(`shop/get-${format}`), 'v1'));
      expect(m.body.equals(image.body)).toBe(true);
      expect(m.mediaType).toBe(image.mediaType);
      expect(m.digest).toBe(image.digest);
      expect(sha256(m.body)).toBe(m.digest);
    },
  );

  it('throws ImageNotFoundError naming image and tag when the tag is missing', async () => {
    const missing = withTag(ref('shop/orders'), 'sha-9999999');
    const err = await client.getManifest(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toContain(`${reg.host}/shop/orders:sha-9999999 does not exist`);
  });
});

describe('retag', () => {
  it.each(['oci', 'docker'] as const)('puts a %s image under new tags with the same digest', async (format) => {
    const name = `shop/retag-${format}`;
    const image = await pushImage(reg, name, 'sha-abc1234', { format });
    const result = await client.retag(ref(name), 'sha-abc1234', ['1.4.0', '1.4', '1', 'latest']);
    expect(result.digest).toBe(image.digest);
    expect(result.tagged).toEqual(['1.4.0', '1.4', '1', 'latest'].map((t) => `${reg.host}/${name}:${t}`));
    for (const tag of ['1.4.0', 'latest']) {
      const s = await served(name, tag);
      expect(s.status).toBe(200);
      expect(s.digest).toBe(image.digest);
      expect(s.body.equals(image.body)).toBe(true);
      expect(s.type).toBe(image.mediaType);
    }
  });

  it.each(['oci', 'docker'] as const)(
    'keeps the digest of a multi-arch %s index and its platform images',
    async (format) => {
      const name = `shop/index-${format}`;
      const index = await pushIndex(reg, name, 'sha-def5678', {
        format,
        platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'],
      });
      const result = await client.retag(ref(name), 'sha-def5678', ['2.0.0', 'latest']);
      expect(result.digest).toBe(index.digest);
      const s = await served(name, '2.0.0');
      expect(s.digest).toBe(index.digest);
      expect(s.type).toBe(index.mediaType);
      expect(s.body.equals(index.body)).toBe(true);
      const listed = (JSON.parse(s.body.toString()) as { manifests: { digest: string }[] }).manifests.map(
        (m) => m.digest,
      );
      expect(listed).toEqual(index.images.map((i) => i.digest));
    },
  );

  it('moves an existing tag to the new image', async () => {
    const name = 'shop/moving';
    await pushImage(reg, name, 'latest');
    const next = await pushImage(reg, name, 'sha-7777777');
    await client.retag(ref(name), 'sha-7777777', ['latest']);
    expect((await served(name, 'latest')).digest).toBe(next.digest);
  });

  it('fails with ImageNotFoundError and writes nothing when the source tag is missing', async () => {
    const name = 'shop/orders';
    const err = await client.retag(ref(name), 'sha-0000000', ['3.0.0']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect((err as Error).message).toContain(':sha-0000000');
    expect((await served(name, '3.0.0')).status).toBe(404);
  });

  it('refuses an invalid tag with ConfigError before any tag is written', async () => {
    const name = 'shop/badtags';
    await pushImage(reg, name, 'src');
    const err = await client.retag(ref(name), 'src', ['1.0.0', '-x', 'a b']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("'-x', 'a b' are not valid");
    expect((await served(name, '1.0.0')).status).toBe(404);
  });
});

describe('a failure in the middle of a re-tag', () => {
  it('names the tags already written', async () => {
    const name = 'shop/partial';
    const image = await pushImage(reg, name, 'src');
    // a proxy in front of the real registry that turns down one tag, as a registry's tag-immutability rule would
    const proxy = await httpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.method === 'PUT' && req.url?.endsWith('/manifests/latest')) {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ errors: [{ code: 'TAG_INVALID', message: 'tag latest is immutable' }] }));
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>;
        const up = await httpRequest(`${reg.url}${req.url}`, {
          method: req.method,
          headers,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
          timeoutMs: 5000,
        });
        res.writeHead(up.status, up.headers);
        res.end(req.method === 'HEAD' ? undefined : up.body);
      });
    });
    try {
      const err = await client
        .retag(parseImageRef(`127.0.0.1:${proxy.port}/${name}`), 'src', ['1.0.0', '1.0', 'latest', '1'])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalError);
      const message = (err as Error).message;
      expect(message).toContain(
        `Registry 127.0.0.1:${proxy.port} answered PUT 127.0.0.1:${proxy.port}/${name}:latest with HTTP 400: TAG_INVALID tag latest is immutable.`,
      );
      expect(message).toContain(
        `Already tagged before this failure: 127.0.0.1:${proxy.port}/${name}:1.0.0, 127.0.0.1:${proxy.port}/${name}:1.0.`,
      );
      expect((await served(name, '1.0')).digest).toBe(image.digest);
      expect((await served(name, '1')).status).toBe(404);
    } finally {
      await proxy.close();
    }
  });
});

describe('unreachable registry', () => {
  it('says which registry could not be reached and why', async () => {
    const port = await closedPort();
    const err = await client.manifestExists(parseImageRef(`127.0.0.1:${port}/shop/x:1`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `Cannot reach registry 127\\.0\\.0\\.1:${port} \\(HEAD http://127\\.0\\.0\\.1:${port}/v2/shop/x/manifests/1\\): connection refused`,
      ),
    );
  });
});
