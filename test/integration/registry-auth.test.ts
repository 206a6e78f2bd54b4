// Registry auth against Debian's real docker-registry: htpasswd Basic auth, and the Bearer token flow with the
// registry verifying our token service's JWTs (see shared/src/registry/testing/registry.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../shared/src/errors.js';
import {
  envCredentials,
  parseImageRef,
  RegistryClient,
  withTag,
  type ImageRef,
} from '../../shared/src/registry/index.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage, pushIndex } from '../../shared/src/registry/testing/registry-push.js';

const login = (user: string, password: string) =>
  envCredentials((name) => ({ REGISTRY_USERNAME: user, REGISTRY_PASSWORD: password })[name]);
const refOf = (reg: TestRegistry, name: string, tag?: string): ImageRef =>
  parseImageRef(`${reg.host}/${name}${tag ? `:${tag}` : ''}`);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('Basic auth (htpasswd)', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic', users: { ci: 's3cret-pass' } });
    await pushImage(reg, 'team/api', 'sha-aaaaaaa');
  });
  afterAll(async () => reg?.stop());

  it('answers 401 without credentials and the error names the registry and the variables to set', async () => {
    const err = await failure(new RegistryClient().manifestExists(refOf(reg, 'team/api', 'sha-aaaaaaa')));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      `Registry ${reg.host} refused to check ${reg.host}/team/api:sha-aaaaaaa without credentials (HTTP 401`,
    );
    expect(err?.message).toContain('set REGISTRY_USERNAME and REGISTRY_PASSWORD');
  });

  it('says where refused credentials came from', async () => {
    const err = await failure(
      new RegistryClient({ credentials: login('ci', 'wrong') }).getManifest(refOf(reg, 'team/api', 'sha-aaaaaaa')),
    );
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      'with the credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD (HTTP 401: UNAUTHORIZED',
    );
  });

  it('checks and re-tags with the right credentials', async () => {
    const client = new RegistryClient({ credentials: login('ci', 's3cret-pass') });
    const digest = await client.manifestExists(refOf(reg, 'team/api', 'sha-aaaaaaa'));
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const result = await client.retag(refOf(reg, 'team/api'), 'sha-aaaaaaa', ['0.1.0', 'latest']);
    expect(result.digest).toBe(digest);
    expect(await client.manifestExists(refOf(reg, 'team/api', 'latest'))).toBe(digest);
  });
});

describe('Bearer token flow', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({
      auth: 'token',
      users: { ci: 'tok-pass', reader: 'read-only' },
      readOnlyUsers: ['reader'],
    });
  });
  afterAll(async () => reg?.stop());

  it('gets a token from the realm with the challenge service and scope, caching one token per scope', async () => {
    const index = await pushIndex(reg, 'team/web', 'sha-bbbbbbb');
    const before = reg.tokenRequests.length;
    const client = new RegistryClient({ credentials: login('ci', 'tok-pass') });
    expect(await client.manifestExists(refOf(reg, 'team/web', 'sha-bbbbbbb'))).toBe(index.digest);
    const result = await client.retag(refOf(reg, 'team/web'), 'sha-bbbbbbb', ['1.0.0', '1.0', '1', 'latest']);
    expect(result.digest).toBe(index.digest);
    expect(await client.manifestExists(refOf(reg, 'team/web', 'latest'))).toBe(index.digest);
    const asked = reg.tokenRequests.slice(before);
    // one pull token (HEAD, GET, HEAD) and one pull,push token (four PUTs); the registry's challenge lists the
    // actions in no fixed order, so they are compared as sets
    const actions = (scope: string) =>
      scope.replace(/:([a-z,]+)$/, (_m, list: string) => ':' + list.split(',').sort().join(','));
    expect(asked.map((r) => r.scope.map(actions))).toEqual([
      ['repository:team/web:pull'],
      ['repository:team/web:pull,push'],
    ]);
    expect(asked.every((r) => r.service === 'shipgate-test-registry' && r.account === 'ci')).toBe(true);
  });

  it('fetches a new token once the cached one has expired', async () => {
    await pushImage(reg, 'team/clock', 'v1');
    let now = Date.now();
    const client = new RegistryClient({ credentials: login('ci', 'tok-pass'), now: () => now });
    const before = reg.tokenRequests.length;
    await client.manifestExists(refOf(reg, 'team/clock', 'v1'));
    await client.manifestExists(refOf(reg, 'team/clock', 'v1'));
    expect(reg.tokenRequests.length - before).toBe(1);
    now += 301_000; // the token service grants 300 s
    await client.manifestExists(refOf(reg, 'team/clock', 'v1'));
    expect(reg.tokenRequests.length - before).toBe(2);
  });

  it('is refused without credentials, naming the registry and the variables', async () => {
    await pushImage(reg, 'team/private', 'v1');
    const err = await failure(new RegistryClient().getManifest(refOf(reg, 'team/private', 'v1')));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      `Registry ${reg.host} refused to read ${reg.host}/team/private:v1 without credentials (HTTP 401`,
    );
    expect(err?.message).toContain('REGISTRY_USERNAME and REGISTRY_PASSWORD');
  });

  it('reports a wrong password as refused by the token service', async () => {
    const err = await failure(
      new RegistryClient({ credentials: login('ci', 'nope') }).manifestExists(refOf(reg, 'team/private', 'v1')),
    );
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toMatch(
      /^Token service http:\/\/127\.0\.0\.1:\d+\/token of registry 127\.0\.0\.1:\d+: the credentials from REGISTRY_USERNAME\/REGISTRY_PASSWORD were refused \(HTTP 401: UNAUTHORIZED incorrect username or password\)/,
    );
  });

  it('reports a pull-only user asking to push as missing write access, having written nothing', async () => {
    const image = await pushImage(reg, 'team/readonly', 'sha-ccccccc');
    const client = new RegistryClient({ credentials: login('reader', 'read-only') });
    expect(await client.manifestExists(refOf(reg, 'team/readonly', 'sha-ccccccc'))).toBe(image.digest);
    const err = await failure(client.retag(refOf(reg, 'team/readonly'), 'sha-ccccccc', ['2.0.0']));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      `refused to push ${reg.host}/team/readonly:2.0.0 with the credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD`,
    );
    expect(err?.message).toContain('needs push (write) access to team/readonly');
    expect(await client.manifestExists(refOf(reg, 'team/readonly', '2.0.0'))).toBeUndefined();
  });
});

describe('Bearer token flow for public images', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', anonymous: ['pull'] });
  });
  afterAll(async () => reg?.stop());

  it('pulls with an anonymous token, as for public images on Docker Hub', async () => {
    const image = await pushImage(reg, 'library/alpine', '3.20', { format: 'docker' });
    const client = new RegistryClient();
    const m = await client.getManifest(withTag(refOf(reg, 'library/alpine'), '3.20'));
    expect(m.digest).toBe(image.digest);
    expect(reg.tokenRequests.at(-1)).toMatchObject({ scope: ['repository:library/alpine:pull'], account: undefined });
    const err = await failure(client.retag(refOf(reg, 'library/alpine'), '3.20', ['latest']));
    expect(err?.message).toContain('refused to push');
  });
});
