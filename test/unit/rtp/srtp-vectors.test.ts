// Every vector in ../shared/conformance/srtp (see its README) as a named test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../support/paths.js';
import { AesCounterMode, SrtpContext, SrtpLabel, deriveSrtpKey, deriveSrtpSessionKeys, type SrtpProfile } from '../../../src/rtp/index.js';

const v = JSON.parse(readFileSync(sharedDir('conformance', 'srtp', 'vectors.json'), 'utf8'));
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

test('RFC 3711 B.2: AES-CM keystream blocks and SHA-256 of the whole 1044512-octet segment', () => {
  const b2 = v.rfc3711_b2_aes_cm_keystream;
  const ks = new AesCounterMode(hex(b2.session_key)).keystream(hex(b2.iv), b2.segment_octets);
  assert.equal(ks.length, b2.segment_octets);
  for (const [block, expected] of Object.entries(b2.blocks as Record<string, string>)) {
    const n = Number(block);
    assert.equal(ks.subarray(n * 16, n * 16 + 16).toString('hex'), expected, `block ${block}`);
  }
  assert.equal(createHash('sha256').update(ks).digest('hex'), b2.segment_sha256);
});

test('RFC 3711 B.3: key derivation (labels 0..5, kdr 0)', () => {
  const b3 = v.rfc3711_b3_key_derivation;
  const mk = hex(b3.master_key);
  const ms = hex(b3.master_salt);
  assert.equal(deriveSrtpKey(mk, ms, SrtpLabel.RTP_AUTH, 94).toString('hex'), b3.srtp_auth_key_94);
  const keys = deriveSrtpSessionKeys('AES_CM_128_HMAC_SHA1_80', mk, ms);
  assert.equal(keys.rtpKey.toString('hex'), b3.srtp_encryption_key);
  assert.equal(keys.rtpSalt.toString('hex'), b3.srtp_salt);
  assert.equal(keys.rtpAuthKey.toString('hex'), b3.srtp_auth_key_20);
  assert.equal(keys.rtcpKey.toString('hex'), b3.computed_not_in_rfc.srtcp_encryption_key);
  assert.equal(keys.rtcpAuthKey.toString('hex'), b3.computed_not_in_rfc.srtcp_auth_key_20);
  assert.equal(keys.rtcpSalt.toString('hex'), b3.computed_not_in_rfc.srtcp_salt);
});

for (const [name, profile] of [['libsrtp_aes_cm_128_hmac_sha1_80', 'AES_CM_128_HMAC_SHA1_80'], ['libsrtp_aead_aes_128_gcm', 'AEAD_AES_128_GCM']] as const) {
  const x = v[name];
  const ctx = (): SrtpContext => new SrtpContext(profile, hex(x.master_key), hex(x.master_salt));
  test(`libsrtp ${profile}: protect RTP`, () => {
    assert.equal(ctx().protectRtp(hex(x.rtp_plain)).toString('hex'), x.srtp);
  });
  test(`libsrtp ${profile}: unprotect RTP`, () => {
    const r = ctx().unprotectRtp(hex(x.srtp));
    assert.ok(r.ok, r.ok ? '' : r.error.reason);
    assert.equal(r.value.toString('hex'), x.rtp_plain);
  });
  test(`libsrtp ${profile}: protect RTCP (SRTCP index ${x.srtcp_index}, E set)`, () => {
    assert.equal(ctx().protectRtcp(hex(x.rtcp_plain)).toString('hex'), x.srtcp);
  });
  test(`libsrtp ${profile}: unprotect RTCP`, () => {
    const r = ctx().unprotectRtcp(hex(x.srtcp));
    assert.ok(r.ok, r.ok ? '' : r.error.reason);
    assert.equal(r.value.toString('hex'), x.rtcp_plain);
  });
}

test('libsrtp AES_CM_128_HMAC_SHA1_80: the SDES inline key is master key || salt', () => {
  const x = v.libsrtp_aes_cm_128_hmac_sha1_80;
  assert.equal(Buffer.from(x.sdes_inline, 'base64').toString('hex'), x.master_key + x.master_salt);
});

for (const x of v.rfc7714_session_key_vectors as Array<Record<string, string | number>>) {
  const profile = x.aead as SrtpProfile;
  const encrypt = x.mode === 'encrypt+tag';
  const make = (): SrtpContext => {
    const key = hex(x.key as string);
    const salt = hex(x.salt as string);
    const none = Buffer.alloc(0);
    return SrtpContext.fromSessionKeys(profile, { rtpKey: key, rtpSalt: salt, rtpAuthKey: none, rtcpKey: key, rtcpSalt: salt, rtcpAuthKey: none },
      { encryptRtp: encrypt, encryptRtcp: encrypt });
  };
  const label = `RFC 7714 §${x.section} ${x.aead} ${x.kind} ${x.mode}`;
  test(`${label}: protect`, () => {
    const ctx = make();
    if (x.kind === 'srtp') assert.equal(ctx.protectRtp(hex(x.plain as string)).toString('hex'), x.protected);
    else {
      ctx.setNextSrtcpIndex(parseInt(x.ssrc as string, 16), x.srtcp_index as number);
      assert.equal(ctx.protectRtcp(hex(x.plain as string)).toString('hex'), x.protected);
    }
  });
  test(`${label}: unprotect`, () => {
    const ctx = make();
    const r = x.kind === 'srtp' ? ctx.unprotectRtp(hex(x.protected as string)) : ctx.unprotectRtcp(hex(x.protected as string));
    assert.ok(r.ok, r.ok ? '' : r.error.reason);
    assert.equal(r.value.toString('hex'), x.plain);
  });
  test(`${label}: one flipped bit fails authentication`, () => {
    const bad = hex(x.protected as string);
    bad[bad.length - (x.kind === 'srtp' ? 1 : 6)]! ^= 1;
    const ctx = make();
    const r = x.kind === 'srtp' ? ctx.unprotectRtp(bad) : ctx.unprotectRtcp(bad);
    assert.deepEqual(r, { ok: false, error: { code: 'srtp-auth-failed', reason: 'authentication failed' } });
  });
}
