import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeValues, createAnswer, mediaDirection, parseCrypto, serializeSdp, type AnswerResult, type Direction,
  type LocalCapabilities, type SdpError, type SessionDescription,
} from '../../../src/sdp/index.js';
import type { Result } from '../../../src/util/index.js';
import { fixture, localCaps, parsed, sdp } from './helpers.js';

const head = ['v=0', 'o=peer 10 20 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 192.0.2.7', 't=0 0'];
const offerOf = (...lines: string[]): SessionDescription => parsed(sdp(...head, ...lines));

function accepted(r: Result<AnswerResult, SdpError>): AnswerResult {
  if (!r.ok) assert.fail(`expected an answer, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const mLine = (sd: SessionDescription, i = 0): string => serializeSdp(sd).split('\r\n').filter((l) => l.startsWith('m='))[i]!;

test('Asterisk offer: formats in the offer order with its numbers, telephone-event 100 both ways, ptime capped by maxptime', () => {
  const { answer, negotiation } = accepted(createAnswer(parsed(fixture('asterisk-offer.sdp')), localCaps({ ptime: 20 })));
  assert.equal(mLine(answer), 'm=audio 40000 RTP/AVP 0 8 100');
  assert.deepEqual(attributeValues(answer.media[0]!.attributes, 'rtpmap'), ['0 PCMU/8000', '8 PCMA/8000', '100 telephone-event/8000']);
  assert.deepEqual(attributeValues(answer.media[0]!.attributes, 'fmtp'), ['100 0-16']);
  const a = negotiation.audio;
  assert.deepEqual(a.send, { payloadType: 0, encoding: 'PCMU', clockRate: 8000, channels: 1 });
  assert.deepEqual(a.receive.map((c) => c.payloadType), [0, 8, 100]);
  assert.equal(a.telephoneEventSend?.payloadType, 100);
  assert.equal(a.telephoneEventReceive?.payloadType, 100);
  assert.deepEqual(a.telephoneEventSend?.events, [...Array(17).keys()]);
  assert.equal(a.ptime, 20);
  assert.equal(a.remoteAddress, '10.0.0.2');
  assert.equal(a.remotePort, 16384);
  assert.equal(a.remoteRtcpPort, 16385);
  assert.equal(a.rtcpMux, false);
  assert.equal(a.localRtcpPort, 40001);
  assert.deepEqual(negotiation.streams, [{ mediaIndex: 0, mediaType: 'audio', accepted: true }]);
});

test('answerer order: offer order by default (RFC 3264 §6.1 recommendation), local order on request', () => {
  const offer = parsed(fixture('asterisk-offer.sdp'));
  const caps = { codecs: [{ encoding: 'PCMA', clockRate: 8000 }, { encoding: 'PCMU', clockRate: 8000 }] };
  assert.equal(mLine(accepted(createAnswer(offer, localCaps(caps))).answer), 'm=audio 40000 RTP/AVP 0 8 100');
  const local = accepted(createAnswer(offer, localCaps({ ...caps, answerInLocalOrder: true })));
  assert.equal(mLine(local.answer), 'm=audio 40000 RTP/AVP 8 0 100');
  assert.equal(local.negotiation.audio.send.encoding, 'PCMA');
});

test('linphone: telephone-event chosen at the clock rate of the voice codec; a=rtcp port used', () => {
  const offer = parsed(fixture('linphone-offer.sdp'));
  const g711 = accepted(createAnswer(offer, localCaps()));
  assert.equal(mLine(g711.answer), 'm=audio 40000 RTP/AVP 0 8 100');
  assert.equal(g711.negotiation.audio.telephoneEventSend?.payloadType, 100);
  assert.deepEqual(g711.negotiation.audio.telephoneEventSend?.events, [...Array(16).keys()], 'no fmtp means 0-15');
  assert.equal(g711.negotiation.audio.remoteRtcpPort, 7079);
  const opus = accepted(createAnswer(offer, localCaps({ codecs: [{ encoding: 'OPUS', clockRate: 48000, channels: 2 }, { encoding: 'PCMU', clockRate: 8000 }] })));
  assert.equal(mLine(opus.answer), 'm=audio 40000 RTP/AVP 96 0 101');
  assert.deepEqual(opus.negotiation.audio.send, { payloadType: 96, encoding: 'opus', clockRate: 48000, channels: 2, fmtp: 'useinbandfec=1' });
  assert.equal(opus.negotiation.audio.telephoneEventSend?.clockRate, 48000);
});

test('Chrome-style SDES offer without ICE: SAVPF accepted, rtcp-mux, CN agreed, red never the send codec', () => {
  const offer = parsed(fixture('chrome-sdes-no-ice.sdp'));
  const caps = localCaps({ srtp: 'optional', codecs: [{ encoding: 'red', clockRate: 48000, channels: 2 }, { encoding: 'PCMU', clockRate: 8000 }, { encoding: 'CN', clockRate: 8000 }] });
  const { answer, negotiation } = accepted(createAnswer(offer, caps));
  assert.equal(mLine(answer), 'm=audio 40000 RTP/SAVPF 63 0 13 126');
  const a = negotiation.audio;
  assert.equal(a.send.encoding, 'PCMU');
  assert.equal(a.comfortNoiseSend, 13);
  assert.equal(a.rtcpMux, true);
  assert.equal(a.remoteRtcpPort, 50000, 'a=rtcp:9 is ignored once muxed');
  assert.equal(a.localRtcpPort, 40000);
  assert.equal(a.remoteAddress, '192.0.2.33');
  assert.equal(a.srtp?.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.ok(answer.media[0]!.attributes.some((x) => x.name === 'rtcp-mux'));
});

test('no common codec → sdp-not-acceptable naming the m= line', () => {
  const r = createAnswer(offerOf('m=audio 5000 RTP/AVP 3', 'a=rtpmap:3 GSM/8000'), localCaps());
  assert.deepEqual(r, { ok: false, error: { code: 'sdp-not-acceptable', reason: 'no common codec', line: 6 } });
});

test('telephone-event alone is not a common codec', () => {
  const r = createAnswer(offerOf('m=audio 5000 RTP/AVP 3 101', 'a=rtpmap:101 telephone-event/8000'), localCaps());
  assert.equal(r.ok, false);
});

test('unknown and extra m= lines stay in place with port 0; the first usable audio is taken', () => {
  const offer = offerOf(
    'm=video 5002 RTP/AVP 99', 'a=rtpmap:99 H264/90000',
    'm=audio 0 RTP/AVP 0',
    'm=application 5004 UDP/DTLS/SCTP webrtc-datachannel',
    'm=audio 5000 RTP/AVP 8 0', 'a=sendrecv',
    'm=audio 5006 RTP/AVP 0',
    'm=audio 5008 UDP/TLS/RTP/SAVPF 0',
  );
  const { answer, negotiation } = accepted(createAnswer(offer, localCaps()));
  const lines = serializeSdp(answer).split('\r\n').filter((l) => l.startsWith('m='));
  assert.deepEqual(lines, [
    'm=video 0 RTP/AVP 99', 'm=audio 0 RTP/AVP 0', 'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
    'm=audio 40000 RTP/AVP 8 0', 'm=audio 0 RTP/AVP 0', 'm=audio 0 UDP/TLS/RTP/SAVPF 0',
  ]);
  assert.equal(negotiation.audio.mediaIndex, 3);
  assert.equal(negotiation.audio.send.encoding, 'PCMA');
  assert.deepEqual(negotiation.streams.map((s) => (s.accepted ? 'ok' : s.reason)), [
    'unsupported media type video', 'rejected in the offer', 'unsupported media type application', 'ok',
    'only one audio stream is supported', 'only one audio stream is supported',
  ]);
});

test('DTLS-SRTP only → not acceptable, with the reason', () => {
  const r = createAnswer(offerOf('m=audio 5000 UDP/TLS/RTP/SAVPF 0'), localCaps());
  assert.deepEqual(r, { ok: false, error: { code: 'sdp-not-acceptable', reason: 'unsupported transport UDP/TLS/RTP/SAVPF', line: 6 } });
});

test('an audio stream without any c= line is rejected, a later one with c= is taken', () => {
  const offer = parsed(sdp('v=0', 'o=peer 10 20 IN IP4 192.0.2.7', 's=-', 't=0 0', 'm=audio 5000 RTP/AVP 0', 'm=audio 5002 RTP/AVP 0', 'c=IN IP4 192.0.2.8'));
  const { negotiation } = accepted(createAnswer(offer, localCaps()));
  assert.deepEqual(negotiation.streams[0], { mediaIndex: 0, mediaType: 'audio', accepted: false, reason: 'no c= line for the stream' });
  assert.equal(negotiation.audio.remoteAddress, '192.0.2.8');
  assert.equal(negotiation.audio.remotePort, 5002);
});

test('no m= line at all → not acceptable', () => {
  assert.deepEqual(createAnswer(offerOf(), localCaps()), { ok: false, error: { code: 'sdp-not-acceptable', reason: 'no audio stream offered' } });
});

// RFC 3264 §6.1 and RFC 6337 §5: offered direction × what we want → answer and our resulting state.
const directionRows: Array<[Direction | 'c=0.0.0.0', Direction, Direction, boolean]> = [
  ['sendrecv', 'sendrecv', 'sendrecv', false],
  ['sendonly', 'sendrecv', 'recvonly', true],
  ['recvonly', 'sendrecv', 'sendonly', false],
  ['inactive', 'sendrecv', 'inactive', true],
  ['c=0.0.0.0', 'sendrecv', 'recvonly', true],
  ['sendrecv', 'sendonly', 'sendonly', false],
  ['sendrecv', 'inactive', 'inactive', false],
  ['sendonly', 'sendonly', 'inactive', true],
  ['recvonly', 'recvonly', 'inactive', false],
];
for (const [offered, wanted, expected, remoteHold] of directionRows) {
  test(`direction: offer ${offered}, we want ${wanted} → answer ${expected}, remoteHold ${remoteHold}`, () => {
    const offer = offered === 'c=0.0.0.0'
      ? parsed(sdp('v=0', 'o=peer 10 20 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 5000 RTP/AVP 0'))
      : offerOf('m=audio 5000 RTP/AVP 0', `a=${offered}`);
    const { answer, negotiation } = accepted(createAnswer(offer, localCaps({ direction: wanted })));
    assert.equal(mediaDirection(answer.media[0]!, answer), expected);
    assert.equal(negotiation.audio.direction, expected);
    assert.equal(negotiation.audio.remoteHold, remoteHold);
  });
}

test('session-level direction in the offer applies to its media', () => {
  const { negotiation } = accepted(createAnswer(parsed(sdp(...head, 'a=sendonly', 'm=audio 5000 RTP/AVP 0')), localCaps()));
  assert.equal(negotiation.audio.direction, 'recvonly');
});

const muxRows: Array<[string, boolean, boolean, boolean]> = [
  ['offered, we accept', true, true, true],
  ['offered, we decline', true, false, false],
  ['not offered', false, true, false],
];
for (const [name, offered, ours, expected] of muxRows) {
  test(`rtcp-mux (RFC 5761): ${name}`, () => {
    const offer = offerOf('m=audio 5000 RTP/AVP 0', ...(offered ? ['a=rtcp-mux'] : []));
    const { answer, negotiation } = accepted(createAnswer(offer, localCaps({ rtcpMux: ours, rtcpPort: 40011 })));
    assert.equal(answer.media[0]!.attributes.some((a) => a.name === 'rtcp-mux'), expected);
    assert.equal(negotiation.audio.rtcpMux, expected);
    assert.equal(negotiation.audio.remoteRtcpPort, expected ? 5000 : 5001);
    assert.equal(negotiation.audio.localRtcpPort, expected ? 40000 : 40011);
    assert.deepEqual(attributeValues(answer.media[0]!.attributes, 'rtcp'), expected ? [] : ['40011']);
  });
}

test('a=rtcp with its own address (RFC 3605)', () => {
  const { negotiation } = accepted(createAnswer(offerOf('m=audio 5000 RTP/AVP 0', 'a=rtcp:6000 IN IP4 198.51.100.9'), localCaps()));
  assert.equal(negotiation.audio.remoteRtcpAddress, '198.51.100.9');
  assert.equal(negotiation.audio.remoteRtcpPort, 6000);
  assert.equal(negotiation.audio.remoteAddress, '192.0.2.7');
});

const ptimeRows: Array<[string[], number | undefined, number]> = [
  [['a=ptime:30'], 20, 30],
  [['a=ptime:60', 'a=maxptime:40'], 20, 40],
  [[], 30, 30],
  [[], undefined, 20],
];
for (const [attrs, ours, expected] of ptimeRows) {
  test(`ptime: remote [${attrs.join(' ')}], ours ${ours} → we send ${expected} ms`, () => {
    const { negotiation } = accepted(createAnswer(offerOf('m=audio 5000 RTP/AVP 0', ...attrs), localCaps(ours === undefined ? {} : { ptime: ours })));
    assert.equal(negotiation.audio.ptime, expected);
  });
}

const KEY80 = 'v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH';
const cryptoLine = `a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}`;
// SRTP policy × offer kind → answer profile and whether SRTP runs (undefined = rejected).
const srtpRows: Array<[LocalCapabilities['srtp'], string, string[], string | undefined, boolean]> = [
  ['off', 'RTP/AVP', [], 'RTP/AVP', false],
  ['off', 'RTP/AVP', [cryptoLine], 'RTP/AVP', false],
  ['off', 'RTP/SAVP', [cryptoLine], undefined, false],
  ['optional', 'RTP/AVP', [], 'RTP/AVP', false],
  ['optional', 'RTP/AVP', [cryptoLine], 'RTP/AVP', true],
  ['optional', 'RTP/SAVP', [cryptoLine], 'RTP/SAVP', true],
  ['mandatory', 'RTP/AVP', [], undefined, false],
  ['mandatory', 'RTP/AVP', [cryptoLine], 'RTP/AVP', true],
  ['mandatory', 'RTP/SAVP', [cryptoLine], 'RTP/SAVP', true],
  ['optional', 'RTP/SAVP', ['a=crypto:1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm'], undefined, false],
  ['optional', 'RTP/AVP', ['a=crypto:1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm'], 'RTP/AVP', false],
];
for (const [policy, proto, extra, expectedProto, secured] of srtpRows) {
  test(`SRTP ${policy} × ${proto}${extra.length ? ' + ' + extra[0]!.slice(9, 30) : ''} → ${expectedProto ?? 'rejected'}${secured ? ' with SDES' : ''}`, () => {
    const r = createAnswer(offerOf(`m=audio 5000 ${proto} 0`, ...extra), localCaps({ srtp: policy }));
    if (expectedProto === undefined) {
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.code, 'sdp-not-acceptable');
      return;
    }
    const { answer, negotiation } = accepted(r);
    assert.equal(answer.media[0]!.proto, expectedProto);
    assert.equal(attributeValues(answer.media[0]!.attributes, 'crypto').length, secured ? 1 : 0);
    assert.equal(negotiation.audio.srtp !== undefined, secured);
    if (secured) {
      assert.equal(negotiation.audio.srtp!.tag, 5);
      assert.equal(Buffer.concat([negotiation.audio.srtp!.receive.masterKey, negotiation.audio.srtp!.receive.masterSalt]).toString('base64'), KEY80);
    }
  });
}

test('crypto choice: first offered suite we allow; our own fresh key; offerer key for receiving', () => {
  const offer = parsed(fixture('baresip-srtp-mandatory.sdp'));
  const any = accepted(createAnswer(offer, localCaps({ srtp: 'mandatory' })));
  assert.equal(any.negotiation.audio.srtp?.suite, 'AES_CM_128_HMAC_SHA1_32');
  assert.equal(any.negotiation.audio.srtp?.tag, 1);
  const only80 = accepted(createAnswer(offer, localCaps({ srtp: 'mandatory', srtpSuites: ['AES_CM_128_HMAC_SHA1_80'] })));
  const s = only80.negotiation.audio.srtp!;
  assert.equal(s.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.equal(s.tag, 2);
  assert.equal(Buffer.concat([s.receive.masterKey, s.receive.masterSalt]).toString('base64'), 'zecTAB0z6GDKF0NLZD30EwzPGueiRc+yzgDQViW+');
  const ours = parseCrypto(attributeValues(only80.answer.media[0]!.attributes, 'crypto')[0]!);
  assert.ok(ours.ok);
  assert.equal(ours.value.tag, 2);
  assert.equal(ours.value.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.deepEqual(Buffer.concat([s.send.masterKey, s.send.masterSalt]), ours.value.keys[0]!.keySalt);
  assert.notDeepEqual(s.send.masterKey, s.receive.masterKey);
  assert.equal(s.send.masterKey.length, 16);
  assert.equal(s.send.masterSalt.length, 14);
  const gcm = accepted(createAnswer(offer, localCaps({ srtp: 'mandatory', srtpSuites: ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM'] })));
  assert.equal(gcm.negotiation.audio.srtp?.suite, 'AEAD_AES_256_GCM', "offerer's order wins among allowed suites");
  assert.equal(gcm.negotiation.audio.srtp?.send.masterKey.length, 32);
  assert.equal(gcm.negotiation.audio.srtp?.send.masterSalt.length, 12);
});

test('crypto lines with session parameters we do not implement are skipped; "-" parameters are ignorable', () => {
  const offer = offerOf('m=audio 5000 RTP/SAVP 0',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PZK6HeVHbPoreI8mFQbXLLqksRjzzwzOsTW/SW7A UNENCRYPTED_SRTCP',
    'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:zecTAB0z6GDKF0NLZD30EwzPGueiRc+yzgDQViW+ KDR=10',
    'a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH -vendor-hint');
  const { negotiation } = accepted(createAnswer(offer, localCaps({ srtp: 'mandatory' })));
  assert.equal(negotiation.audio.srtp?.tag, 3);
  const only = offerOf('m=audio 5000 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PZK6HeVHbPoreI8mFQbXLLqksRjzzwzOsTW/SW7A UNENCRYPTED_SRTP');
  assert.deepEqual(createAnswer(only, localCaps({ srtp: 'mandatory' })), { ok: false, error: { code: 'sdp-not-acceptable', reason: 'no acceptable a=crypto', line: 6 } });
});

test('crypto lifetime and MKI of the offer reach the receive key material', () => {
  const offer = parsed(fixture('asterisk-srtp-offer.sdp'));
  const { negotiation } = accepted(createAnswer(offer, localCaps({ srtp: 'mandatory', srtpSuites: ['AES_CM_128_HMAC_SHA1_32'] })));
  assert.deepEqual(negotiation.audio.srtp?.receive.mki, { value: 1, length: 4 });
  assert.equal(negotiation.audio.srtp?.receive.lifetime, '2^20');
  assert.equal(negotiation.audio.send.encoding, 'PCMA');
  assert.equal(negotiation.audio.telephoneEventSend?.payloadType, 101);
});

test('late offer: the offer arrives in the 200 OK and the same function answers it (in the ACK)', () => {
  const offer = parsed(fixture('baresip-offer.sdp'));
  const { answer, negotiation } = accepted(createAnswer(offer, localCaps({ codecs: [{ encoding: 'G722', clockRate: 8000 }, { encoding: 'PCMU', clockRate: 8000 }] })));
  assert.equal(mLine(answer), 'm=audio 40000 RTP/AVP 9 0 101');
  assert.equal(negotiation.audio.send.encoding, 'G722');
  assert.equal(negotiation.audio.send.clockRate, 8000);
  assert.equal(negotiation.audio.remotePort, 10000);
});
