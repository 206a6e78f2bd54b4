// GitLab's code-quality report (`artifacts:reports:codequality`): a JSON array of issues shown in the merge request.
import { createHash } from 'node:crypto';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One issue. `path` is relative to the repository root; `line` is 1-based. */
export interface CodeQualityIssue {
  description: string;
  checkName: string;
  severity: CodeQualitySeverity;
  path: string;
  line?: number;
  /** What makes the issue the same one on the next run; the check, path and description when absent. */
  identity?: string;
}

/**
 * The report text. GitLab needs a fingerprint unique per issue to tell new issues from fixed ones between the
 * source and target branch: a hash of the identity, with a counter when two issues share one.
 */
export function codeQualityReport(issues: readonly CodeQualityIssue[]): string {
  const seen = new Map<string, number>();
  const out = issues.map((i) => {
    const identity = i.identity ?? `${i.checkName}\u0000${i.path}\u0000${i.description}`;
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    return {
      description: i.description,
      check_name: i.checkName,
      fingerprint: createHash('sha256')
        .update(n ? `${identity}\u0000${n}` : identity)
        .digest('hex'),
      severity: i.severity,
      location: { path: i.path, lines: { begin: Math.max(1, i.line ?? 1) } },
    };
  });
  return JSON.stringify(out, null, 2) + '\n';
}
