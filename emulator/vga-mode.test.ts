// readVgaMode against a real QEMU: a boot sector that stays in text mode, and one that switches
// to mode 13h (320×200×256) through the BIOS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QemuSession } from './session';
import { bootSectorImage } from './testdata/boot-sector';
import { readVgaMode } from './vga-device';

const dir = mkdtempSync(join(tmpdir(), 'longmode-vga-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    expect(await modeAfterBoot(bootSectorImage(dir, 'text'))).toBe('text');
  });

  it('reports graphics mode after the guest switched to mode 13h', async () => {
    expect(await modeAfterBoot(bootSectorImage(dir, 'mode13', 0x13))).toBe('graphics');
  });
});
