import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeRtcpCompound, parseRtcpCompound, parseRtcpPacket, rtcpInterval, reconsiderRtcpTimer, sizeOfRtcpCompound, updateAverageRtcpSize,
  writeRtcpPacket, SdesItemType, type RtcpPacket,
} from '../../../src/rtp/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const rrWire = '81c90007 00000001 00000002 40fffffe 00010005 00000010 12345678 00008000';
const sdesWire = '81ca0003 00000001 0104 61626364 0000';
const byeWire = '81cb0002 00000001 03627965';

test('RR, SDES (CNAME) and BYE: hand-encoded wire bytes parse to the expected values', () => {
  const r = parseRtcpCompound(hex(rrWire + sdesWire + byeWire));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.value, [
    { type: 'rr', ssrc: 1, extension: Buffer.alloc(0), reports: [{ ssrc: 2, fractionLost: 64, cumulativeLost: -2, extendedHighestSequence: 0x10005, jitter: 16, lastSenderReport: 0x12345678, delaySinceLastSenderReport: 0x8000 }] },
    { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: SdesItemType.CNAME, text: 'abcd' }] }] },
    { type: 'bye', sources: [1], reason: 'bye' },
  ]);
  assert.deepEqual(encodeRtcpCompound(r.value), hex(rrWire + sdesWire + byeWire));
});

test('SR + SDES with several items and chunks + APP + BYE without reason round-trip', () => {
  const pkts: RtcpPacket[] = [
    { type: 'sr', ssrc: 0xdeadbeef, ntpSeconds: 0xe5000000, ntpFraction: 0x80000000, rtpTimestamp: 160000, packetCount: 1000, octetCount: 160000, extension: Buffer.alloc(0),
      reports: [{ ssrc: 7, fractionLost: 0, cumulativeLost: 0x7fffff, extendedHighestSequence: 0xffffffff, jitter: 3, lastSenderReport: 0, delaySinceLastSenderReport: 0 }] },
    { type: 'sdes', chunks: [
      { ssrc: 0xdeadbeef, items: [{ type: 1, text: 'alice@host' }, { type: 6, text: 'Handset é' }] },
      { ssrc: 2, items: [] },
    ] },
    { type: 'app', subtype: 3, ssrc: 0xdeadbeef, name: 'HNDS', data: hex('01020304') },
    { type: 'bye', sources: [0xdeadbeef, 5], reason: null },
  ];
  const wire = encodeRtcpCompound(pkts);
  assert.equal(wire.length, sizeOfRtcpCompound(pkts));
  assert.equal(wire.length % 4, 0);
  const r = parseRtcpCompound(wire);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.value, pkts);
});

test('an empty SDES chunk is one SSRC plus a full word of nulls', () => {
  const buf = Buffer.alloc(12);
  assert.equal(writeRtcpPacket({ type: 'sdes', chunks: [{ ssrc: 9, items: [] }] }, buf), 12);
  assert.equal(buf.toString('hex'), '81ca0002' + '00000009' + '00000000');
});

test('unknown packet types (e.g. RTPFB 205) are kept whole', () => {
  const r = parseRtcpCompound(hex(rrWire + '81cd0002 00000001 00000002'));
  assert.ok(r.ok);
  assert.deepEqual(r.value[1], { type: 'other', packetType: 205, count: 1, body: hex('00000001 00000002') });
});

test('padding on the last packet is removed; on an earlier packet it is rejected (A.2)', () => {
  const paddedBye = 'a1cb0003 00000001 03627965 00000004';
  const ok = parseRtcpCompound(hex(rrWire + paddedBye));
  assert.ok(ok.ok);
  assert.deepEqual(ok.value[1], { type: 'bye', sources: [1], reason: 'bye' });
  const bad = parseRtcpCompound(hex('a1c90008 00000001 00000002 40fffffe 00010005 00000010 12345678 00008000 00000004' + byeWire));
  assert.deepEqual(bad, { ok: false, error: 'packet 1: padding before the last packet' });
});

test('malformed RTCP gives reasons, never throws', () => {
  const cases: Array<[string, string]> = [
    ['81c9', 'packet 1: shorter than the 4-octet RTCP header'],
    ['41c90001 00000001', 'packet 1: version 1, not 2'],
    ['81c90007 00000001', 'packet 1: length field says 32 octets, 8 available'],
    ['82c90001 00000001', 'packet 1: RR with 2 report blocks past the end'],
    ['81ca0001 00000001', 'packet 1: SDES chunk without terminating null item'],
    ['81ca0002 00000001 0109aaaa', 'packet 1: SDES item 1 past the end'],
    ['82cb0001 00000001', 'packet 1: BYE source list past the end'],
    ['80cc0001 00000001', 'packet 1: APP shorter than SSRC and name'],
    ['a0c90001 00000000', 'packet 1: bad padding count'],
    [sdesWire, 'compound packet does not start with SR or RR'],
    ['', 'empty compound packet'],
  ];
  for (const [h, reason] of cases) assert.deepEqual(parseRtcpCompound(hex(h)), { ok: false, error: reason }, h);
  assert.ok(parseRtcpCompound(hex(sdesWire), 0, undefined, { reducedSize: true }).ok);
  assert.deepEqual(parseRtcpPacket(hex(rrWire), 4, 100), { ok: false, error: 'length beyond buffer' });
});

