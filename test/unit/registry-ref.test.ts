import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { formatImageRef, isLoopback, parseImageRef, withTag } from '../../shared/src/registry/index.js';
import { apiHost } from '../../shared/src/registry/ref.js';
import { RegistrySession } from '../../shared/src/registry/session.js';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseImageRef: Docker defaulting rules', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.25-alpine', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25-alpine' }],
    ['acme/shop', { registry: 'docker.io', repository: 'acme/shop' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/acme/shop:1', { registry: 'docker.io', repository: 'acme/shop', tag: '1' }],
    ['docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['localhost/shop', { registry: 'localhost', repository: 'shop' }],
    ['localhost:5000/shop:v1.2.3', { registry: 'localhost:5000', repository: 'shop', tag: 'v1.2.3' }],
    [
      '127.0.0.1:39999/acme/shop/user-service:sha-abc1234',
      { registry: '127.0.0.1:39999', repository: 'acme/shop/user-service', tag: 'sha-abc1234' },
    ],
    ['[::1]:5000/shop', { registry: '[::1]:5000', repository: 'shop' }],
    ['ghcr.io/acme/shop', { registry: 'ghcr.io', repository: 'acme/shop' }],
    [`ghcr.io/acme/shop@${D}`, { registry: 'ghcr.io', repository: 'acme/shop', digest: D }],
    [`ghcr.io/acme/shop:1.0@${D}`, { registry: 'ghcr.io', repository: 'acme/shop', tag: '1.0', digest: D }],
    [
      'registry.gitlab.com/group/sub/project/api:latest',
      { registry: 'registry.gitlab.com', repository: 'group/sub/project/api', tag: 'latest' },
    ],
    ['my-registry.example:443/a__b/c-d.e', { registry: 'my-registry.example:443', repository: 'a__b/c-d.e' }],
    ['  nginx  ', { registry: 'docker.io', repository: 'library/nginx' }],
  ])('%s', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
  });

  it('reads a localhost name without port or dot as a registry only when a path follows', () => {
    // Docker treats `localhost:5000` alone as the Hub image library/localhost with tag 5000
    expect(parseImageRef('localhost:5000')).toEqual({
      registry: 'docker.io',
      repository: 'library/localhost',
      tag: '5000',
    });
  });

  it.each([
    ['', 'empty'],
    ['https://ghcr.io/acme/shop', 'scheme'],
    ['ghcr.io/Acme/shop', 'lowercase'],
    ['shop:-bad', "tag '-bad'"],
    ['shop:', "tag ''"],
    ['shop@sha256:abc', 'digest'],
    [`shop@sha256:${'a'.repeat(65)}`, '64 hex'],
    ['ghcr.io/acme//shop', 'empty path segment'],
    ['ghcr.io/', 'repository name is missing'],
    ['ghcr.io/acme/sh op', "segment 'sh op'"],
    ['ghcr.io:99999/shop', 'port 99999'],
    ['-bad.example/shop', "'-bad.example' is not a registry"],
    ['my_registry.example/shop', "'my_registry.example' is not a registry"],
    [`ghcr.io/${'a'.repeat(250)}`, '255'],
  ])('rejects %j naming the problem (%s)', (text, why) => {
    let err: unknown;
    try {
      parseImageRef(text, "Input 'images': image");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain(`Input 'images': image '${text}' is not a valid image reference`);
    expect(message).toContain(why);
    expect(message).toContain('Expected [registry/]name[:tag]');
  });

  it('formats the canonical reference and round-trips through parse', () => {
    for (const text of ['nginx:1', `ghcr.io/a/b:c@${D}`, '127.0.0.1:5000/x/y', '[::1]:5000/shop:v1']) {
      const ref = parseImageRef(text);
      expect(parseImageRef(formatImageRef(ref))).toEqual(ref);
    }
    expect(formatImageRef(parseImageRef('nginx'))).toBe('docker.io/library/nginx');
    expect(formatImageRef(withTag(parseImageRef(`ghcr.io/a/b:c@${D}`), '2.0.0'))).toBe('ghcr.io/a/b:2.0.0');
  });
});

describe('registry hosts', () => {
  it('speaks plain HTTP only to loopback registries', () => {
    expect(
      ['localhost:5000', 'localhost', '127.0.0.1:1234', '127.8.0.1', '[::1]:5000', 'reg.localhost:80'].every(
        isLoopback,
      ),
    ).toBe(true);
    expect(['ghcr.io', '10.0.0.1:5000', 'localhost.example.com', '128.0.0.1', 'docker.io'].some(isLoopback)).toBe(
      false,
    );
  });

  it('uses https except for loopback registries and those listed as insecure', () => {
    const session = new RegistrySession({ insecure: ['registry.internal:5000', ' Mirror.Example '] });
    expect(session.base('ghcr.io')).toBe('https://ghcr.io');
    expect(session.base('registry.internal:5000')).toBe('http://registry.internal:5000');
    expect(session.base('registry.internal:5001')).toBe('https://registry.internal:5001');
    expect(session.base('mirror.example')).toBe('http://mirror.example');
    expect(session.base('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(session.base('docker.io')).toBe('https://registry-1.docker.io');
  });

  it("sends Docker Hub's API calls to registry-1.docker.io", () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
  });
});
