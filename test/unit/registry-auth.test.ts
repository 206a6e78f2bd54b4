import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialHint, envCredentials, parseChallenges } from '../../shared/src/registry/index.js';
import { tokenUrl } from '../../shared/src/registry/challenge.js';
import { bcrypt, piWords } from '../../shared/src/registry/testing/bcrypt.js';
import { libtrustKeyId } from '../../shared/src/registry/testing/registry.js';

describe('WWW-Authenticate challenges', () => {
  it('reads the Bearer challenge of Docker Hub, GHCR and GitLab', () => {
    const [c] = parseChallenges(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
    );
    expect(c).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/nginx:pull',
      },
    });
  });

  it('reads several challenges, unquoted values, escapes and an error parameter', () => {
    const cs = parseChallenges(
      'Basic realm="Registry Realm", Bearer realm="https://gitlab.example/jwt/auth",service=container_registry,scope="repository:g/p:pull,push",error="insufficient_scope", Foo x="a\\"b"',
    );
    expect(cs.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'foo']);
    expect(cs[0].params.realm).toBe('Registry Realm');
    expect(cs[1].params).toMatchObject({
      service: 'container_registry',
      scope: 'repository:g/p:pull,push',
      error: 'insufficient_scope',
    });
    expect(cs[2].params.x).toBe('a"b');
  });

  it('builds the token URL from realm, service and scope, falling back to our own scope, with account', () => {
    const [c] = parseChallenges('Bearer realm="https://auth.example/token?x=1",service="reg"');
    const url = new URL(tokenUrl(c, 'repository:a/b:pull', 'ci')!);
    expect([
      url.origin + url.pathname,
      url.searchParams.get('x'),
      url.searchParams.get('service'),
      url.searchParams.getAll('scope'),
      url.searchParams.get('account'),
    ]).toEqual(['https://auth.example/token', '1', 'reg', ['repository:a/b:pull'], 'ci']);
    const [multi] = parseChallenges('Bearer realm="https://a/t",scope="repository:a:pull repository:b:pull"');
    expect(new URL(tokenUrl(multi, 'x')!).searchParams.getAll('scope')).toEqual([
      'repository:a:pull',
      'repository:b:pull',
    ]);
    expect(tokenUrl(parseChallenges('Bearer service="reg"')[0], 'x')).toBeUndefined();
  });
});

describe('credentials from the job variables', () => {
  const vars = (env: Record<string, string>) => envCredentials((name) => env[name]);

  it('prefers REGISTRY_USERNAME/REGISTRY_PASSWORD on every registry', () => {
    const creds = vars({ REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p', GITHUB_TOKEN: 'gh' });
    expect(creds('ghcr.io')).toEqual({ username: 'u', password: 'p', source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' });
    expect(creds('registry.example:5000')?.source).toBe('REGISTRY_USERNAME/REGISTRY_PASSWORD');
  });

  it('uses GITHUB_TOKEN only for ghcr.io', () => {
    const creds = vars({ GITHUB_TOKEN: 'gh', GITHUB_ACTOR: 'octocat' });
    expect(creds('ghcr.io')).toEqual({ username: 'octocat', password: 'gh', source: 'GITHUB_TOKEN' });
    expect(creds('docker.io')).toBeUndefined();
  });

  it("uses GitLab's registry pair, then CI_JOB_TOKEN, only for CI_REGISTRY", () => {
    const pair = vars({
      CI_REGISTRY: 'registry.gitlab.example:5050',
      CI_REGISTRY_USER: 'gitlab-ci-token',
      CI_REGISTRY_PASSWORD: 'pw',
      CI_JOB_TOKEN: 'job',
    });
    expect(pair('registry.gitlab.example:5050')?.source).toBe('CI_REGISTRY_USER/CI_REGISTRY_PASSWORD');
    expect(pair('ghcr.io')).toBeUndefined();
    const job = vars({ CI_REGISTRY: 'registry.gitlab.example', CI_JOB_TOKEN: 'job' });
    expect(job('registry.gitlab.example')).toEqual({
      username: 'gitlab-ci-token',
      password: 'job',
      source: 'CI_JOB_TOKEN',
    });
  });

  it('names the variables to set in refusals', () => {
    expect(credentialHint('ghcr.io')).toMatch(/REGISTRY_USERNAME.*GITHUB_TOKEN.*packages: write/);
    expect(credentialHint('registry.gitlab.example')).toMatch(/REGISTRY_PASSWORD.*CI_JOB_TOKEN/);
  });
});

describe('test helpers behind the real registry', () => {
  it('computes Blowfish constants from π and bcrypt hashes matching published vectors', () => {
    const w = piWords(1042);
    // P[0], P[1], S1[0] and the last S-box word, as printed in Schneier's reference tables
    expect([w[0], w[1], w[18], w[1041]].map((x) => x.toString(16))).toEqual([
      '243f6a88',
      '85a308d3',
      'd1310ba6',
      '3ac372e6',
    ]);
    // OpenBSD / John the Ripper test vectors
    expect(bcrypt('U*U', 5, 'CCCCCCCCCCCCCCCCCCCCC.')).toBe(
      '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
    );
    expect(bcrypt('', 6, 'DCq7YPn5Rq63x1Lad4cll.')).toBe(
      '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.',
    );
    expect(bcrypt('secret')).toMatch(/^\$2a\$05\$[./A-Za-z0-9]{53}$/);
  });

  it('derives the libtrust key id as 12 groups of 4 base32 characters', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = libtrustKeyId(publicKey);
    expect(id).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(libtrustKeyId(createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })))).toBe(id);
  });
});
