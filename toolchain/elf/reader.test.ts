import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../run-tool';
import { MINI_OS, tempWorkspace, type TempWorkspace } from '../test-support';
import { ElfError, readElf, stripElf } from './index';

const PIE_FLAGS = [
  '-C relocation-model=pie', '-C code-model=small', '-C no-redzone=yes', '-C link-arg=-nostartfiles',
  '-C link-arg=-nostdlib', '-C link-arg=-static-pie', '-C link-arg=-Wl,--build-id=none',
].join(' ');

let ws: TempWorkspace;
let kernel: Uint8Array; // the real mini-os kernel ELF (static, linked at 1 MiB)
let pieKernel: Uint8Array; // the same kernel built position-independent (.rela.dyn of R_X86_64_RELATIVE)
let kernelPath: string;
let piePath: string;

beforeAll(async () => {
  ws = await tempWorkspace(MINI_OS);
  const cwd = join(ws.dir, 'kernel');
  const plain = await runTool('cargo', ['build', '--release'], { cwd });
  expect(plain.code, plain.stderr).toBe(0);
  const pie = await runTool('cargo', ['build', '--release', '--target-dir', 'target-pie'], { cwd, env: { ...process.env, RUSTFLAGS: PIE_FLAGS } });
  expect(pie.code, pie.stderr).toBe(0);
  kernelPath = join(cwd, 'target/x86_64-unknown-linux-gnu/release/kernel');
  piePath = join(cwd, 'target-pie/x86_64-unknown-linux-gnu/release/kernel');
  kernel = new Uint8Array(readFileSync(kernelPath));
  pieKernel = new Uint8Array(readFileSync(piePath));
});

afterAll(async () => {
  await ws?.remove();
});

/** binutils' view of a file, to cross-check the reader. */
function readelf(args: string[], file: string): string {
  return execFileSync('readelf', ['-W', ...args, file], { encoding: 'utf8' });
}

describe('readElf on the real kernel', () => {
  it('reads the header and program headers', () => {
    const elf = readElf(kernel);
    expect(elf.header.typeName).toBe('EXEC');
    expect(elf.header.machine).toBe(62);
    expect(elf.header.entry).toBe(0x100000n);
    expect(elf.header.entry).toBe(elf.findSymbol('_start')?.value);
    const loads = elf.programHeaders.filter((p) => p.typeName === 'LOAD');
    expect(loads.length).toBeGreaterThanOrEqual(2);
    expect(loads[0]).toMatchObject({ vaddr: 0x100000n, paddr: 0x100000n, offset: 0x1000n });
  });

  it('reads the same sections and symbols as readelf', () => {
    const elf = readElf(kernel);
    const names = [...readelf(['-S'], kernelPath).matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)].map((m) => m[1]);
    expect(elf.sections.slice(1).map((s) => s.name)).toEqual(names.slice(1)); // [0] is the NULL section
    expect(elf.section('.debug_info')?.typeName).toBe('PROGBITS');
    const symbols = [...readelf(['-s'], kernelPath).matchAll(/^\s*\d+: ([0-9a-f]{16})\s+(\d+)\s+(\w+)\s+(\w+)\s+\w+\s+\S+\s*(\S*)$/gm)];
    expect(elf.symbols.length).toBe(symbols.length - 1); // readelf lists the null symbol
    for (const [, value, size, type, bind, name] of symbols.slice(1)) {
      expect(elf.symbols).toContainEqual(expect.objectContaining({ name, value: BigInt(`0x${value}`), size: BigInt(size), type, bind }));
    }
  });

  it('finds a symbol, its bytes, its file offset and its physical address', () => {
    const elf = readElf(kernel);
    const marker = elf.findSymbol('MINI_MARKER');
    expect(marker).toMatchObject({ type: 'OBJECT', bind: 'GLOBAL', size: 8n, table: '.symtab' });
    expect(new TextDecoder().decode(elf.readVirtual(marker!.value, 8))).toBe('MINIOS01');
    const rodata = elf.section('.rodata')!;
    expect(elf.virtToFileOffset(marker!.value)).toBe(Number(rodata.offset + (marker!.value - rodata.addr)));
    expect(elf.physOf(marker!.value)).toBe(marker!.value); // linked identity: p_paddr = p_vaddr
    expect(elf.symbolAt(marker!.value + 3n)?.name).toBe('MINI_MARKER');
    expect(elf.findSymbol('no_such_symbol')).toBeUndefined();
    expect(elf.physOf(0xdead_0000_0000n)).toBeUndefined();
    expect(elf.virtToFileOffset(0n)).toBeUndefined();
  });

  it('reads R_X86_64_RELATIVE relocations of a position-independent kernel like readelf', () => {
    const elf = readElf(pieKernel);
    expect(elf.header.typeName).toBe('DYN');
    const expected = [...readelf(['-r'], piePath).matchAll(/^([0-9a-f]{16})\s+[0-9a-f]{16}\s+R_X86_64_RELATIVE\s+([0-9a-f]+)$/gm)];
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const relative = elf.relocations.filter((r) => r.typeName === 'R_X86_64_RELATIVE');
    expect(relative.map((r) => [r.offset, r.addend, r.section])).toEqual(
      expected.map(([, offset, addend]) => [BigInt(`0x${offset}`), BigInt(`0x${addend}`), '.rela.dyn']),
    );
    // The greetings table holds pointers: each of its two &str pointers is relocated.
    const greetings = elf.findSymbol('MINI_GREETINGS')!;
    expect(relative.filter((r) => r.offset >= greetings.value && r.offset < greetings.value + greetings.size)).toHaveLength(2);
  });

  it('reads a host PIE executable with symbol-bound relocations', () => {
    const elf = readElf(readFileSync('/usr/bin/ls'));
    const count = (readelf(['-r'], '/usr/bin/ls').match(/^[0-9a-f]{16}\s/gm) ?? []).length;
    expect(elf.relocations).toHaveLength(count);
    expect(elf.relocations.some((r) => r.typeName === 'R_X86_64_JUMP_SLOT' && r.symbol)).toBe(true);
    expect(elf.symbols.some((s) => s.table === '.dynsym')).toBe(true);
  });
});

