// The 16 colours of the VGA text mode (the BIOS's default DAC palette), as 0xAABBGGRR words for
// little-endian ImageData.
const rgb = [
  0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
  0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
];

export const VGA_RGB: readonly number[] = rgb;

/** Colour n as a little-endian RGBA pixel word (alpha 255). */
export const VGA_PIXELS: Uint32Array = Uint32Array.from(rgb, (c) => 0xff000000 | ((c & 0xff) << 16) | (c & 0xff00) | ((c >> 16) & 0xff));

export function cssColor(index: number): string {
  return '#' + rgb[index & 15].toString(16).padStart(6, '0');
}
