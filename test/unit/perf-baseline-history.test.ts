import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyCharts, readHistory, type HistoryEntry } from '../../actions/perf-baseline/src/history.js';
import { GitHubPlatform, GitLabPlatform } from '../../shared/src/platform/index.js';

const entry = (i: number, commit?: string): HistoryEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  ...(commit ? { commit } : {}),
  model: 'open',
  rps: 200 + i,
  p50: 2 + i,
  p90: 5,
  p95: 8 + i,
  p99: 20 + i,
  errorRate: 0,
  late: 0,
  dropped: 0,
});

describe('perf-baseline history', () => {
  it('charts the last 20 runs: p50, p95, p99 as lines on one chart, rps on another, labelled by short commit', () => {
    const entries = Array.from({ length: 25 }, (_, i) => entry(i, i % 2 ? `${i}`.padStart(40, 'a') : undefined));
    const [latency, rps] = historyCharts(entries);
    const lines = latency.split('\n');
    expect(lines[0]).toBe('xychart-beta');
    expect(lines[1]).toBe('  title "Latency of the last 20 runs (ms): p50, p95, p99 from bottom to top"');
    // runs 6 to 25 of the file: those with a commit by its first 7 characters, the others by their number
    expect(lines[2]).toMatch(/^ {2}x-axis \["aaaaaaa", "#7", "aaaaaaa", "#9", /);
    expect(lines[3]).toBe(`  y-axis "ms" 0 --> ${Number((44 * 1.15).toPrecision(3))}`);
    expect(lines[4]).toBe(`  line [${Array.from({ length: 20 }, (_, i) => 7 + i).join(', ')}]`);
    expect(lines[6]).toBe(`  line [${Array.from({ length: 20 }, (_, i) => 25 + i).join(', ')}]`);
    expect(rps.split('\n')[4]).toBe(`  line [${Array.from({ length: 20 }, (_, i) => 205 + i).join(', ')}]`);
  });

  it('reads a history file, skipping lines that are not runs, and a missing file as no history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-history-'));
    const file = join(dir, 'h.jsonl');
    writeFileSync(file, `${JSON.stringify(entry(1))}\nnot json\n{"time":"x"}\n\n${JSON.stringify(entry(2))}\n`);
    const h = readHistory(file);
    expect(h.entries.map((e) => e.rps)).toEqual([201, 202]);
    expect(h.skipped).toBe(2);
    expect(readHistory(join(dir, 'none.jsonl'))).toEqual({ entries: [], skipped: 0 });
  });

  it('takes the commit from the job context of each platform', () => {
    expect(new GitHubPlatform({ env: { GITHUB_SHA: 'abc1234' } }).commit()).toBe('abc1234');
    expect(new GitLabPlatform({ env: { CI_COMMIT_SHA: 'def5678' } }).commit()).toBe('def5678');
    expect(new GitHubPlatform({ env: {} }).commit()).toBeUndefined();
  });
});
