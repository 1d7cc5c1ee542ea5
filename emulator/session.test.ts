// The QEMU session against the real QEMU, on the tiny long-mode test OS (emulator/testdata).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QemuSession, type SessionStatus } from './session';
import { isProcessAlive } from './qemu/session-dir';
import { buildTinyImage, TINY_BANNER, TINY_RX_BUFFER, type TinyImage } from './testdata/tiny-image';

let image: TinyImage;
beforeAll(() => {
  image = buildTinyImage();
});
afterAll(() => image?.dispose());

function ramHash(session: QemuSession, start = 0n, length = 0xa0000): string {
  return createHash('sha256').update(session.ram.read(start, length)!).digest('hex');
}

describe('QemuSession on the tiny OS', () => {
  let session: QemuSession;
  const states: SessionStatus['state'][] = [];

  beforeAll(async () => {
    session = await QemuSession.start({ image: image.path, memory: '32M', paused: true });
    session.on('state', (s) => states.push(s.state));
  });
  afterAll(() => session?.stop());

  it('starts paused, runs on resume, prints its banner on serial', async () => {
    expect(session.state).toBe('paused');
    await session.resume();
    await session.waitForSerial(TINY_BANNER + '\r\n', 10_000);
    expect(session.state).toBe('running');
    expect(session.serialText()).toBe(TINY_BANNER + '\r\n');
  });

  it('sends serial input to COM1 (the guest echoes it and stores it in RAM)', async () => {
    session.writeSerial('hello');
    await session.waitForSerial(TINY_BANNER + '\r\nhello', 5000);
    await session.pause();
    const count = session.ram.readU64(TINY_RX_BUFFER)!;
    expect(count).toBe(5n);
    expect(Buffer.from(session.ram.read(TINY_RX_BUFFER + 8n, 5)!).toString()).toBe('hello');
  });

  it('emits every pause and resume as a state event, in order', async () => {
    states.length = 0;
    await session.resume();
    await session.pause();
    await session.resume();
    await session.pause();
    expect(states).toEqual(['running', 'paused', 'running', 'paused']);
  });

  it('reads registers, including control registers and EFER, once paused', async () => {
    const regs = await session.registers();
    expect(regs.cr3).toBe(0x1000n);
    expect(regs.cr0 & 0x8000_0001n).toBe(0x8000_0001n); // PG, PE
    expect(regs.cr4 & 0x20n).toBe(0x20n); // PAE
    expect(regs.efer & 0xd00n).toBe(0xd00n); // LME, LMA, NXE
    expect(regs.cs).toBe(0x08n);
    expect(regs.rsp).toBeLessThanOrEqual(0x7c00n);
    expect(regs.rip).toBeGreaterThan(0x7e00n);
    expect(regs.rip).toBeLessThan(0x8400n);
    expect(regs).toHaveProperty('fs_base');
    expect(regs).toHaveProperty('gs_base');
    expect(regs).toHaveProperty('cr2');
  });

  it('refuses to read registers while the guest runs, saying what to do', async () => {
    await session.resume();
    await expect(session.registers()).rejects.toThrow(/pause it first/);
    await session.pause();
  });

  it('reads the same bytes from the RAM file and the gdb stub, physically and through the high alias', async () => {
    const fromFile = session.ram.read(0x7c00n, 4096)!;
    const physical = await session.readMemory(0x7c00n, 4096, { physical: true });
    const virtualLow = await session.readMemory(0x7c00n, 4096);
    const virtualHigh = await session.readMemory(0xffff_ff80_0000_7c00n, 4096);
    expect(Buffer.from(physical)).toEqual(Buffer.from(fromFile));
    expect(Buffer.from(virtualLow)).toEqual(Buffer.from(fromFile));
    expect(Buffer.from(virtualHigh)).toEqual(Buffer.from(fromFile));
    expect(fromFile[510 - 0]).toBe(0x55); // 0x7dfe: the boot signature
  });

  it('keeps running when resumed while gdb requests and stop replies are still under way', async () => {
    for (let i = 0; i < 5; i++) {
      await session.resume();
      await session.pause(); // a stop reply arrives on the gdb socket for this (no ack goes back)
      const memory = session.readMemory(0n, 256 * 1024, { physical: true }); // 128 packets, still under way when resumed
      await session.resume();
      expect((await memory).length).toBe(256 * 1024);
      await new Promise((r) => setTimeout(r, 20));
      const status = (await session.qmp.execute('query-status')) as { running: boolean; status: string };
      expect(status, `round ${i}`).toMatchObject({ running: true, status: 'running' });
    }
    await session.pause();
  });

  it('reads VGA text and the cursor through QEMU while the guest runs', async () => {
    await session.resume();
    const bytes = await session.readVgaText();
    const row0 = Array.from({ length: TINY_BANNER.length }, (_, i) => String.fromCharCode(bytes[i * 2])).join('');
    expect(row0).toBe(TINY_BANNER);
    expect(bytes[1]).toBe(0x1e);
    expect(bytes[TINY_BANNER.length * 2]).toBe(0x20);
    expect(await session.readVgaCursor()).toEqual({ offset: 80, visible: true });
    expect(session.state).toBe('running');
    await session.pause();
  });

  it('restores a snapshot with identical RAM', async () => {
    const before = ramHash(session);
    await session.saveSnapshot('phase-a');
    expect((await session.listSnapshots()).map((s) => s.name)).toContain('phase-a');
    await session.resume();
    session.writeSerial('changed');
    await session.waitForSerial('hellochanged', 5000);
    await session.pause();
    expect(ramHash(session)).not.toBe(before);
    await session.loadSnapshot('phase-a');
    expect(session.state).toBe('paused');
    expect(ramHash(session)).toBe(before);
    expect(session.ram.readU64(TINY_RX_BUFFER)).toBe(5n);
  });

  it('takes a PNG screenshot', async () => {
    const png = await session.screendumpPng();
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
  });
});

