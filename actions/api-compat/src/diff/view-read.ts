// Reading one schema object's own keywords into a view (refs, allOf and merges are handled in view.ts).
import { isObject, join } from './pointer.js';
import { type Bound, LENGTH_KEYWORDS, sameValue, tighter } from './values.js';
import type { SchemaView } from './shapes.js';

/** Keywords that restrict valid values in ways compared as whole values (see applicators.ts). */
export const APPLICATORS = [
  'not',
  'if',
  'then',
  'else',
  'contains',
  'minContains',
  'maxContains',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
] as const;

export function readOwn(view: SchemaView, node: Record<string, unknown>, ptr: string): void {
  const mark = (kw: string) => view.origin.set(kw, join(ptr, kw));
  const types =
    typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type.map(String) : undefined;
  if (types) {
    mark('type');
    if (types.includes('null')) view.nullable = true;
    const real = types.filter((t) => t !== 'null');
    if (real.length) view.types = new Set(real);
  }
  if (node.nullable === true) {
    view.nullable = true;
    mark('nullable');
  }
  if (typeof node.format === 'string') {
    view.format = node.format;
    mark('format');
  }
  let values: unknown[] | undefined = Array.isArray(node.enum) ? node.enum : undefined;
  if ('const' in node) view.constValue = { value: node.const };
  if ('const' in node) values = values ? values.filter((v) => sameValue(v, node.const)) : [node.const];
  if (values) {
    mark(Array.isArray(node.enum) ? 'enum' : 'const');
    if (values.includes(null)) view.nullable = true;
    view.enum = values.filter((v) => v !== null);
    if (!view.enum.length && view.nullable) view.enum = undefined;
  }
  if (isObject(node.properties)) {
    mark('properties');
    for (const [name, schema] of Object.entries(node.properties))
      view.properties.set(name, { node: schema, ptr: join(ptr, 'properties', name) });
  }
  if (Array.isArray(node.required)) {
    for (const name of node.required) view.required.add(String(name));
    mark('required');
  }
  if (node.additionalProperties === false) view.additional = false;
  else if (isObject(node.additionalProperties) && Object.keys(node.additionalProperties).length) {
    view.additional = { node: node.additionalProperties, ptr: join(ptr, 'additionalProperties') };
  }
  if ('additionalProperties' in node) mark('additionalProperties');
  if (Array.isArray(node['x-extensible-enum'])) {
    view.extensible = node['x-extensible-enum'];
    mark('x-extensible-enum');
  }
  if (Array.isArray(node.prefixItems)) {
    view.prefixItems = node.prefixItems.map((s, i) => ({ node: s, ptr: join(ptr, 'prefixItems', i) }));
    mark('prefixItems');
  } else if (Array.isArray(node.items)) {
    // Draft 4-2019 tuples (`items` as a list) mean what 3.1 spells prefixItems.
    view.prefixItems = node.items.map((s, i) => ({ node: s, ptr: join(ptr, 'items', i) }));
    mark('items');
  }
  for (const kw of APPLICATORS) {
    if (node[kw] === undefined) continue;
    view.applicators.set(kw, { value: node[kw], ptr: join(ptr, kw) });
    mark(kw);
  }
  if (isObject(node.items) || typeof node.items === 'boolean') {
    view.items = { node: node.items, ptr: join(ptr, 'items') };
    mark('items');
  }
  view.max = bound(node.maximum, node.exclusiveMaximum, 'max');
  view.min = bound(node.minimum, node.exclusiveMinimum, 'min');
  for (const kw of ['maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum']) if (kw in node) mark(kw);
  for (const kw of LENGTH_KEYWORDS) {
    const v = node[kw];
    if (typeof v === 'number' && !(kw.startsWith('min') && v === 0)) {
      view.lengths[kw] = v;
      mark(kw);
    }
  }
  if (typeof node.pattern === 'string') {
    view.pattern = node.pattern;
    mark('pattern');
  }
  if (typeof node.multipleOf === 'number' && node.multipleOf > 0) {
    view.multipleOf = node.multipleOf;
    mark('multipleOf');
  }
  if (node.uniqueItems === true) {
    view.uniqueItems = true;
    mark('uniqueItems');
  }
  view.readOnly = node.readOnly === true;
  view.writeOnly = node.writeOnly === true;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = node[key];
    if (Array.isArray(list) && list.length) {
      view[key] = list.map((s, i) => ({ node: s, ptr: join(ptr, key, i) }));
      mark(key);
    }
  }
  if (isObject(node.discriminator)) {
    const d = node.discriminator;
    view.discriminator = {
      propertyName: typeof d.propertyName === 'string' ? d.propertyName : undefined,
      mapping: isObject(d.mapping) ? (d.mapping as Record<string, string>) : {},
    };
    mark('discriminator');
  }
  if (!view.types) {
    // A schema with properties and no type is an object schema in practice; keep it equal to one that says so.
    if (view.properties.size || view.additional !== undefined || view.required.size) view.types = new Set(['object']);
    else if (view.items || view.prefixItems) view.types = new Set(['array']);
  }
}

function bound(plain: unknown, exclusive: unknown, side: 'max' | 'min'): Bound | undefined {
  let result: Bound | undefined =
    typeof plain === 'number' ? { value: plain, exclusive: exclusive === true } : undefined;
  if (typeof exclusive === 'number') {
    const candidate = { value: exclusive, exclusive: true };
    if (!result || tighter(candidate, result, side)) result = candidate;
  }
  return result;
}
