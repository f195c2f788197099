import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { ManualClock } from '../../../src/util/index.js';
import { createNetTransport, type NetTransport, type TransportEvent } from '../../../src/net/index.js';
import { frame, ipv6Loopback, isMessage, nextEvent, testFramer, until } from './net-test-kit.js';

const hasV6 = await ipv6Loopback();

async function server(address = '127.0.0.1', clock?: ManualClock): Promise<{ t: NetTransport; port: number }> {
  const t = createNetTransport({ framer: testFramer, ...(clock ? { clock } : {}) });
  const r = await t.listen({ transport: 'tcp', address, port: 0 });
  assert.ok(r.ok);
  return { t, port: r.value.port };
}

for (const [family, address] of [['IPv4', '127.0.0.1'], ['IPv6', '::1']] as const) {
  test(`tcp ${family}: request out, response back on the same connection; the next request reuses it (RFC 3261 §18)`, { skip: family === 'IPv6' && !hasV6 ? 'no ::1 here, IPv6 TCP test skipped' : false }, async () => {
    const srv = await server(address);
    const cli = createNetTransport({ framer: testFramer });
    try {
      const inbound = nextEvent(srv.t, isMessage);
      const sent = await cli.send({ transport: 'tcp', host: address, port: srv.port }, frame('REQUEST 1'));
      assert.ok(sent.ok);
      const req = await inbound;
      assert.equal(req.bytes.toString(), 'REQUEST 1');
      assert.equal(req.source.family, family);
      assert.equal(req.source.port, sent.value.local.port);
      assert.equal(req.local.port, srv.port);
      assert.ok(req.connectionId);
      // The response names the request's connection; the client sees it on the connection it sent on.
      const back = nextEvent(cli, isMessage);
      const resp = await srv.t.send({ transport: 'tcp', host: req.source.address, port: req.source.port, connectionId: req.connectionId }, frame('RESPONSE 1'));
      assert.ok(resp.ok);
      assert.equal(resp.value.connectionId, req.connectionId);
      const r1 = await back;
      assert.equal(r1.bytes.toString(), 'RESPONSE 1');
      assert.equal(r1.connectionId, sent.value.connectionId);
      const again = await cli.send({ transport: 'tcp', host: address, port: srv.port }, frame('REQUEST 2'));
      assert.ok(again.ok);
      assert.equal(again.value.connectionId, sent.value.connectionId);
      assert.equal(cli.connectionCount, 1);
      assert.equal(srv.t.connectionCount, 1);
    } finally {
      await cli.close();
      await srv.t.close();
    }
  });
}

test('tcp: concurrent sends to a new destination share one connection', async () => {
  const srv = await server();
  const cli = createNetTransport({ framer: testFramer });
  try {
    const got: string[] = [];
    srv.t.onEvent((e) => e.kind === 'message' && got.push(e.bytes.toString()));
    const rs = await Promise.all([1, 2, 3].map((i) => cli.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame(`M${i}`))));
    assert.ok(rs.every((r) => r.ok && r.value.connectionId !== undefined));
    const ids = new Set(rs.map((r) => (r.ok ? r.value.connectionId : 'x')));
    assert.equal(ids.size, 1);
    await until<void>((done) => {
      const check = (): void => void (got.length === 3 ? done() : setTimeout(check, 5));
      check();
    });
    assert.deepEqual(got.sort(), ['M1', 'M2', 'M3']);
  } finally {
    await cli.close();
    await srv.t.close();
  }
});

test('tcp: a stream split across chunks is reassembled by the framer', async () => {
  const srv = await server();
  const raw = connect(srv.port, '127.0.0.1');
  try {
    const got = nextEvent(srv.t, isMessage);
    await until<void>((done) => raw.once('connect', () => done()));
    raw.write('11:HELLO');
    await new Promise((r) => setTimeout(r, 20));
    raw.write(' WORLD');
    assert.equal((await got).bytes.toString(), 'HELLO WORLD');
  } finally {
    raw.destroy();
    await srv.t.close();
  }
});

test('tcp: a framing error closes the connection with reason framing-error', async () => {
  const srv = await server();
  const raw = connect(srv.port, '127.0.0.1');
  try {
    const closed = nextEvent(srv.t, (e) => e.kind === 'connection-closed');
    const rawEnded = until<void>((done) => raw.once('close', () => done()));
    raw.write('GARBAGE-WITHOUT-LENGTH');
    const c = (await closed) as Extract<TransportEvent, { kind: 'connection-closed' }>;
    assert.equal(c.reason?.code, 'framing-error');
    assert.match(c.reason?.message ?? '', /no length prefix/);
    await rawEnded;
    assert.equal(srv.t.connectionCount, 0);
  } finally {
    raw.destroy();
    await srv.t.close();
  }
});

