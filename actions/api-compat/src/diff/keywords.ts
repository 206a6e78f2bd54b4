// Keyword-level comparisons of two schema views: each reports through `emit` with a kind whose severity depends on
// the direction (see rules.ts). They see one level only; properties, items and alternatives are walked in compare.ts.
import { type Bound, LENGTH_KEYWORDS, type LengthKeyword, tighter, valuesMissing } from './values.js';
import type { SchemaChangeKind } from './rules.js';
import type { SchemaView, Side } from './shapes.js';

export type Emit = (kind: SchemaChangeKind, detail: string, location: string, document?: Side) => void;
type Where = (kw: string) => string;

const TRIVIAL_PATTERNS = new Set(['.*', '^.*$', '^.*', '.*$', '[\\s\\S]*', '^[\\s\\S]*$']);
/** Format pairs where the second accepts every value of the first. */
const WIDER_FORMAT: Record<string, string[]> = {
  int32: ['int64'],
  float: ['double'],
  int8: ['int16', 'int32', 'int64'],
  int16: ['int32', 'int64'],
};

const typeText = (t?: Set<string>) => (t ? [...t].sort().join('|') : 'any');

function covers(outer: Set<string> | undefined, inner: Set<string> | undefined): boolean {
  if (!outer) return true;
  if (!inner) return false;
  for (const t of inner) if (!outer.has(t) && !(t === 'integer' && outer.has('number'))) return false;
  return true;
}

/** Reports a type change; false when the types no longer overlap (comparing further would only add noise). */
export function compareTypes(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): boolean {
  const bt = bv.types;
  const ht = hv.types;
  if (covers(bt, ht) && covers(ht, bt)) return true;
  const detail = `type ${typeText(bt)} → ${typeText(ht)}`;
  if (request) emit(covers(ht, bt) ? 'type-widened' : 'type-changed', detail, where('type'));
  else emit(covers(bt, ht) ? 'type-narrowed' : 'type-changed', detail, where('type'));
  // Disjoint types (string → object): what lies below cannot be compared meaningfully.
  return !bt || !ht || [...ht].some((t) => covers(bt, new Set([t]))) || [...bt].some((t) => covers(ht, new Set([t])));
}

export function compareFormat(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  const b = bv.format;
  const h = hv.format;
  if (b === h) return;
  const detail = `format ${b ?? 'none'} → ${h ?? 'none'}`;
  const widens = h === undefined || (b !== undefined && (WIDER_FORMAT[b] ?? []).includes(h));
  const narrows = b === undefined || (h !== undefined && (WIDER_FORMAT[h] ?? []).includes(b));
  if (request) emit(widens ? 'format-widened' : 'format-changed', detail, where('format'));
  else emit(narrows ? 'format-narrowed' : 'format-changed', detail, where('format'));
}

export function compareNullable(bv: SchemaView, hv: SchemaView, emit: Emit, where: Where): void {
  if (bv.nullable === hv.nullable) return;
  const kw = hv.origin.has('nullable') ? 'nullable' : 'type';
  emit(
    hv.nullable ? 'became-nullable' : 'became-not-nullable',
    hv.nullable ? 'now nullable' : 'no longer nullable',
    where(kw),
  );
}

