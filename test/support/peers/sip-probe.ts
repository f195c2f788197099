// Minimal SIP client probes for the harness itself (ready checks, smoke tests): an OPTIONS over
// UDP, TCP, TLS or WS on loopback, returning the first response's raw text. Not a SIP stack.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export type ProbeTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** A parsed-enough SIP response: status line code and the whole text. */
export interface ProbeResponse {
  status: number;
  reason: string;
  text: string;
}

/** Builds an OPTIONS request to `sip:host:port` (no user part: kamailio answers it itself). */
export function buildOptions(host: string, port: number, transport: ProbeTransport, localPort: number, requestUri?: string): string {
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  const tag = randomBytes(4).toString('hex');
  const callId = `${randomBytes(8).toString('hex')}@handset.probe`;
  const h = host.includes(':') ? `[${host}]` : host;
  const viaProto = transport.toUpperCase();
  const sentBy = transport === 'ws' || transport === 'wss' ? 'probe.invalid' : `127.0.0.1:${localPort}`;
  return (
    `OPTIONS ${requestUri ?? `sip:${h}:${port}`} SIP/2.0\r\n` +
    `Via: SIP/2.0/${viaProto} ${sentBy};branch=${branch};rport\r\n` +
    `Max-Forwards: 70\r\n` +
    `From: <sip:probe@handset.probe>;tag=${tag}\r\n` +
    `To: <sip:${h}:${port}>\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: 1 OPTIONS\r\n` +
    `Accept: application/sdp\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

export function parseStatus(text: string): ProbeResponse {
  const m = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text);
  return { status: m ? Number(m[1]) : 0, reason: m ? (m[2] ?? '') : '', text };
}

/**
 * Sends an OPTIONS over UDP, retransmitting every `everyMs` until a response arrives or
 * `timeoutMs` passes (the retransmission is the probe, not a sleep: kamailio may still be binding).
 */
export function optionsUdp(host: string, port: number, timeoutMs = 5000, everyMs = 100, requestUri?: string): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    let timer: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined, r?: ProbeResponse) => {
      clearInterval(timer);
      clearTimeout(deadline);
      sock.close();
      if (err) reject(err);
      else resolve(r as ProbeResponse);
    };
    sock.on('message', (msg) => finish(undefined, parseStatus(msg.toString('utf8'))));
    sock.on('error', (e) => finish(e));
    sock.bind(0, host, () => {
      const msg = Buffer.from(buildOptions(host, port, 'udp', sock.address().port, requestUri));
      const send = () => sock.send(msg, port, host);
      send();
      timer = setInterval(send, everyMs);
      deadline = setTimeout(() => finish(new Error(`no UDP answer to OPTIONS from ${host}:${port} in ${timeoutMs} ms`)), timeoutMs);
    });
  });
}

function readOneResponse(sock: Socket, timeoutMs: number, what: string): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer to OPTIONS over ${what} in ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      sock.end();
      resolve(parseStatus(buf.slice(0, end + 4)));
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** One OPTIONS over a fresh TCP connection. */
export function optionsTcp(host: string, port: number, timeoutMs = 5000): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host, port }, () => {
      sock.write(buildOptions(host, port, 'tcp', sock.localPort ?? 0));
      readOneResponse(sock, timeoutMs, 'TCP').then(resolve, reject);
    });
    sock.once('error', reject);
  });
}

/** One OPTIONS over a fresh TLS connection; `tls` carries `ca` / `servername` for verification. */
export function optionsTls(host: string, port: number, tls: ConnectionOptions, timeoutMs = 5000): Promise<ProbeResponse & { authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = tlsConnect({ host, port, ...tls }, () => {
      sock.write(buildOptions(host, port, 'tls', sock.localPort ?? 0));
      readOneResponse(sock, timeoutMs, 'TLS').then((r) => resolve({ ...r, authorized: sock.authorized }), reject);
    });
    sock.once('error', reject);
  });
}
