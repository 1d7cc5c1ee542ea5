// The toolchain commands through the real `longmode` bin: exit codes and the --json documents.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_OS, REPO_ROOT, editFile, tempWorkspace, type TempWorkspace } from '../../../toolchain/test-support';

const bin = resolve(REPO_ROOT, 'bin/longmode.js');
const longmode = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('longmode build / clean / doctor', () => {
  let ws: TempWorkspace;
  beforeAll(async () => {
    ws = await tempWorkspace(MINI_OS);
  });
  afterAll(async () => {
    await ws?.remove();
  });

  it('build --json prints one document with artifacts and exits 0', () => {
    const r = longmode('build', '--json', '--workspace', ws.dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, diagnostics: [], artifacts: { image: join(ws.dir, 'build/mini-os.img') } });
    expect(doc.steps.map((s: { name: string }) => s.name)).toEqual(['manifest', 'nasm:boot', 'cargo', 'strip', 'image']);
    expect(typeof doc.durationMs).toBe('number');
    expect(existsSync(doc.artifacts.image)).toBe(true);
    expect(r.stderr).toMatch(/Compiling/); // the console text goes to stderr
  });

  it('build exits 1 with diagnostics when the code is broken, and prints them without --json', async () => {
    const line = await editFile(join(ws.dir, 'boot/boot.asm'), '    cli\n', '    cli ax\n');
    const r = longmode('build', '--json', '--workspace', ws.dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.diagnostics).toContainEqual(expect.objectContaining({ tool: 'nasm', file: 'boot/boot.asm', line, severity: 'error' }));
    const human = longmode('build', '--workspace', ws.dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`boot/boot.asm:${line}:5: error:`);
    expect(human.stdout).toMatch(/build failed .* the previous image is unchanged/);
    await editFile(join(ws.dir, 'boot/boot.asm'), '    cli ax\n', '    cli\n');
  });

  it('build exits 2 for a folder without longmode.json or an unknown option', () => {
    const r = longmode('build', '--json', '--workspace', join(ws.dir, 'kernel'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).setupError.message).toMatch(/longmode\.json/);
    expect(longmode('build', '--frobnicate').code).toBe(2);
  });

  it('clean --json removes the outputs', () => {
    const r = longmode('clean', '--json', '--workspace', ws.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).removed).toEqual(expect.arrayContaining(['build/boot.bin', 'build/mini-os.img', 'build/kernel.stripped.elf', 'kernel/target']));
    expect(existsSync(join(ws.dir, 'build'))).toBe(false);
    expect(existsSync(join(ws.dir, 'kernel/target'))).toBe(false);
  });

  it('doctor --json lists the tools with versions', () => {
    const r = longmode('doctor', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.tools.map((t: { tool: string }) => t.tool)).toEqual(['nasm', 'cargo', 'rustc', 'qemu-system-x86_64', 'chromium']);
    expect(doc.tools.find((t: { tool: string }) => t.tool === 'nasm')).toMatchObject({ found: true, version: expect.stringMatching(/^2\./) });
  });
});
