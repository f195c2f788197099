import { pooledRandomBytes } from './random-pool.js';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random token of `length` characters from [a-z0-9] (tags, Call-ID parts, branch suffixes). */
export function randomToken(length = 16): string {
  const bytes = pooledRandomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

/** An unsigned 32-bit random integer (SSRC, initial CSeq, RTP sequence/timestamp origins). */
export function randomUint32(): number {
  return pooledRandomBytes(4).readUInt32BE(0);
}
