import { formatDuration } from '../../../shared/src/duration.js';
import type { GateResult } from '../../../shared/src/http/gate.js';
import { code, details, fenced, type Summary } from '../../../shared/src/report/markdown.js';
import { plural } from '../../../shared/src/text.js';
import type { Outcome } from './flow.js';
import type { WatchResult } from './trigger.js';

function headline(o: Outcome, dryRun: boolean): string {
  const r = o.resolved;
  const via = `${r ? `**${r.from} → ${r.to}**` : '**rollback**'} via ${code(o.provider)}`;
  if (o.watch && !o.triggered)
    return `${via} · ➖ the trigger did not breach in ${formatDuration(o.watch.elapsedMs)}: nothing rolled back`;
  if (r?.noop) return `${via} · ➖ ${r.to} already runs: nothing to roll back`;
  if (o.changed && !o.rolledBack) return `${via} · ❌ **the rollback failed**: ${o.applied?.reason ?? 'see below'}`;
  if (o.rolledBack)
    return `${via} · ${o.failure ? '⚠️ rolled back, **but not healthy**' : '✅ rolled back'}${o.triggered ? ' (triggered)' : ''}`;
  if (o.failure) return `${via} · ❌ **not rolled back**: ${o.failure}`;
  if (o.changes && dryRun) return `${via} · dry run: nothing changed`;
  return `${via} · not rolled back`;
}

function probes(h: GateResult): string {
  return `${h.ok ? '✅' : '❌'} ${h.consecutive} good in a row, ${plural(h.attempts, 'probe')} in ${formatDuration(h.elapsedMs)}${h.lastError ? `, last error: ${h.lastError}` : ''}`;
}

function watched(w: WatchResult): string {
  const n = plural(w.evaluations.length, 'evaluation');
  const failed = w.failed ? `, ${w.failed} failed` : '';
  if (w.breach) return `❌ breached at ${formatDuration(w.breach.atMs)}: ${w.breach.reason} (${n}${failed})`;
  const values = w.evaluations.flatMap((e) => (e.value === undefined ? [] : [e.value]));
  return `✅ no breach in ${formatDuration(w.elapsedMs)} (${n}${failed}; values ${Math.min(...values)} to ${Math.max(...values)})`;
}

function checks(o: Outcome): unknown[][] {
  const rows: unknown[][] = [];
  if (o.image) rows.push(['Target image in its registry', `✅ ${code(o.image.ref)}`, code(o.image.digest)]);
  if (o.watch) rows.push(['Trigger', watched(o.watch), code(o.watch.evaluations[0]?.query ?? '')]);
  if (o.gate) rows.push(['Health before moving', probes(o.gate), code(o.gate.url)]);
  if (o.applied)
    rows.push([
      o.resolved?.colour ? 'Router' : 'Rollout',
      `${o.applied.ok ? '✅' : '❌'} ${o.applied.reason}`,
      formatDuration(o.applied.elapsedMs),
    ]);
  if (o.health) rows.push(['Health after the rollback', probes(o.health), code(o.health.url)]);
  return rows;
}

export function renderSummary(
  summary: Summary,
  o: Outcome,
  extra: { dryRun: boolean; dependents?: { service: string; list: string[] } },
): void {
  summary.add(headline(o, extra.dryRun));
  const r = o.resolved;
  const facts = [
    o.reason && `**Why:** ${o.reason}`,
    r && `**Target:** ${code(r.to)}, from ${r.source}`,
    o.stateAfter && `**Now:** ${o.stateAfter}`,
    o.failure && o.rolledBack && `**Failed:** ${o.failure}`,
  ].filter(Boolean);
  if (facts.length) summary.add(facts.join('  \n'));
  const rows = checks(o);
  if (rows.length) {
    summary.heading('Checks', 3);
    summary.table(['Check', 'Result', 'Detail'], rows);
  }
  if (o.recorded.length || o.forge?.skipped) {
    summary.heading('Recorded', 3);
    summary.add(
      [
        ...o.recorded.map((p) => `- ${p}`),
        ...(o.forge?.skipped ? [`- not on the forge: ${o.forge.skipped}`] : []),
      ].join('\n'),
    );
  }
  const deps = extra.dependents;
  if (deps?.list.length) {
    summary.heading('Dependents', 3);
    const verb = o.rolledBack ? 'may need a rollback too' : 'would be affected by a rollback';
    summary.add(
      `${plural(deps.list.length, 'service depends', 'services depend')} on ${code(deps.service)} and ${verb}, in this order: ${deps.list.map(code).join(' → ')}`,
    );
  }
  if (o.changes?.length)
    summary.add(details(extra.dryRun ? 'The change (dry run)' : 'The change', fenced('', o.changes.join('\n'))));
  if (o.watch?.evaluations.length) {
    const lines = o.watch.evaluations.map(
      (e) =>
        `${formatDuration(e.atMs).padStart(6)}  ${e.value === undefined ? 'no value' : e.ok ? 'ok' : 'BREACH'}  ${e.reason}`,
    );
    summary.add(details('Trigger evaluations', fenced('', lines.join('\n'))));
  }
  if (r?.details.length) summary.add(details(`${o.provider} before`, fenced('', r.details.join('\n'))));
  if (o.applied?.lines.length)
    summary.add(
      details(
        o.resolved?.colour ? 'The router after the change' : 'The rollout as it went',
        fenced('', o.applied.lines.join('\n')),
      ),
    );
}
