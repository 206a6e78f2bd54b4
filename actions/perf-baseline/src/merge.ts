import { ConfigError } from '../../../shared/src/errors.js';
import { redactUrl } from '../../../shared/src/http/url-secrets.js';
import { combineConcurrent } from './measurement.js';
import { buildResult, paramDifferences, readResult, type Result } from './result.js';

/**
 * Combines the results of shards that loaded the same endpoint at the same time from several runners (a CI
 * matrix). Run j of every shard ran together, so their histograms and per-second buckets add up; the merged
 * percentiles are those of one histogram over every request of every shard.
 */
export function mergeResults(paths: string[], url: string): Result {
  const shards = paths.map((p) => readResult('merge', p));
  const [first] = shards;
  const problems: string[] = [];
  shards.forEach((s, i) => {
    // Result files hold the URL without its credentials (see storedParams).
    if (s.file.params.url !== redactUrl(url)) problems.push(`'${paths[i]}' loaded ${s.file.params.url}, not 'url' ${url}`);
    if (i === 0) return;
    const diff = paramDifferences(first.file.params, { ...s.file.params, shards: first.file.params.shards });
    if (diff.length) problems.push(`'${paths[i]}' differs from '${paths[0]}': ${diff.join('; ')}`);
    if (s.runs.length !== first.runs.length) problems.push(`'${paths[i]}' has ${s.runs.length} runs, '${paths[0]}' ${first.runs.length}`);
  });
  if (problems.length) {
    throw new ConfigError(`Input 'merge' lists results that were not shards of one load:\n${problems.map((p) => `- ${p}`).join('\n')}\nRun every shard with the same inputs.`);
  }
  const runs = first.runs.map((_, j) => combineConcurrent(shards.map((s) => s.runs[j])));
  const params = { ...first.file.params, shards: shards.reduce((n, s) => n + s.file.params.shards, 0) };
  return buildResult(params, first.file.environment, runs);
}
