// The record a traffic switch leaves for rollback in the file input 'state-file' names: which colour is live, which
// one it replaced, who switched and when.
import { readFileSync } from 'node:fs';
import { access, constants, mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, ExternalError, errorMessage } from '../errors.js';
import { writeFileAtomic } from '../fs.js';
import type { StoredSwitch, SwitchRecord, SwitchRecordStore } from './record.js';

/** Who runs this job, as the platform names them (Platform.job). */
export function whoRuns(job: { actor?: string }): string {
  return job.actor || 'unknown';
}

/** Writes the record (temp file + rename, so a reader never sees half of it). */
export async function writeStateFile(path: string, record: SwitchRecord): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  } catch (err) {
    throw new ExternalError(
      `Cannot write input 'state-file' '${path}': ${(err as { code?: string }).code ?? errorMessage(err)}.`,
    );
  }
}

/**
 * Throws a ConfigError naming the input unless writeStateFile could write `path` later, without changing anything:
 * an existing file is opened for append and closed; a probe file is created and removed beside it; a parent that
 * does not exist yet must be creatable under its nearest existing ancestor.
 */
export async function checkStateFileWritable(path: string): Promise<void> {
  const refuse = (why: string) =>
    new ConfigError(
      `Input 'state-file' is '${path}', but it cannot be written: ${why}. Point it at a writable path (the job's workspace), or leave it empty. Nothing was changed.`,
    );
  const full = resolve(path);
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw refuse('it is a directory');
  let dir = dirname(full);
  let parent = await stat(dir).catch(() => undefined);
  while (!parent && dirname(dir) !== dir) parent = await stat((dir = dirname(dir))).catch(() => undefined);
  if (!parent?.isDirectory()) throw refuse(`${dir} is not a directory`);
  try {
    if (existing) await (await open(full, 'a')).close();
    if (dir === dirname(full)) {
      // the write is a temp file and a rename in this directory, so that is what is tried
      const probe = `${full}.${process.pid}.probe`;
      await (await open(probe, 'wx')).close();
      await unlink(probe);
    } else await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw refuse((err as { code?: string }).code ?? errorMessage(err));
  }
}

/** Reads a record written by writeStateFile; undefined when the file does not exist. */
export function readStateFile(path: string): SwitchRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw new ExternalError(`Cannot read state file '${path}': ${errorMessage(err)}.`);
  }
  let data: Partial<SwitchRecord> | null;
  try {
    data = JSON.parse(text) as Partial<SwitchRecord> | null;
  } catch (err) {
    throw new ExternalError(`State file '${path}' is not JSON: ${errorMessage(err)}.`);
  }
  if (typeof data?.active !== 'string' || typeof data.previous !== 'string') {
    throw new ExternalError(
      `State file '${path}' has no 'active' and 'previous' colours; it was not written by Shipgate.`,
    );
  }
  return data as SwitchRecord;
}

/** The `state-file` input as a record store: read once, before anything is contacted, so a bad file is exit 2. */
export class StateFileStore implements SwitchRecordStore {
  readonly required = true;
  private loaded?: { record: SwitchRecord | undefined };

  readonly label: string;

  constructor(readonly path: string) {
    this.label = `state file ${path}`;
  }

  checkWritable(): Promise<void> {
    return checkStateFileWritable(this.path);
  }

  source(record: StoredSwitch): string {
    return `the previous colour in ${this.path} (switched by ${record.who} at ${record.time})`;
  }

  /** Reads the file now (synchronously, during config); undefined when it does not exist. */
  load(): SwitchRecord | undefined {
    return (this.loaded ??= { record: readStateFile(this.path) }).record;
  }

  async read(): Promise<StoredSwitch | undefined> {
    return this.load();
  }

  async write(record: SwitchRecord): Promise<string> {
    await writeStateFile(this.path, record);
    this.loaded = { record };
    return `${this.path} (active ${record.active}, previous ${record.previous})`;
  }
}
