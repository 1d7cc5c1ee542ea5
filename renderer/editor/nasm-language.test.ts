// The NASM grammar, run through Monaco's own Monarch compiler and lexer (the code the editor uses),
// over lines of real NASM: the NASM manual's examples and bootloader code like the sample's.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nasmLanguage } from './nasm-language';
// @ts-expect-error Monaco ships no typings for its internal Monarch modules
import { compile } from 'monaco-editor/editor/standalone/common/monarch/monarchCompile';
// @ts-expect-error Monaco ships no typings for its internal Monarch modules
import { MonarchTokenizer } from 'monaco-editor/editor/standalone/common/monarch/monarchLexer';

interface MonarchState { clone(): MonarchState }
interface Tokenizer {
  getInitialState(): MonarchState;
  tokenize(line: string, hasEOL: boolean, state: MonarchState): { tokens: { offset: number; type: string }[]; endState: MonarchState };
}

const configuration = { getValue: () => 20_000, onDidChangeConfiguration: () => ({ dispose() {} }) };
const tokenizer: Tokenizer = new MonarchTokenizer({}, {}, 'nasm', compile('nasm', nasmLanguage), configuration);

type Token = [text: string, type: string];

/** Tokenizes lines (state carried across them) into [text, type] pairs without blank tokens. */
function tokenize(source: string): Token[][] {
  let state = tokenizer.getInitialState();
  return source.split('\n').map((line) => {
    const result = tokenizer.tokenize(line, true, state);
    state = result.endState;
    return result.tokens
      .map((t, i, all): Token => [line.slice(t.offset, all[i + 1]?.offset ?? line.length), t.type.replace(/\.nasm$/, '')])
      .filter(([text]) => text.trim() !== '');
  });
}
const line = (source: string) => tokenize(source)[0];
const typeOf = (source: string, text: string) => line(source).find(([t]) => t === text)?.[1];

describe('NASM grammar: instructions, registers, sizes', () => {
  it('tokenizes a 64-bit instruction with operands', () => {
    expect(line('    mov rax, [rbx + rcx*8 + 0x10]')).toEqual([
      ['mov', 'keyword.instruction'], ['rax', 'variable.register'], [',', 'delimiter'], ['[', 'delimiter.square'],
      ['rbx', 'variable.register'], ['+', 'operator'], ['rcx', 'variable.register'], ['*', 'operator'], ['8', 'number'],
      ['+', 'operator'], ['0x10', 'number.hex'], [']', 'delimiter.square'],
    ]);
  });
  it('is case-insensitive like NASM', () => {
    expect(line('MOV EAX, CR0')).toEqual([['MOV', 'keyword.instruction'], ['EAX', 'variable.register'], [',', 'delimiter'], ['CR0', 'variable.register']]);
  });
  it('knows numbered, SSE and control registers', () => {
    for (const reg of ['r8', 'r15d', 'r11b', 'r9w', 'xmm0', 'xmm15', 'ymm31', 'zmm7', 'cr3', 'cr4', 'dr7', 'sil', 'spl', 'st0']) {
      expect(typeOf(`    push ${reg}`, reg), reg).toBe('variable.register');
    }
    expect(typeOf('    mov r8_count, 1', 'r8_count')).toBe('identifier');
  });
  it('marks size specifiers and segment overrides', () => {
    expect(line('    mov byte [es:di], 0x0F')).toEqual([
      ['mov', 'keyword.instruction'], ['byte', 'keyword.size'], ['[', 'delimiter.square'], ['es', 'variable.register'],
      [':', 'delimiter'], ['di', 'variable.register'], [']', 'delimiter.square'], [',', 'delimiter'], ['0x0F', 'number.hex'],
    ]);
    expect(typeOf('    jmp dword 0x08:protected_mode', 'dword')).toBe('keyword.size');
    expect(typeOf('    lgdt [gdt_descriptor]', 'lgdt')).toBe('keyword.instruction');
    expect(typeOf('    rep stosq', 'rep')).toBe('keyword.instruction');
  });
});

