import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fmtpParameters, formatCrypto, mediaCryptos, mediaMilliseconds, formatTelephoneEvents, isNullConnection, mediaFormats, newCrypto, parseCrypto,
  parseFmtp, parseMilliseconds, parseRtcpAttribute, parseRtpmap, parseTelephoneEvents, staticNumberOf, staticPayloadType,
} from '../../../src/sdp/index.js';
import { counterRandom, fixture, parsed } from './helpers.js';

test('rtpmap: name, rate, channels default 1', () => {
  assert.deepEqual(parseRtpmap('96 opus/48000/2'), { ok: true, value: { payloadType: 96, encoding: 'opus', clockRate: 48000, channels: 2 } });
  assert.deepEqual(parseRtpmap('0 PCMU/8000'), { ok: true, value: { payloadType: 0, encoding: 'PCMU', clockRate: 8000, channels: 1 } });
  for (const bad of ['', '96', '96 opus', '96 opus/x', '96 opus/0', '128 X/8000', '96 /8000', '96 a/8000/2/1', '96 a/8000/0']) {
    assert.equal(parseRtpmap(bad).ok, false, bad);
  }
});

test('fmtp: format and parameters; parameter list split on ";"', () => {
  assert.deepEqual(parseFmtp('111 minptime=10;useinbandfec=1'), { ok: true, value: { format: '111', params: 'minptime=10;useinbandfec=1' } });
  assert.deepEqual(fmtpParameters('minptime=10; USEINBANDFEC=1;flag'), [['minptime', '10'], ['useinbandfec', '1'], ['flag', '']]);
  assert.equal(parseFmtp('').ok, false);
});

test('telephone-event event lists (RFC 4733 §2.4.1)', () => {
  assert.deepEqual(parseTelephoneEvents('0-16'), { ok: true, value: [...Array(17).keys()] });
  assert.deepEqual(parseTelephoneEvents('0-11, 16 ,12-15'), { ok: true, value: [...Array(17).keys()] });
  assert.deepEqual(parseTelephoneEvents('0-15,66,70'), { ok: true, value: [...Array(16).keys(), 66, 70] });
  for (const bad of ['5-2', 'a', '0-256', '1-']) assert.equal(parseTelephoneEvents(bad).ok, false, bad);
  assert.equal(formatTelephoneEvents([16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), '0-16');
  assert.equal(formatTelephoneEvents([0, 1, 2, 5, 7, 8]), '0-2,5,7-8');
});

test('a=rtcp: port alone or with an address (RFC 3605)', () => {
  assert.deepEqual(parseRtcpAttribute('53020'), { ok: true, value: { port: 53020 } });
  assert.deepEqual(parseRtcpAttribute('53020 IN IP6 2001:db8::1'), { ok: true, value: { port: 53020, connection: { netType: 'IN', addrType: 'IP6', address: '2001:db8::1' } } });
  assert.equal(parseRtcpAttribute('53020 IN IP4').ok, false);
  assert.equal(parseRtcpAttribute('65536').ok, false);
});

test('ptime: integers, "20.0" tolerated, zero refused', () => {
  assert.deepEqual(parseMilliseconds('20'), { ok: true, value: 20 });
  assert.deepEqual(parseMilliseconds('30.0'), { ok: true, value: 30 });
  assert.equal(parseMilliseconds('0').ok, false);
  assert.equal(parseMilliseconds('x').ok, false);
});

test('crypto: tag, suite, key||salt, lifetime, MKI, several keys, session params (RFC 4568 §9.1)', () => {
  const r = parseCrypto('1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32;inline:v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH|2:4 KDR=1 UNENCRYPTED_SRTCP');
  assert.ok(r.ok);
  assert.equal(r.value.tag, 1);
  assert.equal(r.value.suite, 'AES_CM_128_HMAC_SHA1_80');
  assert.equal(r.value.keys.length, 2);
  assert.equal(r.value.keys[0]!.keySalt.length, 30);
  assert.equal(r.value.keys[0]!.keySalt.toString('base64'), 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR');
  assert.equal(r.value.keys[0]!.lifetime, '2^20');
  assert.deepEqual(r.value.keys[0]!.mki, { value: 1, length: 32 });
  assert.deepEqual(r.value.keys[1]!.mki, { value: 2, length: 4 });
  assert.equal(r.value.keys[1]!.lifetime, undefined);
  assert.deepEqual(r.value.sessionParams, ['KDR=1', 'UNENCRYPTED_SRTCP']);
  assert.equal(formatCrypto(r.value), '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32;inline:v+bRN/56TqgQVZeEiUtYzLDcV+GOsFMQ0GEwxPcH|2:4 KDR=1 UNENCRYPTED_SRTCP');
});

test('crypto: key lengths are checked per suite; padding optional; junk refused', () => {
  assert.ok(parseCrypto('4 AEAD_AES_128_GCM inline:lFxZir5moSVO5gLa0Ro0tgXA6B52GrHR0OntFA==').ok);
  assert.ok(parseCrypto('4 AEAD_AES_128_GCM inline:lFxZir5moSVO5gLa0Ro0tgXA6B52GrHR0OntFA').ok);
  assert.ok(parseCrypto('3 AEAD_AES_256_GCM inline:IPicOAbpcGOCBgv1mcAY/JLCAii0m2xOmG5cX3umRExpDRRUpp/beYF07HE=').ok);
  // An unknown suite is parsed (the answerer skips it) but its key length cannot be checked.
  assert.ok(parseCrypto('1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm').ok);
  const bad: Array<[string, string]> = [
    ['1 AES_CM_128_HMAC_SHA1_80 inline:lFxZir5moSVO5gLa0Ro0tgXA6B52GrHR0OntFA==', 'crypto: AES_CM_128_HMAC_SHA1_80 needs a 30-byte key||salt'],
    ['x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', 'crypto: tag is not a number'],
    ['1 AES_CM_128_HMAC_SHA1_80 uri:http://x', 'crypto: only inline keys are supported'],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1u*CVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', 'crypto: key is not base64'],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|3^20', 'crypto: bad key lifetime'],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0', 'crypto: bad MKI'],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20', 'crypto: bad key lifetime'],
  ];
  for (const [value, reason] of bad) assert.deepEqual(parseCrypto(value), { ok: false, error: reason }, value);
});

