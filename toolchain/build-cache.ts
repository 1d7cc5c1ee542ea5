// What the last successful steps were built from (content hashes), so an unchanged input skips
// its step. Kept in build/.longmode-cache.json; a missing or unreadable cache just means "rebuild".
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeAtomically } from './image';

export const BUILD_DIR = 'build';
export const KERNEL_STRIPPED = 'build/kernel.stripped.elf';
const CACHE_FILE = 'build/.longmode-cache.json';
const CACHE_VERSION = 1;

export interface BuildCache {
  version: number;
  /** per bootloader stage: hash of its inputs and of the output it produced */
  stages: Record<string, { inputs: string; output: string }>;
  image?: { inputs: string; output: string };
  /** compiler-artifact count of the last cargo build, the progress total next time */
  cargoUnits?: number;
}

export async function loadCache(workspaceDir: string): Promise<BuildCache> {
  try {
    const json = JSON.parse(await readFile(resolve(workspaceDir, CACHE_FILE), 'utf8'));
    if (json?.version === CACHE_VERSION && typeof json.stages === 'object') return json as BuildCache;
  } catch {
    // no cache yet
  }
  return { version: CACHE_VERSION, stages: {} };
}

export async function saveCache(workspaceDir: string, cache: BuildCache): Promise<void> {
  await writeAtomically(resolve(workspaceDir, CACHE_FILE), JSON.stringify(cache, null, 2) + '\n');
}

export function hashOf(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const part of parts) {
    h.update(typeof part === 'string' ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    h.update('\0');
  }
  return h.digest('hex');
}

/** The hash of a file's content, or undefined when it cannot be read. */
export async function hashFile(file: string): Promise<string | undefined> {
  try {
    return hashOf(await readFile(file));
  } catch {
    return undefined;
  }
}
