// Request bodies and responses: presence, required-ness, media types, status codes, headers, and their schemas.
import { type DiffContext, type OperationPair, entries, mediaKey, member } from './context.js';
import { anySlot } from './compare.js';
import type { Doc } from './doc.js';
import { isObject, join } from './pointer.js';
import type { OpRef } from './collector.js';
import type { RuleId, Subject } from './rules.js';
import type { Slot } from './shapes.js';
import { settleDeprecations } from './deprecation.js';
import { STABLE, stability } from './sunset.js';

interface Media {
  name: string;
  ptr: string;
  schema: Slot;
}

export function mediaTypes(content: unknown, ptr: string): Map<string, Media> {
  const out = new Map<string, Media>();
  for (const [name, node] of entries(content)) {
    const mptr = join(ptr, 'content', name);
    const schema =
      isObject(node) && 'schema' in node ? { node: node.schema, ptr: join(mptr, 'schema') } : anySlot(mptr);
    out.set(mediaKey(name), { name, ptr: mptr, schema });
  }
  return out;
}

/**
 * The head media type that answers for a base one: the same; for requests, a wildcard that accepts it; for responses,
 * one concrete type in place of a base wildcard (`application/*` → `application/json` returns a subset).
 */
function answering(head: Map<string, Media>, key: string, request: boolean): Media | undefined {
  const exact = head.get(key);
  if (exact) return exact;
  if (request) return head.get(`${key.split('/')[0]}/*`) ?? head.get('*/*');
  if (key === '*/*') return head.values().next().value;
  if (key.endsWith('/*')) return [...head].find(([k]) => k.startsWith(key.slice(0, -1)))?.[1];
  return specialising(head, key);
}

/**
 * A head response media type that refines a base one through a structured-syntax suffix: `application/json` →
 * `application/problem+json`, `application/xml` → `application/atom+xml`. Clients reading the base type still read it.
 */
function specialising(head: Map<string, Media>, key: string): Media | undefined {
  const [type, sub] = key.split('/');
  if (!sub || sub.includes('+') || sub === '*') return undefined;
  return [...head].find(([k]) => k.startsWith(`${type}/`) && k.endsWith(`+${sub}`))?.[1];
}

/** Compares the media types of one body (request or response) and the schema of each. */
export function diffContent(
  ctx: DiffContext,
  op: OpRef,
  base: Map<string, Media>,
  head: Map<string, Media>,
  subject: Subject,
  label: string,
  rules: { removed: RuleId; added: RuleId },
  level = STABLE,
): void {
  const request = subject.startsWith('request');
  const renamed = new Set<Media>();
  for (const [key, b] of base) {
    const h = answering(head, key, request);
    if (!h) {
      ctx.out.add(rules.removed, op, b.ptr, 'base', `${label}: media type ${b.name} removed`);
      continue;
    }
    if (!request && !base.has(mediaKey(h.name)) && h === specialising(head, key)) {
      renamed.add(h);
      ctx.out.add(
        'response-media-type-name-specialized',
        op,
        h.ptr,
        'head',
        `${label}: media type ${b.name} → ${h.name}`,
      );
    }
    const changes = settleDeprecations(ctx, ctx.cmp.compare(b.schema, h.schema, subject), level, true);
    ctx.out.addSchemaChanges(changes, subject, op, `${label} (${b.name})`);
  }
  for (const [key, h] of head)
    if (!base.has(key) && !renamed.has(h))
      ctx.out.add(rules.added, op, h.ptr, 'head', `${label}: media type ${h.name} added`);
}

export function diffRequestBody(ctx: DiffContext, pair: OperationPair): void {
  const b = member(ctx.base, pair.bOp, pair.bPtr, 'requestBody');
  const h = member(ctx.head, pair.hOp, pair.hPtr, 'requestBody');
  const { op } = pair;
  if (!b && !h) return;
  if (!b) {
    const required = h!.node.required === true;
    ctx.out.add(
      required ? 'request-body-added-required' : 'request-body-added-optional',
      op,
      h!.site,
      'head',
      `${required ? 'required' : 'optional'} request body added`,
    );
    return;
  }
  if (!h) {
    ctx.out.add('request-body-removed', op, b.site, 'base', 'request body removed');
    return;
  }
  const bReq = b.node.required === true;
  const hReq = h.node.required === true;
  if (bReq !== hReq) {
    ctx.out.add(
      hReq ? 'request-body-became-required' : 'request-body-became-optional',
      op,
      h.site,
      'head',
      `request body: ${hReq ? 'optional → required' : 'required → optional'}`,
    );
  }
  diffContent(
    ctx,
    pair.op,
    mediaTypes(b.node.content, b.ptr),
    mediaTypes(h.node.content, h.ptr),
    'request-property',
    'request body',
    {
      removed: 'request-body-media-type-removed',
      added: 'request-body-media-type-added',
    },
    stability(pair.hOp),
  );
}

