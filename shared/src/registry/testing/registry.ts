// A real OCI registry for tests and the demo: Debian's `docker-registry` (distribution 2.8) on a free loopback port with
// filesystem storage in a temp dir. Three auth modes, all enforced by the registry itself:
//   none    anonymous pull and push
//   basic   `auth: htpasswd` with bcrypt lines written by ./bcrypt.ts
//   token   `auth: token`: the registry answers 401 with a Bearer challenge and verifies JWTs against a certificate
//           made with `openssl`; the token service (the realm) is an in-process server below that follows the
//           distribution token spec (GET realm?service&scope with Basic credentials → {token, expires_in}).
// No vitest imports: the demo uses this file too.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { htpasswdLine } from './bcrypt.js';
import { freePort, listening, program, startDaemon, type Daemon } from '../../testing/daemons.js';
import { httpServer, type TestServer } from '../../http/testing/servers.js';

export type RegistryAuthMode = 'none' | 'basic' | 'token';

export interface RegistryOptions {
  auth?: RegistryAuthMode;
  /** Users and passwords accepted (basic: by the registry; token: by the token service). Default `{ ci: 'secret' }`. */
  users?: Record<string, string>;
  /** Token mode: what an anonymous token may do (default nothing, so private repositories need credentials). */
  anonymous?: ('pull' | 'push')[];
  /** Token mode: users who only get pull (push refused), to test a 403/401 on write. */
  readOnlyUsers?: string[];
  /** Token mode: the realm the registry's challenge names instead of the test token service (e.g. a plain-http one elsewhere). */
  realm?: string;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  host: string;
  port: number;
  url: string;
  dir: string;
  auth: RegistryAuthMode;
  users: Record<string, string>;
  /** Token mode: every request the token service received (query and whether Basic credentials came along). */
  tokenRequests: { scope: string[]; account?: string; service?: string }[];
  /** Registry requests' `Authorization` header a pusher with full rights uses for `repository` (undefined: none needed). */
  authorization(repository: string): string | undefined;
  stop(): Promise<void>;
}

const SERVICE = 'shipgate-test-registry';
const ISSUER = 'shipgate-test-token-issuer';

/** Starts a registry; stop() ends it and the token service and removes the storage. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const bin = await program('docker-registry');
  const auth = opts.auth ?? 'none';
  const users = opts.users ?? { ci: 'secret' };
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-registry-'));
  const port = await freePort();
  const tokenRequests: TestRegistry['tokenRequests'] = [];
  let tokens: TokenService | undefined;
  let authBlock = '';
  if (auth === 'basic') {
    writeFileSync(
      join(dir, 'htpasswd'),
      Object.entries(users)
        .map(([u, p]) => htpasswdLine(u, p))
        .join('\n') + '\n',
    );
    authBlock = `auth:\n  htpasswd:\n    realm: shipgate-test\n    path: ${dir}/htpasswd\n`;
  } else if (auth === 'token') {
    tokens = await startTokenService(dir, users, opts, tokenRequests);
    authBlock = `auth:\n  token:\n    realm: ${opts.realm ?? `${tokens.server.url}/token`}\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${dir}/token.crt\n`;
  }
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${dir}/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: ${randomUUID()}
${authBlock}`,
  );
  let daemon: Daemon;
  try {
    daemon = await startDaemon(bin, ['serve', join(dir, 'config.yml')], { cwd: dir, ready: () => listening(port) });
  } catch (err) {
    await tokens?.server.close();
    throw err;
  }
  const host = `127.0.0.1:${port}`;
  return {
    host,
    port,
    url: `http://${host}`,
    dir,
    auth,
    users,
    tokenRequests,
    authorization(repository) {
      const [user, password] = Object.entries(users)[0] ?? [];
      if (auth === 'basic') return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (auth === 'token')
        return `Bearer ${tokens!.mint(user, [{ type: 'repository', name: repository, actions: ['pull', 'push'] }])}`;
      return undefined;
    },
    async stop() {
      await daemon.stop();
      await tokens?.server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

interface TokenService {
  server: TestServer;
  mint(subject: string | undefined, access: Access[]): string;
}

async function startTokenService(
  dir: string,
  users: Record<string, string>,
  opts: RegistryOptions,
  log: TestRegistry['tokenRequests'],
): Promise<TokenService> {
  const openssl = await program('openssl');
  try {
    execFileSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'token.key'),
        '-out',
        join(dir, 'token.crt'),
        '-days',
        '2',
        '-subj',
        '/CN=shipgate-test-token',
      ],
      { stdio: 'pipe' },
    );
  } catch (err) {
    // node can make the key but not an X.509 certificate, which the registry's rootcertbundle needs
    throw new Error(`openssl could not make the token signing certificate: ${String(err)}`);
  }
  const key = createPrivateKey(readFileSync(join(dir, 'token.key')));
  const kid = libtrustKeyId(createPublicKey(key));
  const mint = (subject: string | undefined, access: Access[]) => jwt(key, kid, subject, access);
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.getAll('scope');
    const user = basicUser(req.headers.authorization, users);
    log.push({
      scope,
      account: url.searchParams.get('account') ?? undefined,
      service: url.searchParams.get('service') ?? undefined,
    });
    if (url.pathname !== '/token')
      return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] });
    if (user === null)
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] });
    const access = scope.flatMap((s) => grant(s, user, opts));
    json(res, 200, {
      token: mint(user, access),
      access_token: mint(user, access),
      expires_in: 300,
      issued_at: new Date().toISOString(),
    });
  });
  return { server, mint };
}

/** What a token may do for `repository:name:actions`: users get what they ask for, anonymous and read-only users less. */
function grant(scope: string, user: string | undefined, opts: RegistryOptions): Access[] {
  const m = /^([a-z]+):(.+):([a-z,*]+)$/.exec(scope);
  if (!m) return [];
  const allowed =
    user === undefined
      ? (opts.anonymous ?? [])
      : opts.readOnlyUsers?.includes(user)
        ? ['pull']
        : ['pull', 'push', 'delete', '*'];
  const actions = m[3].split(',').filter((a) => (allowed as string[]).includes(a));
  return actions.length ? [{ type: m[1], name: m[2], actions }] : [];
}

/** undefined: no credentials; null: wrong credentials; else the user name. */
function basicUser(header: string | undefined, users: Record<string, string>): string | undefined | null {
  if (!header) return undefined;
  const m = /^Basic (.+)$/i.exec(header);
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  const [user, password] = [text.slice(0, i), text.slice(i + 1)];
  return i > 0 && users[user] === password ? user : null;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function jwt(key: KeyObject, kid: string, subject: string | undefined, access: Access[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }));
  const claims = b64url(
    JSON.stringify({
      iss: ISSUER,
      sub: subject ?? '',
      aud: SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    }),
  );
  return `${header}.${claims}.${b64url(sign('sha256', Buffer.from(`${header}.${claims}`), key))}`;
}

/**
 * The key id the registry trusts for a certificate in its rootcertbundle (docker/libtrust keyIDFromCryptoKey): the
 * first 240 bits of SHA-256 over the DER public key, base32 without padding, in colon-separated groups of four.
 */
export function libtrustKeyId(pub: KeyObject): string {
  const digest = createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of digest) bits += byte.toString(2).padStart(8, '0');
  const b32 = bits
    .match(/.{5}/g)!
    .map((b) => alphabet[parseInt(b, 2)])
    .join('');
  return b32.match(/.{4}/g)!.join(':');
}
