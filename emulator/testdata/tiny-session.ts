// A QEMU session on the tiny test OS for one describe block: started (paused, 32 MiB) before its
// tests, stopped and its image removed after them.
import { afterAll, beforeAll } from 'vitest';
import { QemuSession } from '../session';
import { buildTinyImage, type TinyImage } from './tiny-image';

/** Registers beforeAll/afterAll; call the returned function inside a test to get the session. */
export function useTinySession(): () => QemuSession {
  let image: TinyImage | undefined;
  let session: QemuSession | undefined;
  beforeAll(async () => {
    image = buildTinyImage();
    session = await QemuSession.start({ image: image.path, memory: '32M', paused: true });
  });
  afterAll(async () => {
    await session?.stop();
    image?.dispose();
  });
  return () => {
    if (!session) throw new Error('the tiny-OS session did not start (see the beforeAll error)');
    return session;
  };
}
