// The deprecation policy: a deprecation announces a readable sunset date, far enough ahead for the operation's
// stability level (days of notice are inputs; 0 only asks that a given date can be read and has not passed), and an
// announced sunset is neither withdrawn nor brought closer than that notice while the thing stays deprecated.
import type { DiffContext, OperationPair } from './context.js';
import { daysUntil, noticeDays, ownSunset, stability, sunsetText } from './sunset.js';

interface Ids {
  deprecated: string;
  parse: string;
  missing: string;
  tooSmall: string;
  deleted: string;
  changedTooSmall: string;
}

const IDS: Record<'operation' | 'parameter', Ids> = {
  operation: {
    deprecated: 'api-operation-deprecated',
    parse: 'api-deprecated-sunset-parse',
    missing: 'api-deprecated-sunset-missing',
    tooSmall: 'api-sunset-date-too-small',
    deleted: 'sunset-deleted',
    changedTooSmall: 'api-sunset-date-changed-too-small',
  },
  parameter: {
    deprecated: 'request-parameter-deprecated',
    parse: 'request-parameter-sunset-parse',
    missing: 'request-parameter-deprecated-sunset-missing',
    tooSmall: 'request-parameter-sunset-date-too-small',
    deleted: 'request-parameter-sunset-deleted',
    changedTooSmall: 'request-parameter-sunset-date-changed-too-small',
  },
};

/**
 * Checks the deprecation of an operation or parameter present on both sides. `location` points at it in head;
 * `label` names it in messages (`GET /users`, `query parameter 'q'`).
 */
export function checkDeprecation(ctx: DiffContext, pair: OperationPair, kind: 'operation' | 'parameter', b: Record<string, unknown>, h: Record<string, unknown>, location: string, label: string): void {
  if (h.deprecated !== true) return; // not deprecated, or reactivated: nothing to hold to a date
  const ids = IDS[kind];
  const add = (rule: string, message: string) => ctx.out.add(rule, pair.op, location, 'head', `${label} ${message}`);
  const notice = noticeDays(ctx.policy, stability(pair.hOp));
  const sunset = ownSunset(h);
  if (b.deprecated !== true) {
    if (sunset === undefined) {
      if (notice > 0) add(ids.missing, `deprecated without an x-sunset date (the policy asks for ${notice} days of notice)`);
      else add(ids.deprecated, 'deprecated');
    } else if (sunset === 'invalid') add(ids.parse, `deprecated with an x-sunset that cannot be read (use YYYY-MM-DD or an RFC 3339 date-time)`);
    else if (daysUntil(sunset, ctx.now) < notice) add(ids.tooSmall, `deprecated with sunset ${sunsetText(sunset)}, ${noticeText(daysUntil(sunset, ctx.now), notice)}`);
    else add(ids.deprecated, `deprecated (sunset ${sunsetText(sunset)})`);
    return;
  }
  const before = ownSunset(b);
  if (before === undefined) return; // a sunset announced for the first time only adds information
  if (sunset === undefined) {
    add(ids.deleted, `is still deprecated but its sunset date ${sunsetText(before)} was removed`);
    return;
  }
  if (sunset === 'invalid') {
    if (before !== 'invalid') add(ids.parse, `sunset changed to one that cannot be read (use YYYY-MM-DD or an RFC 3339 date-time)`);
    return;
  }
  if (before === 'invalid' || sunset.getTime() >= before.getTime()) return;
  const left = daysUntil(sunset, ctx.now);
  if (left < notice) add(ids.changedTooSmall, `sunset moved earlier, ${sunsetText(before)} → ${sunsetText(sunset)}, ${noticeText(left, notice)}`);
}

const noticeText = (left: number, notice: number): string =>
  left < 0 ? `which has already passed` : `${left} day${left === 1 ? '' : 's'} ahead where the policy asks for ${notice}`;
