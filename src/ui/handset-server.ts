// The local HTTP + WebSocket server of the web handset: loopback only, opened by a per-install
// token that is swapped for an HttpOnly cookie, refusing foreign Hosts and Origins.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { runEngineCommand } from './command-runner.js';
import type { HandsetEngine } from './engine.js';
import { checkRequest, hasSession, sessionCookie, tokenMatches } from './request-guard.js';
import { readStaticFile } from './static-files.js';
import { serveSocket, type SocketChannel } from './ws-session.js';

/** The documented default port of `handset serve`. */
export const DEFAULT_UI_PORT = 5679;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;
/** WebSocket message cap (a 20 ms frame at 48 kHz is under 2 KiB; JSON commands are small). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Completes a WebSocket upgrade that the server has already vetted (src/app binds `ws`). */
export type WebSocketUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<SocketChannel>;

export interface HandsetServerOptions {
  readonly engine: HandsetEngine;
  readonly token: string;
  /** Folder with the built web handset (index.html, assets/). */
  readonly staticDir: string;
  readonly port: number;
  readonly upgrade: WebSocketUpgrade;
  readonly now?: () => number;
}

export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
}

export interface HandsetServer {
  readonly port: number;
  /** Addresses actually listened on (127.0.0.1, and ::1 when the host has IPv6). */
  readonly addresses: readonly string[];
  /** The address to open: carries the token once, the page then lives on the cookie. */
  readonly openUrl: string;
  close(): Promise<void>;
}

function securityHeaders(): Record<string, string> {
  // 'self' covers ws:// to the same host and port (CSP 3); IPv6 literals cannot be listed anyway.
  return {
    'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'microphone=(self), hid=(self), speaker-selection=(self)',
    'Cache-Control': 'no-store',
  };
}

function reply(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function readJsonBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; reason: string }> {
  return new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return resolve({ ok: false, status: 415, reason: 'request bodies must be application/json' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve({ ok: false, status: 413, reason: `body larger than ${MAX_BODY_BYTES} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, status: 400, reason: 'body is not JSON' });
      }
    });
    req.on('error', () => resolve({ ok: false, status: 400, reason: 'body could not be read' }));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HandsetServerOptions, port: number): Promise<void> {
  const verdict = checkRequest({
    method: req.method ?? 'GET', host: req.headers.host, origin: req.headers.origin,
    secFetchSite: req.headers['sec-fetch-site'] as string | undefined, upgrade: false,
  }, port);
  if (!verdict.ok) return reply(res, verdict.status, `${verdict.reason}\n`);
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  const token = url.searchParams.get('token');
  if (token !== null) {
    // Swap the token for the cookie and drop it from the address bar (and from history).
    if (req.method !== 'GET' || !tokenMatches(o.token, token)) return reply(res, 401, 'wrong token: open the address printed by `handset serve`\n');
    // Always to the root: a path like "//host" would be a protocol-relative redirect elsewhere.
    return reply(res, 303, '', 'text/plain; charset=utf-8', { Location: '/', 'Set-Cookie': sessionCookie(o.token) });
  }
  if (!hasSession(o.token, req.headers.cookie)) return reply(res, 401, 'not signed in: open the address printed by `handset serve`\n');

  if (url.pathname === '/api/state' && req.method === 'GET') return reply(res, 200, JSON.stringify(o.engine.snapshot()), 'application/json');
  if (url.pathname.startsWith('/api/commands/')) {
    if (req.method !== 'POST') return reply(res, 405, 'POST a JSON object of arguments\n', 'text/plain; charset=utf-8', { Allow: 'POST' });
    const body = await readJsonBody(req);
    if (!body.ok) return reply(res, body.status, `${body.reason}\n`);
    const result = await runEngineCommand(o.engine, decodeURIComponent(url.pathname.slice('/api/commands/'.length)), body.value);
    return reply(res, result.ok ? 200 : 400, JSON.stringify(result), 'application/json');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
  const file = await readStaticFile(o.staticDir, url.pathname);
  if (file === undefined) {
    const hint = url.pathname === '/' ? 'the web handset is not built: run `npm run setup`\n' : 'not found\n';
    return reply(res, 404, hint);
  }
  return reply(res, 200, req.method === 'HEAD' ? '' : file.body, file.type);
}

async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, o: HandsetServerOptions, port: number, open: Set<SocketChannel>): Promise<void> {
  const refuse = (status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const verdict = checkRequest({
    method: req.method ?? 'GET', host: req.headers.host, origin: req.headers.origin,
    secFetchSite: req.headers['sec-fetch-site'] as string | undefined, upgrade: true,
  }, port);
  if (!verdict.ok) return refuse(verdict.status, 'Refused');
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return refuse(404, 'Not Found');
  if (!hasSession(o.token, req.headers.cookie)) return refuse(401, 'Unauthorized');
  const channel = await o.upgrade(req, socket, head);
  open.add(channel);
  channel.onClose(() => open.delete(channel));
  serveSocket(channel, o.engine, o.now ?? Date.now);
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => reject(e);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : port);
    });
  });
}

function makeServer(o: HandsetServerOptions, port: () => number, open: Set<SocketChannel>): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res, o, port()).catch(() => {
      if (!res.headersSent) reply(res, 500, 'internal error\n');
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head, o, port(), open).catch(() => socket.destroy());
  });
  server.on('clientError', (_e, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
  });
  return server;
}

/** Starts listening on 127.0.0.1 and ::1 with one port; `port` 0 picks a free one. */
export async function startHandsetServer(o: HandsetServerOptions): Promise<HandsetServer> {
  let port = o.port;
  const open = new Set<SocketChannel>();
  const v4 = makeServer(o, () => port, open);
  try {
    port = await listenOn(v4, '127.0.0.1', o.port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(`port ${o.port} on 127.0.0.1 is already in use (another \`handset serve\`?); choose another with --port`);
    throw e;
  }
  const servers = [v4];
  const addresses = ['127.0.0.1'];
  const v6 = makeServer(o, () => port, open);
  try {
    await listenOn(v6, '::1', port);
    servers.push(v6);
    addresses.push('::1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      v4.close();
      throw new PortInUseError(`port ${port} on ::1 is already in use (another \`handset serve\`?); choose another with --port`);
    }
    // A host without IPv6 loopback (EADDRNOTAVAIL / EAFNOSUPPORT) serves IPv4 only.
  }
  return {
    port,
    addresses,
    openUrl: `http://127.0.0.1:${port}/?token=${o.token}`,
    close: () => Promise.all([...open].map((c) => c.close(1001, 'server closing'))).then(() => Promise.all(servers.map((s) => new Promise<void>((r) => {
      s.close(() => r());
      s.closeAllConnections();
    })))).then(() => undefined),
  };
}
