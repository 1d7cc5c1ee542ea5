// The inspection, debug and snapshot services against a real QEMU running a freshly built copy
// of the sample OS: break at phase 2, page tables, diff, memory map, heap, registers, memory,
// a source-line breakpoint, snapshots, and the page-fault switch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleCopy, startHarness, type BuiltSample, type Harness } from './inspection.test-support';

const RECURSIVE_INDEX = 510;
const HEAP_HIGH_BASE = 0xffff_8000_0000_0000n;
const big = (h: string) => BigInt(h);

function lineOf(dir: string, file: string, text: string): number {
  const index = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

describe('inspection and debugging on the sample OS', () => {
  let sample: BuiltSample;
  let h: Harness;

  beforeAll(async () => {
    sample = await buildSampleCopy();
    h = await startHarness(sample, { paused: true });
  });
  afterAll(async () => {
    await h?.stop();
    sample?.remove();
  });

  it('refuses to walk while the guest runs, saying what to do', async () => {
    await h.qemu.resume();
    await expect(h.services.inspect.memoryMap()).rejects.toThrow('the guest is running: pause it to read the memory map');
    await expect(h.services.inspect.pageTables()).rejects.toMatchObject({ code: 'guest-running' });
  });

  it('breaks at phase 2 (resetting the running guest) and captures both address spaces', async () => {
    const stopped = await h.services.debug.breakAtPhase2();
    expect(stopped.reason).toBe('breakpoint');
    expect(big(stopped.rip)).toBeGreaterThanOrEqual(0xffff_ffff_8000_0000n);
    expect(stopped.source?.file).toBe('kernel/src/handoff.rs');
    expect(h.services.inspect.listCaptures().map((c) => c.name)).toEqual(['kernel entry', 'phase 2']);
    expect(h.events.filter((e) => e.event === 'vm.stopped'), JSON.stringify(h.events.filter((e) => e.event === 'vm.stopped'))).toHaveLength(1);
  });

  it('lists the recursive entry, the high-half heap and the identity-mapped VGA page', async () => {
    const walk = await h.services.inspect.pageTables();
    expect(walk.recursive).toContainEqual({ level: 4, index: RECURSIVE_INDEX });
    const covering = (virt: bigint) => walk.mappings.find((m) => big(m.virt) <= virt && virt < big(m.virt) + big(m.size));
    expect(covering(HEAP_HIGH_BASE)).toBeDefined();
    const vga = covering(0xb8000n)!;
    expect(big(vga.phys) - big(vga.virt)).toBe(0n);
    const node = await h.services.inspect.pageTableNode({});
    expect(node.entries.find((e) => e.index === RECURSIVE_INDEX)?.recursive).toBe(true);
    const child = await h.services.inspect.pageTableNode({ table: node.entries.find((e) => e.index === 256)!.target, level: 3, virtBase: node.entries.find((e) => e.index === 256)!.virt });
    expect(child.levelName).toBe('PDPT');
    expect(child.entries.length).toBeGreaterThan(0);
  });

  it('diffs the kernel-entry capture against phase 2: the high mappings are new', async () => {
    const diff = await h.services.inspect.diffWalks({ before: 'kernel entry', after: 'phase 2' });
    const addedHigh = diff.added.filter((r) => big(r.virt) >= HEAP_HIGH_BASE);
    expect(addedHigh.some((r) => big(r.virt) === HEAP_HIGH_BASE)).toBe(true);
    expect(addedHigh.some((r) => big(r.virt) === 0xffff_ffff_8000_0000n)).toBe(true);
    await expect(h.services.inspect.diffWalks({ before: 'nope' })).rejects.toThrow(/no page-table capture named 'nope'/);
  });

  it('translates an address showing the entry at every level', async () => {
    const t = await h.services.inspect.translate({ address: '0xffff800000000000' });
    expect(t.steps.map((s) => s.levelName)).toEqual(['PML4', 'PDPT', 'PD', 'PT']);
    expect(t.steps[0].index).toBe(256);
    expect(t.phys).toMatch(/^0x[0-9a-f]+$/);
    const missing = await h.services.inspect.translate({ address: '0xdeadb000' });
    expect(missing.phys).toBeUndefined();
    expect(missing.stop?.reason).toBe('not-present');
  });

  it('hits a breakpoint on a kernel line and reports the line', async () => {
    const line = lineOf(sample.dir, 'kernel/src/phase2.rs', 'unmap_low_kernel(&start.kernel_phys);');
    const { breakpoints } = await h.services.debug.setBreakpoints({ file: 'kernel/src/phase2.rs', lines: [line] });
    expect(breakpoints[0].verified).toBe(true);
    expect(breakpoints[0].addresses.some((a) => big(a) >= 0xffff_ffff_8000_0000n)).toBe(true);
    const hit = h.nextEvent('vm.stopped');
    await h.services.debug.continue();
    const stopped = await hit;
    expect(stopped.reason).toBe('breakpoint');
    expect(stopped.source).toEqual({ file: 'kernel/src/phase2.rs', line: breakpoints[0].line });
    const step = await h.services.debug.step();
    expect(step.reason).toBe('step');
    expect(step.rip).not.toBe(stopped.rip);
    await h.services.debug.setBreakpoints({ file: 'kernel/src/phase2.rs', lines: [] });
  });

  it('shows the memory map with the free-frame count the kernel printed, and the heap regions of the record', async () => {
    await h.services.debug.continue();
    await h.qemu.waitForSerial('phase 2: ready', 20_000);
    await h.qemu.pause();
    const serial = h.qemu.serialText();
    const printed = Number(/vtable check: (\d+) free frames/.exec(serial)![1]);
    const map = await h.services.inspect.memoryMap();
    expect(map.freeFrames.count).toBe(printed);
    expect(map.totals.freeFrames).toBe(printed);
    expect(map.e820.some((e) => e.kind === 'usable')).toBe(true);
    expect(map.overlays.some((o) => o.label === 'kernel')).toBe(true);
    const heap = await h.services.inspect.heap();
    const printedRegions = [...serial.matchAll(/heap region (\d+): virt (0x[0-9a-f]+) len (0x[0-9a-f]+) phys (0x[0-9a-f]+)/g)];
    expect(heap.regions.map((r) => [r.virt, r.length, r.phys])).toEqual(printedRegions.map((m) => [m[2], m[3], m[4]]));
    expect(heap.regions.every((r) => r.verified)).toBe(true);
  });

  it('decodes the control registers and reads memory, marking unmapped pages', async () => {
    const regs = await h.services.inspect.registers();
    expect(regs.mode).toBe('long');
    expect(regs.cr0?.set).toEqual(expect.arrayContaining(['PE', 'PG', 'WP']));
    expect(regs.efer?.set).toEqual(expect.arrayContaining(['LME', 'LMA', 'NXE']));
    const mem = await h.services.inspect.readMemory({ address: '0xdeadaff0', length: 32, space: 'virtual' });
    expect(mem.unmapped).toEqual(['0xdeada000', '0xdeadb000']);
    const vga = await h.services.inspect.readMemory({ address: '0xb8000', length: 160, space: 'physical' });
    expect(vga.unmapped).toEqual([]);
    expect(Buffer.from(vga.base64, 'base64').some((b) => b !== 0)).toBe(true);
    const heapBytes = await h.services.inspect.readMemory({ address: '0xffff800000000000', length: 4096, space: 'virtual' });
    expect(heapBytes.unmapped).toEqual([]);
  });

  it('saves, lists and restores a snapshot', async () => {
    const list = await h.services.snapshots.save({ name: 'ready' });
    expect(list.map((s) => s.name)).toContain('ready');
    const status = await h.services.snapshots.load({ name: 'ready' });
    expect(status.state).toBe('paused');
    expect(h.events.some((e) => e.event === 'snapshot.changed')).toBe(true);
    await expect(h.services.snapshots.load({ name: 'missing' })).rejects.toThrow(/no snapshot named 'missing'/);
  });
});

describe('the page-fault switch', () => {
  let sample: BuiltSample;
  let h: Harness;
  beforeAll(async () => {
    sample = await buildSampleCopy();
    h = await startHarness(sample, { paused: false, fault: 'page' });
  });
  afterAll(async () => {
    await h?.stop();
    sample?.remove();
  });

  it('reports CR2 and the source line of the faulting write', async () => {
    const status = await h.qemu.waitForState('faulted', 20_000);
    expect(status.fault?.cr2).toBe('0xdeadb000');
    const { source } = h.services.debug.locate({ address: status.fault!.rip! });
    expect(source?.file).toBe('kernel/src/phase2.rs');
    expect(source?.line).toBe(lineOf(sample.dir, 'kernel/src/phase2.rs', '(FAULT_ADDRESS as *mut u64).write_volatile(1)'));
  });
});
