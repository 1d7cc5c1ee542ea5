// A file's version: inode, nanosecond mtime and size. An atomic save always makes a new inode,
// so two saves within the same clock tick still get different versions.
import { stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';

export function versionOf(st: BigIntStats): string {
  return `${st.ino.toString(36)}-${st.mtimeNs.toString(36)}-${st.size.toString(36)}`;
}

/** The version of the file at `absPath`, or undefined when it does not exist. */
export async function currentVersion(absPath: string): Promise<string | undefined> {
  try {
    return versionOf(await stat(absPath, { bigint: true }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
