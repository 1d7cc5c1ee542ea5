import { describe, expect, it } from 'vitest';
import { CP437, cp437Code } from './cp437';
import { decodeVgaText, vgaScreenToFrame, vgaScreenToText, cursorVisibleFromCrtc } from './vga';
import { InspectError } from './errors';

/** 80×25 of blank cells with `text` written at (row, col) in attribute `attr`. */
function screenBytes(writes: { row: number; col: number; text: string; attr: number }[], cols = 80, rows = 25): Uint8Array {
  const bytes = new Uint8Array(cols * rows * 2);
  for (const { row, col, text, attr } of writes) {
    [...text].forEach((ch, i) => {
      const code = cp437Code(ch);
      if (code === undefined) throw new Error(`no CP437 code for ${ch}`);
      bytes[(row * cols + col + i) * 2] = code;
      bytes[(row * cols + col + i) * 2 + 1] = attr;
    });
  }
  return bytes;
}

describe('CP437', () => {
  it('has 256 single-character entries with the well-known glyphs', () => {
    expect(CP437).toHaveLength(256);
    expect(CP437.every((ch) => [...ch].length === 1)).toBe(true);
    expect(new Set(CP437).size).toBe(255); // 0x00 and 0x20 are both a space
    expect(cp437Code(' ')).toBe(0x20);
    expect([CP437[0x00], CP437[0x01], CP437[0x41], CP437[0x7f], CP437[0x80], CP437[0xb0], CP437[0xc9], CP437[0xdb], CP437[0xe1], CP437[0xfe]])
      .toEqual([' ', '☺', 'A', '⌂', 'Ç', '░', '╔', '█', 'ß', '■']);
  });
});

describe('decodeVgaText', () => {
  it('decodes characters and attributes: fg low nibble, bg bits 4-6, blink bit 7', () => {
    const bytes = screenBytes([
      { row: 0, col: 0, text: 'OK', attr: 0x1f }, // white on blue
      { row: 1, col: 2, text: '!', attr: 0xce }, // blinking yellow on red
    ]);
    const screen = decodeVgaText(bytes);
    expect(screen.cells[0]).toEqual({ ch: 'O', code: 0x4f, attr: 0x1f, fg: 15, bg: 1, blink: false });
    expect(screen.cells[82]).toEqual({ ch: '!', code: 0x21, attr: 0xce, fg: 14, bg: 4, blink: true });
    expect(screen.cells).toHaveLength(2000);
  });

  it('draws CP437 box-drawing characters', () => {
    const bytes = screenBytes([
      { row: 3, col: 10, text: '╔══╗', attr: 0x07 },
      { row: 4, col: 10, text: '║░▒║', attr: 0x07 },
      { row: 5, col: 10, text: '╚══╝', attr: 0x07 },
    ]);
    expect(bytes[(3 * 80 + 10) * 2]).toBe(0xc9);
    const text = vgaScreenToText(decodeVgaText(bytes)).split('\n');
    expect(text.slice(3, 6)).toEqual(['          ╔══╗', '          ║░▒║', '          ╚══╝']);
    expect(text).toHaveLength(25);
  });

  it('places the cursor from the CRTC offset and hides an off-screen one', () => {
    const bytes = screenBytes([]);
    expect(decodeVgaText(bytes, { offset: 2 * 80 + 5, visible: true }).cursor).toEqual({ row: 2, col: 5, visible: true });
    expect(decodeVgaText(bytes, { offset: 1999, visible: false }).cursor).toEqual({ row: 24, col: 79, visible: false });
    expect(decodeVgaText(bytes, { offset: 2000, visible: true }).cursor).toBeUndefined();
    expect(decodeVgaText(bytes).cursor).toBeUndefined();
    expect(cursorVisibleFromCrtc(0x0e)).toBe(true);
    expect(cursorVisibleFromCrtc(0x20)).toBe(false);
  });

  it('supports other geometries and trims only trailing spaces', () => {
    const bytes = screenBytes([{ row: 1, col: 1, text: 'a b', attr: 7 }], 40, 2);
    const screen = decodeVgaText(bytes, undefined, 40, 2);
    expect(vgaScreenToText(screen)).toBe('\n a b');
  });

  it('refuses a short buffer with a message that says what to read', () => {
    expect(() => decodeVgaText(new Uint8Array(100))).toThrow(InspectError);
    expect(() => decodeVgaText(new Uint8Array(100))).toThrow(/needs 4000 bytes for 80×25 cells but got 100/);
  });

  it('converts to the contract frame', () => {
    const bytes = screenBytes([{ row: 0, col: 0, text: 'Hi', attr: 0x2a }]);
    const frame = vgaScreenToFrame(decodeVgaText(bytes, { offset: 2, visible: true }));
    expect(frame.text).toHaveLength(2000);
    expect(frame.text.slice(0, 3)).toBe('Hi ');
    expect(frame.attrs.slice(0, 3)).toEqual([0x2a, 0x2a, 0]);
    expect(frame.cursor).toEqual({ row: 0, col: 2, visible: true });
  });
});
