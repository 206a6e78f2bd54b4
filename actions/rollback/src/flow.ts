// The rollback: resolve the target, check its image, watch the trigger, gate, change, check the change took, record,
// verify health. Everything it does goes into the Outcome as it happens, so the summary and the outputs can tell the
// state of the service also when the job ends with an error.
import { formatDuration } from '../../../shared/src/duration.js';
import { errorMessage } from '../../../shared/src/errors.js';
import { healthGate, type GateResult } from '../../../shared/src/http/gate.js';
import { formatImageRef, ImageNotFoundError, type ImageRef } from '../../../shared/src/registry/index.js';
import { registryClient } from '../../../shared/src/registry/job.js';
import { plural } from '../../../shared/src/text.js';
import { checkQuerySyntax } from '../../../shared/src/inputs-check.js';
import { whoRuns } from '../../../shared/src/traffic/state-file.js';
import type { Ctx, RollbackConfig } from './config.js';
import type { Applied, Resolved, RollbackProvider } from './provider.js';
import { recordOnForge, type ForgeRecord } from './record.js';
import { watchTrigger, type WatchResult } from './trigger.js';

/** Wait between health probes before and after the change. */
const HEALTH_INTERVAL_MS = 1000;

/** Everything the rollback found and did. */
export interface Outcome {
  provider: string;
  resolved?: Resolved;
  /** The target image as found in its registry. */
  image?: { ref: string; digest: string };
  watch?: WatchResult;
  triggered: boolean;
  /** Why the rollback happens: the input, the breach, or who ran it. */
  reason?: string;
  /** The target's health before anything moved (blue-green). */
  gate?: GateResult;
  /** The exact change, as the provider makes it. */
  changes?: string[];
  applied?: Applied;
  /** The target's health after the change. */
  health?: GateResult;
  /** Where the rollback was recorded: state file, annotation, change-cause. */
  recorded: string[];
  forge?: ForgeRecord;
  /** Something may have changed: apply() was called. */
  changed: boolean;
  rolledBack: boolean;
  /** After a failed rollback: what serves now, read again. */
  stateAfter?: string;
  /** Set when the rollback itself failed: the job's failure line. */
  failure?: string;
}

async function checkImage(ctx: Ctx, ref: ImageRef, out: Outcome): Promise<void> {
  const name = formatImageRef(ref);
  const digest = await ctx.platform.group(`Checking that ${name} exists`, () =>
    registryClient(ctx.platform, {
      home: ref.registry,
      insecureRealm: ctx.inputs['insecure-token-realm'],
    }).manifestExists(ref),
  );
  if (!digest) throw new ImageNotFoundError(ref);
  out.image = { ref: name, digest };
  ctx.platform.info(`${name} exists: ${digest}`);
}

async function resolve(ctx: Ctx, provider: RollbackProvider, out: Outcome): Promise<Resolved> {
  const r = (out.resolved = await provider.resolve());
  ctx.platform.info(
    `${provider.label}: now ${r.from}; rollback target ${r.to}, from ${r.source}${r.noop ? ' (already there)' : ''}`,
  );
  for (const line of r.details) ctx.platform.info(`  ${line}`);
  if (r.image && !r.noop && out.image?.ref !== formatImageRef(r.image)) await checkImage(ctx, r.image, out);
  return r;
}

function gateHealth(ctx: Ctx, cfg: RollbackConfig, r: Resolved, title: string): Promise<GateResult> {
  const url = cfg.healthUrl!.of(r.colour ?? '');
  return ctx.platform.group(`${title}: ${r.to} (${url})`, () =>
    healthGate(url, {
      clock: ctx.clock,
      threshold: cfg.threshold,
      timeoutMs: cfg.healthTimeoutMs,
      intervalMs: HEALTH_INTERVAL_MS,
      onProgress: (l) => ctx.platform.progress(l),
    }),
  );
}

function describeGate(g: GateResult, cfg: RollbackConfig): string {
  return `${g.consecutive} of ${cfg.threshold} consecutive good answers from ${g.url} within ${formatDuration(cfg.healthTimeoutMs)} (${plural(g.attempts, 'probe')}, last: ${g.lastError ?? 'ok'})`;
}

/** What serves now, read again; never throws, since it only goes into a failure message. */
async function stateNow(provider: RollbackProvider): Promise<string> {
  try {
    return await provider.describeNow();
  } catch (err) {
    return `unknown: reading ${provider.label} failed (${errorMessage(err)}); check it by hand`;
  }
}

