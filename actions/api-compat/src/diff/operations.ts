// Paths and operations: matching them across versions, removals (with deprecation and sunset), additions, and the
// per-operation comparisons.
import { type DiffContext, type OperationPair, entries } from './context.js';
import { diffRequestBody, diffResponses } from './bodies.js';
import type { Doc } from './doc.js';
import { diffParameters } from './parameters.js';
import { isObject, join } from './pointer.js';
import type { RuleId } from './rules.js';
import { diffOperationSecurity } from './security.js';
import { diffServers } from './servers.js';
import { checkDeprecation } from './deprecation.js';
import {
  type Sunset,
  UNSTABLE_BELOW,
  invalidStability,
  levelName,
  ownSunset,
  parseHttpDate,
  stability,
  sunsetPassed,
  sunsetText,
} from './sunset.js';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const;

/** `/users/{id}` and `/users/{userId}` are the same path. */
const shape = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

interface Item {
  path: string;
  node: Record<string, unknown>;
  ptr: string;
}

function items(doc: Doc): Map<string, Item> {
  const out = new Map<string, Item>();
  for (const [path, raw] of entries(doc.root.paths)) {
    const ptr = join('#/paths', path);
    const { node } = doc.deref(raw, ptr);
    if (isObject(node)) out.set(path, { path, node, ptr });
  }
  return out;
}

export function diffPaths(ctx: DiffContext): void {
  const base = items(ctx.base);
  const head = items(ctx.head);
  const headByShape = new Map<string, Item[]>();
  for (const item of head.values()) {
    if (base.has(item.path)) continue;
    const list = headByShape.get(shape(item.path)) ?? [];
    list.push(item);
    headByShape.set(shape(item.path), list);
  }
  const matched = new Set<string>();
  for (const b of base.values()) {
    let h = head.get(b.path);
    if (!h) {
      const candidates = (headByShape.get(shape(b.path)) ?? []).filter((c) => !matched.has(c.path));
      if (candidates.length === 1) h = candidates[0];
    }
    if (!h) {
      for (const method of METHODS) if (isObject(b.node[method])) removed(ctx, b, method, 'api-path-removed');
      continue;
    }
    matched.add(h.path);
    diffItem(ctx, b, h);
  }
  for (const h of head.values()) {
    if (matched.has(h.path)) continue;
    for (const method of METHODS) {
      if (isObject(h.node[method]))
        ctx.out.add(
          'api-operation-added',
          { method: method.toUpperCase(), path: h.path },
          join(h.ptr, method),
          'head',
          `${method.toUpperCase()} ${h.path} added`,
        );
    }
  }
}

function diffItem(ctx: DiffContext, b: Item, h: Item): void {
  diffServers(ctx, { path: h.path }, b.node, b.ptr, h.node, h.ptr);
  for (const method of METHODS) {
    const bOp = b.node[method];
    const hOp = h.node[method];
    const op = { method: method.toUpperCase(), path: h.path };
    if (isObject(bOp) && isObject(hOp)) {
      const pair = {
        op,
        basePath: b.path,
        headPath: h.path,
        bItem: b.node,
        hItem: h.node,
        bOp,
        hOp,
        bPtr: join(b.ptr, method),
        hPtr: join(h.ptr, method),
      };
      const [was, is] = [stability(bOp), stability(hOp)];
      const badBase = invalidStability(bOp);
      const badHead = invalidStability(hOp);
      // Reported when head sets a level nobody can read; one left as it was does not fail every later run.
      if (badHead && badHead !== badBase)
        ctx.out.add(
          'api-invalid-stability-level',
          op,
          join(pair.hPtr, 'x-stability-level'),
          'head',
          `x-stability-level ${badHead} is not draft, alpha, beta or stable`,
        );
      // A level that cannot be read cannot be compared; the rest of the operation still is. Leaving draft or alpha
      // for a lower level breaks no promise: those promised nothing.
      if (!badBase && !badHead && is < was && was >= UNSTABLE_BELOW)
        ctx.out.add(
          'api-stability-decreased',
          op,
          join(pair.hPtr, 'x-stability-level'),
          'head',
          `stability ${levelName(was)} → ${levelName(is)}`,
        );
      ctx.out.relaxed(was < UNSTABLE_BELOW ? levelName(was) : undefined, () => diffOperation(ctx, pair));
    } else if (isObject(bOp)) removed(ctx, b, method, 'api-operation-removed');
    else if (isObject(hOp))
      ctx.out.add('api-operation-added', op, join(h.ptr, method), 'head', `${op.method} ${h.path} added`);
  }
}

