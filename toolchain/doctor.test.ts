import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from './doctor';
import { runTool } from './run-tool';
import { MissingToolError, locateTool, missingToolError } from './tools';

describe('runDoctor', () => {
  it('finds the installed tools with their versions', async () => {
    const report = await runDoctor();
    expect(report.ok).toBe(true);
    for (const t of report.tools) {
      expect(t, t.tool).toMatchObject({ found: true, path: expect.stringMatching(/^\//), version: expect.stringMatching(/^\d+\.\d+/) });
    }
    expect(report.aptInstall).toBeUndefined();
  });

  it('says exactly how to install what is missing', async () => {
    // A PATH holding only nasm, and no cargo home: everything else is missing.
    const dir = await mkdtemp(join(tmpdir(), 'longmode-doctor-'));
    try {
      await symlink((await locateTool('nasm'))!, join(dir, 'nasm'));
      const env = { PATH: dir, CARGO_HOME: join(dir, 'no-cargo') };
      const report = await runDoctor(env);
      expect(report.ok).toBe(false);
      expect(report.tools.filter((t) => !t.found).map((t) => t.tool)).toEqual(['cargo', 'rustc', 'qemu-system-x86_64', 'chromium']);
      expect(report.aptInstall).toMatch(/apt-get install -y qemu-system-x86 chromium$/);
      expect(report.rustInstall).toContain('https://sh.rustup.rs');
      expect(report.tools.find((t) => t.tool === 'qemu-system-x86_64')?.install).toMatch(/apt-get install -y qemu-system-x86$/);
      await expect(runTool('cargo', ['--version'], { cwd: dir, env })).rejects.toThrow(/^cargo not found: install it with `curl/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds the "X not found" error other layers reuse', () => {
    const err = missingToolError('nasm');
    expect(err).toBeInstanceOf(MissingToolError);
    expect(err.message).toMatch(/^nasm not found: install it with `(sudo )?apt-get install -y nasm`$/);
  });
});
