// The contract over Electron IPC for one window: messages from any other sender (another window,
// a subframe, a page that is not the app's own) are dropped and logged.
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { WireMessage } from '../common/contract';
import type { ClientTransport } from '../node/rpc/transport';
import { toMainChannel, toRendererChannel } from './ipc-channels';
import { isAppUrl } from './app-origin';

export interface IpcTransport extends ClientTransport {
  /** Stops delivering messages (the window now talks to another service host). */
  close(): void;
}

export function ipcTransport(contents: WebContents, log: (line: string) => void): IpcTransport {
  const messageListeners: ((message: unknown) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let open = true;

  const onIpc = (event: IpcMainEvent, message: unknown) => {
    if (!open || event.sender !== contents) return;
    if (!isAppMainFrame(event)) {
      log(`ipc: dropped a message from ${event.senderFrame?.url ?? 'an unknown frame'} (not the app's own page)`);
      return;
    }
    for (const listener of messageListeners) listener(message);
  };
  const close = () => {
    if (!open) return;
    open = false;
    ipcMain.off(toMainChannel, onIpc);
    for (const listener of closeListeners) listener();
  };
  ipcMain.on(toMainChannel, onIpc);
  contents.once('destroyed', close);

  return {
    name: 'ipc',
    send(message: WireMessage) {
      if (open && !contents.isDestroyed()) contents.send(toRendererChannel, message);
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close,
  };
}

function isAppMainFrame(event: IpcMainEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}
