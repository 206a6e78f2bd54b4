import { seededRandom } from '../../../../shared/src/random.js';

/** How the open model spaces its requests: evenly, or as independent arrivals (exponential gaps). */
export type Arrival = 'even' | 'poisson';

/** Fixed, so that two Poisson runs send the same sequence of gaps and compare fairly. */
const POISSON_SEED = 0x0a11;

/**
 * The intended send times of an open-model run, ms after its start, one after the other until `untilMs`. Times are
 * absolute offsets, not delays from the previous send: a timer that wakes late does not shift the requests after it.
 * `phaseMs` shifts an even schedule, so that worker threads sharing a rate interleave instead of sending together.
 */
export function* intendedTimes(rate: number, arrival: Arrival, untilMs: number, phaseMs = 0): Generator<number> {
  const gap = 1000 / rate;
  if (arrival === 'even') {
    for (let i = 0; phaseMs + i * gap < untilMs; i++) yield phaseMs + i * gap;
    return;
  }
  const rnd = seededRandom(POISSON_SEED);
  for (let t = 0; t < untilMs; t += -Math.log(1 - rnd()) * gap) yield t;
}
