// The switch record behind one interface: the state file (a real file here) and any other store a backend keeps,
// read first-found and written all, with a failed required store an error only where the step asks for that.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  firstRecord,
  writeRecords,
  type StoredSwitch,
  type SwitchRecord,
  type SwitchRecordStore,
} from '../../shared/src/traffic/record.js';
import { StateFileStore } from '../../shared/src/traffic/state-file.js';

const record: SwitchRecord = {
  active: 'green',
  previous: 'blue',
  weights: { blue: 0, green: 100 },
  time: '2024-05-01T10:00:00.000Z',
  who: 'ci',
};

/** A store kept in memory, as a backend's own record is (only the previous colour). */
class PreviousOnly implements SwitchRecordStore {
  readonly label = 'previous-colour note';
  readonly required = false;
  previous?: string;
  constructor(private readonly fail = false) {}
  async checkWritable(): Promise<void> {}
  async read(): Promise<StoredSwitch | undefined> {
    return this.previous ? { previous: this.previous } : undefined;
  }
  source(): string {
    return `the ${this.label}`;
  }
  async write(r: SwitchRecord): Promise<string> {
    if (this.fail) throw new Error('refused');
    this.previous = r.previous;
    return `note=${r.previous}`;
  }
}

const dir = () => mkdtempSync(join(tmpdir(), 'shipgate-record-'));

describe('switch record stores', () => {
  it('writes the state file, reads it back, and says where it came from', async () => {
    const path = join(dir(), 'sub', 'state.json');
    const store = new StateFileStore(path);
    expect(await store.read()).toBeUndefined();
    await store.checkWritable();
    expect(await store.write(record)).toBe(`${path} (active green, previous blue)`);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(record);
    const again = new StateFileStore(path);
    expect(again.load()).toEqual(record);
    expect(again.source((await again.read())!)).toBe(
      `the previous colour in ${path} (switched by ci at 2024-05-01T10:00:00.000Z)`,
    );
  });

  it('reads the first store that holds a record, in order', async () => {
    const note = new PreviousOnly();
    const file = new StateFileStore(join(dir(), 'none.json'));
    expect(await firstRecord([file, note])).toBeUndefined();
    note.previous = 'green';
    const found = await firstRecord([file, note]);
    expect(found?.record).toEqual({ previous: 'green' });
    expect(found?.store).toBe(note);
  });

  it('writes every store; a failed optional one is a warning, a failed required one throws after the others when strict', async () => {
    const d = dir();
    const blocked = join(d, 'is-a-dir');
    mkdirSync(blocked);
    const note = new PreviousOnly();
    const warnings: string[] = [];
    await expect(
      writeRecords([new StateFileStore(blocked), note], record, (m) => warnings.push(m), true),
    ).rejects.toThrow(/Cannot write input 'state-file'/);
    expect(note.previous).toBe('blue');
    expect(warnings).toEqual([]);

    const places = await writeRecords(
      [new StateFileStore(blocked), new PreviousOnly(true), note],
      record,
      (m) => warnings.push(m),
      false,
    );
    expect(places).toEqual(['note=blue']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^Could not update the state file ${blocked}: Cannot write input 'state-file'.*A later rollback would read the old record\\.$`,
      ),
    );
    expect(warnings[1]).toBe(
      'Could not update the previous-colour note: refused. A later rollback would read the old record.',
    );
  });
});
