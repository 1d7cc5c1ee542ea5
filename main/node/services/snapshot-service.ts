// Named VM snapshots (QEMU savevm/loadvm on the snapshot=on disk): save, restore, list. Every
// change is announced as `snapshot.changed`; a restore also as `vm.stopped` so panes refresh.
import { hex } from '../../../emulator/inspect/hex';
import type { SnapshotEntry, VmStatus } from '../../common/contract';
import { InspectionContext } from './inspection-context';
import { ServiceError } from './service-error';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class SnapshotService {
  constructor(private readonly ctx: InspectionContext) {}

  async list(): Promise<SnapshotEntry[]> {
    const guest = this.ctx.deps.guest();
    if (!guest || guest.qemu.state === 'exited') return [];
    const list = await guest.qemu.listSnapshots();
    return list.map((s) => ({ name: s.name, date: s.date, vmClock: s.vmClock, size: s.vmStateSize }));
  }

  async save(args: { name: string }): Promise<SnapshotEntry[]> {
    const name = checkName(args.name);
    const guest = this.ctx.guest();
    await failed(`save snapshot '${name}'`, () => guest.qemu.saveSnapshot(name));
    const snapshots = await this.list();
    this.ctx.deps.emit('snapshot.changed', { snapshots });
    return snapshots;
  }

  async load(args: { name: string }): Promise<VmStatus> {
    const name = checkName(args.name);
    const guest = this.ctx.guest();
    const known = await this.list();
    if (!known.some((s) => s.name === name)) throw new ServiceError('not-found', `there is no snapshot named '${name}' in this boot: save one first`);
    const wasRunning = guest.qemu.state === 'running';
    if (wasRunning) await guest.qemu.pause();
    await failed(`restore snapshot '${name}'`, () => guest.qemu.loadSnapshot(name));
    this.ctx.deps.emit('snapshot.changed', { snapshots: known, restored: name });
    if (guest.qemu.state !== 'running') {
      const { rip } = await this.ctx.registers(guest);
      this.ctx.deps.emit('vm.stopped', { reason: 'pause', rip: hex(rip ?? 0n), source: rip === undefined ? undefined : this.ctx.locate(guest, rip), detail: `restored snapshot ${name}` });
    }
    return guest.qemu.status();
  }
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (!NAME.test(name)) throw new ServiceError('bad-request', `snapshot name '${name.slice(0, 70)}' is not allowed: use 1-64 letters, digits, '.', '_' or '-'`);
  return name;
}

async function failed<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    throw new ServiceError('failed', `cannot ${what}: ${(err as Error).message}`);
  }
}