function diffOperation(ctx: DiffContext, pair: OperationPair): void {
  const { bOp, hOp, op } = pair;
  if (typeof bOp.operationId === 'string' && bOp.operationId !== hOp.operationId) {
    const now = typeof hOp.operationId === 'string' ? `'${hOp.operationId}'` : 'none';
    ctx.out.add(
      'api-operation-id-changed',
      op,
      join(pair.hPtr, 'operationId'),
      'head',
      `operationId '${bOp.operationId}' → ${now}`,
    );
  }
  checkDeprecation(ctx, pair, 'operation', bOp, hOp, pair.hPtr, `${op.method} ${op.path}`);
  diffParameters(ctx, pair);
  diffRequestBody(ctx, pair);
  diffResponses(ctx, pair);
  diffOperationSecurity(ctx, pair);
  diffServers(ctx, op, bOp, pair.bPtr, hOp, pair.hPtr);
}

/**
 * The sunset date the base document announces for an operation: an `x-sunset` extension on the operation or its path,
 * or the example/default of a `Sunset` response header (RFC 8594).
 */
function sunsetOf(doc: Doc, op: Record<string, unknown>, item: Record<string, unknown>): Sunset {
  const own = ownSunset(op) ?? ownSunset(item);
  if (own) return own;
  for (const [, raw] of entries(op.responses)) {
    const response = doc.deref(raw, '#').node;
    if (!isObject(response)) continue;
    for (const [name, header] of entries(response.headers)) {
      if (name.toLowerCase() !== 'sunset' || !isObject(header)) continue;
      const schema = isObject(header.schema) ? header.schema : {};
      const date = parseHttpDate(
        header.example ?? schema.example ?? schema.default ?? (Array.isArray(schema.enum) ? schema.enum[0] : undefined),
      );
      if (date !== 'invalid') return date;
    }
  }
  return undefined;
}

function removed(
  ctx: DiffContext,
  item: Item,
  method: string,
  plainRule: 'api-path-removed' | 'api-operation-removed',
): void {
  const op = item.node[method] as Record<string, unknown>;
  const sunset = sunsetOf(ctx.base, op, item.node);
  // A `Sunset` response header (RFC 8594) is itself the announcement; an `x-sunset` needs `deprecated: true` with it.
  const announcedByHeader = sunset !== undefined && (ownSunset(op) ?? ownSunset(item.node)) === undefined;
  const deprecated = op.deprecated === true || item.node.deprecated === true || announcedByHeader;
  const what = `${method.toUpperCase()} ${item.path}`;
  let rule: RuleId = plainRule;
  let message = `${what} removed${plainRule === 'api-path-removed' ? ' (path removed)' : ''}`;
  // Only a deprecation announces a removal: a sunset date on something never deprecated promised nothing.
  if (sunset && deprecated) {
    const passed = sunsetPassed(sunset, ctx.now);
    rule = passed ? 'api-removed-after-sunset' : 'api-removed-before-sunset';
    message = `${what} removed; its sunset date ${sunsetText(sunset)}${sunset === 'invalid' ? '' : passed ? ' has passed' : ' is still ahead'}`;
  } else if (deprecated) {
    rule = 'api-removed-after-deprecation';
    message = `${what} removed after deprecation`;
  } else if (stability(op) < UNSTABLE_BELOW) {
    rule = 'api-removed-while-unstable';
    message = `${what} removed (it was ${levelName(stability(op))}, which promises nothing)`;
  }
  ctx.out.add(rule, { method: method.toUpperCase(), path: item.path }, join(item.ptr, method), 'base', message);
}
