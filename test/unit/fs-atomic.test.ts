import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../shared/src/fs.js';

// A real file system: the replaced file keeps the mode (and, as root, the owner) of the one it replaces.
describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-fs-'));

  it.each([0o640, 0o600, 0o644, 0o664])('keeps mode %o of the file it replaces', async (mode) => {
    const file = join(dir, `upstream-${mode.toString(8)}.conf`);
    writeFileSync(file, 'old');
    chmodSync(file, mode);
    await writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o7777).toBe(mode);
  });

  it('keeps the owner and group of the file it replaces when running as root', async () => {
    const file = join(dir, 'owned.conf');
    writeFileSync(file, 'old');
    const root = process.getuid?.() === 0;
    // Not root: the owner cannot be changed (and is ours already); root: give it to another user first.
    if (root) chownSync(file, 4321, 4322);
    const { uid, gid } = statSync(file);
    await writeFileAtomic(file, 'new');
    expect(statSync(file)).toMatchObject({ uid, gid });
    if (root) expect(statSync(file)).toMatchObject({ uid: 4321, gid: 4322 });
  });

  it('creates a missing file and leaves no temp file behind', async () => {
    const sub = mkdtempSync(join(dir, 'new-'));
    await writeFileAtomic(join(sub, 'state.json'), '{}');
    expect(readdirSync(sub)).toEqual(['state.json']);
    expect(statSync(join(sub, 'state.json')).mode & 0o077).not.toBe(0o077);
  });
});
