// Legacy (unaggregated) API discovery, as kubectl and client-go read it when the server does not offer the
// aggregated apidiscovery.k8s.io/v2 format: it asks for that format first and falls back on a plain JSON answer.
import type { ResourceType } from './resources.js';
import { groupVersion } from './store.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

function resourceList(types: ResourceType[], group: string, version: string) {
  const served = types.filter((t) => t.group === group && t.versions.includes(version));
  if (!served.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served.flatMap((t) => [
      {
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: VERBS,
        ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      },
      ...(t.statusSubresource
        ? [
            {
              name: `${t.plural}/status`,
              singularName: '',
              namespaced: t.namespaced,
              kind: t.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}

function apiGroup(types: ResourceType[], group: string) {
  const versions = [...new Set(types.filter((t) => t.group === group).flatMap((t) => t.versions))];
  if (!versions.length) return undefined;
  const preferred = types.find((t) => t.group === group)!;
  return {
    name: group,
    versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: groupVersion(preferred), version: preferred.versions[0] },
  };
}

/** The discovery document at `path`, or undefined when `path` is not a discovery endpoint. */
export function discovery(path: string, types: ResourceType[], port: number): unknown {
  if (path === '/version') {
    return {
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0',
      gitCommit: 'contract',
      gitTreeState: 'clean',
      goVersion: 'go1.23',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
    };
  }
  if (path === '/api/v1') return resourceList(types, '', 'v1');
  if (path === '/apis') {
    const groups = [...new Set(types.map((t) => t.group).filter(Boolean))];
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(types, g)) };
  }
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  if (!m[2]) {
    const g = apiGroup(types, m[1]);
    return g && { kind: 'APIGroup', apiVersion: 'v1', ...g };
  }
  return resourceList(types, m[1], m[2]);
}
