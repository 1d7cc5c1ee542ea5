// The text-mode renderer against the real VGA font bytes: glyph pixels, colours, blink, cursor.
import { describe, expect, it } from 'vitest';
import type { VgaFrame } from '../../main/common/contract';
import { CP437_TO_UNICODE, unicodeToCp437 } from './cp437';
import { vgaFontBytes } from './vga-font';
import { VGA_PIXELS } from './vga-palette';
import { frameSize, frameText, hasBlink, renderVgaText } from './vga-text-renderer';

const font = vgaFontBytes();

function frame(text: string, attr: number, cursor = { row: 0, col: 0, visible: false }): VgaFrame {
  const cells = 80 * 25;
  return { cols: 80, rows: 25, text: text.padEnd(cells, ' '), attrs: Array(cells).fill(attr), cursor };
}

function render(f: VgaFrame, phase = { textOn: true, cursorOn: true }): Uint32Array {
  const { width, height } = frameSize(f);
  const pixels = new Uint32Array(width * height);
  renderVgaText(f, font, pixels, phase);
  return pixels;
}

/** The 8×16 cell at (row, col) as 16 strings of '#' (colour fg) and '.' (anything else). */
function cell(pixels: Uint32Array, row: number, col: number, fg: number): string[] {
  const lines: string[] = [];
  for (let y = 0; y < 16; y++) {
    let line = '';
    for (let x = 0; x < 8; x++) line += pixels[(row * 16 + y) * 640 + col * 8 + x] === VGA_PIXELS[fg] ? '#' : '.';
    lines.push(line);
  }
  return lines;
}

describe('the VGA font and code page', () => {
  it('holds 256 glyphs of 16 rows, with the BIOS smiley at 0x01 and a blank 0x00', () => {
    expect(font.length).toBe(4096);
    expect([...font.subarray(0, 16)].every((b) => b === 0)).toBe(true);
    expect([...font.subarray(16, 32)].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe('00007e81a58181bd9981817e00000000');
  });
  it('maps Unicode back to CP437 for every byte, including box drawing and symbols', () => {
    for (let byte = 1; byte < 256; byte++) expect(unicodeToCp437(CP437_TO_UNICODE[byte]), `byte ${byte}`).toBe(byte === 0xff ? 0xff : byte);
    expect(unicodeToCp437('═')).toBe(0xcd);
    expect(unicodeToCp437('█')).toBe(0xdb);
    expect(unicodeToCp437('☺')).toBe(0x01);
    expect(unicodeToCp437('\u0000')).toBe(0x20);
    expect(unicodeToCp437('€')).toBe(0x3f); // not in CP437: shown as '?'
  });
});

describe('renderVgaText', () => {
  it("draws 'A' in the attribute's colours", () => {
    const pixels = render(frame('A', 0x1e)); // yellow on blue
    expect(cell(pixels, 0, 0, 14).join('\n')).toBe(
      ['........', '........', '...#....', '..###...', '.##.##..', '##...##.', '##...##.', '#######.', '##...##.', '##...##.', '##...##.', '##...##.', '........', '........', '........', '........'].join('\n'),
    );
    expect(pixels[0]).toBe(VGA_PIXELS[1]); // background blue
    expect(pixels[8]).toBe(VGA_PIXELS[1]); // the next (blank) cell too
  });

  it('blinks: bit 7 hides the foreground in the off phase and limits the background to 8 colours', () => {
    const f = frame('A', 0x9e); // blink, background 1 (not 9), yellow
    expect(cell(render(f, { textOn: true, cursorOn: true }), 0, 0, 14).join('')).toContain('#');
    expect(cell(render(f, { textOn: false, cursorOn: true }), 0, 0, 14).join('')).not.toContain('#');
    expect(render(f)[0]).toBe(VGA_PIXELS[1]);
    expect(hasBlink(f)).toBe(true);
    expect(hasBlink(frame('A', 0x1e))).toBe(false);
  });

  it('draws the cursor on scan lines 14-15 of its cell only while it is on', () => {
    const f = frame('', 0x07, { row: 2, col: 3, visible: true });
    expect(cell(render(f, { textOn: true, cursorOn: true }), 2, 3, 7).slice(13)).toEqual(['........', '########', '########']);
    expect(cell(render(f, { textOn: true, cursorOn: false }), 2, 3, 7).slice(13)).toEqual(['........', '........', '........']);
  });

  it('gives the screen as trimmed text lines', () => {
    const f = frame('Hello'.padEnd(80) + 'world', 0x07);
    expect(frameText(f)).toBe('Hello\nworld');
  });
});
