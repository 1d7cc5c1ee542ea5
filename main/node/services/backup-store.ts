// Hot exit: the text of every dirty buffer, kept in small JSON files (one a path, written
// atomically) outside the workspace's sources, until the buffer is saved or reverted. A store has
// folders in order of preference: when one cannot be written (a read-only workspace), the next is
// used, so unsaved edits are never lost for want of a writable folder.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BufferBackup } from '../../common/contract';
import { callShapes } from '../../common/call-shapes';
import { checkShape } from '../../common/shape';
import { atomicWrite } from './atomic-write';
import { ServiceError } from './service-error';

const unwritable = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR']);

export class BackupStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** `folders`: where backups go, most preferred first. */
  constructor(readonly folders: readonly string[]) {}

  async write(path: string, text: string, baseVersion?: string): Promise<void> {
    const backup: BufferBackup = { path, text, baseVersion, savedAt: new Date().toISOString() };
    await this.inOrder(path, async () => {
      const problems: string[] = [];
      for (const [i, folder] of this.folders.entries()) {
        try {
          await mkdir(folder, { recursive: true, mode: 0o700 });
          await atomicWrite(join(folder, fileNameFor(path)), JSON.stringify(backup) + '\n', 0o600);
          await this.removeFrom(path, this.folders.filter((_, j) => j !== i));
          return;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? '';
          if (!unwritable.has(code)) throw err;
          problems.push(`${folder} (${code})`);
        }
      }
      throw new ServiceError(
        'failed',
        `could not back up the unsaved edits of ${path}: no backup folder is writable (${problems.join(', ')}); save the file, or make one of these folders writable`,
      );
    });
  }

  /** Every backup, the newest one per path. Files that are not backups (hand-edited, truncated) are skipped. */
  async list(): Promise<BufferBackup[]> {
    const newest = new Map<string, BufferBackup>();
    for (const folder of this.folders) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n))) {
        const backup = parseBackup(await readFile(join(folder, name), 'utf8').catch(() => ''));
        if (!backup || fileNameFor(backup.path) !== name) continue;
        const known = newest.get(backup.path);
        if (!known || known.savedAt < backup.savedAt) newest.set(backup.path, backup);
      }
    }
    return [...newest.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  async discard(path: string): Promise<void> {
    await this.inOrder(path, () => this.removeFrom(path, this.folders));
  }

  private async removeFrom(path: string, folders: readonly string[]): Promise<void> {
    for (const folder of folders) {
      await unlink(join(folder, fileNameFor(path))).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err;
      });
    }
  }

  /** Writes and discards of one path happen in the order they were asked for. */
  private async inOrder(path: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(path) ?? Promise.resolve()).catch(() => undefined).then(fn);
    this.queues.set(path, run);
    try {
      await run;
    } finally {
      if (this.queues.get(path) === run) this.queues.delete(path);
    }
  }
}

export function fileNameFor(path: string): string {
  return `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`;
}

function parseBackup(text: string): BufferBackup | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { savedAt, ...args } = value as Record<string, unknown>;
    if (typeof savedAt !== 'string' || checkShape(args, callShapes['backup.write'], 'backup')) return undefined;
    return { ...(args as Omit<BufferBackup, 'savedAt'>), savedAt };
  } catch {
    return undefined;
  }
}

/** A short, stable key for a workspace folder (for per-workspace folders outside it). */
export function workspaceKey(realRoot: string): string {
  return createHash('sha256').update(realRoot).digest('hex').slice(0, 16);
}

/**
 * Browser mode and the CLI: the workspace's git-ignored `.longmode/backups/`, then the user's state
 * folder (`$XDG_STATE_HOME/longmode/backups/<key>`, default ~/.local/state) for a read-only workspace.
 */
export function defaultBackupFolders(realRoot: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return [join(realRoot, '.longmode', 'backups'), join(stateHome, 'longmode', 'backups', workspaceKey(realRoot))];
}
