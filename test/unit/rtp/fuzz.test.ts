// Garbage never throws: seeded random and mutated input through every parser and unprotect path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SRTP_PROFILES, SrtpContext, TelephoneEventReceiver, createRtpPacket, parseHeaderExtensionElements, parseRtcpCompound,
  parseRtpPacket, parseTelephoneEvent, writeRtpPacket, encodeRtcpCompound, isRtcpPacket, type SrtpProfile,
} from '../../../src/rtp/index.js';
import { prng } from '../../support/prng.js';

function randomBytes(rnd: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

/** Random bytes, or a valid packet with flipped bits, truncated or extended. */
function junk(rnd: () => number, valid: Buffer[]): Buffer {
  const mode = rnd();
  if (mode < 0.3) {
    const b = randomBytes(rnd, (rnd() * 64) | 0);
    if (b.length > 0 && rnd() < 0.7) b[0] = (b[0]! & 0x3f) | 0x80; // mostly version 2, to get past the first check
    return b;
  }
  const base = Buffer.from(valid[(rnd() * valid.length) | 0]!);
  if (mode < 0.6) {
    for (let i = 0, n = 1 + ((rnd() * 4) | 0); i < n; i++) base[(rnd() * base.length) | 0]! ^= 1 << ((rnd() * 8) | 0);
    return base;
  }
  if (mode < 0.85) return base.subarray(0, (rnd() * base.length) | 0);
  return Buffer.concat([base, randomBytes(rnd, 1 + ((rnd() * 8) | 0))]);
}

const ITERATIONS = 20000;

test('RTP, RFC 8285, RTCP and telephone-event parsers return results on garbage, never throw', () => {
  const rnd = prng(0x5eed);
  const rtp = Buffer.from('b2e00001' + '00000010' + '00000001' + '00000002' + '00000003' + 'bede0002' + '10aa21bbcc000000' + '0102' + '000003', 'hex');
  assert.ok(parseRtpPacket(rtp).ok);
  const rtcp = encodeRtcpCompound([
    { type: 'rr', ssrc: 1, extension: Buffer.alloc(0), reports: [{ ssrc: 2, fractionLost: 1, cumulativeLost: 3, extendedHighestSequence: 4, jitter: 5, lastSenderReport: 6, delaySinceLastSenderReport: 7 }] },
    { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'cname' }] }] },
    { type: 'bye', sources: [1], reason: 'x' },
    { type: 'app', subtype: 1, ssrc: 1, name: 'abcd', data: Buffer.alloc(4) },
    { type: 'xr', ssrc: 1, blocks: [{ kind: 'raw', blockType: 4, typeSpecific: 0, data: Buffer.alloc(8) }, {
      kind: 'voip-metrics', ssrc: 2, lossRate: 1, discardRate: 2, burstDensity: 3, gapDensity: 4, burstDuration: 5, gapDuration: 6, roundTripDelay: 7,
      endSystemDelay: 8, signalLevel: -9, noiseLevel: -10, rerl: 11, gmin: 16, rFactor: 90, extRFactor: 127, mosLq: 41, mosCq: 40, rxConfig: 0,
      jbNominal: 40, jbMaximum: 80, jbAbsMax: 200 }] },
  ]);
  const into = createRtpPacket();
  const rx = new TelephoneEventReceiver();
  let okRtp = 0;
  let okRtcp = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const b = junk(rnd, [rtp, rtcp]);
    const r = parseRtpPacket(b, 0, b.length, into);
    if (r.ok) {
      okRtp++;
      assert.ok(r.value.payload.length <= b.length);
      if (r.value.extension) parseHeaderExtensionElements(r.value.extension);
      const ev = parseTelephoneEvent(r.value.payload);
      if (ev.ok) rx.receive(r.value.timestamp, r.value.marker, ev.value, i);
    } else assert.equal(typeof r.error, 'string');
    const c = parseRtcpCompound(b);
    if (c.ok) okRtcp++;
    else assert.equal(typeof c.error, 'string');
    isRtcpPacket(b);
    rx.tick(i);
  }
  // the mutations keep some packets valid, so both accepting and rejecting paths ran
  assert.ok(okRtp > 100 && okRtp < ITERATIONS, `rtp ok ${okRtp}`);
  assert.ok(okRtcp > 100 && okRtcp < ITERATIONS, `rtcp ok ${okRtcp}`);
});

test('SRTP/SRTCP unprotect returns a reason on garbage for every profile, never throws, accepts nothing forged', () => {
  const rnd = prng(0xc0ffee);
  for (const profile of Object.keys(SRTP_PROFILES) as SrtpProfile[]) {
    const p = SRTP_PROFILES[profile];
    const tx = new SrtpContext(profile, Buffer.alloc(p.keyLength, 1), Buffer.alloc(p.saltLength, 2));
    const rx = new SrtpContext(profile, Buffer.alloc(p.keyLength, 1), Buffer.alloc(p.saltLength, 2));
    const valid: Buffer[] = [];
    for (let seq = 0; seq < 8; seq++) {
      const pkt = { ...createRtpPacket(), sequenceNumber: seq, ssrc: 7, payload: Buffer.alloc(20, seq) };
      const buf = Buffer.alloc(32);
      writeRtpPacket(pkt, buf);
      valid.push(tx.protectRtp(buf));
    }
    valid.push(tx.protectRtcp(Buffer.concat([Buffer.from('81c9000700000007', 'hex'), Buffer.alloc(24)])));
    for (let i = 0; i < ITERATIONS / 4; i++) {
      const b = junk(rnd, valid);
      const same = valid.some((v) => v.equals(b));
      const r1 = rx.unprotectRtp(Buffer.from(b));
      const r2 = rx.unprotectRtcp(Buffer.from(b));
      if (!same) {
        assert.equal(r1.ok, false, `${profile}: forged RTP accepted`);
        assert.equal(r2.ok, false, `${profile}: forged RTCP accepted`);
      }
    }
  }
});
