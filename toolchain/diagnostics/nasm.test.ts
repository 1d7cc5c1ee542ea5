import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../run-tool';
import { TESTDATA, editFile, tempWorkspace, type TempWorkspace } from '../test-support';
import { parseNasmOutput } from './nasm';

const BROKEN = resolve(TESTDATA, 'broken');
const fixture = (name: string) => readFileSync(resolve(TESTDATA, 'fixtures', name), 'utf8');
const lineText = (dir: string) => (file: string, line: number) => readFileSync(join(dir, file), 'utf8').split('\n')[line - 1];

describe('parseNasmOutput on captured nasm output', () => {
  it('parses errors in the source and in an %included file', () => {
    const diagnostics = parseNasmOutput(fixture('nasm-parse-errors.txt'), { workspaceDir: BROKEN, source: 'boot/parse-errors.asm', lineText: lineText(BROKEN) });
    expect(diagnostics).toEqual([
      // "    mvo ax, bx": the code on the line, columns 5..15 (end exclusive)
      { tool: 'nasm', file: 'boot/parse-errors.asm', line: 4, column: 5, endLine: 4, endColumn: 15, severity: 'error', message: 'parser: instruction expected' },
      { tool: 'nasm', file: 'boot/inc/helper.inc', line: 3, column: 5, endLine: 3, endColumn: 15, severity: 'error', message: 'parser: instruction expected' },
    ]);
  });

  it('parses warnings with their class, macro context notes and later-pass errors', () => {
    const diagnostics = parseNasmOutput(fixture('nasm-warnings.txt'), { workspaceDir: BROKEN, source: 'boot/warnings.asm', lineText: lineText(BROKEN) });
    expect(diagnostics.map((d) => [d.line, d.column, d.severity, d.message, d.code])).toEqual([
      [8, 5, 'warning', 'byte data exceeds bounds', 'number-overflow'],
      [9, 5, 'warning', 'byte data exceeds bounds', 'number-overflow'],
      [4, 5, 'note', "from macro `PUT' defined here", undefined],
      [10, 5, 'error', "symbol `undefined_label' not defined", undefined],
    ]);
    expect(diagnostics.every((d) => d.file === 'boot/warnings.asm')).toBe(true);
  });

  it('handles messages without a location, absolute paths and unreadable lines', () => {
    const ws = '/home/me/os';
    const text = "nasm: fatal: unable to open input file `boot/x.asm' No such file or directory\n/home/me/os/boot/y.asm:7: error: oops\n\nrandom noise\n";
    expect(parseNasmOutput(text, { workspaceDir: ws, source: 'boot/x.asm' })).toEqual([
      { tool: 'nasm', file: 'boot/x.asm', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', message: "unable to open input file `boot/x.asm' No such file or directory" },
      { tool: 'nasm', file: 'boot/y.asm', line: 7, column: 1, endLine: 7, endColumn: 1, severity: 'error', message: 'oops' },
    ]);
  });
});

describe('nasm diagnostics live', () => {
  let ws: TempWorkspace;
  beforeAll(async () => {
    ws = await tempWorkspace(BROKEN);
  });
  afterAll(async () => {
    await ws?.remove();
  });

  it('points at the typo nasm reports in a freshly broken file', async () => {
    const source = join(ws.dir, 'boot/parse-errors.asm');
    // Fix the two parse errors, then break a different line in a different way.
    await editFile(source, '    mvo ax, bx', '    mov ax, bx');
    await editFile(join(ws.dir, 'boot/inc/helper.inc'), '    bogus_op 1', '    nop');
    const line = await editFile(source, '    jmp undefined_label', '    jmp undefined_label\n        xor ax, ax, ax ; three operands');
    const result = await runTool('nasm', ['-f', 'bin', '-I', 'boot/', '-I', 'boot/inc/', '-o', 'out.bin', 'boot/parse-errors.asm'], { cwd: ws.dir });
    expect(result.code).not.toBe(0);
    const diagnostics = parseNasmOutput(result.stderr, { workspaceDir: ws.dir, source: 'boot/parse-errors.asm', lineText: lineText(ws.dir) });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.find((d) => d.line === line + 1)).toMatchObject({ tool: 'nasm', file: 'boot/parse-errors.asm', column: 9, endColumn: 23, message: expect.stringMatching(/operand/) });
    expect(errors.find((d) => d.line === line)).toMatchObject({ column: 5, endColumn: 24, message: "symbol `undefined_label' not defined" });
  });
});
