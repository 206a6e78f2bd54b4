import net from 'node:net';
import type { Clock } from '../clock.js';
import { formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { httpGet, TimeoutError } from './get.js';
import { plural } from '../text.js';

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

/** What a single attempt needs from ProbeOptions. */
export type AttemptOptions = Pick<ProbeOptions, 'clock' | 'attemptTimeoutMs' | 'expectStatus' | 'consul'>;

/** How probeAllWith runs one attempt; for retries `timeoutMs` is already cut down to the time left before the deadline. */
export type AttemptFn = (target: ProbeTarget, timeoutMs: number) => Promise<AttemptResult>;

type Outcome = Omit<AttemptResult, 'latencyMs'>;

/**
 * Checks a target once, giving up after `opts.attemptTimeoutMs`.
 * Never throws: every failure comes back as `ok: false` with a short, human-readable `error`.
 */
export async function attemptOnce(target: ProbeTarget, opts: AttemptOptions): Promise<AttemptResult> {
  const start = opts.clock.now();
  const timeoutMs = Math.max(1, opts.attemptTimeoutMs);
  const { url } = target;
  let outcome: Outcome;
  try {
    if (/^https?:\/\//i.test(url)) outcome = await httpAttempt(url, opts.expectStatus ?? [], timeoutMs);
    else if (/^tcp:\/\//i.test(url)) outcome = await tcpAttempt(url, timeoutMs);
    else if (url.startsWith('consul:')) outcome = await consulAttempt(url.slice(7), opts.consul, timeoutMs);
    else outcome = { ok: false, error: `unsupported target '${url}' (use http://, https://, tcp:// or consul:)` };
  } catch (err) {
    outcome = { ok: false, error: errorMessage(err) };
  }
  return { ...outcome, latencyMs: opts.clock.now() - start };
}

async function httpAttempt(url: string, expect: number[], timeoutMs: number): Promise<Outcome> {
  return guarded(url, timeoutMs, '', async () => {
    const res = await httpGet(url, { timeoutMs });
    const ok = expect.length > 0 ? expect.includes(res.status) : res.status >= 200 && res.status < 300;
    if (ok) return { ok, status: res.status };
    const wanted = expect.length > 0 ? ` (expected ${expect.join(' or ')})` : '';
    return { ok, status: res.status, error: `HTTP ${res.status}${wanted}` };
  });
}

function tcpAttempt(url: string, timeoutMs: number): Promise<Outcome> {
  const u = URL.canParse(url) ? new URL(url) : undefined;
  const [host, port] = [u?.hostname.replace(/^\[(.*)\]$/, '$1'), Number(u?.port)]; // net wants IPv6 unbracketed
  if (!u || !host || !port) return Promise.resolve({ ok: false, error: `tcp target needs host:port, got '${url}'` });
  const where = `${u.hostname}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ ok: false, error: timedOut(timeoutMs) }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    // `on`, not `once`: an error arriving after we settled still needs a listener, or it crashes the process.
    socket.on('error', (err) => done({ ok: false, error: describeNetError(err, where) }));
  });
}

async function consulAttempt(service: string, consul: AttemptOptions['consul'], timeoutMs: number): Promise<Outcome> {
  if (!consul) return { ok: false, error: 'consul-url is not set' };
  if (!service) return { ok: false, error: "consul target needs a service name, e.g. 'consul:api'" };
  if (!/^https?:\/\//i.test(consul.url))
    return { ok: false, error: `consul-url must be an http(s) URL, got '${consul.url}'` };
  const url = `${consul.url.replace(/\/+$/, '')}/v1/health/service/${encodeURIComponent(service)}?passing`;
  return guarded(url, timeoutMs, 'Consul: ', async () => {
    const res = await httpGet(url, {
      timeoutMs,
      readBody: true,
      headers: consul.token ? { 'x-consul-token': consul.token } : {},
    });
    const text = res.body;
    if (res.status < 200 || res.status > 299) return { ok: false, error: `HTTP ${res.status} from Consul` };
    const entries = parseJson(text);
    if (!Array.isArray(entries)) return { ok: false, error: 'unexpected response from Consul (expected a JSON array)' };
    // `?passing` already filters; re-checking guards against a proxy or cache in between that dropped the query.
    const n = entries.filter((e: { Checks?: unknown } | null) => allPassing(e?.Checks)).length;
    if (n >= consul.minInstances) return { ok: true };
    return { ok: false, error: `${plural(n, 'passing instance', 'passing instances')}, need ${consul.minInstances}` };
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // callers check the shape anyway
  }
}

const allPassing = (checks: unknown) =>
  !Array.isArray(checks) || checks.every((c: { Status?: unknown } | null) => c?.Status === 'passing');

/** Runs a request, turning a time-out or a network error into short text. */
async function guarded(url: string, timeoutMs: number, prefix: string, run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    const u = URL.canParse(url) ? new URL(url) : undefined;
    const where = u ? `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}` : url;
    return {
      ok: false,
      error: prefix + (err instanceof TimeoutError ? timedOut(timeoutMs) : describeNetError(err, where)),
    };
  }
}

const timedOut = (ms: number) => `timed out after ${formatDuration(ms)}`;

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by peer',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ENETUNREACH: 'network unreachable',
};

type ErrorLike = { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;

/** A network error as short text (`connection refused (host:port)`), looking through wrapped and aggregate errors. */
export function describeNetError(err: unknown, where: string): string {
  // A wrapped error keeps the socket error in `cause`, and a
  // dual-stack connect wraps one error per address in an AggregateError.
  let e = err as ErrorLike;
  for (let depth = 0; depth < 5 && e && typeof e.code !== 'string' && (e.cause ?? e.errors?.[0]); depth++) {
    e = (e.cause ?? e.errors?.[0]) as ErrorLike;
  }
  const known = typeof e?.code === 'string' ? NET_ERRORS[e.code] : undefined;
  return `${known ?? errorMessage(e ?? err)} (${where})`;
}

/**
 * Probes every target until it is healthy or `opts.deadlineMs` has passed, with capped,
 * jittered exponential backoff and at most `opts.concurrency` attempts in flight.
 * Results come back in the order of `targets`.
 */
export function probeAll(targets: ProbeTarget[], opts: ProbeOptions): Promise<ProbeResult[]> {
  return probeAllWith(targets, opts, (t, timeoutMs) => attemptOnce(t, { ...opts, attemptTimeoutMs: timeoutMs }));
}

/**
 * probeAll with the attempt injected, so retries, deadline and concurrency run without a network.
 * A failed retry that the deadline cut short does not replace the earlier attempt's status and error:
 * "timed out after 2ms" would hide the real reason.
 */
export async function probeAllWith(
  targets: ProbeTarget[],
  opts: ProbeOptions,
  attempt: AttemptFn,
): Promise<ProbeResult[]> {
  const start = opts.clock.now();
  const deadline = start + Math.max(0, opts.deadlineMs);
  let free = Math.max(1, Math.floor(opts.concurrency) || 1);
  const queue: (() => void)[] = [];
  const slots = {
    acquire: async () => (free > 0 ? void free-- : new Promise<void>((resolve) => queue.push(resolve))),
    // hands the slot straight to the next waiter (FIFO) so no target starves
    release: () => (queue.length > 0 ? queue.shift()!() : void free++),
  };
  const pending = new Set(targets.map((_, i) => i)); // indexes: names and urls may repeat
  const running = Promise.all(
    targets.map(async (target, i) => {
      const result = await probeOne(target, opts, attempt, deadline, slots);
      pending.delete(i);
      return result;
    }),
  );
  const pendingNames = () => [...new Set([...pending].map((i) => targets[i].name))];
  const stopProgress = opts.onProgress ? reportProgress(opts, start, pendingNames) : () => {};
  try {
    return await running;
  } finally {
    stopProgress();
  }
}

/** The least time a target's first attempt gets, whatever is left of the deadline. */
const FIRST_ATTEMPT_MS = 1000;

type Slots = { acquire: () => Promise<void>; release: () => void };

async function probeOne(t: ProbeTarget, opts: ProbeOptions, attempt: AttemptFn, deadline: number, slots: Slots) {
  const { clock } = opts;
  const base = Math.max(1, opts.intervalMs); // a zero interval would busy-loop on a fake clock
  let wait = base;
  let attempts = 0;
  let last: AttemptResult = { ok: false, latencyMs: 0 };
  // every target gets one attempt, even when the deadline is already gone
  while (attempts === 0 || clock.now() < deadline) {
    await slots.acquire();
    const left = deadline - clock.now();
    if (attempts > 0 && left <= 0) {
      slots.release(); // the slot came free only after the deadline
      break;
    }
    // Retries only get the time left. The first attempt gets at least FIRST_ATTEMPT_MS: with deadline 0, or after
    // queueing for a slot, a 1 ms attempt could only ever report "timed out"; so `timeout` is overrun by 1 s at most.
    const timeoutMs =
      attempts === 0
        ? Math.min(opts.attemptTimeoutMs, Math.max(left, FIRST_ATTEMPT_MS))
        : Math.max(1, Math.min(opts.attemptTimeoutMs, left));
    let result: AttemptResult;
    try {
      result = await attempt(t, timeoutMs);
    } catch (err) {
      result = { ok: false, latencyMs: 0, error: errorMessage(err) };
    } finally {
      slots.release();
    }
    attempts++;
    if (result.ok || attempts === 1 || timeoutMs >= opts.attemptTimeoutMs) last = result; // see probeAllWith's TSDoc
    if (result.ok) break;
    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    // jitter keeps probes of many replicas from hitting a recovering service in lockstep
    const jittered = wait * (0.5 + (opts.random ?? Math.random)() * 0.5);
    wait = Math.min(wait * 2, 8 * base);
    await clock.sleep(Math.min(jittered, remaining));
  }
  const { ok, latencyMs, status, error } = last;
  return {
    ...{ name: t.name, url: t.url, healthy: ok, attempts, latencyMs },
    ...(status !== undefined && { status }),
    ...(!ok && { lastError: error ?? 'unhealthy' }),
  } satisfies ProbeResult;
}

/** Starts the progress loop; the returned function stops it at once. */
function reportProgress(opts: ProbeOptions, start: number, pendingNames: () => string[]): () => void {
  const { clock, onProgress } = opts;
  const every = Math.max(1, opts.progressEveryMs ?? 5000);
  const stop = new AbortController();
  void (async () => {
    while (!stop.signal.aborted) {
      await clock.sleep(every, stop.signal);
      // a fake clock's sleep resolves at once: yield a macrotask so the probes' I/O runs instead of starving
      await new Promise((resolve) => setImmediate(resolve));
      if (!stop.signal.aborted) onProgress?.(pendingNames(), clock.now() - start);
    }
  })().catch(() => {
    // a throwing progress callback must not break probing; it just stops being called
  });
  return () => stop.abort();
}
