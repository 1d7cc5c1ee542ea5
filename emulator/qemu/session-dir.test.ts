// Stale session folders: a dead owner's folder and its orphaned QEMU are cleaned up on start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuArgs, sessionPaths, parseMemorySize } from './args';
import { cleanStaleSessionDirs, createSessionDir, isProcessAlive } from './session-dir';

const root = mkdtempSync(join(tmpdir(), 'longmode-stale-test-root-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('session folders', () => {
  it('removes folders of dead owners, kills their orphaned QEMU, and keeps live ones', async () => {
    const deadPid = spawnSync('true').pid!; // exited already
    const stale = join(root, `longmode-${deadPid}-abc123`);
    mkdirSync(stale);
    const paths = sessionPaths(stale);
    // An orphaned QEMU from that dead owner, still holding its RAM file and sockets.
    const qemu = spawn('qemu-system-x86_64', qemuArgs({ image: '/dev/null', memory: '16M', dir: paths }), { stdio: 'ignore' });
    const exited = new Promise((r) => qemu.once('exit', r));
    await waitFor(() => existsSync(paths.pid) && existsSync(paths.ram), 5000);
    const mine = createSessionDir(root);
    const unrelated = join(root, 'longmode-notasession');
    mkdirSync(unrelated);

    expect(cleanStaleSessionDirs(root)).toEqual([stale]);
    await exited;
    expect(isProcessAlive(qemu.pid!)).toBe(false);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});

describe('qemu arguments', () => {
  it('shares RAM through a file, puts QMP and gdb on sockets in the session folder, starts stopped', () => {
    const args = qemuArgs({ image: '/x/os.img', memory: '64M', dir: sessionPaths('/t/s'), fault: 'page' }).join(' ');
    expect(args).toContain('-object memory-backend-file,id=ram,size=64M,mem-path=/t/s/ram,share=on');
    expect(args).toContain('-drive file=/x/os.img,format=raw,if=ide,snapshot=on');
    expect(args).toContain('-qmp unix:/t/s/qmp.sock,server=on,wait=off');
    expect(args).toContain('-chardev socket,id=gdb0,path=/t/s/gdb.sock,server=on,wait=off -gdb chardev:gdb0');
    expect(args).toContain('-no-reboot');
    expect(args).toContain('-fw_cfg name=opt/longmode/fault,string=page');
    expect(args).toMatch(/ -S( |$)/);
  });
  it('parses memory sizes', () => {
    expect(parseMemorySize('128M')).toBe(128n << 20n);
    expect(parseMemorySize('1G')).toBe(1n << 30n);
    expect(() => parseMemorySize('lots')).toThrow(/e\.g\. 128M/);
  });
});
