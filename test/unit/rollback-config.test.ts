import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schema } from '../../actions/rollback/src/schema.js';
import { parseTo } from '../../actions/rollback/src/to.js';
import { ConfigError } from '../../shared/src/errors.js';
import { providers } from '../../shared/src/traffic/index.js';
import { runRollback } from '../helpers/rollback.js';

// Bad input exits 2 before anything is contacted: the socket, the kubeconfig's server and Prometheus named here do
// not exist, so reaching any of them would be exit 3, and a state file would be created by a write.
const dir = mkdtempSync(join(tmpdir(), 'shipgate-rollback-inputs-'));
const stateFile = join(dir, 'state.json');
writeFileSync(
  stateFile,
  JSON.stringify({
    active: 'green',
    previous: 'blue',
    weights: { blue: 0, green: 100 },
    time: '2024-01-01T00:00:00Z',
    who: 'ci',
  }),
);
const haproxy = {
  provider: 'blue-green',
  backend: 'haproxy',
  'haproxy-socket': join(dir, 'admin.sock'),
  'haproxy-backend': 'web',
  'state-file': stateFile,
};
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
);
const kube = { provider: 'kubernetes', deployment: 'web', kubeconfig };
const trigger = {
  'prometheus-url': 'http://127.0.0.1:9',
  'trigger-query': 'sum(rate(errors[1m]))',
  'trigger-max': '0.05',
};
const configFile = join(dir, 'dependency-config.yml');
writeFileSync(configFile, 'services:\n  user-service: {}\n  order-service:\n    dependencies: [user-service]\n');

async function configError(flags: Record<string, string>): Promise<string> {
  const r = await runRollback(flags);
  expect(r.code, r.log).toBe(2);
  expect(r.outputs).toEqual({});
  expect(existsSync(join(dir, 'admin.sock'))).toBe(false);
  return r.log;
}

describe('rollback input checks (exit 2, nothing touched)', () => {
  it('offers the traffic backends of blue-green-switch as backend', () => {
    expect(schema.inputs.backend.options).toEqual(Object.keys(providers));
  });

  it.each([
    [{ ...haproxy, provider: 'helm' }, "Input 'provider' is 'helm'. Expected one of: blue-green, kubernetes."],
    [
      { ...haproxy, backend: 'trafik' },
      `Input 'backend' is 'trafik'. Expected one of: ${Object.keys(providers).join(', ')}.`,
    ],
    [{ ...haproxy, backend: '' }, "Input 'backend' is required with provider 'blue-green'"],
    [{ ...haproxy, 'haproxy-backend': '' }, "Input 'haproxy-backend' is required with provider 'haproxy'"],
    [
      { ...haproxy, to: 'purple' },
      "Input 'to' is 'purple'. With provider 'blue-green' it names the colour to return to: one of blue, green",
    ],
    [{ ...haproxy, 'image-name': 'ghcr.io/acme/web' }, "Input 'image-name' is set with provider 'blue-green'"],
    [
      { ...haproxy, 'state-file': join(dir, 'missing.json') },
      `Input 'state-file' is '${join(dir, 'missing.json')}': no such file.`,
    ],
    [
      { ...haproxy, 'state-file': '' },
      "Input 'state-file' is empty, and backend 'haproxy' keeps no record of the previous colour, so there is nothing to roll back to.",
    ],
    [{ ...haproxy, colors: 'live,idle' }, "records previous colour 'blue', which is not one of 'colors' (live, idle)"],
  ])('blue-green: %j', async (flags, message) => {
    expect(await configError(flags)).toContain(message);
  });

  it.each([
    [{ ...kube, deployment: '' }, "Input 'deployment' is required with provider 'kubernetes'"],
    [
      { ...kube, to: 'Registry.example/App:1.0' },
      "Input 'to': image 'Registry.example/App:1.0' is not a valid image reference: repository names must be lowercase",
    ],
    [
      { ...kube, to: 'ghcr.io/acme/web' },
      "Input 'to' is 'ghcr.io/acme/web': an image reference without a tag or digest would mean 'latest'",
    ],
    [{ ...kube, to: 'ghcr.io/acme/web:-bad' }, "tag '-bad' may contain only letters"],
    [{ ...kube, to: 'release 1.4' }, "Input 'to' is 'release 1.4'. Expected an image reference"],
    [
      { ...kube, 'image-name': 'ghcr.io/acme/web:1.0.0' },
      "Input 'image-name' is 'ghcr.io/acme/web:1.0.0' with a tag or digest. Give the repository only ('ghcr.io/acme/web')",
    ],
    [
      { ...kube, 'health-url': 'http://{color}.web/healthz' },
      "Input 'health-url' is 'http://{color}.web/healthz' with '{color}', but provider 'kubernetes'",
    ],
    [
      { ...kube, 'health-url': 'ftp://web/healthz' },
      "Input 'health-url' is 'ftp://web/healthz'. Expected an http:// or https:// URL.",
    ],
    [{ ...kube, timeout: 'soon' }, "Input 'timeout' is 'soon'. Expected a duration"],
  ])('kubernetes: %j', async (flags, message) => {
    expect(await configError(flags)).toContain(message);
  });

  it.each([
    [{ 'trigger-query': 'up', 'trigger-max': '1' }, "Input 'trigger-query' is set, but 'prometheus-url' is empty."],
    [
      { ...trigger, 'trigger-max': '' },
      "Input 'trigger-query' is set without 'trigger-max' or 'trigger-min'. Set at least one bound.",
    ],
    [{ ...trigger, 'trigger-max': 'lots' }, "Input 'trigger-max' is 'lots'. Expected a number"],
    [
      { ...trigger, 'trigger-min': '0.9', 'trigger-max': '0.1' },
      "Input 'trigger-min' (0.9) is above 'trigger-max' (0.1): no value could pass.",
    ],
    [
      { 'trigger-max': '0.1' },
      "Inputs 'trigger-max' / 'trigger-min' are set, but 'trigger-query' and 'prometheus-url' are empty.",
    ],
    [
      { ...trigger, 'prometheus-url': 'prometheus:9090' },
      "Input 'prometheus-url' is 'prometheus:9090'. Expected an http:// or https:// URL.",
    ],
    [{ ...trigger, watch: '30s', 'watch-interval': '1m' }, "Input 'watch' (30s) is shorter than 'watch-interval' (1m)"],
    [{ ...trigger, 'watch-interval': '0' }, "Input 'watch-interval' is '0'. Expected a duration above zero"],
  ])('trigger: %j', async (extra, message) => {
    expect(await configError({ ...haproxy, ...extra })).toContain(message);
  });

  it.each([
    [{ config: configFile }, "Input 'config' is set, but 'service' is empty."],
    [{ config: configFile, service: 'user-servce' }, "Input 'service' is 'user-servce', which is not in"],
    [{ config: configFile, service: 'user-servce' }, "Did you mean 'user-service'?"],
    [{ config: join(dir, 'none.yml'), service: 'web' }, 'no such file'],
  ])('dependents: %j', async (extra, message) => {
    expect(await configError({ ...kube, ...extra })).toContain(message);
  });

  it('masks credentials in the URLs also in the message that names them', async () => {
    const log = await configError({ ...haproxy, ...trigger, 'prometheus-url': 'ftp://ops:pw-98765@prometheus' });
    expect(log).toContain("Input 'prometheus-url' is 'ftp://ops:***@prometheus'");
    expect(log).not.toContain('pw-98765');
  });
});

