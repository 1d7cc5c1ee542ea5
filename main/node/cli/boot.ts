// `longmode boot`: builds the workspace if needed, boots it headless in QEMU and streams serial.
//   --until-serial TEXT  exit 0 once TEXT appears (1 with the serial tail on timeout or fault)
//   --paused             start with the CPU stopped, print the gdb socket, wait for Ctrl+C
import { BootTargetError, resolveBootTarget } from '../../../emulator/boot-target';
import { FAULT_SWITCHES, type FaultSwitch } from '../../../emulator/qemu/args';
import { QemuSession } from '../../../emulator/session';
import { parseArgs, printJson, UsageError, workspaceDir, type Command } from './args';


export const command: Command = async (argv) => {
  const { values, flags } = parseArgs(argv, {
    values: ['workspace', 'image', 'until-serial', 'timeout', 'fault', 'memory'],
    booleans: ['json', 'paused'],
  });
  if (values.workspace && values.image) throw new UsageError('give either --workspace or --image, not both');
  const fault = values.fault as FaultSwitch | undefined;
  if (fault && !FAULT_SWITCHES.includes(fault)) throw new UsageError(`--fault must be one of ${FAULT_SWITCHES.join(', ')}`);
  const timeoutS = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutS !== undefined && !(timeoutS > 0)) throw new UsageError('--timeout needs a number of seconds greater than 0');
  const json = flags.json;
  const log = (text: string) => (json ? process.stderr : process.stdout).write(text);

  let target;
  try {
    target = await resolveBootTarget({ workspace: workspaceDir(values), image: values.image, memory: values.memory, onOutput: json ? undefined : (t) => process.stderr.write(t) });
  } catch (err) {
    if (!(err instanceof BootTargetError)) throw err;
    return fail(json, err.message, err.kind === 'build' ? 1 : 2);
  }

  let session: QemuSession;
  try {
    session = await QemuSession.start({ image: target.image, memory: target.memory, extraArgs: target.extraArgs, paused: flags.paused, fault });
  } catch (err) {
    return fail(json, (err as Error).message, 2);
  }
  const started = performance.now();
  if (!json) session.on('serial', (text) => process.stdout.write(text));
  const stopOnSignal = () => void session.stop();
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    if (flags.paused) {
      const hint = `QEMU is paused at the first instruction (pid ${session.pid}).\nAttach a debugger: gdb -ex 'target remote ${session.paths.gdb}'\nPress Ctrl+C to stop the VM.\n`;
      if (json) printJson({ state: 'paused', pid: session.pid, gdbSocket: session.paths.gdb, qmpSocket: session.paths.qmp });
      else process.stderr.write(hint);
      await new Promise<void>((resolve) => session.once('exit', () => resolve()));
      return 0;
    }
    const outcome = await waitForOutcome(session, values['until-serial'], timeoutS);
    const elapsedMs = Math.round(performance.now() - started);
    if (json) {
      printJson({ ok: outcome.ok, reason: outcome.reason, state: session.state, fault: session.status().fault, elapsedMs, serial: session.serialText() });
    } else if (!outcome.ok) {
      log(`\nlongmode boot: ${outcome.message}\n`);
    }
    return outcome.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await session.stop();
  }
};

interface Outcome {
  ok: boolean;
  reason: 'serial' | 'timeout' | 'fault' | 'exited' | 'interrupted';
  message: string;
}

/** Runs until the text appears, the guest faults or exits, the timeout passes, or Ctrl+C. */
function waitForOutcome(session: QemuSession, untilSerial: string | undefined, timeoutS: number | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const tail = () => session.serialText().slice(-1500);
    const offs: (() => void)[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (outcome: Outcome) => {
      offs.forEach((off) => off());
      clearTimeout(timer);
      resolve(outcome);
    };
    const check = () => {
      if (untilSerial && session.serialText().includes(untilSerial)) done({ ok: true, reason: 'serial', message: 'found' });
    };
    offs.push(session.on('serial', check));
    offs.push(
      session.on('state', (s) => {
        if (s.state === 'faulted') done({ ok: false, reason: 'fault', message: `the guest faulted: ${s.fault?.message ?? s.detail}\nSerial output (tail):\n${tail()}` });
        if (s.state === 'exited') done({ ok: !untilSerial, reason: 'exited', message: `QEMU exited: ${s.detail}\nSerial output (tail):\n${tail()}` });
      }),
    );
    if (timeoutS !== undefined) {
      timer = setTimeout(() => {
        const what = untilSerial ? `'${untilSerial}' did not appear on serial within ${timeoutS} s` : `stopped after ${timeoutS} s`;
        done({ ok: !untilSerial, reason: 'timeout', message: `${what}. Serial output (tail):\n${tail()}` });
      }, timeoutS * 1000);
    }
    const onSignal = () => done({ ok: !untilSerial, reason: 'interrupted', message: 'interrupted' });
    process.once('SIGINT', onSignal);
    offs.push(() => process.off('SIGINT', onSignal));
    check();
  });
}

function fail(json: boolean, message: string, code: number): number {
  if (json) printJson({ ok: false, error: message });
  else console.error(`longmode boot: ${message}`);
  return code;
}
