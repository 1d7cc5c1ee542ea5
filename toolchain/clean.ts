// Removes what a build wrote: the manifest's outputs, the stripped kernel, the build cache and
// (unless told not to) cargo's target folder. Files Longmode did not write are left alone.
import { existsSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KERNEL_STRIPPED } from './build-cache';
import { loadManifest } from './manifest';
import { listingPathFor } from './nasm-listing';
import { runTool } from './run-tool';

export interface CleanResult {
  /** workspace-relative paths that existed and were removed */
  removed: string[];
}

export async function cleanWorkspace(workspaceDir: string, opts: { cargo?: boolean } = {}): Promise<CleanResult> {
  const root = resolve(workspaceDir);
  const manifest = await loadManifest(root);
  const files = [
    ...manifest.bootloader.map((s) => s.output),
    ...manifest.bootloader.map((s) => listingPathFor(s.output)),
    manifest.image.output,
    KERNEL_STRIPPED,
    'build/.longmode-cache.json',
  ];
  const removed: string[] = [];
  for (const file of files) {
    const absolute = resolve(root, file);
    if (existsSync(absolute)) {
      await rm(absolute, { force: true });
      removed.push(file);
    }
  }
  for (const dir of new Set(files.map((f) => dirname(resolve(root, f))))) {
    if (dir !== root && existsSync(dir) && (await readdir(dir)).length === 0) await rmdir(dir);
  }
  const crateDir = resolve(root, manifest.kernel.crate);
  if (opts.cargo !== false && existsSync(resolve(crateDir, 'target'))) {
    const result = await runTool('cargo', ['clean'], { cwd: crateDir });
    if (result.code !== 0) throw new Error(`cargo clean failed in ${manifest.kernel.crate}: ${result.stderr.trim()}`);
    removed.push(`${manifest.kernel.crate}/target`);
  }
  return { removed };
}
