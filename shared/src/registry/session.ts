// Authenticated requests to registries: anonymous first, then whatever the 401 challenge asks for (Basic, or a Bearer
// token from the realm). Tokens are cached per registry and scope, so a re-tag of many tags fetches one pull and one
// pull,push token, and Basic is sent up front once a registry has asked for it.
import { ExternalError, systemHint } from '../errors.js';
import { describeNetError } from '../http/probe.js';
import { TimeoutError } from '../http/get.js';
import { httpRequest, type HttpResponse } from '../http/request.js';
import { formatDuration } from '../duration.js';
import { parseChallenges, tokenUrl, type Challenge, type TokenResponse } from './challenge.js';
import { credentialHint, type CredentialsFor, type RegistryAuth } from './credentials.js';
import { apiHost, isLoopback } from './ref.js';

/** How to reach registries; shared by every request of one RegistryClient. */
export interface RegistryOptions {
  /** Credentials per registry host (see envCredentials); anonymous when absent or when it returns undefined. */
  credentials?: CredentialsFor;
  /** Registries (`host[:port]`) spoken to over plain HTTP besides loopback ones. */
  insecure?: string[];
  /** Accept a token service (realm) over plain http from a registry that is not on loopback: credentials cross the network in clear. */
  insecureRealm?: boolean;
  /** Per request, redirects included; default 30 s. */
  timeoutMs?: number;
  /** Milliseconds since the epoch, injected so token expiry is testable. */
  now?: () => number;
}

/** What a request is for, so auth asks for the right scope and errors name the right thing. */
export interface Target {
  registry: string;
  repository: string;
  push: boolean;
}

/** The transport under RegistryClient: URLs, credentials, the challenge handshake and the token cache. */
export class RegistrySession {
  private readonly tokens = new Map<string, { value: string; expiresAt: number }>();
  private readonly basic = new Set<string>();

  constructor(private readonly opts: RegistryOptions = {}) {}

  /** `http(s)://host` of a registry's API: http for loopback and the registries listed as insecure. */
  base(registry: string): string {
    const insecure =
      isLoopback(registry) || (this.opts.insecure ?? []).some((r) => r.trim().toLowerCase() === registry.toLowerCase());
    return `${insecure ? 'http' : 'https'}://${apiHost(registry)}`;
  }

  /** The credentials used for a registry, if any (for messages that say where they came from). */
  auth(registry: string): RegistryAuth | undefined {
    return this.opts.credentials?.(registry);
  }

