// The real sample OS through the build driver, in a temp copy (without its build/ and target/)
// so that nobody else's build of samples/seed-os is disturbed.
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, type BuildOutcome } from './build';
import { readElf } from './elf';
import { SEED_OS, tempWorkspace, type TempWorkspace } from './test-support';

const skipped = (o: BuildOutcome) => Object.fromEntries(o.steps.map((s) => [s.name, s.skipped]));
const lineCount = async (file: string) => (await readFile(file, 'utf8')).split('\n').length;

describe('building samples/seed-os', () => {
  let ws: TempWorkspace;
  let first: BuildOutcome;
  beforeAll(async () => {
    ws = await tempWorkspace(SEED_OS);
    first = await buildWorkspace(ws.dir);
  });
  afterAll(async () => {
    await ws?.remove();
  });

  it('builds with no diagnostics and every artifact in place', () => {
    expect(first.diagnostics).toEqual([]);
    expect(first.ok).toBe(true);
    const { image, kernelElf, kernelStripped, bootloader } = first.artifacts;
    for (const file of [image, kernelElf, kernelStripped, ...Object.values(bootloader)]) expect(existsSync(file), file).toBe(true);
    expect(readFileSync(image).length).toBe(2048 * 512);
    expect(readElf(readFileSync(kernelElf)).findSymbol('LONGMODE_INSPECT')).toBeDefined();
  });

  it('skips nasm and the image on an unchanged rebuild', async () => {
    const again = await buildWorkspace(ws.dir);
    expect(again.ok).toBe(true);
    expect(skipped(again)).toMatchObject({ 'nasm:stage1': true, 'nasm:stage2': true, strip: true, image: true });
  });

  it('reports a Rust type error and a NASM typo at their lines and columns and keeps the previous image', async () => {
    const image = readFileSync(first.artifacts.image);
    const mainRs = join(ws.dir, 'kernel/src/main.rs');
    const rsLine = (await lineCount(mainRs)) + 1;
    await appendFile(mainRs, '\nfn longmode_type_error() -> u32 { "not a number" }\n');
    const stage2 = join(ws.dir, 'boot/stage2.asm');
    const asmLine = (await lineCount(stage2)) + 1;
    await appendFile(stage2, '\n    mvo ax, bx\n');
    const outcome = await buildWorkspace(ws.dir);
    expect(outcome).toMatchObject({ ok: false, cancelled: false });
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toContainEqual(expect.objectContaining({ tool: 'nasm', file: 'boot/stage2.asm', line: asmLine, column: 5, endColumn: 15 }));
    expect(errors).toContainEqual(
      expect.objectContaining({ tool: 'rustc', file: 'kernel/src/main.rs', line: rsLine, column: 35, endLine: rsLine, endColumn: 49, code: 'E0308' }),
    );
    expect(Buffer.compare(readFileSync(first.artifacts.image), image)).toBe(0);
  });
});
