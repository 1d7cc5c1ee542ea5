// The raw disk image: each artifact at its LBA, zero-padded to image.sectors. Checks fail with a
// message that says what to change; the image is written to a temp file and renamed, so a failed
// or interrupted build never leaves a half-written image behind.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SECTOR_SIZE, type Manifest } from './manifest';

export interface ImageProblem {
  /** the manifest path the problem belongs to, e.g. 'image.pieces[2].sectors' */
  path: string;
  message: string;
}

export class ImageError extends Error {
  override name = 'ImageError';
  constructor(readonly problems: ImageProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/** Artifact bytes by artifact name (bootloader stage names and 'kernel'), plus where each came from. */
export type ImageInputs = Record<string, { bytes: Uint8Array; file: string }>;

const kib = (bytes: number) => (bytes >= 10240 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`);

/** Lays the image out in memory after checking every piece; throws ImageError listing every problem. */
export function layoutImage(manifest: Manifest, inputs: ImageInputs): Uint8Array {
  const problems: ImageProblem[] = [];
  const { pieces, sectors: imageSectors } = manifest.image;
  const order = pieces.map((piece, index) => ({ piece, index })).sort((a, b) => a.piece.lba - b.piece.lba);
  order.forEach(({ piece, index }, k) => {
    const at = `image.pieces[${index}]`;
    const input = inputs[piece.artifact];
    if (!input) {
      problems.push({ path: `${at}.artifact`, message: `no artifact '${piece.artifact}' was built: check the bootloader names in longmode.json` });
      return;
    }
    const size = input.bytes.length;
    const used = Math.ceil(size / SECTOR_SIZE);
    if (piece.lba === 0) {
      if (size !== SECTOR_SIZE) {
        problems.push({ path: `${at}`, message: `${piece.artifact} (${input.file}) is ${size} bytes: the boot sector must be exactly 512 bytes (pad it with \`times 510 - ($ - $$) db 0\` and end it with \`dw 0xAA55\`)` });
      } else if (input.bytes[510] !== 0x55 || input.bytes[511] !== 0xaa) {
        problems.push({ path: `${at}`, message: `${piece.artifact} (${input.file}) does not end with the boot signature 0x55 0xAA: end it with \`dw 0xAA55\`` });
      }
    }
    if (size === 0) problems.push({ path: `${at}`, message: `${piece.artifact} (${input.file}) is empty` });
    if (used > piece.sectors) {
      const what = piece.artifact === 'kernel'
        ? `the kernel (${input.file}) is ${kib(size)}, more than the ${piece.sectors} sectors (${kib(piece.sectors * SECTOR_SIZE)}) the bootloader reads (LM_KERNEL_SECTORS)`
        : `${piece.artifact} (${input.file}) is ${kib(size)} (${used} sectors) but has only ${piece.sectors} sectors (${kib(piece.sectors * SECTOR_SIZE)})`;
      problems.push({ path: `${at}.sectors`, message: `${what}: raise ${at}.sectors to at least ${used} and move later pieces up` });
    }
    const next = order[k + 1];
    if (next && piece.lba + Math.max(used, piece.sectors) > next.piece.lba) {
      problems.push({ path: `${at}.sectors`, message: `${piece.artifact} runs into image.pieces[${next.index}] (${next.piece.artifact} at LBA ${next.piece.lba}): move that piece to LBA ≥ ${piece.lba + Math.max(used, piece.sectors)}` });
    }
    if (piece.lba + Math.max(used, piece.sectors) > imageSectors) {
      problems.push({ path: 'image.sectors', message: `${piece.artifact} ends at sector ${piece.lba + Math.max(used, piece.sectors)}, past the image's ${imageSectors} sectors: raise image.sectors` });
    }
  });
  if (problems.length) throw new ImageError(problems);
  const image = new Uint8Array(imageSectors * SECTOR_SIZE);
  for (const piece of pieces) image.set(inputs[piece.artifact].bytes, piece.lba * SECTOR_SIZE);
  return image;
}

/** Checks, lays out and writes the image to manifest.image.output; returns its absolute path. */
export async function assembleImage(manifest: Manifest, workspaceDir: string, inputs: ImageInputs): Promise<string> {
  const image = layoutImage(manifest, inputs);
  const output = resolve(workspaceDir, manifest.image.output);
  await mkdir(dirname(output), { recursive: true });
  await writeAtomically(output, image);
  return output;
}

/** Writes a file through a temp file in the same folder and a rename. */
export async function writeAtomically(file: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
