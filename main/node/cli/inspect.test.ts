// `longmode boot` and `longmode inspect` through the real CLI entry, on an image without the
// inspection record (the emulator's tiny long-mode test OS): pagetables, vga and registers work.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyImage, TINY_BANNER, type TinyImage } from '../../../emulator/testdata/tiny-image';

const cli = fileURLToPath(new URL('../../../bin/longmode.js', import.meta.url));
function longmode(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let image: TinyImage;
beforeAll(() => {
  image = buildTinyImage();
});
afterAll(() => image?.dispose());

describe('longmode inspect on an image without the inspection record', () => {
  it('pagetables --json prints the walk with the recursive entry left out of the mappings', async () => {
    const { code, stdout } = await longmode('inspect', 'pagetables', '--image', image.path, '--after-serial', TINY_BANNER, '--json');
    expect(code).toBe(0);
    const walk = JSON.parse(stdout);
    expect(walk.cr3).toBe('0x1000');
    expect(walk.recursive).toEqual([{ level: 4, index: 510 }]);
    expect(walk.mappings[0]).toEqual({ virt: '0x1000', phys: '0x1000', size: '0x4000', pageSize: '4K', writable: true, user: false, nx: false, global: false });
    expect(walk.mappings).toContainEqual(expect.objectContaining({ virt: '0x5000', writable: false, nx: true }));
    expect(walk.mappings.some((m: { virt: string }) => m.virt.startsWith('0xffffff7f'))).toBe(false);
    expect(walk.mappings.at(-1).virt).toBe('0xffffff8000006000');
  });

  it('registers --json gives hex strings and the decoded mode', async () => {
    const { code, stdout } = await longmode('inspect', 'registers', '--image', image.path, '--after-serial', TINY_BANNER, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.registers.cr3).toBe('0x1000');
    expect(out.registers.efer).toBe('0xd00');
    expect(out.decoded.mode).toBe('long');
  });

  it('vga prints the screen as text', async () => {
    const { code, stdout } = await longmode('inspect', 'vga', '--image', image.path, '--after-serial', TINY_BANNER);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(TINY_BANNER);
  });

  it('memmap says it needs the record (exit 2)', async () => {
    const { code, stderr } = await longmode('inspect', 'memmap', '--image', image.path, '--after-serial', TINY_BANNER);
    expect(code).toBe(2);
    expect(stderr).toMatch(/LONGMODE_INSPECT record: pass the kernel ELF with --elf/);
  });
});

describe('longmode boot', () => {
  it('exits 0 once the serial text appears', async () => {
    const { code, stdout } = await longmode('boot', '--image', image.path, '--until-serial', TINY_BANNER, '--timeout', '20');
    expect(code).toBe(0);
    expect(stdout).toContain(TINY_BANNER);
  });

  it('exits 1 with the serial tail on timeout', async () => {
    const { code, stdout } = await longmode('boot', '--image', image.path, '--until-serial', 'never printed', '--timeout', '1', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, reason: 'timeout', serial: TINY_BANNER + '\r\n' });
  });

  it('exits 2 for usage errors', async () => {
    expect((await longmode('boot', '--fault', 'melt')).code).toBe(2);
  });
});
