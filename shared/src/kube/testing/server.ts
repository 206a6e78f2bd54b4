// An in-process HTTP server that follows the Kubernetes API contract for the resources Shipgate uses: discovery as
// kubectl reads it (/api, /apis, /api/v1, /apis/<group>/<version>), GET item and list (labelSelector, fieldSelector on
// metadata.name/namespace, and a watch that stays open without events, enough for kubectl's informers), PATCH (merge, JSON patch,
// strategic merge as merge for built-in types), PUT, POST, DELETE, resourceVersion and 409 conflicts, Status objects
// for 401/403/404/409/415/422, HTTPS with bearer-token auth and RBAC-style denials, and objects checked against the published
// schemas after every write (kube-resources.ts). kubectl reads the same state back from it.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { jsonPatch, mergePatch, PatchError } from './patch.js';
import { DEPLOYMENTS, REPLICASETS, SERVICES, type KubeObject, type ResourceType } from './resources.js';
import { HTTP_ROUTES, VIRTUAL_SERVICES } from './crds.js';
import { groupVersion, KubeStatusError, KubeStore, notFound, resourceName } from './store.js';
import { discovery } from './discovery.js';
import { matchesSelector, parseSelector } from './selector.js';
import { certificate, kubeconfigYaml } from './tls.js';
import type { TestServer } from '../../http/testing/servers.js';

export { kubeconfigYaml } from './tls.js';

/** One request as received, for assertions on what a client sent. */
export interface KubeRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
  status: number;
}

/** A verb on a resource the server refuses with 403, like a missing RBAC rule. */
export interface Denial {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  /** Plural resource name, e.g. `services`, `virtualservices`. */
  resource: string;
  namespace?: string;
}

export interface KubeServer extends TestServer {
  /** PEM of the self-signed certificate the server presents (kubeconfig `certificate-authority-data`). */
  ca: string;
  store: KubeStore;
  /** The bearer token the server accepts; anything else is 401. */
  token: string;
  /** The user RBAC messages name. */
  user: string;
  requests: KubeRequest[];
  types: ResourceType[];
  /** Serves one more resource type (e.g. a CRD a later step needs); discovery lists it at once. */
  define(type: ResourceType): void;
  deny(rule: Denial): void;
  /** Drops every denial. */
  allowAll(): void;
  /** Runs `mutate` as another writer's change just before the next write to that object, so that write's resourceVersion is stale. */
  interfere(type: ResourceType, namespace: string, name: string, mutate: (o: KubeObject) => void, times?: number): void;
  /**
   * Runs `fn` before every request is handled, e.g. a simulated controller catching up with the time that passed
   * (kube-rollout.ts), so what a client reads is what the cluster would show at that moment.
   */
  beforeRequest(fn: () => void): void;
  /** Writes a kubeconfig (YAML, http, token auth) pointing at this server and returns its path. */
  kubeconfig(dir: string, opts?: { namespace?: string; token?: string }): string;
}

