// Source lines ↔ guest addresses for the debugger: kernel lines through the kernel ELF's DWARF line
// table (the link-time address and the high-half alias once the kernel has published it),
// bootloader lines through the NASM listings the build writes (toolchain/nasm-listing-map.ts).
import { hex } from '../../../emulator/inspect/hex';
import { loadManifest } from '../../../toolchain/manifest';
import { BootLineMap } from '../../../toolchain/nasm-listing-map';
import type { ResolvedBreakpoint, SourceLocation } from '../../common/contract';
import type { GuestHandle, InspectionContext } from './inspection-context';

const ASSEMBLY = /\.(asm|nasm|inc|s)$/i;

export class BreakpointResolver {
  private boot: BootLineMap | undefined;

  constructor(private readonly ctx: InspectionContext) {}

  static isAssembly(file: string): boolean {
    return ASSEMBLY.test(file);
  }

  /** Rereads the bootloader listings (after a build they change); a broken manifest leaves none. */
  async refreshBootLines(): Promise<BootLineMap | undefined> {
    try {
      this.boot = BootLineMap.load(this.ctx.deps.workspace, await loadManifest(this.ctx.deps.workspace));
    } catch {
      this.boot = undefined;
    }
    return this.boot;
  }

  /** Resolves one file's lines; `guest` undefined: kernel lines wait for the boot (pending). */
  async resolve(guest: GuestHandle | undefined, file: string, lines: number[]): Promise<ResolvedBreakpoint[]> {
    if (BreakpointResolver.isAssembly(file)) return this.resolveBoot(file, lines);
    if (!guest) return lines.map((line) => ({ line, addresses: [], verified: false, pending: true, message: 'set when the guest boots' }));
    return this.resolveKernel(guest, file, lines);
  }

  /** The source line of a guest address: the kernel's DWARF first, then the bootloader listings. */
  locate(guest: GuestHandle, address: bigint): SourceLocation | undefined {
    const kernel = this.ctx.locate(guest, address);
    if (kernel) return kernel;
    return address < 0x1_0000_0000n ? this.boot?.locate(Number(address)) : undefined;
  }

  private async resolveBoot(file: string, lines: number[]): Promise<ResolvedBreakpoint[]> {
    const boot = await this.refreshBootLines();
    const why = !boot
      ? 'the workspace has no readable longmode.json, so Longmode cannot find the bootloader listings'
      : boot.knows(file)
        ? 'no code for this line in the NASM listing'
        : boot.problems.join('; ') || `${file} is not part of any bootloader stage in longmode.json`;
    return lines.map((line) => {
      const found = boot?.addressesOf(file, line);
      if (!found) return { line, addresses: [], verified: false, message: why };
      return { line: found.line, addresses: found.addresses.map((a) => hex(BigInt(a))), verified: true };
    });
  }

  private resolveKernel(guest: GuestHandle, file: string, lines: number[]): ResolvedBreakpoint[] {
    let table;
    try {
      table = this.ctx.lines(guest);
    } catch (err) {
      return lines.map((line) => ({ line, addresses: [], verified: false, message: (err as Error).message }));
    }
    const delta = this.ctx.highDelta(guest);
    const absolute = `${this.ctx.deps.workspace}/${file}`;
    return lines.map((line) => {
      const found = table.addressesOf(absolute, line);
      if (!found) return { line, addresses: [], verified: false, message: 'no code for this line in the kernel ELF (not compiled, or optimised away)' };
      const addresses = found.addresses.flatMap((a) => (delta ? [a, a + delta] : [a]));
      return { line: found.line, addresses: addresses.map(hex), verified: true };
    });
  }
}