describe('faults and stopping', () => {
  it('reports a triple fault as faulted with the exception that started it', async () => {
    const session = await QemuSession.start({ image: image.path, memory: '32M' });
    try {
      await session.waitForSerial(TINY_BANNER, 10_000);
      const faulted = session.waitForState('faulted', 10_000);
      session.writeSerial('P');
      const status = await faulted;
      expect(status.fault).toMatchObject({ kind: 'triple-fault', vector: 14, name: 'Page fault', cr2: '0x40000000' });
      await expect(session.resume()).rejects.toThrow(/reset it/);
      // The machine is kept for inspection, and a reset brings it back.
      expect((await session.registers()).cr3).toBe(0x1000n);
      await session.reset();
      await session.waitForSerial(TINY_BANNER, 10_000);
      expect(session.state).toBe('running');
    } finally {
      await session.stop();
    }
  });

  it('stop leaves no QEMU process, socket, RAM file or folder', async () => {
    const session = await QemuSession.start({ image: image.path, memory: '32M' });
    const { pid, paths } = session;
    expect(existsSync(paths.ram)).toBe(true);
    expect(existsSync(paths.qmp)).toBe(true);
    const states: string[] = [];
    session.on('state', (s) => states.push(s.state));
    await session.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(paths.dir)).toBe(false);
    expect(states).toEqual(['exited']);
    await session.stop(); // safe twice
    expect(() => session.writeSerial('x')).toThrow(/boot it again/);
  });

  it('says how to fix a missing image or QEMU', async () => {
    await expect(QemuSession.start({ image: '/nonexistent/os.img' })).rejects.toThrow(/build the workspace first/);
    await expect(QemuSession.start({ image: image.path, qemuPath: '/nonexistent/qemu-system-x86_64' })).rejects.toThrow(/apt-get install qemu-system-x86/);
  });
});
