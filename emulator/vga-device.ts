// The VGA text buffer and cursor read through QEMU (0xB8000 is device memory, not RAM).
// QMP pmemsave works whether the guest runs or not (the gdb stub would pause it), so the
// 30+ fps poll uses it; the cursor comes from the CRTC registers through HMP port I/O.
import { readFileSync } from 'node:fs';
import type { QmpClient } from './qmp/client';

export const VGA_TEXT_PHYS = 0xb8000;
export const VGA_TEXT_BYTES = 80 * 25 * 2;

export interface VgaCursor {
  /** cell index (row * 80 + column) */
  offset: number;
  visible: boolean;
}

/** The 4000 bytes of the 80×25 text buffer, via QMP pmemsave into `scratchFile`. */
export async function readVgaTextBytes(qmp: QmpClient, scratchFile: string): Promise<Uint8Array> {
  await qmp.execute('pmemsave', { val: VGA_TEXT_PHYS, size: VGA_TEXT_BYTES, filename: scratchFile });
  return new Uint8Array(readFileSync(scratchFile));
}

/**
 * The hardware cursor from CRTC registers 0x0A (cursor start; bit 5 hides it) and 0x0E/0x0F
 * (location). The CRTC index register is restored afterwards.
 */
export async function readVgaCursor(qmp: QmpClient): Promise<VgaCursor> {
  const [start, high, low] = await readCrtc(qmp, [0x0a, 0x0e, 0x0f]);
  return { offset: (high << 8) | low, visible: (start & 0x20) === 0 };
}

/** Only the cursor's cell index (CRTC 0x0E/0x0F): two registers fewer than `readVgaCursor`. */
export async function readVgaCursorOffset(qmp: QmpClient): Promise<number> {
  const [high, low] = await readCrtc(qmp, [0x0e, 0x0f]);
  return (high << 8) | low;
}

/** CRTC registers through the index/data ports 0x3D4/0x3D5, the index register restored afterwards. */
async function readCrtc(qmp: QmpClient, registers: number[]): Promise<number[]> {
  const index = await inb(qmp, 0x3d4);
  try {
    const values: number[] = [];
    for (const reg of registers) {
      await qmp.hmp(`o /b 0x3d4 0x${reg.toString(16)}`);
      values.push(await inb(qmp, 0x3d5));
    }
    return values;
  } finally {
    await qmp.hmp(`o /b 0x3d4 0x${index.toString(16)}`);
  }
}

const inb = (qmp: QmpClient, port: number) => readPort(qmp, port, 'b');
const inw = (qmp: QmpClient, port: number) => readPort(qmp, port, 'h'); // HMP: h = 16 bits, w = 32

async function readPort(qmp: QmpClient, port: number, width: 'b' | 'h'): Promise<number> {
  const text = await qmp.hmp(`i /${width} 0x${port.toString(16)}`);
  const m = /=\s*0x([0-9a-f]+)/i.exec(text);
  if (!m) throw new Error(`QEMU did not report I/O port 0x${port.toString(16)} (${text.trim()})`);
  return parseInt(m[1], 16);
}

/**
 * Whether the guest's display is in a graphics mode: the VGA Graphics Controller's Miscellaneous
 * register (index 6, bit 0) or the Bochs VBE "enable" register (index 4, bit 0) that QEMU's std VGA
 * uses for linear framebuffers. Index registers are restored afterwards.
 */
export async function readVgaMode(qmp: QmpClient): Promise<'text' | 'graphics'> {
  const gcIndex = await inb(qmp, 0x3ce);
  let misc: number;
  try {
    await qmp.hmp('o /b 0x3ce 0x6');
    misc = await inb(qmp, 0x3cf);
  } finally {
    await qmp.hmp(`o /b 0x3ce 0x${gcIndex.toString(16)}`);
  }
  if (misc & 1) return 'graphics';
  const vbeIndex = await inw(qmp, 0x1ce);
  try {
    await qmp.hmp('o /h 0x1ce 0x4');
    const enable = await inw(qmp, 0x1cf);
    return enable !== 0xffff && enable & 1 ? 'graphics' : 'text';
  } finally {
    await qmp.hmp(`o /h 0x1ce 0x${vbeIndex.toString(16)}`);
  }
}

