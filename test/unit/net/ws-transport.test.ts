import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { ManualClock } from '../../../src/util/index.js';
import { hasOpenssl, issueCert, makeSelfSigned, makeTestCa, type IssuedCert, type TestCa } from '../../support/certs.js';
import { createNetTransport, type NetTransport, type TransportEvent } from '../../../src/net/index.js';
import { ipv6Loopback, isMessage, nextEvent, testFramer, until } from './net-test-kit.js';

const hasV6 = await ipv6Loopback();

async function wsServer(address = '127.0.0.1'): Promise<{ t: NetTransport; port: number }> {
  const t = createNetTransport({ framer: testFramer });
  const r = await t.listen({ transport: 'ws', address, port: 0 });
  assert.ok(r.ok);
  return { t, port: r.value.port };
}

for (const [family, address] of [['IPv4', '127.0.0.1'], ['IPv6', '::1']] as const) {
  test(`ws ${family}: one SIP message per WebSocket message, both ways, on one reused connection (RFC 7118)`, { skip: family === 'IPv6' && !hasV6 ? 'no ::1 here, IPv6 WS test skipped' : false }, async () => {
    const srv = await wsServer(address);
    const cli = createNetTransport({ framer: testFramer });
    try {
      const inbound = nextEvent(srv.t, isMessage);
      const sent = await cli.send({ transport: 'ws', host: address, port: srv.port }, Buffer.from('REGISTER sip:x SIP/2.0\r\n\r\n'));
      assert.ok(sent.ok, sent.ok ? '' : sent.error.message);
      const req = await inbound;
      assert.equal(req.bytes.toString(), 'REGISTER sip:x SIP/2.0\r\n\r\n');
      assert.deepEqual(req.source, { transport: 'ws', address, port: sent.value.local.port, family });
      const back = nextEvent(cli, isMessage);
      assert.ok((await srv.t.send({ transport: 'ws', host: req.source.address, port: req.source.port, connectionId: req.connectionId! }, Buffer.from('SIP/2.0 200 OK\r\n\r\n'))).ok);
      const resp = await back;
      assert.equal(resp.bytes.toString(), 'SIP/2.0 200 OK\r\n\r\n');
      assert.equal(resp.connectionId, sent.value.connectionId);
      const again = await cli.send({ transport: 'ws', host: address, port: srv.port }, Buffer.from('OPTIONS'));
      assert.ok(again.ok && again.value.connectionId === sent.value.connectionId);
    } finally {
      await cli.close();
      await srv.t.close();
    }
  });
}

test('ws: the server answers with the sip subprotocol and carries non-UTF-8 messages as binary frames', async () => {
  const srv = await wsServer();
  const raw = new WebSocket(`ws://127.0.0.1:${srv.port}/`, 'sip');
  try {
    await until<void>((done) => raw.once('open', () => done()));
    assert.equal(raw.protocol, 'sip');
    const req = nextEvent(srv.t, isMessage);
    raw.send('MESSAGE sip:a SIP/2.0\r\n\r\n');
    const m = await req;
    const frames = until<{ data: Buffer; binary: boolean }>((done) => raw.once('message', (d, binary) => done({ data: d as Buffer, binary })));
    const body = Buffer.from([0x53, 0x49, 0x50, 0xff, 0xfe]);
    assert.ok((await srv.t.send({ transport: 'ws', host: m.source.address, port: m.source.port, connectionId: m.connectionId! }, body)).ok);
    const f = await frames;
    assert.equal(f.binary, true);
    assert.deepEqual(f.data, body);
  } finally {
    raw.terminate();
    await srv.t.close();
  }
});

test('ws: a client that does not offer the sip subprotocol is turned away', async () => {
  const srv = await wsServer();
  const raw = new WebSocket(`ws://127.0.0.1:${srv.port}/`, 'chat');
  try {
    const outcome = await until<string>((done) => {
      raw.once('error', (e) => done(`error: ${e.message}`));
      raw.once('close', (code) => done(`close ${code}`));
    });
    // No "sip" in the 101 reply: the ws client fails the handshake itself (RFC 6455 §4.1).
    assert.match(outcome, /error|close 1002/);
    assert.equal(srv.t.connectionCount, 0);
  } finally {
    raw.terminate();
    await srv.t.close();
  }
});

