// What the e2e tests and the UI benchmark share: a temp copy of the sample OS, a real
// `longmode serve` on it, and a fresh headless Chromium. Everything is stopped by its own handle.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { waitForApp } from './ide-actions';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');

/** A private copy of samples/seed-os (without build outputs), removed by `dispose`. */
export function copySample(): { dir: string; dispose(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'longmode-e2e-'));
  const dir = join(parent, 'seed-os');
  const source = join(repoRoot, 'samples', 'seed-os');
  cpSync(source, dir, {
    recursive: true,
    filter: (src) => !/[/\\](target|build|\.longmode)$/.test(src),
  });
  return { dir, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

export interface Server {
  url: string;
  process: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Spawns `node bin/longmode.js serve --port 0 --workspace DIR` and waits for the URL it prints. */
export async function startServer(workspace: string, port = 0): Promise<Server> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'longmode.js'), 'serve', '--port', String(port), '--workspace', workspace], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`longmode serve printed no URL within 30 s; stderr:\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`longmode serve exited with ${code} before printing its URL; stderr:\n${stderr}`));
    });
  });
  return {
    url,
    process: child,
    stderr: () => stderr,
    stop: () => stopProcess(child),
  };
}

/** SIGTERM (the server stops its guest), then SIGKILL if it lingers. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium (its own temp profile) with one page. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'longmode-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function ensureRendererBundle(): void {
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) {
    throw new Error('the renderer bundle is missing: run `node scripts/build.mjs` first');
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
}

export interface Ide {
  sample: ReturnType<typeof copySample>;
  server: Server;
  browser: Browser;
  page: Page;
  /** closes the browser, stops the server (by PID) and removes the copy */
  close(): Promise<void>;
}

/** A temp copy of the sample served by the real `longmode serve`, open in a fresh headless Chromium. */
export async function openIde(): Promise<Ide> {
  ensureRendererBundle();
  const sample = copySample();
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    sample.dispose();
  };
  try {
    server = await startServer(sample.dir);
    browser = await launchBrowser();
    const page = browser.page;
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(server.url);
    await waitForApp(page);
    return { sample, server, browser, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
