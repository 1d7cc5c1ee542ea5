import { copyFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../common/contract';
import { createApiClient } from '../../common/wire';
import { emulatorBackend } from '../services/emulator-adapter';
import { ServiceHost } from '../services/service-host';
import { toolchainBackend } from '../services/toolchain-adapter';
import { startBrowserServer, type BrowserServer } from './browser-server';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
let base: string;
let host: ServiceHost;
let server: BrowserServer;
let origin: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'longmode-serve-'));
  const ws = join(base, 'ws');
  await mkdir(join(ws, 'kernel/src'), { recursive: true });
  await copyFile(join(repoRoot, 'samples/seed-os/longmode.json'), join(ws, 'longmode.json'));
  await writeFile(join(ws, 'kernel/src/main.rs'), '// phase 2\n');
  const renderer = join(base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Longmode</title>');
  await writeFile(join(renderer, 'assets/app.js'), 'console.log(1)');
  host = await ServiceHost.open({ workspace: ws, build: toolchainBackend, vm: emulatorBackend });
  server = await startBrowserServer({ host, port: 0, rendererDir: renderer });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await host?.dispose();
  await rm(base, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers, redirect: 'manual' });

/** fetch() may not set Host, so a raw request checks the DNS-rebinding guard. */
function statusWithHost(path: string, hostHeader: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: hostHeader } }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens a WebSocket; resolves with the socket or with the HTTP status the upgrade was refused with. */
function openSocket(query: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.close();
  });
}

describe('browser-mode server: access', () => {
  it('binds 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the page with the token, with a strict CSP, and sets the cookie the page\'s assets use', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Longmode</title>');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toBe(`longmode_token_${server.port}=${server.token}`);
    const asset = await get('/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses requests without the token, with a wrong one, from another Origin or Host', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(`/?token=${server.token.slice(0, -1)}x`)).status).toBe(401);
    expect((await get(`/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await statusWithHost(`/?token=${server.token}`, `evil.example:${server.port}`)).toBe(403); // DNS rebinding
    expect((await get(`/?token=${server.token}`, { origin: `http://localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token, with a wrong one, or from another Origin', async () => {
    expect(await openSocket('', { origin })).toBe(401);
    expect(await openSocket('?token=nope', { origin })).toBe(401);
    expect(await openSocket(`?token=${server.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await openSocket(`?token=${server.token}`, {})).toBe(403); // no Origin at all
  });

  it('does not serve files outside the bundle', async () => {
    const cookie = `longmode_token_${server.port}=${server.token}`;
    expect((await get('/%2e%2e/ws/longmode.json', { cookie })).status).toBe(404);
    expect((await get('/..%2fws%2flongmode.json', { cookie })).status).toBe(404);
  });
});

describe('browser-mode server: the contract over the WebSocket', () => {
  async function connect() {
    const socket = await openSocket(`?token=${server.token}`, { origin });
    if (typeof socket === 'number') throw new Error(`upgrade refused with ${socket}`);
    const client = createApiClient((message) => socket.send(JSON.stringify(message)));
    socket.on('message', (data) => client.receive(JSON.parse(data.toString()) as WireMessage));
    return { socket, api: client.api };
  }

  it('answers workspace.info and fs.read, and refuses bad calls with a code', async () => {
    const { socket, api } = await connect();
    try {
      const info = await api.call('workspace.info', {});
      expect(info).toMatchObject({ name: 'seed-os', manifestProblems: [] });
      const file = await api.call('fs.read', { path: 'kernel/src/main.rs' });
      expect(file.text).toBe('// phase 2\n');
      await expect(api.call('fs.read', { path: '../renderer/index.html' })).rejects.toMatchObject({ code: 'outside-workspace' });
      await expect(api.call('fs.nope' as 'fs.read', { path: 'x' })).rejects.toMatchObject({ code: 'bad-request' });
      await expect(api.call('fs.read', { path: 42 } as never)).rejects.toMatchObject({ code: 'bad-request' });
      await expect(api.call('vm.pause', {})).rejects.toMatchObject({ code: 'no-vm', message: expect.stringMatching(/Boot/) });
    } finally {
      await closeSocket(socket);
    }
  });

  it('pushes fs.changed to connected clients for changes made outside the IDE', async () => {
    const { socket, api } = await connect();
    try {
      const seen = new Promise((resolve) => api.on('fs.changed', (change) => change.path === 'notes.txt' && resolve(change)));
      await writeFile(join(host.workspace.realRoot, 'notes.txt'), 'hello');
      expect(await seen).toMatchObject({ path: 'notes.txt', kind: 'created' });
    } finally {
      await closeSocket(socket);
    }
  });

  it('remembers open tabs and layout in the workspace\'s .longmode folder', async () => {
    const { socket, api } = await connect();
    try {
      expect(await api.call('ui.loadState', {})).toEqual({ openTabs: [], layout: {} });
      const state = { openTabs: ['kernel/src/main.rs'], activeTab: 'kernel/src/main.rs', layout: { explorerWidth: 260, vgaVisible: true } };
      await api.call('ui.saveState', { state });
      expect(await api.call('ui.loadState', {})).toEqual(state);
      await expect(api.call('ui.saveState', { state: { openTabs: ['/etc/passwd'], layout: {} } })).rejects.toMatchObject({ code: 'outside-workspace' });
    } finally {
      await closeSocket(socket);
    }
  });
});