describe('stripElf', () => {
  it('keeps the header, program headers and PT_LOAD bytes, and drops the section headers', () => {
    const stripped = stripElf(kernel);
    const elf = readElf(stripped);
    const original = readElf(kernel);
    expect(elf.sections).toEqual([]);
    expect(elf.header).toMatchObject({ shoff: 0n, shnum: 0, shstrndx: 0, entry: original.header.entry });
    expect(elf.programHeaders).toEqual(original.programHeaders);
    const lastLoadEnd = Math.max(...original.programHeaders.filter((p) => p.typeName === 'LOAD').map((p) => Number(p.offset + p.filesz)));
    expect(stripped.length).toBe(lastLoadEnd);
    expect(Buffer.compare(stripped.subarray(64), kernel.subarray(64, lastLoadEnd))).toBe(0);
    expect(stripped.length).toBeLessThan(kernel.length);
  });

  it('never modifies the bytes it is given, even a Node Buffer', () => {
    const buffer = Buffer.from(kernel);
    stripElf(buffer);
    expect(Buffer.compare(buffer, kernel)).toBe(0);
  });

  it('refuses an ELF without PT_LOAD', () => {
    const copy = kernel.slice();
    const ph = Number(readElf(copy).header.phoff);
    const view = new DataView(copy.buffer);
    for (let i = 0; i < readElf(copy).header.phnum; i++) view.setUint32(ph + i * 56, 4, true); // all PT_NOTE
    expect(() => stripElf(copy)).toThrow(/no PT_LOAD/);
  });
});

/** A copy of `bytes` with a little-endian field overwritten. */
function patched(bytes: Uint8Array, offset: number, size: 1 | 2 | 4 | 8, value: number | bigint): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (size === 1) view.setUint8(offset, Number(value));
  else if (size === 2) view.setUint16(offset, Number(value), true);
  else if (size === 4) view.setUint32(offset, Number(value), true);
  else view.setBigUint64(offset, BigInt(value), true);
  return copy;
}

function sectionHeaderOffset(bytes: Uint8Array, name: string): number {
  const elf = readElf(bytes);
  const s = elf.section(name)!;
  return Number(elf.header.shoff) + s.index * 64;
}

