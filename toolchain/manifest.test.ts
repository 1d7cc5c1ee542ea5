import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, loadManifest, validateManifest } from './manifest';
import { MINI_OS, SEED_OS } from './test-support';

const valid = () => ({
  name: 'os',
  bootloader: [
    { name: 'stage1', source: 'boot/stage1.asm', output: 'build/stage1.bin' },
    { name: 'stage2', source: 'boot/stage2.asm', output: 'build/stage2.bin', includes: ['boot/inc'] },
  ],
  kernel: { crate: 'kernel', profile: 'release', binary: 'kernel', features: [] as string[] },
  image: {
    output: 'build/os.img',
    sectors: 2048,
    pieces: [
      { artifact: 'stage1', lba: 0, sectors: 1 },
      { artifact: 'stage2', lba: 1, sectors: 63 },
      { artifact: 'kernel', lba: 64, sectors: 896 },
    ],
  },
  qemu: { memory: '128M', args: [] as string[] },
  inspect: { phase2Serial: 'x' },
});

const paths = (json: unknown) => validateManifest(json).problems.map((p) => p.path);

describe('validateManifest', () => {
  it('accepts a complete manifest and fills defaults', () => {
    const { manifest, problems } = validateManifest(valid());
    expect(problems).toEqual([]);
    expect(manifest?.bootloader[0]).toEqual({ name: 'stage1', source: 'boot/stage1.asm', output: 'build/stage1.bin', includes: [], format: 'bin' });
    expect(manifest?.bootloader[1].includes).toEqual(['boot/inc']);
    const { qemu: _q, inspect: _i, ...minimal } = valid();
    expect(validateManifest(minimal).manifest?.qemu).toEqual({ memory: '128M', args: [] });
  });

  it('accepts the bundled sample and the test fixture manifests', async () => {
    await expect(loadManifest(MINI_OS)).resolves.toMatchObject({ name: 'mini-os' });
    await expect(loadManifest(SEED_OS)).resolves.toMatchObject({ name: 'seed-os' });
  });

  it('rejects non-objects', () => {
    expect(validateManifest(null).problems).toEqual([{ path: '', message: expect.stringContaining('JSON object') }]);
    expect(validateManifest([]).manifest).toBeUndefined();
  });

  it('reports every missing section with its path', () => {
    expect(paths({})).toEqual(['name', 'bootloader', 'kernel', 'image']);
  });

  it('reports every problem in one pass, each with its JSON path', () => {
    const m = valid() as any;
    m.nmae = 'typo';
    m.bootloader[0].source = '../outside.asm';
    m.bootloader[1].name = 'stage 2';
    m.bootloader[1].includes = ['/usr/include'];
    m.bootloader[1].format = 'elf';
    m.kernel.profile = 'debug';
    m.kernel.features = ['ok', 'bad feature'];
    m.image.sectors = 0;
    m.image.pieces[2].lba = 0;
    m.qemu.memory = 'lots';
    m.qemu.args = [1];
    expect(paths(m).sort()).toEqual(
      [
        'nmae',
        'bootloader[0].source',
        'bootloader[1].name',
        'bootloader[1].includes[0]',
        'bootloader[1].format',
        'kernel.profile',
        'kernel.features[1]',
        'image.sectors',
        'image.pieces[2].lba',
        'qemu.memory',
        'qemu.args[0]',
      ].sort(),
    );
  });

  it('says what to do about a kernel at LBA 0', () => {
    const m = valid();
    m.image.pieces[2].lba = 0;
    const problem = validateManifest(m).problems.find((p) => p.path === 'image.pieces[2].lba');
    expect(problem?.message).toBe('must be ≥ 1 (LBA 0 is the boot sector, which must be a bootloader stage)');
  });

  it('keeps every path inside the workspace', () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'C:\\x', '.']) {
      const m = valid();
      m.image.output = bad;
      expect(paths(m), bad).toEqual(['image.output']);
    }
    const m = valid();
    m.kernel.crate = 'os/../kernel';
    expect(validateManifest(m).manifest?.kernel.crate).toBe('kernel');
  });

  it('checks the image layout: overlaps, size, unknown and duplicate artifacts, LBA 0', () => {
    const overlap = valid();
    overlap.image.pieces[2].lba = 50;
    expect(validateManifest(overlap).problems).toEqual([
      { path: 'image.pieces[2].lba', message: expect.stringMatching(/overlaps image\.pieces\[1\].*≥ 64/) },
    ]);
    const tooBig = valid();
    tooBig.image.sectors = 900;
    expect(paths(tooBig)).toEqual(['image.pieces[2].sectors']);
    const unknown = valid();
    unknown.image.pieces[1].artifact = 'stage3';
    expect(paths(unknown)).toEqual(['image.pieces[1].artifact']);
    const twice = valid();
    twice.image.pieces[1].artifact = 'stage1';
    expect(paths(twice)).toEqual(['image.pieces[1].artifact']);
    const noBoot = valid();
    noBoot.image.pieces[0].lba = 100;
    expect(validateManifest(noBoot).problems.map((p) => p.path)).toContain('image.pieces');
    const noKernel = valid();
    noKernel.image.pieces.pop();
    expect(validateManifest(noKernel).problems).toEqual([{ path: 'image.pieces', message: expect.stringContaining('no piece holds the kernel') }]);
    const bigBoot = valid();
    bigBoot.image.pieces[0].sectors = 2;
    expect(paths(bigBoot)).toEqual(['image.pieces[0].sectors']);
  });

  it('checks names: define-safe, unique, not "kernel"', () => {
    const m = valid();
    m.bootloader[1].name = 'STAGE1';
    expect(paths(m)).toEqual(['bootloader[1].name']);
    m.bootloader[1].name = 'kernel';
    expect(paths(m)).toEqual(['bootloader[1].name']);
  });

  it('limits guest memory to what the RAM reader handles', () => {
    const m = valid();
    m.qemu.memory = '4G';
    expect(paths(m)).toEqual(['qemu.memory']);
    m.qemu.memory = '2G';
    expect(paths(m)).toEqual([]);
  });

  it('checks the serial texts inspect waits for, and keeps other emulator options', () => {
    const m = { ...valid(), inspect: { phase2Serial: 'banner', readySerial: 'ready', other: 1 } };
    expect(validateManifest(m).manifest?.inspect).toEqual({ phase2Serial: 'banner', readySerial: 'ready', other: 1 });
    expect(paths({ ...m, inspect: { readySerial: '' } })).toEqual(['inspect.readySerial']);
    expect(paths({ ...m, inspect: { readySerial: 3, phase2Serial: ['x'] } })).toEqual(['inspect.phase2Serial', 'inspect.readySerial']);
    expect(paths({ ...m, inspect: 'ready' })).toEqual(['inspect']);
  });

  it('rejects an image that would overwrite a bootloader output', () => {
    const m = valid();
    m.image.output = 'build/./stage1.bin';
    expect(paths(m)).toEqual(['image.output']);
  });
});

describe('loadManifest', () => {
  it('throws ManifestError with problems for a missing, unparsable or invalid file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'longmode-manifest-'));
    try {
      await expect(loadManifest(dir)).rejects.toMatchObject({ problems: [{ path: '', message: expect.stringContaining('not found') }] });
      await writeFile(join(dir, 'longmode.json'), '{ "name": ');
      await expect(loadManifest(dir)).rejects.toThrow(/not valid JSON/);
      await writeFile(join(dir, 'longmode.json'), JSON.stringify({ ...valid(), image: { ...valid().image, sectors: -1 } }));
      const err = await loadManifest(dir).catch((e) => e);
      expect(err).toBeInstanceOf(ManifestError);
      expect(err.problems).toEqual([{ path: 'image.sectors', message: 'must be ≥ 1' }]);
      expect(err.message).toContain('image.sectors: must be ≥ 1');
      await expect(loadManifest(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
