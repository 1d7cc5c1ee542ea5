// One picture of the guest's screen.

export interface VgaFrame {
  cols: number; // 80
  rows: number; // 25
  /** one code point per cell (CP437 already mapped to Unicode), row-major */
  text: string;
  /** one attribute byte per cell: low nibble fg, bits 4-6 bg, bit 7 blink */
  attrs: number[];
  cursor: { row: number; col: number; visible: boolean };
  graphics?: { pngBase64: string; width?: number; height?: number }; // when the guest left text mode
}
