// The exceptions file: changes a team has accepted. A matching finding is downgraded to info and listed as accepted;
// an entry past its `expires` date stops applying and is reported as expired. Reading the file is exceptions-file.ts
// (loaded only when the input is set: it brings the YAML parser that knows positions).
import type { Finding, Severity } from './model.js';

/** One accepted change. */
export interface ExceptionEntry {
  /**
   * Rule id as the user wrote it, or `*` for any rule. A string, not a RuleId: an id the catalog does not know is
   * kept (with a warning naming the nearest id) and matches nothing, as an entry for a rule of a newer version would.
   */
  rule: string;
  /** Upper-case HTTP method, or undefined for any. */
  method?: string;
  /** Path glob as written (`/users/**`), or undefined for any. */
  path?: string;
  reason: string;
  /** As written, YYYY-MM-DD or an ISO date-time. */
  expires?: string;
  /** Line of the entry in the file. */
  line?: number;
  /** Whether the entry matched a finding; set by applyExceptions. */
  used?: boolean;
  match: (f: Finding) => boolean;
  /** First moment the entry no longer applies (ms since epoch). */
  until?: number;
}

export interface ExceptionsFile {
  file: string;
  entries: ExceptionEntry[];
}

/** A finding as reported: accepted ones keep their original severity beside the downgraded one. */
export interface ReportedFinding extends Finding {
  originalSeverity?: Severity;
  accepted?: { reason: string; expires?: string; line?: number };
}

export interface Applied {
  findings: ReportedFinding[];
  accepted: ReportedFinding[];
  /** Entries past their date: they no longer apply. */
  expired: ExceptionEntry[];
  /** Live entries that matched nothing (worth cleaning up). */
  unused: ExceptionEntry[];
}

/** Downgrades findings matched by a live entry to info and marks them accepted. */
export function applyExceptions(
  findings: readonly Finding[],
  exceptions: ExceptionsFile | undefined,
  now: Date,
): Applied {
  const all = exceptions?.entries ?? [];
  const live = all.filter((e) => e.until === undefined || now.getTime() < e.until);
  const expired = all.filter((e) => !live.includes(e));
  const accepted: ReportedFinding[] = [];
  const out = findings.map((f): ReportedFinding => {
    if (f.severity === 'info') return f;
    const entry = live.find((e) => e.match(f));
    if (!entry) return f;
    entry.used = true;
    const a: ReportedFinding = {
      ...f,
      severity: 'info',
      originalSeverity: f.severity,
      accepted: { reason: entry.reason, expires: entry.expires, line: entry.line },
    };
    accepted.push(a);
    return a;
  });
  return { findings: out, accepted, expired, unused: live.filter((e) => !e.used) };
}
