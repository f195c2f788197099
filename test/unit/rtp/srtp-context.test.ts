import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AesCounterMode, ReplayWindow, SRTP_PROFILES, SrtpContext, SrtpErrors, createRtpPacket, deriveSrtpSessionKeys, estimateRoc, writeRtpPacket, type SrtpProfile,
} from '../../../src/rtp/index.js';

const profiles = Object.keys(SRTP_PROFILES) as SrtpProfile[];

function keys(profile: SrtpProfile, seed: number): [Buffer, Buffer] {
  const p = SRTP_PROFILES[profile];
  return [Buffer.alloc(p.keyLength, seed), Buffer.alloc(p.saltLength, seed + 1)];
}

function rtp(seq: number, ssrc = 0x11223344, payloadLength = 160, ts = seq * 160): Buffer {
  const pkt = { ...createRtpPacket(), payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: ts >>> 0, ssrc, payload: Buffer.alloc(payloadLength, seq & 0xff) };
  const buf = Buffer.alloc(12 + payloadLength);
  writeRtpPacket(pkt, buf);
  return buf;
}

const rtcp = (ssrc = 0x11223344): Buffer => Buffer.from(`81c90007${ssrc.toString(16).padStart(8, '0')}` + '00'.repeat(24), 'hex');

for (const profile of profiles) {
  test(`${profile}: protect/unprotect round trip, tag length, payload actually encrypted`, () => {
    const [k, s] = keys(profile, 3);
    const tx = new SrtpContext(profile, k, s);
    const rx = new SrtpContext(profile, k, s);
    const plain = rtp(1000);
    const prot = tx.protectRtp(plain);
    assert.equal(prot.length, plain.length + SRTP_PROFILES[profile].rtpTagLength);
    assert.deepEqual(prot.subarray(0, 12), plain.subarray(0, 12));
    assert.notDeepEqual(prot.subarray(12, plain.length), plain.subarray(12));
    const r = rx.unprotectRtp(prot);
    assert.ok(r.ok);
    assert.deepEqual(r.value, plain);
    const c = tx.protectRtcp(rtcp());
    assert.equal(c.length, 32 + 4 + SRTP_PROFILES[profile].rtcpTagLength);
    const rc = rx.unprotectRtcp(c);
    assert.ok(rc.ok);
    assert.deepEqual(rc.value, rtcp());
  });

  test(`${profile}: a different key fails authentication; replays are rejected`, () => {
    const [k, s] = keys(profile, 3);
    const [k2] = keys(profile, 9);
    const tx = new SrtpContext(profile, k, s);
    const prot = tx.protectRtp(rtp(7));
    assert.deepEqual(new SrtpContext(profile, k2, s).unprotectRtp(Buffer.from(prot)), { ok: false, error: SrtpErrors.authFailed });
    const rx = new SrtpContext(profile, k, s);
    assert.ok(rx.unprotectRtp(Buffer.from(prot)).ok);
    assert.deepEqual(rx.unprotectRtp(Buffer.from(prot)), { ok: false, error: SrtpErrors.replayed });
    const c = tx.protectRtcp(rtcp());
    assert.ok(rx.unprotectRtcp(Buffer.from(c)).ok);
    assert.deepEqual(rx.unprotectRtcp(Buffer.from(c)), { ok: false, error: SrtpErrors.replayed });
  });
}

test('AES_CM_128_HMAC_SHA1_32: 4-octet SRTP tag, 10-octet SRTCP tag (RFC 4568 §6.2.2)', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_32', 1);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', k, s);
  assert.equal(tx.protectRtp(rtp(1)).length, 172 + 4);
  assert.equal(tx.protectRtcp(rtcp()).length, 32 + 14);
});

test('rollover counter: sender and receiver agree across several sequence wraps, with loss and reordering', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_80', 5);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  const sent: Buffer[] = [];
  for (let i = 0; i < 3 * 65536 + 50; i += 7) sent.push(tx.protectRtp(rtp(65000 + i, 1, 16)));
  assert.equal(tx.rolloverCounter(1), 3);
  // swap neighbours to reorder, including pairs straddling a wrap
  for (let i = 0; i + 1 < sent.length; i += 2) [sent[i], sent[i + 1]] = [sent[i + 1]!, sent[i]!];
  let okCount = 0;
  for (const p of sent) if (rx.unprotectRtp(p).ok) okCount++;
  assert.equal(okCount, sent.length);
  assert.equal(rx.rolloverCounter(1), 3);
});

