import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { ManualClock } from '../../../src/util/index.js';
import { createNetTransport, type NetTransport } from '../../../src/net/index.js';
import { ipv6Loopback, isMessage, nextEvent, testFramer, until } from './net-test-kit.js';

const hasV6 = await ipv6Loopback();
const v6skip = hasV6 ? false : 'this machine cannot bind ::1, IPv6 UDP test skipped';

async function pair(address: string): Promise<{ a: NetTransport; b: NetTransport; aPort: number; bPort: number }> {
  const a = createNetTransport({ framer: testFramer });
  const b = createNetTransport({ framer: testFramer });
  const la = await a.listen({ transport: 'udp', address, port: 0 });
  const lb = await b.listen({ transport: 'udp', address, port: 0 });
  assert.ok(la.ok && lb.ok);
  return { a, b, aPort: la.value.port, bPort: lb.value.port };
}

for (const [family, address] of [['IPv4', '127.0.0.1'], ['IPv6', '::1']] as const) {
  test(`udp ${family}: a datagram arrives whole, with its real source (RFC 3581) and our local end`, { skip: family === 'IPv6' ? v6skip : false }, async () => {
    const { a, b, aPort, bPort } = await pair(address);
    try {
      assert.notEqual(aPort, 0);
      const got = nextEvent(b, isMessage);
      const sent = await a.send({ transport: 'udp', host: address, port: bPort }, Buffer.from('OPTIONS sip:b SIP/2.0\r\n\r\n'));
      assert.ok(sent.ok);
      assert.deepEqual(sent.value.local, { transport: 'udp', address, port: aPort, family });
      const m = await got;
      assert.equal(m.bytes.toString(), 'OPTIONS sip:b SIP/2.0\r\n\r\n');
      // Symmetric: the request left from a's listening socket, so the reply goes to aPort.
      assert.deepEqual(m.source, { transport: 'udp', address, port: aPort, family });
      assert.deepEqual(m.local, { transport: 'udp', address, port: bPort, family });
      assert.equal(m.connectionId, undefined);
      const back = nextEvent(a, isMessage);
      assert.ok((await b.send({ transport: 'udp', host: m.source.address, port: m.source.port }, Buffer.from('SIP/2.0 200 OK\r\n\r\n'))).ok);
      assert.equal((await back).bytes.toString(), 'SIP/2.0 200 OK\r\n\r\n');
    } finally {
      await a.close();
      await b.close();
    }
  });
}

test('udp: listeners() reports the bound port of a port-0 listen', async () => {
  const t = createNetTransport({ framer: testFramer });
  try {
    const r = await t.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
    assert.ok(r.ok);
    assert.deepEqual(t.listeners(), [r.value]);
    const again = await createNetTransport({ framer: testFramer }).listen({ transport: 'udp', address: '127.0.0.1', port: r.value.port });
    assert.ok(!again.ok);
    assert.equal(again.error.code, 'address-in-use');
  } finally {
    await t.close();
  }
});

test('udp: sending without a listener of that family is a typed error, not a throw', async () => {
  const t = createNetTransport({ framer: testFramer });
  const r = await t.send({ transport: 'udp', host: '127.0.0.1', port: 9 }, Buffer.from('x'));
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'no-listener');
  await t.close();
});

test('udp: CRLF keep-alive datagrams are dropped, not handed up as messages', async () => {
  const { a, b, bPort } = await pair('127.0.0.1');
  try {
    const seen: string[] = [];
    b.onEvent((e) => e.kind === 'message' && seen.push(e.bytes.toString()));
    const got = nextEvent(b, isMessage);
    await a.send({ transport: 'udp', host: '127.0.0.1', port: bPort }, Buffer.from('\r\n\r\n'));
    await a.send({ transport: 'udp', host: '127.0.0.1', port: bPort }, Buffer.from('REAL'));
    await got;
    assert.deepEqual(seen, ['REAL']);
  } finally {
    await a.close();
    await b.close();
  }
});

test('udp keep-alive: a CRLF CRLF datagram every interval on the injected clock, until stopped', async () => {
  const clock = new ManualClock();
  const t = createNetTransport({ framer: testFramer, clock });
  const peer = createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
  const received: string[] = [];
  peer.on('message', (m) => received.push(m.toString('latin1')));
  try {
    assert.ok((await t.listen({ transport: 'udp', address: '127.0.0.1', port: 0 })).ok);
    const ka = t.startKeepAlive({ destination: { transport: 'udp', host: '127.0.0.1', port: peer.address().port } }, { intervalMs: 25_000 });
    assert.ok(ka.ok);
    clock.advance(24_999);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 0);
    clock.advance(1);
    await until<void>((done) => peer.once('message', () => done()));
    clock.advance(25_000);
    await until<void>((done) => (received.length >= 2 ? done() : peer.once('message', () => done())));
    assert.deepEqual(received, ['\r\n\r\n', '\r\n\r\n']);
    ka.value.stop();
    clock.advance(100_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 2);
  } finally {
    peer.close();
    await t.close();
  }
});
