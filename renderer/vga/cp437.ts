// Code page 437 as Unicode: the character the VGA text buffer shows for each byte 0-255
// (0x00 is shown as blank; 0x01-0x1F and 0x7F are the graphical symbols, not control codes).
export const CP437_TO_UNICODE: string =
  '\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼' +
  ' !"#$%&\'()*+,-./0123456789:;<=>?' +
  '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_' +
  '`abcdefghijklmnopqrstuvwxyz{|}~⌂' +
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■ ';

let reverse: Map<string, number> | undefined;

/** The CP437 byte for a character of a decoded VGA frame; spaces and NULs give 0x20, unknown give '?'. */
export function unicodeToCp437(ch: string): number {
  if (!reverse) {
    reverse = new Map();
    for (let i = 0; i < 256; i++) reverse.set(CP437_TO_UNICODE[i], i);
    reverse.set('\u0000', 0x20);
    reverse.set(' ', 0x20);
    reverse.set('\u00a0', 0xff);
    // Unicode look-alikes other CP437 tables use
    for (const [alias, byte] of [['β', 0xe1], ['μ', 0xe6], ['Ω', 0xea], ['ð', 0xeb], ['ϕ', 0xed], ['∅', 0xed], ['∈', 0xee], ['∙', 0xf9]] as const) {
      if (!reverse.has(alias)) reverse.set(alias, byte);
    }
  }
  return reverse.get(ch) ?? 0x3f;
}
