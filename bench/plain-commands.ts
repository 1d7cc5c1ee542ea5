// The same rebuild + boot without Longmode, as a user would type it: the sample's
// tools/mkimage.sh (nasm, cargo, objcopy, dd), then qemu-system-x86_64 until serial shows the text.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface PlainSample {
  dir: string;
  /** edits `from` into `to` in `file`, rebuilds with tools/mkimage.sh and boots until `to` is on serial; ms */
  editAndBoot(file: string, from: string, to: string): Promise<number>;
  dispose(): void;
}

/** A built copy of samples/seed-os (the already-built tree both sides start from). */
export function plainSample(sampleDir: string): PlainSample {
  const parent = mkdtempSync(join(tmpdir(), 'longmode-plain-'));
  const dir = join(parent, 'seed-os');
  cpSync(sampleDir, dir, { recursive: true, filter: (src) => !/[/\\](target|build|\.longmode)$/.test(src) });
  mkimage(dir);
  return {
    dir,
    async editAndBoot(file, from, to) {
      const source = join(dir, file);
      writeFileSync(source, readFileSync(source, 'utf8').replace(from, to));
      const start = performance.now();
      mkimage(dir);
      await bootUntilSerial(join(dir, 'build/seed-os.img'), to);
      return Math.round(performance.now() - start);
    },
    dispose: () => rmSync(parent, { recursive: true, force: true }),
  };
}

function mkimage(dir: string): void {
  const make = spawnSync('sh', [join(dir, 'tools/mkimage.sh')], { cwd: dir, encoding: 'utf8' });
  if (make.status !== 0) throw new Error(`tools/mkimage.sh failed:\n${make.stderr}`);
}

/** qemu-system-x86_64 on the image until `text` appears on serial; stopped by its handle then. */
function bootUntilSerial(image: string, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const qemu = spawn('qemu-system-x86_64', ['-m', '128M', '-drive', `file=${image},format=raw,snapshot=on`, '-serial', 'stdio', '-display', 'none', '-no-reboot'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let serial = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`"${text}" did not appear on serial within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      qemu.kill('SIGKILL');
      qemu.once('exit', () => (error ? reject(error) : resolvePromise()));
    };
    qemu.stdout.on('data', (chunk: Buffer) => {
      serial += chunk.toString('latin1');
      if (serial.includes(text)) finish();
    });
  });
}
