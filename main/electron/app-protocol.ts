// Serves the renderer bundle as app://longmode/… with the strict CSP header (file:// pages cannot
// get response headers). Only files inside dist/renderer are served.
import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../common/content-security-policy';

import { appOrigin, appScheme } from './app-origin';

export { appEntry, appOrigin, appScheme } from './app-origin';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = normalize(join(root, relative));
    if (url.host !== 'longmode' || !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href).catch(() => undefined);
    if (!response?.ok) {
      const missing = relative === 'index.html';
      const text = missing ? 'The Longmode UI is not built yet: run `npm run build`, then restart Longmode.' : 'not found';
      return new Response(text, { status: missing ? 503 : 404, headers: { 'content-type': 'text/plain' } });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });
}
