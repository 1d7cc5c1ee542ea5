// Reads the guest's screen cheaply enough to poll at 30+ fps while it runs. The 4000-byte text
// buffer is one QMP pmemsave and is read every time; the display mode (8 HMP port accesses) and
// the cursor (4 to 8) are read only as often as they are likely to change, because every HMP
// access takes QEMU's big lock away from the running guest:
//   - the cursor's location: when the text changed, else every CURSOR_RECHECK_MS;
//   - the mode and the cursor's visibility: every MODE_RECHECK_MS (and on the first read).
import type { QemuSession } from './session';
import { readVgaCursor, readVgaCursorOffset, readVgaMode, type VgaCursor } from './vga-device';

export const CURSOR_RECHECK_MS = 100;
export const MODE_RECHECK_MS = 250;

export type VgaScreenRead = { mode: 'graphics' } | { mode: 'text'; bytes: Uint8Array; cursor: VgaCursor };

/** Where the reads go (a QemuSession's QMP in practice). */
export interface VgaSource {
  mode(): Promise<'text' | 'graphics'>;
  text(): Promise<Uint8Array>;
  cursor(): Promise<VgaCursor>;
  cursorOffset(): Promise<number>;
}

/** The reads, through a running session's QMP. */
export function sessionVgaSource(session: QemuSession): VgaSource {
  return {
    mode: () => readVgaMode(session.qmp),
    text: () => session.readVgaText(),
    cursor: () => readVgaCursor(session.qmp),
    cursorOffset: () => readVgaCursorOffset(session.qmp),
  };
}

export class VgaScreenReader {
  private mode: 'text' | 'graphics' | undefined;
  private modeReadAt = -Infinity;
  private cursor: VgaCursor | undefined;
  private cursorReadAt = -Infinity;
  private lastText: Uint8Array | undefined;

  constructor(
    private readonly source: VgaSource,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Forget what was read (the guest was reset or paused and inspected): the next read is a full one. */
  invalidate(): void {
    this.mode = undefined;
    this.cursor = undefined;
    this.lastText = undefined;
  }

  async read(): Promise<VgaScreenRead> {
    const start = this.now();
    const full = this.mode === undefined || start - this.modeReadAt >= MODE_RECHECK_MS;
    if (full) {
      this.mode = await this.source.mode();
      this.modeReadAt = start;
    }
    if (this.mode === 'graphics') {
      this.cursor = undefined;
      this.lastText = undefined;
      return { mode: 'graphics' };
    }
    const bytes = await this.source.text();
    if (full || !this.cursor) {
      this.cursor = await this.source.cursor();
      this.cursorReadAt = start;
    } else if (!sameBytes(bytes, this.lastText) || start - this.cursorReadAt >= CURSOR_RECHECK_MS) {
      this.cursor = { ...this.cursor, offset: await this.source.cursorOffset() };
      this.cursorReadAt = start;
    }
    this.lastText = bytes;
    return { mode: 'text', bytes, cursor: this.cursor };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && a.length === b.length && Buffer.compare(a, b) === 0;
}
