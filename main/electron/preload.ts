// The sandboxed preload: exposes exactly `window.longmode = { call, on }` for the contract's own
// call and event names, over two IPC channels. No Node, no raw ipcRenderer in the page.
import { contextBridge, ipcRenderer } from 'electron';
import type { CallName, EventName, WireMessage } from '../common/contract';
import { isCallName, isEventName } from '../common/call-shapes';
import { createApiClient } from '../common/wire';
import { toMainChannel, toRendererChannel } from './ipc-channels';

const client = createApiClient((message) => ipcRenderer.send(toMainChannel, message));
ipcRenderer.on(toRendererChannel, (_event, message: WireMessage) => client.receive(message));

contextBridge.exposeInMainWorld('longmode', {
  call(method: CallName, args: unknown): Promise<unknown> {
    if (!isCallName(method)) return Promise.reject(new Error(`longmode.call: '${String(method)}' is not a call of the contract`));
    // an Error crossing the context bridge keeps its message; re-create it with the contract code attached
    return client.api.call(method, args as never).catch((err: Error & { code?: string }) => {
      throw Object.assign(new Error(err.message), { code: err.code });
    });
  },
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`longmode.on: '${String(event)}' is not an event of the contract`);
    if (typeof listener !== 'function') throw new Error('longmode.on: the listener must be a function');
    return client.api.on(event, listener);
  },
});
