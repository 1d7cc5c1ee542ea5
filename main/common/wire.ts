// The wire protocol both transports carry, and a generic client that turns it into `LongmodeApi`.
// The renderer (over the WebSocket) and tests use `createApiClient`; main uses `decodeIncoming`.
import type { CallError, CallName, EventName, Events, LongmodeApi, WireMessage } from './contract';
import { isEventName, validateCall } from './call-shapes';
import { isPlainObject } from './shape';

export type IncomingCall =
  | { ok: true; id: number; method: CallName; args: unknown }
  | { ok: false; id: number | undefined; error: CallError };

/** Decodes one message from a client (already JSON-parsed) and validates it against the contract. */
export function decodeIncoming(message: unknown): IncomingCall {
  if (!isPlainObject(message) || message.kind !== 'call') {
    return { ok: false, id: undefined, error: { code: 'bad-request', message: 'expected a message {kind:"call", id, method, args}' } };
  }
  const id = message.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { ok: false, id: undefined, error: { code: 'bad-request', message: 'a call needs a numeric id' } };
  }
  const check = validateCall(message.method, message.args);
  return check.ok ? { ok: true, id, method: check.method, args: check.args } : { ok: false, id, error: check.error };
}

/** An error a call came back with, carrying the contract's error code. */
export class LongmodeCallError extends Error {
  readonly code: string | undefined;
  constructor(error: CallError) {
    super(error.message);
    this.name = 'LongmodeCallError';
    this.code = error.code;
  }
}

export interface ApiClient {
  api: LongmodeApi;
  /** Feed every message from main here. */
  receive(message: WireMessage): void;
  /** The connection is gone: every pending call rejects with `reason`. */
  disconnect(reason: string): void;
}

/** A `LongmodeApi` over any message channel (`send` delivers one message to main). */
export function createApiClient(send: (message: WireMessage) => void): ApiClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const api: LongmodeApi = {
    call(method, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        try {
          send({ kind: 'call', id, method, args });
        } catch (err) {
          pending.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => set.delete(untyped);
    },
  };

  function receive(message: WireMessage): void {
    if (message.kind === 'result') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new LongmodeCallError(message.error));
    } else if (message.kind === 'event' && isEventName(message.event)) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload as Events[typeof message.event]);
    }
  }

  function disconnect(reason: string): void {
    for (const waiter of pending.values()) waiter.reject(new LongmodeCallError({ code: 'unavailable', message: reason }));
    pending.clear();
  }

  return { api, receive, disconnect };
}