test('rollover counter: a signalled ROC lets a late joiner decrypt; a stale ROC fails', () => {
  const [k, s] = keys('AEAD_AES_128_GCM', 5);
  const tx = new SrtpContext('AEAD_AES_128_GCM', k, s);
  tx.setRolloverCounter(9, 42);
  const p = tx.protectRtp(rtp(500, 9));
  assert.deepEqual(new SrtpContext('AEAD_AES_128_GCM', k, s).unprotectRtp(Buffer.from(p)), { ok: false, error: SrtpErrors.authFailed });
  const rx = new SrtpContext('AEAD_AES_128_GCM', k, s);
  rx.setRolloverCounter(9, 42);
  assert.ok(rx.unprotectRtp(p).ok);
});

test('RFC 3711 Appendix A ROC estimate', () => {
  assert.equal(estimateRoc(5, 100, 65000), 4); // from before the wrap
  assert.equal(estimateRoc(5, 100, 200), 5);
  assert.equal(estimateRoc(5, 65000, 100), 6); // after the wrap
  assert.equal(estimateRoc(5, 65000, 40000), 5);
  assert.equal(estimateRoc(0, 10, 60000), -1);
});

test('unprotect: a packet from before the session start and one older than the window are rejected', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_80', 2);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s, { replayWindow: 64 });
  const old = tx.protectRtp(rtp(10));
  for (let seq = 11; seq < 100; seq++) assert.ok(rx.unprotectRtp(tx.protectRtp(rtp(seq))).ok);
  assert.deepEqual(rx.unprotectRtp(old), { ok: false, error: SrtpErrors.tooOld });
  const rx2 = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  assert.ok(rx2.unprotectRtp(tx.protectRtp(rtp(100))).ok);
  assert.deepEqual(rx2.unprotectRtp(new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s).protectRtp(rtp(60000))), { ok: false, error: SrtpErrors.beforeStart });
});

test('unprotect: short or non-RTP input and tampering give reasons and leave the input untouched', () => {
  for (const profile of profiles) {
    const [k, s] = keys(profile, 4);
    const rx = new SrtpContext(profile, k, s);
    assert.equal(rx.unprotectRtp(Buffer.alloc(5)).ok, false);
    assert.equal(rx.unprotectRtp(Buffer.from('40000001000000010000000100', 'hex')).ok, false);
    assert.deepEqual(rx.unprotectRtp(rtp(1, 1, 0).subarray(0, 12)), { ok: false, error: SrtpErrors.shortRtp });
    assert.deepEqual(rx.unprotectRtcp(Buffer.alloc(12, 0x80)), { ok: false, error: SrtpErrors.shortRtcp });
    const prot = new SrtpContext(profile, k, s).protectRtp(rtp(3));
    prot[20]! ^= 0x40;
    const copy = Buffer.from(prot);
    assert.deepEqual(rx.unprotectRtp(prot), { ok: false, error: SrtpErrors.authFailed });
    assert.deepEqual(prot, copy);
    const c = new SrtpContext(profile, k, s).protectRtcp(rtcp());
    c[9]! ^= 1;
    assert.deepEqual(rx.unprotectRtcp(c), { ok: false, error: SrtpErrors.authFailed });
  }
});

test('unencrypted SRTP/SRTCP (RFC 4568 UNENCRYPTED_*): payload in clear, still authenticated, E flag clear', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_80', 6);
  const opts = { encryptRtp: false, encryptRtcp: false };
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s, opts);
  const plain = rtp(77);
  const prot = tx.protectRtp(plain);
  assert.deepEqual(prot.subarray(0, plain.length), plain);
  const c = tx.protectRtcp(rtcp());
  assert.equal(c.readUInt32BE(32), 1); // E = 0, index 1
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s, opts);
  assert.ok(rx.unprotectRtp(prot).ok);
  assert.deepEqual(rx.unprotectRtcp(c), { ok: true, value: rtcp() });
});

test('SRTCP index increments per SSRC from 1', () => {
  const [k, s] = keys('AEAD_AES_256_GCM', 6);
  const tx = new SrtpContext('AEAD_AES_256_GCM', k, s);
  const idx = (b: Buffer): number => b.readUInt32BE(b.length - 4) & 0x7fffffff;
  assert.deepEqual([idx(tx.protectRtcp(rtcp(1))), idx(tx.protectRtcp(rtcp(1))), idx(tx.protectRtcp(rtcp(2)))], [1, 2, 1]);
});

