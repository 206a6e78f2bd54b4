import * as hdr from 'hdr-histogram-js';

/**
 * Latencies are recorded in microseconds: a loopback NGINX answers in well under a millisecond, and whole
 * milliseconds (autocannon's own histogram) would put p50 and p99 in the same bucket.
 * Three significant digits keep every value within 0.1 %.
 */
export type Histogram = hdr.Histogram;

/** A histogram of latencies in microseconds, pure JS (no WebAssembly memory per per-second bucket). */
export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** The compressed base64 form HdrHistogram tools read (HistogramLogReader, hdrhistogram.github.io/HdrHistogram/plotFiles.html). */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Throws on text that is not an encoded histogram. */
export function decodeHistogram(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 32, false);
}

/** The sum of several histograms: exact, so shards and runs merge without losing anything. */
export function mergeHistograms(parts: Histogram[]): Histogram {
  const sum = newHistogram();
  for (const p of parts) sum.add(p);
  return sum;
}

/** Every recorded value (µs, the top of its bucket) with its count, in ascending order. */
export function recordedValues(h: Histogram): { value: number; count: number }[] {
  const it = (h as hdr.JsHistogram).recordedValuesIterator;
  it.reset();
  const out: { value: number; count: number }[] = [];
  while (it.hasNext()) {
    const v = it.next();
    out.push({ value: v.valueIteratedTo, count: v.countAtValueIteratedTo });
  }
  return out;
}

/** A percentile in milliseconds; 0 for an empty histogram. */
export function percentileMs(h: Histogram, p: number): number {
  return h.totalCount ? h.getValueAtPercentile(p) / 1000 : 0;
}
