// Test support for the inspection services: a private, freshly built copy of the sample OS and a
// real QEMU session on it, wired the way the service host wires them.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FaultSwitch } from '../../../emulator/qemu/args';
import { QemuSession } from '../../../emulator/session';
import { buildWorkspace } from '../../../toolchain/build';
import type { EventName, Events } from '../../common/contract';
import { inspectionHandlers, type InspectionServices } from './inspection-handlers';

export const sampleDir = resolve(__dirname, '../../../samples/seed-os');

export interface BuiltSample {
  dir: string;
  image: string;
  kernelElf: string;
  remove(): void;
}

/** Copies the sample (without build outputs) into a temp folder and builds it there. */
export async function buildSampleCopy(): Promise<BuiltSample> {
  const dir = mkdtempSync(join(tmpdir(), 'longmode-inspect-'));
  cpSync(sampleDir, dir, { recursive: true, filter: (src) => !/\/(target|build|\.longmode)(\/|$)/.test(src.slice(sampleDir.length)) });
  const outcome = await buildWorkspace(dir);
  if (!outcome.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the sample did not build: ${outcome.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')}`);
  }
  return { dir, image: outcome.artifacts.image, kernelElf: outcome.artifacts.kernelElf, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Harness {
  qemu: QemuSession;
  services: InspectionServices;
  events: { event: EventName; payload: unknown }[];
  /** resolves with the next event of that name (or one already seen after `since`) */
  nextEvent<E extends EventName>(event: E, timeoutMs?: number): Promise<Events[E]>;
  stop(): Promise<void>;
}

export async function startHarness(sample: BuiltSample, opts: { paused?: boolean; fault?: FaultSwitch } = {}): Promise<Harness> {
  const qemu = await QemuSession.start({ image: sample.image, paused: opts.paused ?? true, fault: opts.fault });
  const events: { event: EventName; payload: unknown }[] = [];
  const waiters: { event: EventName; resolve: (p: unknown) => void }[] = [];
  const services = inspectionHandlers({
    guest: () => ({ qemu, kernelElf: sample.kernelElf }),
    workspace: sample.dir,
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const w of waiters.splice(0)) (w.event === event ? w.resolve(payload) : waiters.push(w));
    },
  });
  return {
    qemu,
    services,
    events,
    nextEvent: (event, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ event, resolve: (p) => (clearTimeout(timer), resolve(p as never)) });
      }),
    stop: () => qemu.stop(),
  };
}
