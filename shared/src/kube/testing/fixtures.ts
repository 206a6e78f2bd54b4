// Objects the tests route through or roll back (Service, VirtualService, HTTPRoute, Deployment with its history),
// and kubectl against the contract server.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DEPLOYMENTS, SERVICES, type KubeObject } from './resources.js';
import { HTTP_ROUTES, VIRTUAL_SERVICES } from './crds.js';
import type { KubeServer } from './server.js';
import { program } from '../../testing/daemons.js';
import { runProcess, type Ran } from '../../../../test/helpers/run-bundle.js';

export function seedService(server: KubeServer, name = 'web', color = 'blue', namespace = 'default'): KubeObject {
  return server.store.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { app: name } },
    spec: { selector: { app: name, color }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

/** A VirtualService with a colour route (one destination, Istio's implicit 100 %) and a route to another service. */
export function seedVirtualService(server: KubeServer, name = 'web', namespace = 'default'): KubeObject {
  return server.store.create(VIRTUAL_SERVICES, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec: {
      hosts: [`${name}.example.com`],
      gateways: ['public'],
      http: [
        { name: 'static', match: [{ uri: { prefix: '/static' } }], route: [{ destination: { host: 'cdn' } }] },
        { name: 'app', route: [{ destination: { host: name, subset: 'blue', port: { number: 80 } } }] },
      ],
    },
  });
}

/** An HTTPRoute with a rule to another Service and a rule to `<name>-blue` (weight defaulted to 1 by the CRD). */
export function seedHttpRoute(
  server: KubeServer,
  name = 'web',
  namespace = 'default',
  blueRef = `${name}-blue`,
): KubeObject {
  return server.store.create(HTTP_ROUTES, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: {
      parentRefs: [{ name: 'public-gateway' }],
      hostnames: [`${name}.example.com`],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/static' } }], backendRefs: [{ name: 'cdn', port: 80 }] },
        { backendRefs: [{ name: blueRef, port: 8080 }] },
      ],
    },
  });
}

/** A Deployment `name` with one container per entry of `containers` (name → image), as `kubectl create deployment` writes it. */
export function deploymentObject(
  name: string,
  containers: Record<string, string>,
  opts: { namespace?: string; replicas?: number; progressDeadlineSeconds?: number; revisionHistoryLimit?: number } = {},
): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'default', labels },
    spec: {
      replicas: opts.replicas ?? 3,
      progressDeadlineSeconds: opts.progressDeadlineSeconds,
      revisionHistoryLimit: opts.revisionHistoryLimit,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: Object.entries(containers).map(([n, image]) => ({
            name: n,
            image,
            ports: [{ containerPort: 8080 }],
          })),
        },
      },
    },
  };
}

/**
 * Creates Deployment `name` and rolls it through `images` one after another (each rollout finished), so it has one
 * ReplicaSet and revision per image, the last one current; each change records `kubernetes.io/change-cause`.
 */
export function seedDeployment(
  server: KubeServer,
  sim: { settle(): void },
  name: string,
  images: string[],
  opts: {
    namespace?: string;
    replicas?: number;
    progressDeadlineSeconds?: number;
    revisionHistoryLimit?: number;
    container?: string;
    sidecars?: Record<string, string>;
  } = {},
): KubeObject {
  const ns = opts.namespace ?? 'default';
  const container = opts.container ?? 'app';
  const obj = deploymentObject(name, { [container]: images[0], ...opts.sidecars }, opts);
  obj.metadata.annotations = { 'kubernetes.io/change-cause': `deploy ${images[0]}` };
  server.store.create(DEPLOYMENTS, obj);
  sim.settle();
  for (const image of images.slice(1)) {
    const dep = server.store.get(DEPLOYMENTS, ns, name)!;
    dep.spec.template.spec.containers.find((c: { name: string }) => c.name === container).image = image;
    dep.metadata.annotations = { ...dep.metadata.annotations, 'kubernetes.io/change-cause': `deploy ${image}` };
    server.store.update(DEPLOYMENTS, ns, name, dep);
    sim.settle();
  }
  return server.store.get(DEPLOYMENTS, ns, name)!;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'shipgate-kubectl-cache-'));

/** kubectl from PATH, else Debian's package kubernetes-client, installed on demand. */
async function kubectlBin(): Promise<string> {
  const found = (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'kubectl'))
    .find((f) => existsSync(f));
  return found ?? program('kubectl');
}

/** Runs kubectl against the server, asynchronously: the server lives in this process. */
export async function kubectl(kubeconfig: string, ...args: string[]): Promise<Ran> {
  return runProcess(await kubectlBin(), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args]);
}

/** kubectl … -o json, parsed. */
export async function kubectlJson(kubeconfig: string, ...args: string[]): Promise<any> {
  const r = await kubectl(kubeconfig, ...args, '-o', 'json');
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The PATCH requests the server received for one object path suffix, with their answers. */
export function patches(server: KubeServer, suffix: string): { contentType?: string; body: unknown; status: number }[] {
  return server.requests
    .filter((r) => r.method === 'PATCH' && r.path.endsWith(suffix))
    .map(({ contentType, body, status }) => ({ contentType, body, status }));
}
