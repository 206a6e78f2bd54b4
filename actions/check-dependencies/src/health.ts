import { formatDuration } from '../../../shared/src/duration.js';
import { ConfigError } from '../../../shared/src/errors.js';
import type { DependencyConfig } from '../../../shared/src/graph/config.js';
import { dependenciesOf } from '../../../shared/src/graph/graph.js';
import { probeAll, type ProbeResult, type ProbeTarget } from '../../../shared/src/http/probe.js';
import { urlSecrets } from '../../../shared/src/http/url-secrets.js';
import type { StepContext } from '../../../shared/src/step.js';
import { plural } from '../../../shared/src/text.js';
import type { schema } from './schema.js';

type Ctx = StepContext<typeof schema.inputs>;

/** Probes the services whose health gates this deploy; validates the probe inputs before the first request. */
export async function probeDependencies(
  ctx: Ctx,
  config: DependencyConfig,
  order: string[],
  service: string,
): Promise<ProbeResult[]> {
  const { inputs, platform, clock } = ctx;
  const targets = healthTargets(config, order, service);
  const expectStatus = parseStatuses(inputs['expect-status']);
  const consulUrl = inputs['consul-url'] || consulFromEnv(platform.env('CONSUL_HTTP_ADDR'));
  // The address may carry credentials (https://user:token@consul): masked before any line names it.
  for (const secret of urlSecrets(consulUrl)) platform.setSecret(secret);
  const needsConsul = targets.find((t) => t.url.startsWith('consul:'));
  if (!consulUrl && needsConsul) {
    throw new ConfigError(
      `Service '${needsConsul.name}' has health '${needsConsul.url}', but input 'consul-url' is empty. Set consul-url (e.g. http://127.0.0.1:8500) or CONSUL_HTTP_ADDR.`,
    );
  }
  if (!targets.length) {
    platform.info(
      `No health checks to run: ${service ? `no dependency of ${service}` : 'no service'} declares 'health'.`,
    );
    return [];
  }
  for (const t of targets) for (const secret of urlSecrets(t.url)) platform.setSecret(secret);
  const what = service
    ? `the ${plural(targets.length, 'dependency', 'dependencies')} of ${service}`
    : plural(targets.length, 'service');
  const probes = await platform.group(`Probing ${what}`, () =>
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
  logResults(ctx, probes);
  return probes;
}

function logResults({ inputs, platform }: Ctx, probes: ProbeResult[]): void {
  for (const p of probes) {
    const tried = `after ${plural(p.attempts, 'attempt')}`;
    if (p.healthy) platform.info(`healthy   ${p.name} (${p.url}) ${tried}`);
    else {
      const line = `UNHEALTHY ${p.name} (${p.url}) ${tried}: ${p.lastError ?? 'unhealthy'}`;
      // When unhealthy fails the job, run() reports it as the error; otherwise it deserves a warning annotation.
      if (inputs['fail-on-unhealthy']) platform.info(line);
      else platform.warning(line);
    }
  }
}

/** The services whose health gates this deploy, in deploy order: the transitive dependencies of `service`, or all. */
function healthTargets(config: DependencyConfig, order: string[], service: string): ProbeTarget[] {
  const wanted = service ? dependenciesOf(config, service) : undefined;
  return order
    .map((name) => config.services.get(name)!)
    .filter((s) => s.health && (!wanted || wanted.has(s.name)))
    .map((s) => ({ name: s.name, url: s.health! }));
}

function parseStatuses(text: string): number[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      throw new ConfigError(
        `Input 'expect-status' is '${text}'. Expected comma-separated HTTP status codes such as 200,204.`,
      );
    }
    return n;
  });
}

/** CONSUL_HTTP_ADDR is often host:port without a scheme. */
function consulFromEnv(addr: string | undefined): string {
  if (!addr) return '';
  return /^https?:\/\//.test(addr) ? addr : `http://${addr}`;
}
