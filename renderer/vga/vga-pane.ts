// The VGA display: the guest's 80×25 text screen on a canvas with the real VGA font, crisp integer
// scaling, blink and cursor; a screendump image when the guest is in a graphics mode.
import type { LongmodeApi, VgaFrame, VmState } from '../../main/common/contract';
import { h } from '../layout/dom';
import { vgaFontBytes } from './vga-font';
import { frameSize, frameText, hasBlink, renderVgaText, type BlinkPhase } from './vga-text-renderer';

const CURSOR_HALF_PERIOD_MS = 267; // 16 frames at 70 Hz, like the real card
const TEXT_HALF_PERIOD_MS = 533; // 32 frames

export class VgaPane {
  private readonly canvas = h('canvas', { class: 'vga-canvas', width: 640, height: 400, 'aria-hidden': 'true' });
  private readonly context = this.canvas.getContext('2d', { alpha: false })!;
  private readonly mirror = h('pre', { class: 'visually-hidden vga-text', 'aria-live': 'off' });
  private readonly placeholder = h('div', { class: 'vga-placeholder' }, 'No guest running: press Boot (F5).');
  private readonly caption = h('span', { class: 'vga-caption' }, '80×25 text');
  private readonly font = vgaFontBytes();
  private frame: VgaFrame | undefined;
  private image: ImageData | undefined;
  private lastPhase = '';
  private lastText = '';
  private blinkTimer: ReturnType<typeof setTimeout> | undefined;
  private watching: boolean | undefined;
  private vmLive = false;
  private pane: HTMLElement;

  constructor(host: HTMLElement, private readonly api: LongmodeApi) {
    const screen = h('div', { class: 'vga-screen' }, this.canvas, this.placeholder);
    host.append(
      (this.pane = h('section', { class: 'vga-pane', role: 'region', 'aria-label': 'VGA display' },
        h('div', { class: 'pane-header' }, h('span', {}, 'VGA display'), this.caption),
        screen,
        this.mirror,
      )),
    );
    api.on('vm.vga', (frame) => this.show(frame));
    new ResizeObserver(() => this.fit(screen)).observe(screen);
    document.addEventListener('visibilitychange', () => this.updateWatch());
  }

  /** The VM's state decides whether frames are worth polling for. */
  setVmState(state: VmState): void {
    this.vmLive = state === 'running' || state === 'paused' || state === 'faulted' || state === 'booting';
    this.placeholder.hidden = this.vmLive || (this.frame !== undefined && state === 'exited');
    this.pane.dataset.vmState = state;
    if (state === 'idle') this.placeholder.textContent = 'No guest running: press Boot (F5).';
    if (state === 'exited') this.placeholder.textContent = 'The guest has exited: press Boot (F5) to start it again.';
    this.updateWatch();
  }

  /** Page load or reconnect: ask for frames again and fetch the current screen once. */
  async reattach(): Promise<void> {
    this.watching = undefined;
    this.updateWatch();
    if (this.vmLive) {
      try {
        this.show(await this.api.call('vm.vga', {}));
      } catch {
        // no guest after all: the next vm.state says so
      }
    }
  }

  /** The text currently on screen (also mirrored into the DOM for screen readers). */
  get text(): string {
    return this.lastText;
  }

  private updateWatch(): void {
    const want = this.vmLive && document.visibilityState === 'visible';
    if (want === this.watching) return;
    this.watching = want;
    void this.api.call('vm.watchVga', { enabled: want }).catch(() => (this.watching = undefined));
  }

  private show(frame: VgaFrame): void {
    this.frame = frame;
    this.placeholder.hidden = true;
    if (frame.graphics) {
      this.caption.textContent = 'graphics mode (screendump)';
      void this.showGraphics(frame.graphics.pngBase64);
      this.setMirror('(graphics mode)');
      return;
    }
    this.caption.textContent = `${frame.cols}×${frame.rows} text`;
    const { width, height } = frameSize(frame);
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.image = this.context.createImageData(width, height);
      this.fit(this.canvas.parentElement!);
    }
    this.lastPhase = '';
    this.draw();
    this.setMirror(frameText(frame));
    this.scheduleBlink();
  }

  /** Redraws at the next cursor or text blink edge only (a timer, not a frame loop: an idle screen costs nothing). */
  private scheduleBlink(): void {
    if (this.blinkTimer !== undefined || !this.frame || this.frame.graphics || !hasBlink(this.frame)) return;
    this.blinkTimer = setTimeout(() => {
      this.blinkTimer = undefined;
      this.draw();
      this.scheduleBlink();
    }, msToNextBlinkEdge(performance.now()));
  }

  private draw(): void {
    const frame = this.frame;
    if (!frame || !this.image) return;
    const now = performance.now();
    const phase: BlinkPhase = {
      cursorOn: Math.floor(now / CURSOR_HALF_PERIOD_MS) % 2 === 0,
      textOn: Math.floor(now / TEXT_HALF_PERIOD_MS) % 2 === 0,
    };
    const key = `${phase.cursorOn}${phase.textOn}`;
    if (key === this.lastPhase) return; // nothing changed since the last draw
    this.lastPhase = key;
    renderVgaText(frame, this.font, new Uint32Array(this.image.data.buffer), phase);
    this.context.putImageData(this.image, 0, 0);
  }

  private async showGraphics(pngBase64: string): Promise<void> {
    // decoded into a bitmap (not an <img> with a data: URL), so a strict CSP needs no img-src data:
    const bytes = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    this.canvas.width = bitmap.width;
    this.canvas.height = bitmap.height;
    this.image = undefined;
    this.context.drawImage(bitmap, 0, 0);
    bitmap.close();
    this.fit(this.canvas.parentElement!);
  }

  private setMirror(text: string): void {
    if (text === this.lastText) return;
    this.lastText = text;
    this.mirror.textContent = text;
  }

  /** The largest integer scale (in device pixels) that fits, so every font pixel stays square and sharp. */
  private fit(container: HTMLElement): void {
    const dpr = devicePixelRatio || 1;
    const room = Math.min(container.clientWidth / this.canvas.width, container.clientHeight / this.canvas.height) * dpr;
    const scale = room >= 1 ? Math.floor(room) / dpr : room / dpr;
    if (!(scale > 0)) return;
    this.canvas.style.width = `${this.canvas.width * scale}px`;
    this.canvas.style.height = `${this.canvas.height * scale}px`;
  }
}

/** Until the cursor or the blinking text next turns on or off (+1 ms: past the edge, not on it). */
function msToNextBlinkEdge(now: number): number {
  const until = (period: number) => period - (now % period);
  return Math.min(until(CURSOR_HALF_PERIOD_MS), until(TEXT_HALF_PERIOD_MS)) + 1;
}
