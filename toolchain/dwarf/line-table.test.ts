// The line reader against llvm-dwarfdump on real binaries: the seed-os kernel (rustc's DWARF 4)
// and a tiny no_std program built here with -C dwarf-version=5.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readElf } from '../elf';
import { DwarfError, LineTable, readLineUnits } from '.';

const kernelDir = resolve(__dirname, '../../samples/seed-os/kernel');
const kernelElf = join(kernelDir, 'target/x86_64-unknown-linux-gnu/release/kernel');

interface DumpRow {
  address: bigint;
  line: number;
  file: number;
  endSequence: boolean;
}

/** Rows per unit, as llvm-dwarfdump decodes them. */
function dumpRows(elf: string): DumpRow[][] {
  const text = execFileSync('llvm-dwarfdump', ['--debug-line', elf], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const units: DumpRow[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('debug_line[')) units.push([]);
    const m = /^0x([0-9a-f]{16})\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s+\d+\s+\d*\s*(.*)$/.exec(line);
    if (m) units[units.length - 1].push({ address: BigInt('0x' + m[1]), line: Number(m[2]), file: Number(m[3]), endSequence: m[4].includes('end_sequence') });
  }
  return units;
}

function section(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const s = readElf(bytes).section(name);
  return s && bytes.subarray(Number(s.offset), Number(s.offset + s.size));
}

function unitsOf(bytes: Uint8Array) {
  return readLineUnits({ debugLine: section(bytes, '.debug_line')!, debugLineStr: section(bytes, '.debug_line_str'), debugStr: section(bytes, '.debug_str') });
}

function expectSameRows(elf: string): number {
  const bytes = readFileSync(elf);
  const ours = unitsOf(bytes);
  const theirs = dumpRows(elf);
  expect(ours.length).toBe(theirs.length);
  let rows = 0;
  ours.forEach((unit, i) => {
    expect(unit.rows.map((r) => ({ address: r.address, line: r.line, file: r.file, endSequence: r.endSequence }))).toEqual(theirs[i]);
    rows += unit.rows.length;
  });
  return rows;
}

describe('the seed-os kernel (DWARF 4)', () => {
  it.skipIf(!existsSync(kernelElf))('decodes every row exactly as llvm-dwarfdump does', () => {
    expect(unitsOf(readFileSync(kernelElf)).some((u) => u.version === 4)).toBe(true);
    expect(expectSameRows(kernelElf)).toBeGreaterThan(1000);
  });

  it.skipIf(!existsSync(kernelElf))('maps a kernel line to addresses and back', () => {
    const table = LineTable.fromElf(readFileSync(kernelElf), { compDir: kernelDir });
    const source = readFileSync(join(kernelDir, 'src/phase2.rs'), 'utf8').split('\n');
    const line = source.findIndex((l) => l.includes('kprintln!("free frames:')) + 1;
    const found = table.addressesOf('kernel/src/phase2.rs', line);
    // optimised code: the line itself, or the next one that kept any code
    expect(found!.line).toBeGreaterThanOrEqual(line);
    expect(found!.line).toBeLessThanOrEqual(line + 8);
    expect(found!.addresses.length).toBeGreaterThan(0);
    for (const address of found!.addresses) expect(table.locate(address)).toEqual({ file: join(kernelDir, 'src/phase2.rs'), line: found!.line });
    // a comment line resolves to the next line with code
    const comment = source.findIndex((l) => l.trim().startsWith('/// Extends the heap')) + 1;
    expect(table.addressesOf('src/phase2.rs', comment)!.line).toBeGreaterThan(comment);
    expect(table.addressesOf('kernel/src/no-such-file.rs', 1)).toBeUndefined();
  });
});

describe('a tiny no_std program built with DWARF 5', () => {
  let dir: string;
  let elf: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'longmode-dwarf5-'));
    writeFileSync(
      join(dir, 'main.rs'),
      [
        '#![no_std]',
        '#![no_main]',
        '#[panic_handler]',
        'fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }',
        '#[unsafe(no_mangle)]',
        'pub extern "C" fn rust_eh_personality() {}',
        '#[unsafe(no_mangle)]',
        'pub extern "C" fn _start() -> ! {',
        '    let mut x: u64 = 1;',
        '    loop {',
        '        x = x.wrapping_mul(3);',
        '        unsafe { core::ptr::write_volatile(0x1000 as *mut u64, x) };',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    elf = join(dir, 'tiny');
    execFileSync('rustc', [
      '--edition', '2024', '-C', 'panic=abort', '-C', 'debuginfo=2', '-C', 'dwarf-version=5', '-C', 'opt-level=0',
      '-C', 'relocation-model=static', '-C', 'link-arg=-nostartfiles', '-C', 'link-arg=-nostdlib', '-C', 'link-arg=-static',
      '-o', elf, 'main.rs',
    ], { cwd: dir, stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes every row exactly as llvm-dwarfdump does', () => {
    expect(unitsOf(readFileSync(elf)).some((u) => u.version === 5)).toBe(true);
    expectSameRows(elf);
  });

  it('finds the loop body line by the absolute path DWARF 5 records', () => {
    const table = LineTable.fromElf(readFileSync(elf));
    const found = table.addressesOf('main.rs', 11);
    expect(found?.line).toBe(11);
    expect(table.locate(found!.addresses[0])).toEqual({ file: join(dir, 'main.rs'), line: 11 });
  });
});

describe('malformed input', () => {
  it('says what is wrong with a truncated unit', () => {
    const bytes = readFileSync(kernelElf);
    const line = section(bytes, '.debug_line')!;
    expect(() => readLineUnits({ debugLine: line.subarray(0, 200) })).toThrow(/\.debug_line.*malformed|claims/);
  });

  it('never throws anything but a DwarfError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(2, 3, 4, 5), (body, version) => {
        const unit = new Uint8Array(6 + body.length);
        const view = new DataView(unit.buffer);
        view.setUint32(0, body.length + 2, true);
        view.setUint16(4, version, true);
        unit.set(body, 6);
        try {
          readLineUnits({ debugLine: unit });
        } catch (err) {
          expect(err).toBeInstanceOf(DwarfError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('explains a kernel built without debug info', () => {
    const bytes = readFileSync(kernelElf);
    const copy = new Uint8Array(bytes);
    const s = readElf(copy).section('.debug_line')!;
    // rename the section in the string table so it is not found
    const shstr = readElf(copy).sections[readElf(copy).header.shstrndx];
    const names = copy.subarray(Number(shstr.offset), Number(shstr.offset + shstr.size));
    const at = new TextDecoder('latin1').decode(names).indexOf('.debug_line\0');
    names[at + 1] = 'x'.charCodeAt(0);
    expect(s).toBeDefined();
    expect(() => LineTable.fromElf(copy)).toThrow(/no \.debug_line section: build it with debug info/);
  });
});
