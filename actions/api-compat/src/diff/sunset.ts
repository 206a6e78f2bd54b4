// Sunset dates (when something deprecated may go away) and stability levels (how much an operation promises).

const SUNSET_KEYS = new Set(['x-sunset', 'x-sunset-date', 'x-api-sunset', 'sunset']);

/** A date, 'invalid' when a sunset is announced but cannot be read, or undefined when none is announced. */
export type Sunset = Date | 'invalid' | undefined;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An `x-sunset` value: a calendar date (`2027-06-30`) or an RFC 3339 date-time, as the convention asks. Anything else
 * (a number, `06/30/2027`, `next spring`) is 'invalid': clients cannot tell when the thing goes away.
 */
export function parseSunset(v: unknown): Sunset {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid' : v;
  if (typeof v !== 'string') return 'invalid';
  const s = v.trim();
  const day = DAY.exec(s);
  if (day) {
    const d = new Date(Date.UTC(+day[1], +day[2] - 1, +day[3]));
    // Date.UTC rolls 2026-13-45 over into 2027; a real date reads back the same.
    return d.toISOString().slice(0, 10) === s ? d : 'invalid';
  }
  if (!DATE_TIME.test(s)) return 'invalid';
  const t = Date.parse(s);
  return Number.isNaN(t) ? 'invalid' : new Date(t);
}

/** A `Sunset` response header value (RFC 8594 uses HTTP dates as well as ISO ones). */
export function parseHttpDate(v: unknown): Sunset {
  const strict = parseSunset(v);
  if (strict !== 'invalid' || typeof v !== 'string') return strict;
  const t = Date.parse(v);
  return Number.isNaN(t) ? 'invalid' : new Date(t);
}

/** The sunset an object (operation, path item, parameter) announces through an `x-sunset`-style extension. */
export function ownSunset(owner: Record<string, unknown>): Sunset {
  for (const [key, value] of Object.entries(owner)) if (SUNSET_KEYS.has(key.toLowerCase())) return parseSunset(value);
  return undefined;
}

/** Removal after the announced sunset is allowed; before it, or with a date nobody can read, it breaks clients. */
export function sunsetPassed(sunset: Date | 'invalid', now: Date): boolean {
  return sunset !== 'invalid' && sunset.getTime() <= now.getTime();
}

/** Whole calendar days from `now` to `date` (UTC): negative when the date has passed. */
export function daysUntil(date: Date, now: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(date) - day(now)) / 86_400_000);
}

export const sunsetText = (sunset: Date | 'invalid'): string =>
  sunset === 'invalid' ? 'cannot be read' : sunset.toISOString().slice(0, 10);

// The `x-stability-level` convention: draft and alpha operations promise nothing, so changing them breaks no one.
const LEVELS = ['draft', 'alpha', 'beta', 'stable'];

/** 0 (draft) … 3 (stable); an operation without a level, or with one we do not know, is stable. */
export function stability(op: Record<string, unknown>): number {
  const level = op['x-stability-level'];
  const at = typeof level === 'string' ? LEVELS.indexOf(level) : -1;
  return at < 0 ? LEVELS.length - 1 : at;
}

/** The level as written when it is not one of draft, alpha, beta, stable (exactly); undefined when valid or absent. */
export function invalidStability(op: Record<string, unknown>): string | undefined {
  const level = op['x-stability-level'];
  if (level === undefined || level === null) return undefined;
  return typeof level === 'string' && LEVELS.includes(level) ? undefined : JSON.stringify(level);
}

export const levelName = (level: number): string => LEVELS[level];

/** The level of an operation without `x-stability-level` (and of webhooks). */
export const STABLE = LEVELS.length - 1;

/** Below beta, an operation's breaking changes are reported but do not gate. */
export const UNSTABLE_BELOW = 2;

/** Days of notice a deprecation must give, per stability level. */
export interface DeprecationPolicy {
  beta: number;
  stable: number;
}

/** Draft and alpha need no notice; beta and stable need what the policy says. */
export const noticeDays = (policy: DeprecationPolicy, level: number): number =>
  level < UNSTABLE_BELOW ? 0 : level === UNSTABLE_BELOW ? policy.beta : policy.stable;
