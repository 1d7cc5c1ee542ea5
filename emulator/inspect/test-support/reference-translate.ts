// A deliberately simple reference translator for the walker's property test: one address,
// four lookups, written independently of the walker's code.

export type ReferenceResult =
  | { kind: 'mapped'; phys: bigint; writable: boolean; user: boolean; nx: boolean; global: boolean }
  | { kind: 'unmapped' }
  | { kind: 'recursive' }; // a non-leaf entry on the path points back to a table on the path

export function referenceTranslate(ram: Uint8Array, cr3: bigint, virt: bigint, physAddrBits = 52, nxe = true): ReferenceResult {
  const size = BigInt(ram.length);
  const view = new DataView(ram.buffer, ram.byteOffset, ram.length);
  const addressMask = 0x000f_ffff_ffff_f000n;
  let reservedEverywhere = physAddrBits >= 52 ? 0n : ((1n << 52n) - 1n) ^ ((1n << BigInt(physAddrBits)) - 1n);
  if (!nxe) reservedEverywhere |= 1n << 63n;
  const path: bigint[] = [];
  let table = cr3 & addressMask;
  let writable = true;
  let user = true;
  let nx = false;
  for (let level = 4; level >= 1; level--) {
    if (table + 4096n > size) return { kind: 'unmapped' };
    path.push(table);
    const shift = BigInt(12 + 9 * (level - 1));
    const index = (virt >> shift) & 511n;
    const e = view.getBigUint64(Number(table + index * 8n), true);
    if ((e & 1n) === 0n) return { kind: 'unmapped' };
    const pageSizeBit = (e & 0x80n) !== 0n;
    const leaf = level === 1 || (level !== 4 && pageSizeBit);
    let reserved = reservedEverywhere;
    if (level === 4) reserved |= 0x80n;
    if (leaf && level === 3) reserved |= 0x3fff_e000n;
    if (leaf && level === 2) reserved |= 0x1f_e000n;
    if ((e & reserved) !== 0n) return { kind: 'unmapped' };
    writable = writable && (e & 2n) !== 0n;
    user = user && (e & 4n) !== 0n;
    nx = nx || e >> 63n === 1n;
    if (leaf) {
      const offsetMask = (1n << shift) - 1n;
      const phys = (e & addressMask & ~offsetMask) | (virt & offsetMask);
      return { kind: 'mapped', phys, writable, user, nx, global: (e & 0x100n) !== 0n };
    }
    const next = e & addressMask;
    if (path.includes(next)) return { kind: 'recursive' };
    table = next;
  }
  throw new Error('unreachable: a PT entry is always a leaf');
}
