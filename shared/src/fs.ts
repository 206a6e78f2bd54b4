import { randomBytes } from 'node:crypto';
import { chmod, chown, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file in one step (a temp file beside it, then rename): readers see the old content or the new, never a
 * partial write. The new file keeps the old one's mode, and its owner when we may set it (root), so a file that only
 * NGINX's group may read does not become world-readable, nor owned by the job's user. The temp file is removed when
 * the write fails.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const before = await stat(path).catch(() => undefined);
  try {
    // Over an existing file: created private, given the old owner and mode once it holds the whole text.
    await writeFile(temp, text, { flush: true, ...(before && { mode: 0o600 }) });
    if (before) {
      if (process.getuid?.() === 0) await chown(temp, before.uid, before.gid);
      await chmod(temp, before.mode & 0o7777);
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}
