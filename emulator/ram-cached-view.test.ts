// The cached RAM view over a real RAM file: every read and u64 agrees with the file, including the
// VGA window (device memory, not RAM) and the end of RAM; later writes are not seen by an old view.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFrameWord, readU64 } from './inspect';
import { RamFile } from './ram-file';

const SIZE = 4 << 20;
const dir = mkdtempSync(join(tmpdir(), 'longmode-ram-view-'));
const path = join(dir, 'ram');
const bytes = randomBytes(SIZE);
writeFileSync(path, bytes);
const ram = new RamFile(path, BigInt(SIZE));
afterAll(() => {
  ram.close();
  rmSync(dir, { recursive: true, force: true });
});

const word = (addr: number) => (addr + 8 <= SIZE && (addr + 8 <= 0xa0000 || addr >= 0xc0000) ? bytes.readBigUInt64LE(addr) : undefined);

describe('RamFile.cachedView', () => {
  it('serves every frame start, odd address, the VGA window and the end of RAM like the file', () => {
    const view = ram.cachedView();
    const addrs = [0, 8, 0x1000, 0x9f000, 0x9fff8, 0xa0000, 0xb8000, 0xbf000, 0xc0000, 0x10_0000, 0x10_0ff8, 0x12_3456, SIZE - 0x1000, SIZE - 8, SIZE - 4, SIZE, SIZE + 0x1000];
    for (let a = 0x1000; a < SIZE; a += 0x1000) addrs.push(a);
    for (const a of addrs) {
      expect(readFrameWord(view, BigInt(a)), `frame word at 0x${a.toString(16)}`).toBe(word(a));
      expect(readU64(view, BigInt(a)), `u64 at 0x${a.toString(16)}`).toBe(word(a));
      expect(ram.readU64(BigInt(a)), `u64 at 0x${a.toString(16)}`).toBe(word(a));
    }
    expect(Buffer.from(view.read(0x1_fff0n, 0x20)!)).toEqual(bytes.subarray(0x1_fff0, 0x2_0010));
    expect(view.read(0x9_fff0n, 0x20)).toBeUndefined();
    expect(readU64(view, -8n)).toBeUndefined();
  });

  it('keeps what it read: a new view sees later writes, an old one does not', () => {
    const old = ram.cachedView();
    const [frameBefore, oddBefore] = [readFrameWord(old, 0x20_0000n), readU64(old, 0x20_0008n)];
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(16, 0xab), 0, 16, 0x20_0000);
    closeSync(fd);
    expect([readFrameWord(old, 0x20_0000n), readU64(old, 0x20_0008n)]).toEqual([frameBefore, oddBefore]);
    const fresh = ram.cachedView();
    expect([readFrameWord(fresh, 0x20_0000n), readU64(fresh, 0x20_0008n)]).toEqual([0xababababababababn, 0xababababababababn]);
  });
});
