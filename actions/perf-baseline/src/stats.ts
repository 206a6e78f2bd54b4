import { seededRandom } from '../../../shared/src/random.js';
import { recordedValues, type Histogram } from './histogram.js';

/** An interval of the relative change (0.12 = +12 %). */
export interface Interval {
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  iterations: number;
  seed: number;
  /** 0.95 for a 95 % interval. */
  confidence: number;
}

/**
 * Percentile bootstrap of the relative change `stat(current) / stat(base) − 1`: both samples of units (seconds or
 * runs) are resampled with replacement, independently, `iterations` times. Undefined when a resampled base is 0.
 */
export function bootstrapChange<U>(
  current: U[],
  base: U[],
  stat: (units: U[]) => number,
  opts: BootstrapOptions,
): Interval | undefined {
  const rnd = seededRandom(opts.seed);
  const pick = (units: U[]) => Array.from(units, () => units[Math.floor(rnd() * units.length)]);
  const changes = new Float64Array(opts.iterations);
  for (let i = 0; i < opts.iterations; i++) {
    const b = stat(pick(base));
    if (!(b > 0)) return undefined;
    changes[i] = stat(pick(current)) / b - 1;
  }
  changes.sort();
  const tail = (1 - opts.confidence) / 2;
  const at = (q: number) => changes[Math.min(changes.length - 1, Math.max(0, Math.round(q * (changes.length - 1))))];
  return { lo: at(tail), hi: at(1 - tail) };
}

/**
 * Percentiles of unions of many histograms, for the bootstrap. Every distinct value of every histogram gets an
 * index, and each histogram becomes its cumulative counts over those indexes; the union's cumulative count at an
 * index is then the sum over its members, so a percentile is a binary search costing O(members × log values)
 * instead of adding whole histograms up. Values are the tops of HdrHistogram's buckets, as getValueAtPercentile's.
 */
export class PooledPercentiles {
  private readonly values: number[];
  private readonly position = new Map<number, number>();

  constructor(histograms: Histogram[]) {
    const all = new Set<number>();
    for (const h of histograms) for (const v of recordedValues(h)) all.add(v.value);
    this.values = [...all].sort((a, b) => a - b);
    this.values.forEach((v, i) => this.position.set(v, i));
  }

  /** A histogram's cumulative counts over the pooled values; it must be one of those given to the constructor. */
  cumulative(h: Histogram): Float64Array {
    const cum = new Float64Array(this.values.length);
    for (const v of recordedValues(h)) cum[this.position.get(v.value)!] += v.count;
    for (let i = 1; i < cum.length; i++) cum[i] += cum[i - 1];
    return cum;
  }

  /** The `p`th percentile (0–100) of the union of `units` (repeats count again); 0 when they are empty. */
  percentile(units: Float64Array[], p: number): number {
    const last = this.values.length - 1;
    const below = (i: number) => units.reduce((n, u) => n + u[i], 0);
    const total = last < 0 ? 0 : below(last);
    if (!total) return 0;
    // HdrHistogram's rule: the smallest value with at least ceil(p % of the total) at or below it
    const wanted = Math.max(1, Math.ceil((p / 100) * total));
    let [lo, hi] = [0, last];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (below(mid) >= wanted) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }
}
