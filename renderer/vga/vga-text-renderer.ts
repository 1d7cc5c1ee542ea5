// Draws an 80×25 text frame into a pixel buffer with the 8×16 VGA font: foreground, background,
// blink (attribute bit 7, background then limited to colours 0-7) and the underline cursor.
// Pure over typed arrays, so it is unit-tested without a browser.
import type { VgaFrame } from '../../main/common/contract';
import { unicodeToCp437 } from './cp437';
import { GLYPH_HEIGHT, GLYPH_WIDTH } from './vga-font';
import { VGA_PIXELS } from './vga-palette';

export interface BlinkPhase {
  /** blinking characters show their foreground */
  textOn: boolean;
  /** the cursor is drawn */
  cursorOn: boolean;
}

export function frameSize(frame: Pick<VgaFrame, 'cols' | 'rows'>): { width: number; height: number } {
  return { width: frame.cols * GLYPH_WIDTH, height: frame.rows * GLYPH_HEIGHT };
}

/** Writes the frame into `pixels` (little-endian RGBA words, width = cols*8, height = rows*16). */
export function renderVgaText(frame: VgaFrame, font: Uint8Array, pixels: Uint32Array, phase: BlinkPhase): void {
  const { width } = frameSize(frame);
  const chars = Array.from(frame.text);
  for (let row = 0; row < frame.rows; row++) {
    for (let col = 0; col < frame.cols; col++) {
      const cell = row * frame.cols + col;
      const attr = frame.attrs[cell] ?? 0x07;
      const glyph = unicodeToCp437(chars[cell] ?? ' ') * GLYPH_HEIGHT;
      const blink = (attr & 0x80) !== 0;
      const bg = VGA_PIXELS[(attr >> 4) & 7];
      const fg = blink && !phase.textOn ? bg : VGA_PIXELS[attr & 15];
      let offset = row * GLYPH_HEIGHT * width + col * GLYPH_WIDTH;
      for (let y = 0; y < GLYPH_HEIGHT; y++, offset += width) {
        const bits = font[glyph + y];
        for (let x = 0; x < GLYPH_WIDTH; x++) pixels[offset + x] = bits & (0x80 >> x) ? fg : bg;
      }
    }
  }
  const { cursor } = frame;
  if (cursor.visible && phase.cursorOn && cursor.row < frame.rows && cursor.col < frame.cols) {
    const attr = frame.attrs[cursor.row * frame.cols + cursor.col] ?? 0x07;
    const color = VGA_PIXELS[attr & 15];
    // the BIOS default cursor: scan lines 14-15 of the cell
    for (let y = GLYPH_HEIGHT - 2; y < GLYPH_HEIGHT; y++) {
      const offset = (cursor.row * GLYPH_HEIGHT + y) * width + cursor.col * GLYPH_WIDTH;
      pixels.fill(color, offset, offset + GLYPH_WIDTH);
    }
  }
}

/** Whether anything on screen depends on the blink phase (otherwise nothing needs redrawing). */
export function hasBlink(frame: VgaFrame): boolean {
  return frame.cursor.visible || frame.attrs.some((a) => (a & 0x80) !== 0);
}

/** The screen as plain lines (trailing blanks trimmed), for screen readers and tests. */
export function frameText(frame: VgaFrame): string {
  const chars = Array.from(frame.text);
  const lines: string[] = [];
  for (let row = 0; row < frame.rows; row++) {
    lines.push(chars.slice(row * frame.cols, (row + 1) * frame.cols).join('').replace(/\u0000/g, ' ').trimEnd());
  }
  return lines.join('\n').trimEnd();
}
