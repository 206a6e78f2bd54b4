// Gathers findings: looks up each rule's severity in the catalog, drops duplicates (the same rule at the same place
// of the same operation, e.g. one schema reached through two media types), and sorts the result.
import type { Finding } from '../model.js';
import type { SchemaChange, Side } from './shapes.js';
import { RULE_BY_ID, type RuleId, type Subject, schemaRuleId } from './rules.js';

/** The operation a finding is about, when it is about one. */
export interface OpRef {
  method?: string;
  path?: string;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export class Collector {
  private readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private unstable?: string;

  /**
   * Runs `fn` with breaking findings reported as `api-unstable-operation-changed` (info) when `level` is set: draft and
   * alpha operations promise nothing, so their changes are listed but do not gate.
   */
  relaxed(level: string | undefined, fn: () => void): void {
    const outer = this.unstable;
    this.unstable = level;
    try {
      fn();
    } finally {
      this.unstable = outer;
    }
  }

  add(rule: RuleId, op: OpRef, location: string, document: Side, message: string): void {
    let info = RULE_BY_ID.get(rule);
    if (!info) throw new Error(`rule ${rule} is not in the catalog`);
    if (this.unstable && info.severity === 'error') {
      message = `${message} (${rule}; not gated: the operation is ${this.unstable})`;
      rule = 'api-unstable-operation-changed';
      info = RULE_BY_ID.get(rule)!;
    }
    const key = `${rule}\u0000${op.method ?? ''}\u0000${op.path ?? ''}\u0000${document}\u0000${location}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const finding: Finding = { rule, severity: info.severity, location, document, message };
    if (op.method) finding.method = op.method;
    if (op.path) finding.path = op.path;
    this.findings.push(finding);
  }

  /** Reports the changes found in one schema, naming it with `label` (e.g. `response 200 (application/json)`). */
  addSchemaChanges(changes: SchemaChange[], subject: Subject, op: OpRef, label: string): void {
    for (const c of changes) {
      const where = c.path.length ? ` property '${propertyPath(c.path)}'` : '';
      this.add(schemaRuleId(subject, c.kind), op, c.location, c.document, `${label}${where}: ${c.detail}`);
    }
  }

  sorted(): Finding[] {
    return [...this.findings].sort(
      (a, b) =>
        RANK[a.severity] - RANK[b.severity] ||
        cmp(a.path ?? '', b.path ?? '') ||
        cmp(a.method ?? '', b.method ?? '') ||
        cmp(a.rule, b.rule) ||
        cmp(a.location, b.location) ||
        cmp(a.message, b.message),
    );
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `['items', '[]', 'name']` → `items[].name`. */
export function propertyPath(path: string[]): string {
  let out = '';
  for (const seg of path) out = seg === '[]' ? `${out}[]` : out ? `${out}.${seg}` : seg;
  return out;
}
