// Builds seed-os from a private copy of its sources with the plain commands the README
// documents (nasm for both stages, cargo for the kernel) and assembles the disk image the way
// longmode.json describes it. Used by the tests; never touches the sample's own build/ folder.

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { strippedForImage } from './elf';

const run = promisify(execFile);
const SAMPLE_DIR = join(import.meta.dirname, '..');

interface Piece {
  artifact: string;
  lba: number;
  sectors: number;
}

interface Manifest {
  bootloader: { name: string; source: string; output: string }[];
  kernel: { crate: string; binary: string };
  image: { sectors: number; pieces: Piece[] };
}

export interface BuiltSample {
  dir: string;
  image: string;
  kernelElf: string;
  remove(): Promise<void>;
}

async function tool(command: string, args: string[], cwd: string, hint: string): Promise<void> {
  try {
    await run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${command} not found: ${hint}`);
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stderr ?? e.message}`);
  }
}

export async function buildSeedOs(): Promise<BuiltSample> {
  const dir = await mkdtemp(join(tmpdir(), 'seed-os-test-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const manifest = JSON.parse(await readFile(join(SAMPLE_DIR, 'longmode.json'), 'utf8')) as Manifest;
    await cp(join(SAMPLE_DIR, 'boot'), join(dir, 'boot'), { recursive: true });
    await cp(join(SAMPLE_DIR, manifest.kernel.crate), join(dir, manifest.kernel.crate), {
      recursive: true,
      filter: (source) => !source.includes('/target'),
    });
    const defines = manifest.image.pieces.flatMap((p) => [
      `-DLM_${p.artifact.toUpperCase()}_LBA=${p.lba}`,
      `-DLM_${p.artifact.toUpperCase()}_SECTORS=${p.sectors}`,
    ]);
    const outputs = new Map<string, Buffer>();
    for (const stage of manifest.bootloader) {
      const output = join(dir, `${stage.name}.bin`);
      await tool('nasm', ['-f', 'bin', '-I', 'boot/', ...defines, '-o', output, stage.source], dir, 'install it with `sudo apt-get install nasm`');
      outputs.set(stage.name, await readFile(output));
    }
    const crateDir = join(dir, manifest.kernel.crate);
    await tool('cargo', ['build', '--release', '--quiet'], crateDir, 'install Rust (stable) with rustup');
    const kernelElf = join(crateDir, 'target/x86_64-unknown-linux-gnu/release', manifest.kernel.binary);
    outputs.set('kernel', strippedForImage(await readFile(kernelElf)));

    const image = Buffer.alloc(manifest.image.sectors * 512);
    for (const piece of manifest.image.pieces) {
      const bytes = outputs.get(piece.artifact);
      if (!bytes) throw new Error(`longmode.json names an unknown image piece "${piece.artifact}"`);
      if (bytes.length > piece.sectors * 512) {
        throw new Error(`${piece.artifact} is ${bytes.length} bytes, more than its ${piece.sectors} sectors`);
      }
      bytes.copy(image, piece.lba * 512);
    }
    const imagePath = join(dir, 'seed-os.img');
    await writeFile(imagePath, image);
    return { dir, image: imagePath, kernelElf, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