test('tcp: an incoming CRLF CRLF ping is answered with a CRLF pong (RFC 5626 §4.4.1)', async () => {
  const srv = await server();
  const raw = connect(srv.port, '127.0.0.1');
  try {
    await until<void>((done) => raw.once('connect', () => done()));
    const reply = until<Buffer>((done) => raw.once('data', done));
    raw.write('\r\n\r\n');
    assert.equal((await reply).toString('latin1'), '\r\n');
  } finally {
    raw.destroy();
    await srv.t.close();
  }
});

test('tcp: connecting to a closed port gives connection-refused', async () => {
  const probe = await server();
  const port = probe.port;
  await probe.t.close();
  const cli = createNetTransport({ framer: testFramer });
  const r = await cli.send({ transport: 'tcp', host: '127.0.0.1', port }, frame('x'));
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'connection-refused');
  await cli.close();
});

/** A raw TCP peer that records what it gets and answers pings only if told to. */
async function rawPeer(answerPings: boolean): Promise<{ port: number; pings: () => number; close: () => Promise<void> }> {
  let pings = 0;
  const sockets: Socket[] = [];
  const s = createServer((sock) => {
    sockets.push(sock);
    sock.on('data', (d) => {
      const n = d.toString('latin1').split('\r\n\r\n').length - 1;
      pings += n;
      if (answerPings) for (let i = 0; i < n; i++) sock.write('\r\n');
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  return {
    port,
    pings: () => pings,
    close: () => new Promise<void>((r) => {
      for (const x of sockets) x.destroy();
      s.close(() => r());
    }),
  };
}

async function settle(pred: () => boolean): Promise<void> {
  await until<void>((done) => {
    const check = (): void => void (pred() ? done() : setTimeout(check, 5));
    check();
  });
}

test('tcp keep-alive: no pong within 10 s reports flow-failed and closes the connection', async () => {
  const clock = new ManualClock();
  const peer = await rawPeer(false);
  const cli = createNetTransport({ framer: testFramer, clock });
  try {
    const sent = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: peer.port }, frame('REGISTER'));
    assert.ok(sent.ok);
    const id = sent.value.connectionId!;
    const events: TransportEvent[] = [];
    cli.onEvent((e) => events.push(e));
    assert.ok(cli.startKeepAlive({ connectionId: id }, { intervalMs: 30_000 }).ok);
    clock.advance(30_000);
    await settle(() => peer.pings() === 1);
    clock.advance(9_999);
    assert.equal(events.filter((e) => e.kind === 'flow-failed').length, 0);
    const closed = nextEvent(cli, (e) => e.kind === 'connection-closed');
    clock.advance(1);
    const failed = events.find((e) => e.kind === 'flow-failed');
    assert.ok(failed && failed.kind === 'flow-failed');
    assert.equal(failed.connectionId, id);
    assert.equal(failed.reason.code, 'keepalive-timeout');
    const c = await closed;
    assert.ok(c.kind === 'connection-closed' && c.reason?.code === 'keepalive-timeout');
    assert.equal(cli.connectionCount, 0);
  } finally {
    await cli.close();
    await peer.close();
  }
});

test('tcp keep-alive: pongs keep the flow alive', async () => {
  const clock = new ManualClock();
  const peer = await rawPeer(true);
  const cli = createNetTransport({ framer: testFramer, clock });
  try {
    const sent = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: peer.port }, frame('REGISTER'));
    assert.ok(sent.ok);
    const events: TransportEvent[] = [];
    cli.onEvent((e) => events.push(e));
    assert.ok(cli.startKeepAlive({ connectionId: sent.value.connectionId! }, { intervalMs: 30_000 }).ok);
    for (let i = 1; i <= 3; i++) {
      const pong = nextEvent(cli, (e) => e.kind === 'keepalive-pong');
      clock.advance(30_000);
      await pong;
    }
    clock.advance(15_000);
    assert.equal(events.filter((e) => e.kind === 'flow-failed').length, 0);
    assert.equal(events.filter((e) => e.kind === 'keepalive-pong').length, 3);
    assert.equal(cli.connectionCount, 1);
  } finally {
    await cli.close();
    await peer.close();
  }
});

