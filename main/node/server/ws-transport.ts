// The contract over one WebSocket connection (browser mode).
import type { WebSocket } from 'ws';
import type { WireMessage } from '../../common/contract';
import type { ClientTransport } from '../rpc/transport';

/** A client that has fallen this far behind skips VGA frames rather than queueing them. */
const maxBufferedForFrames = 4 << 20;

export function webSocketTransport(socket: WebSocket, name: string): ClientTransport {
  return {
    name,
    send(message: WireMessage) {
      if (socket.readyState !== socket.OPEN) return;
      if (message.kind === 'event' && message.event === 'vm.vga' && socket.bufferedAmount > maxBufferedForFrames) return;
      socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          parsed = undefined; // the dispatcher refuses it with a readable message
        }
        listener(parsed);
      });
    },
    onClose(listener) {
      socket.on('close', listener);
    },
  };
}
