import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../run-tool';
import { MINI_OS, TESTDATA, editFile, tempWorkspace, type TempWorkspace } from '../test-support';
import { diagnosticsFromRustc, parseCargoLine, type CargoEvent } from './rustc';

// The fixtures were captured in <tmp>/ws/kernel (see testdata/capture-fixtures.sh): spans are relative to the crate.
const ctx = { workspaceDir: '/ws', crateDir: '/ws/kernel' };
const events = (name: string): CargoEvent[] =>
  readFileSync(resolve(TESTDATA, 'fixtures', name), 'utf8').split('\n').filter(Boolean).map((l) => parseCargoLine(l, ctx));
const diagnosticsOf = (evts: CargoEvent[]) => evts.flatMap((e) => (e.kind === 'message' ? e.diagnostics : []));
/** The line in mini-os's main.rs after which capture-fixtures.sh inserts its broken code. */
const markerLine = readFileSync(join(MINI_OS, 'kernel/src/main.rs'), 'utf8').split('\n').findIndex((l) => l.includes('write_bytes(&MINI_MARKER)')) + 1;

describe('parseCargoLine on captured cargo output', () => {
  it('turns a type error into error diagnostics with workspace-relative spans and a note from the child span', () => {
    const evts = events('cargo-type-error.jsonl');
    expect(diagnosticsOf(evts)).toEqual([
      {
        tool: 'rustc', file: 'kernel/src/main.rs', line: markerLine + 1, column: 22, endLine: markerLine + 1, endColumn: 29,
        severity: 'error', message: 'mismatched types: expected `u32`, found `&str`', code: 'E0308',
      },
      {
        tool: 'rustc', file: 'kernel/src/main.rs', line: markerLine + 2, column: 23, endLine: markerLine + 2, endColumn: 28,
        severity: 'error', message: 'mismatched types: expected `&str`, found `u32`', code: 'E0308',
      },
      {
        tool: 'rustc', file: 'kernel/src/serial.rs', line: 11, column: 8, endLine: 11, endColumn: 17,
        severity: 'note', message: 'function defined here',
      },
    ]);
    expect(evts.at(-1)).toEqual({ kind: 'finished', success: false });
    const rendered = evts.flatMap((e) => (e.kind === 'message' && e.rendered ? [e.rendered] : []));
    expect(rendered[0]).toContain('\x1b['); // ANSI colours for the console
    expect(rendered[0]).toContain('src/main.rs');
  });

  it('turns a lint into a warning plus its help span as a note', () => {
    const evts = events('cargo-warning.jsonl');
    expect(diagnosticsOf(evts)).toEqual([
      {
        tool: 'rustc', file: 'kernel/src/main.rs', line: markerLine + 1, column: 9, endLine: markerLine + 1, endColumn: 18,
        severity: 'warning', message: 'variable does not need to be mutable', code: 'unused_mut',
      },
      { tool: 'rustc', file: 'kernel/src/main.rs', line: markerLine + 1, column: 9, endLine: markerLine + 1, endColumn: 13, severity: 'note', message: 'help: remove this `mut`' },
    ]);
    expect(evts.filter((e) => e.kind === 'artifact').map((e) => e.kind === 'artifact' && e.target)).toEqual(['build-script-build', 'kernel']);
    expect(evts.at(-1)).toEqual({ kind: 'finished', success: true });
  });

  it('keeps non-JSON lines as text, skips summaries and follows macro expansions into the workspace', () => {
    expect(parseCargoLine('   Compiling kernel', ctx)).toEqual({ kind: 'text', text: '   Compiling kernel' });
    expect(diagnosticsFromRustc({ message: 'aborting due to 2 previous errors', level: 'error', spans: [], children: [] }, ctx)).toEqual([]);
    const inCore = { file_name: '/root/.rustup/toolchains/x/lib/rustlib/src/rust/library/core/src/macros/mod.rs', line_start: 5, line_end: 5, column_start: 1, column_end: 9, is_primary: true };
    const callSite = { file_name: 'src/main.rs', line_start: 30, line_end: 30, column_start: 5, column_end: 20, is_primary: false };
    const [d] = diagnosticsFromRustc({ message: 'bad macro use', level: 'error', spans: [{ ...inCore, expansion: { span: callSite } }], children: [] }, ctx);
    expect(d).toMatchObject({ file: 'kernel/src/main.rs', line: 30, column: 5 });
    const [link] = diagnosticsFromRustc({ message: 'linking with `cc` failed: exit status: 1', level: 'error', spans: [], children: [] }, ctx);
    expect(link).toMatchObject({ file: 'kernel/Cargo.toml', line: 1, severity: 'error' });
  });
});

describe('cargo diagnostics live', () => {
  let ws: TempWorkspace;
  beforeAll(async () => {
    ws = await tempWorkspace(MINI_OS);
  });
  afterAll(async () => {
    await ws?.remove();
  });

  it('reports a fresh type error at its exact line and column', async () => {
    const crateDir = join(ws.dir, 'kernel');
    const line = await editFile(join(crateDir, 'src/serial.rs'), '    write_bytes(s.as_bytes());', '    let n: u8 = s.len();\n    write_bytes(s.as_bytes());');
    const lines: string[] = [];
    const result = await runTool('cargo', ['build', '--release', '--message-format=json-diagnostic-rendered-ansi'], { cwd: crateDir, onStdoutLine: (l) => lines.push(l) });
    expect(result.code).not.toBe(0);
    const evts = lines.map((l) => parseCargoLine(l, { workspaceDir: ws.dir, crateDir }));
    const errors = diagnosticsOf(evts).filter((d) => d.severity === 'error');
    expect(errors[0]).toMatchObject({ tool: 'rustc', file: 'kernel/src/serial.rs', line, column: 17, endColumn: 24, code: 'E0308' });
    expect(evts.at(-1)).toEqual({ kind: 'finished', success: false });
  });
});
