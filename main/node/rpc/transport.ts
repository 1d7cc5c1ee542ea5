// What a transport (WebSocket, Electron IPC, …) gives the dispatcher: one connected client.
import type { WireMessage } from '../../common/contract';

export interface ClientTransport {
  /** a short name for logs, e.g. "ws#3" or "ipc" */
  readonly name: string;
  send(message: WireMessage): void;
  /** `message` is untrusted: already JSON-parsed (or structured-cloned), not yet validated */
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}
