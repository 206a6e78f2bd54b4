// The deprecation policy: a deprecation announces a readable sunset date, far enough ahead for the operation's
// stability level (days of notice are inputs; 0 only asks that a given date can be read and has not passed), and an
// announced sunset is neither withdrawn nor brought closer than that notice while the thing stays deprecated.
import type { DiffContext, OperationPair } from './context.js';
import type { Doc } from './doc.js';
import { isObject } from './pointer.js';
import { type Sunset, daysUntil, noticeDays, ownSunset, stability, sunsetText } from './sunset.js';
import type { RuleId } from './rules.js';
import type { PendingDeprecation, SchemaChange, Slot } from './shapes.js';

type Ids = Record<'deprecated' | 'parse' | 'missing' | 'tooSmall' | 'deleted' | 'changedTooSmall', RuleId>;

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
export function checkDeprecation(
  ctx: DiffContext,
  pair: OperationPair,
  kind: 'operation' | 'parameter',
  b: Record<string, unknown>,
  h: Record<string, unknown>,
  location: string,
  label: string,
): void {
  if (h.deprecated !== true) return; // not deprecated, or reactivated: nothing to hold to a date
  const ids = IDS[kind];
  const add = (rule: RuleId, message: string) => ctx.out.add(rule, pair.op, location, 'head', `${label} ${message}`);
  const notice = noticeDays(ctx.policy, stability(pair.hOp));
  const sunset = ownSunset(h);
  if (b.deprecated !== true) {
    if (sunset === undefined) {
      if (notice > 0)
        add(ids.missing, `deprecated without an x-sunset date (the policy asks for ${notice} days of notice)`);
      else add(ids.deprecated, 'deprecated');
    } else if (sunset === 'invalid')
      add(ids.parse, `deprecated with an x-sunset that cannot be read (use YYYY-MM-DD or an RFC 3339 date-time)`);
    else if (daysUntil(sunset, ctx.now) < notice)
      add(
        ids.tooSmall,
        `deprecated with sunset ${sunsetText(sunset)}, ${noticeText(daysUntil(sunset, ctx.now), notice)}`,
      );
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
    if (before !== 'invalid')
      add(ids.parse, `sunset changed to one that cannot be read (use YYYY-MM-DD or an RFC 3339 date-time)`);
    return;
  }
  if (before === 'invalid' || sunset.getTime() >= before.getTime()) return;
  const left = daysUntil(sunset, ctx.now);
  if (left < notice)
    add(
      ids.changedTooSmall,
      `sunset moved earlier, ${sunsetText(before)} → ${sunsetText(sunset)}, ${noticeText(left, notice)}`,
    );
}

const noticeText = (left: number, notice: number): string =>
  left < 0
    ? `which has already passed`
    : `${left} day${left === 1 ? '' : 's'} ahead where the policy asks for ${notice}`;

/** The raw kind a schema comparison reports for a property newly deprecated; {@link settleDeprecations} judges it. */
export const DEPRECATED_PROPERTY: PendingDeprecation = 'property-newly-deprecated';

/** The sunset of a property deprecated in head but not in base (undefined sunset: none announced); else undefined. */
export function newlyDeprecated(base: Doc, b: Slot, head: Doc, h: Slot): { sunset: Sunset } | undefined {
  const bn = base.deref(b.node, b.ptr).node;
  const hn = head.deref(h.node, h.ptr).node;
  if (!isObject(hn) || hn.deprecated !== true || (isObject(bn) && bn.deprecated === true)) return undefined;
  return { sunset: ownSunset(hn) };
}

/**
 * Judges the properties a body comparison found newly deprecated against the policy for the operation's stability
 * `level`, as the reference does for request and response body properties; parameters and headers (`inBody` false)
 * carry no property deprecation rules, so those are dropped.
 */
export function settleDeprecations(
  ctx: DiffContext,
  changes: SchemaChange[],
  level: number,
  inBody: boolean,
): SchemaChange[] {
  if (!changes.some((c) => c.kind === DEPRECATED_PROPERTY)) return changes;
  const notice = noticeDays(ctx.policy, level);
  return changes.flatMap((c): SchemaChange[] => {
    if (c.kind !== DEPRECATED_PROPERTY) return [c];
    if (!inBody) return [];
    const { sunset } = c;
    if (sunset === undefined)
      return [
        notice > 0
          ? {
              ...c,
              kind: 'deprecated-sunset-missing',
              detail: `deprecated without an x-sunset date (the policy asks for ${notice} days of notice)`,
            }
          : { ...c, kind: 'deprecated' },
      ];
    if (sunset === 'invalid')
      return [
        {
          ...c,
          kind: 'deprecated-sunset-invalid',
          detail: 'deprecated with an x-sunset that cannot be read (use YYYY-MM-DD or an RFC 3339 date-time)',
        },
      ];
    const left = daysUntil(sunset, ctx.now);
    if (left < notice)
      return [
        {
          ...c,
          kind: 'sunset-date-too-small',
          detail: `deprecated with sunset ${sunsetText(sunset)}, ${noticeText(left, notice)}`,
        },
      ];
    return [{ ...c, kind: 'deprecated', detail: `deprecated (sunset ${sunsetText(sunset)})` }];
  });
}
