import { createHash } from 'node:crypto';
import { attempts, type Measurement } from './measurement.js';
import type { Numbers } from './result.js';

const CHECK = 'status is 2xx';
/** k6 names groups and checks by the MD5 of their path. */
const md5 = (path: string) => createHash('md5').update(path).digest('hex');

/**
 * GitLab's `load_performance` report: k6's `--summary-export` JSON, of which the merge-request widget reads
 * `metrics.http_reqs.rate` (RPS), `metrics.http_req_waiting["p(90)"]` and `["p(95)"]` (TTFB) and
 * `metrics.checks.passes` / `fails` (Checks). Shipgate's latency is the full response time, which for the small
 * answers of an API is the time to first byte plus microseconds.
 */
export function k6Report(n: Numbers, total: Measurement): object {
  const h = total.histogram;
  const sent = attempts(total);
  const seconds = total.durationMs / 1000;
  const timing = {
    avg: n.mean,
    min: h.totalCount ? h.minNonZeroValue / 1000 : 0,
    med: n.p50,
    max: n.max,
    'p(90)': n.p90,
    'p(95)': n.p95,
  };
  const failed = n.non2xx + n.socketErrors;
  const passes = sent - failed;
  return {
    metrics: {
      http_reqs: { count: sent, rate: n.rps },
      iterations: { count: sent, rate: seconds ? sent / seconds : 0 },
      // the open model's requests that never left (k6's arrival-rate executors name them so)
      dropped_iterations: { count: n.dropped, rate: seconds ? n.dropped / seconds : 0 },
      http_req_duration: timing,
      http_req_waiting: timing,
      http_req_failed: { passes: failed, fails: passes, value: n.errorRate },
      checks: { passes, fails: failed, value: sent ? passes / sent : 0 },
      data_received: { count: total.bytes, rate: seconds ? total.bytes / seconds : 0 },
    },
    root_group: {
      name: '',
      path: '',
      id: md5(''),
      groups: {},
      checks: { [CHECK]: { name: CHECK, path: `::${CHECK}`, id: md5(`::${CHECK}`), passes, fails: failed } },
    },
  };
}
