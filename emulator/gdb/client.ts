// A GDB remote-protocol client for QEMU's gdbstub: registers by the target description,
// physical and virtual memory, breakpoints, continue/step/interrupt and a clean detach.
// QEMU 7.2 pitfalls handled here: never sends `?` (it clears all breakpoints); any byte sent
// while the guest runs pauses it (so callers pause first, acknowledgements are switched off with
// QStartNoAckMode, and QemuSession waits for `whenIdle()` before it continues); every VM stop, even one asked for
// over QMP, arrives as an unsolicited stop reply, which is routed to `stops`, not to a request.
import type { Socket } from 'node:net';
import { TypedEmitter } from '../events';
import { connectWhenReady } from '../unix-socket';
import { encodePacket, hexToBytes, isStopReply, littleEndianHexToBigInt, PacketParser } from './packets';
import { readRegisterLayout, type RegisterInfo } from './target-description';

export interface StopReply {
  signal: number;
  /** 'swbreak' | 'hwbreak' | 'watch' | … when the stub says why */
  reason?: string;
  thread?: string;
  raw: string;
}

export type BreakpointKind = 'software' | 'hardware';

/** Register values by the target description's names (rflags is also offered as `rflags`). */
export type GdbRegisters = Record<string, bigint>;

/** The largest `m` request QEMU answers in one packet. */
const MAX_MEMORY_PACKET = 2048;

interface GdbClientEvents {
  stop: StopReply;
  close: void;
}

export class GdbClient extends TypedEmitter<GdbClientEvents> {
  private readonly parser = new PacketParser();
  private replyWaiter?: (payload: string) => void;
  private queue: Promise<unknown> = Promise.resolve();
  private layout?: RegisterInfo[];
  private physicalMode?: boolean;
  private closed = false;
  /** after QStartNoAckMode: no `+` acknowledgements (a late one would pause a guest that runs again) */
  private noAck = false;

