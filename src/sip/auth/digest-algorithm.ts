import { createHash } from 'node:crypto';

/** The digest algorithms this client answers (RFC 7616 §3.3, RFC 8760 §2). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

interface AlgorithmInfo {
  readonly name: DigestAlgorithm;
  /** node:crypto hash name. */
  readonly hash: string;
  readonly sess: boolean;
  /** Higher is stronger; used to pick among several challenges (RFC 8760 §2.4). */
  readonly strength: number;
}

const table: readonly AlgorithmInfo[] = [
  // SHA-512-256 is FIPS 180-4 SHA-512/256 with its own initial values, not truncated SHA-512
  // (the RFC 7616 §3.9.2 example got this wrong; erratum 4897).
  { name: 'SHA-512-256', hash: 'sha512-256', sess: false, strength: 6 },
  { name: 'SHA-512-256-sess', hash: 'sha512-256', sess: true, strength: 5 },
  { name: 'SHA-256', hash: 'sha256', sess: false, strength: 4 },
  { name: 'SHA-256-sess', hash: 'sha256', sess: true, strength: 3 },
  { name: 'MD5', hash: 'md5', sess: false, strength: 2 },
  { name: 'MD5-sess', hash: 'md5', sess: true, strength: 1 },
];

/** Algorithms we support, strongest first. */
export const supportedAlgorithms: readonly DigestAlgorithm[] = table.map((a) => a.name);

/**
 * Looks up the `algorithm` parameter of a challenge, case-insensitively.
 * Absent means MD5 (RFC 2617 §3.2.1, RFC 7616 §3.3). Unknown gives undefined.
 */
export function lookupAlgorithm(param: string | undefined): AlgorithmInfo | undefined {
  if (param === undefined) return table[4];
  const want = param.toLowerCase();
  return table.find((a) => a.name.toLowerCase() === want);
}

/** H(data) in lower-case hex; strings are hashed as UTF-8 (RFC 7616 §3.4.1, charset=UTF-8). */
export function digestHash(algorithm: DigestAlgorithm, data: string | Buffer): string {
  const info = lookupAlgorithm(algorithm);
  if (!info) throw new Error(`unknown digest algorithm ${algorithm}`);
  return createHash(info.hash).update(data).digest('hex');
}