test('A.7 rtcp_interval: minimum interval, initial halving, sender/receiver bandwidth split, randomization', () => {
  const C = 2.71828 - 1.5;
  const base = { members: 2, senders: 1, rtcpBandwidth: 500, weSent: true, averageRtcpSize: 100, initial: false };
  assert.equal(rtcpInterval(base, () => 0.5), 5 / C);
  assert.equal(rtcpInterval({ ...base, initial: true }, () => 0.5), 2.5 / C);
  assert.equal(rtcpInterval(base, () => 0), 2.5 / C);
  assert.equal(rtcpInterval({ ...base, minimumInterval: 1 }, () => 0.5), 1 / C);
  // 1000 members, 10 senders: receivers share 75 % among 990 of them.
  const big = { members: 1000, senders: 10, rtcpBandwidth: 1000, weSent: false, averageRtcpSize: 100, initial: false };
  assert.ok(Math.abs(rtcpInterval(big, () => 0.5) - (100 * 990) / 750 / C) < 1e-9);
  // a sender shares 25 % among the 10 senders: 4 s, raised to the 5 s minimum
  assert.equal(rtcpInterval({ ...big, weSent: true }, () => 0.5), 5 / C);
  // more than a quarter are senders: everyone shares the whole bandwidth
  assert.ok(Math.abs(rtcpInterval({ ...big, senders: 400, weSent: true, rtcpBandwidth: 100 }, () => 0.5) - (100 * 1000) / 100 / C) < 1e-9);
  assert.equal(updateAverageRtcpSize(100, 260), 110);
  assert.deepEqual(reconsiderRtcpTimer(10, 13, 4), { send: false, at: 14 });
  assert.deepEqual(reconsiderRtcpTimer(10, 14, 4), { send: true });
});

test('RFC 3611 XR: VoIP metrics block (§4.7) and a raw receiver-reference-time block, from wire bytes and back', () => {
  const voip = '07000008 00000002 0a051e28 0064012c 00320014 b5a7 7f 10 5d7f 2a1c 0300 0028 0050 00c8';
  const rrt = '04000002 e5000000 80000000';
  const wire = hex(rrWire + '80cf000d 00000001' + rrt + voip);
  const r = parseRtcpCompound(wire);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.value[1], {
    type: 'xr', ssrc: 1, blocks: [
      { kind: 'raw', blockType: 4, typeSpecific: 0, data: hex('e5000000 80000000') },
      { kind: 'voip-metrics', ssrc: 2, lossRate: 10, discardRate: 5, burstDensity: 30, gapDensity: 40, burstDuration: 100, gapDuration: 300,
        roundTripDelay: 50, endSystemDelay: 20, signalLevel: -75, noiseLevel: -89, rerl: 127, gmin: 16, rFactor: 93, extRFactor: 127,
        mosLq: 42, mosCq: 28, rxConfig: 3, jbNominal: 40, jbMaximum: 80, jbAbsMax: 200 },
    ],
  });
  assert.deepEqual(encodeRtcpCompound(r.value), wire);
  assert.deepEqual(parseRtcpCompound(hex(rrWire + '80cf0003 00000001 07000001 00000002')), { ok: false, error: 'packet 2: XR VoIP metrics block of 8 octets, not 36' });
  assert.deepEqual(parseRtcpCompound(hex(rrWire + '80cf0002 00000001 04000002')), { ok: false, error: 'packet 2: XR block 4 past the end' });
});

test('SR without report blocks: hand-encoded wire bytes (§6.4.1 layout) both ways', () => {
  const wire = hex('80c80006 cafebabe e5000001 80000000 0001f400 00000064 00003e80');
  const r = parseRtcpPacket(wire);
  assert.deepEqual(r, { ok: true, value: { size: 28, packet: {
    type: 'sr', ssrc: 0xcafebabe, ntpSeconds: 0xe5000001, ntpFraction: 0x80000000, rtpTimestamp: 128000, packetCount: 100, octetCount: 16000,
    reports: [], extension: Buffer.alloc(0),
  } } });
  const out = Buffer.alloc(28);
  assert.equal(writeRtcpPacket(r.ok ? r.value.packet : assert.fail(), out), 28);
  assert.deepEqual(out, wire);
});
