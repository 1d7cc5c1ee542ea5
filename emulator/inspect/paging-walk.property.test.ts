// Property test: on random and hostile table sets the walk terminates, never throws, and agrees
// with a simple reference translator on sampled addresses (both directions).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { walkPageTables } from './paging-walk';
import { bufferReader } from './phys-reader';
import { canonicalVirt } from './paging-address';
import { referenceTranslate } from './test-support/reference-translate';
import type { Mapping, PageWalk } from './paging-types';

const SEED = 0x4c4d_0004;
const RUNS = 10_000;
const ADDRESS_BITS = 0x000f_ffff_ffff_f000n;

type EntryKind = 'table' | 'next' | 'self' | 'root' | 'outside' | 'large' | 'junk';
interface EntrySpec {
  frame: number;
  index: number;
  kind: EntryKind;
  target: number;
  flags: number; // low 12 bits
  nx: boolean;
  reservedNoise: bigint; // usually 0
  junk: bigint;
}
interface TableSet {
  frames: number;
  cr3Frame: number;
  entries: EntrySpec[];
  physAddrBits: number;
  nxe: boolean;
  samples: { picks: number[]; offset: bigint }[];
}

const favouriteIndex = fc.constantFrom(0, 1, 2, 255, 256, 257, 510, 511);
const entrySpec: fc.Arbitrary<EntrySpec> = fc.record({
  frame: fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.nat(31) }), // -1: the PML4
  index: fc.oneof({ weight: 3, arbitrary: favouriteIndex }, { weight: 1, arbitrary: fc.nat(511) }),
  kind: fc.constantFrom<EntryKind>('table', 'table', 'next', 'next', 'self', 'root', 'outside', 'large', 'large', 'large', 'junk'),
  target: fc.nat(31),
  flags: fc.oneof({ weight: 4, arbitrary: fc.nat(0xfff).map((f) => f | 1) }, { weight: 1, arbitrary: fc.nat(0xfff) }),
  nx: fc.boolean(),
  reservedNoise: fc.oneof(
    { weight: 8, arbitrary: fc.constant(0n) },
    { weight: 1, arbitrary: fc.nat(0x3ffff).map((b) => BigInt(b) << 13n) }, // bits 13..30: reserved in large pages
    { weight: 1, arbitrary: fc.nat(0xfff).map((b) => BigInt(b) << 40n) }, // above a 40-bit MAXPHYADDR
  ),
  junk: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
});

const tableSet: fc.Arbitrary<TableSet> = fc.record({
  frames: fc.integer({ min: 1, max: 16 }),
  cr3Frame: fc.oneof({ weight: 12, arbitrary: fc.nat(11) }, { weight: 1, arbitrary: fc.constant(4096) }), // 4096: outside RAM
  entries: fc.array(entrySpec, { minLength: 2, maxLength: 48, size: 'max' }),
  physAddrBits: fc.constantFrom(52, 52, 40),
  nxe: fc.boolean(),
  samples: fc.array(fc.record({ picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), offset: fc.bigInt({ min: 0n, max: (1n << 30n) - 1n }) }), { minLength: 8, maxLength: 8 }),
});

function entryValue(set: TableSet, spec: EntrySpec): bigint {
  const frames = BigInt(set.frames);
  const flags = BigInt(spec.flags) | spec.reservedNoise | (spec.nx ? 1n << 63n : 0n);
  switch (spec.kind) {
    case 'table': return (BigInt(spec.target) % frames) * 0x1000n | (flags & ~0x80n);
    case 'next': return (BigInt(frameOf(set, spec) + 1) % frames) * 0x1000n | (flags & ~0x80n); // chains of distinct tables
    case 'self': return BigInt(frameOf(set, spec)) * 0x1000n | (flags & ~0x80n);
    case 'root': return BigInt(pml4Frame(set)) * 0x1000n | (flags & ~0x80n);
    case 'outside': return (frames + BigInt(spec.target)) * 0x1000n | flags;
    case 'large': return (BigInt(spec.target) << (spec.flags & 0x200 ? 30n : 21n)) | flags | 0x80n; // 1G- or 2M-aligned
    case 'junk': return spec.junk;
  }
}

function pml4Frame(set: TableSet): number {
  return set.cr3Frame === 4096 ? 4096 : set.cr3Frame % set.frames;
}

/** The frame (in RAM) that holds the entry. */
function frameOf(set: TableSet, spec: EntrySpec): number {
  return (spec.frame === -1 ? pml4Frame(set) : spec.frame) % set.frames;
}

