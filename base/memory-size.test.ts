import { describe, expect, it } from 'vitest';
import { formatMemorySize, qemuMemoryArg, readMemorySize } from './memory-size';

const bytesOf = (text: string) => {
  const r = readMemorySize(text);
  if (!r.ok) throw new Error(r.message);
  return r.bytes;
};

describe('readMemorySize', () => {
  it('reads suffixes as QEMU does, and a bare number as MiB', () => {
    expect(bytesOf('128M')).toBe(128n << 20n);
    expect(bytesOf('128')).toBe(128n << 20n);
    expect(bytesOf('1G')).toBe(1n << 30n);
    expect(bytesOf('4096K')).toBe(4n << 20n);
    expect(bytesOf('512MiB')).toBe(512n << 20n);
    expect(bytesOf(' 2gb ')).toBe(2n << 30n);
  });

  it('refuses what is not a size, with what to write instead', () => {
    for (const bad of ['', 'lots', '1.5G', '-1M', '0x100M', '12Q', 'Infinity']) {
      const r = readMemorySize(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/e\.g\. 128M/);
    }
    expect(readMemorySize(128).ok).toBe(false);
  });

  it('keeps sizes between 2 MiB and 64 GiB', () => {
    expect(readMemorySize('1M')).toEqual({ ok: false, message: '1M is too small: a guest needs at least 2M' });
    expect(readMemorySize('2M').ok).toBe(true);
    expect(readMemorySize('64G').ok).toBe(true);
    expect(readMemorySize('65G')).toEqual({ ok: false, message: '65G is too large: at most 64G' });
    expect(readMemorySize('999999999999').ok).toBe(false);
  });
});

describe('qemuMemoryArg and formatMemorySize', () => {
  it('writes whole MiB for QEMU and readable units for people', () => {
    expect(qemuMemoryArg(128n << 20n)).toBe('128M');
    expect(qemuMemoryArg(2560n << 10n)).toBe('2560K');
    expect(formatMemorySize(1n << 30n)).toBe('1 GiB');
    expect(formatMemorySize(1536n << 20n)).toBe('1536 MiB');
  });
});
