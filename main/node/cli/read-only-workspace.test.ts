// A workspace without write permission: `longmode build` and the IDE say so clearly and lose
// nothing. Permissions do not bind root, so the real `longmode` runs as the unprivileged user
// `nobody` (setpriv) on a root-owned copy of the sample; this test fails (never skips) when the
// machine cannot do that, since the check would otherwise prove nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LongmodeApi, WireMessage } from '../../common/contract';
import { createApiClient } from '../../common/wire';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const NOBODY = 65534;
const FILE = 'kernel/src/main.rs';
let base: string;
let workspace: string;
let stateHome: string;
let original: string;

/** Runs a command as `nobody`, with a home and state folder it owns. */
function asNobody(args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: 'setpriv',
    args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, join(repoRoot, 'bin/longmode.js'), ...args],
    env: { PATH: process.env.PATH, HOME: stateHome, XDG_STATE_HOME: stateHome, TMPDIR: stateHome, LANG: 'C.UTF-8' },
  };
}

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('this test switches to the user nobody with setpriv, which needs root (as in CI); run it as root');
  const probe = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', 'id', '-u'], { encoding: 'utf8' });
  if (probe.stdout.trim() !== String(NOBODY)) throw new Error(`setpriv could not switch to nobody (uid ${NOBODY}): ${probe.stderr || probe.error?.message}`);

  base = mkdtempSync(join(tmpdir(), 'longmode-readonly-'));
  chmodSync(base, 0o755); // nobody may look in, not write
  workspace = join(base, 'seed-os');
  cpSync(join(repoRoot, 'samples/seed-os'), workspace, { recursive: true, filter: (src) => !/[/\\](target|build|\.longmode)$/.test(src) });
  stateHome = join(base, 'nobody-home');
  mkdirSync(stateHome);
  chownSync(stateHome, NOBODY, NOBODY);
  original = readFileSync(join(workspace, FILE), 'utf8');
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('a workspace the user cannot write', () => {
  it('`longmode build` says so, exits 2, and writes nothing', () => {
    const run = asNobody(['build', '--workspace', workspace, '--json']);
    const result = spawnSync(run.command, run.args, { env: run.env, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(2);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: false, setupError: { kind: 'read-only-workspace' } });
    expect(doc.setupError.message).toBe(
      `cannot build: ${workspace} is not writable by you (the workspace folder itself, kernel/), and a build writes its outputs there. ` +
        'Make the workspace yours (chown -R, or chmod -R u+w) or copy it to a folder you own; nothing was changed.',
    );

    const plain = spawnSync(run.command, run.args.slice(0, -1), { env: run.env, encoding: 'utf8', timeout: 120_000 });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/^longmode build: cannot build: .*not writable by you/m);
    expect(existsSync(join(workspace, 'build'))).toBe(false);
  });

  it('`longmode clean` says so, exits 2, and keeps the last image', () => {
    const build = spawnSync(process.execPath, [join(repoRoot, 'bin/longmode.js'), 'build', '--workspace', workspace], { encoding: 'utf8', timeout: 180_000 });
    expect(build.status, build.stderr).toBe(0); // the owner (root) builds
    const run = asNobody(['clean', '--workspace', workspace]);
    const clean = spawnSync(run.command, run.args, { env: run.env, encoding: 'utf8', timeout: 120_000 });
    expect(clean.status, clean.stderr).toBe(2);
    expect(clean.stderr).toMatch(/^longmode clean: cannot remove .*build\/stage1\.bin: the workspace is not writable by you \(EACCES\)/m);
    expect(existsSync(join(workspace, 'build/seed-os.img'))).toBe(true);
    rmSync(join(workspace, 'build'), { recursive: true }); // back to a never-built workspace for the IDE below
    rmSync(join(workspace, 'kernel/target'), { recursive: true });
  });

  describe('the IDE (longmode serve as nobody)', () => {
    let server: ChildProcess;
    let socket: WebSocket;
    let api: LongmodeApi;
    let stderr = '';

    beforeAll(async () => {
      const run = asNobody(['serve', '--workspace', workspace, '--port', '0']);
      server = spawn(run.command, run.args, { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
      server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const url = await new Promise<URL>((done, fail) => {
        let out = '';
        const timer = setTimeout(() => fail(new Error(`no URL from longmode serve within 60 s:\n${stderr}`)), 60_000);
        server.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
          if (match) {
            clearTimeout(timer);
            done(new URL(match[0]));
          }
        });
        server.once('exit', (code) => (clearTimeout(timer), fail(new Error(`longmode serve exited with ${code}:\n${stderr}`))));
      });
      socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { headers: { Origin: url.origin } });
      const client = createApiClient((message) => socket.send(JSON.stringify(message)));
      socket.on('message', (data) => client.receive(JSON.parse(String(data)) as WireMessage));
      await new Promise((done, fail) => (socket.once('open', done), socket.once('error', fail)));
      api = client.api;
    }, 90_000);

    afterAll(async () => {
      socket?.terminate();
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((done) => server.once('exit', done));
        server.kill('SIGTERM'); // setpriv execs node: this is the server's own PID
        await exited;
      }
    });

    it('opens and reads the files', async () => {
      expect((await api.call('fs.read', { path: FILE })).text).toBe(original);
    });

    it('refuses a save with a message that says why and what to do; the file is untouched', async () => {
      const { version } = await api.call('fs.read', { path: FILE });
      const refused = api.call('fs.write', { path: FILE, text: '// my edit\n' + original, expectedVersion: version });
      await expect(refused).rejects.toMatchObject({ code: 'failed' });
      const message = await refused.catch((e: Error) => e.message);
      expect(message).toMatch(/^cannot save kernel\/src\/main\.rs: kernel\/src\/ is not writable by you/);
      expect(message).toMatch(/Your edits stay in the editor and are backed up/);
      expect(readFileSync(join(workspace, FILE), 'utf8')).toBe(original);
      expect(readdirSync(join(workspace, 'kernel/src')).filter((n) => n.startsWith('.longmode-tmp-'))).toEqual([]);
    });

    it('keeps the unsaved edit backed up in the user state folder instead', async () => {
      await api.call('backup.write', { path: FILE, text: '// my edit\n' + original, baseVersion: 'v' });
      const backups = await api.call('backup.list', {});
      expect(backups).toMatchObject([{ path: FILE, text: '// my edit\n' + original, baseVersion: 'v' }]);
      expect(existsSync(join(workspace, '.longmode'))).toBe(false);
      const stateBackups = join(stateHome, 'longmode', 'backups');
      expect(readdirSync(stateBackups)).toHaveLength(1); // one folder for this workspace
    });

    it('refuses a build (and a boot, which builds first) with the same clear message', async () => {
      await expect(api.call('build.run', {})).rejects.toMatchObject({ code: 'failed', message: expect.stringMatching(/cannot build: .*not writable by you/) });
      await expect(api.call('vm.boot', {})).rejects.toMatchObject({ message: expect.stringMatching(/not writable by you/) });
      expect(await api.call('vm.status', {})).toMatchObject({ state: 'idle', detail: expect.stringMatching(/not writable/) });
      expect(existsSync(join(workspace, 'build'))).toBe(false);
      expect(stderr).not.toMatch(/unhandled rejection/);
    });
  });
});
