// Tiny real-mode boot sectors for tests: optionally set a BIOS video mode, print `done` on COM1, halt.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Assembles the boot sector with the real nasm into `dir`; returns the image path. */
export function bootSectorImage(dir: string, name: string, videoMode?: number): string {
  const source = join(dir, `${name}.asm`);
  writeFileSync(
    source,
    `bits 16
org 0x7c00
    xor ax, ax
    mov ds, ax
${videoMode === undefined ? '' : `    mov ax, 0x${videoMode.toString(16)}\n    int 0x10`}
    mov si, msg
.next:
    lodsb
    test al, al
    jz .halt
    mov dx, 0x3f8
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt
msg: db "done", 10, 0
times 510-($-$$) db 0
dw 0xaa55
`,
  );
  const image = join(dir, `${name}.img`);
  const nasm = spawnSync('nasm', ['-f', 'bin', '-o', image, source], { encoding: 'utf8' });
  if (nasm.status !== 0) throw new Error(`nasm failed: ${nasm.stderr}`);
  return image;
}
