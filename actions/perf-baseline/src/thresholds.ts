import type { Numbers } from './result.js';
import type { Thresholds } from './settings.js';

/** One absolute gate and how the result fared. */
export interface Check {
  /** The row of the summary table it belongs to. */
  metric: 'p50' | 'p95' | 'p99' | 'rps' | 'error rate';
  value: number;
  limit: number;
  /** `≤ 150 ms`, `≥ 500/s`, `≤ 1 %` */
  limitText: string;
  ok: boolean;
  /** `p95 182.4 ms > 150 ms` */
  text: string;
}

/** Checks every threshold that was given. */
export function checkThresholds(n: Numbers, t: Thresholds): Check[] {
  const checks: Check[] = [];
  for (const metric of ['p50', 'p95', 'p99'] as const) {
    const limit = t[metric];
    if (limit === undefined) continue;
    const ok = n[metric] <= limit;
    checks.push({
      metric,
      value: n[metric],
      limit,
      limitText: `≤ ${ms(limit)}`,
      ok,
      text: `${metric} ${ms(n[metric])} ${ok ? '≤' : '>'} ${ms(limit)}`,
    });
  }
  if (t.minRps !== undefined) {
    const ok = n.rps >= t.minRps;
    checks.push({
      metric: 'rps',
      value: n.rps,
      limit: t.minRps,
      limitText: `≥ ${perSecond(t.minRps)}`,
      ok,
      text: `rps ${perSecond(n.rps)} ${ok ? '≥' : '<'} ${perSecond(t.minRps)}`,
    });
  }
  if (t.maxErrorRate !== undefined) {
    const ok = n.errorRate <= t.maxErrorRate;
    const limitText = share(t.maxErrorRate);
    checks.push({
      metric: 'error rate',
      value: n.errorRate,
      limit: t.maxErrorRate,
      limitText: `≤ ${limitText}`,
      ok,
      text: `error rate ${share(n.errorRate)} ${ok ? '≤' : '>'} ${limitText}`,
    });
  }
  return checks;
}

/** `0.42 ms`, `18.3 ms`, `1,204 ms`: three significant digits at most, as the histogram keeps. */
export function ms(x: number): string {
  if (x >= 100) return `${Math.round(x).toLocaleString('en-US')} ms`;
  return `${Number(x.toPrecision(3))} ms`;
}

export function perSecond(x: number): string {
  return `${(x >= 100 ? Math.round(x) : Number(x.toPrecision(3))).toLocaleString('en-US')}/s`;
}

/** A fraction as a percentage: `0 %`, `0.05 %`, `10.2 %`. */
export function share(x: number): string {
  const v = x * 100;
  return `${v === 0 ? 0 : Number(v.toPrecision(v < 1 ? 1 : 3))} %`;
}
