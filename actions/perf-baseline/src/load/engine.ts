import type { Measurement } from '../measurement.js';
import { measure, type Share, type Tick } from './measure.js';
import { measureOpen } from './open.js';

/** Which load generator runs: the open model when a rate is given, else the closed model. */
export function engineOf(share: Pick<Share, 'rate'>): 'node:http' | 'autocannon' {
  return share.rate === undefined ? 'autocannon' : 'node:http';
}

/** One measurement in this thread, with the engine of its model. */
export function measureShare(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  return share.rate === undefined ? measure(share, onTick) : measureOpen(share, onTick);
}
