import { describe, expect, it } from 'vitest';
import { walkFreeList } from './freelist';
import { GuestMemory } from './test-support/page-tables';
import { writeFreeList } from './test-support/abi-structures';

const USABLE = [{ base: 0x10000n, length: 0x30000n }]; // 0x10000..0x40000
const frame = (n: number) => 0x10000n + BigInt(n) * 0x1000n;

describe('walkFreeList', () => {
  it('walks to the 0xdeadbeef terminator and merges the frames into ranges', () => {
    const mem = new GuestMemory(0x80000);
    writeFreeList(mem, [frame(5), frame(1), frame(2), frame(9), frame(3), frame(6)]);
    const report = walkFreeList(mem.reader(), frame(5), { expectedCount: 6, usable: USABLE });
    expect(report).toEqual({
      head: frame(5), count: 6, expectedCount: 6n, terminated: true, anomalies: [],
      ranges: [{ base: frame(1), length: 0x3000n }, { base: frame(5), length: 0x2000n }, { base: frame(9), length: 0x1000n }],
    });
  });

  it('treats a head of 0xdeadbeef as an empty list', () => {
    const report = walkFreeList(new GuestMemory(0x1000).reader(), 0xdeadbeefn, { expectedCount: 0n });
    expect(report).toMatchObject({ count: 0, terminated: true, ranges: [], anomalies: [] });
  });

  it('reports a cycle with the frame it loops back to', () => {
    const mem = new GuestMemory(0x80000);
    writeFreeList(mem, [frame(0), frame(1), frame(2)], frame(1));
    const report = walkFreeList(mem.reader(), frame(0), { usable: USABLE });
    expect(report.terminated).toBe(false);
    expect(report.count).toBe(3);
    expect(report.anomalies).toEqual([expect.objectContaining({ kind: 'cycle', pointer: frame(1), holder: frame(2), position: 3 })]);
    expect(report.anomalies[0].message).toBe('the free list loops: the next pointer in frame 0x12000 (position 2) points back to frame 0x11000 at position 1');
  });

  it('reports a self-loop at the first frame', () => {
    const mem = new GuestMemory(0x80000);
    writeFreeList(mem, [frame(0)], frame(0));
    expect(walkFreeList(mem.reader(), frame(0)).anomalies.map((a) => a.kind)).toEqual(['cycle']);
  });

  it('reports a pointer outside usable memory, outside RAM, misaligned or null', () => {
    const cases: [bigint, string, RegExp][] = [
      [0x50000n, 'outside-usable', /is 0x50000, outside usable memory/],
      [0x100000n, 'outside-ram', /is 0x100000, outside guest RAM/],
      [frame(4) + 8n, 'misaligned', /is 0x14008, not 4 KiB-aligned/],
      [0n, 'null-pointer', /is 0: the list must end with 0xdeadbeef/],
    ];
    for (const [bad, kind, message] of cases) {
      const mem = new GuestMemory(0x80000);
      writeFreeList(mem, [frame(0), frame(1)], bad);
      const report = walkFreeList(mem.reader(), frame(0), { usable: bad === 0x100000n ? undefined : USABLE });
      expect(report.terminated).toBe(false);
      expect(report.count).toBe(2);
      expect(report.anomalies).toHaveLength(1);
      expect(report.anomalies[0]).toMatchObject({ kind, pointer: bad, holder: frame(1) });
      expect(report.anomalies[0].message).toMatch(message);
    }
  });

  it('names the head when the head itself is bad', () => {
    const report = walkFreeList(new GuestMemory(0x1000).reader(), 0x123n);
    expect(report.anomalies[0].message).toBe('the list head is 0x123, not 4 KiB-aligned');
  });

  it('reports a count that does not match the kernel’s', () => {
    const mem = new GuestMemory(0x80000);
    writeFreeList(mem, [frame(0), frame(1)]);
    const report = walkFreeList(mem.reader(), frame(0), { expectedCount: 3n });
    expect(report.terminated).toBe(true);
    expect(report.anomalies).toEqual([{ kind: 'count-mismatch', message: 'the kernel counts 3 free frames but the list holds 2' }]);
  });

  it('stops at maxFrames on a very long list', () => {
    const mem = new GuestMemory(0x80000);
    writeFreeList(mem, Array.from({ length: 40 }, (_, i) => frame(i)));
    const report = walkFreeList(mem.reader(), frame(0), { maxFrames: 10 });
    expect(report.count).toBe(10);
    expect(report.anomalies.map((a) => a.kind)).toEqual(['budget']);
  });
});
