// Finds import cycles between the project's own modules. A cycle makes the load order decide which side sees the
// other half-initialised, and it is the first sign that two modules should share a third: CI fails on any.
// Type-only imports count too (they tie the modules' designs together even when nothing runs), as do re-exports and
// `import()` of a literal path. Packages are not followed. Usage: tsx scripts/import-cycles.ts [dir ...]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|mts|js|mjs)$/;
/** Folders never scanned: bundles, fixtures and vendored code are not the project's modules. */
const SKIP = new Set(['node_modules', 'dist', 'fixtures', '.git']);

/** The project files below `dirs` (repository-relative), in a stable order. */
function sources(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.endsWith('.next')) walk(rel);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const dir of dirs)
    if (existsSync(join(root, dir))) statSync(join(root, dir)).isDirectory() ? walk(dir) : out.push(dir);
  return out;
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in source, as TypeScript's bundler resolution reads it. */
function resolveSpecifier(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(root, dirname(from), spec);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return found && relative(root, found);
}

/** Each project module → the project modules it imports. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(root, dirs)) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => resolveSpecifier(root, file, f.fileName))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * One cycle per strongly connected group of modules, each as the path that closes it (`a → b → a`), shortest first
 * from the group's first module in name order, so the report names real imports a reader can follow.
 */
export function findImportCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative: deep import chains must not exhaust the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      if (i === 0) {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
      }
      const edges = graph.get(v) ?? [];
      if (i < edges.length) {
        top[1]++;
        const w = edges[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(w);
        } while (w !== v);
        const selfImport = (graph.get(v) ?? []).includes(v);
        if (group.length > 1 || selfImport) groups.push(group.sort());
      }
    }
  }
  return groups.map((group) => shortestCycle(graph, group)).sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest path from the group's first module back to itself, staying inside the group. */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, group: string[]): string[] {
  const members = new Set(group);
  const start = group[0];
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = from.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The folders CI checks. */
export const CHECKED_DIRS = ['actions', 'shared', 'scripts', 'cli', 'bin'] as const;

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(new URL('..', import.meta.url).pathname);
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : CHECKED_DIRS;
  const cycles = findImportCycles(importGraph(root, dirs));
  for (const cycle of cycles) console.log(cycle.join(' → '));
  console.log(cycles.length ? `${cycles.length} import cycle(s).` : 'No import cycles.');
  process.exitCode = cycles.length ? 1 : 0;
}