interface Parsed {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

/** The answer to a watch request: an open stream, ended after the request's timeoutSeconds (at most WATCH_MS). */
const WATCH = Symbol('watch');
const WATCH_MS = 5000;

const BUILTIN_PATCH = [
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
];
const CUSTOM_PATCH = ['application/merge-patch+json', 'application/json-patch+json'];

/** Starts the server with `types`, by default Services, Deployments, ReplicaSets, Istio VirtualServices and Gateway API HTTPRoutes. */
export async function kubeServer(
  opts: { token?: string; user?: string; types?: ResourceType[] } = {},
): Promise<KubeServer> {
  const store = new KubeStore();
  const types: ResourceType[] = [
    ...(opts.types ?? [SERVICES, DEPLOYMENTS, REPLICASETS, VIRTUAL_SERVICES, HTTP_ROUTES]),
  ];
  const denials: Denial[] = [];
  const interferences: {
    type: ResourceType;
    ns: string;
    name: string;
    mutate: (o: KubeObject) => void;
    times: number;
  }[] = [];
  const requests: KubeRequest[] = [];
  const hooks: (() => void)[] = [];
  const token = opts.token ?? 'shipgate-test-token';
  const user = opts.user ?? 'system:serviceaccount:ci:shipgate';

  function parse(path: string): Parsed | undefined {
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(
        path,
      );
    if (!m) return undefined;
    const [, coreVersion, group = '', groupVer, namespace, plural, name, sub] = m;
    const version = coreVersion ?? groupVer;
    const type = types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
    if (!type) return undefined;
    // An item of a namespaced type lives under /namespaces/<ns>/; a list may span all namespaces.
    if (name !== undefined && (namespace !== undefined) !== type.namespaced) return undefined;
    return { type, version, namespace, name, subresource: sub as 'status' | undefined };
  }

  function outward(o: KubeObject, p: Parsed): KubeObject {
    return { ...o, apiVersion: groupVersion(p.type, p.version) };
  }

  function authorize(verb: Denial['verb'], p: Parsed): void {
    const hit = denials.find(
      (d) =>
        d.verb === verb && d.resource === p.type.plural && (d.namespace === undefined || d.namespace === p.namespace),
    );
    if (!hit) return;
    const scope = p.namespace ? ` in the namespace "${p.namespace}"` : ' at the cluster scope';
    throw new KubeStatusError(
      403,
      'Forbidden',
      `${resourceName(p.type, p.name)} is forbidden: User "${user}" cannot ${verb} resource "${p.type.plural}${p.subresource ? `/${p.subresource}` : ''}" in API group "${p.type.group}"${scope}`,
      { name: p.name, group: p.type.group, kind: p.type.plural },
    );
  }

  function beforeWrite(p: Parsed): void {
    const i = interferences.findIndex((x) => x.type === p.type && x.ns === p.namespace && x.name === p.name);
    if (i < 0) return;
    const x = interferences[i];
    if (--x.times <= 0) interferences.splice(i, 1);
    const current = store.get(p.type, p.namespace, p.name!);
    if (!current) return;
    x.mutate(current);
    store.update(p.type, p.namespace, p.name!, current);
  }

  function handle(
    method: string,
    path: string,
    query: URLSearchParams,
    contentType: string,
    body: unknown,
    port: number,
  ): { status: number; body: unknown } {
    const d = discovery(path, types, port);
    if (d !== undefined && method === 'GET') return { status: 200, body: d };
    const p = parse(path);
    if (!p) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    const ns = p.namespace;
    if (!p.name) {
      if (method === 'GET') {
        authorize('list', p);
        if (query.get('watch') === 'true' || query.get('watch') === '1') return { status: 200, body: WATCH };
        const selector = parseSelector(query.get('labelSelector') ?? '');
        const fields = parseSelector(query.get('fieldSelector') ?? '');
        const items = store
          .list(p.type, ns)
          .filter((o) => matchesSelector(selector, o.metadata.labels ?? {}))
          .filter((o) =>
            matchesSelector(fields, {
              'metadata.name': o.metadata.name,
              'metadata.namespace': o.metadata.namespace ?? '',
            }),
          )
          .map((o) => outward(o, p));
        return {
          status: 200,
          body: {
            kind: `${p.type.kind}List`,
            apiVersion: groupVersion(p.type, p.version),
            metadata: { resourceVersion: store.resourceVersion },
            items,
          },
        };
      }
      if (method === 'POST') {
        authorize('create', p);
        return {
          status: 201,
          body: outward(
            store.create(p.type, {
              ...(body as KubeObject),
              metadata: { ...(body as KubeObject).metadata, namespace: ns },
            }),
            p,
          ),
        };
      }
      throw new KubeStatusError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }
    const name = p.name;
    const current = () => {
      const o = store.get(p.type, ns, name);
      if (!o) throw notFound(p.type, name);
      return o;
    };
    switch (method) {
      case 'GET':
        authorize('get', p);
        return { status: 200, body: outward(current(), p) };
      case 'DELETE':
        authorize('delete', p);
        return { status: 200, body: outward(store.delete(p.type, ns, name), p) };
      case 'PUT': {
        authorize('update', p);
        current();
        beforeWrite(p);
        const next = { ...(body as KubeObject), apiVersion: groupVersion(p.type) };
        return {
          status: 200,
          body: outward(store.update(p.type, ns, name, next, { subresource: p.subresource, requireVersion: true }), p),
        };
      }
      case 'PATCH': {
        authorize('patch', p);
        const accepted = p.type.builtin ? BUILTIN_PATCH : CUSTOM_PATCH;
        if (!accepted.includes(contentType)) {
          throw new KubeStatusError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
          );
        }
        beforeWrite(p);
        const base = current();
        let next: KubeObject;
        try {
          // Strategic merge differs from merge only for lists with merge keys; the selector and annotations are maps.
          next = (
            contentType === 'application/json-patch+json' ? jsonPatch(base, body) : mergePatch(base, body)
          ) as KubeObject;
        } catch (err) {
          if (err instanceof PatchError) throw new KubeStatusError(422, 'Invalid', err.message);
          throw err;
        }
        next.apiVersion = groupVersion(p.type);
        return { status: 200, body: outward(store.update(p.type, ns, name, next, { subresource: p.subresource }), p) };
      }
      default:
        throw new KubeStatusError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        );
    }
  }

  const tls = await certificate();
  let port = 0;
  const https = createServer(tls, (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = decodeURIComponent(url.pathname).replace(/\/$/, '') || '/';
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const entry: KubeRequest = {
        method: req.method ?? 'GET',
        path,
        contentType: contentType || undefined,
        body: undefined,
        status: 0,
      };
      requests.push(entry);
      let reply: { status: number; body: unknown };
      try {
        if (req.headers.authorization !== `Bearer ${token}`)
          throw new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
        if (raw) {
          try {
            entry.body = JSON.parse(raw);
          } catch {
            throw new KubeStatusError(400, 'BadRequest', `the body of the request could not be decoded as JSON`);
          }
        }
        for (const hook of hooks) hook();
        reply = handle(entry.method, path, url.searchParams, contentType, entry.body, port);
      } catch (caught) {
        // A bug in the server answers 500 like an API server would, instead of ending the test process.
        const err =
          caught instanceof KubeStatusError
            ? caught
            : new KubeStatusError(500, 'InternalError', `Internal error occurred: ${String(caught)}`);
        reply = {
          status: err.code,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: err.message,
            reason: err.reason,
            details: err.details,
            code: err.code,
          },
        };
      }
      entry.status = reply.status;
      res.writeHead(reply.status, { 'content-type': 'application/json', 'audit-id': String(requests.length) });
      if (reply.body === WATCH) {
        const seconds = Number(url.searchParams.get('timeoutSeconds') ?? 0) || Infinity;
        res.flushHeaders();
        setTimeout(() => res.end(), Math.min(seconds * 1000, WATCH_MS)).unref();
        return;
      }
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  port = (https.address() as AddressInfo).port;
  const server: TestServer = {
    url: `https://127.0.0.1:${port}`,
    port,
    get hits() {
      return requests.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        https.closeAllConnections();
        https.close(() => resolve());
      }),
  };

  return Object.assign(server, {
    ca: tls.cert,
    store,
    token,
    user,
    requests,
    types,
    define: (type: ResourceType) => void types.push(type),
    deny: (rule: Denial) => void denials.push(rule),
    allowAll: () => void denials.splice(0),
    beforeRequest: (fn: () => void) => void hooks.push(fn),
    interfere(type: ResourceType, namespace: string, name: string, mutate: (o: KubeObject) => void, times = 1) {
      interferences.push({ type, ns: namespace, name, mutate, times });
    },
    kubeconfig(dir: string, o: { namespace?: string; token?: string } = {}) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `kubeconfig-${server.port}.yaml`);
      writeFileSync(file, kubeconfigYaml(server.url, tls.cert, o.token ?? token, o.namespace ?? 'default'));
      return file;
    },
  });
}