describe('readElf on malformed input', () => {
  const rejects = (bytes: Uint8Array, message: RegExp) => {
    let error: unknown;
    try {
      readElf(bytes);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ElfError);
    expect((error as Error).message).toMatch(message);
  };

  it('says what is wrong with files that are not ELF64 little-endian', () => {
    rejects(new Uint8Array(), /not an ELF file/);
    rejects(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /not an ELF file/);
    rejects(kernel.subarray(0, 40), /header is truncated/);
    rejects(patched(kernel, 4, 1, 1), /32-bit ELF.*ELF64/);
    rejects(patched(kernel, 5, 1, 2), /big-endian/);
    rejects(patched(kernel, 4, 1, 7), /unknown ELF class/);
  });

  it('rejects every truncation of the real kernel with an ElfError', () => {
    for (let length = 0; length < kernel.length; length += 13) {
      expect(() => readElf(kernel.subarray(0, length)), `length ${length}`).toThrow(ElfError);
    }
  });

  it('rejects hostile counts and offsets quickly', () => {
    const header = readElf(kernel).header;
    rejects(patched(kernel, 56, 2, 0xffff), /program header table lies outside the file/);
    rejects(patched(kernel, 32, 8, 0xffff_ffff_ffff_fff0n), /program header table lies outside/);
    rejects(patched(kernel, 54, 2, 8), /e_phentsize/);
    rejects(patched(kernel, 60, 2, 0xfffe), /section header table lies outside/);
    rejects(patched(kernel, 62, 2, header.shnum + 5), /e_shstrndx/);
    const ph0 = Number(header.phoff);
    rejects(patched(kernel, ph0 + 32, 8, 1n << 60n), /p_filesz larger than p_memsz|outside the file/);
    rejects(patched(kernel, ph0 + 8, 8, 0xffff_ffff_0000n), /data of program header 0/);
    const symtab = sectionHeaderOffset(kernel, '.symtab');
    rejects(patched(kernel, symtab + 32, 8, 24n * 100_000_000n), /outside the file/);
    rejects(patched(kernel, symtab + 56, 8, 23n), /entries of 23 bytes/);
    rejects(patched(kernel, symtab + 40, 4, 1), /not a string table/);
    // Extended numbering with an absurd count in section 0.
    const extended = patched(patched(kernel, 60, 2, 0), Number(header.shoff) + 32, 8, 1n << 40n);
    rejects(extended, /section count .* larger than the file allows/);
  });

  it('bounds the work when every symbol name points into one long unterminated run', () => {
    // A 1 MiB file: a string table of 'A's without a NUL, and a symbol table whose 30,000 entries all
    // name offsets inside it. The reader must fail (or finish) quickly instead of scanning 30 GB.
    const size = 1 << 20;
    const bytes = new Uint8Array(size);
    bytes.set(kernel.subarray(0, 64));
    const view = new DataView(bytes.buffer);
    view.setBigUint64(32, 0n, true); // no program headers
    view.setUint16(56, 0, true);
    const shoff = 64;
    view.setBigUint64(40, BigInt(shoff), true);
    view.setUint16(60, 4, true);
    view.setUint16(62, 3, true);
    const section = (i: number, type: number, offset: number, length: number, link: number, entsize: number, name: number) => {
      const at = shoff + i * 64;
      view.setUint32(at, name, true);
      view.setUint32(at + 4, type, true);
      view.setBigUint64(at + 24, BigInt(offset), true);
      view.setBigUint64(at + 32, BigInt(length), true);
      view.setUint32(at + 40, link, true);
      view.setBigUint64(at + 56, BigInt(entsize), true);
    };
    const strBase = 4096;
    const strSize = 300_000;
    bytes.fill(0x41, strBase, strBase + strSize);
    const symBase = strBase + strSize;
    const symCount = 30_000;
    for (let i = 0; i < symCount; i++) view.setUint32(symBase + i * 24, i % 1000, true);
    const shstr = symBase + symCount * 24;
    bytes.set(new TextEncoder().encode('\0.strtab\0.symtab\0.shstrtab\0'), shstr);
    section(1, 3, strBase, strSize, 0, 0, 1);
    section(2, 2, symBase, symCount * 24, 1, 24, 9);
    section(3, 3, shstr, 27, 0, 0, 17);
    const t0 = performance.now();
    expect(() => readElf(bytes)).toThrow(ElfError);
    expect(performance.now() - t0).toBeLessThan(5_000); // a hang guard, not a speed target
  });

  it('survives 10,000 random mutations: it returns a file or throws ElfError, never anything else', () => {
    const base = kernel;
    const shoff = Number(readElf(base).header.shoff);
    const hotOffsets = fc.oneof(
      fc.integer({ min: 0, max: 63 }), // ELF header
      fc.integer({ min: 64, max: 64 + 56 * 4 }), // program headers
      fc.integer({ min: shoff, max: base.length - 1 }), // section headers
      fc.integer({ min: 0, max: base.length - 1 }),
    );
    const mutation = fc.record({
      writes: fc.array(fc.tuple(hotOffsets, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      truncateTo: fc.option(fc.integer({ min: 0, max: base.length }), { freq: 5 }),
    });
    let slowest = 0;
    fc.assert(
      fc.property(mutation, ({ writes, truncateTo }) => {
        const bytes = base.slice(0, truncateTo ?? base.length);
        for (const [offset, value] of writes) if (offset < bytes.length) bytes[offset] = value;
        const t0 = performance.now();
        try {
          const elf = readElf(bytes);
          elf.findSymbol('MINI_MARKER');
          elf.physOf(0x100000n);
        } catch (err) {
          if (!(err instanceof ElfError)) throw err;
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }),
      { numRuns: 10_000 },
    );
    expect(slowest).toBeLessThan(2_000); // a hang guard, not a speed target
  });
});
