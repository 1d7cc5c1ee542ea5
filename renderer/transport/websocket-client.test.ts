// The browser-mode client against a real WebSocket server (the `ws` package stands in for the
// browser's WebSocket, whose API it shares): calls, events, errors, reconnect and queued calls.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import type { WireMessage } from '../../main/common/contract';
import type { ConnectionState } from './connection';
import { webSocketUrl } from './connection';
import { WebSocketApi } from './websocket-client';

(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;

const servers: WebSocketServer[] = [];
const clients: WebSocketApi[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((done) => server.close(done));
  }
});

/** A tiny contract server: vm.status answers, fs.read fails, every connection gets a vm.state event. */
async function startServer(port = 0): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  servers.push(server);
  await new Promise((done) => server.once('listening', done));
  server.on('connection', (socket) => {
    socket.send(JSON.stringify({ kind: 'event', event: 'vm.state', payload: { state: 'running' } } satisfies WireMessage));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireMessage;
      if (message.kind !== 'call') return;
      const reply: WireMessage =
        message.method === 'vm.status'
          ? { kind: 'result', id: message.id, ok: true, value: { state: 'paused' } }
          : { kind: 'result', id: message.id, ok: false, error: { code: 'not-found', message: 'no such file' } };
      socket.send(JSON.stringify(reply));
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function until(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => (check() ? resolve() : Date.now() - started > 5000 ? reject(new Error(`timed out: ${what}`)) : setTimeout(poll, 10));
    poll();
  });
}

describe('WebSocketApi', () => {
  it('matches results to calls, passes errors with their code, and delivers events', async () => {
    const { port } = await startServer();
    const api = new WebSocketApi(`ws://127.0.0.1:${port}/ws?token=t`);
    clients.push(api);
    const states: string[] = [];
    api.on('vm.state', (s) => states.push(s.state));
    await expect(api.call('vm.status', {})).resolves.toEqual({ state: 'paused' });
    await expect(api.call('fs.read', { path: 'x' })).rejects.toMatchObject({ message: 'no such file', code: 'not-found' });
    await until(() => states.length === 1, 'the event');
    expect(states).toEqual(['running']);
  });

  it('reconnects after the server restarts, reports it, and runs calls made while it was down', async () => {
    const first = await startServer();
    const api = new WebSocketApi(`ws://127.0.0.1:${first.port}/ws`);
    clients.push(api);
    const seen: [ConnectionState, boolean][] = [];
    api.onConnection((state, reconnected) => seen.push([state, reconnected]));
    await api.call('vm.status', {});
    for (const client of first.server.clients) client.terminate();
    await new Promise((done) => first.server.close(done));
    await until(() => seen.some(([s]) => s === 'disconnected'), 'the disconnect');
    const queued = api.call('vm.status', {});
    await startServer(first.port);
    await expect(queued).resolves.toEqual({ state: 'paused' });
    await until(() => seen.some(([s, again]) => s === 'connected' && again), 'the reconnect');
    expect(seen[0]).toEqual(['connecting', false]);
  });

  it('builds the socket URL from the page URL and its token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8123', search: '?token=a+b/c' })).toBe('ws://127.0.0.1:8123/ws?token=a%20b%2Fc');
    expect(webSocketUrl({ protocol: 'https:', host: 'box:443', search: '' })).toBe('wss://box:443/ws?token=');
  });
});