test('ws: a CRLF CRLF text message is answered with CRLF and not handed up', async () => {
  const srv = await wsServer();
  const raw = new WebSocket(`ws://127.0.0.1:${srv.port}/`, 'sip');
  try {
    await until<void>((done) => raw.once('open', () => done()));
    const handed: TransportEvent[] = [];
    srv.t.onEvent((e) => e.kind === 'message' && handed.push(e));
    const reply = until<string>((done) => raw.once('message', (d) => done((d as Buffer).toString('latin1'))));
    raw.send('\r\n\r\n');
    assert.equal(await reply, '\r\n');
    assert.equal(handed.length, 0);
  } finally {
    raw.terminate();
    await srv.t.close();
  }
});

test('ws keep-alive: ping frames are sent every interval and their pongs keep the flow alive', async () => {
  const clock = new ManualClock();
  const srv = await wsServer();
  const cli = createNetTransport({ framer: testFramer, clock });
  try {
    const sent = await cli.send({ transport: 'ws', host: '127.0.0.1', port: srv.port }, Buffer.from('REGISTER'));
    assert.ok(sent.ok);
    assert.ok(cli.startKeepAlive({ connectionId: sent.value.connectionId! }, { intervalMs: 20_000 }).ok);
    const failures: TransportEvent[] = [];
    cli.onEvent((e) => e.kind === 'flow-failed' && failures.push(e));
    for (let i = 0; i < 2; i++) {
      // Our own WS server answers ping frames by itself (RFC 6455 §5.5.3).
      const pong = nextEvent(cli, (e) => e.kind === 'keepalive-pong');
      clock.advance(20_000);
      await pong;
    }
    clock.advance(15_000);
    assert.equal(failures.length, 0);
    assert.equal(cli.connectionCount, 1);
  } finally {
    await cli.close();
    await srv.t.close();
  }
});

