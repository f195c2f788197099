import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeValues, createOffer, parseCrypto, parseSdp, serializeSdp, srtpSuites, type SrtpSuite } from '../../../src/sdp/index.js';
import { localCaps, sdp } from './helpers.js';

const body = (lines: string[]) => lines.slice(lines.indexOf('t=0 0'));

test('plain offer: RTP/AVP, G.711 static numbers, telephone-event 101 0-16, rtcp-mux, sendrecv', () => {
  const offer = createOffer(localCaps({ ptime: 20, maxptime: 40 }));
  const text = serializeSdp(offer);
  assert.match(text, /^v=0\r\no=- \d+ 1 IN IP4 127\.0\.0\.1\r\ns=Handset\r\nc=IN IP4 127\.0\.0\.1\r\n/);
  assert.deepEqual(body(text.trimEnd().split('\r\n')), [
    't=0 0', 'm=audio 40000 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=maxptime:40', 'a=rtcp-mux', 'a=sendrecv',
  ]);
  // What we build is what a peer parses.
  const back = parseSdp(text);
  assert.ok(back.ok);
  assert.equal(serializeSdp(back.value), text);
});

test('IPv6 address goes into o= and c= as IP6', () => {
  const text = serializeSdp(createOffer(localCaps({ address: '::1' })));
  assert.match(text, /o=- \d+ 1 IN IP6 ::1\r\n/);
  assert.match(text, /c=IN IP6 ::1\r\n/);
});

const srtpRows: Array<[string, 'off' | 'optional' | 'mandatory', string, number]> = [
  ['off', 'off', 'RTP/AVP', 0],
  ['optional: best-effort SDES on RTP/AVP', 'optional', 'RTP/AVP', 4],
  ['mandatory: RTP/SAVP', 'mandatory', 'RTP/SAVP', 4],
];
for (const [name, srtp, proto, cryptoCount] of srtpRows) {
  test(`offer SRTP policy ${name}`, () => {
    const m = createOffer(localCaps({ srtp })).media[0]!;
    assert.equal(m.proto, proto);
    const cryptos = attributeValues(m.attributes, 'crypto').map((v) => parseCrypto(v));
    assert.equal(cryptos.length, cryptoCount);
    const tags = new Set<number>();
    for (const c of cryptos) {
      assert.ok(c.ok);
      const { keyLength, saltLength } = srtpSuites[c.value.suite as SrtpSuite];
      assert.equal(c.value.keys[0]!.keySalt.length, keyLength + saltLength);
      tags.add(c.value.tag);
    }
    assert.equal(tags.size, cryptoCount);
  });
}

test('offer suites follow srtpSuites order; every key is fresh', () => {
  const m = createOffer(localCaps({ srtp: 'mandatory', srtpSuites: ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] })).media[0]!;
  const cryptos = attributeValues(m.attributes, 'crypto').map((v) => parseCrypto(v)).map((c) => (c.ok ? c.value : assert.fail()));
  assert.deepEqual(cryptos.map((c) => [c.tag, c.suite]), [[1, 'AES_CM_128_HMAC_SHA1_80'], [2, 'AEAD_AES_128_GCM']]);
  assert.notDeepEqual(cryptos[0]!.keys[0]!.keySalt.subarray(0, 12), cryptos[1]!.keys[0]!.keySalt);
});

test('dynamic payload types: wanted numbers honoured, clashes moved, static codecs keep RFC 3551 numbers', () => {
  const offer = createOffer(localCaps({
    codecs: [
      { encoding: 'opus', clockRate: 48000, channels: 2, payloadType: 111, fmtp: 'useinbandfec=1' },
      { encoding: 'G722', clockRate: 8000, payloadType: 111 },
      { encoding: 'speex', clockRate: 16000, payloadType: 111 },
      { encoding: 'PCMU', clockRate: 8000 },
    ],
    telephoneEvent: { payloadType: 96, events: '0-15' },
  }));
  const m = offer.media[0]!;
  assert.deepEqual(m.formats, ['111', '9', '96', '0', '97']);
  assert.deepEqual(attributeValues(m.attributes, 'rtpmap'), ['111 opus/48000/2', '9 G722/8000', '96 speex/16000', '0 PCMU/8000', '97 telephone-event/8000']);
  assert.deepEqual(attributeValues(m.attributes, 'fmtp'), ['111 useinbandfec=1', '97 0-15']);
});

test('telephoneEvent: false leaves it out', () => {
  const m = createOffer(localCaps({ telephoneEvent: false })).media[0]!;
  assert.deepEqual(m.formats, ['0', '8']);
});

test('a=rtcp only when RTCP is not on port + 1 (RFC 3605), kept beside rtcp-mux', () => {
  assert.deepEqual(attributeValues(createOffer(localCaps({ rtcpPort: 40001 })).media[0]!.attributes, 'rtcp'), []);
  assert.deepEqual(attributeValues(createOffer(localCaps({ rtcpPort: 40101 })).media[0]!.attributes, 'rtcp'), ['40101']);
  const noMux = createOffer(localCaps({ rtcpMux: false })).media[0]!;
  assert.equal(noMux.attributes.some((a) => a.name === 'rtcp-mux'), false);
});

test('session ids differ between sessions and come from the injected random source', () => {
  const a = createOffer(localCaps());
  const b = createOffer(localCaps());
  assert.equal(a.origin.sessionId, b.origin.sessionId, 'same seed, same id');
  const c = createOffer(localCaps({ random: (n) => Buffer.alloc(n, 0xff) }));
  assert.notEqual(a.origin.sessionId, c.origin.sessionId);
  assert.equal(c.origin.sessionId, ((1n << 62n) - 1n).toString());
});

test('an offer for an IPv4 host serializes exactly', () => {
  const offer = createOffer(localCaps({ random: (n) => Buffer.alloc(n, 1), telephoneEvent: false, rtcpMux: false }));
  assert.equal(serializeSdp(offer), sdp(
    'v=0', 'o=- 18085043209519168 1 IN IP4 127.0.0.1', 's=Handset', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 40000 RTP/AVP 0 8', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv',
  ));
});