const isSuccess = (status: string) => /^2/.test(status);

/** The head response that answers for a base status: the same code, else its range (2XX), else `default` for errors. */
function answeringStatus(head: Record<string, unknown>, status: string): string | undefined {
  if (status in head) return status;
  const range = `${status[0]}XX`;
  for (const key of Object.keys(head)) if (key.toUpperCase() === range) return key;
  if (/^[1-5]XX$/i.test(status)) {
    const inRange = Object.keys(head).find((k) => k[0] === status[0] && /^\d+$/.test(k));
    if (inRange) return inRange;
  }
  if (!isSuccess(status) && 'default' in head) return 'default';
  return undefined;
}

export function diffResponses(ctx: DiffContext, pair: OperationPair): void {
  const bRes = member(ctx.base, pair.bOp, pair.bPtr, 'responses');
  const hRes = member(ctx.head, pair.hOp, pair.hPtr, 'responses');
  if (!bRes || !hRes) return;
  const answered = new Set<string>();
  for (const status of Object.keys(bRes.node)) {
    const hStatus = answeringStatus(hRes.node, status);
    if (hStatus === undefined) {
      const rule = isSuccess(status) ? 'response-success-status-removed' : 'response-status-removed';
      ctx.out.add(rule, pair.op, join(bRes.ptr, status), 'base', `response ${status} removed`);
      continue;
    }
    answered.add(hStatus);
    diffResponse(ctx, pair, status, bRes, hRes, hStatus);
  }
  for (const status of Object.keys(hRes.node)) {
    if (!(status in bRes.node) && !answered.has(status))
      ctx.out.add('response-status-added', pair.op, join(hRes.ptr, status), 'head', `response ${status} added`);
  }
}

type Located = { node: Record<string, unknown>; ptr: string };

function diffResponse(
  ctx: DiffContext,
  pair: OperationPair,
  status: string,
  bRes: Located,
  hRes: Located,
  hStatus: string,
): void {
  const b = member(ctx.base, bRes.node, bRes.ptr, status);
  const h = member(ctx.head, hRes.node, hRes.ptr, hStatus);
  if (!b || !h) return;
  const label = `response ${status}`;
  diffHeaders(ctx, pair, b, h, label);
  diffContent(
    ctx,
    pair.op,
    mediaTypes(b.node.content, b.ptr),
    mediaTypes(h.node.content, h.ptr),
    'response-property',
    label,
    {
      removed: 'response-media-type-removed',
      added: 'response-media-type-added',
    },
    stability(pair.hOp),
  );
}

interface Header {
  name: string;
  site: string;
  node: Record<string, unknown>;
  schema: Slot;
}

function headers(doc: Doc, response: Located): Map<string, Header> {
  const out = new Map<string, Header>();
  for (const [name] of entries(response.node.headers)) {
    if (name.toLowerCase() === 'content-type') continue;
    const m = member(doc, response.node.headers as Record<string, unknown>, join(response.ptr, 'headers'), name);
    if (!m) continue;
    const schema = 'schema' in m.node ? { node: m.node.schema, ptr: join(m.ptr, 'schema') } : anySlot(m.ptr);
    out.set(name.toLowerCase(), { name, site: m.site, node: m.node, schema });
  }
  return out;
}

function diffHeaders(ctx: DiffContext, pair: OperationPair, b: Located, h: Located, label: string): void {
  const bh = headers(ctx.base, b);
  const hh = headers(ctx.head, h);
  for (const [key, bHeader] of bh) {
    const hHeader = hh.get(key);
    const bReq = bHeader.node.required === true;
    if (!hHeader) {
      ctx.out.add(
        bReq ? 'response-header-removed' : 'response-optional-header-removed',
        pair.op,
        bHeader.site,
        'base',
        `${label}: header '${bHeader.name}' removed`,
      );
      continue;
    }
    if (bReq && hHeader.node.required !== true) {
      ctx.out.add(
        'response-header-became-optional',
        pair.op,
        hHeader.site,
        'head',
        `${label}: header '${hHeader.name}' became optional`,
      );
    }
    const changes = settleDeprecations(
      ctx,
      ctx.cmp.compare(bHeader.schema, hHeader.schema, 'response-header'),
      STABLE,
      false,
    );
    ctx.out.addSchemaChanges(changes, 'response-header', pair.op, `${label} header '${hHeader.name}'`);
  }
  for (const [key, hHeader] of hh)
    if (!bh.has(key))
      ctx.out.add('response-header-added', pair.op, hHeader.site, 'head', `${label}: header '${hHeader.name}' added`);
}