  /** Sends a request under `/v2/…`, answering the auth challenge once. The caller maps the final status. */
  async send(
    target: Target,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Uint8Array,
  ): Promise<HttpResponse> {
    const scope = `repository:${target.repository}:${target.push ? 'pull,push' : 'pull'}`;
    const key = `${target.registry} ${scope}`;
    const first = await this.request(target, method, path, { ...headers, ...this.cached(target.registry, key) }, body);
    if (first.status !== 401) return first;
    const challenges = parseChallenges(first.headers['www-authenticate'] ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const creds = this.auth(target.registry);
    let authorization: string;
    if (bearer) {
      authorization = `Bearer ${await this.token(target, bearer, scope, key)}`;
    } else if (challenges.some((c) => c.scheme === 'basic') && creds) {
      this.basic.add(target.registry);
      authorization = basicHeader(creds);
    } else {
      return first;
    }
    return this.request(target, method, path, { ...headers, authorization }, body);
  }

  private cached(registry: string, key: string): Record<string, string> {
    const token = this.tokens.get(key);
    if (token && token.expiresAt > this.now()) return { authorization: `Bearer ${token.value}` };
    const creds = this.basic.has(registry) ? this.auth(registry) : undefined;
    return creds ? { authorization: basicHeader(creds) } : {};
  }

  private async token(target: Target, challenge: Challenge, scope: string, key: string): Promise<string> {
    const creds = this.auth(target.registry);
    const url = tokenUrl(challenge, scope, creds?.username);
    if (!url)
      throw new ExternalError(
        `Registry ${target.registry} asked for a Bearer token without a usable realm (WWW-Authenticate realm='${challenge.params.realm ?? ''}').`,
      );
    const realm = new URL(url).origin + new URL(url).pathname;
    // A registry names its token service; a hostile or spoofed one could name a plain-http one to read the password.
    if (
      new URL(url).protocol !== 'https:' &&
      !this.opts.insecureRealm &&
      !(isLoopback(target.registry) && isLoopback(new URL(url).host))
    ) {
      throw new ExternalError(
        `Registry ${target.registry} sends for its token to ${realm} over plain http, where credentials would cross the network in clear. Refused; set input 'insecure-token-realm' to true only for a registry you trust on a network you trust.`,
      );
    }
    const res = await this.call(target.registry, url, {
      method: 'GET',
      headers: creds ? { authorization: basicHeader(creds) } : {},
    });
    if (res.status === 401 || res.status === 403) {
      const who = creds ? `the credentials from ${creds.source} were refused` : 'anonymous access was refused';
      throw new ExternalError(
        `Token service ${realm} of registry ${target.registry}: ${who} (HTTP ${res.status}${registryMessage(res)}). ${capitalize(credentialHint(target.registry))}.`,
      );
    }
    let answer: TokenResponse | undefined;
    try {
      answer = JSON.parse(res.body.toString('utf8')) as TokenResponse;
    } catch {
      // reported below with the status
    }
    const value = answer?.token || answer?.access_token;
    if (res.status !== 200 || !value) {
      throw new ExternalError(
        `Token service ${realm} of registry ${target.registry} answered HTTP ${res.status} without a token${registryMessage(res)}.`,
      );
    }
    // the spec's default lifetime is 60 s; renew a little early so a token does not expire in flight
    const lifetime = Math.max(answer?.expires_in ?? 60, 10) * 1000;
    this.tokens.set(key, { value, expiresAt: this.now() + lifetime - 5000 });
    return value;
  }

  private request(
    target: Target,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<HttpResponse> {
    return this.call(target.registry, `${this.base(target.registry)}${path}`, { method, headers, body });
  }

  /** One request with network failures turned into ExternalError naming the registry. */
  private async call(
    registry: string,
    url: string,
    req: { method: string; headers: Record<string, string>; body?: Uint8Array },
  ): Promise<HttpResponse> {
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    try {
      return await httpRequest(url, {
        ...req,
        headers: { 'user-agent': 'shipgate', ...req.headers },
        timeoutMs,
        maxRedirects: req.method === 'GET' || req.method === 'HEAD' ? 5 : 0,
      });
    } catch (err) {
      const u = new URL(url);
      const why =
        err instanceof TimeoutError ? `no answer within ${formatDuration(timeoutMs)}` : describeNetError(err, u.host);
      const hint = systemHint(err, {
        input: "the registry host of the image name (input 'images' or 'image-name')",
        value: registry,
        kind: 'url',
      });
      throw new ExternalError(
        `Cannot reach registry ${registry} (${req.method} ${u.origin}${u.pathname}): ${why}.${hint ? ` ${hint}` : ''}`,
        { cause: err },
      );
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

function basicHeader(creds: RegistryAuth): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

/** `: CODE message` from a registry's JSON error body (`{"errors":[{"code","message"}]}`), or ''. */
export function registryMessage(res: HttpResponse): string {
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as {
      errors?: { code?: string; message?: string }[];
      details?: string;
      message?: string;
    };
    const errors = parsed.errors?.map((e) => [e.code, e.message].filter(Boolean).join(' ')).filter(Boolean) ?? [];
    const text = errors.length ? errors.join('; ') : (parsed.details ?? parsed.message ?? '');
    return text ? `: ${text}` : '';
  } catch {
    return '';
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
