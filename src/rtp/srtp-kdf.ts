/** SRTP key derivation (RFC 3711 §4.3) with key_derivation_rate 0, AES-CM PRF (§4.3.3). */
import { createCipheriv } from 'node:crypto';
import { SRTP_PROFILES, type SrtpProfile } from './srtp-profile.js';

/** Session keys of one crypto context (§4.3.2 labels 0 to 5). */
export interface SrtpSessionKeys {
  rtpKey: Buffer;
  rtpSalt: Buffer;
  rtpAuthKey: Buffer;
  rtcpKey: Buffer;
  rtcpSalt: Buffer;
  rtcpAuthKey: Buffer;
}

export const SrtpLabel = { RTP_ENCRYPTION: 0, RTP_AUTH: 1, RTP_SALT: 2, RTCP_ENCRYPTION: 3, RTCP_AUTH: 4, RTCP_SALT: 5 } as const;

/**
 * §4.3.1: x = (label || r) XOR master_salt with r = 0 (kdr 0), then AES-CM keyed with the master
 * key over IV = x * 2^16, truncated to `length` octets. A 96-bit (GCM) master salt is placed in
 * the high-order bits of the 112-bit field (RFC 7714 §11; libsrtp does the same).
 */
export function deriveSrtpKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  if (masterSalt.length > 14) throw new RangeError('master salt over 112 bits');
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  // key_id = label || r is 56 bits, right-aligned in the 112-bit salt: the label sits at octet 7.
  iv[7] = iv[7]! ^ label;
  const cipher = createCipheriv(`aes-${masterKey.length * 8}-ctr`, masterKey, iv);
  return cipher.update(Buffer.alloc(length));
}

/** All six session keys for `profile` from a master key and salt. */
export function deriveSrtpSessionKeys(profile: SrtpProfile, masterKey: Buffer, masterSalt: Buffer): SrtpSessionKeys {
  const p = SRTP_PROFILES[profile];
  if (masterKey.length !== p.keyLength) throw new RangeError(`${profile} needs a ${p.keyLength}-octet master key, got ${masterKey.length}`);
  if (masterSalt.length !== p.saltLength) throw new RangeError(`${profile} needs a ${p.saltLength}-octet master salt, got ${masterSalt.length}`);
  const d = (label: number, n: number): Buffer => (n === 0 ? Buffer.alloc(0) : deriveSrtpKey(masterKey, masterSalt, label, n));
  return {
    rtpKey: d(SrtpLabel.RTP_ENCRYPTION, p.keyLength),
    rtpAuthKey: d(SrtpLabel.RTP_AUTH, p.authKeyLength),
    rtpSalt: d(SrtpLabel.RTP_SALT, p.saltLength),
    rtcpKey: d(SrtpLabel.RTCP_ENCRYPTION, p.keyLength),
    rtcpAuthKey: d(SrtpLabel.RTCP_AUTH, p.authKeyLength),
    rtcpSalt: d(SrtpLabel.RTCP_SALT, p.saltLength),
  };
}
