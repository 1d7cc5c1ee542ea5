// Bootloader source lines ↔ guest addresses, from the NASM listings the build writes next to each
// stage's output (build/<stage>.lst). A stage is a flat binary run where it is loaded: its `org`
// (stage 1: 0x7C00, where the BIOS puts the boot sector, also when it has no org). Addresses are
// linear = physical: right for code running with segment base 0 (real mode CS=0, flat protected and
// long mode), which is how the sample's stages run; code under another CS base would need that base.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { imageDefines, type BootloaderSpec, type Manifest } from './manifest';
import { evaluateOrg, listingPathFor, parseNasmListing } from './nasm-listing';

/** where the BIOS loads the boot sector */
export const BOOT_SECTOR_ADDRESS = 0x7c00;
const NEXT_LINE_WINDOW = 10;

export interface BootLine {
  stage: string;
  file: string; // workspace-relative
  line: number;
  address: number;
  size: number;
}

export class BootLineMap {
  private readonly byFile = new Map<string, Map<number, number[]>>();

  private constructor(
    readonly lines: BootLine[],
    /** what could not be read, per stage, as messages a person can act on */
    readonly problems: string[],
    /** a key that changes when a listing does (for caching) */
    readonly key: string,
  ) {
    for (const l of lines) {
      const byLine = this.byFile.get(l.file) ?? new Map<number, number[]>();
      this.byFile.set(l.file, byLine);
      const list = byLine.get(l.line) ?? [];
      if (!list.includes(l.address)) list.push(l.address);
      byLine.set(l.line, list);
    }
  }

  /** Reads every stage's listing; a missing or odd one becomes a problem, not an error. */
  static load(workspace: string, manifest: Manifest): BootLineMap {
    const lines: BootLine[] = [];
    const problems: string[] = [];
    const keys: string[] = [];
    const commandLineDefines = new Map(Object.entries(imageDefines(manifest)).map(([k, v]) => [k, String(v)]));
    manifest.bootloader.forEach((stage, index) => {
      const listing = resolve(workspace, listingPathFor(stage.output));
      if (!existsSync(listing)) {
        problems.push(`${stage.source}: no NASM listing ${listingPathFor(stage.output)} yet: build the workspace (the build writes it)`);
        return;
      }
      const st = statSync(listing);
      keys.push(`${listing}:${st.mtimeMs}:${st.size}`);
      const parsed = parseNasmListing(readFileSync(listing, 'utf8'));
      const defines = new Map([...parsed.defines, ...commandLineDefines]);
      const org = parsed.orgExpression === undefined ? undefined : evaluateOrg(parsed.orgExpression, defines);
      const base = org ?? (parsed.orgExpression === undefined && index === 0 ? BOOT_SECTOR_ADDRESS : undefined);
      if (base === undefined) {
        problems.push(`${stage.source}: cannot tell where ${stage.name} is loaded: its org is '${parsed.orgExpression ?? '(none)'}'; write it as a number or a %define of one`);
        return;
      }
      const fileOf = includeResolver(workspace, stage);
      for (const l of parsed.lines) {
        const file = fileOf(l.file);
        if (file) lines.push({ stage: stage.name, file, line: l.line, address: base + l.offset, size: l.size });
      }
    });
    return new BootLineMap(lines, problems, keys.join('|'));
  }

  knows(file: string): boolean {
    return this.byFile.has(file);
  }

  /** The addresses of `line`, or of the first line with code among the next few (labels, comments). */
  addressesOf(file: string, line: number): { line: number; addresses: number[] } | undefined {
    const byLine = this.byFile.get(file);
    if (!byLine) return undefined;
    for (let candidate = line; candidate <= line + NEXT_LINE_WINDOW; candidate++) {
      const addresses = byLine.get(candidate);
      if (addresses?.length) return { line: candidate, addresses: [...addresses].sort((a, b) => a - b) };
    }
    return undefined;
  }

  /** The source line whose bytes hold `address` (the innermost: an include's line over its %include). */
  locate(address: number): { file: string; line: number } | undefined {
    let best: BootLine | undefined;
    for (const l of this.lines) {
      if (address >= l.address && address < l.address + Math.max(l.size, 1) && (!best || l.size <= best.size)) best = l;
    }
    return best && { file: best.file, line: best.line };
  }
}

/** '' → the stage's source; an %include name → the file nasm found (workspace root, then each -I folder). */
function includeResolver(workspace: string, stage: BootloaderSpec): (name: string) => string | undefined {
  const sourceDir = posix.dirname(stage.source);
  const dirs = ['', sourceDir === '.' ? '' : sourceDir, ...stage.includes];
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (name === '') return stage.source;
    if (!cache.has(name)) {
      const found = dirs.map((d) => posix.normalize(posix.join(d, name))).find((p) => !p.startsWith('..') && existsSync(resolve(workspace, p)));
      cache.set(name, found);
    }
    return cache.get(name);
  };
}
