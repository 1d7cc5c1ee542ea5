// A QEMU started before its disk image exists: spawned paused on a session-private empty disk (RAM
// preallocated, QMP and gdb attached) while the build runs, then handed the built image's bytes.
// QEMU opened the disk at spawn but read nothing of it yet (raw format, the CPU never ran), so
// writing the same file in place before `cont` is what the guest sees.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { QemuSession, type SessionOptions } from './session';

export interface PreparedSessionOptions extends Omit<SessionOptions, 'image' | 'paused'> {
  /** the size the built image will have (the manifest's image.sectors × 512) */
  diskBytes: number;
}

export class PreparedSession {
  private handedOver = false;

  private constructor(
    private readonly session: QemuSession,
    readonly diskBytes: number,
  ) {}

  static async start(opts: PreparedSessionOptions): Promise<PreparedSession> {
    const { diskBytes, ...rest } = opts;
    const session = await QemuSession.start({ ...rest, image: { privateBytes: diskBytes }, paused: true });
    return new PreparedSession(session, diskBytes);
  }

  get pid(): number {
    return this.session.pid;
  }

  get sessionDir(): string {
    return this.session.paths.dir;
  }

  /**
   * Copies `image` into the private disk and hands the session over, running unless `paused`.
   * Resolves undefined (and stops QEMU) when the image's size differs from the prepared disk or
   * QEMU is gone: boot a fresh session on `image` then.
   */
  async boot(image: string, paused: boolean): Promise<QemuSession | undefined> {
    if (this.handedOver) throw new Error('this prepared session was already booted or discarded');
    this.handedOver = true;
    try {
      const bytes = readFileSync(image);
      if (bytes.length !== this.diskBytes || this.session.state !== 'paused') throw new Error('the prepared disk cannot take this image');
      writeInPlace(this.session.paths.disk, bytes);
      if (!paused) await this.session.resume();
    } catch {
      await this.session.stop();
      return undefined;
    }
    return this.session;
  }

  /** Stops the prepared QEMU (the build failed or was cancelled) and removes its session folder. */
  async discard(): Promise<void> {
    this.handedOver = true;
    await this.session.stop();
  }
}

/** Same inode (no rename): QEMU holds the file open and reads it through the page cache. */
function writeInPlace(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, done);
  } finally {
    closeSync(fd);
  }
}
