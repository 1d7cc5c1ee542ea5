// Fault reports: from the kernel's `EXCEPTION vector=… name=… error=0x… rip=0x… cr2=0x…` serial
// line, and from QEMU's `-d int,cpu_reset` log when the guest triple-faults.
import type { FaultReport } from '../base/vm';

const EXCEPTION_LINE = /EXCEPTION vector=(\d+) name=(.*?) error=(0x[0-9a-fA-F]+) rip=(0x[0-9a-fA-F]+) cr2=(0x[0-9a-fA-F]+)/;

/** The fault report for the first complete EXCEPTION line in `serial`, if any. */
export function faultFromSerial(serial: string): FaultReport | undefined {
  for (const line of serial.split(/\r?\n/)) {
    const m = EXCEPTION_LINE.exec(line);
    if (!m) continue;
    const [, vector, name, error, rip, cr2] = m;
    return {
      kind: 'exception',
      vector: Number(vector),
      name,
      errorCode: hex(error),
      rip: hex(rip),
      cr2: hex(cr2),
      message: `${name} (vector ${vector}, error ${hex(error)}) at rip ${hex(rip)}, cr2 ${hex(cr2)}`,
    };
  }
  return undefined;
}

const EXCEPTION_NAMES: Record<number, string> = {
  0: 'Divide error', 1: 'Debug', 2: 'NMI', 3: 'Breakpoint', 4: 'Overflow', 5: 'Bound range exceeded',
  6: 'Invalid opcode', 7: 'Device not available', 8: 'Double fault', 10: 'Invalid TSS',
  11: 'Segment not present', 12: 'Stack-segment fault', 13: 'General protection fault', 14: 'Page fault',
  16: 'x87 floating-point error', 17: 'Alignment check', 18: 'Machine check', 19: 'SIMD floating-point error',
};

export function exceptionName(vector: number): string {
  return EXCEPTION_NAMES[vector] ?? `Vector ${vector}`;
}

// "     2: v=0d e=0032 i=0 cpl=0 IP=0008:0000000000007fe9 pc=0000000000007fe9 SP=… " followed by a
// register dump with "CR0=… CR2=… CR3=…"
const INTERRUPT_LINE = /^\s*\d+: v=([0-9a-f]{2}) e=([0-9a-f]{4}) i=(\d) cpl=\d IP=[0-9a-f]{4}:([0-9a-f]+) pc=([0-9a-f]+)/;
const CR2 = /CR2=([0-9a-f]+)/;

/**
 * The triple-fault report from the tail of QEMU's interrupt log: the exception that started the
 * chain (the first exception after the last interrupt that was delivered normally).
 */
export function faultFromQemuLog(logTail: string): FaultReport {
  const lines = logTail.split('\n');
  const tripleAt = lines.findLastIndex((l) => l.startsWith('Triple fault'));
  const end = tripleAt >= 0 ? tripleAt : lines.length;
  // Walk back over the chain of check_exception lines to the exception that started it.
  let first: { vector: number; error: number; rip: string; cr2?: string } | undefined;
  let firstLine = -1;
  for (let i = end - 1; i >= 0; i--) {
    const entry = interruptAt(lines, i);
    if (!entry) continue;
    first = entry;
    firstLine = i;
    const before = lines[i - 1] ?? '';
    if (!before.startsWith('check_exception') || before.includes('old: 0xffffffff')) break;
  }
  // A #GP/#NP whose error code names an IDT entry means delivering an earlier exception or
  // interrupt at the same instruction failed (no IDT): that one is the real cause.
  if (first && (first.vector === 13 || first.vector === 11) && (first.error & 2) !== 0) {
    for (let i = firstLine - 1; i >= 0 && i >= firstLine - 64; i--) {
      const earlier = interruptAt(lines, i);
      if (!earlier) continue;
      if (earlier.rip === first.rip) first = earlier;
      break;
    }
  }
  if (!first) {
    return { kind: 'triple-fault', message: 'The guest triple-faulted (QEMU stopped it instead of rebooting); no exception was logged before it.' };
  }
  const name = exceptionName(first.vector);
  const report: FaultReport = {
    kind: 'triple-fault',
    vector: first.vector,
    name,
    errorCode: hex('0x' + first.error.toString(16)),
    rip: hex('0x' + first.rip),
    message: `Triple fault: ${name} (vector ${first.vector}) at rip ${hex('0x' + first.rip)} could not be delivered`,
  };
  if (first.cr2) report.cr2 = hex('0x' + first.cr2);
  return report;
}

function interruptAt(lines: string[], i: number): { vector: number; error: number; rip: string; cr2?: string } | undefined {
  const m = INTERRUPT_LINE.exec(lines[i]);
  if (!m) return undefined;
  const cr2 = lines.slice(i + 1, i + 24).map((l) => CR2.exec(l)?.[1]).find(Boolean);
  return { vector: parseInt(m[1], 16), error: parseInt(m[2], 16), rip: m[5], cr2 };
}

function hex(text: string): string {
  return '0x' + BigInt(text).toString(16);
}
