// Serves the built renderer bundle (dist/renderer) read-only, confined to that folder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const missingBundleMessage = 'The Longmode UI is not built yet: run `npm run build` in the Longmode folder, then reload this page.';

/** Sends the file for `urlPath` from `root`, or a 404; index.html for '/'. Returns the status sent. */
export async function sendStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean): Promise<number> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return sendText(res, 400, 'bad URL encoding');
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = normalize(join(root, relative));
  if (!file.startsWith(root + sep) || decoded.includes('\0')) return sendText(res, 404, 'not found');
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) {
    if (relative === 'index.html') return sendText(res, 503, missingBundleMessage);
    return sendText(res, 404, 'not found');
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', st.size);
  res.setHeader('Cache-Control', relative.startsWith('assets/') ? 'private, max-age=31536000, immutable' : 'no-cache');
  if (headOnly) {
    res.end();
    return 200;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return 200;
}

export function sendText(res: ServerResponse, status: number, text: string): number {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text + '\n');
  return status;
}
