// The one app window and the web-contents hardening that applies to every page Electron creates:
// context isolation, sandbox, no Node, no navigation away, no new windows, no permissions.
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { appEntry, appOrigin } from './app-protocol';

export function hardenAllContents(log: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(appOrigin + '/')) {
        event.preventDefault();
        log(`blocked navigation to ${url}`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(appOrigin + '/')) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      log(`blocked a new window for ${url}`);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'Longmode',
    backgroundColor: '#1e1e1e',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntry);
  return win;
}
