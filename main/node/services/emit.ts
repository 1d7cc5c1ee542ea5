// How services push contract events to every connected client.
import type { Events } from '../../common/contract';

export type Emit = <E extends keyof Events>(event: E, payload: Events[E]) => void;
