import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair, type ColourServer } from '../helpers/colours.js';
import { waitFor } from '../../shared/src/testing/daemons.js';
import {
  haproxyActive,
  haproxyWeights,
  startHaproxy,
  type Haproxy,
} from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { startPrometheus, type Prometheus } from '../../shared/src/metrics/testing/prometheus.js';
import { closedPort } from '../../shared/src/http/testing/servers.js';
import { runSwitch } from '../helpers/switch.js';

// Metric analysis against a real Prometheus scraping the two colours; the router is a real HAProxy.
let haproxy: Haproxy;
let prometheus: Prometheus;
let pair: Awaited<ReturnType<typeof colourPair>>;

beforeAll(async () => {
  pair = await colourPair();
  haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
  prometheus = await startPrometheus([pair.blue.address, pair.green.address]);
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  await haproxy?.stop();
  await pair?.close();
});

const active = async () => (await haproxyActive(haproxy))!;

const idleOf = async (): Promise<ColourServer> => ((await active()) === 'blue' ? pair.green : pair.blue);

function flags(target: ColourServer, extra: Record<string, string>): Record<string, string> {
  return {
    provider: 'haproxy',
    'haproxy-socket': haproxy.socket,
    'haproxy-backend': 'web',
    target: target.colour,
    'health-url': `${target.url}/healthz`,
    'healthy-threshold': '2',
    steps: '50,100',
    'step-interval': '1s',
    'prometheus-url': prometheus.url,
    'analysis-query': `max(app_error_ratio{color="${target.colour}"})`,
    'analysis-max': '0.05',
    ...extra,
  };
}

describe('blue-green-switch with Prometheus analysis', () => {
  it('passes each step when the query is within bounds and shows the value', async () => {
    const target = await idleOf();
    const r = await runSwitch(flags(target, {}));
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active: target.colour, switched: 'true' });
    expect(r.log).toMatch(/\| 1 \|.*\| ✅ 0 ≤ 0\.05 \|.*\n\| 2 \|.*\| ✅ 0 ≤ 0\.05 \|/);
    expect(await active()).toBe(target.colour);
  });

  it('reverts when the analysis breaches its bound', async () => {
    const before = await active();
    const target = await idleOf();
    target.errorRatio = 0.5;
    try {
      // Prometheus must have scraped the bad value before the first step's analysis runs.
      const bad = `app_error_ratio{color="${target.colour}"} == 0.5`;
      await waitFor(
        'Prometheus to scrape the bad value',
        async () => (await prometheus.query(bad)).length > 0,
        15_000,
        250,
      );
      const r = await runSwitch(flags(target, {}));
      expect(r.code, r.log).toBe(1);
      expect(r.outputs).toMatchObject({ active: before, switched: 'false', reverted: 'true' });
      expect(r.log).toContain(`Reverted to ${before}: analysis failed: 0.5 is above analysis-max 0.05`);
      expect(await active()).toBe(before);
    } finally {
      target.errorRatio = 0;
    }
  });

  it.each([
    ['no data', 'max(no_such_metric)', /analysis failed: no data: the query returned no series/],
    ['several series', 'app_error_ratio', /analysis failed: 2 series, expected one/],
    ['NaN', 'max(app_error_ratio) / 0 * 0', /analysis failed: the value is NaN, not a number/],
  ])('treats %s as a failed check and reverts', async (_what, query, reason) => {
    const before = await active();
    const r = await runSwitch(
      flags(await idleOf(), { 'analysis-query': query, steps: '100', 'step-interval': '200ms' }),
    );
    expect(r.code, r.log).toBe(1);
    expect(r.outputs.reverted).toBe('true');
    expect(r.log).toMatch(reason);
    expect(await active()).toBe(before);
  });

  it('refuses an unreachable Prometheus before any traffic moves (exit 3)', async () => {
    const before = await haproxyWeights(haproxy);
    const r = await runSwitch(
      flags(await idleOf(), {
        'prometheus-url': `http://127.0.0.1:${await closedPort()}`,
        steps: '100',
        'step-interval': '200ms',
      }),
    );
    expect(r.code, r.log).toBe(3);
    expect(r.log).toMatch(
      /Cannot check input 'analysis-query' before moving traffic: Prometheus at .* did not answer: .*No traffic moved\./,
    );
    expect(r.log).not.toContain('Health gate');
    expect(await haproxyWeights(haproxy)).toEqual(before);
  });
});

// Everything the switch needs is checked before the first weight changes: the router is read back to prove it.
describe('blue-green-switch checks its preconditions before moving traffic', () => {
  it.each([
    ['an unclosed parenthesis', 'sum(', /unclosed left parenthesis/],
    [
      'a range function on an instant vector',
      'max(rate(app_error_ratio))',
      /expected type range vector in call to function "rate"/,
    ],
  ])('refuses PromQL with %s (exit 2) before any weight change', async (_what, query, reason) => {
    const before = await haproxyWeights(haproxy);
    const r = await runSwitch(
      flags(await idleOf(), { 'analysis-query': query, steps: '10,50,100', 'step-interval': '200ms' }),
    );
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(
      `Input 'analysis-query' is '${query}', which Prometheus at ${prometheus.url} cannot parse:`,
    );
    expect(r.log).toMatch(reason);
    expect(r.log).not.toMatch(/Step 1 of|set weight|Reverting/);
    expect(await haproxyWeights(haproxy)).toEqual(before);
  });

  it.each([
    [
      'under a regular file',
      (dir: string) => (writeFileSync(join(dir, 'plain'), 'x'), join(dir, 'plain', 'state.json')),
      /is not a directory/,
    ],
    [
      'that is a directory',
      (dir: string) => (mkdirSync(join(dir, 'state.json')), join(dir, 'state.json')),
      /it is a directory/,
    ],
  ])('refuses a state file %s (exit 2): traffic unchanged, no state written', async (_what, make, why) => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-unwritable-'));
    const stateFile = make(dir);
    const files = readdirSync(dir, { recursive: true }).sort();
    const before = await haproxyWeights(haproxy);
    const r = await runSwitch(
      flags(await idleOf(), { 'state-file': stateFile, steps: '100', 'step-interval': '200ms' }),
    );
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(`Input 'state-file' is '${stateFile}', but it cannot be written:`);
    expect(r.log).toMatch(why);
    expect(await haproxyWeights(haproxy)).toEqual(before);
    expect(readdirSync(dir, { recursive: true }).sort(), 'no state (nor a probe) written').toEqual(files);
  });

  it('creates a missing state file directory only after the switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-writable-'));
    const stateFile = join(dir, 'nested', 'state.json');
    const target = await idleOf();
    const r = await runSwitch(flags(target, { 'state-file': stateFile, steps: '100', 'step-interval': '200ms' }));
    expect(r.code, r.log).toBe(0);
    expect(await haproxyActive(haproxy)).toBe(target.colour);
    expect(existsSync(stateFile)).toBe(true);
  });
});
