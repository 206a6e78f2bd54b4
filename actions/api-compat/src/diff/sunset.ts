// Sunset dates (when something deprecated may go away) and stability levels (how much an operation promises).

const SUNSET_KEYS = new Set(['x-sunset', 'x-sunset-date', 'x-api-sunset', 'sunset']);

/** A date, 'invalid' when a sunset is announced but cannot be read, or undefined when none is announced. */
export type Sunset = Date | 'invalid' | undefined;

export function parseSunset(v: unknown): Sunset {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
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

export const sunsetText = (sunset: Date | 'invalid'): string => (sunset === 'invalid' ? 'cannot be read' : sunset.toISOString().slice(0, 10));

// The `x-stability-level` convention: draft and alpha operations promise nothing, so changing them breaks no one.
const LEVELS = ['draft', 'alpha', 'beta', 'stable'];

/** 0 (draft) … 3 (stable); an operation without a level, or with one we do not know, is stable. */
export function stability(op: Record<string, unknown>): number {
  const level = op['x-stability-level'];
  const at = typeof level === 'string' ? LEVELS.indexOf(level.toLowerCase()) : -1;
  return at < 0 ? LEVELS.length - 1 : at;
}

export const levelName = (level: number): string => LEVELS[level];

/** Below beta, an operation's breaking changes are reported but do not gate. */
export const UNSTABLE_BELOW = 2;
