// Boots a disk image in real QEMU (TCG) with guest RAM shared through a file, so tests can
// read physical memory directly. Serial (COM1) arrives on QEMU's stdout. Everything a run
// creates (the process, the RAM file, its temp dir) goes away in `stop()`.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BootOptions {
  memoryMiB: number;
  /** Value of the fw_cfg file opt/longmode/fault (page, triple, spin). */
  fault?: string;
  cpu?: string;
}

export interface GuestRun {
  readonly ramPath: string;
  readonly pid: number;
  serial(): string;
  /** Resolves with the serial output once it contains `text`; rejects on timeout or exit. */
  waitForSerial(text: string, timeoutMs: number): Promise<string>;
  /** Resolves with QEMU's exit code, or null if it is still running after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<number | null>;
  /** CPU time (user + system) QEMU has used, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function bootImage(image: string, options: BootOptions): Promise<GuestRun> {
  const ramRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = await mkdtemp(join(ramRoot, 'seed-os-ram-'));
  const ramPath = join(dir, 'guest.ram');
  const args = [
    '-machine', 'pc,memory-backend=ram',
    '-object', `memory-backend-file,id=ram,size=${options.memoryMiB}M,mem-path=${ramPath},share=on`,
    '-m', `${options.memoryMiB}M`,
    '-drive', `file=${image},format=raw,snapshot=on`,
    '-serial', 'stdio',
    '-display', 'none',
    '-monitor', 'none',
    '-no-reboot',
  ];
  if (options.fault !== undefined) args.push('-fw_cfg', `name=opt/longmode/fault,string=${options.fault}`);
  if (options.cpu !== undefined) args.push('-cpu', options.cpu);

  const child: ChildProcess = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
    child.on('error', (error) => {
      stderr += (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'qemu-system-x86_64 not found: install it with `sudo apt-get install qemu-system-x86`'
        : String(error);
      exitCode = -1;
      resolve(-1);
    });
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const waitForSerial = (text: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (output.includes(text)) {
          clearInterval(poll);
          resolve(output);
        } else if (exitCode !== undefined || Date.now() - started > timeoutMs) {
          clearInterval(poll);
          const why = exitCode !== undefined ? `QEMU exited (${exitCode}) ${stderr}` : `no "${text}" after ${timeoutMs} ms`;
          reject(new Error(`${why}\nserial so far:\n${output}`));
        }
      }, 20);
    });

  const waitForExit = (timeoutMs: number) =>
    Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))]);

  const cpuSeconds = () => {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  };

  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  return { ramPath, pid: child.pid ?? -1, serial: () => output, waitForSerial, waitForExit, cpuSeconds, stop };
}
