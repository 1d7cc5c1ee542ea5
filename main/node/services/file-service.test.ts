import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceRoot } from './confine';
import { FileService } from './file-service';
import { OwnChanges } from './own-changes';

let base: string;
let ws: string;
let files: FileService;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'longmode-files-'));
  ws = join(base, 'ws');
  await mkdir(join(ws, 'kernel/src'), { recursive: true });
  await writeFile(join(ws, 'kernel/src/main.rs'), 'fn main() {}\n');
  await writeFile(join(base, 'secret.txt'), 'outside\n');
  files = new FileService(await WorkspaceRoot.open(ws), new OwnChanges());
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const code = (p: Promise<unknown>) => p.then(() => 'resolved', (err: { code?: string }) => err.code);

describe('confinement', () => {
  it('refuses absolute paths and .. escapes', async () => {
    expect(await code(files.read(join(base, 'secret.txt')))).toBe('outside-workspace');
    expect(await code(files.read('../secret.txt'))).toBe('outside-workspace');
    expect(await code(files.write('kernel/../../secret.txt', 'x'))).toBe('outside-workspace');
    expect(await readFile(join(base, 'secret.txt'), 'utf8')).toBe('outside\n');
  });

  it('refuses a symlink that resolves outside, for reading and writing, and a folder link too', async () => {
    await symlink(join(base, 'secret.txt'), join(ws, 'link.txt'));
    await symlink(base, join(ws, 'up'));
    expect(await code(files.read('link.txt'))).toBe('outside-workspace');
    expect(await code(files.write('link.txt', 'pwned'))).toBe('outside-workspace');
    expect(await code(files.read('up/secret.txt'))).toBe('outside-workspace');
    expect(await code(files.create('up/new.txt', 'file'))).toBe('outside-workspace');
    expect(await readFile(join(base, 'secret.txt'), 'utf8')).toBe('outside\n');
    // deleting the link itself is fine: it lives inside, and its target is left alone
    await files.delete('link.txt');
    expect(await readFile(join(base, 'secret.txt'), 'utf8')).toBe('outside\n');
  });

  it('follows a symlink that stays inside the workspace', async () => {
    await symlink('kernel/src/main.rs', join(ws, 'main-link.rs'));
    expect((await files.read('main-link.rs')).text).toBe('fn main() {}\n');
  });
});

describe('atomic save', () => {
  it('keeps the file mode and leaves no temp file', async () => {
    const script = join(ws, 'run.sh');
    await writeFile(script, '#!/bin/sh\n');
    await chmod(script, 0o751);
    const { version } = await files.read('run.sh');
    const saved = await files.write('run.sh', '#!/bin/sh\necho hi\n', version);
    expect((await stat(script)).mode & 0o777).toBe(0o751);
    expect(await readFile(script, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(saved.version).not.toBe(version);
    expect((await files.read('run.sh')).version).toBe(saved.version);
    expect((await readdir(ws)).filter((n) => n.includes('longmode-tmp'))).toEqual([]);
  });

  it('refuses a stale expectedVersion and writes nothing', async () => {
    const first = await files.read('kernel/src/main.rs');
    await files.write('kernel/src/main.rs', 'fn main() { 1; }\n', first.version);
    const err = await files.write('kernel/src/main.rs', 'stale edit\n', first.version).catch((e: Error & { code?: string }) => e);
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/changed on disk.*nothing was saved/) });
    expect(await readFile(join(ws, 'kernel/src/main.rs'), 'utf8')).toBe('fn main() { 1; }\n');
    expect((await readdir(join(ws, 'kernel/src'))).sort()).toEqual(['main.rs']);
  });

  it('gives two quick saves of the same size different versions', async () => {
    const a = await files.write('same.txt', 'aaaa');
    const b = await files.write('same.txt', 'bbbb');
    expect(a.version).not.toBe(b.version);
    expect(await code(files.write('same.txt', 'cccc', a.version))).toBe('conflict');
  });

  it('creates new files with the usual mode', async () => {
    await files.write('kernel/src/new.rs', '// new\n');
    expect((await stat(join(ws, 'kernel/src/new.rs'))).mode & 0o777).toBe(0o644);
  });
});

describe('explorer operations', () => {
  it('creates, renames and deletes, and lists the tree without target/ and .git/', async () => {
    await mkdir(join(ws, 'kernel/target/release'), { recursive: true });
    await mkdir(join(ws, '.git'));
    await files.create('boot', 'dir');
    await files.create('boot/stage1.asm', 'file');
    expect(await code(files.create('boot/stage1.asm', 'file'))).toBe('already-exists');
    await files.rename('boot/stage1.asm', 'boot/mbr.asm');
    expect(await code(files.rename('kernel/src/main.rs', 'boot/mbr.asm'))).toBe('already-exists');
    const tree = await files.tree();
    expect(JSON.stringify(tree)).not.toMatch(/target|\.git/);
    expect(tree.children?.map((c) => c.path)).toEqual(['boot', 'kernel']);
    expect(tree.children?.[0].children).toEqual([{ path: 'boot/mbr.asm', kind: 'file' }]);
    await files.delete('boot');
    expect(await code(files.read('boot/mbr.asm'))).toBe('not-found');
  });
});
