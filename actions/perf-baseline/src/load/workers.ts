import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ExternalError, errorMessage } from '../../../../shared/src/errors.js';
import { combineConcurrent, decodeMeasurement, encodeMeasurement, type Measurement, type MeasurementRecord } from '../measurement.js';
import { measure, type Share, type Tick } from './measure.js';

/**
 * `workers > 1` runs autocannon in worker threads that Shipgate starts itself, not with autocannon's own `workers`
 * option: that one loads autocannon's worker.js from node_modules, which the single-file bundles (the action's
 * dist/index.js, the CLI's dist/cli/index.js) do not have. Here the worker file is the module being run, whatever
 * it is: the bundle, or this source file under tsx.
 */
const MARK = 'shipgate-perf-baseline-worker';

type FromWorker = { type: 'tick'; tick: Tick } | { type: 'done'; record: MeasurementRecord } | { type: 'failed'; message: string };

if (!isMainThread && workerData?.[MARK]) {
  const port = parentPort!;
  const send = (msg: FromWorker) => port.postMessage(msg);
  // A listener keeps the thread alive after the load: with nothing left to run, Node would end it and report the
  // await below as unsettled. The parent ends the thread once it has the result.
  port.on('message', () => {});
  measure(workerData.share as Share, (tick) => send({ type: 'tick', tick })).then(
    (m) => send({ type: 'done', record: encodeMeasurement(m) }),
    (err) => send({ type: 'failed', message: errorMessage(err) }),
  );
  // In a bundle this module is part of the whole program, whose entry would run the step again in this thread:
  // an await that never settles holds the rest of the module graph back. The parent ends the thread when done.
  await new Promise(() => {});
}

/** Splits connections (and the rate) evenly over `workers` threads; the first ones take the remainder. */
export function splitShare(share: Share, workers: number): Share[] {
  const part = (total: number, i: number) => Math.floor(total / workers) + (i < total % workers ? 1 : 0);
  return Array.from({ length: workers }, (_, i) => ({
    ...share,
    connections: part(share.connections, i),
    rate: share.rate === undefined ? undefined : part(share.rate, i),
  }));
}

/** Runs one measurement spread over `workers` threads at once and combines what they measured. */
export async function measureInWorkers(share: Share, workers: number, onTick?: (t: Tick) => void): Promise<Measurement> {
  const parts = await Promise.all(splitShare(share, workers).map((s) => inWorker(s, onTick)));
  return combineConcurrent(parts);
}

function inWorker(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  const worker = startWorker(new URL(import.meta.url), { [MARK]: true, share });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'tick') onTick?.(msg.tick);
      else if (msg.type === 'done') finish(() => resolve(decodeMeasurement(msg.record)));
      else finish(() => reject(new ExternalError(msg.message)));
    });
    worker.on('error', (err) => finish(() => reject(new Error(`A load worker thread failed: ${errorMessage(err)}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`A load worker thread exited (code ${code}) before it reported.`))));
  });
}

/**
 * A thread running `file`. From source (tests, benchmarks) it is TypeScript: Node 20 does not apply loader hooks
 * given by `--import tsx` to a worker's entry, so the thread imports it through tsx's API. The module name is built
 * at run time so that the bundler does not pull tsx into the bundles, which never take this path.
 */
function startWorker(file: URL, data: unknown): Worker {
  if (!file.pathname.endsWith('.ts')) return new Worker(file, { workerData: data });
  const api = import.meta.resolve(['tsx', 'esm', 'api'].join('/'));
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}))`;
  return new Worker(code, { eval: true, workerData: data });
}
