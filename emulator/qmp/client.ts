// A QMP (QEMU Machine Protocol) client over a unix socket: commands with typed results,
// events, and a timeout on every command.
import type { Socket } from 'node:net';
import { TypedEmitter } from '../events';
import { connectWhenReady } from '../unix-socket';
import type { QmpCommands, QmpEvent } from './types';

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    desc: string,
  ) {
    super(`QMP ${command} failed: ${desc}`);
  }
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface QmpClientEvents {
  event: QmpEvent;
  close: void;
}

export class QmpClient extends TypedEmitter<QmpClientEvents> {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private greeted!: () => void;
  private closed = false;
  private readonly greeting = new Promise<void>((resolve) => (this.greeted = resolve));

  private constructor(
    private readonly socket: Socket,
    readonly timeoutMs: number,
  ) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  /** Connects (retrying while QEMU creates the socket), reads the greeting, negotiates capabilities. */
  static async connect(path: string, opts: { timeoutMs?: number; isAlive?: () => boolean } = {}): Promise<QmpClient> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const socket = await connectWhenReady(path, timeoutMs, opts.isAlive);
    const client = new QmpClient(socket, timeoutMs);
    await withTimeout(client.greeting, timeoutMs, 'QMP greeting');
    await client.execute('qmp_capabilities');
    return client;
  }

  execute<C extends keyof QmpCommands>(command: C, args?: QmpCommands[C]['args'], timeoutMs?: number): Promise<QmpCommands[C]['result']>;
  execute(command: string, args?: object, timeoutMs?: number): Promise<unknown>;
  execute(command: string, args?: object, timeoutMs = this.timeoutMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(`QMP ${command}: QEMU's control connection is closed (the VM has exited)`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`QMP ${command} timed out after ${timeoutMs} ms: QEMU is not answering`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve, reject, timer });
      this.socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n');
    });
  }

  /** Runs a human monitor (HMP) command such as `info tlb` and returns its text output. */
  hmp(commandLine: string, timeoutMs?: number): Promise<string> {
    return this.execute('human-monitor-command', { 'command-line': commandLine }, timeoutMs);
  }

  /** Resolves with the next event of this name (and matching `filter`), or rejects after timeoutMs. */
  waitForEvent(name: string, timeoutMs = this.timeoutMs, filter: (e: QmpEvent) => boolean = () => true): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`QMP: no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on('event', (e) => {
        if (e.event !== name || !filter(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>);
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    if ('QMP' in msg) return this.greeted();
    if (typeof msg.event === 'string') {
      return this.emit('event', msg as unknown as QmpEvent);
    }
    const id = msg.id as number | undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id!);
    clearTimeout(pending.timer);
    if ('error' in msg) {
      const error = msg.error as { class: string; desc: string };
      pending.reject(new QmpError(pending.command, error.class, error.desc));
    } else {
      pending.resolve(msg.return);
    }
  }

  private onClose(): void {
    this.closed = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`QMP ${p.command}: QEMU closed the control connection (the VM has exited)`));
    }
    this.pending.clear();
    this.emit('close', undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: QEMU did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
