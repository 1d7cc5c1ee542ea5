// Polls the VGA text screen at ~30 fps while someone watches and the guest runs, and pushes a
// frame only when the screen changed. One read in flight at a time, so a slow read never piles up.
import type { VgaFrame } from '../../common/contract';

const intervalMs = 33;

export class VgaPoller {
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  /** a nudge came while a read was in flight: read again as soon as it is done */
  private again = false;
  private last = '';

  constructor(
    private readonly read: () => Promise<VgaFrame>,
    private readonly push: (frame: VgaFrame) => void,
  ) {}

  /** Starts or stops polling. */
  set(active: boolean): void {
    if (active && !this.timer) {
      this.timer = setInterval(() => void this.tick(), intervalMs);
      void this.tick();
    } else if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** The guest just printed (on serial): the screen has probably changed too, so look now rather than at the next tick. */
  nudge(): void {
    if (!this.timer) return;
    if (this.reading) this.again = true;
    else void this.tick();
  }

  /** Forget the last frame (a new client or a new boot must get one). */
  invalidate(): void {
    this.last = '';
  }

  /** Reads one frame now and pushes it if it changed (e.g. when the guest just paused). */
  async refresh(): Promise<void> {
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const frame = await this.read();
      const key = frameKey(frame);
      if (key !== this.last) {
        this.last = key;
        this.push(frame);
      }
    } catch {
      // the guest is stopping or QEMU is busy: the next tick tries again
    } finally {
      this.reading = false;
    }
    if (this.again) {
      this.again = false;
      if (this.timer) await this.tick();
    }
  }
}

function frameKey(frame: VgaFrame): string {
  const { cursor } = frame;
  return `${frame.cols}x${frame.rows}|${cursor.row},${cursor.col},${cursor.visible}|${frame.graphics?.pngBase64 ?? ''}|${frame.text}|${frame.attrs.join(',')}`;
}
