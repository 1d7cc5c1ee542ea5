// The one app window and the web-contents hardening that applies to every page Electron creates:
// context isolation, sandbox, no Node, no navigation away, no new windows, no permissions.
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { appEntry } from './app-origin';
import { blocksNavigation, newAppWindow, newWindowPolicy } from './web-preferences';

export function hardenAllContents(log: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (blocksNavigation(url)) {
        event.preventDefault();
        log(`blocked navigation to ${url}`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (blocksNavigation(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      log(`blocked a new window for ${url}`);
      return newWindowPolicy();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function createMainWindow(preload: string): BrowserWindow {
  const win = newAppWindow(BrowserWindow, preload);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appEntry);
  return win;
}
