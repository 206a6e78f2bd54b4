// The comparison engine's public face: diffDocuments(base, head) → findings, and the rule catalog.
import type { Finding, OpenApiDoc } from '../model.js';
import { Collector } from './collector.js';
import { SchemaComparer } from './compare.js';
import type { DiffContext } from './context.js';
import { Doc } from './doc.js';
import { diffPaths } from './operations.js';
import { diffSecuritySchemes } from './security.js';
import { diffServers } from './servers.js';
import { diffWebhooks } from './webhooks.js';
import type { DeprecationPolicy } from './sunset.js';

export { RULES, RULE_BY_ID } from './rules.js';

/** Options of {@link diffDocuments}. */
export interface DiffOptions {
  /** The moment sunset dates are judged against (default: now). */
  now?: Date;
  /**
   * Days of notice a deprecation must give before its sunset, per stability level (draft and alpha need none).
   * 0 (the default) only asks that a sunset, when given, can be read and is not already past.
   */
  deprecationDays?: { beta?: number; stable?: number };
}

/**
 * Every difference between two normalised OpenAPI documents that matters to clients, breaking or not, sorted by
 * severity, path, method, rule and location. Both documents are read, never modified.
 */
export function diffDocuments(base: OpenApiDoc, head: OpenApiDoc, options: DiffOptions = {}): Finding[] {
  const b = new Doc('base', base);
  const h = new Doc('head', head);
  const ctx: DiffContext = {
    base: b,
    head: h,
    cmp: new SchemaComparer(b, h),
    out: new Collector(),
    now: options.now ?? new Date(),
    policy: policyOf(options),
  };
  diffServers(ctx, {}, b.root, '#', h.root, '#');
  diffSecuritySchemes(ctx);
  diffPaths(ctx);
  diffWebhooks(ctx);
  return ctx.out.sorted();
}

function policyOf(options: DiffOptions): DeprecationPolicy {
  return { beta: options.deprecationDays?.beta ?? 0, stable: options.deprecationDays?.stable ?? 0 };
}
