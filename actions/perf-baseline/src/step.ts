import { existsSync, writeFileSync } from 'node:fs';
import { formatDuration } from '../../../shared/src/duration.js';
import { defineStep } from '../../../shared/src/step.js';
import { plural } from '../../../shared/src/text.js';
import { postComment } from './comment.js';
import { compare, type Comparison } from './compare.js';
import { appendHistory, historyEntry, readHistory } from './history.js';
import { k6Report } from './k6.js';
import { mergeResults } from './merge.js';
import { preflight } from './preflight.js';
import {
  buildResult,
  checkWritable,
  currentEnvironment,
  readResult,
  storedParams,
  writeResult,
  type Result,
} from './result.js';
import { schema } from './schema.js';
import { parseSettings } from './settings.js';
import { renderSummary } from './summary.js';
import { checkThresholds, ms } from './thresholds.js';

/** The GitLab job's `load_performance` report; name it under artifacts:reports (see the README). */
const K6_REPORT = 'load-performance.json';

export const perfBaseline = defineStep({
  schema,
  /** The settings, and every file read and `save` checked, before any load is sent. */
  loadConfig({ inputs, platform }) {
    const settings = parseSettings(inputs, platform.cwd);
    for (const s of settings.secrets) platform.setSecret(s);
    // Every file is read, and `save` checked, before any load is sent: a bad path must not cost a whole load run.
    checkWritable(settings.save);
    const history = readHistory(settings.history);
    checkWritable(settings.history, 'history', 'perf-history.jsonl');
    if (history.skipped)
      platform.warning(
        `History '${settings.history}': ${plural(history.skipped, 'line')} that are not runs of perf-baseline were skipped.`,
      );
    const baselinePath = settings.baseline;
    let baseline: Result | undefined;
    if (baselinePath && existsSync(baselinePath)) baseline = readResult('baseline', baselinePath);
    else if (baselinePath)
      platform.warning(
        `No baseline at '${baselinePath}' (first run, or the cache or artifact was not found): nothing to compare with, regressed=unknown.`,
      );
    return { settings, history, baselinePath, baseline };
  },
  async run(ctx, { settings, history, baselinePath, baseline }) {
    const { inputs, platform, summary } = ctx;
    let result: Result;
    const notes: string[] = [];
    if (settings.merge.length) {
      const merged = mergeResults(settings.merge, settings.load.url);
      result = merged.result;
      notes.push(...merged.notes);
      platform.info(`Merged ${plural(settings.merge.length, 'shard result')}: ${settings.merge.join(', ')}`);
    } else {
      const { load } = settings;
      const pre = await preflight(load);
      platform.info(`Pre-flight ${load.method} ${load.url}: HTTP ${pre.status} in ${ms(pre.ms)}`);
      const model = load.rate
        ? `${load.rate}/s (open model, ${load.arrival} arrivals, up to ${plural(load.maxConnections ?? load.connections, 'connection')})`
        : `${plural(load.connections, 'connection')} (closed model)`;
      // The load engines (node:http, worker threads) load when a load is sent, not when the step starts.
      const { runLoad } = await import('./load/run.js');
      const runs = await platform.group(
        `Load: ${model} for ${formatDuration(load.durationMs)}${load.runs > 1 ? ` × ${load.runs} runs` : ''}`,
        () => runLoad(load, (line) => platform.progress(line)),
      );
      result = buildResult(storedParams(load), currentEnvironment(), runs);
    }
    writeResult(settings.save, result);
    const n = result.file.summary;
    if (n.dropped)
      notes.push(
        `${plural(n.dropped, 'request')} could not be sent within 5 s of their intended time and were dropped: the percentiles leave them out, so the service is slower than they show. Raise 'max-connections'.`,
      );
    else if (n.late)
      notes.push(
        `${plural(n.late, 'request')} left late (every connection was busy, or the generator fell behind); their latency counts from when they should have left.`,
      );
    for (const note of notes) platform.warning(note);
    const entry = historyEntry(n, result.file.params, platform.commit(), new Date(result.file.createdAt));
    appendHistory(settings.history, entry);
    const entries = [...history.entries, entry];
    if (platform.name === 'gitlab') {
      writeFileSync(
        platform.env('SHIPGATE_LOAD_PERFORMANCE_FILE') || K6_REPORT,
        JSON.stringify(k6Report(n, result.total), null, 2) + '\n',
      );
    }

    const checks = checkThresholds(n, settings.thresholds);
    const comparison: Comparison | undefined = baseline && compare(baseline, result, settings.limits);
    if (comparison?.status === 'refused')
      platform.warning(`Not compared with the baseline '${baselinePath}': ${comparison.reason}. regressed=unknown.`);
    if (comparison?.status === 'compared') {
      for (const c of comparison.changes) if (c.limit !== undefined) platform.info(`Against the baseline: ${c.text}`);
      for (const note of comparison.notes) platform.warning(note);
    }
    const failures = [
      ...checks.filter((c) => !c.ok).map((c) => c.text),
      ...(comparison?.status === 'compared'
        ? comparison.changes.filter((c) => c.verdict === 'regressed').map((c) => c.text)
        : []),
    ];
    const failure = failures.length ? failures.join('; ') : undefined;
    const report = {
      result,
      checks,
      comparison,
      baseline: baseline?.file.summary,
      baselinePath,
      merged: settings.merge.length,
      failure,
      notes,
      history: entries,
    };
    renderSummary(summary, report);
    if (inputs.comment) await postComment(platform, report);
    const fixed = (x: number, digits: number) => String(Number(x.toFixed(digits)));
    return {
      outputs: {
        rps: fixed(n.rps, 1),
        'p50-ms': fixed(n.p50, 3),
        'p90-ms': fixed(n.p90, 3),
        'p95-ms': fixed(n.p95, 3),
        'p99-ms': fixed(n.p99, 3),
        late: String(n.late),
        dropped: String(n.dropped),
        'error-rate': fixed(n.errorRate, 4),
        passed: String(!failure),
        regressed: comparison?.status === 'compared' ? String(comparison.regressed) : 'unknown',
        result: settings.save,
      },
      failure,
      data: { checks, comparison },
    };
  },
});
