/** SDES a=crypto (RFC 4568 §9.1) for the SRTP suites the media engine implements. */
import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../util/index.js';
import { attributeValues } from './attributes.js';
import { decimal, fields, isToken, splitFirst } from './tokens.js';
import type { SdpMedia } from './types.js';

export type SrtpSuite = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' | 'AEAD_AES_128_GCM' | 'AEAD_AES_256_GCM';

/** Master key and salt sizes: RFC 4568 §6.2 (AES_CM) and RFC 7714 §12 (AEAD_AES_*_GCM). */
export const srtpSuites: Readonly<Record<SrtpSuite, { keyLength: number; saltLength: number }>> = {
  AES_CM_128_HMAC_SHA1_80: { keyLength: 16, saltLength: 14 },
  AES_CM_128_HMAC_SHA1_32: { keyLength: 16, saltLength: 14 },
  AEAD_AES_128_GCM: { keyLength: 16, saltLength: 12 },
  AEAD_AES_256_GCM: { keyLength: 32, saltLength: 12 },
};

export const isSrtpSuite = (s: string): s is SrtpSuite => Object.prototype.hasOwnProperty.call(srtpSuites, s);

/** A source of random bytes; injected so tests are deterministic. */
export type RandomSource = (length: number) => Buffer;
export const systemRandom: RandomSource = (n) => randomBytes(n);

/** One "inline:<key||salt>[|lifetime][|MKI:length]" (RFC 4568 §6.1). */
export interface SdesKey {
  keySalt: Buffer;
  /** As written: decimal or "2^n". */
  lifetime?: string;
  mki?: { value: number; length: number };
}

export interface SdesCrypto {
  tag: number;
  suite: string;
  keys: SdesKey[];
  sessionParams: string[];
}

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Strict base64 (padding optional: several phones omit it). */
function decodeBase64(s: string): Buffer | undefined {
  let body = s;
  while (body.endsWith('=')) body = body.slice(0, -1);
  if (s.length - body.length > 2 || body.length % 4 === 1) return undefined;
  for (let i = 0; i < body.length; i++) if (!b64.includes(body[i]!)) return undefined;
  return Buffer.from(body, 'base64');
}

function parseKey(param: string): Result<SdesKey> {
  const [method, info] = splitFirst(param, ':');
  if (method.toLowerCase() !== 'inline' || info === undefined) return err('crypto: only inline keys are supported');
  const parts = info.split('|');
  if (parts.length > 3) return err('crypto: too many "|" fields in key');
  const keySalt = decodeBase64(parts[0]!);
  if (keySalt === undefined || keySalt.length === 0) return err('crypto: key is not base64');
  const key: SdesKey = { keySalt };
  for (const p of parts.slice(1)) {
    const [a, b] = splitFirst(p, ':');
    if (b !== undefined) {
      const value = decimal(a);
      const length = decimal(b, 128);
      if (value === undefined || length === undefined || length === 0 || key.mki !== undefined) return err('crypto: bad MKI');
      key.mki = { value, length };
    } else {
      const [base, exp] = splitFirst(a, '^');
      const okLifetime = exp === undefined ? decimal(a) !== undefined : base === '2' && decimal(exp, 64) !== undefined;
      if (!okLifetime || key.lifetime !== undefined || key.mki !== undefined) return err('crypto: bad key lifetime');
      key.lifetime = a;
    }
  }
  return ok(key);
}

/** a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] (RFC 4568 §9.1). */
export function parseCrypto(value: string): Result<SdesCrypto> {
  const f = fields(value);
  if (f.length < 3) return err('crypto: expected "<tag> <crypto-suite> <key-params>"');
  const tag = decimal(f[0]!, 999999999);
  if (tag === undefined) return err('crypto: tag is not a number');
  if (!isToken(f[1]!)) return err('crypto: bad crypto-suite');
  const keys: SdesKey[] = [];
  for (const p of f[2]!.split(';')) {
    const k = parseKey(p);
    if (!k.ok) return k;
    keys.push(k.value);
  }
  const suite = f[1]!;
  if (isSrtpSuite(suite)) {
    const { keyLength, saltLength } = srtpSuites[suite];
    if (keys.some((k) => k.keySalt.length !== keyLength + saltLength)) return err(`crypto: ${suite} needs a ${keyLength + saltLength}-byte key||salt`);
  }
  return ok({ tag, suite, keys, sessionParams: f.slice(3) });
}

export function formatCrypto(c: SdesCrypto): string {
  const keys = c.keys.map((k) => {
    let s = `inline:${k.keySalt.toString('base64')}`;
    if (k.lifetime !== undefined) s += `|${k.lifetime}`;
    if (k.mki !== undefined) s += `|${k.mki.value}:${k.mki.length}`;
    return s;
  });
  return [`${c.tag}`, c.suite, keys.join(';'), ...c.sessionParams].join(' ');
}

/** A fresh crypto attribute value: new master key||salt from `random` (RFC 4568 §6.1). */
export function newCrypto(tag: number, suite: SrtpSuite, random: RandomSource): SdesCrypto {
  const { keyLength, saltLength } = srtpSuites[suite];
  const keySalt = random(keyLength + saltLength);
  if (keySalt.length !== keyLength + saltLength) throw new Error('random source returned the wrong number of bytes');
  return { tag, suite, keys: [{ keySalt: Buffer.from(keySalt) }], sessionParams: [] };
}

/** The m= line's valid a=crypto lines in order (unparsable ones are skipped, RFC 4568 §5.1.2). */
export function mediaCryptos(media: SdpMedia): SdesCrypto[] {
  const out: SdesCrypto[] = [];
  for (const v of attributeValues(media.attributes, 'crypto')) {
    const c = parseCrypto(v);
    if (c.ok) out.push(c.value);
  }
  return out;
}
