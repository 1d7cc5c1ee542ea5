// The IDE's VGA frames from a real QEMU: text cells in text mode, a screendump PNG in a graphics mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootSectorImage } from '../../../emulator/testdata/boot-sector';
import { emulatorBackend } from './emulator-adapter';

const dir = mkdtempSync(join(tmpdir(), 'longmode-adapter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function firstFrame(image: string) {
  const session = await emulatorBackend.start({ image, memory: '32M', paused: false });
  try {
    await session.qemu!.waitForSerial('done', 20_000);
    return await session.readVga();
  } finally {
    await session.stop();
  }
}

describe('VGA frames', () => {
  it('are text cells while the guest is in text mode', async () => {
    const frame = await firstFrame(bootSectorImage(dir, 'text'));
    expect(frame.graphics).toBeUndefined();
    expect(frame.text).toHaveLength(80 * 25);
  });

  it('are a screendump PNG once the guest switched to a graphics mode', async () => {
    const frame = await firstFrame(bootSectorImage(dir, 'mode13', 0x13));
    expect(frame.text).toBe('');
    const png = Buffer.from(frame.graphics!.pngBase64, 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // mode 13h is 320×200 with doubled pixels: QEMU's screendump is 640×400
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 400]);
  });
});
