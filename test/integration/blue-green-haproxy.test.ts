import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair, type ColourServer } from '../helpers/colours.js';
import { waitFor } from '../../shared/src/testing/daemons.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { startLoad } from '../../shared/src/http/testing/load.js';
import { closedPort } from '../../shared/src/http/testing/servers.js';
import { runSwitch } from '../helpers/switch.js';

// A real HAProxy in front of two Node servers; Shipgate drives it through the runtime API while autocannon keeps
// requests flowing, and not one of them may fail.
let haproxy: Haproxy;
let pair: Awaited<ReturnType<typeof colourPair>>;
let dir: string;

beforeAll(async () => {
  pair = await colourPair();
  haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address }, tcpApi: true });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-bg-haproxy-'));
});
afterAll(async () => {
  await haproxy?.stop();
  await pair?.close();
});

function flags(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'haproxy',
    'haproxy-socket': haproxy.socket,
    'haproxy-backend': 'web',
    colors: 'blue,green',
    'health-timeout': '3s',
    'step-interval': '700ms',
    ...extra,
  };
}

/** The colours listen on different ports of one host, so each gets its health URL spelled out. */
const health = (target: ColourServer) => ({ 'health-url': `${target.url}/healthz` });

const weights = () => haproxyWeights(haproxy);

