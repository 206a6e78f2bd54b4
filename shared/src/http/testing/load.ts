// Steady HTTP load with autocannon for as long as a test needs it, counting every failed request.
import autocannon from 'autocannon';

export interface LoadResult {
  /** Requests that got an answer or failed. */
  total: number;
  ok2xx: number;
  non2xx: number;
  /** Socket errors (resets, refused connections) and time-outs. */
  errors: number;
  /** The time-outs among `errors`. */
  timeouts: number;
  /** non2xx + errors. */
  failed: number;
}

export interface Load {
  /** Stops the load and resolves with its counts. */
  stop(): Promise<LoadResult>;
}

/** Starts load on `url` with `connections` keep-alive connections until stop() (or `maxSeconds`). */
export function startLoad(url: string, opts: { connections?: number; maxSeconds?: number } = {}): Load {
  let finish!: (r: autocannon.Result) => void;
  let fail!: (err: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon(
    { url, connections: opts.connections ?? 8, duration: opts.maxSeconds ?? 300, timeout: 10 },
    (err, result) => (err ? fail(err) : finish(result)),
  );
  return {
    async stop() {
      instance.stop();
      const r = await done;
      const ok2xx = r['2xx'];
      return {
        total: ok2xx + r.non2xx + r.errors,
        ok2xx,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        failed: r.non2xx + r.errors,
      };
    },
  };
}
