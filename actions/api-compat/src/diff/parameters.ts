// Request parameters, keyed by (in, name): header names compare case-insensitively, and path parameters by their
// position in the template so that `/users/{id}` → `/users/{userId}` is a rename, not a removal plus an addition.
import type { Doc } from './doc.js';
import { type DiffContext, type OperationPair, entries } from './context.js';
import { anySlot } from './compare.js';
import { isObject, join } from './pointer.js';
import { sameValue } from './values.js';
import { ownSunset, sunsetPassed, sunsetText } from './sunset.js';
import { checkDeprecation, settleDeprecations } from './deprecation.js';
import type { Slot } from './shapes.js';

interface Param {
  name: string;
  in: string;
  node: Record<string, unknown>;
  /** Where the parameter is listed in the operation (or path item). */
  site: string;
  schema: Slot;
}

// OpenAPI says these header parameters are ignored (they are described elsewhere).
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

function keyOf(p: { name: string; in: string }, template: string[]): string {
  if (p.in === 'path') {
    const at = template.indexOf(p.name);
    return at >= 0 ? `path#${at}` : `path:${p.name}`;
  }
  return p.in === 'header' ? `header:${p.name.toLowerCase()}` : `${p.in}:${p.name}`;
}

function collect(
  doc: Doc,
  template: string,
  item: Record<string, unknown>,
  itemPtr: string,
  op: Record<string, unknown>,
  opPtr: string,
): Map<string, Param> {
  const names = templateNames(template);
  const params = new Map<string, Param>();
  for (const [owner, ownerPtr] of [
    [item, itemPtr],
    [op, opPtr],
  ] as const) {
    if (!Array.isArray(owner.parameters)) continue;
    owner.parameters.forEach((raw, i) => {
      const site = join(ownerPtr, 'parameters', i);
      const { node, ptr } = doc.deref(raw, site);
      if (!isObject(node) || typeof node.name !== 'string' || typeof node.in !== 'string') return;
      if (node.in === 'header' && IGNORED_HEADERS.has(node.name.toLowerCase())) return;
      params.set(keyOf({ name: node.name, in: node.in }, names), {
        name: node.name,
        in: node.in,
        node,
        site,
        schema: schemaSlot(node, ptr),
      });
    });
  }
  return params;
}

function schemaSlot(node: Record<string, unknown>, ptr: string): Slot {
  if ('schema' in node) return { node: node.schema, ptr: join(ptr, 'schema') };
  // A parameter described by `content` has exactly one media type.
  const [media] = entries(node.content);
  if (media && isObject(media[1]) && 'schema' in media[1])
    return { node: media[1].schema, ptr: join(ptr, 'content', media[0], 'schema') };
  return anySlot(ptr);
}

const isRequired = (p: Param) => p.in === 'path' || p.node.required === true;
const label = (p: Param) => `${p.in} parameter '${p.name}'`;

function style(p: Param): string {
  const s = typeof p.node.style === 'string' ? p.node.style : p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
  const explode = typeof p.node.explode === 'boolean' ? p.node.explode : s === 'form';
  return `${s}${explode ? ' exploded' : ''}`;
}

function defaultOf(doc: Doc, p: Param): unknown {
  const { node } = doc.deref(p.schema.node, p.schema.ptr);
  return isObject(node) ? node.default : undefined;
}

export function diffParameters(ctx: DiffContext, pair: OperationPair): void {
  const base = collect(ctx.base, pair.basePath, pair.bItem, pathItemPtr(pair.bPtr), pair.bOp, pair.bPtr);
  const head = collect(ctx.head, pair.headPath, pair.hItem, pathItemPtr(pair.hPtr), pair.hOp, pair.hPtr);
  const { op } = pair;
  const claimed = new Set<string>();
  for (const [key, b] of base) {
    const h = head.get(key);
    if (h) {
      claimed.add(key);
      compareParam(ctx, pair, b, h);
      continue;
    }
    const moved = [...head].find(
      ([k, p]) => !base.has(k) && !claimed.has(k) && p.name.toLowerCase() === b.name.toLowerCase() && p.in !== b.in,
    );
    if (moved) {
      claimed.add(moved[0]);
      ctx.out.add(
        'request-parameter-location-changed',
        op,
        moved[1].site,
        'head',
        `parameter '${b.name}' moved from ${b.in} to ${moved[1].in}`,
      );
      continue;
    }
    removedParam(ctx, pair, b);
  }
  for (const [key, h] of head) {
    if (base.has(key) || claimed.has(key)) continue;
    const required = isRequired(h);
    ctx.out.add(
      required ? 'request-parameter-added-required' : 'request-parameter-added-optional',
      op,
      h.site,
      'head',
      `${label(h)} added${required ? ' (required)' : ''}`,
    );
  }
}

function removedParam(ctx: DiffContext, pair: OperationPair, b: Param): void {
  const deprecated = b.node.deprecated === true;
  const sunset = deprecated ? ownSunset(b.node) : undefined;
  if (sunset && !sunsetPassed(sunset, ctx.now)) {
    ctx.out.add(
      'request-parameter-removed-before-sunset',
      pair.op,
      b.site,
      'base',
      `${label(b)} removed; its sunset date ${sunsetText(sunset)}${sunset === 'invalid' ? '' : ' is still ahead'}`,
    );
    return;
  }
  ctx.out.add(
    deprecated ? 'request-parameter-removed-after-deprecation' : 'request-parameter-removed',
    pair.op,
    b.site,
    'base',
    `${label(b)} removed${deprecated ? ' (was deprecated)' : ''}`,
  );
}

/** `#/paths/~1users/get` → `#/paths/~1users`. */
const pathItemPtr = (opPtr: string) => opPtr.slice(0, opPtr.lastIndexOf('/'));

function compareParam(ctx: DiffContext, pair: OperationPair, b: Param, h: Param): void {
  const { op } = pair;
  const bReq = isRequired(b);
  const hReq = isRequired(h);
  if (bReq !== hReq) {
    ctx.out.add(
      hReq ? 'request-parameter-became-required' : 'request-parameter-became-optional',
      op,
      h.site,
      'head',
      `${label(h)}: ${hReq ? 'optional → required' : 'required → optional'}`,
    );
  }
  if (style(b) !== style(h))
    ctx.out.add(
      'request-parameter-style-changed',
      op,
      h.site,
      'head',
      `${label(h)}: serialisation ${style(b)} → ${style(h)}`,
    );
  checkDeprecation(ctx, pair, 'parameter', b.node, h.node, h.site, label(h));
  const bDefault = defaultOf(ctx.base, b);
  const hDefault = defaultOf(ctx.head, h);
  // Clients that omit an optional parameter get the default: adding, changing or removing it changes what they get.
  const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  if (!bReq && !hReq && !sameValue(bDefault, hDefault)) {
    ctx.out.add(
      'request-parameter-default-changed',
      op,
      h.schema.ptr,
      'head',
      `${label(h)}: default ${show(bDefault)} → ${show(hDefault)}`,
    );
  }
  const changes = settleDeprecations(ctx, ctx.cmp.compare(b.schema, h.schema, 'request-parameter'), 0, false);
  ctx.out.addSchemaChanges(changes, 'request-parameter', op, label(h));
}