describe('blue-green-switch on HAProxy', () => {
  it('switches blue → green in steps and reverts a flapping blue, under load, with zero failed requests', async () => {
    const { blue, green } = pair;
    const load = startLoad(haproxy.url, { connections: 8 });
    try {
      await waitFor('load to reach blue', () => blue.hits > 50);
      const stateFile = join(dir, 'state.json');
      const first = await runSwitch(
        { ...flags(health(green)), steps: '20,60,100', 'state-file': stateFile },
        { GITHUB_ACTOR: 'octocat' },
      );
      expect(first.code, first.log).toBe(0);
      expect(first.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true', reverted: 'false' });
      expect(JSON.parse(first.outputs.weights)).toEqual({ blue: 0, green: 100 });
      expect(await weights()).toEqual({ blue: 0, green: 100 });
      expect(first.log).toMatch(/blue 80 % · green 20 %[\s\S]*blue 40 % · green 60 %[\s\S]*blue 0 % · green 100 %/);
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
        active: 'green',
        previous: 'blue',
        weights: { blue: 0, green: 100 },
        who: 'octocat',
      });

      // Back to blue, but blue starts flapping as soon as it takes traffic: Shipgate must put green back.
      const blueHits = blue.hits;
      const flap = waitFor('blue to take traffic again', () => blue.hits > blueHits, 20_000, 20).then(
        () => (blue.health = 'flapping'),
      );
      const second = await runSwitch({ ...flags(health(blue)), steps: '30,70,100', 'step-interval': '1500ms' });
      await flap;
      expect(second.code, second.log).toBe(1);
      expect(second.outputs).toMatchObject({ active: 'green', switched: 'false', reverted: 'true' });
      expect(JSON.parse(second.outputs.weights)).toEqual({ blue: 0, green: 100 });
      expect(second.log).toMatch(/Reverted to green: target blue unhealthy while taking 30 % of the traffic/);
      expect(await weights()).toEqual({ blue: 0, green: 100 });
    } finally {
      pair.blue.health = 'healthy';
      const result = await load.stop();
      expect(result.total).toBeGreaterThan(500);
      expect(result, 'failed requests across switch and revert').toMatchObject({ failed: 0 });
    }
    expect(green.hits).toBeGreaterThan(100);
  }, 90_000);

  it('takes one health URL per colour, as colours on two ports need, and shows the gate as it waits', async () => {
    const before = await weights();
    const idle = before.blue === 0 ? pair.blue : pair.green;
    const perColour = {
      'health-url-blue': `${pair.blue.url}/healthz`,
      'health-url-green': `${pair.green.url}/healthz`,
    };
    const r = await runSwitch({ ...flags(perColour), target: idle.colour, steps: '100' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active: idle.colour, switched: 'true' });
    expect(r.log).toContain(`… ${idle.url}/healthz: ok (1/3 in a row)`);
    const half = await runSwitch({ ...flags({ 'health-url-blue': `${pair.blue.url}/healthz` }) });
    expect(half.code).toBe(2);
    expect(half.log).toContain("Input 'health-url-green' is empty, but 'health-url-blue' is set");
  });

  it('does not switch to an unhealthy target (exit 1, nothing changed)', async () => {
    const before = await weights();
    const idle = before.blue === 0 ? pair.blue : pair.green;
    idle.health = 'unhealthy';
    try {
      const r = await runSwitch({ ...flags(health(idle)), 'health-timeout': '1500ms' });
      expect(r.code, r.log).toBe(1);
      expect(r.outputs).toMatchObject({ switched: 'false', reverted: 'false' });
      expect(r.log).toContain(`Target ${idle.colour} is not healthy`);
      expect(await weights()).toEqual(before);
    } finally {
      idle.health = 'healthy';
    }
  });

  it('is a no-op when the target already has all the traffic', async () => {
    const active = (await weights()).blue === 100 ? 'blue' : 'green';
    const r = await runSwitch({ ...flags(), target: active, 'health-url': '' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active, switched: 'false', reverted: 'false' });
  });

  it('prints the runtime commands on a dry run and changes nothing', async () => {
    const before = await weights();
    const target = before.blue === 0 ? pair.blue : pair.green;
    const r = await runSwitch({
      ...flags(health(target)),
      'haproxy-socket': haproxy.tcpSocket!,
      steps: '50,100',
      'dry-run': 'true',
    });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain(`set weight web/${target.colour} 50`);
    expect(r.log).toMatch(/set server web\/\w+ state maint/);
    expect(r.outputs.switched).toBe('false');
    expect(await weights()).toEqual(before);
  });

  it('exits 3 and changes nothing when the runtime API is missing or unreachable', async () => {
    const before = await weights();
    const missing = await runSwitch({ ...flags(), 'haproxy-socket': join(dir, 'no-such.sock') });
    expect(missing.code, missing.log).toBe(3);
    expect(missing.log).toMatch(/HAProxy runtime API at '.*no-such\.sock' \(input 'haproxy-socket'\) failed.*ENOENT/);
    const refused = await runSwitch({ ...flags(), 'haproxy-socket': `127.0.0.1:${await closedPort()}` });
    expect(refused.code, refused.log).toBe(3);
    expect(refused.log).toContain('ECONNREFUSED');
    expect(await weights()).toEqual(before);
  });

  it('lets a request in flight on the old colour finish before putting it in maintenance', async () => {
    const before = await weights();
    const [from, to] = before.blue === 100 ? [pair.blue, pair.green] : [pair.green, pair.blue];
    const hits = from.hits;
    const inFlight = fetch(`${haproxy.url}/slow?ms=2500`).then(async (res) => ({
      status: res.status,
      body: await res.text(),
      at: Date.now(),
    }));
    await waitFor('the slow request to reach the active colour', () => from.hits > hits);
    const r = await runSwitch({ ...flags(health(to)), 'healthy-threshold': '1', 'step-interval': '200ms' });
    const switchedAt = Date.now();
    expect(r.code, r.log).toBe(0);
    expect(await inFlight).toMatchObject({ status: 200, body: from.colour });
    expect(switchedAt).toBeGreaterThanOrEqual((await inFlight).at);
    expect(await weights()).toEqual({ [from.colour]: 0, [to.colour]: 100 });
  });

  it('names a server that is not in the backend (exit 2)', async () => {
    const r = await runSwitch({ ...flags(), colors: 'blue,purple' });
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain("has no server named 'purple'");
    expect(existsSync(haproxy.socket)).toBe(true);
  });
});
