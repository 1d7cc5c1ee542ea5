// Before a build: can we write where it writes? A read-only workspace (another user's checkout, a
// mounted image) gets one message saying so and what to do, instead of a tool failing halfway.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { loadManifest } from '../../../toolchain/manifest';

/** The folders a build writes into, workspace-relative: bootloader and image outputs, the kernel's target/. */
async function outputFolders(workspace: string): Promise<string[]> {
  const folders = new Set(['build']);
  try {
    const manifest = await loadManifest(workspace);
    for (const stage of manifest.bootloader) folders.add(dirname(stage.output));
    folders.add(dirname(manifest.image.output));
    folders.add(join(manifest.kernel.crate, 'target'));
  } catch {
    // an invalid manifest: the build itself reports that
  }
  return [...folders];
}

/** The nearest folder that exists at or above `path` (the one a build would have to create entries in). */
async function nearestExisting(path: string): Promise<string> {
  for (let dir = path; ; dir = dirname(dir)) {
    if (await stat(dir).then((s) => s.isDirectory(), () => false)) return dir;
    if (dirname(dir) === dir) return dir;
  }
}

/** Folders (workspace-relative, '.' for the root) this process cannot write but a build must. */
export async function unwritableBuildFolders(workspace: string): Promise<string[]> {
  const root = resolve(workspace);
  if (!(await stat(root).then((s) => s.isDirectory(), () => false))) return []; // the build says the workspace is missing
  const blocked = new Set<string>();
  for (const folder of await outputFolders(root)) {
    const existing = await nearestExisting(resolve(root, folder));
    const writable = await access(existing, constants.W_OK).then(() => true, () => false);
    if (!writable) blocked.add(relative(root, existing) || '.');
  }
  return [...blocked];
}

/** The message for a read-only workspace, or undefined when a build can write everything it needs. */
export async function readOnlyWorkspaceProblem(workspace: string): Promise<string | undefined> {
  const blocked = await unwritableBuildFolders(workspace);
  if (!blocked.length) return undefined;
  const where = blocked.map((f) => (f === '.' ? 'the workspace folder itself' : `${f}/`)).join(', ');
  return (
    `cannot build: ${resolve(workspace)} is not writable by you (${where}), and a build writes its outputs there. ` +
    'Make the workspace yours (chown -R, or chmod -R u+w) or copy it to a folder you own; nothing was changed.'
  );
}