test('replay window: new, replayed, too old, large jumps, non-multiple-of-32 shifts', () => {
  const w = new ReplayWindow(64);
  assert.equal(w.check(1000), 'new');
  w.accept(1000);
  assert.equal(w.check(1000), 'replayed');
  assert.equal(w.check(937), 'new');
  assert.equal(w.check(936), 'too-old');
  w.accept(990);
  w.accept(1037); // shift by 37
  assert.equal(w.check(990), 'replayed');
  assert.equal(w.check(1000), 'replayed');
  assert.equal(w.check(991), 'new');
  assert.equal(w.check(973), 'too-old');
  w.accept(5000);
  assert.equal(w.check(4999), 'new');
  assert.equal(w.check(1037), 'too-old');
  assert.throws(() => new ReplayWindow(48), RangeError);
});

test('the receive state map is capped (junk from many SSRCs cannot grow it: state only after authentication)', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_80', 8);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s, { maxSources: 4 });
  for (let ssrc = 1; ssrc <= 10; ssrc++) assert.ok(rx.unprotectRtp(tx.protectRtp(rtp(1, ssrc))).ok);
  assert.equal(rx.remoteSourceCount, 4);
  assert.equal(rx.unprotectRtp(Buffer.alloc(200, 0x80)).ok, false);
  assert.equal(rx.remoteSourceCount, 4);
});

test('AES-CM keystreams made ahead in batches match the RFC 3711 §4.1.1 IV formula for any order, size and SSRC mix', () => {
  const [k, s] = keys('AES_CM_128_HMAC_SHA1_80', 11);
  const session = deriveSrtpSessionKeys('AES_CM_128_HMAC_SHA1_80', k, s);
  const reference = new AesCounterMode(session.rtpKey);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', k, s);
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const seqs = new Map<number, number>();
  for (let i = 0; i < 400; i++) {
    const ssrc = 1000 + rnd(10); // more SSRCs than the cache keeps
    const seq = ((seqs.get(ssrc) ?? 65500) + 1 + (rnd(5) === 0 ? rnd(40) : 0)) & 0xffff; // runs, gaps, wraps
    seqs.set(ssrc, seq);
    const size = rnd(4) === 0 ? 1 + rnd(400) : 160;
    const plain = rtp(seq, ssrc, size);
    const prot = tx.protectRtp(plain);
    const roc = tx.rolloverCounter(ssrc);
    const iv = Buffer.alloc(16);
    session.rtpSalt.copy(iv);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ roc) >>> 0, 8);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ seq, 12);
    const ks = reference.keystream(iv, size);
    const expected = Buffer.from(plain.subarray(12));
    for (let j = 0; j < size; j++) expected[j]! ^= ks[j]!;
    assert.deepEqual(prot.subarray(12, 12 + size), expected, `packet ${i}: ssrc ${ssrc} seq ${seq} size ${size}`);
  }
});

// RFC 6188 AES-256-CM: no vector in ../shared/conformance/srtp, so these were recorded from Debian's
// libsrtp2 2.5.0 (srtp_protect / srtp_protect_rtcp, first packet of a session) with this key.
const aes256Key = Buffer.from('030e19242f3a45505b66717c87929da8b3bec9d4dfeaf5000b16212c37424d58', 'hex');
const aes256Salt = Buffer.from('01060b10151a1f24292e33383d42', 'hex');
const libsrtpAes256: Array<[SrtpProfile, string, string]> = [
  ['AES_256_CM_HMAC_SHA1_80', '800f1234decafbadcafebabeacff5f598e5fcb5f8d7fde75126cea4c8bfe5b7914717f99871d', '81c8000bcafebabe09c5e392cc26ef22e96ee88cde18662c800000016af48eb9b8483685998d'],
  ['AES_256_CM_HMAC_SHA1_32', '800f1234decafbadcafebabeacff5f598e5fcb5f8d7fde75126cea4c8bfe5b79', '81c8000bcafebabe09c5e392cc26ef22e96ee88cde18662c800000016af48eb9b8483685998d'],
];
for (const [profile, srtp, srtcp] of libsrtpAes256) {
  test(`${profile}: packets recorded from libsrtp2 protect and unprotect identically`, () => {
    const rtpPlain = Buffer.from('800f1234decafbadcafebabe' + 'ab'.repeat(16), 'hex');
    const rtcpPlain = Buffer.from('81c8000bcafebabe' + 'ab'.repeat(16), 'hex');
    const tx = new SrtpContext(profile, aes256Key, aes256Salt);
    assert.equal(tx.protectRtp(rtpPlain).toString('hex'), srtp);
    assert.equal(tx.protectRtcp(rtcpPlain).toString('hex'), srtcp);
    const rx = new SrtpContext(profile, aes256Key, aes256Salt);
    assert.deepEqual(rx.unprotectRtp(Buffer.from(srtp, 'hex')), { ok: true, value: rtpPlain });
    assert.deepEqual(rx.unprotectRtcp(Buffer.from(srtcp, 'hex')), { ok: true, value: rtcpPlain });
  });
}