describe('NASM grammar: directives and the preprocessor', () => {
  it('tokenizes the boot-sector padding idiom', () => {
    expect(line('times 510-($-$$) db 0')).toEqual([
      ['times', 'keyword.directive'], ['510', 'number'], ['-', 'operator'], ['(', 'delimiter.parenthesis'],
      ['$', 'constant.location'], ['-', 'operator'], ['$$', 'constant.location'], [')', 'delimiter.parenthesis'],
      ['db', 'keyword.directive'], ['0', 'number'],
    ]);
    expect(line('dw 0xAA55')).toEqual([['dw', 'keyword.directive'], ['0xAA55', 'number.hex']]);
  });
  it('knows bits, org, section, global, extern, align, equ', () => {
    expect(line('bits 16')).toEqual([['bits', 'keyword.directive'], ['16', 'number']]);
    expect(line('[BITS 64]')).toEqual([['[', 'delimiter.square'], ['BITS', 'keyword.directive'], ['64', 'number'], [']', 'delimiter.square']]);
    expect(line('org 0x7C00')).toEqual([['org', 'keyword.directive'], ['0x7C00', 'number.hex']]);
    expect(line('section .text')).toEqual([['section', 'keyword.directive'], ['.text', 'type.label']]);
    expect(typeOf('global _start', 'global')).toBe('keyword.directive');
    expect(typeOf('extern kernel_main', 'extern')).toBe('keyword.directive');
    expect(typeOf('align 4096, db 0', 'align')).toBe('keyword.directive');
    expect(line('KERNEL_LBA equ 64')).toEqual([['KERNEL_LBA', 'type.label'], ['equ', 'keyword.directive'], ['64', 'number']]);
  });
  it('tokenizes %define, %macro/%endmacro, %include and macro parameters', () => {
    expect(line('%define STACK_TOP 0x7C00')).toEqual([['%define', 'metatag.preprocessor'], ['STACK_TOP', 'identifier'], ['0x7C00', 'number.hex']]);
    expect(line('%include "layout.inc"')).toEqual([['%include', 'metatag.preprocessor'], ['"layout.inc"', 'string']]);
    expect(line('%macro print 1')).toEqual([['%macro', 'metatag.preprocessor'], ['print', 'identifier'], ['1', 'number']]);
    expect(line('    mov si, %1')).toContainEqual(['%1', 'variable.macro']);
    expect(line('%%loop: lodsb')).toEqual([['%%loop', 'variable.macro'], [':', 'delimiter'], ['lodsb', 'keyword.instruction']]);
    expect(line('%endmacro')).toEqual([['%endmacro', 'metatag.preprocessor']]);
    expect(line('%ifdef DEBUG')[0]).toEqual(['%ifdef', 'metatag.preprocessor']);
    expect(line('%assign i i+1')[0]).toEqual(['%assign', 'metatag.preprocessor']);
    expect(typeOf('%define SECT __?SECT?__', '__?SECT?__')).toBe('constant.builtin');
  });
});

describe('NASM grammar: labels', () => {
  it('marks global, local and ..@ label definitions', () => {
    expect(line('start:')).toEqual([['start', 'type.label'], [':', 'delimiter']]);
    expect(line('.loop:   lodsb')).toEqual([['.loop', 'type.label'], [':', 'delimiter'], ['lodsb', 'keyword.instruction']]);
    expect(line('..@retry:')).toEqual([['..@retry', 'type.label'], [':', 'delimiter']]);
    expect(line('  long_mode_entry:')).toEqual([['long_mode_entry', 'type.label'], [':', 'delimiter']]);
    expect(line('msg db "Hello", 13, 10, 0')[0]).toEqual(['msg', 'type.label']);
  });
  it('marks label references in operands', () => {
    expect(line('    jnz .loop')).toEqual([['jnz', 'keyword.instruction'], ['.loop', 'type.label']]);
    expect(line('    jmp ..@retry')).toEqual([['jmp', 'keyword.instruction'], ['..@retry', 'type.label']]);
    expect(typeOf('    call print_string', 'print_string')).toBe('identifier');
  });
});

describe('NASM grammar: comments and strings', () => {
  it('ends a line at a comment, even after code', () => {
    expect(line('    cli            ; no interrupts until the IDT exists')).toEqual([
      ['cli', 'keyword.instruction'], ['; no interrupts until the IDT exists', 'comment'],
    ]);
    expect(line('; mov rax, 1')).toEqual([['; mov rax, 1', 'comment']]);
  });
  it('knows the three quote styles and backquote escapes', () => {
    expect(typeOf(`db "it's", 0`, `"it's"`)).toBe('string');
    expect(typeOf("db 'say \"hi\"', 0", "'say \"hi\"'")).toBe('string');
    expect(typeOf('db "a;b", 0', '"a;b"')).toBe('string');
    expect(line('db `Line\\n`, 0')).toEqual([
      ['db', 'keyword.directive'], ['`Line', 'string'], ['\\n', 'string.escape'], ['`', 'string'], [',', 'delimiter'], ['0', 'number'],
    ]);
    expect(line('db `A\\x41;`')).toContainEqual(['\\x41', 'string.escape']);
    expect(line('db `A\\x41;`')).toContainEqual([';`', 'string']);
  });
  it('treats character constants as strings', () => {
    expect(line("    cmp al, 'ab'")).toContainEqual(["'ab'", 'string']);
    expect(line("    mov eax, 'LMBO'")).toContainEqual(["'LMBO'", 'string']);
  });
});

