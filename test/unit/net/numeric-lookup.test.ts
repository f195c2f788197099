import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { createNetTransport, numericFirstLookup } from '../../../src/net/index.js';
import { testFramer, until } from './net-test-kit.js';

test('numericFirstLookup answers an IP literal before it returns, with its family', () => {
  const seen: Array<[string, number]> = [];
  numericFirstLookup('127.0.0.1', 4, (e, address, family) => {
    assert.equal(e, null);
    seen.push([address, family]);
  });
  numericFirstLookup('::1', 6, (e, address, family) => {
    assert.equal(e, null);
    seen.push([address, family]);
  });
  assert.deepEqual(seen, [['127.0.0.1', 4], ['::1', 6]]);
});

test('numericFirstLookup hands a name to dns.lookup (answered later)', async () => {
  let sync = true;
  const r = await new Promise<{ address: string; family: number; sync: boolean }>((resolve, reject) => {
    numericFirstLookup('localhost', 4, (e, address, family) => (e ? reject(e) : resolve({ address, family, sync })));
    sync = false;
  });
  assert.equal(r.sync, false);
  assert.equal(r.family, 4);
  assert.equal(r.address, '127.0.0.1');
});

const bound = (s: Socket): Promise<number> => new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s.address().port)));

test('udp: a datagram to a numeric address leaves during send(), not a tick later', async () => {
  const receiver = createSocket('udp4');
  const other = createSocket('udp4');
  const t = createNetTransport({ framer: testFramer });
  try {
    const port = await bound(receiver);
    assert.ok((await t.listen({ transport: 'udp', address: '127.0.0.1', port: 0 })).ok);
    // A connected socket sends without any lookup, at once: it goes second only if ours went first.
    await new Promise<void>((resolve) => other.connect(port, '127.0.0.1', resolve));
    const got = until<string[]>((done) => {
      const seen: string[] = [];
      receiver.on('message', (m) => seen.push(m.toString()) === 2 && done(seen));
    });
    void t.send({ transport: 'udp', host: '127.0.0.1', port }, Buffer.from('first'));
    other.send(Buffer.from('second'));
    assert.deepEqual(await got, ['first', 'second']);
  } finally {
    receiver.close();
    other.close();
    await t.close();
  }
});
