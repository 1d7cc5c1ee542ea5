import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupStore, defaultBackupFolders, fileNameFor } from './backup-store';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'longmode-backups-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('BackupStore', () => {
  it('keeps the newest text per path until it is discarded', async () => {
    const store = new BackupStore([join(base, 'b')]);
    await store.write('kernel/src/main.rs', 'one', 'v1');
    await store.write('kernel/src/main.rs', 'two', 'v1');
    await store.write('boot/stage1.asm', 'nasm', undefined);
    const list = await store.list();
    expect(list.map((b) => [b.path, b.text, b.baseVersion])).toEqual([
      ['boot/stage1.asm', 'nasm', undefined],
      ['kernel/src/main.rs', 'two', 'v1'],
    ]);
    expect(Date.parse(list[0].savedAt)).not.toBeNaN();
    expect((await stat(join(base, 'b', fileNameFor('boot/stage1.asm')))).mode & 0o777).toBe(0o600);
    await store.discard('kernel/src/main.rs');
    await store.discard('never/backed/up.rs');
    expect((await store.list()).map((b) => b.path)).toEqual(['boot/stage1.asm']);
  });

  it('applies writes and discards of one path in the order they were asked for', async () => {
    const store = new BackupStore([join(base, 'b')]);
    const ops = [store.write('a.rs', 'x'.repeat(1 << 20)), store.discard('a.rs'), store.write('a.rs', 'last'), store.write('b.rs', 'b'), store.discard('b.rs')];
    await Promise.all(ops);
    expect((await store.list()).map((b) => [b.path, b.text])).toEqual([['a.rs', 'last']]);
    expect((await readdir(join(base, 'b'))).filter((n) => n.startsWith('.longmode-tmp-'))).toEqual([]);
  });

  it('falls back to the next folder when the first cannot be written, and lists both', async () => {
    await writeFile(join(base, 'not-a-folder'), 'a file where a folder should be');
    const blocked = join(base, 'not-a-folder', 'backups');
    const store = new BackupStore([blocked, join(base, 'state')]);
    await store.write('kernel/src/main.rs', 'kept anyway', 'v9');
    expect((await store.list()).map((b) => b.text)).toEqual(['kept anyway']);
    expect(JSON.parse(await readFile(join(base, 'state', fileNameFor('kernel/src/main.rs')), 'utf8')).text).toBe('kept anyway');
  });

  it('says which folders could not be written when none can', async () => {
    await writeFile(join(base, 'file'), '');
    const store = new BackupStore([join(base, 'file', 'a'), join(base, 'file', 'b')]);
    await expect(store.write('x.rs', 'text')).rejects.toThrow(/could not back up the unsaved edits of x\.rs: no backup folder is writable .*file\/a \(ENOTDIR\)/);
  });

  it('skips files that are not backups: truncated, hand-edited, or named for another path', async () => {
    const folder = join(base, 'b');
    const store = new BackupStore([folder]);
    await store.write('good.rs', 'good');
    await writeFile(join(folder, fileNameFor('cut.rs')), '{"path":"cut.rs","te');
    await writeFile(join(folder, fileNameFor('evil.rs')), JSON.stringify({ path: '../../etc/passwd', text: 'x', savedAt: 'now' }));
    await writeFile(join(folder, fileNameFor('moved.rs')), JSON.stringify({ path: 'good.rs', text: 'x', savedAt: '9999' }));
    await writeFile(join(folder, fileNameFor('n.rs')), JSON.stringify({ path: 'n.rs', text: 5, savedAt: 'now' }));
    expect((await store.list()).map((b) => [b.path, b.text])).toEqual([['good.rs', 'good']]);
  });

  it('defaults to the workspace .longmode folder, then the XDG state folder', () => {
    const [first, second] = defaultBackupFolders('/w/os', { XDG_STATE_HOME: '/state' });
    expect(first).toBe('/w/os/.longmode/backups');
    expect(second).toMatch(/^\/state\/longmode\/backups\/[0-9a-f]{16}$/);
    expect(defaultBackupFolders('/w/os', { HOME: '/home/me' })[1]).toMatch(/^\/home\/me\/\.local\/state\/longmode\/backups\//);
  });
});
