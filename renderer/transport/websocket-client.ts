// The contract over a WebSocket (browser mode): calls are matched to results by id, events fan out
// to listeners. The socket reconnects on its own (server restart, network blip); calls made while it
// is down wait for the next connection, calls in flight when it drops fail with a readable error.
import type { CallArgs, CallName, CallResult, EventName, Events, LongmodeApi, WireMessage } from '../../main/common/contract';
import type { ConnectionListener, ConnectionState } from './connection';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: CallName;
}

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

export class WebSocketApi implements LongmodeApi {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queued: WireMessage[] = [];
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private attempt = 0;
  private everConnected = false;
  private state: ConnectionState = 'connecting';
  private disposed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly url: string) {
    this.open();
  }

  call<M extends CallName>(method: M, args: CallArgs<M>): Promise<CallResult<M>> {
    const id = this.nextId++;
    const message: WireMessage = { kind: 'call', id, method, args };
    return new Promise<CallResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
      else this.queued.push(message);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    listener(this.state, false);
    return () => this.connectionListeners.delete(listener);
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      const reconnected = this.everConnected;
      this.everConnected = true;
      for (const message of this.queued.splice(0)) socket.send(JSON.stringify(message));
      this.setState('connected', reconnected);
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onerror = () => {
      // a close event follows; it schedules the reconnect
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.disposed) return;
      this.failPending();
      this.setState('disconnected', false);
      const delay = RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)];
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  /** Closes the socket for good (no reconnect); calls still waiting fail. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new Error(`the connection to the Longmode server was closed before ${pending.method} finished`));
    }
  }

  private receive(data: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(data) as WireMessage;
    } catch {
      console.warn('longmode: ignored a message from the server that is not JSON');
      return;
    }
    if (message.kind === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    } else if (message.kind === 'event') {
      for (const listener of this.listeners.get(message.event) ?? []) {
        try {
          (listener as (payload: unknown) => void)(message.payload);
        } catch (error) {
          console.error(`longmode: a listener for ${message.event} failed`, error);
        }
      }
    }
  }

  private failPending(): void {
    const sent = [...this.pending.entries()].filter(([id]) => !this.queued.some((m) => m.kind === 'call' && m.id === id));
    for (const [id, pending] of sent) {
      this.pending.delete(id);
      pending.reject(new Error(`lost the connection to the Longmode server during ${pending.method}; it reconnects on its own, then try again`));
    }
  }

  private setState(state: ConnectionState, reconnected: boolean): void {
    this.state = state;
    for (const listener of this.connectionListeners) listener(state, reconnected);
  }
}
