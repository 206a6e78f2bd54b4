import { ConfigError } from '../../../shared/src/errors.js';
import { formatDuration } from '../../../shared/src/duration.js';
import { configError, loadConfig, type DependencyConfig } from '../../../shared/src/graph/config.js';
import { checkGraph, computeWaves, dependenciesOf, dependentsOf } from '../../../shared/src/graph/graph.js';
import { globToRegExp, matchesAny } from '../../../shared/src/graph/glob.js';
import { probeAll, type ProbeResult, type ProbeTarget } from '../../../shared/src/http/probe.js';
import { defineStep } from '../../../shared/src/step.js';
import { closest } from '../../../shared/src/text.js';
import { schema } from './schema.js';
import { renderSummary } from './summary.js';

export const checkDependencies = defineStep({
  schema,
  async run({ inputs, platform, clock, summary }) {
    const { config, warnings } = loadConfig(inputs.config);
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
    const affected = affectedServices(config, order, inputs['changed-files']);

    let probes: ProbeResult[] = [];
    if (inputs['check-health']) {
      const targets = healthTargets(config, order, service);
      const expectStatus = parseStatuses(inputs['expect-status']);
      const consulUrl = inputs['consul-url'] || consulFromEnv(platform.env('CONSUL_HTTP_ADDR'));
      if (!consulUrl && targets.some((t) => t.url.startsWith('consul:'))) {
        const who = targets.find((t) => t.url.startsWith('consul:'))!;
        throw new ConfigError(
          `Service '${who.name}' has health '${who.url}', but input 'consul-url' is empty. Set consul-url (e.g. http://127.0.0.1:8500) or CONSUL_HTTP_ADDR.`,
        );
      }
      for (const t of targets) for (const secret of urlSecrets(t.url)) platform.setSecret(secret);
      const what = service ? `the ${targets.length} dependencies of ${service}` : `${targets.length} service${targets.length === 1 ? "" : "s"}`;
      if (targets.length) {
        probes = await platform.group(`Probing ${what}`, () =>
          probeAll(targets, {
            clock,
            attemptTimeoutMs: inputs['probe-timeout'],
            intervalMs: inputs.interval,
            deadlineMs: inputs.timeout,
            concurrency: inputs.concurrency,
            expectStatus,
            consul: consulUrl
              ? { url: consulUrl, token: platform.secret('CONSUL_HTTP_TOKEN'), minInstances: inputs['min-instances'] }
              : undefined,
            progressEveryMs: Math.min(5000, Math.max(1000, inputs.timeout / 10)),
            onProgress: (pending, elapsed) =>
              platform.info(
                `Waiting for ${pending.length} of ${targets.length}: ${pending.slice(0, 8).join(', ')}${pending.length > 8 ? ', …' : ''} (${formatDuration(elapsed)} of ${formatDuration(inputs.timeout)})`,
              ),
          }),
        );
      } else platform.info(`No health checks to run: ${service ? `the dependencies of ${service}` : 'no service'} declare 'health'.`);
    }
    const unhealthy = probes.filter((p) => !p.healthy);
    for (const p of probes) {
      const line = `${p.healthy ? 'healthy  ' : 'UNHEALTHY'} ${p.name} (${p.url}) after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'}${p.lastError && !p.healthy ? `: ${p.lastError}` : ''}`;
      if (p.healthy) platform.info(line);
      else if (!inputs['fail-on-unhealthy']) platform.warning(line);
      else platform.info(line);
    }

    renderSummary(summary, { config, waves, probes, affected, service, checked: inputs['check-health'] });
    const outputs = {
      order: JSON.stringify(order),
      waves: JSON.stringify(waves),
      healthy: String(unhealthy.length === 0),
      unhealthy: JSON.stringify(unhealthy.map((p) => p.name)),
      affected: JSON.stringify(affected),
    };
    const failure =
      unhealthy.length && inputs['fail-on-unhealthy']
        ? `${unhealthy.length} of ${probes.length} dependencies unhealthy: ${unhealthy.map((p) => `${p.name} (${p.lastError ?? 'unhealthy'})`).join(', ')}`
        : undefined;
    return { outputs, failure };
  },
});

/** The services whose health gates this deploy, in deploy order: the transitive dependencies of `service`, or all. */
function healthTargets(config: DependencyConfig, order: string[], service: string): ProbeTarget[] {
  const wanted = service ? dependenciesOf(config, service) : undefined;
  return order
    .map((name) => config.services.get(name)!)
    .filter((s) => s.health && (!wanted || wanted.has(s.name)))
    .map((s) => ({ name: s.name, url: s.health! }));
}

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

function parseStatuses(text: string): number[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      throw new ConfigError(`Input 'expect-status' is '${text}'. Expected comma-separated HTTP status codes such as 200,204.`);
    }
    return n;
  });
}

/** CONSUL_HTTP_ADDR is often host:port without a scheme. */
function consulFromEnv(addr: string | undefined): string {
  if (!addr) return '';
  return /^https?:\/\//.test(addr) ? addr : `http://${addr}`;
}

const SECRET_PARAM = /token|key|secret|passw|auth|signature/i;

/** Credentials a health URL may carry: a password, or query values such as `?token=…`. */
export function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return []; // consul:<name> carries none
  const u = new URL(url);
  const found = u.password ? [decodeURIComponent(u.password)] : [];
  for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name) && value) found.push(value, encodeURIComponent(value));
  return found;
}
