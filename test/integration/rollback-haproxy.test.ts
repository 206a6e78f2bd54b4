import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { waitFor } from '../../shared/src/testing/daemons.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { startLoad } from '../../shared/src/http/testing/load.js';
import { startPrometheus, type Prometheus } from '../../shared/src/metrics/testing/prometheus.js';
import { runRollback } from '../helpers/rollback.js';
import { realClock, type Clock } from '../../shared/src/clock.js';

// The automated rollback: a real HAProxy serving green after a switch from blue, a real Prometheus scraping both
// colours, autocannon load through HAProxy. The trigger watches green's error ratio; when it breaches, traffic goes
// back to blue without one failed request.
let haproxy: Haproxy;
let prometheus: Prometheus;
let pair: Awaited<ReturnType<typeof colourPair>>;
let dir: string;
let stateFile: string;

beforeAll(async () => {
  pair = await colourPair();
  // green first: it has the traffic, as after blue-green-switch moved it from blue
  [haproxy, prometheus] = await Promise.all([
    startHaproxy({ servers: { green: pair.green.address, blue: pair.blue.address } }),
    startPrometheus([pair.blue.address, pair.green.address]),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'shipgate-rollback-haproxy-'));
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  await haproxy?.stop();
  await pair?.close();
});

/** The record blue-green-switch leaves after moving traffic from blue to green. */
function switched(): void {
  stateFile = join(dir, 'web.json');
  writeFileSync(
    stateFile,
    JSON.stringify({
      active: 'green',
      previous: 'blue',
      weights: { blue: 0, green: 100 },
      time: '2024-05-01T10:00:00.000Z',
      who: 'octocat',
    }),
  );
}

function flags(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'blue-green',
    backend: 'haproxy',
    'haproxy-socket': haproxy.socket,
    'haproxy-backend': 'web',
    'state-file': stateFile,
    // the colours listen on different ports of one host; the state file says blue is the target
    'health-url': `${pair.blue.url}/healthz`,
    'healthy-threshold': '2',
    'health-timeout': '5s',
    'prometheus-url': prometheus.url,
    'trigger-query': 'max(app_error_ratio{color="green"})',
    'trigger-max': '0.05',
    watch: '6s',
    'watch-interval': '1s',
    ...extra,
  };
}

/** No trigger: a manual rollback. */
const manual = { 'prometheus-url': '', 'trigger-query': '', 'trigger-max': '' };

describe('rollback blue-green on HAProxy with a Prometheus trigger', () => {
  it('watches, stays put while the query is within bounds, and changes nothing (exit 0)', async () => {
    switched();
    const r = await runRollback(flags({ watch: '3s' }));
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toEqual({
      'rolled-back': 'false',
      triggered: 'false',
      from: 'green',
      to: 'blue',
      dependents: '[]',
    });
    expect(r.log).toMatch(/Trigger evaluation 4 \(3s\): 0 ≤ 0\.05/);
    expect(r.log).toContain('the trigger did not breach in 3s: nothing rolled back');
    expect(await haproxyWeights(haproxy)).toEqual({ green: 100, blue: 0 });
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ active: 'green', previous: 'blue' });
  });

  it('rolls back to blue when green breaches during the watch, under load with zero failed requests, and fails the job', async () => {
    switched();
    const { blue, green } = pair;
    const load = startLoad(haproxy.url, { connections: 8 });
    try {
      await waitFor('load to reach green', () => green.hits > 50);
      const blueHits = blue.hits;
      // green starts failing two seconds into the watch
      const breach = new Promise((resolve) => setTimeout(resolve, 2000)).then(() => (green.errorRatio = 0.3));
      const r = await runRollback(flags(), { GITHUB_ACTOR: 'octocat' });
      await breach;
      expect(r.code, r.log).toBe(1);
      expect(r.outputs).toEqual({
        'rolled-back': 'true',
        triggered: 'true',
        from: 'green',
        to: 'blue',
        dependents: '[]',
      });
      expect(r.log).toMatch(/Trigger breached at evaluation \d+ \(\d+(\.\d)?s\): 0\.3 is above trigger-max 0\.05/);
      expect(r.log).toContain('Rolled back green → blue because the trigger breached: 0.3 is above trigger-max 0.05');
      expect(r.log).toContain('**green → blue** via `blue-green via haproxy` · ✅ rolled back (triggered)');
      expect(r.log).toMatch(/\| Router \| ✅ read back: blue 100 % · green 0 % \|/);
      expect(r.log).toMatch(/\| Health after the rollback \| ✅ 2 good in a row/);
      expect(await haproxyWeights(haproxy)).toEqual({ green: 0, blue: 100 });
      await waitFor('load to reach blue', () => blue.hits > blueHits + 50);
      // the next switch or rollback starts from the swap
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
        active: 'blue',
        previous: 'green',
        weights: { blue: 100, green: 0 },
        who: 'octocat',
      });
    } finally {
      green.errorRatio = 0;
      const result = await load.stop();
      expect(result.total).toBeGreaterThan(500);
      expect(result, 'failed requests across the rollback').toMatchObject({ failed: 0 });
    }
  }, 60_000);

  it('does not move traffic to a target that fails its health gate (exit 1, nothing changed)', async () => {
    const before = await haproxyWeights(haproxy);
    const target = before.blue === 100 ? pair.green : pair.blue;
    writeFileSync(
      stateFile,
      JSON.stringify({
        active: target === pair.blue ? 'green' : 'blue',
        previous: target.colour,
        weights: before,
        time: '2024-05-01T10:00:00.000Z',
        who: 'ci',
      }),
    );
    target.health = 'unhealthy';
    try {
      const r = await runRollback(
        flags({ ...manual, 'health-url': `${target.url}/healthz`, 'health-timeout': '1500ms' }),
      );
      expect(r.code, r.log).toBe(1);
      expect(r.outputs).toMatchObject({ 'rolled-back': 'false', triggered: 'false', to: target.colour });
      expect(r.log).toContain(`Not rolled back: ${target.colour} is not healthy, 0 of 2 consecutive good answers`);
      expect(r.log).toContain('Nothing changed;');
      expect(await haproxyWeights(haproxy)).toEqual(before);
    } finally {
      target.health = 'healthy';
    }
  });

  it('prints the runtime commands on a dry run and changes nothing', async () => {
    const before = await haproxyWeights(haproxy);
    const idle = before.blue === 100 ? 'green' : 'blue';
    const r = await runRollback(flags({ ...manual, 'health-url': '', to: idle, 'dry-run': 'true' }));
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain(`dry run: set weight web/${idle} 100`);
    expect(r.outputs).toMatchObject({ 'rolled-back': 'false', to: idle });
    expect(await haproxyWeights(haproxy)).toEqual(before);
  });

  it('refuses a trigger query Prometheus cannot parse at once (exit 2), before the watch', async () => {
    switched();
    const before = await haproxyWeights(haproxy);
    // every wait of the step goes through the clock: none may happen before the refusal
    const sleeps: number[] = [];
    const clock: Clock = { now: realClock.now, sleep: (ms, signal) => (sleeps.push(ms), realClock.sleep(ms, signal)) };
    const start = Date.now();
    const r = await runRollback(
      flags({ 'trigger-query': 'max(app_error_ratio{color="green"}', watch: '60s' }),
      {},
      clock,
    );
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(
      `Input 'trigger-query' is 'max(app_error_ratio{color="green"}', which Prometheus at ${prometheus.url} cannot parse:`,
    );
    expect(r.log).not.toContain('Trigger evaluation');
    expect(sleeps).toEqual([]);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(await haproxyWeights(haproxy)).toEqual(before);
  });
});
