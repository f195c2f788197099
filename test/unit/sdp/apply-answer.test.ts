import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAnswer, attributeValues, createAnswer, createOffer, parseSdp, serializeSdp, type Negotiation, type SdpError,
  type SessionDescription,
} from '../../../src/sdp/index.js';
import type { Result } from '../../../src/util/index.js';
import { counterRandom, fixture, localCaps, parsed, sdp } from './helpers.js';

const head = ['v=0', 'o=peer 10 20 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 192.0.2.7', 't=0 0'];
const answerOf = (...lines: string[]): SessionDescription => parsed(sdp(...head, ...lines));

function agreed(r: Result<Negotiation, SdpError>): Negotiation {
  if (!r.ok) assert.fail(`expected agreement, got ${JSON.stringify(r.error)}`);
  return r.value;
}

test('asymmetric payload types: we send with the numbers the answer declared, receive with ours', () => {
  const offer = createOffer(localCaps({ codecs: [{ encoding: 'opus', clockRate: 48000, channels: 2, payloadType: 111 }, { encoding: 'PCMU', clockRate: 8000 }] }));
  assert.deepEqual(offer.media[0]!.formats, ['111', '0', '101']);
  const n = agreed(applyAnswer(offer, answerOf(
    'm=audio 6000 RTP/AVP 96 0 97', 'a=rtpmap:96 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:97 telephone-event/8000', 'a=fmtp:97 0-15',
  ))).audio;
  assert.deepEqual(n.send, { payloadType: 96, encoding: 'opus', clockRate: 48000, channels: 2 });
  assert.deepEqual(n.receive.map((c) => `${c.payloadType} ${c.encoding}`), ['111 opus', '0 PCMU', '101 telephone-event']);
  assert.deepEqual(n.telephoneEventSend, { payloadType: 97, clockRate: 8000, events: [...Array(16).keys()] });
  assert.deepEqual(n.telephoneEventReceive, { payloadType: 101, clockRate: 8000, events: [...Array(17).keys()] });
  assert.equal(n.remoteAddress, '192.0.2.7');
  assert.equal(n.remotePort, 6000);
});

test("offerer sends the answer's first common codec (RFC 3264 §7)", () => {
  const offer = createOffer(localCaps());
  const n = agreed(applyAnswer(offer, answerOf('m=audio 6000 RTP/AVP 8 0', 'a=rtpmap:8 PCMA/8000'))).audio;
  assert.equal(n.send.payloadType, 8);
  assert.equal(n.telephoneEventSend, undefined, 'the answer did not list telephone-event');
  assert.equal(n.telephoneEventReceive, undefined);
});

test('answer declines rtcp-mux → RTCP on port + 1, or where a=rtcp says', () => {
  const offer = createOffer(localCaps({ rtcpPort: 40101 }));
  const n = agreed(applyAnswer(offer, answerOf('m=audio 6000 RTP/AVP 0'))).audio;
  assert.equal(n.rtcpMux, false);
  assert.equal(n.remoteRtcpPort, 6001);
  assert.equal(n.localRtcpPort, 40101);
  const muxed = agreed(applyAnswer(offer, answerOf('m=audio 6000 RTP/AVP 0', 'a=rtcp-mux'))).audio;
  assert.equal(muxed.rtcpMux, true);
  assert.equal(muxed.localRtcpPort, 40000);
});

test('SDES: answer picks one offered tag; our offered key sends, the answer key receives', () => {
  const offer = createOffer(localCaps({ srtp: 'optional' }));
  const offered = attributeValues(offer.media[0]!.attributes, 'crypto');
  const mine = offered.find((v) => v.startsWith('3 AES_CM_128_HMAC_SHA1_80 '))!;
  const theirKey = 'v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH';
  const n = agreed(applyAnswer(offer, answerOf('m=audio 6000 RTP/AVP 0', `a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:${theirKey}`))).audio;
  assert.equal(n.srtp?.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.equal(Buffer.concat([n.srtp!.send.masterKey, n.srtp!.send.masterSalt]).toString('base64'), mine.split('inline:')[1]);
  assert.equal(Buffer.concat([n.srtp!.receive.masterKey, n.srtp!.receive.masterSalt]).toString('base64'), theirKey);
  // Optional SRTP and a plain answer: RTP.
  assert.equal(agreed(applyAnswer(offer, answerOf('m=audio 6000 RTP/AVP 0'))).audio.srtp, undefined);
});

const failures: Array<[string, () => SessionDescription, string[], string]> = [
  ['answer has fewer m= lines', () => createOffer(localCaps()), [], 'answer has 0 m= lines, offer had 1'],
  ['answer rejects audio', () => createOffer(localCaps()), ['m=audio 0 RTP/AVP 0'], 'no audio stream accepted'],
  ['answer changes the profile', () => createOffer(localCaps()), ['m=audio 6000 RTP/SAVP 0'], 'transport protocol differs (RTP/AVP / RTP/SAVP)'],
  ['answer codec was never offered', () => createOffer(localCaps()), ['m=audio 6000 RTP/AVP 3'], 'no common codec'],
  ['answer crypto tag not offered', () => createOffer(localCaps({ srtp: 'optional' })), ['m=audio 6000 RTP/AVP 0', 'a=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH'], 'a=crypto in the answer matches no offered tag and suite'],
  ['SAVP answer without crypto', () => createOffer(localCaps({ srtp: 'mandatory' })), ['m=audio 6000 RTP/SAVP 0'], 'no acceptable a=crypto for RTP/SAVP'],
  ['answer media type differs', () => createOffer(localCaps()), ['m=video 6000 RTP/AVP 0'], 'm= line 1: answer media type video differs from offered audio'],
];
for (const [name, offer, lines, reason] of failures) {
  test(`applyAnswer refuses: ${name}`, () => {
    const r = applyAnswer(offer(), answerOf(...lines));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'sdp-not-acceptable');
      assert.equal(r.error.reason, reason);
    }
  });
}

