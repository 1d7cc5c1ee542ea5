// Where the renderer lives in the desktop app: app://longmode/… (a privileged standard scheme, so
// it has an origin and gets the CSP header). No Electron import: pure, and testable without Electron.
export const appScheme = 'app';
export const appOrigin = 'app://longmode';
export const appEntry = `${appOrigin}/index.html`;

/**
 * Only the app's own pages may be navigated to, redirected to, or send IPC. (Node's URL gives a
 * custom scheme the origin "null", so the scheme and host are compared instead of `origin`.)
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === 'longmode' && !parsed.username && !parsed.port && url.startsWith(appOrigin + '/');
  } catch {
    return false;
  }
}
