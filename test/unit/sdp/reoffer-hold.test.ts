import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAnswer, attributeValues, createAnswer, createOffer, holdDirection, mediaDirection, serializeSdp,
  type LocalCapabilities, type SessionDescription,
} from '../../../src/sdp/index.js';
import { localCaps, parsed, sdp } from './helpers.js';

test('holdDirection (RFC 6337 §5)', () => {
  assert.equal(holdDirection(false, false), 'sendrecv');
  assert.equal(holdDirection(true, false), 'sendonly');
  assert.equal(holdDirection(true, true), 'inactive');
  assert.equal(holdDirection(false, true), 'recvonly');
});

const dir = (sd: SessionDescription) => mediaDirection(sd.media[0]!, sd);

/** The remote side of our re-offers: a peer that answers with the mirror direction. */
function remoteAnswer(offer: SessionDescription, version: number): SessionDescription {
  const mirror = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' }[dir(offer)];
  return parsed(sdp('v=0', `o=peer 77 ${version} IN IP4 192.0.2.7`, 's=-', 'c=IN IP4 192.0.2.7', 't=0 0', 'm=audio 6000 RTP/AVP 0 101',
    'a=rtpmap:101 telephone-event/8000', `a=${mirror}`));
}

test('we hold and resume: sendonly, back to sendrecv; o= version rises only when the body changes; same session id', () => {
  const caps = localCaps({ srtp: 'optional' });
  const v1 = createOffer(caps);
  const same = createOffer(caps, v1);
  assert.equal(serializeSdp(same), serializeSdp(v1), 'an unchanged re-offer (keys included) is byte-identical');
  const hold = createOffer({ ...caps, direction: holdDirection(true, false) }, same);
  assert.equal(hold.origin.sessionId, v1.origin.sessionId);
  assert.equal(hold.origin.sessionVersion, '2');
  assert.equal(dir(hold), 'sendonly');
  assert.deepEqual(attributeValues(hold.media[0]!.attributes, 'crypto'), attributeValues(v1.media[0]!.attributes, 'crypto'));
  const held = applyAnswer(hold, remoteAnswer(hold, 2));
  assert.ok(held.ok);
  assert.equal(held.value.audio.direction, 'sendonly');
  assert.equal(held.value.audio.remoteHold, false);
  const holdAgain = createOffer({ ...caps, direction: 'sendonly' }, hold);
  assert.equal(holdAgain.origin.sessionVersion, '2', 'refresh re-offer while held: unchanged');
  const resume = createOffer(caps, holdAgain);
  assert.equal(resume.origin.sessionVersion, '3');
  assert.equal(dir(resume), 'sendrecv');
  const back = applyAnswer(resume, remoteAnswer(resume, 3));
  assert.ok(back.ok);
  assert.equal(back.value.audio.direction, 'sendrecv');
});

test('remote holds us, then we hold too, then both resume (RFC 6337 §5.1 sequences)', () => {
  const caps: LocalCapabilities = localCaps();
  const remote = (direction: string, version: number) => parsed(sdp('v=0', `o=peer 77 ${version} IN IP4 192.0.2.7`, 's=-', 'c=IN IP4 192.0.2.7', 't=0 0',
    'm=audio 6000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000', `a=${direction}`));
  // 1. Remote calls, we answer.
  const a1 = createAnswer(remote('sendrecv', 1), caps);
  assert.ok(a1.ok);
  assert.equal(a1.value.answer.origin.sessionVersion, '1');
  // 2. Remote holds: re-INVITE sendonly → we answer recvonly, version +1, same session id.
  const a2 = createAnswer(remote('sendonly', 2), caps, a1.value.answer);
  assert.ok(a2.ok);
  assert.equal(dir(a2.value.answer), 'recvonly');
  assert.equal(a2.value.answer.origin.sessionVersion, '2');
  assert.equal(a2.value.answer.origin.sessionId, a1.value.answer.origin.sessionId);
  assert.equal(a2.value.negotiation.audio.remoteHold, true);
  // 3. Remote refreshes the same hold offer → our answer is unchanged, same version.
  const a3 = createAnswer(remote('sendonly', 2), caps, a2.value.answer);
  assert.ok(a3.ok);
  assert.equal(serializeSdp(a3.value.answer), serializeSdp(a2.value.answer));
  // 4. We hold as well: offer inactive (we are held already).
  const o4 = createOffer({ ...caps, direction: holdDirection(true, true) }, a3.value.answer);
  assert.equal(dir(o4), 'inactive');
  assert.equal(o4.origin.sessionVersion, '3');
  // The re-offer keeps the payload number the dialog already uses for telephone-event (RFC 3264 §8.3.2).
  assert.deepEqual(o4.media[0]!.formats, ['0', '8', '101']);
  const n4 = applyAnswer(o4, remote('inactive', 3));
  assert.ok(n4.ok);
  assert.equal(n4.value.audio.direction, 'inactive');
  // 5. We resume while the remote still holds: recvonly.
  const o5 = createOffer({ ...caps, direction: holdDirection(false, true) }, o4);
  assert.equal(dir(o5), 'recvonly');
  assert.equal(o5.origin.sessionVersion, '4');
  const n5 = applyAnswer(o5, remote('sendonly', 4));
  assert.ok(n5.ok);
  assert.equal(n5.value.audio.direction, 'recvonly');
  assert.equal(n5.value.audio.remoteHold, undefined, 'we offered no sending, so the answer cannot show hold');
  // 6. The remote resumes with a sendrecv re-offer.
  const a6 = createAnswer(remote('sendrecv', 5), caps, o5);
  assert.ok(a6.ok);
  assert.equal(dir(a6.value.answer), 'sendrecv');
  assert.equal(a6.value.answer.origin.sessionVersion, '5');
  assert.equal(a6.value.negotiation.audio.remoteHold, false);
});

