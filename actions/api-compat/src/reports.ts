// The report files: JSON (everything, for scripts), JUnit (GitLab's test tab, any CI), SARIF (GitHub code scanning)
// and GitLab code quality (merge request widget). File names are fixed so pipelines can pick them up by name.
import { createHash } from 'node:crypto';
import pkg from '../../../package.json' with { type: 'json' };
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeQualityReport, type CodeQualitySeverity } from '../../../shared/src/report/codequality.js';
import { junitXml, type JUnitCase } from '../../../shared/src/report/junit.js';
import { sarifLog, type SarifLevel } from '../../../shared/src/report/sarif.js';
import type { Applied, ExceptionEntry } from './exceptions.js';
import { repoPath, type LocatedFinding } from './locations.js';
import type { OpenApiDoc, RuleInfo, Severity } from './model.js';
import type { FailOn, Outcome } from './outcome.js';

export const REPORT_FILES = {
  json: 'api-compat.json',
  junit: 'api-compat.junit.xml',
  sarif: 'api-compat.sarif',
  codequality: 'api-compat.codequality.json',
} as const;

export interface ReportData {
  base: OpenApiDoc;
  head: OpenApiDoc;
  failOn: FailOn;
  outcome: Outcome;
  findings: LocatedFinding[];
  applied: Applied;
  exceptionsFile?: string;
  rules: readonly RuleInfo[];
}

/**
 * Writes the four reports into `dir` (created if needed); returns their paths by kind. Each passes through `redact`
 * (the platform's masking) first: reports become artifacts, and a spec may echo a credential back.
 */
export function writeReports(
  dir: string,
  data: ReportData,
  redact: (text: string) => string = (t) => t,
): Record<keyof typeof REPORT_FILES, string> {
  mkdirSync(dir, { recursive: true });
  const paths = Object.fromEntries(Object.entries(REPORT_FILES).map(([k, f]) => [k, join(dir, f)])) as Record<
    keyof typeof REPORT_FILES,
    string
  >;
  writeFileSync(paths.json, redact(jsonReport(data)));
  writeFileSync(paths.junit, redact(junitReport(data.findings)));
  writeFileSync(paths.sarif, redact(sarifReport(data.findings, data.rules)));
  writeFileSync(paths.codequality, redact(codeQualityReport(data.findings.map(codeQualityIssue))));
  return paths;
}

const entry = (e: ExceptionEntry) => ({
  rule: e.rule,
  method: e.method,
  path: e.path,
  reason: e.reason,
  expires: e.expires,
  line: e.line,
});

export function jsonReport(d: ReportData): string {
  const report = {
    tool: 'shipgate api-compat',
    base: { source: d.base.source, version: d.base.version },
    head: { source: d.head.source, version: d.head.version },
    failOn: d.failOn,
    breaking: d.outcome.breaking > 0,
    breakingCount: d.outcome.breaking,
    warningCount: d.outcome.warnings,
    changeCount: d.outcome.changes,
    suggestedBump: d.outcome.bump,
    failed: d.outcome.failure !== undefined,
    findings: d.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      ...(f.originalSeverity ? { originalSeverity: f.originalSeverity } : {}),
      method: f.method,
      path: f.path,
      message: f.message,
      location: f.location,
      document: f.document,
      file: f.file,
      line: f.line,
      ...(f.accepted ? { accepted: f.accepted } : {}),
    })),
    exceptions: {
      file: d.exceptionsFile,
      accepted: d.applied.accepted.length,
      expired: d.applied.expired.map(entry),
      unused: d.applied.unused.map(entry),
    },
  };
  return JSON.stringify(report, null, 2) + '\n';
}

/** One test case per rule and operation; it fails when one of its findings is breaking. */
export function junitReport(findings: readonly LocatedFinding[]): string {
  const groups = new Map<string, LocatedFinding[]>();
  for (const f of findings) {
    const key = `${f.rule}\u0000${operation(f)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const cases: JUnitCase[] = [...groups.values()].map((fs) => {
    const breaking = fs.filter((f) => f.severity === 'error');
    const lines = fs.map((f) => `${f.severity}: ${f.message} (${f.file}:${f.line}, ${f.location})`);
    return {
      name: `${fs[0].rule} ${operation(fs[0])}`,
      classname: `api-compat.${fs[0].rule}`,
      ...(breaking.length
        ? { failure: { message: breaking[0].message, type: 'breaking-change', details: lines.join('\n') } }
        : {}),
    };
  });
  if (!cases.length) cases.push({ name: 'no changes between base and head', classname: 'api-compat' });
  return junitXml([{ name: 'api-compat', cases }]);
}

/** `GET /users/{id}`, or what a document-level finding is about. */
export function operation(f: { method?: string; path?: string }): string {
  if (f.method && f.path) return `${f.method} ${f.path}`;
  return f.path ?? '(document)';
}

const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function sarifReport(findings: readonly LocatedFinding[], rules: readonly RuleInfo[]): string {
  const known = new Set(rules.map((r) => r.id));
  // A finding from a rule the catalog does not list still needs a rule entry to point at.
  const extra = [...new Set(findings.map((f) => f.rule).filter((r) => !known.has(r)))].map((id) => ({
    id,
    title: id,
    level: 'warning' as const,
  }));
  return sarifLog(
    {
      name: 'shipgate-api-compat',
      informationUri: `https://github.com/${pkg.shipgate.github}/tree/main/actions/api-compat`,
      rules: [...rules.map((r) => ({ id: r.id, title: r.title, level: SARIF_LEVEL[r.severity] })), ...extra],
    },
    findings.map((f) => ({
      ruleId: f.rule,
      level: SARIF_LEVEL[f.severity],
      message: f.accepted ? `${f.message} (accepted: ${f.accepted.reason})` : f.message,
      uri: repoPath(f.file),
      line: f.line,
      fingerprint: createHash('sha256').update(identity(f)).digest('hex').slice(0, 32),
    })),
  );
}

const QUALITY: Record<Severity, CodeQualitySeverity> = { error: 'critical', warning: 'major', info: 'info' };

function codeQualityIssue(f: LocatedFinding) {
  return {
    description: `${operation(f)}: ${f.message}`,
    checkName: f.rule,
    severity: QUALITY[f.severity],
    path: repoPath(f.file),
    line: f.line,
    identity: identity(f),
  };
}

/** What makes a finding the same one on the next run: not its line, which moves with unrelated edits. */
function identity(f: LocatedFinding): string {
  return [f.rule, f.method ?? '', f.path ?? '', f.document, f.location].join('\u0000');
}
