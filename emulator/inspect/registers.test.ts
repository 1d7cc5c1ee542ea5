import { describe, expect, it } from 'vitest';
import { decodeControlRegisters } from './registers';

describe('decodeControlRegisters', () => {
  it('names the bits a long-mode kernel sets', () => {
    const decoded = decodeControlRegisters({ cr0: 0x8001_0033n, cr4: 0x6a0n, efer: 0xd01n });
    expect(decoded.cr0?.set).toEqual(['PE', 'MP', 'ET', 'NE', 'WP', 'PG']);
    expect(decoded.cr4?.set).toEqual(['PAE', 'PGE', 'OSFXSR', 'OSXMMEXCPT']);
    expect(decoded.efer?.set).toEqual(['SCE', 'LME', 'LMA', 'NXE']);
    expect(decoded.mode).toBe('long');
    expect(decoded.cr0?.unknown).toBe(0n);
  });

  it('keeps unnamed bits and works out the mode from what is given', () => {
    expect(decodeControlRegisters({ cr0: 0x10n }).mode).toBe('real');
    expect(decodeControlRegisters({ cr0: 0x11n }).mode).toBe('protected');
    expect(decodeControlRegisters({ cr0: 0x8000_0011n, efer: 0n }).mode).toBe('paged-32');
    expect(decodeControlRegisters({ cr0: 0x11n, efer: 0x100n }).mode).toBe('long-pending');
    expect(decodeControlRegisters({ efer: 1n << 40n }).efer).toEqual({ value: 1n << 40n, set: [], unknown: 1n << 40n });
    expect(decodeControlRegisters({})).toEqual({});
  });
});