/** Before the watch and the first change: the state file can be written and Prometheus parses the trigger. */
async function checkBeforeWatching(ctx: Ctx, cfg: RollbackConfig): Promise<void> {
  for (const store of cfg.blueGreen?.records ?? []) await store.checkWritable();
  if (!cfg.trigger) return;
  const unknown = await checkQuerySyntax(cfg.trigger, 'trigger-query');
  // The watch forgives a flaky Prometheus evaluation by evaluation; it decides, not this one answer.
  if (unknown) ctx.platform.warning(`Could not have Prometheus parse 'trigger-query' before the watch: ${unknown}.`);
}

export async function rollBack(ctx: Ctx, cfg: RollbackConfig, provider: RollbackProvider, out: Outcome): Promise<void> {
  const { platform } = ctx;
  await checkBeforeWatching(ctx, cfg);
  let r = await resolve(ctx, provider, out);
  if (cfg.trigger) {
    const t = cfg.trigger;
    out.watch = await platform.group(
      `Watching ${t.query} every ${formatDuration(t.intervalMs)} for ${formatDuration(t.watchMs)}`,
      () => watchTrigger(t, ctx),
    );
    if (!out.watch.breach) {
      platform.info(
        `The trigger did not breach in ${plural(out.watch.evaluations.length, 'evaluation')}: nothing to roll back.`,
      );
      return;
    }
    out.triggered = true;
    // The watch may have been long: read the state again, so the change starts from what runs now.
    r = await resolve(ctx, provider, out);
  }
  out.reason =
    cfg.reason ||
    (out.triggered
      ? `trigger breached: ${out.watch!.breach!.reason} (${cfg.trigger!.query})`
      : `manual rollback by ${whoRuns(platform.job)}`);
  if (r.noop) {
    platform.info(`${r.to} already runs: nothing to roll back.`);
    if (out.triggered)
      out.failure = `The trigger breached (${out.watch!.breach!.reason}), but ${provider.label} already runs ${r.to}, the rollback target: nothing to roll back to. Look at the service by hand.`;
    return;
  }
  if (provider.gateBefore && cfg.healthUrl) {
    const g = (out.gate = await gateHealth(ctx, cfg, r, 'Health gate before moving'));
    if (!g.ok) {
      out.failure = `Not rolled back: ${r.to} is not healthy, ${describeGate(g, cfg)}. Nothing changed; ${r.from} still serves.`;
      return;
    }
  }
  out.changes = await provider.changes(r, out.reason);
  for (const line of out.changes) platform.info(`${cfg.dryRun ? 'dry run: ' : ''}${line}`);
  if (cfg.dryRun) return;

  out.changed = true;
  const start = ctx.clock.now();
  out.applied = await platform.group(`Rolling back ${r.from} → ${r.to}`, () =>
    provider.apply(r, out.reason!).catch((err: unknown) => ({
      ok: false,
      reason: `applying it failed: ${errorMessage(err)}`,
      lines: [],
      elapsedMs: ctx.clock.now() - start,
    })),
  );
  platform.info(`${out.applied.ok ? 'done' : 'FAILED'}: ${out.applied.reason}`);
  if (!out.applied.ok) {
    out.stateAfter = await stateNow(provider);
    out.failure = `The rollback to ${r.to} failed: ${out.applied.reason}. Now: ${out.stateAfter}.`;
  } else {
    out.rolledBack = true;
    out.recorded.push(...(await provider.record(r)));
    if (cfg.healthUrl) {
      const h = (out.health = await gateHealth(ctx, cfg, r, 'Health after the rollback'));
      if (!h.ok)
        out.failure = `Rolled back to ${r.to}, but it is not healthy: ${describeGate(h, cfg)}. ${r.to} serves now.`;
    } else platform.warning(`Input 'health-url' is empty: the rolled-back ${r.to} was not health-checked.`);
  }
  const ok = out.rolledBack && !out.failure;
  out.forge = await recordOnForge(platform, {
    environment: cfg.environment,
    release: r.release,
    version: r.to,
    ok,
    description: `Rollback ${r.from} → ${r.to}: ${out.reason}`,
  });
  if (out.forge.where) out.recorded.push(`${out.forge.where}${out.forge.url ? ` (${out.forge.url})` : ''}`);
}
