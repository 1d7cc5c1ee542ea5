// Hot exit, the renderer's half: a dirty buffer is backed up through main a moment after the last
// keystroke (`backup.write`); saving, reverting or closing it discards the backup. Calls for one
// path go out in order, so a discard is never overtaken by an older write.
import type { LongmodeApi } from '../../main/common/contract';
import { errorText } from '../layout/dom';

export const backupDelayMs = 500;

export class BufferBackups {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly failing = new Set<string>();
  private readonly pendingWrites = new Map<string, () => void>();

  constructor(
    private readonly api: LongmodeApi,
    private readonly onError: (message: string) => void,
    private readonly delayMs = backupDelayMs,
  ) {}

  /** The buffer has unsaved edits: back up its text once typing pauses. */
  edited(path: string, text: () => string, baseVersion: string | undefined): void {
    clearTimeout(this.timers.get(path));
    const write = () => {
      this.timers.delete(path);
      this.pendingWrites.delete(path);
      const snapshot = text();
      this.enqueue(path, () => this.api.call('backup.write', { path, text: snapshot, baseVersion: baseVersion || undefined }));
    };
    this.pendingWrites.set(path, write);
    this.timers.set(path, setTimeout(write, this.delayMs));
  }

  /** The page is going away (window closed, reload): send the writes still waiting for typing to pause. */
  writeNow(): void {
    for (const [path, write] of [...this.pendingWrites]) {
      clearTimeout(this.timers.get(path));
      write();
    }
  }

  /** The buffer matches the disk again (saved, reverted, closed): forget its backup. */
  clean(path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.delete(path);
    this.pendingWrites.delete(path);
    this.enqueue(path, () => this.api.call('backup.discard', { path }));
  }

  /** The workspace changed: writes not yet sent would land in the new workspace's backups, so drop them. */
  cancelPending(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pendingWrites.clear();
  }

  private enqueue(path: string, call: () => Promise<unknown>): void {
    const run = (this.queues.get(path) ?? Promise.resolve()).then(call).then(
      () => void this.failing.delete(path),
      (error) => {
        // say it once per path, not on every keystroke
        if (!this.failing.has(path)) this.onError(`unsaved edits of ${path} could not be backed up: ${errorText(error)}`);
        this.failing.add(path);
      },
    );
    this.queues.set(path, run);
    void run.then(() => {
      if (this.queues.get(path) === run) this.queues.delete(path);
    });
  }
}
