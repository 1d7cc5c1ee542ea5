// Assembles the tiny long-mode test OS (tiny-longmode.asm) with the real nasm, for tests and benches.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TINY_SOURCE = fileURLToPath(new URL('./tiny-longmode.asm', import.meta.url));
export const TINY_BANNER = 'tiny-longmode: long mode OK';
/** where the tiny OS keeps received serial bytes: a u64 count, then the bytes */
export const TINY_RX_BUFFER = 0x6000n;
export const TINY_PML4 = 0x1000n;

export interface TinyImage {
  path: string;
  /** removes the folder holding the image */
  dispose(): void;
}

export function buildTinyImage(): TinyImage {
  const dir = mkdtempSync(join(tmpdir(), 'longmode-tiny-image-'));
  const path = join(dir, 'tiny-longmode.img');
  try {
    execFileSync('nasm', ['-f', 'bin', TINY_SOURCE, '-o', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'nasm not found: install it with `sudo apt-get install nasm`' : `nasm failed on ${TINY_SOURCE}: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
