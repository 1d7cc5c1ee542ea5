// What the inspection, debug and snapshot services share: the live guest (QEMU session + kernel
// ELF), its registers, RAM, inspection record and DWARF line table, with errors a person can act on.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { QemuSession } from '../../../emulator/session';
import type { GdbRegisters } from '../../../emulator/gdb/client';
import { InspectError } from '../../../emulator/inspect/errors';
import { INSPECT_RECORD_SYMBOL, inspectRecordPhys, parseInspectRecord, type InspectRecord } from '../../../emulator/inspect/record';
import { readElf, type ElfFile } from '../../../toolchain/elf';
import { kernelElfPath, loadManifest } from '../../../toolchain/manifest';
import { DwarfError, LineTable } from '../../../toolchain/dwarf';
import type { SourceLocation } from '../../common/contract';
import type { Emit } from './emit';
import { ServiceError } from './service-error';

export interface GuestHandle {
  qemu: QemuSession;
  /** absolute path of the unstripped kernel ELF that is running (symbols, DWARF) */
  kernelElf?: string;
}

export interface InspectionDeps {
  /** the current guest, or undefined when none runs */
  guest(): GuestHandle | undefined;
  emit: Emit;
  /** the workspace's real root: source paths are reported relative to it */
  workspace: string;
}

interface KernelInfo {
  key: string;
  elf: ElfFile;
  recordPhys?: bigint;
  lines?: LineTable;
  linesError?: string;
  /** the crate folder: rustc's DWARF 4 names files relative to it */
  crateDir: string;
}

export class InspectionContext {
  private kernelCache: KernelInfo | undefined;
  /** the manifest's kernel ELF: used when the session does not say which ELF it runs */
  private manifestElf: string | undefined;

  constructor(readonly deps: InspectionDeps) {
    loadManifest(deps.workspace).then(
      (manifest) => (this.manifestElf = kernelElfPath(manifest, deps.workspace)),
      () => undefined,
    );
  }

  guest(): GuestHandle {
    const guest = this.deps.guest();
    if (!guest || guest.qemu.state === 'exited') throw new ServiceError('no-vm', 'no guest is running: press Boot (F5) first');
    return guest;
  }

  /** The guest, which must be stopped (paused, faulted, at a breakpoint). */
  paused(what: string): GuestHandle {
    const guest = this.guest();
    const state = guest.qemu.state;
    if (state === 'running' || state === 'booting') throw new ServiceError('guest-running', `the guest is running: pause it to ${what}`);
    return guest;
  }

  async registers(guest: GuestHandle): Promise<GdbRegisters> {
    try {
      return await guest.qemu.registers();
    } catch (err) {
      throw new ServiceError('failed', `cannot read the guest's registers: ${(err as Error).message}`);
    }
  }

  async cr3(guest: GuestHandle): Promise<bigint> {
    const { cr3 } = await this.registers(guest);
    if (cr3 === undefined) throw new ServiceError('failed', 'QEMU did not report CR3: the page tables cannot be found');
    return cr3;
  }

  kernel(guest: GuestHandle): KernelInfo {
    const path = guest.kernelElf ?? this.manifestElf;
    if (!path) throw new ServiceError('unavailable', 'the running guest has no kernel ELF on record: build the workspace and boot it from Longmode');
    let key: string;
    try {
      const st = statSync(path);
      key = `${path}:${st.mtimeMs}:${st.size}`;
    } catch {
      throw new ServiceError('not-found', `the kernel ELF ${path} is gone: build the workspace again`);
    }
    if (this.kernelCache?.key === key) return this.kernelCache;
    let elf: ElfFile;
    const bytes = readFileSync(path);
    try {
      elf = readElf(bytes);
    } catch (err) {
      throw new ServiceError('failed', `cannot read the kernel ELF ${path}: ${(err as Error).message}`);
    }
    const symbol = elf.findSymbol(INSPECT_RECORD_SYMBOL);
    const segments = elf.programHeaders.filter((p) => p.typeName === 'LOAD').map((p) => ({ vaddr: p.vaddr, paddr: p.paddr, memsz: p.memsz }));
    const crateDir = crateDirOf(path);
    const info: KernelInfo = { key, elf, crateDir, recordPhys: symbol && inspectRecordPhys(symbol.value, segments) };
    try {
      info.lines = LineTable.fromElf(bytes, { compDir: crateDir });
    } catch (err) {
      if (!(err instanceof DwarfError)) throw err;
      info.linesError = err.message;
    }
    this.kernelCache = info;
    return info;
  }

  /** The kernel's LONGMODE_INSPECT record, read from guest RAM. */
  record(guest: GuestHandle): InspectRecord {
    const kernel = this.kernel(guest);
    if (kernel.recordPhys === undefined) {
      throw new ServiceError('unavailable', `the kernel does not export ${INSPECT_RECORD_SYMBOL}: the memory map and heap views need it (page tables, registers and memory work without)`);
    }
    try {
      return parseInspectRecord(guest.qemu.ram, kernel.recordPhys);
    } catch (err) {
      if (err instanceof InspectError) throw new ServiceError('failed', err.message);
      throw err;
    }
  }

  /** The record when it can be read, else undefined (before the kernel is loaded). */
  tryRecord(guest: GuestHandle): InspectRecord | undefined {
    try {
      return this.record(guest);
    } catch {
      return undefined;
    }
  }

  lines(guest: GuestHandle): LineTable {
    const kernel = this.kernel(guest);
    if (!kernel.lines) throw new ServiceError('unavailable', kernel.linesError ?? 'the kernel ELF has no line table');
    return kernel.lines;
  }

  /** Where the kernel is linked vs where phase 2 runs it: high = link + delta (0 when not known yet). */
  highDelta(guest: GuestHandle): bigint {
    const record = this.tryRecord(guest);
    if (!record || record.kernelHighBase === 0n || record.kernelLinkBase === 0n) return 0n;
    return record.kernelHighBase - record.kernelLinkBase;
  }

  /** The workspace source line of a kernel address (low or high alias), when DWARF knows it. */
  locate(guest: GuestHandle, address: bigint): SourceLocation | undefined {
    let lines: LineTable;
    try {
      lines = this.lines(guest);
    } catch {
      return undefined;
    }
    const delta = this.highDelta(guest);
    const low = lines.locate(address) || delta === 0n ? address : address - delta;
    // inlined code (core's write_volatile) is reported at its call site in the user's sources
    const found = lines.locateInSource(low, (file) => this.workspaceRelative(file) !== undefined);
    if (!found) return undefined;
    const file = this.workspaceRelative(found.file);
    return file ? { file, line: found.line } : undefined;
  }

  workspaceRelative(absolute: string): string | undefined {
    const rel = relative(this.deps.workspace, absolute);
    if (!rel || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
    return rel.split(sep).join('/');
  }
}

/** `<crate>/target/<triple>/<profile>/<bin>` → `<crate>`; otherwise the ELF's folder. */
function crateDirOf(elfPath: string): string {
  const marker = `${sep}target${sep}`;
  const at = elfPath.lastIndexOf(marker);
  return at > 0 ? elfPath.slice(0, at) : dirname(elfPath);
}

/** "0x…" → bigint, or a bad-request error naming the field. */
export function parseHex(value: string, field: string): bigint {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(value)) throw new ServiceError('bad-request', `${field} must be a hex address like 0xffff800000000000 (got '${value.slice(0, 30)}')`);
  return BigInt(value);
}
