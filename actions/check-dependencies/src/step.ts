import { writeFileSync } from 'node:fs';
import { ConfigError, configError } from '../../../shared/src/errors.js';
import { loadConfig as loadGraph, type DependencyConfig } from '../../../shared/src/graph/config.js';
import { checkGraph, computeWaves, dependentsOf } from '../../../shared/src/graph/graph.js';
import { globToRegExp, matchesAny } from '../../../shared/src/graph/glob.js';
import type { ProbeResult } from '../../../shared/src/http/probe.js';
import { defineStep } from '../../../shared/src/step.js';
import { closest, plural } from '../../../shared/src/text.js';
import { checkChildPipeline, childPipeline } from './child-pipeline.js';
import { probeDependencies } from './health.js';
import { schema } from './schema.js';
import { collectDownstream, dispatchFailure, planDispatch, runDispatch } from './service-pipeline.js';
import { renderSummary } from './summary.js';

export const checkDependencies = defineStep({
  schema,
  /** The graph, the order and what the change affects, checked before a probe, a dispatch or a file written. */
  loadConfig(ctx) {
    const { inputs, platform } = ctx;
    const { config, warnings } = loadGraph(inputs.config);
    for (const w of warnings) platform.warning(w.message, w);

    const { errors, inconsistencies } = checkGraph(config);
    if (inputs.strict) errors.push(...inconsistencies);
    else for (const w of inconsistencies) platform.warning(w.message, w);
    if (errors.length) throw configError(errors);

    const service = inputs.service.trim();
    if (service && !config.services.has(service)) {
      const near = closest(service, config.services.keys());
      throw new ConfigError(
        `Input 'service' is '${service}', which is not in ${config.file}.${near ? ` Did you mean '${near}'?` : ''}`,
      );
    }
    const waves = computeWaves(config);
    const order = waves.flat();
    const changed = inputs['changed-files'];
    const affected = affectedServices(config, order, changed);
    if (changed.length && !affected.length) platform.warning(unmatchedWarning(config, changed));
    // The child pipeline deploys what the change affects, in the same waves.
    const deployWaves = waves.map((w) => w.filter((s) => affected.includes(s))).filter((w) => w.length);
    const childFile = inputs['child-pipeline'].trim();
    if (childFile) checkChildPipeline(deployWaves, { extends: inputs['child-extends'].trim() });
    if (inputs['run-pipeline'] && !service)
      throw new ConfigError(
        "Input 'run-pipeline' is true but 'service' is empty: name the service whose pipeline to start.",
      );
    const dispatch = inputs['run-pipeline']
      ? planDispatch(ctx, config, service, waves.findIndex((w) => w.includes(service)) + 1)
      : undefined;
    return { config, inconsistencies, service, waves, order, affected, deployWaves, childFile, dispatch };
  },
  async run(ctx, { config, inconsistencies, service, waves, order, affected, deployWaves, childFile, dispatch }) {
    const { inputs, platform, summary } = ctx;
    if (inputs['collect-downstream']) await collectDownstream(ctx, config);
    const probes: ProbeResult[] = inputs['check-health'] ? await probeDependencies(ctx, config, order, service) : [];
    const unhealthy = probes.filter((p) => !p.healthy);
    // A service whose dependencies are unhealthy is not started: the health gate exists to stop that.
    const blocked = unhealthy.length > 0 && inputs['fail-on-unhealthy'];
    const ran = dispatch && !blocked ? await runDispatch(ctx, dispatch, service) : undefined;

    if (childFile) {
      const remote = new Map(
        [...config.services.values()].flatMap((s) => (s.pipeline ? [[s.name, s.pipeline] as const] : [])),
      );
      writeFileSync(
        childFile,
        childPipeline(deployWaves, {
          extends: inputs['child-extends'].trim(),
          include: inputs['child-include'],
          source: config.file,
          remote,
          config: config.file,
          version: inputs['deploy-version'] || undefined,
        }),
      );
      platform.info(
        `Child pipeline written to ${childFile}: ${plural(deployWaves.flat().length, 'service')} in ${plural(deployWaves.length, 'wave')}.`,
      );
    }
    renderSummary(summary, {
      config,
      waves,
      probes,
      affected,
      service,
      checked: inputs['check-health'],
      ignoredHints: inconsistencies.length,
    });
    const outputs = {
      order: JSON.stringify(order),
      waves: JSON.stringify(waves),
      healthy: String(unhealthy.length === 0),
      unhealthy: JSON.stringify(unhealthy.map((p) => p.name)),
      affected: JSON.stringify(affected),
      'child-pipeline-file': childFile,
      'pipeline-conclusion': ran?.outcome ?? '',
      'pipeline-url': ran?.run?.url ?? '',
    };
    if (ran?.run)
      summary.add(
        `**${service}** in ${dispatch!.req.owner}/${dispatch!.req.repo}: ${ran.outcome} · [run ${ran.run.id}](${ran.run.url})`,
      );
    const failure = blocked
      ? `${unhealthy.length} of ${plural(probes.length, 'dependency', 'dependencies')} unhealthy: ${unhealthy.map((p) => `${p.name} (${p.lastError ?? 'unhealthy'})`).join(', ')}`
      : ran && dispatchFailure(dispatch!, ran, service);
    return {
      outputs,
      failure,
      data: { probes, pipeline: ran ? { outcome: ran.outcome, url: ran.run?.url ?? '' } : undefined },
    };
  },
});

/**
 * Services touched by the changed files plus everything that depends on them, in deploy order.
 * Without a change list every service is affected.
 */
export function affectedServices(config: DependencyConfig, order: string[], changed: string[]): string[] {
  if (!changed.length) return order;
  const hit = new Set<string>();
  for (const s of config.services.values()) {
    if (!s.paths.length) continue;
    const globs = s.paths.map(globToRegExp);
    if (changed.some((f) => matchesAny(f, globs))) {
      hit.add(s.name);
      for (const d of dependentsOf(config, s.name)) hit.add(d);
    }
  }
  return order.filter((n) => hit.has(n));
}

/** Why a change list affects nothing: usually `paths` globs that do not match how the files are named. */
function unmatchedWarning(config: DependencyConfig, changed: string[]): string {
  const shown =
    changed
      .slice(0, 5)
      .map((f) => `'${f}'`)
      .join(', ') + (changed.length > 5 ? ', …' : '');
  const withPaths = [...config.services.values()].filter((s) => s.paths.length);
  const fix = withPaths.length
    ? `Check the \`paths\` globs in ${config.file} (relative to the repository root, e.g. services/orders/**), and that 'changed-files' names files, not directories.`
    : `No service in ${config.file} declares \`paths\`: add them, e.g. \`paths: [services/orders/**]\`.`;
  return `Input 'changed-files': none of the ${plural(changed.length, 'changed file')} (${shown}) matches a service's \`paths\`, so no service is affected. ${fix}`;
}
