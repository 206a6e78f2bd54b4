// JSON Schema keywords that are compared as whole values rather than walked: `not`, `if`/`then`/`else`, `contains`,
// `dependentRequired`, `propertyNames`, `unevaluated*`, `content*`… Adding one narrows what is valid, removing one
// widens it, and a change is undecidable in general; `const` and `x-extensible-enum` get their own, sharper checks.
import { type Emit, show } from './keywords.js';
import { valueKey, valuesMissing } from './values.js';
import type { SchemaView } from './shapes.js';
import { APPLICATORS } from './view-read.js';

type Where = (kw: string) => string;

/** Keywords that are maps of independent entries, compared entry by entry. */
const MAPS = new Set(['dependentRequired', 'dependentSchemas', 'patternProperties']);
/** Keywords whose change makes the value a different kind of data: breaking both ways. */
const CONTENT = new Set(['contentMediaType', 'contentEncoding']);
/** Counts of `contains` matches, compared as bounds (an absent minContains is 1, an absent maxContains unbounded). */
const CONTAINS_BOUNDS = { minContains: 1, maxContains: Infinity } as const;

export function compareApplicators(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  if (!bv.applicators.size && !hv.applicators.size) return;
  for (const kw of APPLICATORS) {
    const b = bv.applicators.get(kw);
    const h = hv.applicators.get(kw);
    if (!b && !h) continue;
    if (b && h && valueKey(b.value) === valueKey(h.value)) continue;
    if (kw === 'minContains' || kw === 'maxContains') {
      compareContainsBound(kw, b?.value, h?.value, request, emit, h?.ptr ?? b!.ptr);
    } else if (CONTENT.has(kw)) {
      emit(
        'content-type-changed',
        `${kw} ${show(b?.value)} → ${show(h?.value)}`,
        h?.ptr ?? b!.ptr,
        h ? 'head' : 'base',
      );
    } else if (MAPS.has(kw) && isMap(b?.value ?? {}) && isMap(h?.value ?? {})) {
      compareMap(
        kw,
        (b?.value ?? {}) as Record<string, unknown>,
        (h?.value ?? {}) as Record<string, unknown>,
        request,
        emit,
        h?.ptr ?? b!.ptr,
      );
    } else if (!b) emit(request ? 'keyword-added' : 'constraint-tightened', `${kw} added`, h!.ptr);
    else if (!h) emit(request ? 'constraint-relaxed' : 'keyword-removed', `${kw} removed`, where(kw), 'head');
    else emit('keyword-changed', `${kw} changed`, h.ptr);
  }
}

function compareMap(
  kw: string,
  b: Record<string, unknown>,
  h: Record<string, unknown>,
  request: boolean,
  emit: Emit,
  ptr: string,
): void {
  for (const key of Object.keys(h)) {
    if (!(key in b)) emit(request ? 'keyword-added' : 'constraint-tightened', `${kw} '${key}' added`, ptr);
    // A changed dependentRequired entry is breaking either way, as the reference classifies it: the set of
    // properties that must come together is a contract in both directions.
    else if (valueKey(b[key]) !== valueKey(h[key]))
      emit(
        kw === 'dependentRequired' ? 'dependent-required-changed' : 'keyword-changed',
        `${kw} '${key}' changed`,
        ptr,
      );
  }
  for (const key of Object.keys(b))
    if (!(key in h)) emit(request ? 'constraint-relaxed' : 'keyword-removed', `${kw} '${key}' removed`, ptr);
}

/**
 * A response `const` is a fixed value clients rely on (type tags, versions): removing or changing it breaks them,
 * where adding a value to an ordinary enum is only a warning. Requests are covered by the enum comparison.
 */
export function compareConst(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  if (request || !bv.constValue) return;
  if (hv.constValue && valueKey(hv.constValue.value) === valueKey(bv.constValue.value)) return;
  const now = hv.constValue ? show(hv.constValue.value) : 'none';
  emit('const-changed', `const ${show(bv.constValue.value)} → ${now}`, where(hv.constValue ? 'const' : 'type'));
}

/** `x-extensible-enum` promises clients may send every listed value; new values are expected, removed ones break. */
export function compareExtensible(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: Where): void {
  if (!request || !bv.extensible) return;
  const removed = valuesMissing(bv.extensible, hv.extensible ?? []);
  if (removed.length && hv.extensible)
    emit(
      'enum-value-removed',
      `x-extensible-enum value${removed.length > 1 ? 's' : ''} ${removed.map(show).join(', ')} removed`,
      where('x-extensible-enum'),
    );
}

function compareContainsBound(
  kw: keyof typeof CONTAINS_BOUNDS,
  bRaw: unknown,
  hRaw: unknown,
  request: boolean,
  emit: Emit,
  ptr: string,
): void {
  const b = typeof bRaw === 'number' ? bRaw : CONTAINS_BOUNDS[kw];
  const h = typeof hRaw === 'number' ? hRaw : CONTAINS_BOUNDS[kw];
  if (b === h) return;
  const detail = `${kw} ${show(bRaw)} → ${show(hRaw)}`;
  // More matches required (min up) or fewer allowed (max down) narrows the valid arrays.
  const narrows = kw === 'minContains' ? h > b : h < b;
  if (request)
    emit(
      narrows ? (kw === 'minContains' ? 'min-contains-increased' : 'max-contains-decreased') : 'constraint-relaxed',
      detail,
      ptr,
    );
  else
    emit(
      narrows ? 'constraint-tightened' : kw === 'minContains' ? 'min-contains-decreased' : 'max-contains-increased',
      detail,
      ptr,
    );
}

const isMap = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
