// The contract from the test's side, over the same WebSocket the page uses (token and Origin of
// the page), for what the UI has no button for (e.g. booting with a fault switch). Closed by handle.
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

export { childProcesses } from '../emulator/testdata/child-processes';
