import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { hasOpenssl, issueCert, makeSelfSigned, makeTestCa, type IssuedCert, type TestCa } from '../../support/certs.js';
import { createNetTransport, type Destination, type NetTransport } from '../../../src/net/index.js';
import { frame, ipv6Loopback, isMessage, nextEvent, testFramer } from './net-test-kit.js';

const hasV6 = await ipv6Loopback();

const skip = hasOpenssl() ? false : 'openssl is not installed: TLS tests skipped';

describe('tls transport and certificate policy', { skip }, () => {
  let ca: TestCa;
  let good: IssuedCert;
  let expired: IssuedCert;
  let self: IssuedCert;
  const servers: NetTransport[] = [];
  const ports: Record<'good' | 'expired' | 'self', number> = { good: 0, expired: 0, self: 0 };

  async function serve(cert: IssuedCert): Promise<number> {
    const t = createNetTransport({ framer: testFramer });
    const r = await t.listen({ transport: 'tls', address: '127.0.0.1', port: 0, tls: { cert: cert.certPem, key: cert.keyPem } });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    // Echo every request back on its connection.
    t.onEvent((e) => {
      if (e.kind === 'message') void t.send({ transport: 'tls', host: e.source.address, port: e.source.port, connectionId: e.connectionId! }, frame(`ECHO ${e.bytes.toString()}`));
    });
    servers.push(t);
    return r.value.port;
  }

  before(async () => {
    ca = makeTestCa();
    good = issueCert(ca, { name: 'good', commonName: 'sip.test', dnsNames: ['sip.test'], ipAddresses: ['127.0.0.1', '::1'] });
    expired = issueCert(ca, { name: 'expired', commonName: 'sip.test', dnsNames: ['sip.test'], expired: true });
    self = makeSelfSigned({ name: 'self', commonName: 'sip.test', dnsNames: ['sip.test'] });
    ports.good = await serve(good);
    ports.expired = await serve(expired);
    ports.self = await serve(self);
  });
  after(async () => {
    for (const s of servers) await s.close();
    for (const d of [ca.dir, dirname(self.certPath)]) rmSync(d, { recursive: true, force: true });
  });

  async function attempt(port: number, extra: Partial<Destination>): Promise<{ ok: true; echo: string } | { ok: false; code: string; message: string }> {
    const cli = createNetTransport({ framer: testFramer });
    try {
      const r = await cli.send({ transport: 'tls', host: '127.0.0.1', port, ...extra }, frame('REGISTER'));
      if (!r.ok) return { ok: false, code: r.error.code, message: r.error.message };
      // Subscribing in the continuation is in time: the echo needs a network round trip.
      const m = await nextEvent(cli, isMessage);
      assert.equal(m.connectionId, r.value.connectionId);
      return { ok: true, echo: m.bytes.toString() };
    } finally {
      await cli.close();
    }
  }

  test('a certificate from a trusted CA for the SIP domain is accepted; the reply comes back on the connection', async () => {
    assert.deepEqual(await attempt(ports.good, { hostname: 'sip.test', tls: { ca: [ca.certPem] } }), { ok: true, echo: 'ECHO REGISTER' });
  });

  test('with no domain given, the IP address is checked against the certificate', async () => {
    assert.deepEqual(await attempt(ports.good, { tls: { ca: [ca.certPem] } }), { ok: true, echo: 'ECHO REGISTER' });
  });

  test('IPv6: a certificate naming ::1 is accepted on a connection to ::1', { skip: hasV6 ? false : 'no ::1 here, IPv6 TLS test skipped' }, async () => {
    const srv = createNetTransport({ framer: testFramer });
    const cli = createNetTransport({ framer: testFramer });
    try {
      const l = await srv.listen({ transport: 'tls', address: '::1', port: 0, tls: { cert: good.certPem, key: good.keyPem } });
      assert.ok(l.ok);
      assert.equal(l.value.family, 'IPv6');
      const got = nextEvent(srv, isMessage);
      const r = await cli.send({ transport: 'tls', host: '::1', port: l.value.port, tls: { ca: [ca.certPem] } }, frame('REGISTER'));
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.value.local.family, 'IPv6');
      assert.equal((await got).source.address, '::1');
    } finally {
      await cli.close();
      await srv.close();
    }
  });

  test('mutual TLS: a server asking for client certificates accepts one from its CA', async () => {
    const srv = createNetTransport({ framer: testFramer });
    const cli = createNetTransport({ framer: testFramer });
    try {
      const l = await srv.listen({ transport: 'tls', address: '127.0.0.1', port: 0, tls: { cert: good.certPem, key: good.keyPem, ca: [ca.certPem], requestClientCert: true } });
      assert.ok(l.ok);
      const clientCert = issueCert(ca, { name: 'client', commonName: 'alice.sip.test', dnsNames: ['alice.sip.test'] });
      const got = nextEvent(srv, isMessage);
      const r = await cli.send({ transport: 'tls', host: '127.0.0.1', port: l.value.port, hostname: 'sip.test', tls: { ca: [ca.certPem], cert: clientCert.certPem, key: clientCert.keyPem } }, frame('REGISTER'));
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal((await got).bytes.toString(), 'REGISTER');
    } finally {
      await cli.close();
      await srv.close();
    }
  });

  test('a self-signed certificate is refused as tls-untrusted-issuer', async () => {
    const r = await attempt(ports.self, { hostname: 'sip.test' });
    assert.ok(!r.ok);
    assert.equal(r.code, 'tls-untrusted-issuer');
    assert.match(r.message, /self-signed/);
    assert.match(r.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  test('a certificate from an unknown CA is refused as tls-untrusted-issuer', async () => {
    const r = await attempt(ports.good, { hostname: 'sip.test' });
    assert.ok(!r.ok);
    assert.equal(r.code, 'tls-untrusted-issuer');
  });

  test('an expired certificate is refused as tls-expired', async () => {
    const r = await attempt(ports.expired, { hostname: 'sip.test', tls: { ca: [ca.certPem] } });
    assert.ok(!r.ok);
    assert.equal(r.code, 'tls-expired');
    assert.match(r.message, /expired/);
  });

  test('a certificate for another host is refused as tls-wrong-host', async () => {
    const r = await attempt(ports.good, { hostname: 'other.test', tls: { ca: [ca.certPem] } });
    assert.ok(!r.ok);
    assert.equal(r.code, 'tls-wrong-host');
    assert.match(r.message, /other\.test/);
  });

  test('a pinned fingerprint accepts a self-signed certificate', async () => {
    assert.deepEqual(await attempt(ports.self, { hostname: 'sip.test', tls: { pinSha256: [self.fingerprint256] } }), { ok: true, echo: 'ECHO REGISTER' });
  });

  test('a pin written in lower-case hex without colons matches too', async () => {
    const plain = self.fingerprint256.replaceAll(':', '').toLowerCase();
    assert.deepEqual(await attempt(ports.self, { hostname: 'sip.test', tls: { pinSha256: [plain] } }), { ok: true, echo: 'ECHO REGISTER' });
  });

  test('a pin that does not match refuses even a CA-valid certificate', async () => {
    const r = await attempt(ports.good, { hostname: 'sip.test', tls: { ca: [ca.certPem], pinSha256: [self.fingerprint256] } });
    assert.ok(!r.ok);
    assert.equal(r.code, 'tls-pin-mismatch');
  });

  test('TLS connections are reused only for the same SIP domain', async () => {
    const cli = createNetTransport({ framer: testFramer });
    try {
      const dest: Destination = { transport: 'tls', host: '127.0.0.1', port: ports.good, hostname: 'sip.test', tls: { ca: [ca.certPem] } };
      const a = await cli.send(dest, frame('ONE'));
      const b = await cli.send(dest, frame('TWO'));
      assert.ok(a.ok && b.ok);
      assert.equal(a.value.connectionId, b.value.connectionId);
      const other = await cli.send({ ...dest, hostname: 'other.test' }, frame('THREE'));
      assert.ok(!other.ok);
      assert.equal(other.error.code, 'tls-wrong-host');
    } finally {
      await cli.close();
    }
  });
});
