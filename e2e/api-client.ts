// The contract from the test's side, over the same WebSocket the page uses (token and Origin of
// the page), for what the UI has no button for (e.g. booting with a fault switch). Closed by handle.
import { readFileSync, readdirSync } from 'node:fs';
import WebSocket from 'ws';
import type { LongmodeApi, WireMessage } from '../main/common/contract';
import { createApiClient } from '../main/common/wire';

export interface TestClient {
  api: LongmodeApi;
  close(): void;
}

export async function connectApi(pageUrl: string): Promise<TestClient> {
  const url = new URL(pageUrl);
  const socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { headers: { Origin: url.origin } });
  const client = createApiClient((message) => socket.send(JSON.stringify(message)));
  socket.on('message', (data) => client.receive(JSON.parse(String(data)) as WireMessage));
  socket.on('close', () => client.disconnect('the test client was closed'));
  await new Promise<void>((open, fail) => {
    socket.once('open', () => open());
    socket.once('error', fail);
  });
  return { api: client.api, close: () => socket.terminate() };
}

/** The children of `pid` whose command is `name` (from /proc: found by parent PID, never by name alone). */
export function childProcesses(pid: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && comm.startsWith(name.slice(0, 15))) found.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return found;
}
