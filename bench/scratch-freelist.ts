import { fileURLToPath } from 'node:url';
import { resolveBootTarget } from '../emulator/boot-target';
import { inspectRecordPhysFromElf } from '../emulator/live-inspection';
import { parseBootInfo, parseInspectRecord, usableRanges, walkFreeList } from '../emulator/inspect';
import { QemuSession } from '../emulator/session';
const root = fileURLToPath(new URL('..', import.meta.url));
const target = await resolveBootTarget({ workspace: `${root}/samples/seed-os` });
const session = await QemuSession.start({ image: target.image, memory: process.argv[2] ?? '128M' });
try {
  await session.waitForSerial(target.readySerial, 60_000);
  await session.pause();
  const record = parseInspectRecord(session.ram, inspectRecordPhysFromElf(target.kernelElf));
  const usable = usableRanges(parseBootInfo(session.ram, record.bootInfoPhys));
  const t = (label: string, fn: () => unknown) => { const times: number[] = []; for (let i = 0; i < 7; i++) { const s = performance.now(); fn(); times.push(performance.now() - s); } times.sort((a, b) => a - b); console.log(label, times[3].toFixed(1), 'ms'); };
  t('fresh cachedView', () => walkFreeList(session.ram.cachedView(), record.freeListHeadPhys, { expectedCount: record.freeFrameCount, usable }));
  const view = session.ram.cachedView();
  t('warm cachedView', () => walkFreeList(view, record.freeListHeadPhys, { expectedCount: record.freeFrameCount, usable }));
  t('fill cachedView only', () => { const v = session.ram.cachedView(); for (let a = 0x1c4000n; a < 0x7fe0000n; a += 0x10000n) v.read(a, 8); });
  t('1MiB reads reused buf', () => { const b = new Uint8Array(1 << 20); for (let a = 0x100000n; a < 0x8000000n; a += 0x100000n) session.ram.readInto(a, b); });
  t('1MiB reads reused buf + extract words', () => { const b = Buffer.allocUnsafe(1 << 20); const words = new BigUint64Array(32768); for (let a = 0x100000n; a < 0x8000000n; a += 0x100000n) { session.ram.readInto(a, b); const base = Number(a) / 4096; for (let o = 0; o < 256; o++) words[base + o] = b.readBigUInt64LE(o * 4096); } });
  t('1MiB reads reused buf + extract words as f64 pairs', () => { const b = Buffer.allocUnsafe(1 << 20); const lo = new Uint32Array(32768), hi = new Uint32Array(32768); for (let a = 0x100000; a < 0x8000000; a += 0x100000) { session.ram.readInto(BigInt(a), b); const base = a / 4096; for (let o = 0; o < 256; o++) { lo[base + o] = b.readUInt32LE(o * 4096); hi[base+o] = b.readUInt32LE(o*4096+4); } } });
  t('64K allocUnsafe chunks', () => { for (let a = 0x100000n; a < 0x8000000n; a += 0x10000n) session.ram.readInto(a, Buffer.allocUnsafe(65536)); });
  t('8-byte reads', () => { const b = new Uint8Array(8); for (let a = 0x1c4000n; a < 0x7fe0000n; a += 0x1000n) session.ram.readInto(a, b); });
} finally { await session.stop(); }