test('keep-alive on an unknown connection id is a typed error', () => {
  const cli = createNetTransport({ framer: testFramer });
  const r = cli.startKeepAlive({ connectionId: 'tcp-999' }, { intervalMs: 1000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'connection-closed');
});

test('tcp: inbound connections beyond maxConnections are refused and reported', async () => {
  const t = createNetTransport({ framer: testFramer, maxConnections: 1 });
  const r = await t.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
  assert.ok(r.ok);
  const opened = nextEvent(t, (e) => e.kind === 'connection-opened');
  const first = connect(r.value.port, '127.0.0.1');
  await opened;
  const second = connect(r.value.port, '127.0.0.1');
  try {
    const refused = await nextEvent(t, (e) => e.kind === 'socket-error');
    assert.ok(refused.kind === 'socket-error');
    assert.match(refused.error.message, /refused: 1 connections open/);
    await until<void>((done) => second.once('close', () => done()));
    assert.equal(t.connectionCount, 1);
  } finally {
    first.destroy();
    second.destroy();
    await t.close();
  }
});

test('tcp: replies follow their connection ids even with two clients from the same address', async () => {
  const srv = await server();
  srv.t.onEvent((e) => {
    if (e.kind === 'message') void srv.t.send({ transport: 'tcp', host: e.source.address, port: e.source.port, connectionId: e.connectionId! }, frame(`TO ${e.bytes.toString()}`));
  });
  const one = createNetTransport({ framer: testFramer });
  const two = createNetTransport({ framer: testFramer });
  try {
    const r1 = nextEvent(one, isMessage);
    const r2 = nextEvent(two, isMessage);
    assert.ok((await one.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('ONE'))).ok);
    assert.ok((await two.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('TWO'))).ok);
    assert.equal((await r1).bytes.toString(), 'TO ONE');
    assert.equal((await r2).bytes.toString(), 'TO TWO');
    assert.equal(srv.t.connectionCount, 2);
  } finally {
    await one.close();
    await two.close();
    await srv.t.close();
  }
});

test('tcp: a request to a peer that connected to us reuses its inbound connection', async () => {
  const srv = await server();
  const cli = createNetTransport({ framer: testFramer });
  try {
    const inbound = nextEvent(srv.t, isMessage);
    const sent = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('REGISTER'));
    assert.ok(sent.ok);
    const req = await inbound;
    const back = nextEvent(cli, isMessage);
    // No connection id: found by the peer's address and port (RFC 3261 §18.1.1 reuse).
    const out = await srv.t.send({ transport: 'tcp', host: req.source.address, port: req.source.port }, frame('OPTIONS'));
    assert.ok(out.ok);
    assert.equal(out.value.connectionId, req.connectionId);
    assert.equal((await back).connectionId, sent.value.connectionId);
  } finally {
    await cli.close();
    await srv.t.close();
  }
});

test('tcp: when the request connection is gone, the response opens a new connection to the given address (RFC 3261 §18.2.2)', async () => {
  const srv = await server();
  const cli = createNetTransport({ framer: testFramer });
  try {
    const listening = await cli.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    assert.ok(listening.ok);
    const inbound = nextEvent(srv.t, isMessage);
    const sent = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('INVITE'));
    assert.ok(sent.ok);
    const req = await inbound;
    const gone = nextEvent(srv.t, (e) => e.kind === 'connection-closed');
    cli.closeConnection(sent.value.connectionId!);
    await gone;
    const back = nextEvent(cli, isMessage);
    // sip/ names the sent-by port (our listener) as the fallback address.
    const resp = await srv.t.send({ transport: 'tcp', host: '127.0.0.1', port: listening.value.port, connectionId: req.connectionId! }, frame('200 OK'));
    assert.ok(resp.ok);
    assert.notEqual(resp.value.connectionId, req.connectionId);
    const got = await back;
    assert.equal(got.bytes.toString(), '200 OK');
    assert.equal(got.local.port, listening.value.port);
  } finally {
    await cli.close();
    await srv.t.close();
  }
});

test('closing the transport closes its connections and reports each one', async () => {
  const srv = await server();
  const cli = createNetTransport({ framer: testFramer });
  const sent = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('X'));
  assert.ok(sent.ok);
  const closed = nextEvent(cli, (e) => e.kind === 'connection-closed');
  await cli.close();
  const c = await closed;
  assert.ok(c.kind === 'connection-closed' && c.connectionId === sent.value.connectionId && c.reason === null);
  assert.equal(cli.connectionCount, 0);
  const after = await cli.send({ transport: 'tcp', host: '127.0.0.1', port: srv.port }, frame('Y'));
  assert.ok(!after.ok);
  await srv.t.close();
});

test('tcp: an inbound connection silent for idleTimeoutMs is closed; traffic (even a ping) keeps it open', async () => {
  const clock = new ManualClock();
  const t = createNetTransport({ framer: testFramer, clock, idleTimeoutMs: 60_000 });
  const r = await t.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
  assert.ok(r.ok);
  const opened = nextEvent(t, (e) => e.kind === 'connection-opened');
  const raw = connect(r.value.port, '127.0.0.1');
  try {
    await opened;
    clock.advance(59_000);
    const pong = until<Buffer>((done) => raw.once('data', done));
    raw.write('\r\n\r\n');
    await pong;
    clock.advance(59_000);
    assert.equal(t.connectionCount, 1);
    const closed = nextEvent(t, (e) => e.kind === 'connection-closed');
    clock.advance(1_000);
    const c = await closed;
    assert.ok(c.kind === 'connection-closed' && c.reason?.code === 'idle-timeout');
  } finally {
    raw.destroy();
    await t.close();
  }
});
