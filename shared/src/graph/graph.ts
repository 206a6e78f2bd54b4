import type { Problem } from '../errors.js';
import { closest } from '../text.js';
import type { DependencyConfig, ServiceDef } from './config.js';

export interface GraphCheck {
  /** Always errors: unknown or self dependencies, cycles. */
  errors: Problem[];
  /** Level and deploy_order hints the graph contradicts, each with its fix: errors when strict, else warnings. */
  inconsistencies: Problem[];
}

const MAX_CYCLES = 50;

/** Validates the graph and reports every problem at once, each with its line. */
export function checkGraph(config: DependencyConfig): GraphCheck {
  const { services, file } = config;
  const errors: Problem[] = [];
  const conflicts: Conflict[] = [];
  for (const s of services.values()) {
    s.dependencies.forEach((dep, i) => {
      // The line is looked up only for a problem that is reported.
      const problem = (message: string): Problem => ({
        file,
        message,
        line: config.lineOf(['services', s.name, 'dependencies', i]),
      });
      if (dep === s.name) {
        errors.push(problem(`Service '${s.name}' depends on itself.`));
        return;
      }
      const d = services.get(dep);
      if (!d) {
        const near = closest(dep, services.keys());
        errors.push(
          problem(
            `Service '${s.name}' depends on '${dep}', which is not defined.${near ? ` Did you mean '${near}'?` : ''}`,
          ),
        );
        return;
      }
      if (s.level !== undefined && d.level !== undefined && s.level <= d.level) conflicts.push({ kind: 'level', s, d });
      if (s.deployOrder !== undefined && d.deployOrder !== undefined && s.deployOrder <= d.deployOrder) {
        conflicts.push({ kind: 'deploy_order', s, d });
      }
    });
  }
  const cycles = findCycles(config);
  for (const cycle of cycles.list) {
    errors.push({
      file,
      line: config.lineOf(['services', cycle[0]]),
      message: `Dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
    });
  }
  if (cycles.truncated)
    errors.push({
      file,
      message: `More than ${MAX_CYCLES} dependency cycles; only the first ${MAX_CYCLES} are listed.`,
    });
  // A fix can be worked out only on an acyclic graph; with a cycle the hints are reported as they stand.
  const depth = cycles.list.length ? undefined : depths(config);
  return { errors, inconsistencies: conflicts.map((c) => describeConflict(config, c, depth)) };
}

/** A dependency edge whose `level` or `deploy_order` hint says the dependent goes first (or together). */
interface Conflict {
  kind: 'level' | 'deploy_order';
  s: ServiceDef;
  d: ServiceDef;
}

/**
 * The message, line and fix of one contradicted hint. The graph decides the order; the fix names the service whose
 * hint disagrees with it: its level should be its wave counted as the rest of the file counts levels (most files
 * start at 1), else the dependent's should be one above its dependency's.
 */
function describeConflict(config: DependencyConfig, c: Conflict, depth: Map<string, number> | undefined): Problem {
  const { s, d } = c;
  const file = config.file;
  if (c.kind === 'deploy_order') {
    return {
      file,
      line: config.lineOf(['services', s.name, 'deploy_order']),
      message:
        `Service '${s.name}' has deploy_order ${s.deployOrder}, which deploys it before (or with) its dependency '${d.name}' (deploy_order ${d.deployOrder}).` +
        ` ${s.name} should have a deploy_order above ${d.deployOrder}, or drop \`deploy_order\`.`,
    };
  }
  const head = `Service '${s.name}' has level ${s.level}, not above its dependency '${d.name}' (level ${d.level}).`;
  let blame = s;
  let level = d.level! + 1;
  if (depth) {
    const offset = levelOffset(config, depth);
    const expected = (x: ServiceDef) => depth.get(x.name)! + offset;
    if (d.level !== expected(d) && expected(d) < s.level!) [blame, level] = [d, expected(d)];
    else level = Math.max(expected(s), d.level! + 1);
  }
  return {
    file,
    line: config.lineOf(['services', blame.name, 'level']),
    message: `${head} ${blame.name} should be level ${level}, or drop \`level\`.`,
  };
}

/** How the file counts levels: the most common `level − wave index`, ties to the one nearest 1. */
function levelOffset(config: DependencyConfig, depth: Map<string, number>): number {
  const counts = new Map<number, number>();
  for (const s of config.services.values()) {
    if (s.level !== undefined)
      counts.set(s.level - depth.get(s.name)!, (counts.get(s.level - depth.get(s.name)!) ?? 0) + 1);
  }
  let best = 1;
  let bestN = 0;
  for (const [offset, n] of counts) {
    if (n > bestN || (n === bestN && Math.abs(offset - 1) < Math.abs(best - 1))) [best, bestN] = [offset, n];
  }
  return best;
}

/** Edges a service → its known dependencies (unknown and self edges are reported elsewhere). */
function edgesOf(s: ServiceDef, services: Map<string, ServiceDef>): string[] {
  return [...new Set(s.dependencies)].filter((d) => d !== s.name && services.has(d));
}

/**
 * Every elementary cycle (Johnson's algorithm, inside each strongly connected component), each rotated to start at its
 * smallest name, capped at MAX_CYCLES so a dense tangle still reports quickly.
 */
export function findCycles(config: DependencyConfig): { list: string[][]; truncated: boolean } {
  const { services } = config;
  const names = [...services.keys()].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const adj = names.map((n) =>
    edgesOf(services.get(n)!, services)
      .map((d) => index.get(d)!)
      .sort((a, b) => a - b),
  );
  const list: string[][] = [];
  let truncated = false;

  for (const scc of stronglyConnected(adj)) {
    if (scc.length < 2) continue;
    const members = new Set(scc);
    const sorted = [...scc].sort((a, b) => a - b);
    // Johnson: for each start s (ascending), cycles through s using only vertices >= s of this component.
    for (const s of sorted) {
      const allowed = (v: number) => members.has(v) && v >= s;
      const blocked = new Set<number>();
      const blockMap = new Map<number, Set<number>>();
      const stack: number[] = [];
      const unblock = (u: number) => {
        const pending = [u];
        while (pending.length) {
          const x = pending.pop()!;
          if (!blocked.delete(x)) continue;
          const b = blockMap.get(x);
          if (b) {
            pending.push(...b);
            b.clear();
          }
        }
      };
      const circuit = (v: number): boolean => {
        if (list.length >= MAX_CYCLES) {
          truncated = true;
          return false;
        }
        let found = false;
        stack.push(v);
        blocked.add(v);
        for (const w of adj[v]) {
          if (!allowed(w)) continue;
          if (w === s) {
            if (list.length >= MAX_CYCLES) truncated = true;
            else list.push(stack.map((i) => names[i]));
            found = true;
          } else if (!blocked.has(w) && circuit(w)) found = true;
        }
        if (found) unblock(v);
        else for (const w of adj[v]) if (allowed(w)) (blockMap.get(w) ?? blockMap.set(w, new Set()).get(w)!).add(v);
        stack.pop();
        return found;
      };
      circuit(s);
      if (truncated) return { list, truncated };
    }
  }
  return { list, truncated };
}

/** Tarjan's strongly connected components, iterative so 5,000-deep chains do not overflow the stack. */
function stronglyConnected(adj: number[][]): number[][] {
  const n = adj.length;
  const idx = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i === 0) {
        idx[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      if (i < adj[v].length) {
        frame[1]++;
        const w = adj[v][i];
        if (idx[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v], idx[w]);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === idx[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}

/** Wave index of every service: one after its deepest dependency (0 for none). Requires an acyclic graph. */
export function depths(config: DependencyConfig): Map<string, number> {
  const { services } = config;
  const depth = new Map<string, number>();
  // Iterative post-order DFS so long chains do not overflow the stack.
  for (const start of services.keys()) {
    if (depth.has(start)) continue;
    const work: string[] = [start];
    while (work.length) {
      const name = work[work.length - 1];
      if (depth.has(name)) {
        work.pop();
        continue;
      }
      const deps = edgesOf(services.get(name)!, services);
      const pending = deps.filter((d) => !depth.has(d));
      if (pending.length) {
        work.push(...pending);
        continue;
      }
      depth.set(
        name,
        deps.reduce((m, d) => Math.max(m, depth.get(d)! + 1), 0),
      );
      work.pop();
    }
  }
  return depth;
}

/**
 * Deploy waves by longest-path layering: a service goes one wave after its deepest dependency.
 * Within a wave: deploy_order ascending (services without one last), then name. Requires an acyclic graph.
 */
export function computeWaves(config: DependencyConfig): string[][] {
  const { services } = config;
  const waves: string[][] = [];
  for (const [name, d] of depths(config)) (waves[d] ??= []).push(name);
  const key = (n: string) => services.get(n)!.deployOrder ?? Number.POSITIVE_INFINITY;
  for (const w of waves) w.sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0));
  return waves;
}

/** Every service that `name` depends on, directly or not. */
export function dependenciesOf(config: DependencyConfig, name: string): Set<string> {
  return reach(name, (n) => edgesOf(config.services.get(n)!, config.services));
}

/** Every service that depends on `name`, directly or not. */
export function dependentsOf(config: DependencyConfig, name: string): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const s of config.services.values()) {
    for (const d of edgesOf(s, config.services)) (reverse.get(d) ?? reverse.set(d, []).get(d)!).push(s.name);
  }
  return reach(name, (n) => reverse.get(n) ?? []);
}

function reach(start: string, next: (n: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const work = [start];
  while (work.length) {
    for (const m of next(work.pop()!)) {
      if (!seen.has(m)) {
        seen.add(m);
        work.push(m);
      }
    }
  }
  seen.delete(start);
  return seen;
}
