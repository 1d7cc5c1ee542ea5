// The serial console: COM1 output in an xterm.js terminal, typing goes to the guest. Output is
// placed by its stream offset, so a reattaching page shows history once and never twice.
import type { LongmodeApi } from '../../main/common/contract';
import type { TerminalView } from '../terminal/terminal-view';

export class SerialConsole {
  /** how far into this boot's serial stream the terminal has shown */
  private shown = 0;
  private readonly textTail: string[] = [];
  private mirrorTimer: ReturnType<typeof setTimeout> | undefined;

  /** `mirror`: a visually hidden element holding the recent plain text (screen readers, tests). */
  constructor(
    private readonly api: LongmodeApi,
    private readonly view: TerminalView,
    private readonly mirror: HTMLElement,
    onError: (message: string) => void,
  ) {
    api.on('vm.serial', ({ text, offset }) => this.append(text, offset));
    view.terminal.onData((data) => {
      // xterm sends \r for Enter; the guest reads bytes as typed
      void api.call('vm.serialInput', { data }).catch((e: Error) => onError(`serial: ${e.message}`));
    });
  }

  /** Replaces the terminal's content with this boot's history (page load, reconnect, new boot). */
  async reattach(): Promise<void> {
    const { text, offset } = await this.api.call('vm.serialHistory', {});
    this.view.terminal.reset();
    this.textTail.length = 0;
    this.shown = offset;
    this.append(text, offset);
  }

  /** A new boot starts a new stream. */
  clear(): void {
    this.view.terminal.reset();
    this.textTail.length = 0;
    this.shown = 0;
    this.scheduleMirror();
  }

  /** The last few KiB of serial text (for the accessible mirror and tests). */
  get recentText(): string {
    return this.textTail.join('');
  }

  private append(text: string, offset: number): void {
    // the server sends events in order after any history reply, so offset 0 again means a new boot
    if (offset === 0 && this.shown > 0) this.clear();
    if (offset < this.shown) {
      // overlaps what the history already showed
      const skip = this.shown - offset;
      if (skip >= text.length) return;
      text = text.slice(skip);
      offset = this.shown;
    }
    this.view.terminal.write(text);
    this.shown = offset + text.length;
    this.textTail.push(text);
    while (this.textTail.length > 256) this.textTail.shift();
    this.scheduleMirror();
  }

  private scheduleMirror(): void {
    if (this.mirrorTimer) return;
    this.mirrorTimer = setTimeout(() => {
      this.mirrorTimer = undefined;
      // eslint-disable-next-line no-control-regex
      this.mirror.textContent = this.recentText.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    }, 200);
  }
}