describe('parseTo', () => {
  const kubeTo = (to: string, prefix = 'v') => parseTo(to, { provider: 'kubernetes', prefix });

  it('reads a version with or without the release prefix as the image tag, and keeps the git tag', () => {
    expect(kubeTo('v1.4.2')).toEqual({ kind: 'tag', tag: '1.4.2', release: 'v1.4.2' });
    expect(kubeTo('1.4.2')).toEqual({ kind: 'tag', tag: '1.4.2', release: 'v1.4.2' });
    expect(kubeTo('user-service/v2.0.0-rc.1', 'user-service/v')).toEqual({
      kind: 'tag',
      tag: '2.0.0-rc.1',
      release: 'user-service/v2.0.0-rc.1',
    });
    expect(kubeTo('sha-1a2b3c4')).toEqual({ kind: 'tag', tag: 'sha-1a2b3c4' });
    expect(kubeTo('v1.4.2', '')).toEqual({ kind: 'tag', tag: 'v1.4.2' });
  });

  it('reads anything with a registry, a tag or a digest as a full reference', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(kubeTo('ghcr.io/acme/web:1.4.2')).toMatchObject({
      kind: 'image',
      ref: { registry: 'ghcr.io', repository: 'acme/web', tag: '1.4.2' },
      text: 'ghcr.io/acme/web:1.4.2',
    });
    expect(kubeTo(`web@${digest}`)).toMatchObject({
      kind: 'image',
      ref: { registry: 'docker.io', repository: 'library/web', digest },
    });
    expect(kubeTo('')).toEqual({ kind: 'previous' });
  });

  it('takes a colour for blue-green and nothing else', () => {
    expect(parseTo(' green ', { provider: 'blue-green', colors: ['blue', 'green'], prefix: 'v' })).toEqual({
      kind: 'colour',
      colour: 'green',
    });
    expect(() => parseTo('1.4.2', { provider: 'blue-green', colors: ['blue', 'green'], prefix: 'v' })).toThrow(
      ConfigError,
    );
  });
});
