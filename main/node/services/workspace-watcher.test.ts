import { mkdtemp, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceRoot } from './confine';
import { FileService } from './file-service';
import { OwnChanges } from './own-changes';
import { WorkspaceWatcher, type DiskChange } from './workspace-watcher';

let ws: string;
let watcher: WorkspaceWatcher;
let files: FileService;
let changes: DiskChange[];

beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'longmode-watch-'));
  await mkdir(join(ws, 'kernel/src'), { recursive: true });
  await mkdir(join(ws, 'kernel/target'), { recursive: true });
  await writeFile(join(ws, 'kernel/src/main.rs'), 'fn main() {}\n');
  const root = await WorkspaceRoot.open(ws);
  const own = new OwnChanges();
  files = new FileService(root, own);
  changes = [];
  watcher = await WorkspaceWatcher.start(root, own, (c) => changes.push(c));
});

afterEach(async () => {
  watcher.close();
  await rm(ws, { recursive: true, force: true });
});

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(changes)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WorkspaceWatcher', () => {
  it('reports a change made by another program, with the new version', async () => {
    await writeFile(join(ws, 'kernel/src/main.rs'), 'fn main() { loop {} }\n');
    await until(() => changes.some((c) => c.path === 'kernel/src/main.rs'), 'the external change');
    const change = changes.find((c) => c.path === 'kernel/src/main.rs')!;
    expect(change).toMatchObject({ kind: 'changed', own: false });
    expect(change.version).toBe((await files.read('kernel/src/main.rs')).version);
  });

  it('marks the IDE\'s own save as own, and reports created and deleted files in new folders', async () => {
    const { version } = await files.read('kernel/src/main.rs');
    await files.write('kernel/src/main.rs', 'fn main() { 2; }\n', version);
    await until(() => changes.length > 0, 'the own save');
    expect(changes.filter((c) => !c.own)).toEqual([]);

    changes.length = 0;
    await mkdir(join(ws, 'boot'));
    await until(() => changes.some((c) => c.path === 'boot'), 'the new folder');
    await writeFile(join(ws, 'boot/stage1.asm'), 'org 0x7c00\n');
    await until(() => changes.some((c) => c.path === 'boot/stage1.asm'), 'the new file');
    expect(changes.find((c) => c.path === 'boot/stage1.asm')).toMatchObject({ kind: 'created', own: false });
    await unlink(join(ws, 'boot/stage1.asm'));
    await until(() => changes.some((c) => c.path === 'boot/stage1.asm' && c.kind === 'deleted'), 'the deletion');
  });

  it('ignores target/ (cargo output)', async () => {
    await writeFile(join(ws, 'kernel/target/junk'), 'x');
    await writeFile(join(ws, 'kernel/src/lib.rs'), '//\n');
    await until(() => changes.some((c) => c.path === 'kernel/src/lib.rs'), 'the source change');
    expect(changes.some((c) => c.path.includes('target'))).toBe(false);
  });
});
