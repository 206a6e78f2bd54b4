import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../../shared/src/http/request.js';
import { envCredentials, parseImageRef, RegistryClient } from '../../shared/src/registry/index.js';
import { certificate } from '../../shared/src/kube/testing/tls.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage } from '../../shared/src/registry/testing/registry-push.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

// Registry credentials go to the registry they are for, to a token service over TLS (unless the user opts in), and
// never across a redirect to another host or down from https to http. Real docker-registry, loopback servers.
const CREDS = { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 's3cret-pass' } as Record<string, string>;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

/** A loopback "registry" that asks for Basic auth and records every Authorization it is sent. */
async function recordingRegistry(seen: (string | undefined)[]): Promise<TestServer> {
  return httpServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(401, { 'www-authenticate': 'Basic realm="other"', 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
}

describe('credentials are scoped to their registry host', () => {
  let reg: TestRegistry;
  let other: TestServer;
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic', users: { ci: 's3cret-pass' } });
    await pushImage(reg, 'team/api', 'sha-aaaaaaa');
    other = await recordingRegistry(seen);
  });
  afterAll(async () => {
    await reg?.stop();
    await other?.close();
  });

  it("REGISTRY_USERNAME/PASSWORD log in to the first image's registry and are never sent to another one in the list", async () => {
    const client = new RegistryClient({ credentials: envCredentials((n) => CREDS[n], reg.host) });
    expect(await client.manifestExists(parseImageRef(`${reg.host}/team/api:sha-aaaaaaa`))).toMatch(/^sha256:/);
    const otherHost = new URL(other.url).host;
    const err = await failure(client.manifestExists(parseImageRef(`${otherHost}/team/api:sha-aaaaaaa`)));
    expect(err?.message).toContain('without credentials');
    expect(err?.message).toContain(`REGISTRY_HOST=${otherHost}`);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter(Boolean)).toEqual([]);
  });

  it('REGISTRY_HOST moves them to the registry it names', async () => {
    const lookup = (n: string) => ({ ...CREDS, REGISTRY_HOST: new URL(other.url).host })[n];
    expect(envCredentials(lookup, reg.host)(reg.host)).toBeUndefined();
    expect(envCredentials(lookup, reg.host)(new URL(other.url).host)?.username).toBe('ci');
  });
});

describe('a plain-http token service is refused unless asked for', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    // The real registry names a token service on another host over plain http.
    reg = await startRegistry({ auth: 'token', users: { ci: 's3cret-pass' }, realm: 'http://192.0.2.1:9/token' });
  });
  afterAll(async () => reg?.stop());

  it('refuses before sending anything, naming the input that would allow it', async () => {
    const client = new RegistryClient({ credentials: envCredentials((n) => CREDS[n], reg.host), timeoutMs: 2000 });
    const err = await failure(client.manifestExists(parseImageRef(`${reg.host}/team/api:sha-aaaaaaa`)));
    expect(err?.message).toContain('sends for its token to http://192.0.2.1:9/token over plain http');
    expect(err?.message).toContain("input 'insecure-token-realm'");
    expect(reg.tokenRequests).toEqual([]);
  });

  it('with insecure-token-realm the client goes there (and here fails to reach it)', async () => {
    const client = new RegistryClient({
      credentials: envCredentials((n) => CREDS[n], reg.host),
      timeoutMs: 1500,
      insecureRealm: true,
    });
    const err = await failure(client.manifestExists(parseImageRef(`${reg.host}/team/api:sha-aaaaaaa`)));
    expect(err?.message).toMatch(/Cannot reach registry .*GET http:\/\/192\.0\.2\.1:9\/token/);
  });
});

describe('Authorization does not follow a redirect to another host or from https to http', () => {
  let reg: TestRegistry;
  let front: TestServer;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'none' });
    await pushImage(reg, 'team/api', 'sha-aaaaaaa');
  });
  afterAll(async () => {
    await reg?.stop();
    await front?.close();
  });

  it('a registry that redirects to another host: the real registry answers, without the credentials', async () => {
    const seenAtTarget: (string | undefined)[] = [];
    // The registry behind: reached as localhost, not 127.0.0.1, so the host differs; a recorder in front of it.
    const behind = await httpServer((req, res) => {
      seenAtTarget.push(req.headers.authorization);
      const up = http.request(
        `${reg.url}${req.url}`,
        { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.end();
    });
    front = await httpServer((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="front"' });
        return res.end();
      }
      res.writeHead(307, { location: `http://localhost:${new URL(behind.url).port}${req.url}` });
      res.end();
    });
    const client = new RegistryClient({ credentials: envCredentials((n) => CREDS[n]) });
    expect(await client.manifestExists(parseImageRef(`${new URL(front.url).host}/team/api:sha-aaaaaaa`))).toMatch(
      /^sha256:/,
    );
    expect(seenAtTarget.length).toBeGreaterThan(0);
    expect(seenAtTarget.filter(Boolean)).toEqual([]);
    await behind.close();
  });

  it('https → http on the same host and port drops Authorization', async () => {
    const { key, cert } = await certificate();
    const seen: { scheme: string; authorization?: string }[] = [];
    const handler = (scheme: string) => (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ scheme, authorization: req.headers.authorization });
      if (scheme === 'https') res.writeHead(302, { location: `http://127.0.0.1:${port}/v2/` }).end();
      else res.writeHead(200).end('ok');
    };
    const tls = https.createServer({ key, cert }, handler('https'));
    const plain = http.createServer(handler('http'));
    // One port that speaks both: a TLS handshake starts with byte 0x16.
    const both = net.createServer({ pauseOnConnect: true }, (socket) => {
      socket.once('readable', () => {
        const first = socket.read(1) as Buffer | null;
        if (!first) return socket.destroy();
        socket.unshift(first);
        (first[0] === 0x16 ? tls : plain).emit('connection', socket);
      });
    });
    await new Promise<void>((resolve) => both.listen(0, '127.0.0.1', resolve));
    const port = (both.address() as net.AddressInfo).port;
    const reject = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the self-signed loopback certificate
    try {
      const res = await httpRequest(`https://127.0.0.1:${port}/v2/`, {
        headers: { authorization: 'Basic c2VjcmV0' },
        timeoutMs: 5000,
        maxRedirects: 2,
      });
      expect(res.status).toBe(200);
    } finally {
      if (reject === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = reject;
      both.close();
    }
    expect(seen).toEqual([
      { scheme: 'https', authorization: 'Basic c2VjcmV0' },
      { scheme: 'http', authorization: undefined },
    ]);
  });
});
