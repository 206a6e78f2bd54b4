// The health gate of the traffic steps: a colour is healthy after N consecutive good answers. Before a switch the
// gate waits for the colour to become healthy; after traffic moved it is strict: one bad answer fails it.
import { formatDuration } from '../duration.js';
import type { Clock } from '../clock.js';
import { attemptOnce, type AttemptResult } from './probe.js';

export interface GateOptions {
  clock: Clock;
  /** Consecutive 2xx answers needed. */
  threshold: number;
  /** Overall budget in ms; no attempt starts after it. */
  timeoutMs: number;
  /** Wait between attempts in ms. */
  intervalMs: number;
  /** Per-attempt time limit in ms (default 5 s, never more than what is left, never under 1 s). */
  attemptTimeoutMs?: number;
  /** Strict: the first failed attempt fails the gate (used once traffic has moved). */
  failFast?: boolean;
  /** Keep probing for at least this long, even once the threshold is met (watches a step's whole interval). */
  minDurationMs?: number;
  /** Told after every attempt, so a person watching knows what the wait is for (`platform.progress`). */
  onProgress?: (line: string) => void;
}

export interface GateResult {
  ok: boolean;
  url: string;
  /** Consecutive good answers at the end. */
  consecutive: number;
  attempts: number;
  failures: number;
  elapsedMs: number;
  /** Latency of the last attempt in ms. */
  latencyMs: number;
  /** HTTP status of the last attempt, when there was one. */
  status?: number;
  /** Why the last failed attempt failed. */
  lastError?: string;
}

/** The health URL of one colour: `{color}` replaced by the colour's name. */
export function colourUrl(template: string, colour: string): string {
  return template.replaceAll('{color}', encodeURIComponent(colour));
}

/** Probes `url` until `threshold` consecutive 2xx, a strict failure, or the time-out. Never throws. */
export async function healthGate(url: string, o: GateOptions): Promise<GateResult> {
  const { clock } = o;
  const start = clock.now();
  const deadline = start + Math.max(0, o.timeoutMs);
  const threshold = Math.max(1, o.threshold);
  let consecutive = 0;
  let attempts = 0;
  let failures = 0;
  let lastError: string | undefined;
  let last: AttemptResult;
  for (;;) {
    const left = deadline - clock.now();
    last = await attemptOnce(
      { name: url, url },
      { clock, attemptTimeoutMs: Math.max(1000, Math.min(o.attemptTimeoutMs ?? 5000, left)) },
    );
    attempts++;
    if (last.ok) consecutive++;
    else {
      consecutive = 0;
      failures++;
      lastError = last.error ?? `HTTP ${last.status}`;
      if (o.failFast) break;
    }
    const elapsed = clock.now() - start;
    o.onProgress?.(
      `${url}: ${last.ok ? `ok (${consecutive}/${threshold} in a row)` : `not yet (${lastError})`} · ${formatDuration(elapsed)} of ${formatDuration(o.timeoutMs)}`,
    );
    if (consecutive >= threshold && elapsed >= (o.minDurationMs ?? 0)) break;
    if (clock.now() >= deadline) break;
    await clock.sleep(Math.min(Math.max(1, o.intervalMs), deadline - clock.now()));
  }
  const ok = consecutive >= threshold && !(o.failFast && failures > 0);
  return {
    ok,
    url,
    consecutive,
    attempts,
    failures,
    elapsedMs: clock.now() - start,
    latencyMs: last.latencyMs,
    ...(last.status !== undefined && { status: last.status }),
    ...(lastError !== undefined && { lastError }),
  };
}
