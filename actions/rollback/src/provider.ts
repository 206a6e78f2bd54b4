// The seam between the rollback flow and what it rolls back: a blue-green router or a Kubernetes Deployment.
import type { ImageRef } from '../../../shared/src/registry/index.js';

/** What runs now and what the rollback goes to, read from the system before anything changes. */
export interface Resolved {
  /** What runs now: a colour, or an image reference. */
  from: string;
  /** What the rollback goes to: a colour, or an image reference. */
  to: string;
  /** How `to` was chosen, for the log and the summary (e.g. "the previous colour in state.json"). */
  source: string;
  /** The image the target runs, checked in its registry before anything changes. */
  image?: ImageRef;
  /** The git tag of the version rolled back to, when known (the forge record's ref). */
  release?: string;
  /** The colour rolled back to (blue-green): `{color}` of the health URL. */
  colour?: string;
  /** The target already runs: nothing to change. */
  noop: boolean;
  /** Facts about the current state for the summary, one line each. */
  details: string[];
}

/** How applying went: read back (blue-green) or the rollout (kubernetes). Never thrown for a failed check. */
export interface Applied {
  ok: boolean;
  /** One line: what was read back, or why it failed. */
  reason: string;
  lines: string[];
  elapsedMs: number;
}

export interface RollbackProvider {
  /** For messages: `blue-green via haproxy`, `Deployment shop/web`. */
  readonly label: string;
  /** The target already runs before the move (blue-green): its health is gated before anything changes. */
  readonly gateBefore: boolean;
  /** Reads the current state and picks the target; ConfigError when there is nothing to roll back to. */
  resolve(): Promise<Resolved>;
  /** The exact change apply() would make, one line each. */
  changes(r: Resolved, cause: string): Promise<string[]>;
  /** Makes the change and checks it took (read back, or the rollout finished); throws only when the change could not be made. */
  apply(r: Resolved, cause: string): Promise<Applied>;
  /** Leaves the rollback where the next switch or rollback finds it; resolves the places, one line each. */
  record(r: Resolved): Promise<string[]>;
  /** What serves now, in one line, read again: for the message of a rollback that failed. */
  describeNow(): Promise<string>;
  /** What a rollback could go to, as `kubectl rollout history` lists it: a header row, then one row each. */
  candidates(): Promise<Candidates>;
}

/** The targets `list: true` shows; `current` marks the row of what runs now. */
export interface Candidates {
  header: string[];
  rows: { cells: string[]; current?: boolean; target?: boolean }[];
  /** Where the list comes from, one line. */
  source: string;
}
