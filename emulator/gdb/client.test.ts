// The gdb remote-protocol client against QEMU's real gdb stub, on the tiny long-mode test OS.
import { describe, expect, it } from 'vitest';
import { useTinySession } from '../testdata/tiny-session';
import { encodePacket, decodePayload, PacketParser } from './packets';

describe('packets', () => {
  it('frames, escapes and checksums', () => {
    expect(encodePacket('g')).toBe('$g#67');
    expect(encodePacket('a}b#')).toBe('$a}]b}\x03#' + encodePacket('a}b#').slice(-2));
    expect(decodePayload('0* ')).toBe('0000'); // run-length: ' ' is 3 more repeats
    const parser = new PacketParser();
    expect(parser.push('+$O')).toEqual([]);
    expect(parser.push('K#9a$E01#a')).toEqual([{ payload: 'OK', valid: true }]);
    expect(parser.push('6')).toEqual([{ payload: 'E01', valid: true }]);
    expect(parser.push('$OK#00')).toEqual([{ payload: 'OK', valid: false }]);
  });
});

describe('GdbClient on a real QEMU', () => {
  const tinySession = useTinySession();

  it('reads the register layout from target.xml, with control registers and EFER', async () => {
    const session = tinySession();
    const names = (await session.gdb.registerLayout()).map((r) => r.name);
    for (const name of ['rax', 'r15', 'rip', 'eflags', 'cs', 'fs_base', 'gs_base', 'cr0', 'cr2', 'cr3', 'cr4', 'efer']) {
      expect(names).toContain(name);
    }
    // QEMU 7.2 comments these out of i386-64bit.xml: counting them would shift every later register.
    expect(names).not.toContain('ss_base');
  });

  it('stops at a hardware breakpoint, then a software breakpoint, and steps', async () => {
    const session = tinySession();
    const gdb = session.gdb;
    await gdb.insertBreakpoint(0x7c00n, 'hardware'); // the boot sector's first instruction
    await gdb.insertBreakpoint(0x7e00n, 'software'); // stage 2, loaded by the boot sector
    let stop = await gdb.continue(10_000);
    expect(stop.signal).toBe(5);
    expect((await gdb.readRegisters()).rip).toBe(0x7c00n);
    // Like gdb, lift the breakpoint we stand on before continuing (it would hit again at once).
    await gdb.removeBreakpoint(0x7c00n, 'hardware');
    stop = await gdb.continue(10_000);
    expect(stop.signal).toBe(5);
    const at = await gdb.readRegisters();
    expect(at.rip).toBe(0x7e00n);
    expect(at.cr0 & 1n).toBe(0n); // still real mode
    await gdb.step();
    expect((await gdb.readRegisters()).rip).toBe(0x7e02n); // in al, 0x92 is two bytes
    await gdb.removeBreakpoint(0x7e00n, 'software');
  });

  it('interrupts a running guest', async () => {
    const session = tinySession();
    const gdb = session.gdb;
    const stopped = gdb.continue(10_000);
    await session.waitForSerial('long mode OK', 10_000);
    await gdb.interrupt();
    await stopped;
    const regs = await gdb.readRegisters();
    expect(regs.efer & 0x400n).toBe(0x400n); // LMA: it reached long mode
    expect(regs.cr3).toBe(0x1000n);
  });

  it('reads physical memory and virtual memory through the page tables', async () => {
    const session = tinySession();
    const gdb = session.gdb;
    const pml4 = await gdb.readMemory(0x1000n, 4096, { physical: true });
    expect(Buffer.from(pml4)).toEqual(Buffer.from(session.ram.read(0x1000n, 4096)!));
    // PML4[510] is the recursive entry: virtual 0xffffff7fbfdfe000 is the PML4 itself.
    const recursive = await gdb.readMemory(0xffff_ff7f_bfdf_e000n, 4096);
    expect(Buffer.from(recursive)).toEqual(Buffer.from(pml4));
    await expect(gdb.readMemory(0x4000_0000n, 16)).rejects.toThrow(/cannot read 16 bytes of guest virtual memory at 0x40000000/);
  });

  it('detaches and lets the guest run on', async () => {
    const session = tinySession();
    await session.gdb.detach();
    const status = await session.qmp.execute('query-status');
    expect(status.running).toBe(true);
    expect(session.gdb.isClosed).toBe(true);
  });
});
