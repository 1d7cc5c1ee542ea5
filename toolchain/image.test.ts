import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError, assembleImage, layoutImage, type ImageInputs } from './image';
import { validateManifest, type Manifest } from './manifest';

function manifest(): Manifest {
  const { manifest: m, problems } = validateManifest({
    name: 't',
    bootloader: [
      { name: 'stage1', source: 'boot/stage1.asm', output: 'build/stage1.bin' },
      { name: 'stage2', source: 'boot/stage2.asm', output: 'build/stage2.bin' },
    ],
    kernel: { crate: 'kernel', profile: 'release', binary: 'kernel', features: [] },
    image: {
      output: 'build/t.img',
      sectors: 64,
      pieces: [
        { artifact: 'stage1', lba: 0, sectors: 1 },
        { artifact: 'stage2', lba: 1, sectors: 4 },
        { artifact: 'kernel', lba: 8, sectors: 16 },
      ],
    },
  });
  if (!m) throw new Error(JSON.stringify(problems));
  return m;
}

const bootSector = () => {
  const b = new Uint8Array(512).fill(0x90);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
};
const inputs = (over: Partial<Record<string, Uint8Array>> = {}): ImageInputs => ({
  stage1: { bytes: over.stage1 ?? bootSector(), file: 'build/stage1.bin' },
  stage2: { bytes: over.stage2 ?? new Uint8Array(1500).fill(2), file: 'build/stage2.bin' },
  kernel: { bytes: over.kernel ?? new Uint8Array(5000).fill(3), file: 'build/kernel.stripped.elf' },
});

const problemsOf = (m: Manifest, i: ImageInputs) => {
  try {
    layoutImage(m, i);
  } catch (err) {
    if (err instanceof ImageError) return err.problems;
    throw err;
  }
  return [];
};

describe('layoutImage', () => {
  it('places every piece at its LBA and pads the image to image.sectors', () => {
    const image = layoutImage(manifest(), inputs());
    expect(image.length).toBe(64 * 512);
    expect([...image.subarray(510, 512)]).toEqual([0x55, 0xaa]);
    expect(image[512]).toBe(2);
    expect(image[512 + 1499]).toBe(2);
    expect(image[512 + 1500]).toBe(0);
    expect(image[8 * 512]).toBe(3);
    expect(image[8 * 512 + 5000]).toBe(0);
  });

  it('requires a 512-byte boot sector ending 0x55 0xAA', () => {
    expect(problemsOf(manifest(), inputs({ stage1: new Uint8Array(511) }))).toEqual([
      { path: 'image.pieces[0]', message: expect.stringMatching(/is 511 bytes: the boot sector must be exactly 512 bytes/) },
    ]);
    expect(problemsOf(manifest(), inputs({ stage1: new Uint8Array(512) }))).toEqual([
      { path: 'image.pieces[0]', message: expect.stringMatching(/boot signature 0x55 0xAA.*dw 0xAA55/) },
    ]);
  });

  it('refuses a stage that does not fit its sectors (and so would run into the next piece)', () => {
    const problems = problemsOf(manifest(), inputs({ stage2: new Uint8Array(4 * 512 + 1) }));
    expect(problems).toEqual([{ path: 'image.pieces[1].sectors', message: expect.stringMatching(/stage2 .*2049 bytes \(5 sectors\) but has only 4 sectors.*raise image\.pieces\[1\]\.sectors to at least 5/) }]);
  });

  it('refuses a kernel larger than the sectors the bootloader reads', () => {
    const problems = problemsOf(manifest(), inputs({ kernel: new Uint8Array(16 * 512 + 100) }));
    expect(problems).toEqual([
      { path: 'image.pieces[2].sectors', message: expect.stringMatching(/the kernel .* more than the 16 sectors .* the bootloader reads \(LM_KERNEL_SECTORS\)/) },
    ]);
  });

  it('checks pieces against each other and the image size even for a manifest built in code', () => {
    const m = manifest();
    m.image.pieces[1].sectors = 10; // overlaps the kernel at LBA 8
    m.image.sectors = 20; // the kernel ends at 24
    const paths = problemsOf(m, inputs()).map((p) => p.path);
    expect(paths).toEqual(['image.pieces[1].sectors', 'image.sectors']);
    expect(problemsOf(manifest(), { stage1: inputs().stage1, stage2: inputs().stage2 })).toEqual([
      { path: 'image.pieces[2].artifact', message: expect.stringContaining("no artifact 'kernel'") },
    ]);
    expect(problemsOf(manifest(), inputs({ stage2: new Uint8Array(0) }))).toEqual([{ path: 'image.pieces[1]', message: expect.stringContaining('is empty') }]);
  });
});

describe('assembleImage', () => {
  it('writes the image without leaving temp files, and writes nothing when a check fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'longmode-image-'));
    try {
      const path = await assembleImage(manifest(), dir, inputs());
      expect(path).toBe(join(dir, 'build/t.img'));
      expect((await readFile(path)).length).toBe(64 * 512);
      const before = await readFile(path);
      await expect(assembleImage(manifest(), dir, inputs({ stage1: new Uint8Array(10) }))).rejects.toBeInstanceOf(ImageError);
      expect(Buffer.compare(await readFile(path), before)).toBe(0);
      expect(await readdir(join(dir, 'build'))).toEqual(['t.img']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
