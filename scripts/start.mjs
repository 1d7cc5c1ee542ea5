#!/usr/bin/env node
// `npm start`: opens the Electron app on the sample OS. Where Electron cannot run (its binary could
// not be downloaded, or there is no display) it says so and falls back to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const say = (msg) => console.error(`longmode: ${msg}`);
const workspaceArgs = process.argv.slice(2);

const build = spawnSync(process.execPath, [resolve(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  const pkg = resolve(root, 'node_modules/electron');
  if (!existsSync(pkg)) return undefined;
  if (!existsSync(resolve(pkg, 'path.txt')) && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say('fetching the Electron binary (first start only)…');
    const fetch = spawnSync(process.execPath, [resolve(pkg, 'install.js')], { cwd: pkg, encoding: 'utf8' });
    if (fetch.status !== 0) say(`could not fetch Electron: ${(fetch.stderr || fetch.stdout).trim().split('\n')[0]}`);
  }
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
if (electron && hasDisplay) {
  const app = spawn(electron, [resolve(root, 'dist/electron/main.cjs'), ...workspaceArgs], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  say(electron ? 'no display found, so the desktop window cannot open.' : 'Electron\'s binary is not installed (it could not be downloaded), so the desktop window cannot open.');
  say('starting browser mode instead: open the URL below in a browser on this machine.');
  const serve = spawn(process.execPath, [resolve(root, 'bin/longmode.js'), 'serve', ...workspaceArgs], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
  serve.on('exit', (code) => process.exit(code ?? 0));
}