  private constructor(
    private readonly socket: Socket,
    readonly timeoutMs: number,
  ) {
    super();
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.emit('close', undefined);
    });
  }

  /** Connects to the stub. Note: connecting pauses a running guest (QEMU's behaviour). */
  static async connect(path: string, opts: { timeoutMs?: number; isAlive?: () => boolean } = {}): Promise<GdbClient> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const client = new GdbClient(await connectWhenReady(path, timeoutMs, opts.isAlive), timeoutMs);
    const features = await client.request('qSupported:xmlRegisters=i386;swbreak+;hwbreak+');
    if (/QStartNoAckMode\+/.test(features) && (await client.request('QStartNoAckMode')) === 'OK') client.noAck = true;
    return client;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once every request sent so far has its answer (a pending continue or step: its stop). */
  whenIdle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Sends one packet and resolves with the stub's answer (never a stop reply). */
  request(payload: string, timeoutMs = this.timeoutMs): Promise<string> {
    return this.serialized(() => this.exchange(payload, timeoutMs));
  }

  /** The register layout from target.xml and its includes (read once). */
  async registerLayout(): Promise<RegisterInfo[]> {
    this.layout ??= await readRegisterLayout((annex) => this.readXfer('features', annex));
    return this.layout;
  }

  /** All registers: the `g` block, then `p` for those after it (control registers, EFER, bases). */
  async readRegisters(): Promise<GdbRegisters> {
    const layout = await this.registerLayout();
    const g = await this.request('g');
    if (g.startsWith('E')) throw new Error(`the gdb stub refused to read registers (${g})`);
    const values: GdbRegisters = {};
    let offset = 0;
    for (const reg of [...layout].sort((a, b) => a.regnum - b.regnum)) {
      const chars = reg.bitsize / 4;
      let hex: string;
      if (offset + chars <= g.length) {
        hex = g.slice(offset, offset + chars);
        offset += chars;
      } else {
        hex = await this.request(`p${reg.regnum.toString(16)}`);
        if (hex.startsWith('E') || hex === '') continue;
      }
      if (!/x/.test(hex)) values[reg.name] = littleEndianHexToBigInt(hex);
    }
    if (values.eflags !== undefined) values.rflags = values.eflags;
    return values;
  }

  async readRegister(name: string): Promise<bigint> {
    const reg = (await this.registerLayout()).find((r) => r.name === name);
    if (!reg) throw new Error(`the target has no register named ${name}`);
    const hex = await this.request(`p${reg.regnum.toString(16)}`);
    if (hex.startsWith('E')) throw new Error(`the gdb stub refused to read ${name} (${hex})`);
    return littleEndianHexToBigInt(hex);
  }

  /** Reads guest memory, physical (QEMU's PhyMemMode) or virtual (through the CPU's page tables). */
  async readMemory(addr: bigint, length: number, opts: { physical?: boolean } = {}): Promise<Uint8Array> {
    return this.serialized(async () => {
      await this.setPhysicalMode(opts.physical ?? false);
      const out = new Uint8Array(length);
      for (let done = 0; done < length; done += MAX_MEMORY_PACKET) {
        const n = Math.min(MAX_MEMORY_PACKET, length - done);
        const at = addr + BigInt(done);
        const hex = await this.exchange(`m${at.toString(16)},${n.toString(16)}`, this.timeoutMs);
        if (hex.startsWith('E') || hex.length !== n * 2) {
          throw new Error(`cannot read ${n} bytes of guest ${opts.physical ? 'physical' : 'virtual'} memory at 0x${at.toString(16)} (${hex.slice(0, 8) || 'empty reply'})`);
        }
        out.set(hexToBytes(hex), done);
      }
      return out;
    });
  }

  async insertBreakpoint(addr: bigint, kind: BreakpointKind = 'software'): Promise<void> {
    const reply = await this.request(`Z${kind === 'software' ? 0 : 1},${addr.toString(16)},1`);
    if (reply !== 'OK') throw new Error(`cannot set a ${kind} breakpoint at 0x${addr.toString(16)} (${reply || 'unsupported'})`);
  }

  async removeBreakpoint(addr: bigint, kind: BreakpointKind = 'software'): Promise<void> {
    const reply = await this.request(`z${kind === 'software' ? 0 : 1},${addr.toString(16)},1`);
    if (reply !== 'OK') throw new Error(`cannot remove the ${kind} breakpoint at 0x${addr.toString(16)} (${reply || 'unsupported'})`);
  }

  /** Resumes the guest; resolves when it stops again (breakpoint, interrupt, or a QMP stop). */
  continue(timeoutMs = 60_000): Promise<StopReply> {
    return this.resumeWith('c', timeoutMs);
  }

  /** Executes one instruction. */
  step(timeoutMs = this.timeoutMs): Promise<StopReply> {
    return this.resumeWith('s', timeoutMs);
  }

  /** Stops a guest that runs after `continue` (sends the 0x03 break byte). */
  interrupt(timeoutMs = this.timeoutMs): Promise<StopReply> {
    const stopped = this.nextStop(timeoutMs);
    this.socket.write('\x03');
    return stopped;
  }

  /** Detaches and lets the guest run (`D;1`, as QEMU 7.2 expects), then closes the socket. */
  async detach(): Promise<void> {
    if (this.closed) return;
    try {
      await this.request('D;1');
    } finally {
      this.close();
    }
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** The next stop reply within timeoutMs. */
  nextStop(timeoutMs: number): Promise<StopReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`the guest did not stop within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on('stop', (stop) => {
        clearTimeout(timer);
        off();
        resolve(stop);
      });
    });
  }

  private resumeWith(packet: 'c' | 's', timeoutMs: number): Promise<StopReply> {
    return this.serialized(() => {
      const stopped = this.nextStop(timeoutMs);
      this.send(packet);
      return stopped;
    });
  }

  private async setPhysicalMode(physical: boolean): Promise<void> {
    if (this.physicalMode === physical) return;
    const reply = await this.exchange(`Qqemu.PhyMemMode:${physical ? 1 : 0}`, this.timeoutMs);
    if (reply !== 'OK') throw new Error(`the gdb stub does not support physical memory reads (${reply || 'empty reply'})`);
    this.physicalMode = physical;
  }

  private async readXfer(object: string, annex: string): Promise<string> {
    let text = '';
    for (;;) {
      const reply = await this.request(`qXfer:${object}:read:${annex}:${text.length.toString(16)},ffb`);
      if (reply.startsWith('E') || reply === '') throw new Error(`the gdb stub cannot send ${annex} (${reply || 'unsupported'})`);
      text += reply.slice(1);
      if (reply[0] === 'l') return text;
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private exchange(payload: string, timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the gdb connection to QEMU is closed (the VM has exited)'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiter = undefined;
        reject(new Error(`the gdb stub did not answer '${payload.slice(0, 20)}' within ${timeoutMs} ms (is the guest running? pause it first)`));
      }, timeoutMs);
      this.replyWaiter = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.send(payload);
    });
  }

  private send(payload: string): void {
    this.socket.write(encodePacket(payload), 'latin1');
  }

  private onData(chunk: string): void {
    for (const packet of this.parser.push(chunk)) {
      if (!this.noAck) this.socket.write(packet.valid ? '+' : '-');
      if (!packet.valid) continue;
      if (isStopReply(packet.payload)) {
        this.emit('stop', parseStopReply(packet.payload));
        continue;
      }
      const waiter = this.replyWaiter;
      this.replyWaiter = undefined;
      waiter?.(packet.payload);
    }
  }
}

export function parseStopReply(payload: string): StopReply {
  const signal = parseInt(payload.slice(1, 3), 16);
  const stop: StopReply = { signal, raw: payload };
  for (const part of payload.slice(3).split(';')) {
    const [key, value] = part.split(':');
    if (!key) continue;
    if (key === 'thread') stop.thread = value;
    else if (['swbreak', 'hwbreak', 'watch', 'rwatch', 'awatch'].includes(key)) stop.reason = key;
  }
  return stop;
}
