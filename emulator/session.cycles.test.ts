// Reliability of the QEMU session against the real QEMU, on the tiny test OS: a hundred boot/stop
// cycles in a row leave nothing behind, a triple-faulting guest is reported as faulted, and a QEMU
// killed from outside is reported as exited without anything throwing in this process.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSessionRoot, isProcessAlive } from './qemu/session-dir';
import { QemuSession, type SessionStatus } from './session';
import { childProcesses } from './testdata/child-processes';
import { buildTinyImage, TINY_BANNER, type TinyImage } from './testdata/tiny-image';

const CYCLES = 100;

let image: TinyImage;
beforeAll(() => {
  image = buildTinyImage();
});
afterAll(() => image?.dispose());

/** Session folders this process owns (`longmode-<pid>-…`) in the session root. */
function mySessionDirs(): string[] {
  return readdirSync(defaultSessionRoot()).filter((name) => name.startsWith(`longmode-${process.pid}-`));
}

/** The process IDs whose parent is this process (QEMU runs as a direct child). */
const myChildren = () => childProcesses(process.pid);

describe(`${CYCLES} boot/stop cycles`, () => {
  it('leave no QEMU process, socket, RAM file or session folder behind', async () => {
    const childrenBefore = myChildren();
    const dirsBefore = mySessionDirs();
    const pids: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const session = await QemuSession.start({ image: image.path, memory: '16M' });
      const { pid, paths } = session;
      pids.push(pid);
      await session.waitForSerial(TINY_BANNER, 10_000);
      expect(existsSync(paths.ram) && existsSync(paths.qmp) && existsSync(paths.gdb), `cycle ${cycle}: session files while running`).toBe(true);
      await session.stop();
      expect(isProcessAlive(pid), `cycle ${cycle}: QEMU ${pid} still runs after stop`).toBe(false);
      for (const file of [paths.ram, paths.qmp, paths.gdb, paths.log, paths.dir]) {
        expect(existsSync(file), `cycle ${cycle}: ${file} left behind`).toBe(false);
      }
      expect(session.state).toBe('exited');
    }
    expect(new Set(pids).size).toBe(CYCLES);
    expect(pids.filter(isProcessAlive)).toEqual([]);
    expect(myChildren().filter((pid) => !childrenBefore.includes(pid))).toEqual([]);
    expect(mySessionDirs()).toEqual(dirsBefore);
  }, 300_000);
});

describe('a guest or QEMU that dies', () => {
  const hostErrors: unknown[] = [];
  const onHostError = (err: unknown) => hostErrors.push(err);
  beforeEach(() => {
    hostErrors.length = 0;
    process.on('uncaughtException', onHostError);
    process.on('unhandledRejection', onHostError);
  });
  afterEach(() => {
    process.off('uncaughtException', onHostError);
    process.off('unhandledRejection', onHostError);
  });

  it('reports a triple fault as faulted, and QEMU killed with SIGKILL as exited, without throwing here', async () => {
    const session = await QemuSession.start({ image: image.path, memory: '16M' });
    const { pid, paths } = session;
    const states: SessionStatus[] = [];
    session.on('state', (s) => states.push(s));
    try {
      await session.waitForSerial(TINY_BANNER, 10_000);
      const faulted = session.waitForState('faulted', 10_000);
      session.writeSerial('T'); // empty IDT + int3: a triple fault
      expect((await faulted).fault).toMatchObject({ kind: 'triple-fault' });
      expect(isProcessAlive(pid)).toBe(true); // kept for inspection

      const exited = session.waitForState('exited', 10_000);
      const pendingSerial = session.waitForSerial('never printed', 30_000);
      process.kill(pid, 'SIGKILL');
      const status = await exited;
      expect(status.detail).toMatch(/killed \(SIGKILL\)/);
      expect(status.fault).toMatchObject({ kind: 'triple-fault' }); // what happened before stays visible
      await expect(pendingSerial).rejects.toThrow(/QEMU exited before 'never printed' appeared/);
      await expect(session.pause()).rejects.toThrow(/the VM has exited; boot it again/);
      expect(() => session.writeSerial('x')).toThrow(/boot it again/);
      expect(states.map((s) => s.state)).toEqual(['faulted', 'exited']);
      expect(existsSync(paths.dir)).toBe(false);
    } finally {
      await session.stop();
    }
    expect(isProcessAlive(pid)).toBe(false);
    await new Promise((r) => setTimeout(r, 100)); // let late socket errors surface, if any
    expect(hostErrors).toEqual([]);
  });

  it('reports QEMU killed while the guest runs as exited, and stop() still resolves', async () => {
    const session = await QemuSession.start({ image: image.path, memory: '16M' });
    const { pid, paths } = session;
    await session.waitForSerial(TINY_BANNER, 10_000);
    const exits: { code: number | null; signal: string | null }[] = [];
    session.on('exit', (e) => exits.push(e));
    const exited = session.waitForState('exited', 10_000);
    process.kill(pid, 'SIGKILL');
    expect((await exited).detail).toMatch(/killed \(SIGKILL\)/);
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }]);
    await session.stop();
    await expect(session.registers()).rejects.toThrow(/boot it again/);
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(paths.dir)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(hostErrors).toEqual([]);
  });
});