test('two Handsets agree end to end through text: mirrored payload types, ports and keys', () => {
  const alice = localCaps({ address: '10.0.0.1', port: 4000, srtp: 'mandatory', random: counterRandom(1), telephoneEvent: { payloadType: 101 },
    codecs: [{ encoding: 'opus', clockRate: 48000, channels: 2, payloadType: 111 }, { encoding: 'PCMA', clockRate: 8000 }] });
  const bob = localCaps({ address: '10.0.0.2', port: 5000, srtp: 'optional', random: counterRandom(200), rtcpMux: false, telephoneEvent: { payloadType: 96 },
    codecs: [{ encoding: 'PCMA', clockRate: 8000 }, { encoding: 'opus', clockRate: 48000, channels: 2 }], answerInLocalOrder: true });
  const offerText = serializeSdp(createOffer(alice));
  const offerAtBob = parseSdp(offerText);
  assert.ok(offerAtBob.ok);
  const answered = createAnswer(offerAtBob.value, bob);
  assert.ok(answered.ok);
  const answerAtAlice = parseSdp(serializeSdp(answered.value.answer));
  assert.ok(answerAtAlice.ok);
  const a = agreed(applyAnswer(parsed(offerText), answerAtAlice.value)).audio;
  const b = answered.value.negotiation.audio;
  assert.equal(a.send.encoding, 'PCMA');
  assert.equal(b.send.encoding, 'PCMA');
  assert.ok(b.receive.some((c) => c.payloadType === a.send.payloadType && c.encoding === a.send.encoding));
  assert.ok(a.receive.some((c) => c.payloadType === b.send.payloadType && c.encoding === b.send.encoding));
  assert.equal(a.telephoneEventSend?.payloadType, b.telephoneEventReceive?.payloadType);
  assert.equal(b.telephoneEventSend?.payloadType, a.telephoneEventReceive?.payloadType);
  assert.equal(a.telephoneEventReceive?.payloadType, 101);
  assert.deepEqual([a.remoteAddress, a.remotePort, a.remoteRtcpPort], ['10.0.0.2', 5000, 5001]);
  assert.deepEqual([b.remoteAddress, b.remotePort, b.remoteRtcpPort], ['10.0.0.1', 4000, 4001]);
  assert.equal(a.rtcpMux, false);
  assert.equal(a.protocol, 'RTP/SAVP');
  assert.equal(a.srtp?.suite, b.srtp?.suite);
  assert.deepEqual(a.srtp?.send, b.srtp?.receive);
  assert.deepEqual(a.srtp?.receive, b.srtp?.send);
  assert.notDeepEqual(a.srtp?.send.masterKey, a.srtp?.receive.masterKey);
  assert.equal(a.direction, 'sendrecv');
  assert.equal(b.direction, 'sendrecv');
});

test('seeded mutations of real SDPs through createAnswer and applyAnswer never throw', () => {
  let x = 424242;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  const bases = ['baresip-srtp-mandatory.sdp', 'linphone-offer.sdp', 'chrome-sdes-no-ice.sdp', 'asterisk-srtp-offer.sdp', 'asterisk-offer.sdp'].map(fixture);
  const ourOffer = createOffer(localCaps({ srtp: 'optional' }));
  const policies = ['off', 'optional', 'mandatory'] as const;
  let parsedCount = 0;
  let answeredCount = 0;
  for (let i = 0; i < 2000; i++) {
    const chars = [...bases[i % bases.length]!];
    for (let k = next() % 4; k >= 0; k--) chars[next() % chars.length] = '0123456789 :/=-ax'[next() % 17]!;
    const p = parseSdp(chars.join(''));
    if (!p.ok) continue;
    parsedCount++;
    const r = createAnswer(p.value, localCaps({ srtp: policies[i % 3]!, codecs: [{ encoding: 'PCMU', clockRate: 8000 }, { encoding: 'PCMA', clockRate: 8000 }, { encoding: 'opus', clockRate: 48000, channels: 2 }] }));
    if (r.ok) {
      answeredCount++;
      assert.equal(r.value.answer.media.length, p.value.media.length);
      assert.ok(parseSdp(serializeSdp(r.value.answer)).ok);
    } else assert.equal(r.error.code, 'sdp-not-acceptable');
    const applied = applyAnswer(ourOffer, p.value);
    if (!applied.ok) assert.equal(applied.error.code, 'sdp-not-acceptable');
  }
  assert.ok(parsedCount > 200 && answeredCount > 100, `parsed ${parsedCount}, answered ${answeredCount}`);
});
