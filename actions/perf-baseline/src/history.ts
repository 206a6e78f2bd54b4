import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { ConfigError, errorMessage } from '../../../shared/src/errors.js';
import type { Numbers, StoredParams } from './result.js';

/** One run as the history file keeps it: one JSON object per line. */
export interface HistoryEntry {
  time: string;
  /** The commit the job ran on; absent outside CI when git does not know it. */
  commit?: string;
  /** `open` (a rate was given) or `closed`. */
  model: 'open' | 'closed';
  rps: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  errorRate: number;
  late: number;
  dropped: number;
}

/** How many runs the chart shows. */
export const CHART_RUNS = 20;

export function historyEntry(n: Numbers, params: StoredParams, commit: string | undefined, time: Date): HistoryEntry {
  const r = (x: number) => Number(x.toFixed(3));
  return {
    time: time.toISOString(),
    ...(commit ? { commit } : {}),
    model: params.rate ? 'open' : 'closed',
    rps: r(n.rps),
    p50: r(n.p50),
    p90: r(n.p90),
    p95: r(n.p95),
    p99: r(n.p99),
    errorRate: n.errorRate,
    late: n.late,
    dropped: n.dropped,
  };
}

/**
 * The earlier runs; a missing file is a first run. Lines that are not entries (a hand edit, a cut-off write) are
 * skipped and counted, so one bad line does not cost the whole history.
 */
export function readHistory(path: string): { entries: HistoryEntry[]; skipped: number } {
  if (!existsSync(path)) return { entries: [], skipped: 0 };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `Input 'history' is '${path}', which cannot be read (${errorMessage(err)}). Expected a JSON-lines file written by perf-baseline, or a path where none exists yet.`,
    );
  }
  const entries: HistoryEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e?.time === 'string' && [e.rps, e.p50, e.p95, e.p99].every((x) => typeof x === 'number'))
        entries.push(e);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}

export function appendHistory(path: string, entry: HistoryEntry): void {
  try {
    appendFileSync(path, JSON.stringify(entry) + '\n');
  } catch (err) {
    throw new ConfigError(
      `Input 'history' is '${path}', which cannot be written (${errorMessage(err)}). Expected a writable file path such as perf-history.jsonl.`,
    );
  }
}

/**
 * The last runs as two Mermaid line charts (GitHub and GitLab both render xychart-beta): latency percentiles, and
 * rps on its own scale. xychart-beta has no legend, so the title names the lines in the order they are drawn.
 */
export function historyCharts(entries: HistoryEntry[]): string[] {
  const last = entries.slice(-CHART_RUNS);
  const labels = last.map((e, i) =>
    JSON.stringify(e.commit ? e.commit.slice(0, 7) : `#${entries.length - last.length + i + 1}`),
  );
  const round = (x: number) => Number(x.toPrecision(3));
  const chart = (title: string, unit: string, lines: number[][]) => {
    const top = round(Math.max(...lines.flat()) * 1.15) || 1;
    return [
      'xychart-beta',
      `  title "${title}"`,
      `  x-axis [${labels.join(', ')}]`,
      `  y-axis "${unit}" 0 --> ${top}`,
      ...lines.map((l) => `  line [${l.map(round).join(', ')}]`),
    ].join('\n');
  };
  return [
    chart(`Latency of the last ${last.length} runs (ms): p50, p95, p99 from bottom to top`, 'ms', [
      last.map((e) => e.p50),
      last.map((e) => e.p95),
      last.map((e) => e.p99),
    ]),
    chart(`Requests per second of the last ${last.length} runs`, 'req/s', [last.map((e) => e.rps)]),
  ];
}
