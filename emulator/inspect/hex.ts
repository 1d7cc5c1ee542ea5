// 64-bit guest values travel as lowercase "0x…" hex strings, never as JS numbers.

export function hex(value: bigint | number): string {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return big < 0n ? '-0x' + (-big).toString(16) : '0x' + big.toString(16);
}

/** Human sizes for messages: 4 KiB, 2 MiB, 1 GiB, 0x1234 bytes. */
export function describeSize(bytes: bigint): string {
  const units: [bigint, string][] = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [unit, name] of units) {
    if (bytes >= unit && bytes % unit === 0n) return `${bytes / unit} ${name}`;
  }
  return `${hex(bytes)} bytes`;
}

/** A value with every bigint replaced by its hex string: the JSON form of inspection results. */
export type Hexed<T> = T extends bigint
  ? string
  : T extends (infer U)[]
    ? Hexed<U>[]
    : T extends object
      ? { [K in keyof T]: Hexed<T[K]> }
      : T;

/** Deep copy with bigints as lowercase "0x…" strings, ready for JSON.stringify. */
export function withHexBigints<T>(value: T): Hexed<T> {
  if (typeof value === 'bigint') return hex(value) as Hexed<T>;
  if (Array.isArray(value)) return value.map((v) => withHexBigints(v)) as Hexed<T>;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = withHexBigints(v);
    return out as Hexed<T>;
  }
  return value as Hexed<T>;
}
