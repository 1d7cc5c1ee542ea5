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

/** Directives a `<meta http-equiv>` policy cannot carry (browsers ignore them there, with a warning). */
const headerOnly = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The same policy for `renderer/index.html`'s `<meta http-equiv="Content-Security-Policy">`, which
 * applies on top of the header (so a page opened some other way is still locked down).
 */
export function metaContentSecurityPolicy(): string {
  return contentSecurityPolicy()
    .split('; ')
    .filter((directive) => !headerOnly.includes(directive.split(' ')[0]))
    .join('; ');
}
