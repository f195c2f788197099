// Seeded mutation of SIP messages for fuzzing the parser (used by the test and the benchmark).
// Own PRNG (xorshift32) so a seed always gives the same inputs on every machine.
import { HeaderId, parseMessage, serializeMessage, validateMessage, type HeaderTypes } from '../../../../src/sip/message/index.js';

export class Xorshift32 {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

// Bytes that matter to the grammar, so mutations hit parser decisions rather than only text.
const interesting = Buffer.from(' \t\r\n:;,=<>"\\/@[]%0129-+*?\x00\x7f\xff', 'latin1');
const tokens = ['\r\n', '\r\n ', ';', ',', '"', '<', '>', 'SIP/2.0', 'Content-Length: 99999999999', 'l: -1', ';tag=', ';branch=',
  'Via: ', '\r\n\r\n', '%00', '4294967296', ':'].map((t) => Buffer.from(t, 'latin1'));

/** One mutated copy of `input`: 1-4 edits (flip, set, insert, delete, splice a token, duplicate, truncate). */
export function mutate(input: Buffer, rng: Xorshift32): Buffer {
  let b = Buffer.from(input);
  const edits = 1 + rng.below(4);
  for (let k = 0; k < edits; k++) {
    const at = b.length === 0 ? 0 : rng.below(b.length);
    switch (rng.below(7)) {
      case 0:
        if (b.length > 0) b[at] = b[at]! ^ (1 << rng.below(8));
        break;
      case 1:
        if (b.length > 0) b[at] = interesting[rng.below(interesting.length)]!;
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), interesting.subarray(rng.below(interesting.length)).subarray(0, 1), b.subarray(at)]);
        break;
      case 3: {
        const len = 1 + rng.below(16);
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
        break;
      }
      case 4:
        b = Buffer.concat([b.subarray(0, at), tokens[rng.below(tokens.length)]!, b.subarray(at)]);
        break;
      case 5: {
        const len = 1 + rng.below(64);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
        break;
      }
      default:
        b = b.subarray(0, at);
    }
  }
  return b;
}

/** Parses and reads everything a caller could read; returns the result kind. */
export function exercise(input: Buffer, datagram: boolean): 'ok' | 'incomplete' | 'malformed' {
  const r = parseMessage(input, { datagram });
  if (r.kind !== 'ok') return r.kind;
  const m = r.message;
  for (let i = 0; i < m.headerCount; i++) {
    const id = m.idAt(i);
    if (id !== HeaderId.Other) m.get(id as keyof HeaderTypes);
    m.valueAt(i);
    m.nameAt(i);
  }
  void [m.requestUri, m.branch, m.fromTag, m.toTag, m.callId, m.reason, m.viaHost];
  validateMessage(m);
  serializeMessage(m);
  return 'ok';
}

/**
 * The fastest of up to 50 timed runs of one input, stopping at the first under `enough` ms: a
 * slow input is slow every time, a pause of the (shared) machine or of the garbage collector
 * is not.
 */
export function retime(input: Buffer, datagram: boolean, enough = 1): number {
  let best = Infinity;
  for (let k = 0; k < 50 && best >= enough; k++) {
    const t0 = performance.now();
    exercise(input, datagram);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
