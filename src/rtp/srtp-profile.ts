/** SRTP protection profiles (RFC 3711 §8.2 / RFC 4568 §6.2 crypto-suites, RFC 6188 AES-256-CM, RFC 7714 §14). */

export type SrtpProfile =
  | 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' | 'AES_256_CM_HMAC_SHA1_80' | 'AES_256_CM_HMAC_SHA1_32'
  | 'AEAD_AES_128_GCM' | 'AEAD_AES_256_GCM';

export interface SrtpProfileInfo {
  readonly name: SrtpProfile;
  readonly aead: boolean;
  /** Master and session encryption key length in octets. */
  readonly keyLength: number;
  /** Master and session salt length in octets (112 bits for AES-CM, 96 for GCM). */
  readonly saltLength: number;
  /** HMAC-SHA1 session key length (0 for AEAD). */
  readonly authKeyLength: number;
  readonly rtpTagLength: number;
  readonly rtcpTagLength: number;
}

export const SRTP_PROFILES: Readonly<Record<SrtpProfile, SrtpProfileInfo>> = {
  AES_CM_128_HMAC_SHA1_80: { name: 'AES_CM_128_HMAC_SHA1_80', aead: false, keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10 },
  // RFC 4568 §6.2.2 / RFC 3711 §5.2: the 32-bit tag is for SRTP only; SRTCP keeps 80 bits.
  AES_CM_128_HMAC_SHA1_32: { name: 'AES_CM_128_HMAC_SHA1_32', aead: false, keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10 },
  // RFC 6188: the same transforms with a 256-bit master and session key (AES-256 PRF and keystream).
  AES_256_CM_HMAC_SHA1_80: { name: 'AES_256_CM_HMAC_SHA1_80', aead: false, keyLength: 32, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10 },
  AES_256_CM_HMAC_SHA1_32: { name: 'AES_256_CM_HMAC_SHA1_32', aead: false, keyLength: 32, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10 },
  // RFC 7714 §14.1/§14.2: 16-octet tag, 12-octet salt.
  AEAD_AES_128_GCM: { name: 'AEAD_AES_128_GCM', aead: true, keyLength: 16, saltLength: 12, authKeyLength: 0, rtpTagLength: 16, rtcpTagLength: 16 },
  AEAD_AES_256_GCM: { name: 'AEAD_AES_256_GCM', aead: true, keyLength: 32, saltLength: 12, authKeyLength: 0, rtpTagLength: 16, rtcpTagLength: 16 },
};

export function isSrtpProfile(name: string): name is SrtpProfile {
  return Object.prototype.hasOwnProperty.call(SRTP_PROFILES, name);
}
