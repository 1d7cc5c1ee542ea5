// Control registers as named bits: what is set, what is unknown, and what mode that means; and
// the order registers are listed in.
import { hex } from './hex';

/** The x86-64 registers in the order people read them (general, rip/rflags, segments, bases, control). */
export const REGISTER_ORDER = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'rflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base', 'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer',
] as const;

/** The registers in REGISTER_ORDER that are present, as "0x…" strings. */
export function registersToJson(regs: Record<string, bigint>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REGISTER_ORDER) if (regs[name] !== undefined) out[name] = hex(regs[name]);
  return out;
}

export interface BitsReport {
  value: bigint;
  /** names of the set bits, lowest first */
  set: string[];
  /** set bits this decoder has no name for */
  unknown: bigint;
}

export interface DecodedBits {
  cr0?: BitsReport;
  cr4?: BitsReport;
  efer?: BitsReport;
  /** from CR0.PE/PG and EFER.LME/LMA: 'long' = IA-32e paging active, 'long-pending' = LME set but paging still off */
  mode?: 'real' | 'protected' | 'paged-32' | 'long-pending' | 'long';
}

export const CR0_BITS: Record<number, string> = {
  0: 'PE', 1: 'MP', 2: 'EM', 3: 'TS', 4: 'ET', 5: 'NE', 16: 'WP', 18: 'AM', 29: 'NW', 30: 'CD', 31: 'PG',
};
export const CR4_BITS: Record<number, string> = {
  0: 'VME', 1: 'PVI', 2: 'TSD', 3: 'DE', 4: 'PSE', 5: 'PAE', 6: 'MCE', 7: 'PGE', 8: 'PCE', 9: 'OSFXSR',
  10: 'OSXMMEXCPT', 11: 'UMIP', 12: 'LA57', 13: 'VMXE', 14: 'SMXE', 16: 'FSGSBASE', 17: 'PCIDE',
  18: 'OSXSAVE', 19: 'KL', 20: 'SMEP', 21: 'SMAP', 22: 'PKE', 23: 'CET', 24: 'PKS', 25: 'UINTR',
};
export const EFER_BITS: Record<number, string> = {
  0: 'SCE', 8: 'LME', 10: 'LMA', 11: 'NXE', 12: 'SVME', 13: 'LMSLE', 14: 'FFXSR', 15: 'TCE',
};

export function decodeBits(value: bigint, names: Record<number, string>): BitsReport {
  const set: string[] = [];
  let unknown = 0n;
  for (let bit = 0; bit < 64; bit++) {
    if (((value >> BigInt(bit)) & 1n) === 0n) continue;
    const name = names[bit];
    if (name) set.push(name);
    else unknown |= 1n << BigInt(bit);
  }
  return { value, set, unknown };
}

export function decodeControlRegisters(regs: { cr0?: bigint; cr4?: bigint; efer?: bigint }): DecodedBits {
  const decoded: DecodedBits = {};
  if (regs.cr0 !== undefined) decoded.cr0 = decodeBits(regs.cr0, CR0_BITS);
  if (regs.cr4 !== undefined) decoded.cr4 = decodeBits(regs.cr4, CR4_BITS);
  if (regs.efer !== undefined) decoded.efer = decodeBits(regs.efer, EFER_BITS);
  if (regs.cr0 !== undefined) {
    const pe = (regs.cr0 & 1n) !== 0n;
    const pg = (regs.cr0 & (1n << 31n)) !== 0n;
    const lma = regs.efer !== undefined && (regs.efer & (1n << 10n)) !== 0n;
    const lme = regs.efer !== undefined && (regs.efer & (1n << 8n)) !== 0n;
    decoded.mode = !pe ? 'real' : lma && pg ? 'long' : lme && !pg ? 'long-pending' : pg ? 'paged-32' : 'protected';
  }
  return decoded;
}
