import type { StepSchema } from '../../../shared/src/inputs.js';
import { githubVars, gitlabVars } from '../../../shared/src/platform/variables.js';

export const schema = {
  name: 'perf-baseline',
  title: 'Load-test an HTTP endpoint, gate on thresholds and on regression against a stored baseline',
  description:
    "Sends load to one HTTP endpoint (after a pre-flight request and an uncounted warm-up): at a fixed arrival rate with latencies counted from each request's intended send time (open model), or as fast as a number of connections allow with autocannon (closed model). Gates on absolute latency, throughput and error thresholds, and compares with an earlier result with a bootstrap confidence interval, so that runner noise is not reported as a regression. Writes a result file (with the full latency histogram) that later runs use as their baseline and that shards of a CI matrix merge exactly.",
  inputs: {
    url: {
      type: 'string',
      required: true,
      description: 'The endpoint to load, e.g. `http://127.0.0.1:8080/api/orders`.',
    },
    method: {
      type: 'enum',
      default: 'GET',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      description: 'HTTP method of every request.',
    },
    headers: {
      type: 'lines',
      description:
        'Request headers, one `Name: value` per line. Values of credential headers (Authorization, Cookie, *token*, *key*) are masked in logs and never stored in the result.',
    },
    body: {
      type: 'string',
      description:
        'Request body, sent as is (set `Content-Type` in `headers`). `@path/to/file.json` sends the contents of that file; start with `@@` to send a literal `@`.',
    },
    connections: {
      type: 'integer',
      default: '10',
      min: 1,
      description:
        'Closed model: concurrent connections, each sending its next request when the answer arrives. Open model (`rate`): connections opened at first, more when all are busy, up to `max-connections`.',
    },
    'max-connections': {
      type: 'string',
      description:
        'Open model: most connections open at once; when all are busy, requests wait and are counted `late` (and `dropped` past 5 s). Empty: the same as `connections`.',
    },
    duration: { type: 'duration', default: '30s', description: 'How long each measured run lasts (at least 1s).' },
    warmup: {
      type: 'duration',
      default: '5s',
      description: 'Load sent before each run and never counted (JIT, caches, connection pools). `0` for none.',
    },
    // text, not an integer input: a GitLab component input of type number cannot be empty, and 0 would mean "none"
    rate: {
      type: 'string',
      description:
        'Open model: this many requests per second in total, each with an intended send time, its latency counted from that time (no coordinated omission). Empty: the closed model, as fast as the connections allow.',
    },
    arrival: {
      type: 'enum',
      default: 'even',
      options: ['even', 'poisson'],
      description:
        'Open model: requests evenly spaced, or at random independent times averaging `rate` (`poisson`, as real users arrive).',
    },
    workers: {
      type: 'integer',
      default: '1',
      min: 1,
      description:
        'Worker threads that generate the load, each with its share of the connections; raise it when one core cannot saturate the service.',
    },
    runs: {
      type: 'integer',
      default: '1',
      min: 1,
      description: 'Measure this many times; with 3 or more the regression test uses the spread between runs.',
    },
    'max-p50': { type: 'duration', description: 'Fail when the median latency is above this, e.g. `50ms`.' },
    'max-p95': { type: 'duration', description: 'Fail when the 95th percentile latency is above this, e.g. `150ms`.' },
    'max-p99': { type: 'duration', description: 'Fail when the 99th percentile latency is above this, e.g. `300ms`.' },
    'min-rps': { type: 'string', description: 'Fail when fewer requests per second were answered, e.g. `500`.' },
    'max-error-rate': {
      type: 'string',
      description:
        'Fail when the share of non-2xx answers and socket errors is above this: a percentage with `%` (`1%`, `0.5%`) or a fraction below 1 as the `error-rate` output gives it (`0.01`).',
    },
    baseline: {
      type: 'string',
      description:
        'Path of an earlier result file (from `save`) to compare with. A missing file is a warning (first run, cache miss) and gives `regressed=unknown`.',
    },
    'max-regression': {
      type: 'string',
      default: 'p95:+10%,rps:-10%',
      description:
        'Allowed change against the baseline, per metric (`p50`, `p90`, `p95`, `p99` may rise, `rps` may fall by at most this much). A regression is reported only when the whole 95 % confidence interval is past the limit.',
    },
    save: {
      type: 'string',
      default: 'perf-result.json',
      description: 'Path to write this result to (the baseline of later runs).',
    },
    merge: {
      type: 'lines',
      description:
        'Result files of parallel shards (one path per line) to combine instead of running load: the histograms are added, so the merged percentiles are exact. Results of runs that did not overlap in time are refused: their rps must not be summed.',
    },
    history: {
      type: 'string',
      default: 'perf-history.jsonl',
      description:
        'A JSON-lines file of earlier runs (keep it with a cache or artifact, like `save`; the GitLab component does both): this run is appended with its commit and time, and the summary charts the last 20 runs (p50, p95, p99 and rps).',
    },
    comment: {
      type: 'boolean',
      default: 'false',
      description: `Upsert one PR comment (GitHub, ${githubVars.token}) or MR note (GitLab, GITLAB_TOKEN or ${gitlabVars.jobToken}) with the verdict, the results table and the history chart, updated on every run.`,
    },
  },
  outputs: {
    rps: { type: 'number', description: 'Answered requests per second (sum over shards when merging).' },
    'p50-ms': {
      type: 'number',
      description: 'Median latency in milliseconds (open model: from the intended send time).',
    },
    'p90-ms': { type: 'number', description: '90th percentile latency in milliseconds.' },
    'p95-ms': { type: 'number', description: '95th percentile latency in milliseconds.' },
    'p99-ms': { type: 'number', description: '99th percentile latency in milliseconds.' },
    late: {
      type: 'number',
      description:
        'Open model: requests that had to wait for a connection (all `max-connections` busy) or left over 100 ms after their intended time (the generator fell behind); 0 in the closed model.',
    },
    dropped: {
      type: 'number',
      description:
        'Open model: requests not sent at all, because they could not leave within 5 s of their intended time (k6: dropped_iterations).',
    },
    'error-rate': {
      type: 'number',
      description: 'Share of requests that got a non-2xx answer or a socket error, as a fraction (`0.0123`).',
    },
    passed: {
      type: 'boolean',
      description: '`true` when every threshold held and nothing regressed (the step exits 0).',
    },
    regressed: {
      type: 'boolean',
      description: '`true` or `false` against the baseline; `unknown` when there is none or it cannot be compared.',
    },
    result: { description: 'Path of the result JSON written by this run.' },
  },
  artifacts: {
    reports: { load_performance: 'load-performance.json' },
    paths: ['load-performance.json', '$[[ inputs.save ]]', '$[[ inputs.history ]]'],
    // the history outlives the pipeline: each branch keeps its own and starts from the default branch's
    cache: {
      key: `perf-history-$${gitlabVars.refSlug}`,
      fallbackKeys: [`perf-history-$${gitlabVars.defaultBranch}`],
      paths: ['$[[ inputs.history ]]'],
    },
  },
} as const satisfies StepSchema;
