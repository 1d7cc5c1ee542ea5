// The generic dispatcher: validates every incoming call against the contract, runs the service's
// handler, sends the result, and forwards the host's events. Each transport is one small file on top.
import type { CallName, WireMessage } from '../../common/contract';
import { decodeIncoming } from '../../common/wire';
import { toCallError } from '../services/service-error';
import type { ClientContext, ServiceHost } from '../services/service-host';
import type { ClientTransport } from './transport';

let nextClientId = 1;

/** Serves `host` to one client until the transport closes; returns a function that detaches early. */
export function serve(host: ServiceHost, transport: ClientTransport, log: (line: string) => void = () => {}): () => void {
  const client: ClientContext = { id: `${transport.name}#${nextClientId++}` };
  let open = true;
  const send = (message: WireMessage) => {
    if (!open) return;
    try {
      transport.send(message);
    } catch (err) {
      log(`${client.id}: could not send (${(err as Error).message})`);
    }
  };

  const stopEvents = host.onEvent((event, payload) => send({ kind: 'event', event, payload }));

  transport.onMessage(async (raw) => {
    const call = decodeIncoming(raw);
    if (!call.ok) {
      log(`${client.id}: refused a call: ${call.error.message}`);
      if (call.id !== undefined) send({ kind: 'result', id: call.id, ok: false, error: call.error });
      return;
    }
    try {
      const value = await host.handle(call.method as CallName, call.args as never, client);
      send({ kind: 'result', id: call.id, ok: true, value });
    } catch (err) {
      const error = toCallError(err);
      if (error.code === 'internal') log(`${client.id}: ${call.method} failed: ${(err as Error)?.stack ?? String(err)}`);
      send({ kind: 'result', id: call.id, ok: false, error });
    }
  });

  const detach = () => {
    if (!open) return;
    open = false;
    stopEvents();
    host.clientGone(client);
  };
  transport.onClose(detach);
  return detach;
}
