// Virtual-address arithmetic for 4-level paging: canonical form, indices, CR3.

export const TABLE_BYTES = 4096;
const HIGH_HALF_BITS = 0xffff_0000_0000_0000n;
const LOW_48 = (1n << 48n) - 1n;

/** A 48-bit virtual address (0 .. 2^48) in canonical form: bit 47 copied into bits 48..63. */
export function canonicalVirt(virt48: number | bigint): bigint {
  const v = BigInt(virt48) & LOW_48;
  return v >= 1n << 47n ? v | HIGH_HALF_BITS : v;
}

export function isCanonical(virt: bigint): boolean {
  const top = virt >> 47n;
  return top === 0n || top === 0x1ffffn;
}

/** The PML4/PDPT/PD/PT indices of a virtual address, highest level first. */
export function tableIndices(virt: bigint): [number, number, number, number] {
  const at = (shift: bigint) => Number((virt >> shift) & 0x1ffn);
  return [at(39n), at(30n), at(21n), at(12n)];
}

/** The PML4's physical address from CR3 (bits 12..51; the low bits are PCD/PWT or a PCID). */
export function physFromCr3(cr3: bigint): number {
  return Number(cr3 & 0x000f_ffff_ffff_f000n);
}
