import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildProgress } from '../base/diagnostics';
import { buildWorkspace, type BuildOutcome } from './build';
import { cleanWorkspace } from './clean';
import { readElf } from './elf';
import { MINI_OS, editFile, tempWorkspace, type TempWorkspace } from './test-support';

const skipped = (o: BuildOutcome) => Object.fromEntries(o.steps.map((s) => [s.name, s.skipped]));

describe('buildWorkspace on the mini-os fixture', () => {
  let ws: TempWorkspace;
  beforeAll(async () => {
    ws = await tempWorkspace(MINI_OS);
  });
  afterAll(async () => {
    await ws?.remove();
  });

  it('builds the image, the stripped kernel and reports progress and console text', async () => {
    const progress: BuildProgress[] = [];
    let output = '';
    const outcome = await buildWorkspace(ws.dir, { onProgress: (p) => progress.push(p), onOutput: (t) => (output += t) });
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome).toMatchObject({ ok: true, cancelled: false, image: 'build/mini-os.img', kernelElf: 'kernel/target/x86_64-unknown-linux-gnu/release/kernel' });
    expect(outcome.artifacts).toEqual({
      image: join(ws.dir, 'build/mini-os.img'),
      kernelElf: join(ws.dir, 'kernel/target/x86_64-unknown-linux-gnu/release/kernel'),
      kernelStripped: join(ws.dir, 'build/kernel.stripped.elf'),
      bootloader: { boot: join(ws.dir, 'build/boot.bin') },
    });
    const image = readFileSync(outcome.artifacts.image);
    expect(image.length).toBe(128 * 512);
    expect([...image.subarray(510, 512)]).toEqual([0x55, 0xaa]);
    const stripped = readFileSync(outcome.artifacts.kernelStripped);
    expect(Buffer.compare(image.subarray(8 * 512, 8 * 512 + stripped.length), stripped)).toBe(0);
    expect(readElf(stripped).sections).toEqual([]);
    expect(outcome.steps.map((s) => s.name)).toEqual(['manifest', 'nasm:boot', 'cargo', 'strip', 'image']);
    expect(Object.values(skipped(outcome)).every((s) => !s)).toBe(true);
    const crates = progress.filter((p) => p.crates).at(-1)?.crates;
    expect(crates?.compiled).toBeGreaterThan(0);
    expect(crates?.compiled).toBe(crates?.total);
    expect(progress.at(-1)).toMatchObject({ step: 'done', fraction: 1 });
    expect(output).toMatch(/Compiling.*kernel/);
    // The boot sector got the layout defines: its disk address packet reads 64 sectors from LBA 8.
    const dap = image.subarray(0, 512).indexOf(Buffer.from([0x10, 0x00, 64, 0x00]));
    expect(dap).toBeGreaterThan(0);
    expect(image.readBigUInt64LE(dap + 8)).toBe(8n);
  });

  it('skips nasm, stripping and the image when nothing changed', async () => {
    const outcome = await buildWorkspace(ws.dir);
    expect(outcome.ok).toBe(true);
    expect(skipped(outcome)).toEqual({ manifest: false, 'nasm:boot': true, cargo: false, strip: true, image: true });
  });

  it('re-assembles when an %included file changes, and when the output was tampered with', async () => {
    await editFile(join(ws.dir, 'boot/inc/serial.inc'), '    out dx, al', '    out dx, al\n    nop');
    expect(skipped(await buildWorkspace(ws.dir))).toMatchObject({ 'nasm:boot': false, image: false });
    expect(skipped(await buildWorkspace(ws.dir))).toMatchObject({ 'nasm:boot': true, image: true });
    await writeFile(join(ws.dir, 'build/boot.bin'), 'tampered');
    // nasm re-runs; it writes the same bytes as before, so the image is still up to date.
    expect(skipped(await buildWorkspace(ws.dir))).toMatchObject({ 'nasm:boot': false, image: true });
  });

  it('passes kernel features to cargo', async () => {
    const manifestFile = join(ws.dir, 'longmode.json');
    const original = await readFile(manifestFile, 'utf8');
    await editFile(manifestFile, '"features": []', '"features": ["loud"]');
    try {
      const outcome = await buildWorkspace(ws.dir);
      expect(outcome.ok).toBe(true);
      expect(readElf(readFileSync(outcome.artifacts.kernelElf)).findSymbol('MINI_LOUD')).toBeDefined();
    } finally {
      await writeFile(manifestFile, original);
    }
    const outcome = await buildWorkspace(ws.dir);
    expect(readElf(readFileSync(outcome.artifacts.kernelElf)).findSymbol('MINI_LOUD')).toBeUndefined();
  });

  it('reports a NASM typo and a Rust type error together and leaves the previous image intact', async () => {
    const before = readFileSync(join(ws.dir, 'build/mini-os.img'));
    const asmLine = await editFile(join(ws.dir, 'boot/boot.asm'), '    mov ss, ax', '    mvo ss, ax');
    const rsLine = await editFile(join(ws.dir, 'kernel/src/main.rs'), '    halt()\n}\n\nfn halt', '    let n: u8 = "x";\n    halt()\n}\n\nfn halt');
    const outcome = await buildWorkspace(ws.dir);
    expect(outcome).toMatchObject({ ok: false, cancelled: false });
    expect(outcome.image).toBeUndefined();
    expect(outcome.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ tool: 'nasm', file: 'boot/boot.asm', line: asmLine, column: 5, severity: 'error' }),
      expect.objectContaining({ tool: 'rustc', file: 'kernel/src/main.rs', line: rsLine, column: 17, endColumn: 20, code: 'E0308' }),
    ]);
    expect(outcome.steps.map((s) => s.name)).toEqual(['manifest', 'nasm:boot', 'cargo']);
    expect(Buffer.compare(readFileSync(join(ws.dir, 'build/mini-os.img')), before)).toBe(0);
    expect(existsSync(join(ws.dir, `build/boot.bin.tmp-${process.pid}`))).toBe(false);
    await editFile(join(ws.dir, 'boot/boot.asm'), '    mvo ss, ax', '    mov ss, ax');
    await editFile(join(ws.dir, 'kernel/src/main.rs'), '    let n: u8 = "x";\n', '');
    expect((await buildWorkspace(ws.dir)).ok).toBe(true);
  });

  it('fails with an image diagnostic when the kernel outgrows its sectors', async () => {
    const manifestFile = join(ws.dir, 'longmode.json');
    const original = await readFile(manifestFile, 'utf8');
    await editFile(manifestFile, '{ "artifact": "kernel", "lba": 8, "sectors": 64 }', '{ "artifact": "kernel", "lba": 8, "sectors": 2 }');
    try {
      const outcome = await buildWorkspace(ws.dir);
      expect(outcome.ok).toBe(false);
      expect(outcome.diagnostics).toEqual([
        expect.objectContaining({ tool: 'image', file: 'longmode.json', message: expect.stringMatching(/^image\.pieces\[1\]\.sectors: the kernel .* bootloader reads/) }),
      ]);
    } finally {
      await writeFile(manifestFile, original);
    }
  });

  it('cancels a running cargo build and keeps the previous image', async () => {
    const before = readFileSync(join(ws.dir, 'build/mini-os.img'));
    await cleanWorkspace(ws.dir, { cargo: true });
    expect(existsSync(join(ws.dir, 'kernel/target'))).toBe(false);
    const controller = new AbortController();
    const outcome = await buildWorkspace(ws.dir, {
      signal: controller.signal,
      onProgress: (p) => p.step === 'cargo' && controller.abort(),
    });
    expect(outcome).toMatchObject({ ok: false, cancelled: true });
    expect(existsSync(join(ws.dir, 'build/mini-os.img'))).toBe(false); // clean removed it; the cancelled build wrote none
    const rebuilt = await buildWorkspace(ws.dir);
    expect(rebuilt.ok).toBe(true);
    expect(Buffer.compare(readFileSync(rebuilt.artifacts.image), before)).toBe(0); // builds are reproducible
  });

  it('reports a missing workspace as a setup error and an invalid manifest as manifest diagnostics', async () => {
    const missing = await buildWorkspace(join(ws.dir, 'nope'));
    expect(missing).toMatchObject({ ok: false, setupError: { kind: 'no-workspace' } });
    const manifestFile = join(ws.dir, 'longmode.json');
    const original = await readFile(manifestFile, 'utf8');
    await editFile(manifestFile, '"lba": 8', '"lba": 0');
    try {
      const invalid = await buildWorkspace(ws.dir);
      expect(invalid.setupError).toBeUndefined();
      expect(invalid.diagnostics).toContainEqual(expect.objectContaining({ tool: 'manifest', file: 'longmode.json', message: expect.stringMatching(/^image\.pieces\[1\]\.lba: must be ≥ 1/) }));
    } finally {
      await writeFile(manifestFile, original);
    }
  });
});
