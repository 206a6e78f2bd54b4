// The markdown a reviewer reads, in the job summary and in the PR/MR comment: counts first, then the findings
// grouped by severity, then what the exceptions file did. Everything that comes from the documents or the repository
// (paths, names, values, file names, reasons) is untrusted: it goes through text() or code(), never in raw.
import { code, details, table, text } from '../../../shared/src/report/markdown.js';
import { plural } from '../../../shared/src/text.js';
import type { Applied, ExceptionEntry } from './exceptions.js';
import type { LocatedFinding } from './locations.js';
import type { OpenApiDoc } from './model.js';
import type { Outcome } from './outcome.js';
import { operation } from './reports.js';

export interface SummaryData {
  base: OpenApiDoc;
  head: OpenApiDoc;
  outcome: Outcome;
  findings: readonly LocatedFinding[];
  applied: Applied;
  /** Name of the JSON report, for "see the report" notes. */
  reportPath: string;
}

export interface RenderLimits {
  /** Rows of a group shown before the rest is folded into <details>. */
  open: number;
  /** Rows of a group written at all; the rest is counted and left to the JSON report. */
  max: number;
}

/** Job summaries hold 1 MiB: a few thousand rows per group keep well inside it. */
export const SUMMARY_LIMITS: RenderLimits = { open: 1000, max: 2000 };
/** GitHub caps a comment at 65536 characters. */
const COMMENT_CHARS = 60_000;

/** The markdown of the findings. */
export function renderFindings(d: SummaryData, limits: RenderLimits): string {
  const o = d.outcome;
  const verdict = o.breaking ? `❌ **${plural(o.breaking, 'breaking change')}**` : '✅ **No breaking changes**';
  const parts = [
    `${verdict} · ${plural(o.warnings, 'warning')} · ${plural(o.changes, 'change')} in all · suggested bump: **${o.bump}**`,
    `${code(d.base.source)} (${label(d.base)}) → ${code(d.head.source)} (${label(d.head)})`,
  ];
  const groups: [string, LocatedFinding[]][] = [
    ['Breaking changes', d.findings.filter((f) => f.severity === 'error')],
    ['Warnings', d.findings.filter((f) => f.severity === 'warning')],
    ['Other changes', d.findings.filter((f) => f.severity === 'info' && !f.accepted)],
  ];
  for (const [title, rows] of groups) {
    if (!rows.length) continue;
    parts.push(`### ${title} (${rows.length})`, folded(byChange(rows), limits, d.reportPath, findingTable));
  }
  if (d.applied.accepted.length) {
    parts.push(
      `### Accepted by exceptions (${d.applied.accepted.length})`,
      folded(
        d.findings.filter((f) => f.accepted),
        limits,
        d.reportPath,
        acceptedTable,
      ),
    );
  }
  if (d.applied.expired.length) {
    parts.push(
      `### Expired exceptions (${d.applied.expired.length})`,
      'These entries are past their date and no longer apply:',
      entryTable(d.applied.expired),
    );
  }
  if (d.applied.unused.length)
    parts.push(
      `_${plural(d.applied.unused.length, 'exception')} matched nothing: ${d.applied.unused.map(describeEntry).join('; ')}._`,
    );
  return parts.join('\n\n');
}

/** The comment body: the same tables, folded beyond 50 rows, shortened until it fits GitHub's size limit. */
export function renderComment(d: SummaryData, footer: string): string {
  for (let max = 1000; ; max = Math.floor(max / 2)) {
    const body = `### Shipgate · api-compat\n\n${renderFindings(d, { open: 50, max })}${footer ? `\n\n${footer}` : ''}`;
    if (body.length <= COMMENT_CHARS || max <= 10) return body;
  }
}

function label(doc: OpenApiDoc): string {
  return doc.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${doc.version}`;
}

/** One change of a schema (rule, document and place) with every operation it reaches, in the findings' order. */
interface ChangeRow {
  finding: LocatedFinding;
  operations: string[];
}

/** Operations named in a row; the rest are counted (the JSON report lists every finding). */
const OPERATIONS_SHOWN = 3;

function byChange(rows: readonly LocatedFinding[]): ChangeRow[] {
  const byKey = new Map<string, ChangeRow>();
  for (const f of rows) {
    const key = `${f.rule}\u0000${f.document}\u0000${f.location}`;
    const row = byKey.get(key);
    if (row) row.operations.push(operation(f));
    else byKey.set(key, { finding: f, operations: [operation(f)] });
  }
  return [...byKey.values()];
}

function folded<T>(rows: T[], limits: RenderLimits, report: string, render: (rows: T[]) => string): string {
  const shown = rows.slice(0, limits.max);
  const open = shown.slice(0, limits.open);
  const rest = shown.slice(limits.open);
  const parts = [render(open)];
  if (rest.length) parts.push(details(`${plural(rest.length, 'more row')}`, render(rest)));
  if (rows.length > shown.length) parts.push(`_… and ${rows.length - shown.length} more in ${code(report)}._`);
  return parts.join('\n\n');
}

function findingTable(rows: ChangeRow[]): string {
  return table(
    ['Rule', 'Operation', 'Change', 'Where'],
    rows.map(({ finding: f, operations }) => {
      const more = operations.length - OPERATIONS_SHOWN;
      const ops = operations.slice(0, OPERATIONS_SHOWN).map(code).join(', ') + (more > 0 ? ` and ${more} more` : '');
      return [code(f.rule), ops, text(f.message), text(`${f.file}:${f.line}`)];
    }),
  );
}

function acceptedTable(rows: LocatedFinding[]): string {
  return table(
    ['Rule', 'Operation', 'Change', 'Reason', 'Expires'],
    rows.map((f) => [
      code(f.rule),
      code(operation(f)),
      text(f.message),
      text(f.accepted?.reason),
      text(f.accepted?.expires),
    ]),
  );
}

function entryTable(entries: ExceptionEntry[]): string {
  return table(
    ['Rule', 'Method', 'Path', 'Expired', 'Reason', 'Line'],
    entries.map((e) => [
      code(e.rule),
      text(e.method ?? '*'),
      e.path ? code(e.path) : '*',
      text(e.expires),
      text(e.reason),
      e.line ?? '',
    ]),
  );
}

function describeEntry(e: ExceptionEntry): string {
  return `${code(e.rule)}${e.method ? ` ${text(e.method)}` : ''}${e.path ? ` ${code(e.path)}` : ''}${e.line ? ` (line ${e.line})` : ''}`;
}
