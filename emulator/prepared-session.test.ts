// A QEMU started on an empty private disk before the image exists, against the real QEMU and the
// tiny test OS: filled in after spawn it boots; otherwise it is stopped and leaves nothing behind.
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparedSession } from './prepared-session';
import { buildTinyImage, TINY_BANNER, type TinyImage } from './testdata/tiny-image';

let image: TinyImage;
let imageBytes: number;

beforeAll(() => {
  image = buildTinyImage();
  imageBytes = statSync(image.path).size;
});

afterAll(() => image?.dispose());

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('PreparedSession', () => {
  it('boots the image written into its disk after QEMU opened it', async () => {
    const prepared = await PreparedSession.start({ diskBytes: imageBytes, memory: '32M' });
    const dir = prepared.sessionDir;
    expect(statSync(`${dir}/disk.img`).size).toBe(imageBytes);
    const session = await prepared.boot(image.path, false);
    expect(session).toBeDefined();
    try {
      await session!.waitForSerial(TINY_BANNER, 10_000);
      expect(session!.state).toBe('running');
    } finally {
      await session!.stop();
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('stops QEMU and removes its folder when the image does not fit the prepared disk', async () => {
    const prepared = await PreparedSession.start({ diskBytes: imageBytes + 512, memory: '32M' });
    const { pid, sessionDir } = prepared;
    expect(await prepared.boot(image.path, false)).toBeUndefined();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(sessionDir)).toBe(false);
  });

  it('stops QEMU and removes its folder when discarded (the build failed)', async () => {
    const prepared = await PreparedSession.start({ diskBytes: imageBytes, memory: '32M' });
    const { pid, sessionDir } = prepared;
    expect(isRunning(pid)).toBe(true);
    await prepared.discard();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(sessionDir)).toBe(false);
    await expect(prepared.boot(image.path, false)).rejects.toThrow(/already booted or discarded/);
  });
});
