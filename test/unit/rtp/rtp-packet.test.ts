import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ONE_BYTE_PROFILE, TWO_BYTE_PROFILE, buildHeaderExtension, createRtpPacket, isRtcpPacket, parseHeaderExtensionElements,
  parseRtpPacket, rtpHeaderLength, sizeOfRtpPacket, writeRtpPacket, type RtpPacket,
} from '../../../src/rtp/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('parses a plain G.711 packet; payload is a view into the input', () => {
  const buf = hex('80 00 1234 000003e8 cafebabe' + 'ff'.repeat(160));
  const r = parseRtpPacket(buf);
  assert.ok(r.ok);
  const p = r.value;
  assert.deepEqual([p.marker, p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc, p.csrcs, p.extension, p.paddingLength], [false, 0, 0x1234, 1000, 0xcafebabe, [], null, 0]);
  assert.equal(p.payload.length, 160);
  assert.equal(p.payload.buffer, buf.buffer);
  assert.equal(p.payload.byteOffset, buf.byteOffset + 12);
});

test('CSRCs, a header extension, marker and padding are parsed and written back byte for byte', () => {
  const wire = hex('b2 e0 0001 00000010 00000001 00000002 00000003 bede 0002 10aa21bbcc000000 0102 0000 03');
  const r = parseRtpPacket(wire);
  assert.ok(r.ok);
  const p = r.value;
  assert.equal(p.marker, true);
  assert.equal(p.payloadType, 0x60);
  assert.deepEqual(p.csrcs, [2, 3]);
  assert.equal(p.extension!.profile, ONE_BYTE_PROFILE);
  assert.equal(p.extension!.data.toString('hex'), '10aa21bbcc000000');
  assert.equal(p.payload.toString('hex'), '0102');
  assert.equal(p.paddingLength, 3);
  assert.equal(sizeOfRtpPacket(p), wire.length);
  const out = Buffer.alloc(wire.length);
  assert.equal(writeRtpPacket(p, out), wire.length);
  assert.deepEqual(out, wire);
  assert.equal(rtpHeaderLength(wire), 12 + 8 + 12);
});

test('RFC 8285 one-byte elements: padding skipped, ID 15 stops processing', () => {
  const r = parseHeaderExtensionElements({ profile: ONE_BYTE_PROFILE, data: hex('10aa 00 21bbcc f0 3100 00') });
  assert.ok(r.ok);
  assert.deepEqual(r.value.map((e) => [e.id, e.data.toString('hex')]), [[1, 'aa'], [2, 'bbcc']]);
});

test('RFC 8285 two-byte elements: zero-length element and appbits profile', () => {
  const r = parseHeaderExtensionElements({ profile: TWO_BYTE_PROFILE | 0x3, data: hex('0100 00 0f02aabb 00') });
  assert.ok(r.ok);
  assert.deepEqual(r.value.map((e) => [e.id, e.data.toString('hex')]), [[1, ''], [15, 'aabb']]);
});

test('RFC 8285 elements running past the block are malformed, not thrown', () => {
  assert.deepEqual(parseHeaderExtensionElements({ profile: ONE_BYTE_PROFILE, data: hex('13aabb00') }), { ok: false, error: 'one-byte element 1 past the end' });
  assert.deepEqual(parseHeaderExtensionElements({ profile: 0x1000, data: hex('0105aabb') }), { ok: false, error: 'two-byte element 1 past the end' });
  assert.equal(parseHeaderExtensionElements({ profile: 0x1234, data: Buffer.alloc(0) }).ok, false);
});

test('buildHeaderExtension picks the one-byte form when it can and the two-byte form otherwise; both round-trip', () => {
  const one = buildHeaderExtension([{ id: 1, data: hex('aa') }, { id: 14, data: Buffer.alloc(16, 7) }]);
  assert.equal(one.profile, ONE_BYTE_PROFILE);
  assert.equal(one.data.length % 4, 0);
  const two = buildHeaderExtension([{ id: 20, data: hex('01') }, { id: 2, data: Buffer.alloc(0) }]);
  assert.equal(two.profile, TWO_BYTE_PROFILE);
  assert.equal(two.data.toString('hex'), '1401010200000000');
  for (const ext of [one, two]) {
    const els = parseHeaderExtensionElements(ext);
    assert.ok(els.ok);
    assert.equal(els.value.length, 2);
  }
});

test('malformed packets give a reason: short, wrong version, CSRC/extension/padding past the end, zero padding', () => {
  const cases: Array<[string, string]> = [
    ['80000001000000010000', 'shorter than the 12-octet fixed header'],
    ['40000001 00000001 00000001', 'version 1, not 2'],
    ['82000001 00000001 00000001 00000001', 'CSRC count past the end'],
    ['90000001 00000001 00000001 bede', 'extension header past the end'],
    ['90000001 00000001 00000001 bede0002 00000000', 'extension data past the end'],
    ['a0000001 00000001 00000001 0102 05', 'padding past the header'],
    ['a0000001 00000001 00000001 0102 00', 'padding count of zero'],
  ];
  for (const [h, reason] of cases) assert.deepEqual(parseRtpPacket(hex(h)), { ok: false, error: reason }, h);
  assert.equal(rtpHeaderLength(hex('82000001 00000001 00000001 00000001')), -1);
});

test('parse honours offset and length, and reuses the target object', () => {
  const inner = hex('80 08 0005 00000000 00000009 d5d5');
  const buf = Buffer.concat([hex('ffff'), inner, hex('eeee')]);
  const into = createRtpPacket();
  const r = parseRtpPacket(buf, 2, inner.length, into);
  assert.ok(r.ok);
  assert.equal(r.value, into);
  assert.equal(into.payload.toString('hex'), 'd5d5');
  assert.deepEqual(parseRtpPacket(buf, 2, 100), { ok: false, error: 'length beyond buffer' });
});

test('write throws only on packets we built wrongly (programmer errors)', () => {
  const p: RtpPacket = { ...createRtpPacket(), payload: Buffer.alloc(4) };
  assert.throws(() => writeRtpPacket(p, Buffer.alloc(10)), RangeError);
  assert.throws(() => writeRtpPacket({ ...p, extension: { profile: 1, data: Buffer.alloc(3) } }, Buffer.alloc(40)), RangeError);
  assert.throws(() => writeRtpPacket({ ...p, csrcs: new Array(16).fill(1) }, Buffer.alloc(200)), RangeError);
});

test('RFC 5761 demux: RTCP packet types 192..223 versus RTP payload types', () => {
  assert.equal(isRtcpPacket(hex('80c8000600000001')), true); // SR
  assert.equal(isRtcpPacket(hex('81c9000700000001')), true); // RR
  assert.equal(isRtcpPacket(hex('80000001')), false); // PCMU
  assert.equal(isRtcpPacket(hex('80e00001')), false); // M bit + PT 96
  assert.equal(isRtcpPacket(hex('80600001')), false); // PT 96
  assert.equal(isRtcpPacket(hex('00c80001')), false); // version 0 (e.g. STUN)
  assert.equal(isRtcpPacket(hex('80c8')), false);
});
