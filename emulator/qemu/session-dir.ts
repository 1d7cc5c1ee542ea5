// Private temp folders for QEMU sessions (`<tmp>/longmode-<owner pid>-<random>`), and the cleanup
// of folders left behind by a process that died without stopping its VM.
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'longmode-';

/**
 * Where session folders go: /dev/shm when it is there (the guest RAM file then lives in memory,
 * not on disk, which a 1 GiB guest that touches all its RAM feels), else the OS temp folder.
 */
export function defaultSessionRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export function createSessionDir(root = defaultSessionRoot()): string {
  return mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The QEMU PID from the folder's pidfile, if that process still runs QEMU on this folder. */
export function liveQemuOf(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8').trim());
    if (!pid || !isProcessAlive(pid)) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(dir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes session folders whose owner process is gone, killing the orphaned QEMU first.
 * Returns the folders removed.
 */
export function cleanStaleSessionDirs(root = defaultSessionRoot()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const m = /^longmode-(\d+)-/.exec(name);
    if (!m) continue;
    const owner = Number(m[1]);
    if (owner === process.pid || isProcessAlive(owner)) continue;
    const dir = join(root, name);
    const qemu = liveQemuOf(dir);
    if (qemu) {
      try {
        process.kill(qemu, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
