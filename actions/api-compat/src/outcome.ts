// The verdict of a comparison: counts, the semantic-version bump it calls for, and whether the job fails.
import { plural } from '../../../shared/src/text.js';
import type { ReportedFinding } from './exceptions.js';
import type { RuleInfo } from './model.js';

export type FailOn = 'breaking' | 'warning' | 'never';
export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface Outcome {
  breaking: number;
  warnings: number;
  /** Every finding, accepted ones included. */
  changes: number;
  bump: Bump;
  /** Set when `fail-on` makes these findings fail the job. */
  failure?: string;
}

/**
 * Counts are taken after exceptions, so an accepted change neither fails the job nor asks for a major version:
 * accepting it says the team does not consider it breaking for its consumers.
 */
export function outcomeOf(findings: readonly ReportedFinding[], rules: readonly RuleInfo[], failOn: FailOn): Outcome {
  const additions = new Set(rules.filter((r) => r.addition).map((r) => r.id));
  const breaking = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const bump: Bump = breaking
    ? 'major'
    : findings.some((f) => additions.has(f.rule))
      ? 'minor'
      : findings.length
        ? 'patch'
        : 'none';
  let failure: string | undefined;
  if (failOn !== 'never' && breaking) {
    failure = `${plural(breaking, 'breaking change')}${failOn === 'warning' && warnings ? ` and ${plural(warnings, 'warning')}` : ''} (fail-on: ${failOn}).`;
  } else if (failOn === 'warning' && warnings) failure = `${plural(warnings, 'warning')} (fail-on: warning).`;
  return { breaking, warnings, changes: findings.length, bump, failure };
}
