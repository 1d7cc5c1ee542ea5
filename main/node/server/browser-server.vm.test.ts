// The whole service path over the real WebSocket, with the real toolchain and QEMU: build a copy of
// the sample OS (progress events), boot it, watch serial and VGA, pause, inspect, reattach, stop.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Events, LongmodeApi, WireMessage } from '../../common/contract';
import { createApiClient } from '../../common/wire';
import { emulatorBackend } from '../services/emulator-adapter';
import { ServiceHost } from '../services/service-host';
import { toolchainBackend } from '../services/toolchain-adapter';
import { startBrowserServer, type BrowserServer } from './browser-server';

const sample = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../samples/seed-os');
const phase2 = 'Longmode seed-os: phase 2';
let parent: string;
let host: ServiceHost;
let server: BrowserServer;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'longmode-serve-vm-'));
  const ws = join(parent, 'seed-os');
  await cp(sample, ws, { recursive: true, filter: (src) => !['build', 'target'].includes(basename(src)) });
  host = await ServiceHost.open({ workspace: ws, build: toolchainBackend, vm: emulatorBackend });
  server = await startBrowserServer({ host, port: 0, rendererDir: join(parent, 'no-renderer') });
});

afterAll(async () => {
  for (const s of sockets) s.terminate();
  await server?.close();
  await host?.dispose(); // stops QEMU
  await rm(parent, { recursive: true, force: true });
});

async function connect(): Promise<LongmodeApi> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
  sockets.push(socket);
  await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  const client = createApiClient((m) => socket.send(JSON.stringify(m)));
  socket.on('message', (data) => client.receive(JSON.parse(data.toString()) as WireMessage));
  return client.api;
}

function next<E extends keyof Events>(api: LongmodeApi, event: E, match: (p: Events[E]) => boolean, timeoutMs = 30_000): Promise<Events[E]> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    const off = api.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      done(payload);
    });
  });
}

describe('browser mode with the real toolchain and QEMU', () => {
  it('build.run emits progress, output and a clean result', async () => {
    const api = await connect();
    const progress: Events['build.progress'][] = [];
    let output = '';
    api.on('build.progress', (p) => progress.push(p));
    api.on('build.output', ({ text }) => (output += text));
    const done = next(api, 'build.done', () => true, 110_000);
    const result = await api.call('build.run', {});
    expect(result, `build output:\n${output}\n${JSON.stringify(result.diagnostics)}`).toMatchObject({ ok: true, cancelled: false, diagnostics: [], image: 'build/seed-os.img' });
    expect(await done).toEqual(result);
    expect(progress.map((p) => p.step)).toEqual(expect.arrayContaining(['nasm', 'cargo', 'image', 'done']));
    await expect(api.call('build.run', {}).then(() => api.call('vm.status', {}))).resolves.toMatchObject({ state: 'idle' });
  });

  it('boots, streams serial and VGA, pauses for inspection, and lets a second client reattach', async () => {
    const api = await connect();
    let serial = '';
    api.on('vm.serial', ({ text }) => (serial += text));
    const reachedPhase2 = next(api, 'vm.serial', () => serial.includes(phase2));
    const status = await api.call('vm.boot', {});
    expect(['booting', 'running']).toContain(status.state);
    await reachedPhase2;

    const frame = next(api, 'vm.vga', (f) => f.text.includes('phase 2'));
    await api.call('vm.watchVga', { enabled: true });
    expect((await frame).attrs).toHaveLength(80 * 25);

    await expect(api.call('vm.pageTables', {})).rejects.toMatchObject({ code: 'guest-running', message: expect.stringMatching(/pause/) });
    expect(await api.call('vm.pause', {})).toMatchObject({ state: 'paused' });
    const regs = await api.call('vm.registers', {});
    expect(regs.cr3).toMatch(/^0x[0-9a-f]+$/);
    const walk = await api.call('vm.pageTables', {});
    expect(walk.mappings.length).toBeGreaterThan(0);
    expect(walk.cr3).toBe(regs.cr3);

    // a reloaded page: a new connection gets the state and the serial history
    const again = await connect();
    expect(await again.call('vm.status', {})).toMatchObject({ state: 'paused' });
    const history = await again.call('vm.serialHistory', {});
    expect(history.offset).toBe(0);
    expect(history.text).toContain(phase2);

    expect(await api.call('vm.continue', {})).toMatchObject({ state: 'running' });
    const stopped = next(again, 'vm.state', (s) => s.state === 'exited');
    await api.call('vm.stop', {});
    await stopped;
    await expect(api.call('vm.pause', {})).rejects.toMatchObject({ code: 'no-vm' });
  });

  it('stops QEMU when the host shuts down (SIGINT/SIGTERM in serve, window closed in Electron)', async () => {
    const api = await connect();
    await api.call('vm.boot', { paused: true });
    const pid = host.vm.activeSession?.qemu?.pid;
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid!, 0)).not.toThrow();
    await host.dispose();
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});
