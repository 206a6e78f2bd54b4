// Weights as percentages, the one unit the traffic steps speak whatever the router counts in.

/** Percent of traffic per colour, e.g. { blue: 90, green: 10 }. Sums to 100. */
export type Weights = Record<string, number>;

/** Raw router weights (HAProxy weights, NGINX `weight=`) as whole percentages that sum to 100, or all 0 when nothing routes. */
export function percentages(raw: Weights, colors: readonly [string, string]): Weights {
  const [a, b] = colors;
  const sum = (raw[a] ?? 0) + (raw[b] ?? 0);
  if (sum <= 0) return { [a]: 0, [b]: 0 };
  const first = Math.round(((raw[a] ?? 0) / sum) * 100);
  return { [a]: first, [b]: 100 - first };
}

/** `percent` of the traffic to `target`, the rest to the other colour; keys in the order of `colors`. */
export function weightsFor(colors: readonly [string, string], target: string, percent: number): Weights {
  return Object.fromEntries(colors.map((c) => [c, c === target ? percent : 100 - percent]));
}

/** `blue 90 % · green 10 %`, in the order of the colours. */
export function describeWeights(w: Weights): string {
  return Object.entries(w)
    .map(([c, p]) => `${c} ${p} %`)
    .join(' · ');
}

/** The colour with the larger share; undefined on an even split. */
export function leader(w: Weights, colors: readonly [string, string]): string | undefined {
  const [a, b] = colors;
  if ((w[a] ?? 0) === (w[b] ?? 0)) return undefined;
  return (w[a] ?? 0) > (w[b] ?? 0) ? a : b;
}
