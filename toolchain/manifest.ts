// The workspace manifest (`longmode.json` at a workspace's root): its types and loading.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { validateManifest, type ManifestProblem } from './manifest-validate';

export interface BootloaderSpec {
  name: string; // also names the nasm defines LM_<NAME>_LBA / LM_<NAME>_SECTORS
  source: string; // workspace-relative
  output: string; // workspace-relative
  includes: string[]; // workspace-relative folders
  format: 'bin';
}
export interface KernelSpec {
  crate: string; // workspace-relative folder with Cargo.toml and .cargo/config.toml
  profile: 'release' | 'dev';
  binary: string;
  features: string[];
}
export interface ImagePiece {
  artifact: string; // a bootloader name or 'kernel'
  lba: number;
  sectors: number;
}
export interface ImageSpec {
  output: string;
  sectors: number;
  pieces: ImagePiece[];
}
export interface QemuSpec {
  memory: string; // e.g. '128M'
  args: string[];
}
/** Emulator options; the known keys are checked, others are passed on as they are. */
export interface InspectSpec {
  /** the serial text of the kernel's phase-2 banner */
  phase2Serial?: string;
  /** the serial text after which the guest's state is stable to inspect (what inspect and bench wait for) */
  readySerial?: string;
  [key: string]: unknown;
}
export interface Manifest {
  name: string;
  bootloader: BootloaderSpec[];
  kernel: KernelSpec;
  image: ImageSpec;
  qemu: QemuSpec;
  inspect: InspectSpec;
}

export { validateManifest, type ManifestProblem };

export const MANIFEST_FILE = 'longmode.json';
export const SECTOR_SIZE = 512;

export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    readonly file: string,
    readonly problems: ManifestProblem[],
  ) {
    super(
      problems.length === 1 && problems[0].path === ''
        ? `${file}: ${problems[0].message}`
        : `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
            problems.map((p) => `  ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    );
  }
}

export async function loadManifest(workspaceDir: string): Promise<Manifest> {
  const file = join(resolve(workspaceDir), MANIFEST_FILE);
  const dirStat = await stat(workspaceDir).catch(() => undefined);
  if (!dirStat?.isDirectory()) {
    throw new ManifestError(file, [{ path: '', message: `the workspace folder ${workspaceDir} does not exist: pass an existing folder with --workspace` }]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(file, [
      { path: '', message: `not found: a workspace needs a longmode.json at its root (copy samples/seed-os/longmode.json and adapt it)` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(file, [{ path: '', message: `is not valid JSON (${(err as Error).message}): fix the syntax` }]);
  }
  const { manifest, problems } = validateManifest(json);
  if (!manifest) throw new ManifestError(file, problems);
  return manifest;
}

/** Where cargo leaves the unstripped kernel ELF. */
export function kernelElfPath(manifest: Manifest, workspaceDir: string): string {
  const profileDir = manifest.kernel.profile === 'release' ? 'release' : 'debug';
  return resolve(workspaceDir, manifest.kernel.crate, 'target', 'x86_64-unknown-linux-gnu', profileDir, manifest.kernel.binary);
}

/** The nasm defines every bootloader stage gets: LM_<ARTIFACT>_LBA and LM_<ARTIFACT>_SECTORS. */
export function imageDefines(manifest: Manifest): Record<string, number> {
  const defines: Record<string, number> = {};
  for (const piece of manifest.image.pieces) {
    const name = piece.artifact.toUpperCase();
    defines[`LM_${name}_LBA`] = piece.lba;
    defines[`LM_${name}_SECTORS`] = piece.sectors;
  }
  return defines;
}