test('newCrypto draws key||salt of the suite size from the injected source', () => {
  const c = newCrypto(7, 'AEAD_AES_256_GCM', counterRandom(5));
  assert.equal(c.keys[0]!.keySalt.length, 44);
  assert.equal(c.keys[0]!.keySalt[0], 5);
  assert.equal(c.keys[0]!.keySalt[43], 48);
  const back = parseCrypto(formatCrypto(c));
  assert.ok(back.ok);
  assert.deepEqual(back.value.keys[0]!.keySalt, c.keys[0]!.keySalt);
  assert.throws(() => newCrypto(1, 'AES_CM_128_HMAC_SHA1_80', () => Buffer.alloc(3)));
});

test('static payload types (RFC 3551 tables 4 and 5) fill in formats without rtpmap', () => {
  assert.deepEqual(staticPayloadType(0), { encoding: 'PCMU', clockRate: 8000, channels: 1 });
  assert.deepEqual(staticPayloadType(10), { encoding: 'L16', clockRate: 44100, channels: 2 });
  assert.equal(staticPayloadType(96), undefined);
  assert.equal(staticNumberOf('pcma', 8000, 1), 8);
  assert.equal(staticNumberOf('G722', 8000, 1), 9);
  assert.equal(staticNumberOf('opus', 48000, 2), undefined);
  const sd = parsed(fixture('linphone-offer.sdp'));
  const formats = mediaFormats(sd.media[0]!);
  assert.deepEqual(formats.map((f) => `${f.payloadType} ${f.encoding}/${f.clockRate}/${f.channels}${f.fmtp ? ' ' + f.fmtp : ''}`), [
    '96 opus/48000/2 useinbandfec=1', '97 speex/16000/1 vbr=on', '98 speex/8000/1 vbr=on', '0 PCMU/8000/1', '8 PCMA/8000/1',
    '18 G729/8000/1 annexb=yes', '101 telephone-event/48000/1', '99 telephone-event/16000/1', '100 telephone-event/8000/1',
  ]);
});

test('null connection addresses (old hold form)', () => {
  assert.equal(isNullConnection({ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }), true);
  assert.equal(isNullConnection({ netType: 'IN', addrType: 'IP4', address: '10.0.0.1' }), false);
  assert.equal(isNullConnection(undefined), false);
});

test('typed media accessors on a real offer: crypto lines in order, ptime, maxptime', () => {
  const m = parsed(fixture('asterisk-srtp-offer.sdp')).media[0]!;
  assert.deepEqual(mediaCryptos(m).map((c) => [c.tag, c.suite, c.keys[0]!.lifetime, c.keys[0]!.mki]), [
    [1, 'AES_CM_128_HMAC_SHA1_80', '2^31', undefined],
    [2, 'AES_CM_128_HMAC_SHA1_32', '2^20', { value: 1, length: 4 }],
  ]);
  assert.equal(mediaMilliseconds(m, 'ptime'), 20);
  assert.equal(mediaMilliseconds(m, 'maxptime'), 150);
  assert.equal(mediaMilliseconds(parsed(fixture('linphone-offer.sdp')).media[0]!, 'ptime'), undefined);
});