test('old hold form c=0.0.0.0 in a re-offer is recognised as hold', () => {
  const caps = localCaps();
  const first = createAnswer(parsed(sdp('v=0', 'o=old 1 1 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 192.0.2.7', 't=0 0', 'm=audio 6000 RTP/AVP 0')), caps);
  assert.ok(first.ok);
  const hold = createAnswer(parsed(sdp('v=0', 'o=old 1 2 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 6000 RTP/AVP 0')), caps, first.value.answer);
  assert.ok(hold.ok);
  assert.equal(hold.value.negotiation.audio.remoteHold, true);
  assert.equal(hold.value.negotiation.audio.direction, 'recvonly');
  assert.equal(hold.value.answer.origin.sessionVersion, '2');
});

test('re-offer after answering audio + video keeps both m= lines in place (RFC 3264 §8)', () => {
  const caps = localCaps();
  const offer = parsed(sdp('v=0', 'o=peer 1 1 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 192.0.2.7', 't=0 0',
    'm=video 6002 RTP/AVP 99', 'a=rtpmap:99 H264/90000', 'm=audio 6000 RTP/AVP 8 100', 'a=rtpmap:100 telephone-event/8000'));
  const answered = createAnswer(offer, caps);
  assert.ok(answered.ok);
  const reoffer = createOffer({ ...caps, direction: 'sendonly' }, answered.value.answer);
  const mLines = serializeSdp(reoffer).split('\r\n').filter((l) => l.startsWith('m='));
  assert.deepEqual(mLines, ['m=video 0 RTP/AVP 99', 'm=audio 40000 RTP/AVP 0 8 100']);
  assert.equal(reoffer.origin.sessionVersion, '2');
  const n = applyAnswer(reoffer, parsed(sdp('v=0', 'o=peer 1 2 IN IP4 192.0.2.7', 's=-', 'c=IN IP4 192.0.2.7', 't=0 0',
    'm=video 0 RTP/AVP 99', 'm=audio 6000 RTP/AVP 8 100', 'a=rtpmap:100 telephone-event/8000', 'a=recvonly')));
  assert.ok(n.ok);
  assert.equal(n.value.audio.mediaIndex, 1);
  assert.equal(n.value.audio.send.payloadType, 8);
  assert.equal(n.value.audio.telephoneEventSend?.payloadType, 100);
  assert.equal(n.value.audio.direction, 'sendonly');
  assert.deepEqual(n.value.streams.map((s) => s.accepted), [false, true]);
});

test('re-answer with SRTP keeps our key when the same crypto line is accepted again', () => {
  const caps = localCaps({ srtp: 'mandatory' });
  const offer = (v: number, d: string) => parsed(sdp('v=0', `o=peer 1 ${v} IN IP4 192.0.2.7`, 's=-', 'c=IN IP4 192.0.2.7', 't=0 0', 'm=audio 6000 RTP/SAVP 0',
    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH', `a=${d}`));
  const a1 = createAnswer(offer(1, 'sendrecv'), caps);
  assert.ok(a1.ok);
  const a2 = createAnswer(offer(2, 'sendrecv'), caps, a1.value.answer);
  assert.ok(a2.ok);
  assert.equal(serializeSdp(a2.value.answer), serializeSdp(a1.value.answer));
  const a3 = createAnswer(offer(3, 'sendonly'), caps, a2.value.answer);
  assert.ok(a3.ok);
  assert.equal(a3.value.answer.origin.sessionVersion, '2');
  assert.deepEqual(a3.value.negotiation.audio.srtp?.send, a1.value.negotiation.audio.srtp?.send);
});

test('session versions beyond 2^53 increment exactly', () => {
  const caps = localCaps();
  const prev = createOffer(caps);
  prev.origin.sessionVersion = '18446744073709551615';
  const next = createOffer({ ...caps, direction: 'inactive' }, prev);
  assert.equal(next.origin.sessionVersion, '18446744073709551616');
});
