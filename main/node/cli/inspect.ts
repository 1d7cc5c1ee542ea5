// `longmode inspect <pagetables|memmap|heap|vga|registers>`: boots the guest, waits for the serial
// text that says it is ready (default: the manifest's phase-2 banner), pauses it, prints what was
// asked as a readable table or one JSON document, and stops the VM.
import { BootTargetError, resolveBootTarget } from '../../../emulator/boot-target';
import {
  decodeControlRegisters, describeSize, hex, pageWalkToJson, vgaScreenToFrame, vgaScreenToText, withHexBigints,
  type HeapRegionReport, type MemoryMap, type PageWalk,
} from '../../../emulator/inspect';
import { NoInspectRecordError, readKernelState, readPageWalk, readVgaScreen } from '../../../emulator/live-inspection';
import { QemuSession } from '../../../emulator/session';
import type { GdbRegisters } from '../../../emulator/gdb/client';
import { parseArgs, printJson, UsageError, workspaceDir, type Command } from './args';

const VIEWS = ['pagetables', 'memmap', 'heap', 'vga', 'registers'] as const;
type View = (typeof VIEWS)[number];

export const command: Command = async (argv) => {
  const { values, flags, positionals } = parseArgs(argv, {
    values: ['workspace', 'image', 'elf', 'after-serial', 'timeout', 'memory'],
    booleans: ['json'],
    positionals: 1,
  });
  const view = positionals[0] as View | undefined;
  if (!view || !VIEWS.includes(view)) throw new UsageError(`say what to inspect: one of ${VIEWS.join(', ')}`);
  if (values.workspace && values.image) throw new UsageError('give either --workspace or --image, not both');
  if (values.elf && !values.image) throw new UsageError('--elf goes with --image (a workspace build knows its kernel ELF)');
  const timeoutS = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!(timeoutS > 0)) throw new UsageError('--timeout needs a number of seconds greater than 0');
  const json = flags.json;

  let target;
  try {
    target = await resolveBootTarget({ workspace: workspaceDir(values), image: values.image, elf: values.elf, memory: values.memory, onOutput: json ? undefined : (t) => process.stderr.write(t) });
  } catch (err) {
    if (!(err instanceof BootTargetError)) throw err;
    return fail(json, err.message, err.kind === 'build' ? 1 : 2);
  }
  const readySerial = values['after-serial'] ?? target.readySerial;

  let session: QemuSession;
  try {
    session = await QemuSession.start({ image: target.image, memory: target.memory, extraArgs: target.extraArgs });
  } catch (err) {
    return fail(json, (err as Error).message, 2);
  }
  const stopOnSignal = () => void session.stop();
  process.once('SIGINT', stopOnSignal);
  try {
    try {
      await waitUntilReady(session, readySerial, timeoutS);
    } catch (err) {
      const hint = values['after-serial'] ? '' : '\n(For an image that prints something else, say what to wait for with --after-serial TEXT.)';
      return fail(json, (err as Error).message + hint, 1);
    }
    await session.pause();
    try {
      const result = await readView(view, session, target.kernelElf);
      if (json) printJson(result.json);
      else process.stdout.write(result.text.endsWith('\n') ? result.text : result.text + '\n');
      return 0;
    } catch (err) {
      if (err instanceof NoInspectRecordError) return fail(json, err.message, 2);
      return fail(json, `cannot inspect ${view}: ${(err as Error).message}`, 1);
    }
  } finally {
    process.off('SIGINT', stopOnSignal);
    await session.stop();
  }
};

async function waitUntilReady(session: QemuSession, text: string, timeoutS: number): Promise<void> {
  const fault = new Promise<never>((_, reject) =>
    session.on('state', (s) => {
      if (s.state === 'faulted') reject(new Error(`the guest faulted before '${text}' appeared: ${s.fault?.message ?? s.detail}\nSerial output (tail):\n${session.serialText().slice(-1500)}`));
    }),
  );
  await Promise.race([session.waitForSerial(text, timeoutS * 1000), fault]);
}

interface ViewResult {
  json: unknown;
  text: string;
}

