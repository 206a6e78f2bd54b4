import { formatDuration } from '../../../shared/src/duration.js';
import type { DependencyConfig } from '../../../shared/src/graph/config.js';
import type { ProbeResult } from '../../../shared/src/http/probe.js';
import { code, fenced, table, type Summary } from '../../../shared/src/report/markdown.js';
import { mermaidGraph } from '../../../shared/src/report/mermaid.js';
import { plural } from '../../../shared/src/text.js';

/** Past this many services the diagram stops being readable (and summaries have a size limit). */
const MAX_GRAPH_NODES = 150;

export interface SummaryData {
  config: DependencyConfig;
  waves: string[][];
  probes: ProbeResult[];
  affected: string[];
  service: string;
  checked: boolean;
  /** `level` / `deploy_order` hints the dependencies contradict (warned about, not followed). */
  ignoredHints: number;
}

export function renderSummary(summary: Summary, d: SummaryData): void {
  const unhealthy = d.probes.filter((p) => !p.healthy);
  const count = d.config.services.size;
  const health = !d.checked
    ? 'health checks skipped'
    : !d.probes.length
      ? 'no health checks declared'
      : unhealthy.length
        ? `❌ **${unhealthy.length} of ${d.probes.length} unhealthy**`
        : `✅ all ${d.probes.length} probed ${d.service ? 'dependencies' : 'services'} healthy`;
  const target = d.service ? ` · deploying ${code(d.service)}` : '';
  summary.add(`**${plural(count, 'service')}** in ${plural(d.waves.length, 'wave')} · ${health}${target}`);
  if (d.probes.length) {
    summary.heading('Health', 3);
    summary.table(
      ['Service', 'Check', 'Status', 'Latency', 'Attempts', 'Last error'],
      d.probes.map((p) => [
        p.name,
        code(p.url),
        p.healthy ? '✅ healthy' : '❌ unhealthy',
        formatDuration(p.latencyMs),
        p.attempts,
        p.healthy ? '' : (p.lastError ?? ''),
      ]),
    );
  }
  summary.heading('Deploy waves', 3);
  summary.add(orderNote(d));
  // A terminal gets the waves with what each service waits for, in place of this table and the diagram.
  summary.add(
    table(
      ['Wave', 'Services (in parallel)'],
      d.waves.map((w, i) => [i + 1, w.join(', ')]),
    ),
    { terminal: waveView(d) },
  );
  if (d.affected.length !== count) {
    summary.add(`**Affected by the change:** ${d.affected.length ? d.affected.map(code).join(', ') : 'none'}`);
  }
  if (count <= MAX_GRAPH_NODES) summary.add(fenced('mermaid', graph(d)), { terminal: '' });
  else summary.add(`_Graph omitted: ${count} services is more than a diagram can show._`);
}

/** Which order was used and why: the dependencies always; the hints only break ties inside a wave. */
export function orderNote(d: SummaryData): string {
  const hinted = [...d.config.services.values()].some((s) => s.deployOrder !== undefined);
  const within = hinted ? 'by `deploy_order`, then name' : 'by name';
  const ignored = d.ignoredHints
    ? ` ${plural(d.ignoredHints, '`level` / `deploy_order` hint')} contradicted the dependencies and ${d.ignoredHints === 1 ? 'was' : 'were'} not followed (see the warnings; \`strict: true\` makes this an error).`
    : '';
  return `Order from the dependencies: each service deploys one wave after its deepest dependency; within a wave ${within}.${ignored}`;
}

/** The graph for a terminal: each wave with what each service waits for, instead of Mermaid. */
export function waveView(d: SummaryData): string {
  const lines: string[] = [];
  d.waves.forEach((wave, i) => {
    if (i) lines.push('   │');
    const label = `Wave ${i + 1}`;
    const w = Math.max(...wave.map((n) => n.length));
    wave.forEach((name, j) => {
      const deps = [...new Set(d.config.services.get(name)!.dependencies)];
      lines.push(
        `${j ? ' '.repeat(label.length) : label}  ${deps.length ? `${name.padEnd(w)}  ← ${deps.join(', ')}` : name}`,
      );
    });
  });
  return lines.join('\n');
}

function graph(d: SummaryData): string {
  const health = new Map(d.probes.map((p) => [p.name, p.healthy]));
  const nodes = [...d.config.services.keys()].map((id) => ({
    id,
    className: health.has(id) ? (health.get(id) ? 'healthy' : 'unhealthy') : id === d.service ? 'target' : undefined,
  }));
  const edges: [string, string][] = [];
  for (const s of d.config.services.values()) for (const dep of new Set(s.dependencies)) edges.push([dep, s.name]);
  return mermaidGraph(nodes, edges, {
    direction: 'LR',
    groups: d.waves.map((ids, i) => ({ title: `Wave ${i + 1}`, ids })),
    classes: {
      healthy: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
      unhealthy: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
      target: 'fill:#ddf4ff,stroke:#0969da,color:#1f2328',
    },
  });
}
