// The QMP client against a real QEMU (the tiny long-mode test OS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QemuSession } from '../session';
import { buildTinyImage, type TinyImage } from '../testdata/tiny-image';
import { QmpError } from './client';

describe('QmpClient on a real QEMU', () => {
  let image: TinyImage;
  let session: QemuSession;
  beforeAll(async () => {
    image = buildTinyImage();
    session = await QemuSession.start({ image: image.path, memory: '32M', paused: true });
  });
  afterAll(async () => {
    await session?.stop();
    image?.dispose();
  });

  it('runs commands with typed results and reports STOP and RESUME events', async () => {
    const qmp = session.qmp;
    expect(await qmp.execute('query-status')).toMatchObject({ running: false, status: 'prelaunch' });
    const resumed = qmp.waitForEvent('RESUME', 2000);
    await qmp.execute('cont');
    await resumed;
    expect((await qmp.execute('query-status')).status).toBe('running');
    const stopped = qmp.waitForEvent('STOP', 2000);
    await qmp.execute('stop');
    await stopped;
    expect((await qmp.execute('query-status')).status).toBe('paused');
  });

  it('runs human monitor commands', async () => {
    await session.resume();
    await session.waitForSerial('long mode OK', 10_000);
    await session.pause();
    const registers = await session.qmp.hmp('info registers');
    expect(registers).toMatch(/CR3=0*1000/);
    expect(await session.qmp.hmp('info tlb')).toMatch(/^0*7000: 0*7000 /m);
  });

  it('turns QEMU errors into QmpError with the class and description', async () => {
    const err = await session.qmp.execute('no-such-command').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).errorClass).toBe('CommandNotFound');
    expect((err as Error).message).toMatch(/QMP no-such-command failed: The command no-such-command has not been found/);
  });

  it('times out a command QEMU does not answer in time', async () => {
    // savevm of a guest takes far longer than 0 ms
    await expect(session.qmp.execute('human-monitor-command', { 'command-line': 'savevm t0' }, 0)).rejects.toThrow(/timed out after 0 ms/);
  });
});
