// The renderer's Content-Security-Policy, shared by browser mode (HTTP header) and Electron
// (header on the app:// protocol). Monaco needs inline styles; nothing needs inline script or eval.

/** `connect` lists extra sources the page may talk to, e.g. the browser-mode WebSocket origin. */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
