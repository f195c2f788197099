import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { SrtpContext, type SrtpProfile } from '../../../src/rtp/index.js';
import { buildHarness } from '../../support/native-harness.js';

// SRTP agreement with an independent implementation: Debian's libsrtp2, through a small C harness.
const harness = buildHarness('media/srtp-harness.c', ['srtp2'], '/usr/include/srtp2/srtp.h');

function libsrtp(profile: SrtpProfile, op: 'protect' | 'unprotect', kind: 'rtp' | 'rtcp', keySalt: Buffer, packets: Buffer[]): (Buffer | string)[] {
  const r = spawnSync(harness.path!, [profile, op, kind, keySalt.toString('hex')], {
    input: packets.map((p) => p.toString('hex')).join('\n') + '\n', encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => (l.startsWith('ERR') ? l : Buffer.from(l, 'hex')));
}

/** RTP packets with sequence numbers running across the 16-bit wrap (so the ROC must advance). */
function rtpPackets(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => {
    const p = Buffer.concat([Buffer.alloc(12), randomBytes(20 + (i % 160))]);
    p[0] = 0x80;
    p[1] = i === 0 ? 0x80 : 0x00;
    p.writeUInt16BE((65_400 + i) & 0xffff, 2);
    p.writeUInt32BE((1_000_000 + i * 160) >>> 0, 4);
    p.writeUInt32BE(0xcafe0001, 8);
    return p;
  });
}

/** RTCP receiver reports (one report block) from the same SSRC. */
function rtcpPackets(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => {
    const p = Buffer.alloc(32);
    p[0] = 0x81;
    p[1] = 201;
    p.writeUInt16BE(7, 2);
    p.writeUInt32BE(0xcafe0001, 4);
    p.writeUInt32BE(0x12345678, 8);
    p.writeUInt32BE(i, 16);
    return p;
  });
}

const profiles: [SrtpProfile, number, number][] = [
  ['AES_CM_128_HMAC_SHA1_80', 16, 14],
  ['AES_CM_128_HMAC_SHA1_32', 16, 14],
  ['AEAD_AES_128_GCM', 16, 12],
  ['AEAD_AES_256_GCM', 32, 12],
];

for (const [profile, keyLen, saltLen] of profiles) {
  test(`${profile}: Handset and libsrtp2 understand each other both ways (RTP across ROC wrap, RTCP)`, { skip: harness.skip }, () => {
    const key = randomBytes(keyLen);
    const salt = randomBytes(saltLen);
    const keySalt = Buffer.concat([key, salt]);

    const rtp = rtpPackets(300);
    const ours = new SrtpContext(profile, key, salt);
    const theirsOpened = libsrtp(profile, 'unprotect', 'rtp', keySalt, rtp.map((p) => ours.protectRtp(Buffer.from(p))));
    theirsOpened.forEach((p, i) => assert.deepEqual(p, rtp[i], `libsrtp2 opened our RTP packet ${i}`));

    const sealed = libsrtp(profile, 'protect', 'rtp', keySalt, rtp) as Buffer[];
    const receiver = new SrtpContext(profile, key, salt);
    sealed.forEach((p, i) => {
      const r = receiver.unprotectRtp(Buffer.from(p));
      assert.ok(r.ok, `we opened libsrtp2's packet ${i}: ${r.ok ? '' : r.error.reason}`);
      assert.deepEqual(Buffer.from(r.value), rtp[i]);
    });

    const rtcp = rtcpPackets(20);
    const theirsRtcp = libsrtp(profile, 'unprotect', 'rtcp', keySalt, rtcp.map((p) => ours.protectRtcp(Buffer.from(p))));
    theirsRtcp.forEach((p, i) => assert.deepEqual(p, rtcp[i], `libsrtp2 opened our RTCP packet ${i}`));
    const sealedRtcp = libsrtp(profile, 'protect', 'rtcp', keySalt, rtcp) as Buffer[];
    sealedRtcp.forEach((p, i) => {
      const r = receiver.unprotectRtcp(Buffer.from(p));
      assert.ok(r.ok && Buffer.from(r.value).equals(rtcp[i]!), `we opened libsrtp2's RTCP packet ${i}`);
    });

    // A flipped bit must fail on both sides.
    const tampered = ours.protectRtp(Buffer.from(rtp[5]!));
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    assert.match(String(libsrtp(profile, 'unprotect', 'rtp', keySalt, [tampered])[0]), /^ERR/);
  });
}
