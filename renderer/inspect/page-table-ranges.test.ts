// The range table's pure parts: search by address (binary search) agrees with a linear scan,
// and the filters keep exactly the ranges that match.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappingRange } from '../../main/common/contract';
import { filterRanges, findRange, syntheticMappings } from './page-table-ranges';

const linear = (ranges: MappingRange[], a: bigint) => ranges.findIndex((m) => a >= BigInt(m.virt) && a < BigInt(m.virt) + BigInt(m.size));

describe('findRange', () => {
  it('agrees with a linear scan on sorted, disjoint ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 })), { maxLength: 60 }), fc.integer({ min: 0, max: 2000 }), (gapsAndSizes, probe) => {
        let at = 0n;
        const ranges: MappingRange[] = gapsAndSizes.map(([gap, pages]) => {
          const virt = at + BigInt(gap) * 0x1000n;
          at = virt + BigInt(pages) * 0x1000n;
          return { virt: '0x' + virt.toString(16), phys: '0x0', size: '0x' + (BigInt(pages) * 0x1000n).toString(16), pageSize: '4K', writable: true, user: false, nx: true, global: false };
        });
        const address = BigInt(probe) * 0x800n;
        expect(findRange(ranges, address)).toBe(linear(ranges, address));
      }),
    );
  });

  it('finds the middle of a million synthetic mappings', () => {
    const million = syntheticMappings(1_000_000);
    expect(findRange(million, 0xffff_8000_7a11_f123n)).toBe(499_999);
    expect(findRange(million, 0xffff_8000_f424_0000n)).toBe(-1);
  });
});

describe('filterRanges', () => {
  it('keeps exactly the ranges that match every filter', () => {
    const ranges = syntheticMappings(300);
    const kernelWritableExec = filterRanges(ranges, { space: 'kernel', writableOnly: true, executableOnly: true });
    expect(kernelWritableExec).toEqual(ranges.filter((m) => !m.user && m.writable && !m.nx));
    expect(filterRanges(ranges, { space: 'all', writableOnly: false, executableOnly: false })).toBe(ranges);
  });
});
