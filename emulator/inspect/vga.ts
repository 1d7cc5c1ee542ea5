// VGA text mode: 80×25 cells of (character byte, attribute byte) at 0xB8000, plus the cursor
// the CRTC holds (its cell offset from registers 0x0E/0x0F and whether it is enabled).
import type { VgaFrame } from '../../base/vga';
import { CP437 } from './cp437';
import { InspectError } from './errors';

export const VGA_COLS = 80;
export const VGA_ROWS = 25;

export const VGA_COLOR_NAMES = [
  'black', 'blue', 'green', 'cyan', 'red', 'magenta', 'brown', 'light-gray',
  'dark-gray', 'light-blue', 'light-green', 'light-cyan', 'light-red', 'light-magenta', 'yellow', 'white',
] as const;

export interface VgaCell {
  /** the Unicode character CP437 draws for `code` */
  ch: string;
  code: number;
  attr: number;
  /** foreground colour 0..15 (attribute bits 0..3) */
  fg: number;
  /** background colour 0..7 (bits 4..6) */
  bg: number;
  /** bit 7: blinking (or a bright background when the guest turned blinking off) */
  blink: boolean;
}

export interface VgaCursorPosition {
  row: number;
  col: number;
  visible: boolean;
}

export interface VgaScreen {
  cols: number;
  rows: number;
  /** row-major, cols × rows */
  cells: VgaCell[];
  /** undefined when no cursor was given or its offset lies off screen */
  cursor?: VgaCursorPosition;
}

export function decodeVgaText(
  bytes: Uint8Array,
  cursor?: { offset: number; visible: boolean },
  cols = VGA_COLS,
  rows = VGA_ROWS,
): VgaScreen {
  const cellCount = cols * rows;
  if (bytes.length < cellCount * 2) {
    throw new InspectError(
      `VGA text needs ${cellCount * 2} bytes for ${cols}×${rows} cells but got ${bytes.length}: read the whole buffer at 0xb8000`,
    );
  }
  const cells = new Array<VgaCell>(cellCount);
  for (let i = 0; i < cellCount; i++) {
    const code = bytes[i * 2];
    const attr = bytes[i * 2 + 1];
    cells[i] = { ch: CP437[code], code, attr, fg: attr & 0x0f, bg: (attr >> 4) & 0x07, blink: (attr & 0x80) !== 0 };
  }
  const screen: VgaScreen = { cols, rows, cells };
  if (cursor && cursor.offset >= 0 && cursor.offset < cellCount) {
    screen.cursor = { row: Math.floor(cursor.offset / cols), col: cursor.offset % cols, visible: cursor.visible };
  }
  return screen;
}

/** The screen as text: rows joined by \n, trailing spaces of each row trimmed. */
export function vgaScreenToText(screen: VgaScreen): string {
  const lines: string[] = [];
  for (let row = 0; row < screen.rows; row++) {
    let line = '';
    for (let col = 0; col < screen.cols; col++) line += screen.cells[row * screen.cols + col].ch;
    lines.push(line.replace(/ +$/, ''));
  }
  return lines.join('\n');
}

/** The contract's VgaFrame (one code point per cell, one attribute byte per cell). */
export function vgaScreenToFrame(screen: VgaScreen): VgaFrame {
  return {
    cols: screen.cols,
    rows: screen.rows,
    text: screen.cells.map((c) => c.ch).join(''),
    attrs: screen.cells.map((c) => c.attr),
    cursor: screen.cursor ?? { row: 0, col: 0, visible: false },
  };
}

/** The CRTC cursor-start register (0x0A) bit 5 disables the cursor. */
export function cursorVisibleFromCrtc(cursorStart: number): boolean {
  return (cursorStart & 0x20) === 0;
}
