import type { Clock } from '../clock.js';

/** A health endpoint: `http(s)://…` (GET, 2xx or expectStatus), `tcp://host:port` (connect), `consul:<service>`. */
export interface ProbeTarget {
  /** Who the target belongs to, e.g. the service name. */
  name: string;
  url: string;
}

export interface ProbeOptions {
  clock: Clock;
  /** Per-attempt timeout in ms. */
  attemptTimeoutMs: number;
  /** Base wait between attempts in ms; doubles after each failure (with jitter), never past the deadline. */
  intervalMs: number;
  /** Overall budget in ms from the start of probeAll; no attempt starts after it. */
  deadlineMs: number;
  /** Most attempts in flight at once (a slot is held only during an attempt, not while waiting). */
  concurrency: number;
  /** Status codes that count as healthy for HTTP; empty means any 2xx. */
  expectStatus?: number[];
  consul?: { url: string; token?: string; minInstances: number };
  /** Random in [0,1), injected for deterministic jitter in tests. */
  random?: () => number;
  /** Called about every progressEveryMs with what is still pending. */
  onProgress?: (pending: string[], elapsedMs: number) => void;
  progressEveryMs?: number;
}

export interface ProbeResult {
  name: string;
  url: string;
  healthy: boolean;
  attempts: number;
  /** Latency of the last attempt in ms. */
  latencyMs: number;
  /** HTTP status of the last attempt, when there was one. */
  status?: number;
  /** Why the last failed attempt failed (absent when healthy). */
  lastError?: string;
}

/** One attempt's outcome. */
export interface AttemptResult {
  ok: boolean;
  latencyMs: number;
  status?: number;
  error?: string;
}
