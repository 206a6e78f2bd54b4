/** A node of a mermaid flowchart, with the class that colours it. */
export interface GraphNode {
  id: string;
  label?: string;
  className?: string;
}

export interface GraphOptions {
  direction?: 'LR' | 'TD';
  /** Nodes grouped in subgraphs, in order: e.g. deploy waves. */
  groups?: { title: string; ids: string[] }[];
  /** classDef lines, e.g. `{ healthy: 'fill:#d4f8d4,stroke:#2da44e' }`. */
  classes?: Record<string, string>;
}

/** Mermaid ids allow only a safe alphabet; names map to n0, n1, … and keep their text as the label. */
function quoteLabel(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

/** A mermaid flowchart of nodes and edges (from → to), as GitHub and GitLab render in markdown. */
export function mermaidGraph(nodes: GraphNode[], edges: [string, string][], opts: GraphOptions = {}): string {
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = [`flowchart ${opts.direction ?? 'LR'}`];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const decl = (n: GraphNode) => `${ids.get(n.id)}[${quoteLabel(n.label ?? n.id)}]`;
  const placed = new Set<string>();
  (opts.groups ?? []).forEach((g, i) => {
    lines.push(`  subgraph g${i}[${quoteLabel(g.title)}]`);
    for (const id of g.ids) {
      const n = byId.get(id);
      if (!n) continue;
      lines.push(`    ${decl(n)}`);
      placed.add(id);
    }
    lines.push('  end');
  });
  for (const n of nodes) if (!placed.has(n.id)) lines.push(`  ${decl(n)}`);
  for (const [from, to] of edges) {
    if (ids.has(from) && ids.has(to)) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  }
  for (const [name, style] of Object.entries(opts.classes ?? {})) lines.push(`  classDef ${name} ${style}`);
  for (const n of nodes) if (n.className) lines.push(`  class ${ids.get(n.id)} ${n.className}`);
  return lines.join('\n');
}
