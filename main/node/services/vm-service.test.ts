// Booting after an edit overlaps QEMU's start with the build, against the real toolchain and QEMU
// on a copy of the sample OS: the status sequence, the boot itself, the spare QEMU kept for the
// next boot, a failed build, and Stop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, VmStatus } from '../../common/contract';
import { childProcesses } from '../../../emulator/testdata/child-processes';
import { editFile, SEED_OS, tempWorkspace, type TempWorkspace } from '../../../toolchain/test-support';
import { BuildService } from './build-service';
import { emulatorBackend } from './emulator-adapter';
import { toolchainBackend } from './toolchain-adapter';
import { VmService } from './vm-service';

let ws: TempWorkspace;
const PHASE2_SOURCE = () => join(ws.dir, 'kernel/src/phase2.rs');
let vm: VmService;
let build: BuildService;
const states: VmStatus[] = [];
let serial = '';

beforeAll(async () => {
  ws = await tempWorkspace(SEED_OS);
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) => {
    if (event === 'vm.state') states.push(payload as VmStatus);
    if (event === 'vm.serial') serial += (payload as Events['vm.serial']).text;
  };
  build = new BuildService(ws.dir, toolchainBackend, emit);
  vm = new VmService(emulatorBackend, build, async () => ({ memory: '128M' }), emit);
}, 120_000);

afterAll(async () => {
  await vm?.dispose();
  await ws?.remove();
});

/** QEMU processes this test process started. */
const qemuChildren = () => childProcesses(process.pid, 'qemu-system-x86_64');

/** The disk the running QEMU opened: the session-private one when the start overlapped the build. */
function bootedDisk(): string | undefined {
  const pid = vm.activeSession?.qemu?.pid;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return /file=([^,]+)/.exec(args[args.indexOf('-drive') + 1])?.[1];
}

async function waitUntil(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The QEMU children that are not the running guest: the spare kept for the next boot. */
const spares = () => qemuChildren().filter((pid) => pid !== vm.activeSession?.qemu?.pid);

async function waitForSerial(text: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!serial.includes(text)) {
    if (Date.now() > until) throw new Error(`'${text}' did not appear on serial within ${timeoutMs} ms; serial so far:\n${serial}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('VmService.boot with a build pending', () => {
  it('builds, boots the new image and reports building → booting → running', async () => {
    await vm.boot();
    await waitForSerial('phase 2: ready', 30_000);
    expect(states.map((s) => s.state)).toEqual(['building', 'booting', 'running']);
    expect(qemuChildren()).toContain(vm.activeSession?.qemu?.pid);
    expect(vm.status().qemuPid).toBe(vm.activeSession?.qemu?.pid);
    expect(bootedDisk()).toBe(`${vm.activeSession?.qemu?.paths.dir}/disk.img`);
  }, 120_000);

  it('starts one spare QEMU for the next boot once the guest is up', async () => {
    await waitUntil('a spare QEMU', () => spares().length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(spares()).toHaveLength(1);
  });

  it('replaces the running guest after an edit with no stray exited state', async () => {
    const before = vm.activeSession?.qemu?.pid;
    const [spare] = spares();
    await editFile(PHASE2_SOURCE(), '"phase 2: ready"', '"phase 2: ready (v2)"');
    build.sourcesChanged();
    states.length = 0;
    serial = '';
    await vm.boot();
    await waitForSerial('phase 2: ready (v2)', 30_000);
    expect(states.map((s) => s.state)).toEqual(['building', 'booting', 'running']);
    expect(vm.activeSession?.qemu?.pid).not.toBe(before);
    expect(vm.activeSession?.qemu?.pid, 'the boot after the edit runs on the spare').toBe(spare);
    // the replaced guest was only paused during the build; it is stopped once the new one is up
    await waitUntil('the replaced guest to be stopped', () => !qemuChildren().includes(before!), 10_000);
    expect(bootedDisk()).toBe(`${vm.activeSession?.qemu?.paths.dir}/disk.img`);
  }, 120_000);

  it('stops the QEMU started during a build that fails, and the previous guest', async () => {
    await editFile(PHASE2_SOURCE(), '"phase 2: ready (v2)"', '"phase 2: ready (v3)" syntax error');
    build.sourcesChanged();
    states.length = 0;
    await expect(vm.boot()).rejects.toMatchObject({ code: 'failed', message: expect.stringMatching(/build failed/) });
    expect(states.map((s) => s.state)).toEqual(['building', 'idle']);
    expect(qemuChildren()).toEqual([]);
    expect(vm.activeSession).toBeUndefined();
  }, 120_000);

  it('Stop ends the guest and the spare', async () => {
    await editFile(PHASE2_SOURCE(), '"phase 2: ready (v3)" syntax error', '"phase 2: ready (v4)"');
    build.sourcesChanged();
    serial = '';
    await vm.boot();
    await waitForSerial('phase 2: ready (v4)', 30_000);
    await waitUntil('a spare QEMU', () => spares().length === 1, 10_000);
    await vm.stop();
    expect(qemuChildren()).toEqual([]);
    expect(vm.status().state).toBe('exited');
    expect(vm.status().qemuPid).toBeUndefined();
  }, 120_000);
});
