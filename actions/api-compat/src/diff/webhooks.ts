// OpenAPI 3.1 webhooks: requests the API sends to its clients. Directions are reversed: the webhook's request body is
// data the API produces (compared like a response), and the receiver's reply is data the API consumes (compared like
// a request body). A webhook that disappears breaks every receiver that relied on it.
import { diffContent, mediaTypes } from './bodies.js';
import type { OpRef } from './collector.js';
import { type DiffContext, entries, member } from './context.js';
import type { Doc } from './doc.js';
import { METHODS } from './operations.js';
import { isObject, join } from './pointer.js';

interface Hook {
  node: Record<string, unknown>;
  ptr: string;
}

function hooks(doc: Doc): Map<string, Hook> {
  const out = new Map<string, Hook>();
  for (const [name, raw] of entries(doc.root.webhooks)) {
    const ptr = join('#/webhooks', name);
    const { node } = doc.deref(raw, ptr);
    if (isObject(node)) out.set(name, { node, ptr });
  }
  return out;
}

export function diffWebhooks(ctx: DiffContext): void {
  const base = hooks(ctx.base);
  const head = hooks(ctx.head);
  for (const [name, b] of base) {
    const h = head.get(name);
    for (const method of METHODS) {
      if (!isObject(b.node[method])) continue;
      const op: OpRef = { method: method.toUpperCase(), path: `webhook:${name}` };
      const hOp = h?.node[method];
      if (!isObject(hOp)) {
        ctx.out.add('webhook-removed', op, join(b.ptr, method), 'base', `webhook '${name}' (${op.method}) removed`);
        continue;
      }
      diffHookOperation(
        ctx,
        op,
        b.node[method] as Record<string, unknown>,
        join(b.ptr, method),
        hOp,
        join(h!.ptr, method),
      );
    }
  }
  for (const [name, h] of head) {
    for (const method of METHODS) {
      if (!isObject(h.node[method]) || isObject(base.get(name)?.node[method])) continue;
      ctx.out.add(
        'webhook-added',
        { method: method.toUpperCase(), path: `webhook:${name}` },
        join(h.ptr, method),
        'head',
        `webhook '${name}' (${method.toUpperCase()}) added`,
      );
    }
  }
}

function diffHookOperation(
  ctx: DiffContext,
  op: OpRef,
  bOp: Record<string, unknown>,
  bPtr: string,
  hOp: Record<string, unknown>,
  hPtr: string,
): void {
  const bBody = member(ctx.base, bOp, bPtr, 'requestBody');
  const hBody = member(ctx.head, hOp, hPtr, 'requestBody');
  if (bBody && hBody) {
    diffContent(
      ctx,
      op,
      mediaTypes(bBody.node.content, bBody.ptr),
      mediaTypes(hBody.node.content, hBody.ptr),
      'response-property',
      'webhook payload',
      {
        removed: 'response-media-type-removed',
        added: 'response-media-type-added',
      },
    );
  }
  const bRes = member(ctx.base, bOp, bPtr, 'responses');
  const hRes = member(ctx.head, hOp, hPtr, 'responses');
  if (!bRes || !hRes) return;
  for (const status of Object.keys(bRes.node)) {
    const b = member(ctx.base, bRes.node, bRes.ptr, status);
    const h = member(ctx.head, hRes.node, hRes.ptr, status);
    if (!b || !h) continue;
    diffContent(
      ctx,
      op,
      mediaTypes(b.node.content, b.ptr),
      mediaTypes(h.node.content, h.ptr),
      'request-property',
      `webhook reply ${status}`,
      {
        removed: 'request-body-media-type-removed',
        added: 'request-body-media-type-added',
      },
    );
  }
}