export const show = (v: unknown): string => {
  if (v === undefined) return 'none';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const list = (values: unknown[]) =>
  values.length > 5
    ? `${values.slice(0, 5).map(show).join(', ')} and ${values.length - 5} more`
    : values.map(show).join(', ');

export function compareEnum(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  const b = bv.enum;
  const h = hv.enum;
  if (!b && !h) return;
  const loc = where(hv.origin.has('enum') ? 'enum' : 'const');
  if (b && h) {
    const removed = valuesMissing(b, h);
    const added = valuesMissing(h, b);
    if (removed.length)
      emit('enum-value-removed', `enum value${removed.length > 1 ? 's' : ''} ${list(removed)} removed`, loc);
    if (added.length) emit('enum-value-added', `enum value${added.length > 1 ? 's' : ''} ${list(added)} added`, loc);
  } else if (h) {
    emit(request ? 'became-enum' : 'constraint-tightened', `now restricted to ${list(h)}`, loc);
  } else if (b) {
    emit(request ? 'constraint-relaxed' : 'enum-value-added', `enum ${list(b)} removed: any value allowed`, hv.ptr);
  }
}

const boundText = (b?: Bound) => (b ? `${b.exclusive ? '(exclusive) ' : ''}${b.value}` : 'none');

export function compareBounds(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  for (const side of ['max', 'min'] as const) {
    const b = bv[side];
    const h = hv[side];
    if (!b && !h) continue;
    const tightened = !!h && (!b || tighter(h, b, side));
    const loosened = !!b && (!h || tighter(b, h, side));
    if (!tightened && !loosened) continue;
    const name = side === 'max' ? 'maximum' : 'minimum';
    const detail = `${name} ${boundText(b)} → ${boundText(h)}`;
    const loc = where(hv.origin.has(name) ? name : side === 'max' ? 'exclusiveMaximum' : 'exclusiveMinimum');
    emitBound(side === 'max' ? 'max' : 'min', side, tightened, request, detail, loc, emit);
  }
  for (const kw of LENGTH_KEYWORDS) {
    const b = bv.lengths[kw];
    const h = hv.lengths[kw];
    if (b === h) continue;
    const side = kw.startsWith('max') ? 'max' : 'min';
    const tightened = h !== undefined && (b === undefined || (side === 'max' ? h < b : h > b));
    emitBound(KEBAB[kw], side, tightened, request, `${kw} ${b ?? 'none'} → ${h ?? 'none'}`, where(kw), emit);
  }
}

/** The kinds' spelling of each bounded keyword (`max` and `min` are maximum and minimum). */
type BoundName =
  'max' | 'min' | 'max-length' | 'min-length' | 'max-items' | 'min-items' | 'max-properties' | 'min-properties';

const KEBAB: Record<LengthKeyword, BoundName> = {
  maxLength: 'max-length',
  minLength: 'min-length',
  maxItems: 'max-items',
  minItems: 'min-items',
  maxProperties: 'max-properties',
  minProperties: 'min-properties',
};

function emitBound(
  name: BoundName,
  side: 'max' | 'min',
  tightened: boolean,
  request: boolean,
  detail: string,
  loc: string,
  emit: Emit,
): void {
  if (request) {
    if (tightened) emit(`${name}-${side === 'max' ? 'decreased' : 'increased'}`, detail, loc);
    else emit('constraint-relaxed', detail, loc);
  } else if (!tightened) emit(`${name}-${side === 'max' ? 'increased' : 'decreased'}`, detail, loc);
  else emit('constraint-tightened', detail, loc);
}

export function comparePattern(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  const b = bv.pattern && !TRIVIAL_PATTERNS.has(bv.pattern) ? bv.pattern : undefined;
  const h = hv.pattern && !TRIVIAL_PATTERNS.has(hv.pattern) ? hv.pattern : undefined;
  if (b === h) return;
  const detail = `pattern ${b ? show(b) : 'none'} → ${h ? show(h) : 'none'}`;
  const loc = where('pattern');
  if (!b) emit(request ? 'pattern-added' : 'constraint-tightened', detail, loc);
  else if (!h) emit(request ? 'constraint-relaxed' : 'pattern-removed', detail, loc);
  else emit('pattern-changed', detail, loc);
}

const divides = (small: number, big: number) => {
  const q = big / small;
  return Math.abs(q - Math.round(q)) < 1e-9;
};

export function compareMultipleOf(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  const b = bv.multipleOf;
  const h = hv.multipleOf;
  if (b === h) return;
  const detail = `multipleOf ${b ?? 'none'} → ${h ?? 'none'}`;
  // Values valid before stay valid when the new step divides the old one.
  const widens = h === undefined || (b !== undefined && divides(h, b));
  const narrows = b === undefined || (h !== undefined && divides(b, h));
  if (request) emit(widens ? 'constraint-relaxed' : 'multiple-of-changed', detail, where('multipleOf'));
  else emit(narrows ? 'constraint-tightened' : 'multiple-of-changed', detail, where('multipleOf'));
}

export function compareDiscriminator(bv: SchemaView, hv: SchemaView, emit: Emit, where: Where): void {
  const b = bv.discriminator;
  const h = hv.discriminator;
  if (!b || !h) return;
  if (b.propertyName !== h.propertyName) {
    emit(
      'discriminator-changed',
      `discriminator property ${show(b.propertyName)} → ${show(h.propertyName)}`,
      where('discriminator'),
    );
    return;
  }
  const lost = Object.keys(b.mapping).filter((k) => h.mapping[k] !== undefined && h.mapping[k] !== b.mapping[k]);
  const gone = Object.keys(b.mapping).filter((k) => h.mapping[k] === undefined);
  if (lost.length || gone.length) {
    emit(
      'discriminator-changed',
      `discriminator mapping ${[...gone.map((k) => `${k} removed`), ...lost.map((k) => `${k} retargeted`)].join(', ')}`,
      where('discriminator'),
    );
  }
}
