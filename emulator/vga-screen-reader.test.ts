// The cheap VGA poll: against the real QEMU on the tiny OS (same screen and cursor as the full
// reads, and which QEMU reads each poll makes as time passes), plus the text-changed rule with a
// scripted screen, since the tiny OS never rewrites its screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QemuSession } from './session';
import { buildTinyImage, type TinyImage } from './testdata/tiny-image';
import type { VgaCursor } from './vga-device';
import { CURSOR_RECHECK_MS, MODE_RECHECK_MS, sessionVgaSource, VgaScreenReader, type VgaSource } from './vga-screen-reader';

type Calls = Record<keyof VgaSource, number>;

/** `source` with each read counted. */
function counted(source: VgaSource): { source: VgaSource; calls: Calls; reset(): void } {
  const calls: Calls = { mode: 0, text: 0, cursor: 0, cursorOffset: 0 };
  const count = <K extends keyof VgaSource>(name: K) =>
    (() => {
      calls[name]++;
      return source[name]();
    }) as VgaSource[K];
  return {
    source: { mode: count('mode'), text: count('text'), cursor: count('cursor'), cursorOffset: count('cursorOffset') },
    calls,
    reset: () => Object.assign(calls, { mode: 0, text: 0, cursor: 0, cursorOffset: 0 }),
  };
}

describe('VgaScreenReader on the tiny OS', () => {
  let image: TinyImage;
  let session: QemuSession;

  beforeAll(async () => {
    image = buildTinyImage();
    session = await QemuSession.start({ image: image.path, memory: '32M' });
    await session.waitForSerial('long mode OK', 10_000);
  });
  afterAll(async () => {
    await session?.stop();
    image?.dispose();
  });

  it('reads what the full reads see, then only what is due', async () => {
    let now = 1000;
    const qemu = counted(sessionVgaSource(session));
    const reader = new VgaScreenReader(qemu.source, () => now);

    const first = await reader.read();
    expect(first.mode).toBe('text');
    if (first.mode !== 'text') return;
    expect(Buffer.from(first.bytes)).toEqual(Buffer.from(await session.readVgaText()));
    expect(first.cursor).toEqual(await session.readVgaCursor());
    expect(qemu.calls).toEqual({ mode: 1, text: 1, cursor: 1, cursorOffset: 0 });

    qemu.reset();
    now += CURSOR_RECHECK_MS - 1;
    expect(await reader.read()).toEqual(first); // unchanged screen, nothing due: one pmemsave
    expect(qemu.calls).toEqual({ mode: 0, text: 1, cursor: 0, cursorOffset: 0 });

    qemu.reset();
    now += 1;
    expect(await reader.read()).toEqual(first);
    expect(qemu.calls).toEqual({ mode: 0, text: 1, cursor: 0, cursorOffset: 1 });

    qemu.reset();
    now += MODE_RECHECK_MS;
    expect(await reader.read()).toEqual(first);
    expect(qemu.calls).toEqual({ mode: 1, text: 1, cursor: 1, cursorOffset: 0 });

    qemu.reset();
    reader.invalidate(); // e.g. the guest was paused or reset
    await reader.read();
    expect(qemu.calls).toEqual({ mode: 1, text: 1, cursor: 1, cursorOffset: 0 });
  });
});

describe('VgaScreenReader on a scripted screen', () => {
  it('reads the cursor location again as soon as the text changes', async () => {
    let text = new Uint8Array(4000);
    let cursor: VgaCursor = { offset: 0, visible: true };
    const screen = counted({
      mode: async () => 'text',
      text: async () => text,
      cursor: async () => cursor,
      cursorOffset: async () => cursor.offset,
    });
    const reader = new VgaScreenReader(screen.source, () => 0);
    await reader.read();
    text = new Uint8Array(4000).fill(0x41);
    cursor = { offset: 80, visible: true };
    screen.reset();
    expect(await reader.read()).toMatchObject({ mode: 'text', cursor: { offset: 80, visible: true } });
    expect(screen.calls).toEqual({ mode: 0, text: 1, cursor: 0, cursorOffset: 1 });
  });

  it('reads nothing but the mode while the guest is in a graphics mode', async () => {
    const screen = counted({
      mode: async () => 'graphics',
      text: async () => new Uint8Array(4000),
      cursor: async () => ({ offset: 0, visible: true }),
      cursorOffset: async () => 0,
    });
    let now = 0;
    const reader = new VgaScreenReader(screen.source, () => now);
    expect(await reader.read()).toEqual({ mode: 'graphics' });
    now += MODE_RECHECK_MS - 1;
    expect(await reader.read()).toEqual({ mode: 'graphics' }); // the screendump is the caller's
    now += 1;
    expect(await reader.read()).toEqual({ mode: 'graphics' });
    expect(screen.calls).toEqual({ mode: 2, text: 0, cursor: 0, cursorOffset: 0 });
  });
});
