import { formatDuration } from '../../../shared/src/duration.js';
import type { GateResult } from '../../../shared/src/http/gate.js';
import { code, details, fenced, type Summary } from '../../../shared/src/report/markdown.js';
import { describeWeights } from '../../../shared/src/traffic/weights.js';
import { plural } from '../../../shared/src/text.js';
import type { StepRecord } from './checks.js';
import type { Outcome } from './flow.js';

function headline(o: Outcome): string {
  const move = o.from && o.target ? `**${o.from} → ${o.target}**` : '**switch**';
  const via = `${move} via ${code(o.provider)}`;
  if (o.noop) return `${via} · ➖ ${o.target} already has all the traffic: nothing to do`;
  if (o.revert)
    return `${via} · ❌ **reverted to ${o.from}**${o.revert.error ? ' — **the revert failed**' : ''}: ${o.revert.reason}`;
  if (o.gate && !o.gate.ok) return `${via} · ❌ **${o.target} failed its health gate**: no traffic moved`;
  if (o.plans) return `${via} · dry run: nothing changed`;
  if (o.switched) return `${via} · ✅ switched in ${plural(o.steps.length, 'step')}`;
  return `${via} · not switched`;
}

function health(h: GateResult | undefined): string {
  if (!h) return '—';
  const probes = `${plural(h.attempts, 'probe')} in ${formatDuration(h.elapsedMs)}`;
  return h.ok ? `✅ ${probes}` : `❌ ${h.lastError ?? `${h.consecutive} good in a row`} (${probes})`;
}

function stepRow(s: StepRecord, i: number): unknown[] {
  const readBack = s.readBack
    ? `✅ ${describeWeights(s.readBack.weights)}`
    : s.ok || s.health?.ok === false
      ? '—'
      : '❌';
  const analysis = s.analysis ? `${s.analysis.ok ? '✅' : '❌'} ${s.analysis.reason}` : '—';
  return [
    i + 1,
    describeWeights(s.weights),
    health(s.health),
    readBack,
    analysis,
    formatDuration(s.elapsedMs),
    s.ok ? '✅' : `❌ ${s.reason ?? ''}`,
  ];
}

export function renderSummary(summary: Summary, o: Outcome): void {
  summary.add(headline(o));
  const colours = Object.keys(o.before?.weights ?? {});
  if (o.before) {
    summary.heading('Traffic', 3);
    summary.table(
      ['Colour', 'Before', 'After'],
      colours.map((c) => [c, `${o.before!.weights[c]} %`, `${o.after?.weights[c] ?? '?'} %`]),
    );
  }
  if (o.gate) {
    summary.heading('Health gate', 3);
    summary.table(
      ['Target', 'URL', 'Result', 'Good in a row', 'Last error'],
      [[o.target, code(o.gate.url), health(o.gate), o.gate.consecutive, o.gate.lastError ?? '']],
    );
  }
  if (o.steps.length) {
    summary.heading('Steps', 3);
    summary.table(['#', 'Weights', 'Health', 'Read back', 'Analysis', 'Time', 'Result'], o.steps.map(stepRow));
  }
  if (o.revert) {
    summary.heading('Revert', 3);
    const result = o.revert.error
      ? `❌ **The revert failed:** ${o.revert.error}. Check ${o.provider} by hand.`
      : `✅ read back: ${o.revert.state ? describeWeights(o.revert.state.weights) : '?'}`;
    summary.add(`**Reason:** ${o.revert.reason}\n\n${result}`);
  }
  if (o.plans) {
    summary.heading('Plan (dry run)', 3);
    for (const p of o.plans) summary.add(`**${describeWeights(p.weights)}**\n\n${fenced('', p.lines.join('\n'))}`);
  }
  const routers = [
    o.before && `Before:\n${fenced('', o.before.details.join('\n'))}`,
    o.after && o.after !== o.before && `After:\n${fenced('', o.after.details.join('\n'))}`,
  ];
  if (o.before) summary.add(details(`${o.provider} state`, routers.filter(Boolean).join('\n\n')));
}
