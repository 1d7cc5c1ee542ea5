// Helpers the toolchain tests share: temp copies of fixture workspaces and small edits to them.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const TESTDATA = resolve(here, 'testdata');
export const MINI_OS = resolve(TESTDATA, 'mini-os');
export const SEED_OS = resolve(here, '..', 'samples', 'seed-os');
export const REPO_ROOT = resolve(here, '..');

export interface TempWorkspace {
  dir: string;
  remove(): Promise<void>;
}

/** A copy of a workspace in a fresh temp folder, without build outputs (build/, target/). */
export async function tempWorkspace(source: string, skip: string[] = ['build', 'target']): Promise<TempWorkspace> {
  const parent = await mkdtemp(join(tmpdir(), 'longmode-test-'));
  const dir = join(parent, basename(source));
  await cp(source, dir, { recursive: true, filter: (src) => !skip.includes(basename(src)) });
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** Replaces `from` by `to` in a file; fails loudly when `from` is not there. Returns the 1-based line of the change. */
export async function editFile(file: string, from: string, to: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`test setup: '${from}' not found in ${file}`);
  await writeFile(file, text.slice(0, at) + to + text.slice(at + from.length));
  return text.slice(0, at).split('\n').length;
}