describe('NASM grammar: numbers in every NASM form', () => {
  const cases: [string, string][] = [
    ['200', 'number'], ['0200', 'number'], ['0200d', 'number'], ['0d200', 'number'], ['0t200', 'number'], ['1_000', 'number'],
    ['0x1F', 'number.hex'], ['0X1f', 'number.hex'], ['1Fh', 'number.hex'], ['0c8h', 'number.hex'], ['0hc8', 'number.hex'],
    ['$1F', 'number.hex'], ['$0c8', 'number.hex'], ['0xFFFF_8000_0000_0000', 'number.hex'], ['0bh', 'number.hex'],
    ['0b1010', 'number.binary'], ['1010b', 'number.binary'], ['1100_1000y', 'number.binary'], ['0y1100', 'number.binary'],
    ['0o17', 'number.octal'], ['17q', 'number.octal'], ['17o', 'number.octal'], ['0q17', 'number.octal'],
    ['1.0', 'number.float'], ['1.', 'number.float'], ['1.e10', 'number.float'], ['3.14159', 'number.float'],
    ['1.5e-3', 'number.float'], ['1e10', 'number.float'], ['0x1.8p+1', 'number.float'],
  ];
  for (const [literal, type] of cases) {
    it(`${literal} is ${type}`, () => {
      expect(line(`    dq ${literal}, 1`)).toEqual([['dq', 'keyword.directive'], [literal, type], [',', 'delimiter'], ['1', 'number']]);
    });
  }
  it('keeps $ escapes of names apart from $-hex', () => {
    expect(typeOf('    mov eax, $FF', '$FF')).toBe('identifier');
    expect(typeOf('    dd __float32__(1.5)', '__float32__')).toBe('constant.builtin');
  });
});

describe('NASM grammar on whole files', () => {
  const corpus = `; stage 1: a 512-byte boot sector
bits 16
org 0x7C00
%define STAGE2_SEGMENT 0x0000
%macro print 1
    mov si, %1
    call print_string
%endmacro
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    mov [boot_drive], dl
    print msg_loading
.read:
    mov ah, 0x42
    mov si, dap
    int 0x13
    jc .error
    jmp 0x0000:0x7E00
.error:
    hlt
    jmp .error
print_string:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0E
    int 0x10
    jmp print_string
.done:
    ret
dap:
    db 0x10, 0
    dw 63
    dw 0x7E00, 0
    dq 1
boot_drive: db 0
msg_loading db "Loading stage 2...", 13, 10, 0
times 510-($-$$) db 0
dw 0xAA55
[bits 64]
long_mode:
    mov rax, cr0
    and ax, 0xFFFB
    or ax, 0x2
    mov cr0, rax
    mov rax, cr4
    or ax, 3 << 9
    mov cr4, rax
    lea rsp, [rel stack_top]
    mov rdi, qword [boot_info]
    call [rel kernel_entry]
    movaps xmm0, [rsp]`;

  it('gives every token of a bootloader a type, none invalid', () => {
    const tokens = tokenize(corpus).flat();
    expect(tokens.filter(([, type]) => type === 'invalid' || type === '')).toEqual([]);
    expect(tokens.length).toBeGreaterThan(150);
  });

  const sampleBoot = fileURLToPath(new URL('../../samples/seed-os/boot/', import.meta.url));
  it.runIf(existsSync(sampleBoot))('tokenizes the sample OS bootloader without invalid tokens', () => {
    const files = readdirSync(sampleBoot).filter((f) => /\.(asm|inc)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const lines = tokenize(readFileSync(sampleBoot + file, 'utf8'));
      const invalid = lines.flatMap((tokens, i) => tokens.filter(([, type]) => type === 'invalid').map(([text]) => `${file}:${i + 1}: ${text}`));
      expect(invalid).toEqual([]);
    }
  });
});
