// The sample's own promises, checked with the real tools: it builds without Longmode (nasm, cargo
// and tools/mkimage.sh, as its README says), boots at 64 MiB, 128 MiB and 1 GiB to `phase 2: ready`
// with its summary lines, and each fault switch reports on serial. The guest's memory (record,
// free list, heap, page tables) is checked in emulator/seed-os.inspect.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QemuSession, type SessionOptions } from '../../emulator/session';
import { loadManifest, PT_LOAD, readElf, SECTOR_SIZE, type Manifest } from '../../toolchain';
import { SEED_OS, tempWorkspace, type TempWorkspace } from '../../toolchain/test-support';

const BANNER = 'Longmode seed-os: phase 2';
const READY = 'phase 2: ready\r\n';
const HIGH_HALF = 0xffff_8000_0000_0000n;
const run = promisify(execFile);
const KERNEL_ELF = 'kernel/target/x86_64-unknown-linux-gnu/release/kernel';

let sample: TempWorkspace;
let image: string;

beforeAll(async () => {
  sample = await tempWorkspace(SEED_OS, ['build', 'target', '.longmode']);
  try {
    await run('sh', ['tools/mkimage.sh'], { cwd: sample.dir, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`tools/mkimage.sh failed:\n${(err as { stderr?: string }).stderr ?? err}`);
  }
  image = join(sample.dir, 'build/seed-os.img');
}, 180_000);
afterAll(() => sample?.remove());

async function withGuest(options: Omit<SessionOptions, 'image'>, body: (guest: QemuSession) => Promise<void>): Promise<void> {
  const guest = await QemuSession.start({ image, ...options });
  try {
    await body(guest);
  } finally {
    await guest.stop();
  }
}

function lineValue(serial: string, label: string): string {
  const match = new RegExp(`^${label}: (\\S+)\\r?$`, 'm').exec(serial);
  if (!match) throw new Error(`serial has no "${label}: …" line:\n${serial}`);
  return match[1];
}

function exceptionLine(serial: string): string {
  return serial.split(/\r?\n/).find((l) => l.startsWith('EXCEPTION')) ?? '';
}

/** CPU time (user + system) the QEMU process has used, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('building without Longmode (tools/mkimage.sh)', () => {
  let manifest: Manifest;
  beforeAll(async () => {
    manifest = await loadManifest(sample.dir);
  });
  const piece = (artifact: string) => manifest.image.pieces.find((p) => p.artifact === artifact)!;
  const slot = (artifact: string) => {
    const { lba, sectors } = piece(artifact);
    return readFileSync(image).subarray(lba * SECTOR_SIZE, (lba + sectors) * SECTOR_SIZE);
  };

  it('makes an image of the size longmode.json gives, with both stages where it puts them', () => {
    expect(readFileSync(image).length).toBe(manifest.image.sectors * SECTOR_SIZE);
    const stage1 = slot('stage1');
    expect(stage1.readUInt16LE(510)).toBe(0xaa55);
    expect(stage1.subarray(0, 512)).toEqual(readFileSync(join(sample.dir, 'build/stage1.bin')));
    const stage2 = readFileSync(join(sample.dir, 'build/stage2.bin'));
    expect(slot('stage2').subarray(0, stage2.length)).toEqual(stage2);
  });

  it('puts a stripped copy of the kernel in its slot and keeps symbols and DWARF in the unstripped ELF', () => {
    const full = readElf(readFileSync(join(sample.dir, KERNEL_ELF)));
    const stripped = readElf(slot('kernel'));
    expect(stripped.header.entry).toBe(full.header.entry);
    const loads = (elf: typeof full) => elf.programHeaders.filter((p) => p.type === PT_LOAD).map(({ vaddr, paddr, memsz, filesz }) => ({ vaddr, paddr, memsz, filesz }));
    expect(loads(stripped)).toEqual(loads(full));
    expect(stripped.findSymbol('LONGMODE_INSPECT')).toBeUndefined();
    expect(full.findSymbol('LONGMODE_INSPECT')).toBeDefined();
    expect(full.section('.debug_line')).toBeDefined();
  });
});

describe.each(['64M', '128M', '1G'])('seed-os with %s of RAM', (memory) => {
  it('reaches phase 2 in the high half and prints its summary', async () => {
    await withGuest({ memory }, async (guest) => {
      await guest.waitForSerial(READY, 30_000);
      const serial = guest.serialText();
      expect(serial.indexOf(BANNER)).toBeGreaterThanOrEqual(0);
      expect(serial.indexOf(BANNER)).toBeLessThan(serial.indexOf(READY));
      expect(serial).not.toMatch(/EXCEPTION|PANIC/);
      expect(BigInt(lineValue(serial, 'phase 2 rip'))).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(BigInt(lineValue(serial, 'phase 2 rsp'))).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(BigInt(lineValue(serial, 'kernel high base'))).toBeGreaterThanOrEqual(HIGH_HALF);
      expect(Number(lineValue(serial, 'free frames'))).toBeGreaterThan(0);
      expect(Number(lineValue(serial, 'heap regions'))).toBeGreaterThan(0);
      expect(lineValue(serial, 'recursive index')).toBe('510');
      expect(serial).toMatch(/^vtable check: \d+ free frames, \d+ heap regions, recursive entry 510 at 0x[0-9a-f]+\r?$/m);
      expect(guest.state).toBe('running');
    });
  });
});

describe('fault switches (fw_cfg opt/longmode/fault)', () => {
  it('page: reports the page fault with the touched address in CR2', async () => {
    await withGuest({ fault: 'page' }, async (guest) => {
      const status = await guest.waitForState('faulted', 30_000); // once the whole EXCEPTION line is in
      const serial = guest.serialText();
      expect(exceptionLine(serial)).toMatch(/^EXCEPTION vector=14 name=page-fault error=0x2 rip=0xffffffff8[0-9a-f]{7} cr2=0xdeadb000$/);
      expect(serial.indexOf(READY)).toBeLessThan(serial.indexOf('EXCEPTION'));
      expect(status.fault).toMatchObject({ kind: 'exception', vector: 14, cr2: '0xdeadb000' });
    });
  });

  it('triple: a triple fault without an EXCEPTION line (QEMU keeps the machine for inspection)', async () => {
    await withGuest({ fault: 'triple' }, async (guest) => {
      await guest.waitForSerial('fault switch: triple', 30_000);
      const status = await guest.waitForState('faulted', 10_000);
      expect(status.fault?.kind).toBe('triple-fault');
      expect(guest.serialText()).not.toContain('EXCEPTION');
    });
  });

  it('triple: QEMU exits when run with the README\'s command line (-no-reboot)', async () => {
    const readmeCommand = ['-m', '128M', '-drive', `file=${image},format=raw`, '-serial', 'stdio', '-display', 'none', '-no-reboot'];
    const { stdout } = await run('qemu-system-x86_64', [...readmeCommand, '-fw_cfg', 'name=opt/longmode/fault,string=triple'], { timeout: 30_000, killSignal: 'SIGKILL' });
    expect(stdout).toContain('fault switch: triple');
    expect(stdout).not.toContain('EXCEPTION');
  });

  it('double: a stack overflow becomes a double fault handled on its IST stack', async () => {
    await withGuest({ fault: 'double' }, async (guest) => {
      const status = await guest.waitForState('faulted', 30_000); // once the whole EXCEPTION line is in
      expect(exceptionLine(guest.serialText())).toMatch(/^EXCEPTION vector=8 name=double-fault error=0x0 rip=0xffffffff8[0-9a-f]{7} cr2=0xfffffe7ffffffff8$/);
      expect(status.fault).toMatchObject({ kind: 'exception', vector: 8 });
    });
  });

  it('spin: keeps the CPU busy instead of halting', async () => {
    await withGuest({ fault: 'spin' }, async (guest) => {
      await guest.waitForSerial('fault switch: spin', 30_000);
      const before = cpuSeconds(guest.pid);
      await delay(1_500);
      expect(guest.state).toBe('running');
      expect(cpuSeconds(guest.pid) - before).toBeGreaterThan(0.4);
    });
  });

  it('none: the idle kernel halts (uses almost no CPU)', async () => {
    await withGuest({}, async (guest) => {
      await guest.waitForSerial(READY, 30_000);
      const before = cpuSeconds(guest.pid);
      await delay(1_500);
      expect(guest.state).toBe('running');
      expect(cpuSeconds(guest.pid) - before).toBeLessThan(0.3);
    });
  });
});

describe('bootloader failures', () => {
  it('says "no long mode" on a 32-bit CPU', async () => {
    await withGuest({ memory: '64M', extraArgs: ['-cpu', 'qemu32'] }, async (guest) => {
      await guest.waitForSerial('no long mode', 30_000);
    });
  });
});
