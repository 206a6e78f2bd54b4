import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ExternalError, errorMessage } from '../../../../shared/src/errors.js';
import {
  combineConcurrent,
  decodeMeasurement,
  encodeMeasurement,
  type Measurement,
  type MeasurementRecord,
} from '../measurement.js';
import { measureShare } from './engine.js';
import { engineOf, loadGenerator, type Share, type Tick } from './measure.js';

/**
 * `workers > 1` runs the load generator in worker threads that Shipgate starts itself, not with autocannon's own `workers`
 * option: that one loads autocannon's worker.js from node_modules, which the single-file bundles (the action's
 * dist/index.js, the CLI's dist/cli/index.js) do not have. Here the worker file is the module being run, whatever
 * it is: the bundle, or this source file under tsx.
 */
const MARK = 'shipgate-perf-baseline-worker';

type FromWorker =
  | { type: 'ready' }
  | { type: 'tick'; tick: Tick }
  | { type: 'done'; record: MeasurementRecord }
  | { type: 'failed'; message: string };

if (!isMainThread && workerData?.[MARK]) {
  const port = parentPort!;
  const send = (msg: FromWorker) => port.postMessage(msg);
  // The listener also keeps the thread alive after the load: with nothing left to run, Node would end it and report
  // the await below as unsettled. The parent ends the thread once it has the result.
  port.on('message', (msg) => {
    if (msg !== 'start') return;
    measureShare(workerData.share as Share, (tick) => send({ type: 'tick', tick })).then(
      (m) => send({ type: 'done', record: encodeMeasurement(m) }),
      (err) => send({ type: 'failed', message: errorMessage(err) }),
    );
  });
  // Ready once autocannon is loaded (the closed model's engine), and in a later turn of the event loop: by then the rest of a bundle (the CLI's
  // holds every step) has been evaluated. Load started earlier got its first answers a second late, while that code still ran.
  const engine = engineOf(workerData.share as Share) === 'autocannon' ? loadGenerator() : Promise.resolve();
  engine.then(
    () => setImmediate(() => send({ type: 'ready' })),
    (err) => send({ type: 'failed', message: errorMessage(err) }),
  );
  // In a bundle this module is part of the whole program, whose entry would run the step again in this thread:
  // an await that never settles holds the rest of the module graph back.
  await new Promise(() => {});
}

/** Splits connections (and the rate) evenly over `workers` threads; the first ones take the remainder. */
export function splitShare(share: Share, workers: number): Share[] {
  const part = (total: number, i: number) => Math.floor(total / workers) + (i < total % workers ? 1 : 0);
  return Array.from({ length: workers }, (_, i) => ({
    ...share,
    connections: part(share.connections, i),
    maxConnections: share.maxConnections === undefined ? undefined : part(share.maxConnections, i),
    rate: share.rate === undefined ? undefined : part(share.rate, i),
    phaseMs: share.rate === undefined ? undefined : (i * 1000) / share.rate,
  }));
}

/**
 * Runs one measurement spread over `workers` threads and combines what they measured. The threads start their load
 * together, once all of them are loaded, so that their seconds line up.
 */
export async function measureInWorkers(
  share: Share,
  workers: number,
  onTick?: (t: Tick) => void,
): Promise<Measurement> {
  const threads = splitShare(share, workers).map((s) => loadThread(s, onTick));
  try {
    await Promise.all(threads.map((t) => t.ready));
    for (const t of threads) t.worker.postMessage('start');
    return combineConcurrent(await Promise.all(threads.map((t) => t.result)));
  } finally {
    for (const t of threads) void t.worker.terminate();
  }
}

function loadThread(share: Share, onTick?: (t: Tick) => void) {
  const worker = startWorker(new URL(import.meta.url), { [MARK]: true, share });
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const result = new Promise<Measurement>((resolve, reject) => {
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') ready();
      else if (msg.type === 'tick') onTick?.(msg.tick);
      else if (msg.type === 'done') resolve(decodeMeasurement(msg.record));
      else reject(new ExternalError(msg.message));
    });
    worker.on('error', (err) => reject(new Error(`A load worker thread failed: ${errorMessage(err)}`)));
    worker.on('exit', (code) => reject(new Error(`A load worker thread exited (code ${code}) before it reported.`)));
  });
  result.catch(() => {}); // awaited later; a thread that fails before the others are ready must not go unhandled
  // a thread that dies while loading ends the wait for the others
  return { worker, ready: Promise.race([isReady, result.then(() => {})]), result };
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
