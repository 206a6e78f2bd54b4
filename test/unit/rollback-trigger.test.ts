import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TriggerConfig } from '../../actions/rollback/src/config.js';
import { watchTrigger } from '../../actions/rollback/src/trigger.js';
import { FakeClock } from '../../shared/src/clock.js';
import { ExternalError } from '../../shared/src/errors.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { startQueryApi, type QueryAnswer, type QueryApi } from '../../shared/src/metrics/testing/query-api.js';

// The watch loop on a FakeClock (no sleeping) against a real HTTP server that answers /api/v1/query as Prometheus
// does, one scripted answer per evaluation: a number, NaN, an empty vector or a query error.
let answers: QueryAnswer[] = [];
let queries: string[] = [];
/** When set, every query moves this clock forward, as a slow Prometheus would. */
let queryClock: { clock: FakeClock; costMs: number } | undefined;

let server: QueryApi;
let log: string[];
let platform: LocalPlatform;
beforeAll(async () => {
  server = await startQueryApi(() => {
    queryClock?.clock.advance(queryClock.costMs);
    return answers.shift() ?? 0;
  });
  queries = server.queries;
});
afterAll(() => server.close());
beforeEach(() => {
  queries.length = 0;
  log = [];
  platform = new LocalPlatform({ env: {}, stdout: (t) => void log.push(t), stderr: (t) => void log.push(t) });
});

const trigger = (extra: Partial<TriggerConfig> = {}): TriggerConfig => ({
  url: server.url,
  query: 'sum(rate(errors[1m])) / sum(rate(requests[1m]))',
  bounds: { max: 0.05 },
  watchMs: 6000,
  intervalMs: 1000,
  ...extra,
});

describe('watchTrigger', () => {
  it('evaluates every interval from the start to the end of the watch, and reports no breach', async () => {
    answers = [0.01, 0.02, 0.03, 0.01, 0.04, 0.05, 0.02];
    const clock = new FakeClock();
    const w = await watchTrigger(trigger(), { clock, platform });
    expect(w.breach).toBeUndefined();
    expect(w.evaluations.map((e) => e.atMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(w.evaluations.map((e) => e.value)).toEqual([0.01, 0.02, 0.03, 0.01, 0.04, 0.05, 0.02]);
    expect(w.elapsedMs).toBe(6000);
    expect(queries).toHaveLength(7);
    expect(queries[0]).toBe('sum(rate(errors[1m])) / sum(rate(requests[1m]))');
  });

  it('stops at the first value above trigger-max and says which evaluation breached', async () => {
    answers = [0.01, 0.02, 0.08, 0.01];
    const clock = new FakeClock();
    const w = await watchTrigger(trigger(), { clock, platform });
    expect(w.breach).toMatchObject({ ok: false, value: 0.08, atMs: 2000, reason: '0.08 is above trigger-max 0.05' });
    expect(w.evaluations).toHaveLength(3);
    expect(clock.now()).toBe(2000);
    expect(log.join('')).toContain('Trigger breached at evaluation 3 (2s): 0.08 is above trigger-max 0.05');
  });

  it('breaches on trigger-min too', async () => {
    answers = [0.99, 0.9];
    const w = await watchTrigger(trigger({ bounds: { min: 0.95 } }), { clock: new FakeClock(), platform });
    expect(w.breach?.reason).toBe('0.9 is below trigger-min 0.95');
  });

  it('counts an evaluation without a number as a warning, never as a breach', async () => {
    answers = [0.01, 'error', 'NaN', 'empty', 0.02, 0.01, 0.01];
    const w = await watchTrigger(trigger(), { clock: new FakeClock(), platform });
    expect(w.breach).toBeUndefined();
    expect(w.failed).toBe(3);
    const text = log.join('');
    expect(text).toContain(
      'Trigger evaluation 2 (1s) failed, not counted as a breach: Prometheus error (bad_data): parse error at char 5',
    );
    expect(text).toContain('Trigger evaluation 3 (2s) failed, not counted as a breach: the value is NaN, not a number');
    expect(text).toContain(
      'Trigger evaluation 4 (3s) failed, not counted as a breach: no data: the query returned no series',
    );
  });

  it('fails with exit 3 when every evaluation failed: nothing was watched', async () => {
    answers = ['error', 'error', 'empty'];
    const err = await watchTrigger(trigger({ watchMs: 2000 }), { clock: new FakeClock(), platform }).catch(
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toContain('Could not watch the trigger: all 3 evaluations of');
    expect((err as Error).message).toContain('Nothing was rolled back');
  });

  it('keeps to the schedule when a query takes part of the interval', async () => {
    answers = [0.01, 0.01, 0.01];
    const clock = new FakeClock();
    queryClock = { clock, costMs: 300 };
    try {
      const w = await watchTrigger(trigger({ watchMs: 2000 }), { clock, platform });
      // each evaluation is stamped when its answer arrives, 300 ms after its start; the starts stay 1 s apart
      expect(w.evaluations.map((e) => e.atMs)).toEqual([300, 1300, 2300]);
    } finally {
      queryClock = undefined;
    }
  });
});