function build(set: TableSet): { ram: Uint8Array; cr3: bigint } {
  const ram = new Uint8Array(set.frames * 0x1000);
  const view = new DataView(ram.buffer);
  for (const spec of set.entries) {
    const frame = frameOf(set, spec);
    view.setBigUint64(frame * 0x1000 + spec.index * 8, entryValue(set, spec), true);
  }
  return { ram, cr3: BigInt(pml4Frame(set)) * 0x1000n | 0x18n };
}

/** Addresses likely to hit something: built from the indices the entries use, plus the walk's own ranges. */
function sampleAddresses(set: TableSet, walk: PageWalk): bigint[] {
  const used = [...new Set(set.entries.map((e) => e.index))];
  const addresses: bigint[] = [];
  if (used.length) {
    for (const s of set.samples) {
      const [i4, i3, i2, i1] = s.picks.map((p) => BigInt(used[p % used.length]));
      addresses.push(canonicalVirt((i4 << 39n) | (i3 << 30n) | (i2 << 21n) | (i1 << 12n) | (s.offset & 0xfffn)));
      addresses.push(canonicalVirt((i4 << 39n) | (i3 << 30n) | s.offset));
    }
  }
  for (const m of walk.mappings.slice(0, 64)) addresses.push(m.virt, m.virt + m.size - 1n, m.virt + m.size / 2n);
  for (const r of walk.recursive.slice(0, 16)) addresses.push(r.virt, r.virt + r.size - 1n);
  return addresses;
}

function containing(mappings: Mapping[], virt: bigint): Mapping | undefined {
  return mappings.find((m) => m.virt <= virt && virt < m.virt + m.size);
}

const compared = { mapped: 0, recursive: 0, unmapped: 0 };

function checkAgreement(set: TableSet): void {
  const { ram, cr3 } = build(set);
  const opts = { physAddrBits: set.physAddrBits, nxe: set.nxe, maxTables: 1500 };
  const walk = walkPageTables(bufferReader(ram), cr3, opts);

  for (let i = 1; i < walk.mappings.length; i++) {
    const prev = walk.mappings[i - 1];
    expect(prev.virt + prev.size <= walk.mappings[i].virt, 'mappings sorted and disjoint').toBe(true);
  }
  for (const m of walk.mappings) expect(m.phys & ~ADDRESS_BITS & 0xfffn).toBe(0n);

  for (const virt of sampleAddresses(set, walk)) {
    const ref = referenceTranslate(ram, cr3, virt, set.physAddrBits, set.nxe);
    compared[ref.kind]++;
    const found = containing(walk.mappings, virt);
    const context = `virt ${virt.toString(16)}: reference ${JSON.stringify(ref, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v))}`;
    if (ref.kind === 'mapped') {
      if (!walk.complete && !found) continue; // a budget stop may leave it out, but never wrong
      expect(found, context).toBeDefined();
      expect({ phys: found!.phys + (virt - found!.virt), writable: found!.writable, user: found!.user, nx: found!.nx, global: found!.global }, context)
        .toEqual({ phys: ref.phys, writable: ref.writable, user: ref.user, nx: ref.nx, global: ref.global });
    } else {
      expect(found, context).toBeUndefined();
      if (ref.kind === 'recursive' && walk.complete) {
        expect(walk.recursive.some((r) => r.virt <= virt && virt < r.virt + r.size), context).toBe(true);
      }
    }
  }
}

describe('walkPageTables on random and hostile table sets', () => {
  it(`agrees with the reference translator (${RUNS} table sets, seed ${SEED})`, () => {
    fc.assert(fc.property(tableSet, (set) => checkAgreement(set)), { numRuns: RUNS, seed: SEED, verbose: 1 });
    // the comparison is only as good as what it sampled
    expect(compared.mapped).toBeGreaterThan(RUNS);
    expect(compared.recursive).toBeGreaterThan(RUNS / 10);
  });

  it('generates table sets that exercise every outcome', () => {
    const outcome = { mapped: 0, recursive: 0, anomalies: new Set<string>(), incomplete: 0 };
    for (const set of fc.sample(tableSet, { numRuns: 2000, seed: SEED })) {
      const { ram, cr3 } = build(set);
      const walk = walkPageTables(bufferReader(ram), cr3, { physAddrBits: set.physAddrBits, nxe: set.nxe, maxTables: 1500 });
      if (walk.mappings.length) outcome.mapped++;
      if (walk.recursive.length) outcome.recursive++;
      if (!walk.complete) outcome.incomplete++;
      for (const a of walk.anomalies) outcome.anomalies.add(a.kind);
    }
    expect(outcome.mapped).toBeGreaterThan(200);
    expect(outcome.recursive).toBeGreaterThan(200);
    expect([...outcome.anomalies].sort()).toEqual(expect.arrayContaining(['frame-outside-ram', 'reserved-bits', 'table-level-conflict', 'table-outside-ram']));
  });
});
