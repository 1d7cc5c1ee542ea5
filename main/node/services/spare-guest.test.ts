// The spare QEMU for the next boot, against the real QEMU and a copy of the sample OS's manifest:
// handed out once for the same request, replaced for another, never kept for a large guest, and
// gone after discard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses } from '../../../emulator/testdata/child-processes';
import { SEED_OS, tempWorkspace, type TempWorkspace } from '../../../toolchain/test-support';
import type { PrepareRequest } from './backends';
import { emulatorBackend } from './emulator-adapter';
import { SpareGuest } from './spare-guest';

let ws: TempWorkspace;
let spare: SpareGuest;
const request = (memory: string): PrepareRequest => ({ workspace: ws.dir, memory, paused: false });

beforeAll(async () => {
  ws = await tempWorkspace(SEED_OS);
  spare = new SpareGuest((r) => emulatorBackend.prepare!(r));
});

afterAll(async () => {
  await spare?.discard();
  await ws?.remove();
});

/** QEMU processes this test process started. */
const qemuChildren = () => childProcesses(process.pid, 'qemu-system-x86_64');

async function waitUntil(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SpareGuest', () => {
  it('starts a spare and hands that one out for the same request', async () => {
    spare.refill(request('32M'));
    spare.refill(request('32M')); // one is enough
    await waitUntil('the spare QEMU', () => qemuChildren().length === 1);
    const [pid] = qemuChildren();
    const boot = await spare.take(request('32M'));
    expect(boot).toBeDefined();
    expect(qemuChildren()).toEqual([pid]); // the same QEMU, none started for the take
    await boot!.discard();
    expect(qemuChildren()).toEqual([]);
  });

  it('replaces a spare that was started for another request', async () => {
    spare.refill(request('32M'));
    await waitUntil('the spare QEMU', () => qemuChildren().length === 1);
    const [old] = qemuChildren();
    const boot = await spare.take(request('48M'));
    await waitUntil('the old spare to stop', () => !qemuChildren().includes(old));
    expect(qemuChildren()).toHaveLength(1);
    await boot!.discard();
  });

  it('keeps no spare for a guest larger than 512 MiB', async () => {
    spare.refill(request('1G'));
    await new Promise((r) => setTimeout(r, 500));
    expect(qemuChildren()).toEqual([]);
  });

  it('stops the spare on discard, also one still starting', async () => {
    spare.refill(request('32M'));
    await waitUntil('the spare QEMU', () => qemuChildren().length === 1);
    await spare.discard();
    expect(qemuChildren()).toEqual([]);
    spare.refill(request('32M'));
    await spare.discard(); // QEMU was still starting
    expect(qemuChildren()).toEqual([]);
  });
});
