// What a switch leaves for rollback, behind one interface: the state file the user names, or the record a backend
// keeps on the routed object itself (the Kubernetes annotation). blue-green-switch writes every store it has;
// rollback reads the first that holds a record and rewrites them all after it swapped the colours back.
import { errorMessage } from '../errors.js';
import type { Weights } from './weights.js';

/** Contents of the `state-file` JSON. */
export interface SwitchRecord {
  active: string;
  /** The colour traffic moved away from: the one a rollback returns to. */
  previous: string;
  weights: Weights;
  /** ISO 8601, UTC. */
  time: string;
  /** The CI user who ran the switch (Platform.job.actor), or the local user. */
  who: string;
}

/** A record as a store gives it back: a store that keeps only the previous colour fills only `previous`. */
export type StoredSwitch = Pick<SwitchRecord, 'previous'> & Partial<SwitchRecord>;

/** One place a switch record is kept. */
export interface SwitchRecordStore {
  /** How a message names it after `the`: `state file state.json`, `shipgate.dev/previous-color annotation`. */
  readonly label: string;
  /** True when an input asked for it: a switch that cannot write it fails. Otherwise a failed write is a warning. */
  readonly required: boolean;
  /** Throws ConfigError, before anything changes, when write() could not succeed later. */
  checkWritable(): Promise<void>;
  /** The last record; undefined when there is none. */
  read(): Promise<StoredSwitch | undefined>;
  /** Where a record read() gave came from, for the summary: `the previous colour in state.json (switched by ci at …)`. */
  source(record: StoredSwitch): string;
  /** Keeps `record` and says where it went, one line for the summary. */
  write(record: SwitchRecord): Promise<string>;
}

/** The first record among `stores` (in their order), with the store that held it. */
export async function firstRecord(
  stores: SwitchRecordStore[],
): Promise<{ record: StoredSwitch; store: SwitchRecordStore } | undefined> {
  for (const store of stores) {
    const record = await store.read();
    if (record) return { record, store };
  }
  return undefined;
}

/**
 * Writes `record` to every store and returns where it went. A store that fails is a warning; with `strict`, a
 * required one is an error, thrown after the other stores were written.
 */
export async function writeRecords(
  stores: SwitchRecordStore[],
  record: SwitchRecord,
  warn: (message: string) => void,
  strict: boolean,
): Promise<string[]> {
  const places: string[] = [];
  let failed: unknown;
  for (const store of stores) {
    try {
      places.push(await store.write(record));
    } catch (err) {
      if (strict && store.required) failed ??= err;
      else
        warn(`Could not update the ${store.label}: ${errorMessage(err)}. A later rollback would read the old record.`);
    }
  }
  if (failed) throw failed;
  return places;
}
