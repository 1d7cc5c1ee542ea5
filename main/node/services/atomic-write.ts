// Atomic save: write a temp file in the same folder, fsync it, rename it over the target, fsync the
// folder. A crash leaves either the old or the new file, never half of one. The mode is kept.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { versionOf } from './file-version';

/** Writes `text` to `absPath` atomically with file mode `mode`; returns the new version. */
export async function atomicWrite(absPath: string, text: string, mode: number): Promise<string> {
  const folder = dirname(absPath);
  const temp = join(folder, `.longmode-tmp-${basename(absPath)}-${randomBytes(6).toString('hex')}`);
  let version: string;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.chmod(mode); // open() is subject to the umask; the saved file keeps its exact mode
    await handle.sync();
    version = versionOf(await handle.stat({ bigint: true })); // rename keeps inode and mtime
    await handle.close();
    await rename(temp, absPath);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return version;
}
