// `longmode inspect <pagetables|memmap|heap|vga|registers>`: boots the guest, waits for the serial
// text that says it is ready (default: the manifest's inspect.readySerial), pauses it, prints what
// was asked as a readable table (emulator/inspect/format) or one JSON document, and stops the VM.
import { BootTargetError, resolveBootTarget } from '../../../emulator/boot-target';
import {
  decodeControlRegisters, formatFreeList, formatHeapRegions, formatMemoryMap, formatPageWalk, formatRegisters, hex,
  pageWalkToJson, registersToJson, vgaScreenToFrame, vgaScreenToText, withHexBigints,
} from '../../../emulator/inspect';
import { NoInspectRecordError, readKernelState, readPageWalk, readVgaScreen } from '../../../emulator/live-inspection';
import { QemuSession } from '../../../emulator/session';
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
      return { json: pageWalkToJson(walk), text: formatPageWalk(walk) };
    }
    case 'registers': {
      const regs = await session.registers();
      const decoded = decodeControlRegisters(regs);
      return { json: { registers: registersToJson(regs), decoded: withHexBigints(decoded) }, text: formatRegisters(regs) };
    }
    case 'vga': {
      const screen = await readVgaScreen(session);
      const frame = vgaScreenToFrame(screen);
      return { json: { text: vgaScreenToText(screen), cursor: frame.cursor, frame }, text: vgaScreenToText(screen) };
    }
    case 'memmap': {
      const state = await readKernelState(session, kernelElf);
      const json = { memoryMap: withHexBigints(state.memoryMap), freeList: withHexBigints(state.freeList), recordFreeFrameCount: hex(state.record.freeFrameCount) };
      return { json, text: `${formatMemoryMap(state.memoryMap)}\n\n${formatFreeList(state.freeList)}` };
    }
    case 'heap': {
      const state = await readKernelState(session, kernelElf);
      return { json: { heapHighBase: hex(state.record.heapHighBase), regions: withHexBigints(state.heap) }, text: formatHeapRegions(state.heap) };
    }
  }
}

function fail(json: boolean, message: string, code: number): number {
  if (json) printJson({ ok: false, error: message });
  else console.error(`longmode inspect: ${message}`);
  return code;
}
