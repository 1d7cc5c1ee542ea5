// The QMP client against a real QEMU (the tiny long-mode test OS).
import { describe, expect, it } from 'vitest';
import { useTinySession } from '../testdata/tiny-session';
import { QmpError } from './client';

describe('QmpClient on a real QEMU', () => {
  const tinySession = useTinySession();

  it('runs commands with typed results and reports STOP and RESUME events', async () => {
    const session = tinySession();
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
    const session = tinySession();
    await session.resume();
    await session.waitForSerial('long mode OK', 10_000);
    await session.pause();
    const registers = await session.qmp.hmp('info registers');
    expect(registers).toMatch(/CR3=0*1000/);
    expect(await session.qmp.hmp('info tlb')).toMatch(/^0*7000: 0*7000 /m);
  });

  it('turns QEMU errors into QmpError with the class and description', async () => {
    const session = tinySession();
    const err = await session.qmp.execute('no-such-command').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).errorClass).toBe('CommandNotFound');
    expect((err as Error).message).toMatch(/QMP no-such-command failed: The command no-such-command has not been found/);
  });

  it('times out a command QEMU does not answer in time', async () => {
    const session = tinySession();
    // savevm of a guest takes far longer than 0 ms
    await expect(session.qmp.execute('human-monitor-command', { 'command-line': 'savevm t0' }, 0)).rejects.toThrow(/timed out after 0 ms/);
  });
});
