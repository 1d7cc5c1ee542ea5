// Inspection calls: memory map, heap regions, page tables (walk, one table, translate, captures
// and diffs), memory bytes and decoded registers. All read a stopped guest.
import { parseBootInfo, usableRanges } from '../../../emulator/inspect/bootinfo';
import { walkFreeList } from '../../../emulator/inspect/freelist';
import { readHeapRegions } from '../../../emulator/inspect/heap';
import { hex, withHexBigints } from '../../../emulator/inspect/hex';
import { buildMemoryMap } from '../../../emulator/inspect/memmap';
import { canonicalVirt, physFromCr3 } from '../../../emulator/inspect/paging-address';
import { diffWalks } from '../../../emulator/inspect/paging-diff';
import { ENTRY_SPAN, LEVEL_NAMES, decodeEntry, type PagingLevel } from '../../../emulator/inspect/paging-entry';
import { pageWalkToJson } from '../../../emulator/inspect/paging-json';
import { translate, translationToJson } from '../../../emulator/inspect/paging-translate';
import type { Mapping, PageWalk } from '../../../emulator/inspect/paging-types';
import { walkPageTables } from '../../../emulator/inspect/paging-walk';
import { decodeControlRegisters } from '../../../emulator/inspect/registers';
import { InspectError } from '../../../emulator/inspect/errors';
import type {
  AddressSpace, HeapView, MappingRange, MemoryBytes, MemoryMapView, PageTableNodeView, PageTableWalk, RegistersView,
  TranslationView, WalkCapture, WalkDiffView,
} from '../../common/contract';
import { InspectionContext, parseHex, type GuestHandle } from './inspection-context';
import { ServiceError } from './service-error';

const PAGE = 0x1000n;
const MAX_READ = 64 << 10;
const MAX_CAPTURES = 16;

interface Capture {
  info: WalkCapture;
  walk: PageWalk;
}

export class InspectService {
  private readonly captures = new Map<string, Capture>();
  private capturedFor: unknown;

  constructor(private readonly ctx: InspectionContext) {}

  async walk(guest: GuestHandle): Promise<PageWalk> {
    return walkPageTables(guest.qemu.ram, await this.ctx.cr3(guest));
  }

  async pageTables(): Promise<PageTableWalk> {
    return pageWalkToJson(await this.walk(this.ctx.paused('walk the page tables')));
  }

  async memoryMap(): Promise<MemoryMapView> {
    const guest = this.ctx.paused('read the memory map');
    const record = this.ctx.record(guest);
    if (record.bootInfoPhys === 0n) throw new ServiceError('failed', 'the kernel has not published its boot info yet: continue until phase 1 has started, then pause');
    return inspectErrors(async () => {
      const mem = guest.qemu.ram;
      const boot = parseBootInfo(mem, record.bootInfoPhys);
      const free = walkFreeList(mem, record.freeListHeadPhys, { expectedCount: record.freeFrameCount, usable: usableRanges(boot) });
      const walk = await this.walk(guest);
      const heap = record.phase >= 2 ? safe(() => readHeapRegions(mem, record, walk)) : undefined;
      const map = buildMemoryMap(boot, free, record, { heap, walk });
      return {
        ramSize: hex(mem.size),
        phase: record.phase,
        e820: map.e820.map((e) => ({ base: hex(e.base), length: hex(e.length), type: e.type, kind: e.kind })),
        overlays: map.overlays.map((o) => ({ base: hex(o.base), length: hex(o.length), label: o.label, detail: o.detail })),
        segments: map.segments.map((s) => ({ base: hex(s.base), length: hex(s.length), kind: s.kind, labels: s.labels })),
        freeFrames: { count: free.count, expectedCount: free.expectedCount === undefined ? undefined : hex(free.expectedCount), terminated: free.terminated, head: hex(free.head) },
        totals: { usableBytes: hex(map.totals.usableBytes), freeBytes: hex(map.totals.freeBytes), freeFrames: map.totals.freeFrames },
        anomalies: [
          ...free.anomalies.map((a) => ({ kind: a.kind, message: a.message, base: a.pointer === undefined ? undefined : hex(a.pointer) })),
          ...map.anomalies.map((a) => ({ kind: a.kind, message: a.message, base: hex(a.base), length: hex(a.length) })),
        ],
      };
    });
  }

