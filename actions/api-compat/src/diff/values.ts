// Plain value helpers shared by schema views and keyword comparisons.

export interface Bound {
  value: number;
  exclusive: boolean;
}

export const LENGTH_KEYWORDS = [
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
] as const;
export type LengthKeyword = (typeof LENGTH_KEYWORDS)[number];

/** Is bound a strictly tighter than bound b? */
export function tighter(a: Bound, b: Bound, side: 'max' | 'min'): boolean {
  if (a.value !== b.value) return side === 'max' ? a.value < b.value : a.value > b.value;
  return a.exclusive && !b.exclusive;
}

/** Structural equality of JSON values (key order ignored). */
export function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 64) return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

/** A string equal for structurally equal JSON values (key order ignored), for set lookups in large enums. */
export function valueKey(v: unknown, depth = 0): string {
  if (v === null || typeof v !== 'object') return `${typeof v}:${String(v)}`;
  if (depth > 64) return 'deep';
  if (Array.isArray(v)) return `[${v.map((x) => valueKey(x, depth + 1)).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey((v as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
}

/** The values of `a` that are not in `b` (structural equality), in linear time. */
export function valuesMissing(a: unknown[], b: unknown[]): unknown[] {
  const keys = new Set(b.map((v) => valueKey(v)));
  return a.filter((v) => !keys.has(valueKey(v)));
}

/** The values of `a` that are also in `b`. */
export function valuesShared(a: unknown[], b: unknown[]): unknown[] {
  const keys = new Set(b.map((v) => valueKey(v)));
  return a.filter((v) => keys.has(valueKey(v)));
}
