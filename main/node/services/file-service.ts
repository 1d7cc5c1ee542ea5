// Workspace files for the editor and explorer: tree, read, atomic write with version check,
// create, rename, delete. Every path goes through WorkspaceRoot (confined to the workspace).
import { lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileContent, FileEntry } from '../../common/contract';
import { atomicWrite } from './atomic-write';
import type { WorkspaceRoot } from './confine';
import { versionOf, currentVersion } from './file-version';
import type { OwnChanges } from './own-changes';
import { fileError, ServiceError } from './service-error';

/** Folders the explorer and the watcher leave out: VCS data, build trees, Longmode's own state. */
export const ignoredNames = new Set(['.git', 'node_modules', 'target', '.longmode', '.longmode-cache']);
export const isTempName = (name: string): boolean => name.startsWith('.longmode-tmp-');
const maxFileBytes = 16 << 20;
const maxTreeEntries = 20_000;

export class FileService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ws: WorkspaceRoot,
    private readonly own: OwnChanges,
  ) {}

  async tree(): Promise<FileEntry> {
    let budget = maxTreeEntries;
    const walk = async (abs: string, rel: string): Promise<FileEntry[]> => {
      const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
      const out: FileEntry[] = [];
      for (const e of entries) {
        if (ignoredNames.has(e.name) || isTempName(e.name) || --budget < 0) continue;
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) out.push({ path: childRel, kind: 'dir', children: await walk(join(abs, e.name), childRel) });
        else out.push({ path: childRel, kind: 'file' }); // files and symlinks (opened through the confined path)
      }
      return out.sort((a, b) => (a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'dir' ? -1 : 1));
    };
    return { path: '', kind: 'dir', children: await walk(this.ws.realRoot, '') };
  }

  async read(relPath: string): Promise<FileContent> {
    return this.readFile(relPath).catch((err) => Promise.reject(fileError(err, relPath)));
  }

  async write(relPath: string, text: string, expectedVersion?: string): Promise<{ version: string }> {
    return this.writeFile(relPath, text, expectedVersion).catch((err) => Promise.reject(notWritable(err, relPath) ?? fileError(err, relPath)));
  }

  async create(relPath: string, kind: 'file' | 'dir'): Promise<{ ok: true }> {
    return this.createEntry(relPath, kind).catch((err) => Promise.reject(fileError(err, relPath)));
  }

  async rename(fromRel: string, toRel: string): Promise<{ ok: true }> {
    return this.renameEntry(fromRel, toRel).catch((err) => Promise.reject(fileError(err, fromRel)));
  }

  async delete(relPath: string): Promise<{ ok: true }> {
    return this.deleteEntry(relPath).catch((err) => Promise.reject(fileError(err, relPath)));
  }

  private async readFile(relPath: string): Promise<FileContent> {
    const abs = await this.ws.target(relPath);
    const handle = await open(abs, 'r');
    try {
      const st = await handle.stat({ bigint: true });
      if (st.isDirectory()) throw new ServiceError('bad-request', `${relPath} is a folder; open a file inside it`);
      if (st.size > BigInt(maxFileBytes)) throw new ServiceError('failed', `${relPath} is larger than 16 MiB; open it with another editor`);
      const text = await handle.readFile('utf8');
      return { path: this.ws.clean(relPath), text, version: versionOf(st) };
    } finally {
      await handle.close();
    }
  }

  private async writeFile(relPath: string, text: string, expectedVersion?: string): Promise<{ version: string }> {
    const abs = await this.ws.targetOrEntry(relPath);
    return this.exclusive(abs, async () => {
      const existing = await lstat(abs).catch(() => undefined);
      if (existing?.isDirectory()) throw new ServiceError('bad-request', `${relPath} is a folder; cannot save text over it`);
      if (expectedVersion !== undefined) {
        const now = await currentVersion(abs);
        if (now !== expectedVersion) {
          const what = now === undefined ? 'was deleted on disk' : 'changed on disk since you opened it';
          throw new ServiceError('conflict', `${relPath} ${what}; nothing was saved. Reload it or save again to overwrite.`);
        }
      }
      const version = await atomicWrite(abs, text, existing ? existing.mode & 0o7777 : 0o644);
      this.own.wrote(abs, version);
      return { version };
    });
  }

  private async createEntry(relPath: string, kind: 'file' | 'dir'): Promise<{ ok: true }> {
    const abs = await this.ws.entry(relPath);
    this.own.touched(abs);
    if (kind === 'dir') await mkdir(abs);
    else await (await open(abs, 'wx', 0o644)).close();
    return { ok: true };
  }

  private async renameEntry(fromRel: string, toRel: string): Promise<{ ok: true }> {
    const from = await this.ws.entry(fromRel);
    const to = await this.ws.entry(toRel);
    await lstat(from); // ENOENT → "no such file"
    if (await lstat(to).then(() => true, () => false)) {
      throw new ServiceError('already-exists', `${toRel} already exists; choose another name or delete it first`);
    }
    this.own.touched(from);
    this.own.touched(to);
    await rename(from, to);
    return { ok: true };
  }

  private async deleteEntry(relPath: string): Promise<{ ok: true }> {
    const abs = await this.ws.entry(relPath);
    const st = await lstat(abs);
    this.own.touched(abs);
    if (st.isDirectory()) await rm(abs, { recursive: true });
    else await unlink(abs);
    return { ok: true };
  }

  /** Runs `fn` with no other write to the same file in flight. */
  private async exclusive<T>(abs: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(abs) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    this.locks.set(abs, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(abs) === run) this.locks.delete(abs);
    }
  }
}


/** A save refused by the file system's permissions, said plainly (the edits are not lost: the buffer keeps them, backed up). */
function notWritable(err: unknown, relPath: string): ServiceError | undefined {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') {
    return undefined;
  }
  const folder = relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) + '/' : 'the workspace folder';
  const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable by you';
  return new ServiceError(
    'failed',
    `cannot save ${relPath}: ${folder} ${why} (a save writes a temporary file next to it, then renames it). ` +
      'Your edits stay in the editor and are backed up; make the folder writable (chmod u+w, or chown it to yourself), then save again.',
  );
}
