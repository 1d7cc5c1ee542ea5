// NASM listings from the real nasm: the sample's two stages (through the build driver's arguments)
// and a small source with nested includes and macros.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, type Manifest } from './manifest';
import { evaluateOrg, listingPathFor, parseNasmListing } from './nasm-listing';
import { BootLineMap } from './nasm-listing-map';
import { nasmArgs } from './nasm-step';
import { SEED_OS, tempWorkspace, type TempWorkspace } from './test-support';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parseNasmListing on nested includes and macros', () => {
  let ws: TempWorkspace;
  let listing: ReturnType<typeof parseNasmListing>;
  beforeAll(async () => {
    ws = await tempWorkspace(join(SEED_OS, 'boot'));
    mkdirSync(join(ws.dir, 'inc'));
    writeFileSync(join(ws.dir, 'inc', 'inner.inc'), 'inner:\n    nop\n    ret\n');
    writeFileSync(join(ws.dir, 'inc', 'outer.inc'), '%macro twice 0\n    inc ax\n    inc bx\n%endmacro\n%include "inner.inc"\n');
    writeFileSync(join(ws.dir, 't.asm'), '%define BASE 0x8000\nbits 16\norg BASE\n%include "outer.inc"\nstart:\n    twice\n    mov ax, 1\n    twice\n    jmp start\n');
    execFileSync('nasm', ['-f', 'bin', '-I', 'inc/', '-l', 't.lst', '-o', 't.bin', 't.asm'], { cwd: ws.dir });
    listing = parseNasmListing(readFileSync(join(ws.dir, 't.lst'), 'utf8'));
  });
  afterAll(async () => ws?.remove());

  it('names the file of every line: the source, an include, an include of an include, a macro body', () => {
    const at = (offset: number) => listing.lines.filter((l) => l.offset === offset).map((l) => `${l.file || 'main'}:${l.line}`);
    expect(at(0)).toEqual(['inner.inc:2']);
    expect(at(1)).toEqual(['inner.inc:3']);
    expect(at(2)).toEqual(['main:6', 'outer.inc:2']); // the invocation line and the macro's first line
    expect(at(4)).toEqual(['main:7']);
    expect(at(9)).toEqual(['main:9']);
  });

  it('counts the bytes of each line so that they tile the output', () => {
    const bin = readFileSync(join(ws.dir, 't.bin'));
    const mainLines = listing.lines.filter((l) => l.file !== '' || l.line !== 6 && l.line !== 8);
    expect(mainLines.reduce((sum, l) => sum + l.size, 0)).toBe(bin.length);
  });

  it('evaluates the org through the defines', () => {
    expect(listing.orgExpression).toBe('BASE');
    expect(evaluateOrg('BASE', listing.defines)).toBe(0x8000);
    expect(evaluateOrg('7c00h + 0x200', new Map())).toBe(0x7e00);
    expect(evaluateOrg('$$ - 4', new Map())).toBeUndefined();
  });
});

describe('BootLineMap on the sample bootloader', () => {
  let ws: TempWorkspace;
  let manifest: Manifest;
  let map: BootLineMap;
  const source = (file: string) => readFileSync(join(ws.dir, file), 'utf8');
  beforeAll(async () => {
    ws = await tempWorkspace(SEED_OS);
    manifest = await loadManifest(ws.dir);
    mkdirSync(join(ws.dir, 'build'), { recursive: true });
    for (const stage of manifest.bootloader) execFileSync('nasm', nasmArgs(manifest, stage, stage.output), { cwd: ws.dir });
    map = BootLineMap.load(ws.dir, manifest);
  });
  afterAll(async () => ws?.remove());

  it('asks the build driver for a listing next to each output', () => {
    expect(listingPathFor('build/stage2.bin')).toBe('build/stage2.lst');
    expect(listingPathFor('out/boot')).toBe('out/boot.lst');
    expect(map.problems).toEqual([]);
  });

  it('puts stage 1 at 0x7c00 and stage 2 at its org (STAGE2_BASE = 0x7e00)', () => {
    expect(map.addressesOf('boot/stage1.asm', lineOf(source('boot/stage1.asm'), 'org 0x7c00'))?.addresses).toEqual([0x7c00]);
    const first = lineOf(source('boot/stage2.asm'), 'mov [boot_drive], dl');
    expect(map.addressesOf('boot/stage2.asm', lineOf(source('boot/stage2.asm'), 'stage2:'))).toEqual({ line: first, addresses: [0x7e00] });
  });

  it('maps each line to the bytes nasm put there', () => {
    const stage2 = readFileSync(join(ws.dir, 'build/stage2.bin'));
    const line = lineOf(source('boot/stage2.asm'), 'lgdt [gdt_descriptor]');
    const [address] = map.addressesOf('boot/stage2.asm', line)!.addresses;
    expect([...stage2.subarray(address - 0x7e00, address - 0x7e00 + 2)]).toEqual([0x0f, 0x01]); // lgdt
    expect(map.locate(address + 2)).toEqual({ file: 'boot/stage2.asm', line });
  });

  it('gives a line of a file both stages include one address per stage', () => {
    const line = lineOf(source('boot/print16.inc'), 'lodsb');
    const { addresses } = map.addressesOf('boot/print16.inc', line)!;
    expect(addresses).toHaveLength(2);
    expect(addresses[0]).toBeGreaterThanOrEqual(0x7c00);
    expect(addresses[0]).toBeLessThan(0x7e00);
    expect(addresses[1]).toBeGreaterThanOrEqual(0x7e00);
    expect(map.locate(addresses[1])).toEqual({ file: 'boot/print16.inc', line });
  });

  it('says which listing is missing', async () => {
    const empty = await tempWorkspace(SEED_OS);
    try {
      const none = BootLineMap.load(empty.dir, manifest);
      expect(none.problems[0]).toMatch(/no NASM listing build\/stage1\.lst yet: build the workspace/);
      expect(none.knows('boot/stage1.asm')).toBe(false);
    } finally {
      await empty.remove();
    }
  });
});
