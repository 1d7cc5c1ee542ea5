// Who may talk to the browser-mode server: requests to 127.0.0.1/localhost on our port (no DNS
// rebinding), from our own Origin when one is sent, carrying the token (query or cookie).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newToken = (): string => randomBytes(24).toString('base64url');

export const cookieName = (port: number): string => `longmode_token_${port}`;

export type AccessCheck = { ok: true; tokenFromQuery: boolean } | { ok: false; status: 401 | 403; message: string };

export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** `upgrade`: a WebSocket handshake, which must carry an Origin (browsers always send one). */
export function checkAccess(req: IncomingMessage, token: string, port: number, upgrade: boolean): AccessCheck {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, status: 403, message: `refused: open the IDE at http://127.0.0.1:${port}/ (Host "${host.slice(0, 100)}" is not this server)` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined || upgrade) {
    if (!origin || !allowedOrigins(port).includes(origin)) {
      return { ok: false, status: 403, message: `refused: requests must come from the IDE's own page (Origin ${origin ?? 'missing'})` };
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, message: 'refused: cross-site requests are not allowed' };
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && sameSecret(fromQuery, token)) return { ok: true, tokenFromQuery: true };
  const fromCookie = readCookie(req.headers.cookie, cookieName(port));
  if (fromCookie !== undefined && sameSecret(fromCookie, token)) return { ok: true, tokenFromQuery: false };
  return { ok: false, status: 401, message: 'refused: open the exact URL `longmode serve` printed (it carries the access token)' };
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
