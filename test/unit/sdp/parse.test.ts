import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mediaConnection, mediaDirection, parseSdp, serializeSdp, maxSdpBytes,
} from '../../../src/sdp/index.js';
import { fixture, parsed, sdp } from './helpers.js';

const fixtures = [
  'baresip-offer.sdp', 'baresip-srtp-mandatory.sdp', 'linphone-offer.sdp', 'asterisk-offer.sdp',
  'asterisk-srtp-offer.sdp', 'chrome-sdes-no-ice.sdp', 'rfc8866-full.sdp',
];

for (const name of fixtures) {
  test(`${name}: serialize(parse(x)) gives back the exact bytes`, () => {
    const text = fixture(name);
    assert.equal(serializeSdp(parsed(text)), text);
  });
}

test('rfc8866-full: every line type lands in the model', () => {
  const sd = parsed(fixture('rfc8866-full.sdp'));
  assert.deepEqual(sd.origin, { username: 'jdoe', sessionId: '3724394400', sessionVersion: '3724394405', netType: 'IN', addrType: 'IP4', address: '198.51.100.1' });
  assert.equal(sd.sessionName, 'Call to John Smith');
  assert.equal(sd.info, 'SDP Offer #1');
  assert.equal(sd.uri, 'http://www.jdoe.example.com/home.html');
  assert.deepEqual(sd.emails, ['Jane Doe <jane@jdoe.example.com>']);
  assert.deepEqual(sd.phones, ['+1 617 555-6011']);
  assert.deepEqual(sd.connection, { netType: 'IN', addrType: 'IP4', address: '233.252.0.1', ttl: 127, count: 2 });
  assert.deepEqual(sd.bandwidths, [{ type: 'CT', value: 128 }]);
  assert.deepEqual(sd.timings, [{ start: '3724394400', stop: '3724398000', repeats: ['7d 1h 0 25h'] }, { start: '0', stop: '0', repeats: [] }]);
  assert.equal(sd.zone, '3730928400 -1h 3749680800 0');
  assert.equal(sd.key, 'prompt');
  assert.equal(sd.media.length, 3);
  const [audio, video, app] = sd.media;
  assert.equal(audio!.port, 49170);
  assert.equal(audio!.portCount, 2);
  assert.equal(audio!.title, 'voice');
  assert.deepEqual(audio!.connections, [{ netType: 'IN', addrType: 'IP6', address: '2001:db8::2', count: 3 }]);
  assert.equal(audio!.line, 17);
  // Session-level a=recvonly applies to media without their own direction (RFC 3264 §5.1).
  assert.equal(mediaDirection(audio!, sd), 'recvonly');
  assert.equal(mediaConnection(video!, sd)!.address, '233.252.0.1');
  assert.equal(mediaConnection(audio!, sd)!.address, '2001:db8::2');
  assert.deepEqual(app!.formats, ['wb']);
  assert.equal(app!.proto, 'udp');
});

test('attributes are kept in order, unknown ones included, with their line numbers', () => {
  const sd = parsed(fixture('chrome-sdes-no-ice.sdp'));
  assert.deepEqual(sd.attributes.map((a) => [a.name, a.value]), [['group', 'BUNDLE 0'], ['msid-semantic', ' WMS stream0']]);
  const names = sd.media[0]!.attributes.map((a) => a.name);
  assert.deepEqual(names.slice(0, 6), ['rtcp', 'mid', 'sendrecv', 'rtcp-mux', 'crypto', 'rtpmap']);
  assert.equal(names.filter((n) => n === 'ssrc').length, 2);
  const mux = sd.media[0]!.attributes.find((a) => a.name === 'rtcp-mux')!;
  assert.equal(mux.value, undefined);
  assert.equal(mux.line, 12);
});

test('lenient: LF-only line ends, trailing whitespace, blank lines, repeated spaces, no t= line', () => {
  const text = 'v=0\no=- 1 2  IN IP4 10.0.0.1 \n\ns=x\t\nc=IN IP4 10.0.0.1\nm=audio  4000 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000   \n';
  const sd = parsed(text);
  assert.equal(sd.origin.sessionVersion, '2');
  assert.equal(sd.sessionName, 'x');
  assert.deepEqual(sd.media[0]!.formats, ['0', '8']);
  assert.equal(sd.media[0]!.attributes[0]!.value, '0 PCMU/8000');
  assert.equal(sd.media[0]!.line, 6);
  assert.equal(serializeSdp(sd), sdp('v=0', 'o=- 1 2 IN IP4 10.0.0.1', 's=x', 'c=IN IP4 10.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0 8', 'a=rtpmap:0 PCMU/8000'));
});

test('a Buffer body parses the same as a string', () => {
  const text = fixture('asterisk-offer.sdp');
  assert.deepEqual(parseSdp(Buffer.from(text)), parseSdp(text));
});

