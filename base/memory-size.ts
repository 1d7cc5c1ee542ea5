// Guest memory sizes, read one way everywhere (the manifest, the CLI's --memory, QEMU's -m):
// a whole number with an optional binary suffix K, M, G or T (also "MiB", "GB" …); a bare number
// means MiB, as it does for QEMU's -m. Bounds keep a typo from asking for a terabyte.

export const MIN_GUEST_MEMORY = 2n << 20n; // 2 MiB: below this nothing boots
export const MAX_GUEST_MEMORY = 64n << 30n; // 64 GiB

const UNIT_SHIFT = { '': 20n, K: 10n, M: 20n, G: 30n, T: 40n } as const;

export type MemorySizeResult = { ok: true; bytes: bigint } | { ok: false; message: string };

/** '128M' → 134217728n; '1G', '512', '512MiB', '2048K' likewise. Never throws. */
export function readMemorySize(text: unknown): MemorySizeResult {
  if (typeof text !== 'string') return { ok: false, message: 'must be a size like "128M" (a whole number with K, M or G)' };
  const m = /^(\d{1,12})\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return { ok: false, message: `'${text}' is not a size: use a whole number with K, M or G, e.g. 128M (a bare number means MiB)` };
  const bytes = BigInt(m[1]) << UNIT_SHIFT[m[2].toUpperCase() as keyof typeof UNIT_SHIFT];
  if (bytes < MIN_GUEST_MEMORY) return { ok: false, message: `${text} is too small: a guest needs at least 2M` };
  if (bytes > MAX_GUEST_MEMORY) return { ok: false, message: `${text} is too large: at most 64G` };
  return { ok: true, bytes };
}

/** The size in QEMU's own notation (whole MiB, or K when not a multiple of 1 MiB). */
export function qemuMemoryArg(bytes: bigint): string {
  return bytes % (1n << 20n) === 0n ? `${bytes >> 20n}M` : `${bytes >> 10n}K`;
}

/** 134217728n → "128 MiB", for messages. */
export function formatMemorySize(bytes: bigint): string {
  for (const [unit, shift] of [['GiB', 30n], ['MiB', 20n], ['KiB', 10n]] as const) {
    if (bytes >= 1n << shift && bytes % (1n << shift) === 0n) return `${bytes >> shift} ${unit}`;
  }
  return `${bytes} bytes`;
}
