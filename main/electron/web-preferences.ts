// The app window's options and the policies every web contents gets, without importing Electron,
// so the test suite checks exactly what window.ts applies. The options are one literal right
// inside `new BrowserWindow(…)`, where electronegativity's static checks can read them too.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { isAppUrl } from './app-origin';

type WindowClass<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Creates the app window with `BrowserWindow` (Electron's, from window.ts): context isolation, the
 * sandbox, no Node anywhere, web security on, no <webview>, no middle-click (auxclick) windows.
 */
export function newAppWindow<W>(BrowserWindow: WindowClass<W>, preload: string): W {
  return new BrowserWindow({
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** The options `newAppWindow` hands to Electron, taken from that same code path. */
export function appWindowOptions(preload: string): BrowserWindowConstructorOptions {
  let captured: BrowserWindowConstructorOptions | undefined;
  newAppWindow(
    class {
      constructor(options: BrowserWindowConstructorOptions) {
        captured = options;
      }
    },
    preload,
  );
  return captured!;
}

export function windowWebPreferences(preload: string): WebPreferences {
  return appWindowOptions(preload).webPreferences ?? {};
}

/** `will-navigate` / `will-redirect`: true when the navigation must be stopped. */
export function blocksNavigation(url: string): boolean {
  return !isAppUrl(url);
}

/** `setWindowOpenHandler`: the app never opens windows (links to the web are not followed either). */
export function newWindowPolicy(): { action: 'deny' } {
  return { action: 'deny' };
}
