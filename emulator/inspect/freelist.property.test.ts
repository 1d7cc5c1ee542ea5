// Property test: on random lists, well-formed or broken (cycles, null, misaligned, outside usable
// memory or RAM, cut short by maxFrames), walkFreeList gives the same report as the reference walk
// it replaced, whether guest RAM is read plainly or through the cached RAM view's u64 path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedRamView } from '../ram-cached-view';
import { walkFreeList } from './freelist';
import { bufferReader } from './phys-reader';
import { referenceWalkFreeList } from './test-support/reference-freelist';

const FRAME = 0x1000;
const ENDINGS = ['terminator', 'cycle', 'null', 'misaligned', 'beyond-ram', 'huge', 'outside-usable'] as const;

const listCase = fc
  .record({
    frames: fc.integer({ min: 4, max: 600 }),
    order: fc.array(fc.nat(), { maxLength: 300 }),
    ending: fc.constantFrom(...ENDINGS),
    loopTo: fc.nat(),
    usable: fc.boolean(),
    maxFrames: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
    expectedCount: fc.option(fc.nat(400), { nil: undefined }),
  })
  .map((c) => {
    // distinct frames in a shuffled order, from the generated indices
    const seen = new Set<number>();
    const list = c.order.map((n) => 1 + (n % (c.frames - 1))).filter((f) => !seen.has(f) && seen.add(f));
    return { ...c, list: list.map((f) => BigInt(f * FRAME)) };
  });

function endPointer(c: { ending: (typeof ENDINGS)[number]; loopTo: number; frames: number; list: bigint[] }): bigint {
  switch (c.ending) {
    case 'terminator': return 0xdeadbeefn;
    case 'cycle': return c.list.length ? c.list[c.loopTo % c.list.length] : 0xdeadbeefn;
    case 'null': return 0n;
    case 'misaligned': return BigInt(FRAME + 8);
    case 'beyond-ram': return BigInt(c.frames * FRAME);
    case 'huge': return 0xffff_ffff_ffff_f000n;
    case 'outside-usable': return BigInt((c.frames - 1) * FRAME); // the last frame: RAM, but not in the usable range below
  }
}

describe('walkFreeList (property)', () => {
  it('agrees with the reference walk on random and broken lists, through both readers', () => {
    fc.assert(
      fc.property(listCase, (c) => {
        const bytes = Buffer.alloc(c.frames * FRAME);
        const end = endPointer(c);
        c.list.forEach((frame, i) => bytes.writeBigUInt64LE(i + 1 < c.list.length ? c.list[i + 1] : end, Number(frame)));
        const plain = bufferReader(bytes);
        const cached = cachedRamView({
          size: plain.size,
          read: plain.read,
          readInto: (addr, out) => {
            const view = plain.read(addr, out.length);
            if (view) out.set(view);
            return view !== undefined;
          },
        });
        const head = c.list[0] ?? 0xdeadbeefn;
        const opts = {
          maxFrames: c.maxFrames,
          expectedCount: c.expectedCount,
          usable: c.usable ? [{ base: BigInt(FRAME), length: BigInt((c.frames - 2) * FRAME) }] : undefined,
        };
        const expected = referenceWalkFreeList(plain, head, opts);
        expect(walkFreeList(plain, head, opts)).toEqual(expected);
        expect(walkFreeList(cached, head, opts)).toEqual(expected);
      }),
      { seed: 0x4c4d_f4ee, numRuns: 400 },
    );
  });
});
