// Emulator benchmarks, side by side on one paused guest (the sample OS at phase 2, or the tiny
// test OS when the sample does not build): page-table walk over the RAM file vs QMP `info tlb`;
// RAM read throughput, RAM file vs gdb `m` packets; free-list walk; VGA poll rate.
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolveBootTarget } from '../emulator/boot-target';
import { readVgaScreen } from '../emulator/live-inspection';
import { inspectRecordPhysFromElf } from '../emulator/live-inspection';
import { parseBootInfo, parseInspectRecord, usableRanges, walkFreeList, walkPageTables, type PhysReader } from '../emulator/inspect';
import { QemuSession } from '../emulator/session';
import { MODE_RECHECK_MS, sessionVgaSource, VgaScreenReader } from '../emulator/vga-screen-reader';
import { buildTinyImage, TINY_BANNER } from '../emulator/testdata/tiny-image';
import { writeResultsSection } from './results-file';

const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

/** Median milliseconds per run of `fn`, repeated for at least `minMs` (and at least 3 runs). */
/** The mean cost of the IDE's VGA poll (emulator/vga-screen-reader.ts) with a clock that advances `stepMs` per poll. */
async function pollMs(session: QemuSession, stepMs: number): Promise<number> {
  let now = 0;
  const reader = new VgaScreenReader(sessionVgaSource(session), () => now);
  const polls = 300;
  const start = performance.now();
  for (let i = 0; i < polls; i++, now += stepMs) await reader.read();
  return (performance.now() - start) / polls;
}

async function timeIt(fn: () => unknown, minMs = 400): Promise<{ ms: number; runs: number }> {
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 3 || performance.now() - start < minMs) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[samples.length >> 1], runs: samples.length };
}

const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3)) + ' ms';
const verdict = (ratio: number, target: number) => `${ratio.toFixed(0)}× (target ≥ ${target}×: ${ratio >= target ? 'met' : 'NOT met'})`;

async function bootGuest(): Promise<{ session: QemuSession; guest: string; elf?: string; dispose(): void }> {
  try {
    const target = await resolveBootTarget({ workspace: `${root}/samples/seed-os` });
    const session = await QemuSession.start({ image: target.image, memory: target.memory });
    await session.waitForSerial(target.readySerial, 60_000);
    return { session, guest: 'samples/seed-os at phase 2', elf: target.kernelElf, dispose: () => undefined };
  } catch (err) {
    console.error(`bench: the sample OS is not usable (${(err as Error).message.split('\n')[0]}); using the tiny test OS`);
    const tiny = buildTinyImage();
    const session = await QemuSession.start({ image: tiny.path, memory: '128M' });
    await session.waitForSerial(TINY_BANNER, 10_000);
    return { session, guest: 'emulator/testdata/tiny-longmode (sample OS unavailable)', dispose: tiny.dispose };
  }
}

