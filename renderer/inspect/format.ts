// Numbers as the inspection panes show them: 64-bit hex from the contract's "0x…" strings.

export function big(hexValue: string): bigint {
  return BigInt(hexValue);
}

/** 0xffff800000000000 → "ffff8000_00000000" (grouped for reading). */
export function addr(value: string | bigint): string {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  const digits = v.toString(16).padStart(v > 0xffff_ffffn ? 16 : 8, '0');
  return digits.length > 8 ? `${digits.slice(0, -8)}_${digits.slice(-8)}` : digits;
}

export function size(value: string | bigint): string {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  const units: [bigint, string][] = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [unit, name] of units) {
    if (v >= unit) {
      const whole = v / unit;
      const tenth = ((v % unit) * 10n) / unit;
      return tenth ? `${whole}.${tenth} ${name}` : `${whole} ${name}`;
    }
  }
  return `${v} B`;
}

/** Parses what a person types as an address: "ffff8000_00000000", "0xb8000", "b8000". */
export function parseAddress(text: string): bigint | undefined {
  const clean = text.trim().replace(/[_\s`']/g, '').replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,16}$/i.test(clean)) return undefined;
  return BigInt('0x' + clean);
}

export function toHex(value: bigint): string {
  return '0x' + value.toString(16);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
