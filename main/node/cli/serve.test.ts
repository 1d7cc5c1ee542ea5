import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
let ws: string;

beforeAll(async () => {
  ws = await mkdtemp(join(tmpdir(), 'longmode-serve-cli-'));
  await copyFile(join(repoRoot, 'samples/seed-os/longmode.json'), join(ws, 'longmode.json'));
});

afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

function startServe(extra: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/longmode.js'), 'serve', '--port', '0', '--workspace', ws, ...extra], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const firstLine = new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', done);
    child.once('exit', () => fail(new Error(`longmode serve exited before printing its URL: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // a test that expects an early exit never awaits it
  return { child, exited, firstLine, stderr: () => stderr };
}

describe('longmode serve', () => {
  it('prints one URL line; a GET with its token answers, without it is refused; SIGTERM stops it', async () => {
    const serve = startServe([]);
    try {
      const url = await serve.firstLine;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
      const withToken = await fetch(url);
      // 200 once the renderer bundle is built (`npm run build`); 503 with the instruction until then
      if (withToken.status === 503) expect(await withToken.text()).toMatch(/run `npm run build`/);
      else expect(withToken.status).toBe(200);
      const bare = new URL(url);
      bare.search = '';
      expect([401, 403]).toContain((await fetch(bare)).status);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
    expect(serve.stderr()).toMatch(/SIGTERM: stopping/);
  });

  it('--json prints one document with url, port and token', async () => {
    const serve = startServe(['--json']);
    let out = '';
    serve.child.stdout.on('data', (d) => (out += d));
    try {
      await serve.firstLine;
      await new Promise((r) => setTimeout(r, 200)); // the rest of the pretty-printed document
      const doc = JSON.parse(out) as { url: string; port: number; token: string };
      expect(doc.url).toBe(`http://127.0.0.1:${doc.port}/?token=${doc.token}`);
      expect((await fetch(doc.url, { method: 'HEAD' })).status).not.toBe(401);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
  });

  it('refuses a bad port with exit code 2', async () => {
    const serve = startServe(['--port', 'http']);
    expect(await serve.exited).toBe(2);
    expect(serve.stderr()).toMatch(/--port must be a number/);
  });
});
