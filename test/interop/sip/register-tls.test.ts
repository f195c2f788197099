// TLS registration policy against kamailio serving bad certificates: self-signed, expired and
// wrong-host certificates are each refused with their own error; a pinned fingerprint is accepted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueCert, makeSelfSigned, type IssuedCert } from '../../support/certs.js';
import { skipUnless } from '../../support/peers/env.js';
import { startKamailio, type Kamailio } from '../../support/peers/kamailio.js';
import type { TlsClientPolicy } from '../../../src/net/index.js';
import type { RegistrationEvent } from '../../../src/sip/index.js';
import { sipUri, startHandset } from './handset-under-test.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

describe('registration over TLS: certificate policy', { skip }, () => {
  const peers: Kamailio[] = [];
  let base: Kamailio;
  let expired: Kamailio;
  let wrongHost: Kamailio;
  let selfPeer: Kamailio;
  let selfSigned: IssuedCert;

  before(async () => {
    base = await startKamailio({ ipv6: false });
    peers.push(base);
    const exp = issueCert(base.ca!, { name: 'expired', commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], expired: true });
    const other = issueCert(base.ca!, { name: 'other', commonName: 'other.test', dnsNames: ['other.test'] });
    selfSigned = makeSelfSigned({ name: 'self', commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }, base.dir);
    expired = await startKamailio({ ipv6: false, tlsCert: exp });
    wrongHost = await startKamailio({ ipv6: false, tlsCert: other });
    selfPeer = await startKamailio({ ipv6: false, tlsCert: selfSigned });
    peers.push(expired, wrongHost, selfPeer);
  });
  after(async () => {
    for (const p of peers) await p.stop();
  });

  async function attempt(peer: Kamailio, tls: TlsClientPolicy): Promise<RegistrationEvent> {
    const h = await startHandset(['udp']);
    try {
      h.register({ aor: sipUri('sip:alice@127.0.0.1'), password: 'alice-secret', proxy: sipUri(`sip:127.0.0.1:${peer.tlsPort};transport=tls`), tls });
      return await h.waitFor((e) => e.type !== 'unregistered');
    } finally {
      await h.close();
    }
  }

  const cases: Array<[string, () => Kamailio, RegExp, string]> = [
    ['self-signed', () => selfPeer, /self-signed|untrusted|unknown authority/, 'tls-untrusted-issuer'],
    ['expired', () => expired, /expired/, 'tls-expired'],
    ['wrong host', () => wrongHost, /another host name/, 'tls-wrong-host'],
  ];
  for (const [name, peer, text, code] of cases) {
    test(`${name} certificate: refused with ${code}`, async () => {
      const e = await attempt(peer(), { ca: [base.ca!.certPem] });
      assert.equal(e.type, 'registration-failed', JSON.stringify(e));
      assert.ok(e.type === 'registration-failed');
      assert.equal(e.cause, code);
      assert.match(e.reason, text);
      assert.equal(e.permanent, false);
    });
  }

  test('the test CA as extra CA: accepted', async () => {
    const e = await attempt(base, { ca: [base.ca!.certPem] });
    assert.equal(e.type, 'registered', JSON.stringify(e));
  });

  test('self-signed certificate with its pinned fingerprint: accepted', async () => {
    const e = await attempt(selfPeer, { pinSha256: [selfSigned.fingerprint256] });
    assert.equal(e.type, 'registered', JSON.stringify(e));
  });

  test('a pin that does not match: refused (tls-pin-mismatch)', async () => {
    const e = await attempt(base, { ca: [base.ca!.certPem], pinSha256: [selfSigned.fingerprint256] });
    assert.ok(e.type === 'registration-failed', JSON.stringify(e));
    assert.equal(e.cause, 'tls-pin-mismatch');
  });
});
