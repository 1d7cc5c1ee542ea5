// readVgaMode against a real QEMU: a boot sector that stays in text mode, and one that switches
// to mode 13h (320×200×256) through the BIOS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QemuSession } from './session';
import { readVgaMode } from './vga-device';

const dir = mkdtempSync(join(tmpdir(), 'longmode-vga-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A boot sector that optionally sets a BIOS video mode, then prints `done` on COM1 and halts. */
function bootSector(name: string, videoMode?: number): string {
  const source = join(dir, `${name}.asm`);
  writeFileSync(
    source,
    `bits 16
org 0x7c00
    xor ax, ax
    mov ds, ax
${videoMode === undefined ? '' : `    mov ax, 0x${videoMode.toString(16)}\n    int 0x10`}
    mov si, msg
.next:
    lodsb
    test al, al
    jz .halt
    mov dx, 0x3f8
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt
msg: db "done", 10, 0
times 510-($-$$) db 0
dw 0xaa55
`,
  );
  const image = join(dir, `${name}.img`);
  const nasm = spawnSync('nasm', ['-f', 'bin', '-o', image, source], { encoding: 'utf8' });
  if (nasm.status !== 0) throw new Error(`nasm failed: ${nasm.stderr}`);
  return image;
}

async function modeAfterBoot(image: string): Promise<'text' | 'graphics'> {
  const session = await QemuSession.start({ image, memory: '32M' });
  try {
    await session.waitForSerial('done', 20_000);
    return await readVgaMode(session.qmp);
  } finally {
    await session.stop();
  }
}

describe('readVgaMode', () => {
  it('reports text mode for a guest that keeps the BIOS text screen', async () => {
    expect(await modeAfterBoot(bootSector('text'))).toBe('text');
  });

  it('reports graphics mode after the guest switched to mode 13h', async () => {
    expect(await modeAfterBoot(bootSector('mode13', 0x13))).toBe('graphics');
  });
});
