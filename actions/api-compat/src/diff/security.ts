// Security: an operation's requirement is a list of alternatives (OR), each a set of schemes (AND) with scopes.
// A client that satisfied some base alternative must still satisfy a head alternative, otherwise it is refused.
import type { OpRef } from './collector.js';
import type { DiffContext, OperationPair } from './context.js';
import { entries } from './context.js';
import type { Doc } from './doc.js';
import { isObject, join } from './pointer.js';

type Alternative = Map<string, Set<string>>;

function effective(doc: Doc, op: Record<string, unknown>, opPtr: string): { alts: Alternative[]; ptr: string } {
  const own = Array.isArray(op.security);
  const list = own
    ? (op.security as unknown[])
    : Array.isArray(doc.root.security)
      ? (doc.root.security as unknown[])
      : [];
  const ptr = own ? join(opPtr, 'security') : Array.isArray(doc.root.security) ? '#/security' : opPtr;
  const alts = list
    .filter(isObject)
    .map(
      (req) =>
        new Map(
          Object.entries(req).map(([scheme, scopes]) => [
            scheme,
            new Set(Array.isArray(scopes) ? scopes.map(String) : []),
          ]),
        ),
    );
  return { alts, ptr };
}

const describe = (alt: Alternative) => (alt.size ? [...alt.keys()].join(' + ') : 'anonymous');
const subset = <T>(a: Set<T>, b: Set<T>) => [...a].every((x) => b.has(x));
const keys = (alt: Alternative) => new Set(alt.keys());

/** Does a client holding `held` also satisfy `wanted`? */
function satisfies(held: Alternative, wanted: Alternative): boolean {
  for (const [scheme, scopes] of wanted) {
    const have = held.get(scheme);
    if (!have || !subset(scopes, have)) return false;
  }
  return true;
}

export function diffOperationSecurity(ctx: DiffContext, pair: OperationPair): void {
  const b = effective(ctx.base, pair.bOp, pair.bPtr);
  const h = effective(ctx.head, pair.hOp, pair.hPtr);
  const { op } = pair;
  const openBefore = b.alts.length === 0 || b.alts.some((a) => a.size === 0);
  const openNow = h.alts.length === 0 || h.alts.some((a) => a.size === 0);
  if (openNow) {
    if (!openBefore)
      ctx.out.add('security-removed', op, h.ptr, 'head', 'security removed: no authentication required any more');
    return;
  }
  if (openBefore) {
    ctx.out.add(
      'security-requirement-added',
      op,
      h.ptr,
      'head',
      `now requires authentication: ${h.alts.map(describe).join(' or ')}`,
    );
    return;
  }
  for (const alt of b.alts) {
    if (h.alts.some((w) => satisfies(alt, w))) {
      reportScopesRemoved(ctx, op, alt, h.alts, h.ptr);
      continue;
    }
    const same = h.alts.find((w) => subset(keys(w), keys(alt)) && subset(keys(alt), keys(w)));
    if (same) {
      for (const [scheme, scopes] of same) {
        const added = [...scopes].filter((s) => !alt.get(scheme)!.has(s));
        if (added.length)
          ctx.out.add(
            'security-scope-added',
            op,
            h.ptr,
            'head',
            `security ${scheme}: scope${added.length > 1 ? 's' : ''} ${added.join(', ')} now required`,
          );
      }
    } else if (h.alts.some((w) => subset(keys(alt), keys(w)))) {
      const wider = h.alts.find((w) => subset(keys(alt), keys(w)))!;
      const extra = [...wider.keys()].filter((k) => !alt.has(k));
      ctx.out.add(
        'security-requirement-added',
        op,
        h.ptr,
        'head',
        `security ${describe(alt)} now also requires ${extra.join(' + ')}`,
      );
    } else {
      ctx.out.add(
        'security-requirement-removed',
        op,
        h.ptr,
        'head',
        `security ${describe(alt)} no longer accepted (now ${h.alts.map(describe).join(' or ')})`,
      );
    }
  }
}

function reportScopesRemoved(ctx: DiffContext, op: OpRef, alt: Alternative, head: Alternative[], ptr: string): void {
  const same = head.find((w) => w.size === alt.size && [...alt.keys()].every((k) => w.has(k)));
  if (!same) return;
  for (const [scheme, scopes] of alt) {
    const removed = [...scopes].filter((s) => !same.get(scheme)!.has(s));
    if (removed.length)
      ctx.out.add(
        'security-scope-removed',
        op,
        ptr,
        'head',
        `security ${scheme}: scope${removed.length > 1 ? 's' : ''} ${removed.join(', ')} no longer required`,
      );
  }
}

/** Scheme names any base operation (or the base document) relies on. */
function usedSchemes(doc: Doc): Set<string> {
  const used = new Set<string>();
  const add = (list: unknown) => {
    if (Array.isArray(list)) for (const req of list) for (const [name] of entries(req)) used.add(name);
  };
  add(doc.root.security);
  for (const [, item] of entries(doc.root.paths))
    for (const [, op] of entries(item)) if (isObject(op)) add(op.security);
  return used;
}

const FLOW_URLS = ['authorizationUrl', 'tokenUrl', 'refreshUrl'];

/** Security schemes in components: removed while in use, type changed, OAuth flows removed or moved. */
export function diffSecuritySchemes(ctx: DiffContext): void {
  const bSchemes = isObject(ctx.base.root.components) ? ctx.base.root.components.securitySchemes : undefined;
  const hSchemes = isObject(ctx.head.root.components) ? ctx.head.root.components.securitySchemes : undefined;
  const used = usedSchemes(ctx.base);
  for (const [name, raw] of entries(bSchemes)) {
    const bPtr = join('#/components/securitySchemes', name);
    const b = ctx.base.deref(raw, bPtr).node;
    const hRaw = isObject(hSchemes) ? hSchemes[name] : undefined;
    if (hRaw === undefined) {
      if (used.has(name)) ctx.out.add('security-scheme-removed', {}, bPtr, 'base', `security scheme '${name}' removed`);
      continue;
    }
    const h = ctx.head.deref(hRaw, bPtr).node;
    if (!isObject(b) || !isObject(h)) continue;
    const identity = (s: Record<string, unknown>) =>
      [s.type, s.in, s.name, typeof s.scheme === 'string' ? s.scheme.toLowerCase() : s.scheme].map(String).join(' ');
    if (identity(b) !== identity(h)) {
      ctx.out.add(
        'security-scheme-type-changed',
        {},
        bPtr,
        'head',
        `security scheme '${name}': ${identity(b).replace(/ undefined/g, '')} → ${identity(h).replace(/ undefined/g, '')}`,
      );
      continue;
    }
    for (const [flow, bFlow] of entries(b.flows)) {
      const hFlow = isObject(h.flows) ? h.flows[flow] : undefined;
      const flowPtr = join(bPtr, 'flows', flow);
      if (!isObject(hFlow))
        ctx.out.add(
          'security-scheme-flow-changed',
          {},
          flowPtr,
          'base',
          `security scheme '${name}': OAuth flow ${flow} removed`,
        );
      else if (isObject(bFlow)) {
        for (const url of FLOW_URLS) {
          if (bFlow[url] !== undefined && bFlow[url] !== hFlow[url]) {
            ctx.out.add(
              'security-scheme-flow-changed',
              {},
              join(flowPtr),
              'head',
              `security scheme '${name}': ${flow} ${url} ${String(bFlow[url])} → ${String(hFlow[url] ?? 'none')}`,
            );
          }
        }
      }
    }
  }
}
