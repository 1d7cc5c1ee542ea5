// The Electron main process: one hardened window, the renderer served as app://longmode, the
// service host over IPC, native menus, and the remembered workspace. Everything else is shared
// with browser mode through main/node (the service host and the dispatcher).
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { cp, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve } from '../node/rpc/dispatch';
import { emulatorBackend } from '../node/services/emulator-adapter';
import { ServiceHost } from '../node/services/service-host';
import { toolchainBackend } from '../node/services/toolchain-adapter';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { backupStoreFor, loadAppState, saveAppState, uiStateStoreFor } from './app-state';
import { ipcTransport, type IpcTransport } from './ipc-transport';
import { buildMenu } from './menu';
import { createMainWindow, denyPermissions, hardenAllContents } from './window';

const log = (line: string) => process.stderr.write(`longmode: ${line}\n`);
/** dist/electron/main.cjs → the app folder (the repository root in a checkout). */
const appRoot = app.isPackaged ? app.getAppPath() : resolve(__dirname, '../..');
const resourcesRoot = app.isPackaged ? process.resourcesPath : appRoot;

let host: ServiceHost | undefined;
let transport: IpcTransport | undefined;
let window: BrowserWindow | undefined;
let quitting = false;

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

async function start(): Promise<void> {
  hardenAllContents(log);
  denyPermissions();
  serveRenderer(join(appRoot, 'dist/renderer'));
  window = createMainWindow(join(__dirname, 'preload.cjs'));
  Menu.setApplicationMenu(
    buildMenu(
      { command: (command) => host?.emit('menu.command', { command }), openFolder: () => void chooseFolder(), about: showAbout },
      { isMac: process.platform === 'darwin', devTools: !app.isPackaged },
    ),
  );
  window.on('closed', () => (window = undefined));
  const { lastWorkspace } = await loadAppState(app.getPath('userData'));
  const first = lastWorkspace && (await isFolder(lastWorkspace)) ? lastWorkspace : await defaultWorkspace();
  await openWorkspace(first);
}

/** The bundled sample OS; a packaged app copies it to the user-data folder so it can be edited. */
async function defaultWorkspace(): Promise<string> {
  const bundled = join(resourcesRoot, 'samples/seed-os');
  if (!app.isPackaged) return bundled;
  const copy = join(app.getPath('userData'), 'workspaces/seed-os');
  if (!(await isFolder(copy))) await cp(bundled, copy, { recursive: true });
  return copy;
}

async function openWorkspace(dir: string): Promise<void> {
  if (!window) return;
  let next: ServiceHost;
  try {
    next = await ServiceHost.open({ workspace: dir, build: toolchainBackend, vm: emulatorBackend, uiState: uiStateStoreFor(app.getPath('userData'), dir), backups: backupStoreFor(app.getPath('userData'), dir), log });
  } catch (err) {
    dialog.showErrorBox('Longmode', `Could not open ${dir}: ${(err as Error).message}`);
    return;
  }
  const previous = host;
  transport?.close();
  host = next;
  transport = ipcTransport(window.webContents, log);
  serve(next, transport, log);
  await previous?.dispose(); // stops the previous workspace's guest
  await saveAppState(app.getPath('userData'), { lastWorkspace: dir }).catch((err) => log(`could not remember the workspace: ${err.message}`));
  if (previous) next.emit('workspace.changed', await next.info());
}

async function chooseFolder(): Promise<void> {
  if (!window) return;
  const result = await dialog.showOpenDialog(window, { title: 'Open a Longmode workspace', properties: ['openDirectory'] });
  if (!result.canceled && result.filePaths[0]) await openWorkspace(result.filePaths[0]);
}

function showAbout(): void {
  void dialog.showMessageBox({ type: 'info', title: 'About Longmode', message: `Longmode ${app.getVersion()}`, detail: 'An IDE for hobby x86-64 operating-system development.' });
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Stops QEMU and the watcher once, then lets the app quit. */
async function shutdown(): Promise<void> {
  if (quitting) return;
  quitting = true;
  transport?.close();
  await host?.dispose().catch((err) => log(`shutdown: ${err.message}`));
  host = undefined;
  app.exit(0);
}

app.on('window-all-closed', () => void shutdown());
app.on('before-quit', (event) => {
  if (quitting) return;
  event.preventDefault();
  void shutdown();
});
app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
// a stray promise in a service must not take the IDE (and the guest) down: log it, keep running
process.on('unhandledRejection', (reason) => log(`internal error (unhandled rejection): ${(reason as Error)?.stack ?? String(reason)}`));