const malformedCases: Array<[string, string, number, string]> = [
  ['empty body', '', 0, 'empty SDP body'],
  ['does not start with v=', sdp('o=- 1 1 IN IP4 1.2.3.4', 'v=0'), 1, 'SDP must start with v=0'],
  ['version 1', sdp('v=1'), 1, 'v= line: unsupported version "1"'],
  ['not type=value', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 'hello'), 3, 'line is not of the form <type>=<value>'],
  ['o= with 5 fields', sdp('v=0', 'o=- 1 1 IN IP4'), 2, 'o= line: expected 6 fields "<username> <sess-id> <sess-version> IN <addrtype> <address>"'],
  ['o= version not numeric', sdp('v=0', 'o=- 1 x IN IP4 1.2.3.4'), 2, 'o= line: session version is not a number'],
  ['duplicate o=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 'o=- 1 1 IN IP4 1.2.3.4'), 3, 'duplicate o= line'],
  ['missing o=', sdp('v=0', 's=-'), 0, 'missing o= line'],
  ['missing s=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 't=0 0'), 0, 'missing s= line'],
  ['unknown line type', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'x=1'), 4, 'unknown line type "x="'],
  ['bad c=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'c=IN IP4'), 4, 'c= line: expected "<nettype> <addrtype> <address>"'],
  ['c= TTL on IP6', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'c=IN IP6 ::1/2/3'), 4, 'c= line: only IP4 addresses carry a TTL'],
  ['bad b=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'b=AS:lots'), 4, 'b= line: bandwidth is not a number'],
  ['bad t=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 't=now'), 4, 't= line: expected "<start> <stop>" in decimal'],
  ['r= before t=', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'r=7d 1h 0'), 4, 'r= line without a preceding t= line'],
  ['m= port not a number', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 't=0 0', 'c=IN IP4 1.2.3.4', 'a=x', 'm=audio abc RTP/AVP 0'), 7, 'm= line: port is not a number'],
  ['m= port too big', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 70000 RTP/AVP 0'), 4, 'm= line: port is not a number'],
  ['m= without formats', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP'), 4, 'm= line: no media formats'],
  ['m= too short', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio'), 4, 'm= line: expected "<media> <port> <proto> <fmt> ..."'],
  ['t= inside media', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 0', 't=0 0'), 5, 't= line is not allowed in a media section'],
  ['empty attribute name', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 0', 'a=:x'), 5, 'a= line: attribute name is empty or not a token'],
  ['rtpmap bad pt', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 0', 'a=rtpmap:200 X/8000'), 5, 'a=rtpmap: payload type is not a number 0-127'],
  ['rtpmap without rate', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 96', 'a=rtpmap:96 opus'), 5, 'a=rtpmap: expected "<encoding>/<rate>[/<channels>]"'],
  ['ptime zero', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 0', 'a=ptime:0'), 5, 'a=ptime: not a positive number of milliseconds'],
  ['rtcp port text', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/AVP 0', 'a=rtcp:x'), 5, 'a=rtcp: port is not a number 0-65535'],
  ['crypto too short', sdp('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'm=audio 4000 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80'), 5, 'a=crypto: expected "<tag> <crypto-suite> <key-params>"'],
];

for (const [name, text, line, reason] of malformedCases) {
  test(`malformed: ${name} → line ${line}`, () => {
    assert.deepEqual(parseSdp(text), { ok: false, error: { code: 'sdp-malformed', line, reason } });
  });
}

test('malformed line numbers count LF-only and blank lines as received', () => {
  const r = parseSdp('v=0\n\no=- 1 1 IN IP4 1.2.3.4\ns=-\n\nm=audio x RTP/AVP 0\n');
  assert.deepEqual(r, { ok: false, error: { code: 'sdp-malformed', line: 6, reason: 'm= line: port is not a number' } });
});

test('oversized body is refused without scanning', () => {
  const r = parseSdp('v=0\r\n' + 'a=x\r\n'.repeat(maxSdpBytes / 5));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.line, 0);
});

/** xorshift32: reproducible garbage. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

test('seeded garbage and mutated fixtures never throw and always give ok or a located error', () => {
  const next = rng(20261125);
  const bases = ['baresip-srtp-mandatory.sdp', 'linphone-offer.sdp', 'chrome-sdes-no-ice.sdp', 'rfc8866-full.sdp'].map(fixture);
  const alphabet = 'vosiuepcbtrzkam=: /\r\n0123456789IPN4AVT-|^;,.';
  let ok = 0;
  for (let i = 0; i < 3000; i++) {
    let text: string;
    if (i % 3 === 0) {
      const len = next() % 300;
      text = '';
      for (let j = 0; j < len; j++) text += alphabet[next() % alphabet.length];
    } else {
      const chars = [...bases[i % bases.length]!];
      for (let k = next() % 6; k >= 0; k--) chars[next() % chars.length] = String.fromCharCode(next() % 128);
      text = chars.join('');
    }
    const r = parseSdp(i % 2 === 0 ? text : Buffer.from(text));
    if (r.ok) {
      ok++;
      // Whatever parses must survive a round trip unchanged in meaning.
      const again = parseSdp(serializeSdp(r.value));
      assert.equal(again.ok, true, `round trip failed for case ${i}`);
    } else {
      assert.equal(r.error.code, 'sdp-malformed');
      assert.ok(r.error.line >= 0 && r.error.reason.length > 0);
    }
  }
  assert.ok(ok > 100, `expected some mutated fixtures to stay valid, got ${ok}`);
});
