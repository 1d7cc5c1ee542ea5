// Browser mode: the renderer bundle over HTTP and the contract over a WebSocket, on 127.0.0.1 only,
// behind a random token and an Origin/Host check.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { contentSecurityPolicy } from '../../common/content-security-policy';
import { serve } from '../rpc/dispatch';
import type { ServiceHost } from '../services/service-host';
import { checkAccess, cookieName, newToken } from './access';
import { sendStatic, sendText } from './static-files';
import { webSocketTransport } from './ws-transport';

export interface BrowserServerOptions {
  host: ServiceHost;
  /** 0 picks a free port */
  port: number;
  /** the built renderer bundle (dist/renderer) */
  rendererDir: string;
  log?: (line: string) => void;
  /** fixed token (tests); default: a fresh random one */
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  /** Closes every connection and the listening socket (the service host stays open). */
  close(): Promise<void>;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  const rendererDir = resolve(options.rendererDir);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 80 << 20 });
  let port = 0;
  let wsCount = 0;

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err) => {
      log(`http: ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) sendText(res, 500, 'internal error; see the server log');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, port);
    const access = checkAccess(req, token, port, false);
    if (!access.ok) {
      sendText(res, access.status, access.message);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'only GET and HEAD are served here');
      return;
    }
    if (access.tokenFromQuery) {
      res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/ws') {
      sendText(res, 426, 'this address is the WebSocket; open / in the browser');
      return;
    }
    await sendStatic(rendererDir, path, res, req.method === 'HEAD');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const access = checkAccess(req, token, port, true);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!access.ok || path !== '/ws') {
      const status = access.ok ? 404 : access.status;
      const reason = access.ok ? 'the WebSocket lives at /ws' : access.message;
      log(`ws: refused an upgrade (${status}): ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const name = `ws${++wsCount}`;
      log(`ws: ${name} connected`);
      ws.on('close', () => log(`ws: ${name} closed`));
      ws.on('error', (err) => log(`ws: ${name}: ${err.message}`));
      serve(options.host, webSocketTransport(ws, name), log);
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${options.port} is already in use: pick another with --port, or --port 0 for a free one`) : err);
    });
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function setSecurityHeaders(res: ServerResponse, port: number): void {
  const wsOrigins = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`];
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(wsOrigins));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
