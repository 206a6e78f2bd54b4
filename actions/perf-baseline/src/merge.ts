import { ConfigError } from '../../../shared/src/errors.js';
import { redactUrl } from '../../../shared/src/http/url-secrets.js';
import { combineConcurrent } from './measurement.js';
import { buildResult, paramDifferences, readResult, type Result } from './result.js';

/**
 * Combines the results of shards that loaded the same endpoint at the same time from several runners (a CI
 * matrix). Run j of every shard ran together, so their histograms and per-second buckets add up; the merged
 * percentiles are those of one histogram over every request of every shard.
 */
export function mergeResults(paths: string[], url: string): { result: Result; notes: string[] } {
  const shards = paths.map((p) => readResult('merge', p));
  const [first] = shards;
  const problems: string[] = [];
  shards.forEach((s, i) => {
    // Result files hold the URL without its credentials (see storedParams).
    if (s.file.params.url !== redactUrl(url))
      problems.push(`'${paths[i]}' loaded ${s.file.params.url}, not 'url' ${url}`);
    if (i === 0) return;
    const diff = paramDifferences(first.file.params, { ...s.file.params, shards: first.file.params.shards });
    if (diff.length) problems.push(`'${paths[i]}' differs from '${paths[0]}': ${diff.join('; ')}`);
    if (s.runs.length !== first.runs.length)
      problems.push(`'${paths[i]}' has ${s.runs.length} runs, '${paths[0]}' ${first.runs.length}`);
  });
  if (problems.length) {
    throw new ConfigError(
      `Input 'merge' lists results that were not shards of one load:\n${problems.map((p) => `- ${p}`).join('\n')}\nRun every shard with the same inputs.`,
    );
  }
  const notes = checkSimultaneous(shards, paths);
  const runs = first.runs.map((_, j) => combineConcurrent(shards.map((s) => s.runs[j])));
  const params = { ...first.file.params, shards: shards.reduce((n, s) => n + s.file.params.shards, 0) };
  return { result: buildResult(params, first.file.environment, runs), notes };
}

/** Shards of a matrix start within seconds of each other; results whose loads do not overlap at all ran in turn. */
const PARTIAL_OVERLAP = 0.8;
/** Back-to-back runs touch at the ends (start-up, pre-flight): this little overlap is still one after the other. */
const SEQUENTIAL_OVERLAP = 0.1;

/**
 * Summing the rps of runs that went one after the other would report a throughput the service never had, so they
 * are refused; shards that overlapped only in part are merged with a note (their rps sum is then an overestimate).
 */
function checkSimultaneous(shards: Result[], paths: string[]): string[] {
  const windows = shards.map((s) => {
    const p = s.file.params;
    const length = p.runs * (p.warmupMs + p.durationMs);
    // older results have no start: their load ended about when they were written
    const start = s.runs[0].startedAt ?? Date.parse(s.file.createdAt) - length;
    return { start, end: start + length };
  });
  const clock = (t: number) => new Date(t).toISOString().slice(11, 19);
  const span = (i: number) => `'${paths[i]}' ran ${clock(windows[i].start)}–${clock(windows[i].end)} UTC`;
  const apart: string[] = [];
  let least = 1;
  windows.forEach((w, i) => {
    if (i === 0) return;
    const shared = Math.min(w.end, windows[0].end) - Math.max(w.start, windows[0].start);
    const overlap = shared / Math.min(w.end - w.start, windows[0].end - windows[0].start);
    if (overlap <= SEQUENTIAL_OVERLAP) apart.push(`${span(i)}, ${span(0)}`);
    least = Math.min(least, overlap);
  });
  if (apart.length) {
    throw new ConfigError(
      `Input 'merge' lists results that ran one after the other, not at the same time:\n${apart.map((a) => `- ${a}`).join('\n')}\nOnly shards of one load (a CI matrix running together) are merged: their requests per second add up, those of sequential runs do not. Compare sequential runs with 'baseline', or use 'runs' to repeat a load in one job.`,
    );
  }
  return least < PARTIAL_OVERLAP
    ? [
        `The shards overlapped for only ${Math.round(least * 100)} % of their load: their summed rps is more than the service answered at any moment.`,
      ]
    : [];
}
