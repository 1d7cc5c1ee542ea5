// The QEMU command line for a Longmode session (pure: paths in, argv out).
import { availableParallelism } from 'node:os';

/** The sample OS's fault switches (samples/seed-os/README.md, "Fault switches"). */
export const FAULT_SWITCHES = ['page', 'triple', 'spin', 'double'] as const;
export type FaultSwitch = (typeof FAULT_SWITCHES)[number];

export interface QemuArgsOptions {
  image: string;
  /** QEMU size syntax: '128M', '1G' */
  memory: string;
  dir: SessionPaths;
  fault?: FaultSwitch;
  extraArgs?: string[];
}

export interface SessionPaths {
  dir: string;
  ram: string;
  qmp: string;
  gdb: string;
  log: string;
  pid: string;
  /** a session-private disk (when the session was started with one) */
  disk: string;
}

export function sessionPaths(dir: string): SessionPaths {
  return {
    dir,
    ram: `${dir}/ram`,
    qmp: `${dir}/qmp.sock`,
    gdb: `${dir}/gdb.sock`,
    log: `${dir}/qemu.log`,
    pid: `${dir}/qemu.pid`,
    disk: `${dir}/disk.img`,
  };
}

/**
 * Always starts with the CPU stopped (-S): the session attaches QMP and the gdb stub first,
 * then continues unless the caller asked for a paused start.
 */
export function qemuArgs(opts: QemuArgsOptions): string[] {
  const { dir } = opts;
  const args = [
    '-machine', 'pc,memory-backend=ram',
    // prealloc: a shared file gets no transparent huge pages, so every first touch of a guest page
    // faults on its own; faulting all of RAM up front with a thread per core is faster (measured:
    // phase 2 at 128M in ~0.2 s instead of ~0.29 s, at 1G in ~0.5 s instead of ~1.05 s)
    '-object', `memory-backend-file,id=ram,size=${opts.memory},mem-path=${dir.ram},share=on,prealloc=on,prealloc-threads=${preallocThreads()}`,
    '-m', opts.memory,
    '-drive', `file=${opts.image},format=raw,if=ide,snapshot=on`,
    '-qmp', `unix:${dir.qmp},server=on,wait=off`,
    '-chardev', `socket,id=gdb0,path=${dir.gdb},server=on,wait=off`,
    '-gdb', 'chardev:gdb0',
    '-chardev', 'stdio,id=serial0,signal=off',
    '-serial', 'chardev:serial0',
    '-monitor', 'none',
    '-display', 'none',
    '-no-reboot',
    '-no-shutdown',
    '-d', 'int,cpu_reset',
    '-D', dir.log,
    '-pidfile', dir.pid,
    '-S',
  ];
  if (opts.fault) args.push('-fw_cfg', `name=opt/longmode/fault,string=${opts.fault}`);
  return [...args, ...(opts.extraArgs ?? [])];
}

function preallocThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** '128M' → bytes. Accepts K, M, G, T suffixes (binary) and plain bytes, as QEMU does. */
export function parseMemorySize(size: string): bigint {
  const m = /^(\d+)([KMGT]?)i?B?$/i.exec(size.trim());
  if (!m) throw new Error(`memory size '${size}' is not understood: use a number with K, M or G, e.g. 128M`);
  const shift = { '': 20, K: 10, M: 20, G: 30, T: 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return BigInt(m[1]) << BigInt(shift);
}
