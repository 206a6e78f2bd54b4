import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../actions/check-dependencies/src/step.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

// The step in-process on the local platform, against real loopback servers.
let dir: string;
let flapping: TestServer;
let consul: TestServer;
const seenTokens: (string | undefined)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-cd-'));
  // Fails twice, then healthy: a dependency that is still starting.
  flapping = await httpServer((_req, res, hit) => {
    res.writeHead(hit <= 2 ? 503 : 200);
    res.end();
  });
  consul = await httpServer((req, res) => {
    seenTokens.push(req.headers['x-consul-token'] as string | undefined);
    const name = decodeURIComponent(new URL(req.url!, 'http://x').pathname.split('/').pop()!);
    const n = name === 'registry' ? 2 : 0;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({
          Node: { Node: `n${i}`, Address: '127.0.0.1' },
          Service: { ID: `${name}-${i}`, Service: name, Port: 8000 + i },
          Checks: [{ Status: 'passing' }],
        })),
      ),
    );
  });
});
afterAll(async () => {
  await flapping.close();
  await consul.close();
});

async function runStep(config: string, flags: Record<string, string>, env: Record<string, string> = {}) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, config);
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env,
    flags: { config: file, interval: '50ms', timeout: '3s', ...flags },
    json: true,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  const code = await run(checkDependencies, platform);
  return { code, outputs: { ...platform.outputs }, log: io.err };
}

describe('check-dependencies', () => {
  it('waits for a flapping dependency and consults Consul with the token, without printing it', async () => {
    const r = await runStep(
      `services:\n  registry: { health: "consul:registry" }\n  db: { health: "${flapping.url}/health" }\n  api: { dependencies: [registry, db] }\n`,
      { service: 'api', 'consul-url': consul.url, 'min-instances': '2' },
      { CONSUL_HTTP_TOKEN: 'tok-123456' },
    );
    expect(r.code).toBe(0);
    expect(r.outputs.healthy).toBe('true');
    expect(r.log).toMatch(/\| db \| .* \| ✅ healthy \| .* \| 3 \|/);
    expect(seenTokens).toContain('tok-123456');
    expect(r.log).not.toContain('tok-123456');
  });

  it('masks the credentials of consul-url and health URLs, also in validation errors and with undecodable escapes', async () => {
    const config = 'services:\n  registry: { health: "consul:registry" }\n';
    const flag = await runStep(config, { 'consul-url': 'ftp://admin:c0nsulPa55@127.0.0.1:1', timeout: '200ms' });
    expect(flag.code).toBe(1);
    expect(flag.log).toContain('consul-url must be an http(s) URL');
    expect(flag.log).not.toContain('c0nsulPa55');

    const invalid = await runStep(
      'services:\n  db: { health: "http://u:hea1thPa55@exa mple/x?token=hea1thTok" }\n',
      {},
    );
    expect(invalid.code).toBe(2);
    expect(invalid.log).toContain("Service 'db': health");
    expect(invalid.log).not.toMatch(/hea1thPa55|hea1thTok/);

    // `%zz` does not decode: the password is used and masked as written instead of crashing the step (exit 70).
    const odd = await runStep(
      `services:\n  db: { health: "http://u:Bad%zzPa55@127.0.0.1:${flapping.port}/health?token=a+b%2Bc" }\n`,
      {},
    );
    expect(odd.code).toBe(0);
    expect(odd.log).not.toMatch(/Bad%zzPa55|a\+b%2Bc|a b\+c|a\+b\+c/);
  });

  it('reports too few Consul instances as unhealthy', async () => {
    const r = await runStep('services:\n  registry: { health: "consul:registry" }\n', {
      'consul-url': consul.url,
      'min-instances': '3',
      timeout: '300ms',
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.outputs.unhealthy)).toEqual(['registry']);
    expect(r.log).toContain('2 passing instances, need 3');
  });

  it('probes nothing and passes when check-health is false', async () => {
    const r = await runStep('services:\n  a: { health: "http://127.0.0.1:9/x" }\n', { 'check-health': 'false' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ healthy: 'true', unhealthy: '[]', order: '["a"]' });
  });

  it('reports level and deploy_order problems as warnings unless strict is true', async () => {
    const config = 'services:\n  a: { level: 2 }\n  b: { level: 1, dependencies: [a] }\n';
    const strict = await runStep(config, { 'check-health': 'false', strict: 'true' });
    expect(strict.code).toBe(2);
    expect(strict.log).toContain(
      ":3: Service 'b' has level 1, not above its dependency 'a' (level 2). b should be level 3, or drop `level`.",
    );
    const lax = await runStep(config, { 'check-health': 'false' });
    expect(lax.code).toBe(0);
    expect(lax.log).toContain('warning: ');
    expect(lax.outputs.waves).toBe('[["a"],["b"]]');
  });

  it('rejects a service that is not in the file, naming the closest', async () => {
    const r = await runStep('services:\n  orders: {}\n', { service: 'order' });
    expect(r.code).toBe(2);
    expect(r.log).toContain("Input 'service' is 'order', which is not in");
    expect(r.log).toContain("Did you mean 'orders'?");
  });

  it('rejects consul checks without a Consul address, and bad expect-status, before probing', async () => {
    const noConsul = await runStep('services:\n  a: { health: "consul:a" }\n', {});
    expect(noConsul.code).toBe(2);
    expect(noConsul.log).toContain("input 'consul-url' is empty");
    const badStatus = await runStep('services:\n  a: { health: "http://127.0.0.1:9/" }\n', {
      'expect-status': '200,abc',
    });
    expect(badStatus.code).toBe(2);
    expect(badStatus.log).toContain("Input 'expect-status' is '200,abc'");
  });

  it('uses CONSUL_HTTP_ADDR without a scheme when consul-url is empty', async () => {
    const r = await runStep(
      'services:\n  registry: { health: "consul:registry" }\n',
      {},
      { CONSUL_HTTP_ADDR: consul.url.replace('http://', '') },
    );
    expect(r.code).toBe(0);
  });

  it('names a missing config file and the fix', async () => {
    const io = { out: '', err: '' };
    const platform = new LocalPlatform({
      env: {},
      flags: { config: join(dir, 'nope.yml') },
      stdout: (t) => void (io.out += t),
      stderr: (t) => void (io.err += t),
    });
    expect(await run(checkDependencies, platform)).toBe(2);
    expect(io.err).toContain(`Input 'config' is '${join(dir, 'nope.yml')}': no such file.`);
  });

  it('rejects a health address that is not a URL, with its line', async () => {
    const r = await runStep('services:\n  a: {}\n  b:\n    health: "not a url"\n', {});
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/:4: Service 'b': health 'not a url' is not a health address/);
  });

  it('never prints credentials from health URLs', async () => {
    const url = flapping.url.replace('http://', 'http://probe:hunter2-pass@') + '/health?token=tok-in-query';
    const r = await runStep(`services:\n  db: { health: "${url}" }\n  api: { dependencies: [db] }\n`, {
      service: 'api',
    });
    expect(r.code).toBe(0);
    expect(r.log).toContain('***');
    expect(r.log).not.toContain('hunter2-pass');
    expect(r.log).not.toContain('tok-in-query');
  });

  it('prints a progress line while it waits', async () => {
    const r = await runStep(`services:\n  a: { health: "http://127.0.0.1:9/x" }\n`, {
      timeout: '2500ms',
      interval: '100ms',
    });
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/Waiting for 1 of 1: a \(1(\.\d)?s of 2\.5s\)/);
  });
});
