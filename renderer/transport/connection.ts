// Picks the way to the main process: Electron's preload (`window.longmode`) when present, otherwise
// the WebSocket of browser mode (`longmode serve`), whose token comes from the page's own URL.
import type { LongmodeApi } from '../../main/common/contract';
import { WebSocketApi } from './websocket-client';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';
/** `reconnected` is true when a connection came back after being lost (the UI then refreshes its state). */
export type ConnectionListener = (state: ConnectionState, reconnected: boolean) => void;

export interface Connection {
  api: LongmodeApi;
  mode: 'electron' | 'browser';
  onConnection(listener: ConnectionListener): () => void;
}

declare global {
  interface Window {
    longmode?: LongmodeApi;
  }
}

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}

export function connect(): Connection {
  const preload = window.longmode;
  if (preload) {
    return {
      api: preload,
      mode: 'electron',
      onConnection(listener) {
        listener('connected', false);
        return () => {};
      },
    };
  }
  if (location.protocol === 'file:') {
    throw new Error('Longmode could not reach its main process: open the app with `npm start`, or browser mode with `longmode serve`.');
  }
  const api = new WebSocketApi(webSocketUrl(location));
  return { api, mode: 'browser', onConnection: (listener) => api.onConnection(listener) };
}