async function readView(view: View, session: QemuSession, kernelElf: string | undefined): Promise<ViewResult> {
  switch (view) {
    case 'pagetables': {
      const walk = await readPageWalk(session);
      return { json: pageWalkToJson(walk), text: pageTablesText(walk) };
    }
    case 'registers': {
      const regs = await session.registers();
      const decoded = decodeControlRegisters(regs);
      return { json: { registers: registersJson(regs), decoded: withHexBigints(decoded) }, text: registersText(regs, decoded.mode) };
    }
    case 'vga': {
      const screen = await readVgaScreen(session);
      const frame = vgaScreenToFrame(screen);
      return { json: { text: vgaScreenToText(screen), cursor: frame.cursor, frame }, text: vgaScreenToText(screen) };
    }
    case 'memmap': {
      const state = await readKernelState(session, kernelElf);
      const json = { memoryMap: withHexBigints(state.memoryMap), freeList: withHexBigints(state.freeList), recordFreeFrameCount: hex(state.record.freeFrameCount) };
      return { json, text: memoryMapText(state.memoryMap) + `\nfree list: ${state.freeList.count} frames (record says ${state.record.freeFrameCount}), ${state.freeList.terminated ? 'ends in 0xdeadbeef' : 'NOT terminated'}, ${state.freeList.anomalies.length} anomalies\n` + state.freeList.anomalies.map((a) => `  ! ${a.message}\n`).join('') };
    }
    case 'heap': {
      const state = await readKernelState(session, kernelElf);
      return { json: { heapHighBase: hex(state.record.heapHighBase), regions: withHexBigints(state.heap) }, text: heapText(state.heap) };
    }
  }
}

const REGISTER_ORDER = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'rflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base', 'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer',
];

function registersJson(regs: GdbRegisters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REGISTER_ORDER) if (regs[name] !== undefined) out[name] = hex(regs[name]);
  return out;
}

function registersText(regs: GdbRegisters, mode: string | undefined): string {
  const cells = REGISTER_ORDER.filter((n) => regs[n] !== undefined).map((n) => `${n.padStart(9)} ${regs[n].toString(16).padStart(16, '0')}`);
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 3) rows.push(cells.slice(i, i + 3).join('   '));
  return rows.join('\n') + (mode ? `\n\nCPU mode: ${mode}` : '');
}

function pageTablesText(walk: PageWalk): string {
  const lines = [`CR3 ${hex(walk.cr3)}   ${walk.mappings.length} mappings, ${walk.tables.length} tables`];
  for (const r of walk.recursive) lines.push(`recursive entry: level ${r.level} index ${r.index} (table ${hex(r.table)})`);
  lines.push('', `${'virtual'.padEnd(20)} ${'physical'.padEnd(14)} ${'size'.padEnd(10)} page  flags`);
  for (const m of walk.mappings) {
    const flags = `${m.writable ? 'W' : '-'}${m.user ? 'U' : '-'}${m.nx ? '-' : 'X'}${m.global ? 'G' : '-'}`;
    lines.push(`${hex(m.virt).padEnd(20)} ${hex(m.phys).padEnd(14)} ${describeSize(m.size).padEnd(10)} ${m.pageSize.padEnd(5)} ${flags}`);
  }
  for (const a of walk.anomalies) lines.push(`! ${a.kind}: ${a.message}`);
  return lines.join('\n');
}

function memoryMapText(map: MemoryMap): string {
  const lines = [`${'start'.padEnd(14)} ${'end'.padEnd(14)} ${'kind'.padEnd(18)} labels`];
  for (const s of map.segments) {
    const labels = (s as { labels?: string[] }).labels?.join(', ') ?? '';
    lines.push(`${hex(s.base).padEnd(14)} ${hex(s.base + s.length).padEnd(14)} ${String((s as { kind?: string }).kind ?? '').padEnd(18)} ${labels}`);
  }
  lines.push('', `usable ${describeSize(map.totals.usableBytes)}, free ${describeSize(map.totals.freeBytes)} (${map.totals.freeFrames} frames)`);
  for (const a of map.anomalies) lines.push(`! ${a.message}`);
  return lines.join('\n');
}

function heapText(regions: HeapRegionReport[]): string {
  const lines = [`${'#'.padStart(3)} ${'virtual'.padEnd(20)} ${'physical'.padEnd(12)} ${'size'.padEnd(10)} verified`];
  for (const r of regions) {
    lines.push(`${String(r.index).padStart(3)} ${hex(r.virt).padEnd(20)} ${hex(r.phys).padEnd(12)} ${describeSize(r.length).padEnd(10)} ${r.verified ? 'yes' : `NO (${r.pagesMatching}/${r.pages} pages)${r.problem ? ' ' + r.problem : ''}`}`);
  }
  return lines.join('\n');
}

function fail(json: boolean, message: string, code: number): number {
  if (json) printJson({ ok: false, error: message });
  else console.error(`longmode inspect: ${message}`);
  return code;
}
