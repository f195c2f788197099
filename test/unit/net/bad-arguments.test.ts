import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetTransport } from '../../../src/net/index.js';
import { testFramer } from './net-test-kit.js';

// Configuration mistakes (a port out of range, PEM that is not PEM) come back as results:
// the transport's calls never throw and never reject.
test('bad ports and bad PEM give invalid-argument results', async () => {
  const t = createNetTransport({ framer: testFramer });
  try {
    for (const transport of ['udp', 'tcp', 'ws'] as const) {
      const r = await t.listen({ transport, address: '127.0.0.1', port: 70000 });
      assert.ok(!r.ok, transport);
      assert.equal(r.error.code, 'invalid-argument', transport);
    }
    const badTls = await t.listen({ transport: 'tls', address: '127.0.0.1', port: 0, tls: { cert: 'not pem', key: 'not pem' } });
    assert.ok(!badTls.ok);
    assert.equal(badTls.error.code, 'invalid-argument');
    const badWss = await t.listen({ transport: 'wss', address: '127.0.0.1', port: 0, tls: { cert: 'not pem', key: 'not pem' } });
    assert.ok(!badWss.ok);
    assert.equal(badWss.error.code, 'invalid-argument');
    const noCert = await t.listen({ transport: 'tls', address: '127.0.0.1', port: 0 });
    assert.ok(!noCert.ok);
    assert.equal(noCert.error.code, 'not-supported');
    const badPort = await t.send({ transport: 'tcp', host: '127.0.0.1', port: 70000 }, Buffer.from('x'));
    assert.ok(!badPort.ok);
    assert.equal(badPort.error.code, 'invalid-argument');
    const badCa = await t.send({ transport: 'tls', host: '127.0.0.1', port: 5061, tls: { ca: ['not a certificate'] } }, Buffer.from('x'));
    assert.ok(!badCa.ok);
    assert.equal(badCa.error.code, 'invalid-argument');
    assert.ok((await t.listen({ transport: 'udp', address: '127.0.0.1', port: 0 })).ok);
    const badUdpPort = await t.send({ transport: 'udp', host: '127.0.0.1', port: 70000 }, Buffer.from('x'));
    assert.ok(!badUdpPort.ok);
    assert.equal(badUdpPort.error.code, 'invalid-argument');
    const tooBig = await t.send({ transport: 'udp', host: '127.0.0.1', port: 9 }, Buffer.alloc(70_000));
    assert.ok(!tooBig.ok);
    assert.equal(tooBig.error.code, 'message-too-large');
  } finally {
    await t.close();
  }
});
