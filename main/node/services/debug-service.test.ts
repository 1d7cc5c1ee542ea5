// The debugger against the real sample in a real QEMU: breakpoints set before the guest runs (a
// bootloader line through the NASM listing, a phase-2 line whose high-half alias is armed while
// the kernel boots), step over a call in real mode and in the kernel, and a stage-2 breakpoint
// that a reset hits again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmStopped } from '../../common/contract';
import { buildSampleCopy, startHarness, type BuiltSample, type Harness } from './inspection.test-support';

const PHASE2 = 'kernel/src/phase2.rs';
const STAGE2 = 'boot/stage2.asm';

let sample: BuiltSample;
let h: Harness;
const lineOf = (file: string, text: string) => readFileSync(join(sample.dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

async function continueToStop(): Promise<VmStopped> {
  const stopped = h.nextEvent('vm.stopped', 60_000);
  await h.services.debug.continue();
  return stopped;
}

describe('the debugger on the sample OS', () => {
  beforeAll(async () => {
    sample = await buildSampleCopy();
    h = await startHarness(sample, { paused: true });
  });
  afterAll(async () => {
    await h?.stop();
    sample?.remove();
  });

  it('resolves a bootloader line from the listing and a kernel line from DWARF before the guest runs', async () => {
    const readKernel = lineOf(STAGE2, 'call read_kernel');
    const boot = await h.services.debug.setBreakpoints({ file: STAGE2, lines: [readKernel] });
    expect(boot.breakpoints[0]).toMatchObject({ line: readKernel, verified: true });
    expect(BigInt(boot.breakpoints[0].addresses[0])).toBeGreaterThanOrEqual(0x7e00n);
    const unmap = lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);');
    const kernel = await h.services.debug.setBreakpoints({ file: PHASE2, lines: [unmap] });
    expect(kernel.breakpoints[0]).toMatchObject({ line: unmap, verified: true });
    const outside = await h.services.debug.setBreakpoints({ file: 'boot/nowhere.asm', lines: [3] });
    expect(outside.breakpoints[0].message).toMatch(/not part of any bootloader stage/);
  });

  it('stops on the stage-2 line, in real mode', async () => {
    const stopped = await continueToStop();
    expect(stopped).toMatchObject({ reason: 'breakpoint', source: { file: STAGE2, line: lineOf(STAGE2, 'call read_kernel') } });
    expect(h.qemu.state).toBe('paused');
  });

  it('steps over a real-mode call to the next line', async () => {
    const stopped = await h.services.debug.stepOver();
    expect(stopped.source).toEqual({ file: STAGE2, line: lineOf(STAGE2, 'call read_e820') });
  });

  it('stops on the phase-2 line at its high-half address, armed while the kernel booted', async () => {
    const stopped = await continueToStop();
    expect(stopped.source).toEqual({ file: PHASE2, line: lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);') });
    expect(BigInt(stopped.rip)).toBeGreaterThanOrEqual(0xffff_ffff_8000_0000n);
    // the arming stops were silent: the only announced stops are the two breakpoints and the step
    expect(h.events.filter((e) => e.event === 'vm.stopped')).toHaveLength(3);
  });

  it('steps over the call on that line to a later line', async () => {
    const stopped = await h.services.debug.stepOver();
    expect(stopped.source?.file).toBe(PHASE2);
    expect(stopped.source!.line).toBeGreaterThan(lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);'));
  });

  it('hits the stage-2 breakpoint again after a reset, and says the guest is paused', async () => {
    await h.services.debug.setBreakpoints({ file: PHASE2, lines: [] });
    const stopped = h.nextEvent('vm.stopped', 60_000);
    await h.qemu.reset();
    expect(await stopped).toMatchObject({ reason: 'breakpoint', source: { file: STAGE2 } });
    await h.qemu.waitForState('paused', 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.qemu.state).toBe('paused');
  });
});
