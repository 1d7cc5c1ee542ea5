// Code page 437, the VGA text-mode character set, as Unicode. 0x00 shows as a space (blank
// VGA memory is zeros); 0x01..0x1f and 0x7f are the glyphs the VGA ROM font draws for them.

const CONTROL_GLYPHS = '\u0020☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼';
const HIGH_HALF =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function buildTable(): readonly string[] {
  const table: string[] = [...CONTROL_GLYPHS];
  for (let code = 0x20; code < 0x7f; code++) table.push(String.fromCharCode(code));
  table.push('⌂');
  table.push(...HIGH_HALF);
  if (table.length !== 256) throw new Error(`CP437 table has ${table.length} entries, expected 256`);
  return Object.freeze(table);
}

/** CP437[byte] is the Unicode character VGA text mode shows for that byte. */
export const CP437: readonly string[] = buildTable();

const UNICODE_TO_CP437 = new Map(CP437.map((ch, code) => [ch, code]));

/** The CP437 byte for a Unicode character (undefined if CP437 has none); handy for tests and input. */
export function cp437Code(ch: string): number | undefined {
  return UNICODE_TO_CP437.get(ch);
}
