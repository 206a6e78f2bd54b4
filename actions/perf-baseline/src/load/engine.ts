import type { Measurement } from '../measurement.js';
import { measure, type Share, type Tick } from './measure.js';
import { measureOpen } from './open.js';

/** One measurement in this thread, with the engine of its model. */
export function measureShare(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  return share.rate === undefined ? measure(share, onTick) : measureOpen(share, onTick);
}
