// net/ against a real kamailio on loopback: an OPTIONS over every transport with the SIP layer's
// stream framer, the answer back on the connection it went out on; and kamailio serving bad TLS
// certificates (self-signed, expired, wrong host), each refused with its own error, a pin accepted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetTransport, type Destination, type NetTransport, type TransportEvent, type TransportKind } from '../../../src/net/index.js';
import { StreamFramer } from '../../../src/sip/index.js';
import { issueCert, makeSelfSigned, type IssuedCert } from '../../support/certs.js';
import { skipUnless } from '../../support/peers/env.js';
import { startKamailio, type Kamailio } from '../../support/peers/kamailio.js';
import { buildOptions, parseStatus } from '../../support/peers/sip-probe.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

function firstMessage(t: NetTransport, ms = 5000): Promise<Extract<TransportEvent, { kind: 'message' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no SIP message from kamailio'));
    }, ms);
    const off = t.onEvent((e) => {
      if (e.kind !== 'message') return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

async function client(): Promise<{ t: NetTransport; udpPort: number }> {
  const t = createNetTransport({ framer: () => new StreamFramer() });
  const l = await t.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
  assert.ok(l.ok);
  return { t, udpPort: l.value.port };
}

describe('net/ against kamailio', { skip }, () => {
  let k: Kamailio;
  before(async () => {
    k = await startKamailio({ ipv6: false });
  });
  after(async () => {
    await k?.stop();
  });

  for (const kind of ['udp', 'tcp', 'tls', 'ws', 'wss'] as TransportKind[]) {
    test(`OPTIONS over ${kind}: 200 OK comes back (on the same connection for connection transports)`, async () => {
      const { t, udpPort } = await client();
      try {
        const port = { udp: k.udpPort, tcp: k.tcpPort, tls: k.tlsPort, ws: k.wsPort, wss: k.wssPort }[kind];
        const dest: Destination = { transport: kind, host: '127.0.0.1', port, hostname: 'localhost', tls: { ca: [k.ca!.certPem] } };
        const reply = firstMessage(t);
        const sent = await t.send(dest, Buffer.from(buildOptions('127.0.0.1', port, kind, udpPort)));
        assert.ok(sent.ok, sent.ok ? '' : sent.error.message);
        const m = await reply;
        assert.equal(parseStatus(m.bytes.toString()).status, 200);
        assert.equal(m.connectionId, sent.value.connectionId);
        assert.equal(m.source.port, port);
      } finally {
        await t.close();
      }
    });
  }

  for (const kind of ['tcp', 'tls', 'ws', 'wss'] as TransportKind[]) {
    test(`keep-alive over ${kind}: kamailio answers our ping (RFC 5626 §4.4.1 CRLF, or a WebSocket pong)`, async () => {
      const { t, udpPort } = await client();
      try {
        const port = { udp: k.udpPort, tcp: k.tcpPort, tls: k.tlsPort, ws: k.wsPort, wss: k.wssPort }[kind];
        const dest: Destination = { transport: kind, host: '127.0.0.1', port, hostname: 'localhost', tls: { ca: [k.ca!.certPem] } };
        const reply = firstMessage(t);
        const sent = await t.send(dest, Buffer.from(buildOptions('127.0.0.1', port, kind, udpPort)));
        assert.ok(sent.ok, sent.ok ? '' : sent.error.message);
        await reply;
        const pong = new Promise<TransportEvent>((resolve) => {
          const off = t.onEvent((e) => {
            if (e.kind === 'keepalive-pong' || e.kind === 'flow-failed') {
              off();
              resolve(e);
            }
          });
        });
        const ka = t.startKeepAlive({ connectionId: sent.value.connectionId! }, { intervalMs: 100, pongTimeoutMs: 3000 });
        assert.ok(ka.ok);
        const e = await pong;
        ka.value.stop();
        assert.equal(e.kind, 'keepalive-pong');
      } finally {
        await t.close();
      }
    });
  }
});

describe('net/ TLS policy against kamailio serving bad certificates', { skip }, () => {
  const peers: Kamailio[] = [];
  let selfSigned: IssuedCert;
  let expired: Kamailio;
  let wrongHost: Kamailio;
  let selfPeer: Kamailio;
  let caPem = '';

  before(async () => {
    // The default instance's CA issues the expired and wrong-host certificates.
    const base = await startKamailio({ ipv6: false });
    peers.push(base);
    caPem = base.ca!.certPem;
    const exp = issueCert(base.ca!, { name: 'expired', commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], expired: true });
    const other = issueCert(base.ca!, { name: 'other', commonName: 'other.test', dnsNames: ['other.test'] });
    selfSigned = makeSelfSigned({ name: 'self', commonName: 'localhost', dnsNames: ['localhost'] }, base.dir);
    expired = await startKamailio({ ipv6: false, tlsCert: exp });
    wrongHost = await startKamailio({ ipv6: false, tlsCert: other });
    selfPeer = await startKamailio({ ipv6: false, tlsCert: selfSigned });
    peers.push(expired, wrongHost, selfPeer);
  });
  after(async () => {
    for (const p of peers) await p.stop();
  });

  async function tryTls(peer: Kamailio, policy: Destination['tls']): Promise<string> {
    const { t, udpPort } = await client();
    try {
      const r = await t.send({ transport: 'tls', host: '127.0.0.1', port: peer.tlsPort, hostname: 'localhost', tls: policy }, Buffer.from(buildOptions('127.0.0.1', peer.tlsPort, 'tls', udpPort)));
      if (!r.ok) return r.error.code;
      const m = await firstMessage(t);
      return `status ${parseStatus(m.bytes.toString()).status}`;
    } finally {
      await t.close();
    }
  }

  test('self-signed: tls-untrusted-issuer', async () => {
    assert.equal(await tryTls(selfPeer, { ca: [caPem] }), 'tls-untrusted-issuer');
  });
  test('expired: tls-expired', async () => {
    assert.equal(await tryTls(expired, { ca: [caPem] }), 'tls-expired');
  });
  test('issued for another host: tls-wrong-host', async () => {
    assert.equal(await tryTls(wrongHost, { ca: [caPem] }), 'tls-wrong-host');
  });
  test('self-signed but pinned: accepted, OPTIONS answered', async () => {
    assert.equal(await tryTls(selfPeer, { pinSha256: [selfSigned.fingerprint256] }), 'status 200');
  });
  test('pin mismatch on a valid certificate: tls-pin-mismatch', async () => {
    assert.equal(await tryTls(peers[0]!, { ca: [caPem], pinSha256: [selfSigned.fingerprint256] }), 'tls-pin-mismatch');
  });
});