  async heap(): Promise<HeapView> {
    const guest = this.ctx.paused('read the heap regions');
    const record = this.ctx.record(guest);
    return inspectErrors(async () => {
      const regions = record.heapRegionCount === 0n ? [] : readHeapRegions(guest.qemu.ram, record, await this.walk(guest));
      return { heapHighBase: hex(record.heapHighBase), regions: regions.map((r) => withHexBigints(r)) };
    });
  }

  async pageTableNode(args: { table?: string; level?: number; virtBase?: string }): Promise<PageTableNodeView> {
    const guest = this.ctx.paused('read the page tables');
    const level = (args.level ?? 4) as PagingLevel;
    const table = args.table === undefined ? BigInt(physFromCr3(await this.ctx.cr3(guest))) : parseHex(args.table, 'table');
    const virtBase = args.virtBase === undefined ? 0n : parseHex(args.virtBase, 'virtBase');
    const bytes = guest.qemu.ram.read(table, 4096);
    if (!bytes || (table & 0xfffn) !== 0n) throw new ServiceError('failed', `no page table at ${hex(table)}: it is not a 4 KiB-aligned address inside guest RAM`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 4096);
    const path = [table]; // an entry pointing back at its own table is the recursive one
    const entries: PageTableNodeView['entries'] = [];
    for (let index = 0; index < 512; index++) {
      const raw = view.getBigUint64(index * 8, true);
      if ((raw & 1n) === 0n) continue;
      const entry = decodeEntry(raw, level);
      const virt = canonicalVirt(Number((virtBase & 0xffff_ffff_ffffn) + BigInt(index) * BigInt(ENTRY_SPAN[level])));
      entries.push({
        index,
        raw: hex(raw),
        flags: entry.names,
        target: hex(entry.target),
        leaf: entry.leaf,
        virt: hex(virt),
        recursive: !entry.leaf && path.includes(entry.target) ? true : undefined,
        reservedBits: entry.reservedBits ? hex(entry.reservedBits) : undefined,
      });
    }
    return { table: hex(table), level, levelName: LEVEL_NAMES[level], virtBase: hex(canonicalVirt(Number(virtBase & 0xffff_ffff_ffffn))), entries };
  }

  async translate(args: { address: string }): Promise<TranslationView> {
    const guest = this.ctx.paused('translate an address');
    const virt = parseHex(args.address, 'address');
    return translationToJson(translate(guest.qemu.ram, await this.ctx.cr3(guest), virt)) as TranslationView;
  }

  async readMemory(args: { address: string; length: number; space: AddressSpace }): Promise<MemoryBytes> {
    const guest = this.ctx.paused('read its memory');
    const address = parseHex(args.address, 'address');
    if (!Number.isInteger(args.length) || args.length < 1 || args.length > MAX_READ) throw new ServiceError('bad-request', `length must be 1 to ${MAX_READ} bytes`);
    const out = new Uint8Array(args.length);
    const unmapped: string[] = [];
    const cr3 = args.space === 'virtual' ? await this.ctx.cr3(guest) : 0n;
    const end = address + BigInt(args.length);
    for (let page = address & ~(PAGE - 1n); page < end; page += PAGE) {
      const from = page < address ? address : page;
      const to = page + PAGE < end ? page + PAGE : end;
      const phys = args.space === 'physical' ? from : translate(guest.qemu.ram, cr3, from).phys;
      const bytes = phys === undefined ? undefined : await this.readPhys(guest, phys, Number(to - from));
      if (bytes) out.set(bytes, Number(from - address));
      else unmapped.push(hex(page));
    }
    return { address: hex(address), space: args.space, base64: Buffer.from(out).toString('base64'), unmapped };
  }