async function main(): Promise<void> {
  const { session, guest, elf, dispose } = await bootGuest();
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    await session.pause();
    const regs = await session.registers();
    const nxe = (regs.efer & (1n << 11n)) !== 0n;

    // 1. page-table walk vs info tlb
    let mappings = 0;
    // a fresh cached view per run: each walk pays for reading the RAM file
    const walk = await timeIt(() => (mappings = walkPageTables(session.ram.cachedView(), regs.cr3, { nxe }).mappings.length));
    const tlb = await timeIt(() => session.qmp.hmp('info tlb'));
    rows.push(`| page-table walk (RAM file, ${mappings} merged mappings) | ${fmt(walk.ms)} | QMP \`info tlb\`: ${fmt(tlb.ms)} | ${verdict(tlb.ms / walk.ms, 10)} |`);

    // 2. RAM read throughput: 1 MiB from the RAM file vs 64 KiB through gdb `m` (physical)
    const fileBytes = 1 << 20;
    const gdbBytes = 64 << 10;
    const buf = new Uint8Array(fileBytes);
    const file = await timeIt(() => session.ram.readInto(0x100000n, buf));
    const gdb = await timeIt(() => session.readMemory(0x100000n, gdbBytes, { physical: true }));
    const fileMBs = fileBytes / 2 ** 20 / (file.ms / 1000);
    const gdbMBs = gdbBytes / 2 ** 20 / (gdb.ms / 1000);
    rows.push(`| guest RAM read (RAM file, 1 MiB reads) | ${fileMBs.toFixed(0)} MiB/s | gdb \`m\` packets (64 KiB): ${gdbMBs.toFixed(2)} MiB/s | ${verdict(fileMBs / gdbMBs, 50)} |`);

    // 3. free-list walk
    if (elf) {
      try {
        const record = parseInspectRecord(session.ram, inspectRecordPhysFromElf(elf));
        const usable = usableRanges(parseBootInfo(session.ram, record.bootInfoPhys));
        let count = 0;
        const walk = (view: PhysReader) =>
          (count = walkFreeList(view, record.freeListHeadPhys, { expectedCount: record.freeFrameCount, usable }).count);
        // a fresh view per run pays for reading the frames from the RAM file; a warm one is the walk alone
        const fresh = await timeIt(() => walk(session.ram.cachedView()));
        const view = session.ram.cachedView();
        const warm = await timeIt(() => walk(view));
        const rate = (ms: number) => `${(count / (ms / 1000) / 1e6).toFixed(2)} M frames/s`;
        rows.push(`| free-list walk (${count} frames, RAM file read per walk) | ${fmt(fresh.ms)} | – | ${rate(fresh.ms)} |`);
        rows.push(`| free-list walk (${count} frames, RAM already read) | ${fmt(warm.ms)} | – | ${rate(warm.ms)} |`);
      } catch (err) {
        notes.push(`free-list walk skipped: ${(err as Error).message}`);
      }
    } else {
      notes.push('free-list walk skipped: the guest has no inspection record (tiny test OS).');
    }

    // 4. VGA poll rate: text buffer + cursor, and the text buffer alone (both via QMP, guest running)
    await session.resume();
    const vgaFull = await timeIt(() => readVgaScreen(session), 1000);
    const vgaText = await timeIt(() => session.readVgaText(), 1000);
    const vgaIde = await pollMs(session, 33);
    const vgaEveryRegister = await pollMs(session, MODE_RECHECK_MS);
    await session.pause();
    const vgaGdb = await timeIt(() => session.readMemory(0xb8000n, 4000, { physical: true }), 500);
    rows.push(`| VGA poll, text + cursor (QMP pmemsave + CRTC via HMP, guest running) | ${fmt(vgaFull.ms)} | ${(1000 / vgaFull.ms).toFixed(0)} fps | target ≥ 30 fps: ${1000 / vgaFull.ms >= 30 ? 'met' : 'NOT met'} |`);
    rows.push(`| VGA poll as the IDE polls at 30 fps (text every time, cursor location every 100 ms or when the text changed, display mode every 250 ms; mean of 300 polls) | ${fmt(vgaIde)} | every register every time (mode + text + cursor): ${fmt(vgaEveryRegister)} | ${(vgaEveryRegister / vgaIde).toFixed(1)}× fewer ms per frame |`);
    rows.push(`| VGA text buffer only (QMP pmemsave, guest running) | ${fmt(vgaText.ms)} | gdb \`m\` physical (paused): ${fmt(vgaGdb.ms)} | ${(1000 / vgaText.ms).toFixed(0)} fps |`);
  } finally {
    await session.stop();
    dispose();
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const body = [
    `Run ${new Date().toISOString()} on ${cpu} (${cpus().length} cores), Node ${process.version}, QEMU TCG.`,
    `Guest: ${guest}, paused for everything except the VGA poll. Each number is the median of repeated runs.`,
    '',
    '| measurement | Longmode | alternative | ratio / rate |',
    '|---|---|---|---|',
    ...rows,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
  writeResultsSection(RESULTS, 'Emulator: guest inspection (`npm run bench`)', body);
  console.log(body);
}

await main();