test('ws keep-alive: a peer that never answers pings is reported as a failed flow 10 s after the ping', async () => {
  const clock = new ManualClock();
  const silent = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false, handleProtocols: () => 'sip' });
  await until<void>((done) => silent.once('listening', () => done()));
  let pings = 0;
  silent.on('connection', (ws) => ws.on('ping', () => pings++));
  const cli = createNetTransport({ framer: testFramer, clock });
  try {
    const port = (silent.address() as { port: number }).port;
    const sent = await cli.send({ transport: 'ws', host: '127.0.0.1', port }, Buffer.from('REGISTER'));
    assert.ok(sent.ok);
    const events: TransportEvent[] = [];
    cli.onEvent((e) => events.push(e));
    assert.ok(cli.startKeepAlive({ connectionId: sent.value.connectionId! }, { intervalMs: 20_000 }).ok);
    clock.advance(20_000);
    await until<void>((done) => {
      const check = (): void => void (pings === 1 ? done() : setTimeout(check, 5));
      check();
    });
    clock.advance(9_999);
    assert.equal(events.filter((e) => e.kind === 'flow-failed').length, 0);
    const closed = nextEvent(cli, (e) => e.kind === 'connection-closed');
    clock.advance(1);
    const f = events.find((e) => e.kind === 'flow-failed');
    assert.ok(f && f.kind === 'flow-failed' && f.reason.code === 'keepalive-timeout');
    await closed;
    assert.equal(cli.connectionCount, 0);
  } finally {
    await cli.close();
    for (const c of silent.clients) c.terminate();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

describe('wss', { skip: hasOpenssl() ? false : 'openssl is not installed: WSS tests skipped' }, () => {
  let ca: TestCa;
  let good: IssuedCert;
  let self: IssuedCert;
  const servers: NetTransport[] = [];
  let goodPort = 0;
  let selfPort = 0;

  async function serve(cert: IssuedCert): Promise<number> {
    const t = createNetTransport({ framer: testFramer });
    const r = await t.listen({ transport: 'wss', address: '127.0.0.1', port: 0, tls: { cert: cert.certPem, key: cert.keyPem } });
    assert.ok(r.ok);
    t.onEvent((e) => {
      if (e.kind === 'message') void t.send({ transport: 'wss', host: e.source.address, port: e.source.port, connectionId: e.connectionId! }, Buffer.from(`ECHO ${e.bytes.toString()}`));
    });
    servers.push(t);
    return r.value.port;
  }

  before(async () => {
    ca = makeTestCa();
    good = issueCert(ca, { name: 'wss', commonName: 'sip.test', dnsNames: ['sip.test'] });
    self = makeSelfSigned({ name: 'wss-self', commonName: 'sip.test', dnsNames: ['sip.test'] });
    goodPort = await serve(good);
    selfPort = await serve(self);
  });
  after(async () => {
    for (const s of servers) await s.close();
    for (const d of [ca.dir, dirname(self.certPath)]) rmSync(d, { recursive: true, force: true });
  });

  test('wss round trip with a CA-issued certificate for the domain', async () => {
    const cli = createNetTransport({ framer: testFramer });
    try {
      const echo = nextEvent(cli, isMessage);
      const r = await cli.send({ transport: 'wss', host: '127.0.0.1', port: goodPort, hostname: 'sip.test', tls: { ca: [ca.certPem] } }, Buffer.from('REGISTER'));
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal((await echo).bytes.toString(), 'ECHO REGISTER');
    } finally {
      await cli.close();
    }
  });

  test('wss refuses a self-signed certificate with tls-untrusted-issuer, and accepts it when pinned', async () => {
    const cli = createNetTransport({ framer: testFramer });
    try {
      const refused = await cli.send({ transport: 'wss', host: '127.0.0.1', port: selfPort, hostname: 'sip.test' }, Buffer.from('REGISTER'));
      assert.ok(!refused.ok);
      assert.equal(refused.error.code, 'tls-untrusted-issuer');
      const echo = nextEvent(cli, isMessage);
      const pinned = await cli.send({ transport: 'wss', host: '127.0.0.1', port: selfPort, hostname: 'sip.test', tls: { pinSha256: [self.fingerprint256] } }, Buffer.from('REGISTER'));
      assert.ok(pinned.ok);
      assert.equal((await echo).bytes.toString(), 'ECHO REGISTER');
    } finally {
      await cli.close();
    }
  });

  test('wss refuses a certificate for another host with tls-wrong-host', async () => {
    const cli = createNetTransport({ framer: testFramer });
    try {
      const r = await cli.send({ transport: 'wss', host: '127.0.0.1', port: goodPort, hostname: 'other.test', tls: { ca: [ca.certPem] } }, Buffer.from('REGISTER'));
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'tls-wrong-host');
    } finally {
      await cli.close();
    }
  });
});

test('ws: a request to a client that connected to us goes over its inbound connection', async () => {
  const srv = await wsServer();
  const cli = createNetTransport({ framer: testFramer });
  try {
    const inbound = nextEvent(srv.t, isMessage);
    const sent = await cli.send({ transport: 'ws', host: '127.0.0.1', port: srv.port }, Buffer.from('REGISTER'));
    assert.ok(sent.ok);
    const req = await inbound;
    const back = nextEvent(cli, isMessage);
    const out = await srv.t.send({ transport: 'ws', host: req.source.address, port: req.source.port }, Buffer.from('INVITE'));
    assert.ok(out.ok);
    assert.equal(out.value.connectionId, req.connectionId);
    assert.equal((await back).bytes.toString(), 'INVITE');
    assert.equal(srv.t.connectionCount, 1);
  } finally {
    await cli.close();
    await srv.t.close();
  }
});

test('ws: a message over the size cap closes the connection with message-too-large', async () => {
  const t = createNetTransport({ framer: testFramer, maxWsMessageBytes: 1000 });
  const l = await t.listen({ transport: 'ws', address: '127.0.0.1', port: 0 });
  assert.ok(l.ok);
  const raw = new WebSocket(`ws://127.0.0.1:${l.value.port}/`, 'sip');
  try {
    await until<void>((done) => raw.once('open', () => done()));
    const closed = nextEvent(t, (e) => e.kind === 'connection-closed');
    const handed: TransportEvent[] = [];
    t.onEvent((e) => e.kind === 'message' && handed.push(e));
    raw.send('x'.repeat(1001));
    const c = await closed;
    assert.ok(c.kind === 'connection-closed' && c.reason?.code === 'message-too-large');
    assert.equal(handed.length, 0);
  } finally {
    raw.terminate();
    await t.close();
  }
});