  /** RAM from the shared file; device memory (VGA at 0xb8000) through the gdb stub. */
  private async readPhys(guest: GuestHandle, phys: bigint, length: number): Promise<Uint8Array | undefined> {
    const ram = guest.qemu.ram.read(phys, length);
    if (ram) return ram;
    if (phys < 0xa0000n || phys + BigInt(length) > 0x100000n) return undefined;
    return guest.qemu.readMemory(phys, length, { physical: true }).catch(() => undefined);
  }

  async registers(): Promise<RegistersView> {
    const guest = this.ctx.paused('read its registers');
    const values = await this.ctx.registers(guest);
    const decoded = decodeControlRegisters(values);
    const bits = (b: typeof decoded.cr0) => b && { value: hex(b.value), set: b.set, unknown: hex(b.unknown) };
    return {
      registers: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, hex(value)])),
      cr0: bits(decoded.cr0),
      cr4: bits(decoded.cr4),
      efer: bits(decoded.efer),
      mode: decoded.mode,
    };
  }

  async captureWalk(args: { name: string }): Promise<WalkCapture> {
    const guest = this.ctx.paused('capture the page tables');
    const name = args.name.trim();
    if (!name) throw new ServiceError('bad-request', 'give the capture a name, e.g. "kernel entry"');
    const { rip } = await this.ctx.registers(guest);
    return this.remember(guest, name, await this.walk(guest), rip ?? 0n);
  }

  remember(guest: GuestHandle, name: string, walk: PageWalk, rip: bigint): WalkCapture {
    if (this.capturedFor !== guest.qemu) {
      this.captures.clear(); // captures belong to one boot
      this.capturedFor = guest.qemu;
    }
    this.captures.delete(name);
    if (this.captures.size >= MAX_CAPTURES) this.captures.delete(this.captures.keys().next().value!);
    const info: WalkCapture = { name, takenAt: new Date().toISOString(), rip: hex(rip), mappings: walk.mappings.length };
    this.captures.set(name, { info, walk });
    return info;
  }

  listCaptures(): WalkCapture[] {
    const guest = this.ctx.deps.guest();
    if (!guest || guest.qemu !== this.capturedFor) return [];
    return [...this.captures.values()].map((c) => c.info);
  }

  async diffWalks(args: { before: string; after?: string }): Promise<WalkDiffView> {
    const guest = this.ctx.guest();
    const find = (name: string) => {
      const capture = guest.qemu === this.capturedFor ? this.captures.get(name) : undefined;
      if (!capture) throw new ServiceError('not-found', `no page-table capture named '${name}' in this boot: capture one first (Break at phase 2 takes "kernel entry" and "phase 2")`);
      return capture.walk;
    };
    const before = find(args.before);
    const after = args.after === undefined ? await this.walk(this.ctx.paused('compare against the live page tables')) : find(args.after);
    const diff = diffWalks(before, after);
    const range = (m: Omit<Mapping, 'pageSize'> & { pageSize: Mapping['pageSize'] }): MappingRange => ({
      virt: hex(m.virt), phys: hex(m.phys), size: hex(m.size), pageSize: m.pageSize, writable: m.writable, user: m.user, nx: m.nx, global: m.global,
    });
    return {
      before: args.before,
      after: args.after ?? 'live',
      added: diff.added.map(range),
      removed: diff.removed.map(range),
      changed: diff.changed.map((c) => ({ virt: hex(c.virt), size: hex(c.size), before: range(c.before), after: range(c.after), changes: c.changes })),
      unchangedBytes: hex(diff.unchangedBytes),
    };
  }
}

async function inspectErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InspectError) throw new ServiceError('failed', err.message);
    throw err;
  }
}

function safe<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}
