// Offer/answer against SDP recorded from baresip 1.0.0 on loopback (see test/fixtures/sdp/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAnswer, attributeValues, createAnswer, mediaCryptos, serializeSdp } from '../../../src/sdp/index.js';
import { fixture, localCaps, parsed } from './helpers.js';

const recorded = ['baresip-1.0.0-offer-plain.sdp', 'baresip-1.0.0-offer-srtp.sdp', 'baresip-1.0.0-offer-srtp-mand.sdp',
  'baresip-1.0.0-answer-none.sdp', 'baresip-1.0.0-answer-srtp.sdp', 'baresip-1.0.0-answer-srtp-mand.sdp'];
for (const name of recorded) {
  test(`${name}: round trip is byte-exact`, () => {
    const text = fixture(name);
    assert.equal(serializeSdp(parsed(text)), text);
  });
}

const keyOf = (m: { masterKey: Buffer; masterSalt: Buffer }) => Buffer.concat([m.masterKey, m.masterSalt]).toString('base64');

for (const mode of ['none', 'srtp', 'srtp-mand'] as const) {
  test(`our ${mode} offer + baresip's recorded answer → opus 111, telephone-event 110, keys crossed`, () => {
    const offer = parsed(fixture(`handset-offer-${mode}.sdp`));
    const answer = parsed(fixture(`baresip-1.0.0-answer-${mode}.sdp`));
    const r = applyAnswer(offer, answer);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    const a = r.value.audio;
    assert.deepEqual(a.send, { payloadType: 111, encoding: 'opus', clockRate: 48000, channels: 2, fmtp: 'stereo=1;sprop-stereo=1' });
    assert.equal(a.telephoneEventSend?.payloadType, 110);
    assert.deepEqual(a.telephoneEventSend?.events, [...Array(16).keys()]);
    assert.equal(a.rtcpMux, false, 'baresip 1.0.0 does not take up rtcp-mux by default');
    assert.equal(a.remoteRtcpPort, a.remotePort + 1);
    assert.equal(a.ptime, 20);
    assert.equal(a.direction, 'sendrecv');
    if (mode === 'none') {
      assert.equal(a.srtp, undefined);
      return;
    }
    assert.equal(a.protocol, mode === 'srtp' ? 'RTP/AVP' : 'RTP/SAVP');
    assert.equal(a.srtp?.suite, 'AEAD_AES_256_GCM');
    const ours = mediaCryptos(offer.media[0]!).find((c) => c.tag === 1)!;
    const theirs = mediaCryptos(answer.media[0]!)[0]!;
    assert.equal(keyOf(a.srtp!.send), ours.keys[0]!.keySalt.toString('base64'));
    assert.equal(keyOf(a.srtp!.receive), theirs.keys[0]!.keySalt.toString('base64'));
  });
}

test("baresip's recorded offers: answered per SRTP policy", () => {
  const caps = { codecs: [{ encoding: 'PCMA', clockRate: 8000 }, { encoding: 'opus', clockRate: 48000, channels: 2 }] };
  const plain = createAnswer(parsed(fixture('baresip-1.0.0-offer-plain.sdp')), localCaps({ ...caps, srtp: 'mandatory' }));
  assert.deepEqual(plain.ok ? undefined : plain.error, { code: 'sdp-not-acceptable', reason: 'SRTP required but not offered', line: 7 });
  const sdes = createAnswer(parsed(fixture('baresip-1.0.0-offer-srtp.sdp')), localCaps({ ...caps, srtp: 'optional' }));
  assert.ok(sdes.ok);
  assert.equal(sdes.value.answer.media[0]!.proto, 'RTP/AVP');
  assert.deepEqual(sdes.value.answer.media[0]!.formats, ['8', '96', '101']);
  assert.equal(sdes.value.negotiation.audio.srtp?.suite, 'AES_CM_128_HMAC_SHA1_80');
  const mand = createAnswer(parsed(fixture('baresip-1.0.0-offer-srtp-mand.sdp')), localCaps({ ...caps, srtp: 'off' }));
  assert.deepEqual(mand.ok ? undefined : mand.error, { code: 'sdp-not-acceptable', reason: 'SRTP is disabled', line: 7 });
  const ignored = createAnswer(parsed(fixture('baresip-1.0.0-offer-srtp.sdp')), localCaps({ ...caps, srtp: 'off' }));
  assert.ok(ignored.ok);
  assert.deepEqual(attributeValues(ignored.value.answer.media[0]!.attributes, 'crypto'), []);
});
