import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { UdpPortPool, bindUdpPort, type DatagramPort } from '../../../src/media/index.js';

const A = '127.0.0.1';
/** The pool refills after the current I/O turn. */
const afterRefill = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

function received(port: DatagramPort): Promise<string> {
  return new Promise((resolve) => port.onDatagram((d) => resolve(d.toString())));
}

async function sendTo(port: number, text: string): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.send(Buffer.from(text), port, A, () => resolve()));
  s.close();
}

test('UdpPortPool: the first acquire binds on demand, then spares are bound after the turn', async () => {
  const pool = new UdpPortPool(2);
  try {
    const p = await pool.acquire(A);
    assert.ok(p.local.port > 0);
    assert.equal(p.local.address, A);
    assert.deepEqual(pool.sparePorts(A), []);
    await afterRefill();
    const spares = pool.sparePorts(A);
    assert.equal(spares.length, 2);
    assert.ok(!spares.includes(p.local.port));
    p.close();
  } finally {
    pool.close();
  }
});

test('UdpPortPool: acquire hands out a ready spare (it receives), and the spares are refilled', async () => {
  const pool = new UdpPortPool(2);
  try {
    (await pool.acquire(A)).close();
    await afterRefill();
    const ready = pool.sparePorts(A);
    const p = await pool.acquire(A);
    assert.ok(ready.includes(p.local.port));
    assert.equal(pool.sparePorts(A).length, 1);
    const got = received(p);
    await sendTo(p.local.port, 'rtp');
    assert.equal(await got, 'rtp');
    await afterRefill();
    assert.equal(pool.sparePorts(A).length, 2);
    assert.ok(!pool.sparePorts(A).includes(p.local.port));
    p.close();
  } finally {
    pool.close();
  }
});

test('UdpPortPool: a released port is closed, never handed out again', async () => {
  const pool = new UdpPortPool(1);
  try {
    const p = await pool.acquire(A);
    const port = p.local.port;
    p.close();
    // Sending after close is a no-op, not a throw.
    p.send(Buffer.from('late'), { address: A, port: 9 });
    await afterRefill();
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const q = await pool.acquire(A);
      seen.add(q.local.port);
      q.close();
      await afterRefill();
    }
    assert.ok(!seen.has(port));
    assert.ok(!pool.sparePorts(A).includes(port));
  } finally {
    pool.close();
  }
});

test('UdpPortPool: more acquires than spares in one turn bind on demand, every port distinct', async () => {
  const pool = new UdpPortPool(1);
  try {
    (await pool.acquire(A)).close();
    await afterRefill();
    const ports = await Promise.all([pool.acquire(A), pool.acquire(A), pool.acquire(A)]);
    assert.equal(new Set(ports.map((p) => p.local.port)).size, 3);
    for (const p of ports) p.close();
  } finally {
    pool.close();
  }
});

test('UdpPortPool: a bind error rejects acquire; close drops the spares and keeps none after', async () => {
  const pool = new UdpPortPool(2);
  // 192.0.2.1 (TEST-NET-1) is no address of this machine: nothing is sent, the bind fails.
  await assert.rejects(pool.acquire('192.0.2.1'), /EADDRNOTAVAIL|EINVAL/);
  (await pool.acquire(A)).close();
  await afterRefill();
  assert.equal(pool.sparePorts(A).length, 2);
  pool.close();
  assert.deepEqual(pool.sparePorts(A), []);
  const p = await pool.acquire(A);
  await afterRefill();
  assert.deepEqual(pool.sparePorts(A), []);
  p.close();
});

test('UdpPortPool(0) binds every port on demand', async () => {
  const pool = new UdpPortPool(0);
  const p = await pool.acquire(A);
  await afterRefill();
  assert.deepEqual(pool.sparePorts(A), []);
  p.close();
});

test('bindUdpPort with an explicit port binds exactly that port', async () => {
  const probe = await bindUdpPort(A);
  const port = probe.local.port;
  probe.close();
  const p = await bindUdpPort(A, port);
  try {
    assert.equal(p.local.port, port);
  } finally {
    p.close();
  }
});
