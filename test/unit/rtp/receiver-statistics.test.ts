import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverStatistics, TimestampUnwrapper, ntpFromMs, ntpMiddle32, msFromNtp, roundTripTimeMs } from '../../../src/rtp/index.js';

test('A.1: a new source is on probation until two packets arrive in sequence', () => {
  const s = new ReceiverStatistics(1, 100, { clockRate: 8000 });
  assert.equal(s.update(100, 0, 0), 'probation');
  assert.equal(s.update(101, 160, 20), 'valid');
  assert.equal(s.packetsReceived, 1);
  const quick = new ReceiverStatistics(1, 100, { clockRate: 8000, minSequential: 1 });
  assert.equal(quick.update(100, 0, 0), 'valid');
});

test('A.1: extended sequence numbers across the 16-bit wrap, loss counted', () => {
  const s = new ReceiverStatistics(1, 65530, { clockRate: 8000, minSequential: 1 });
  for (const seq of [65530, 65531, 65533, 65534, 65535, 0, 1, 3, 4]) assert.equal(s.update(seq, 0, 0), 'valid');
  assert.equal(s.extendedHighestSequence, 65536 + 4);
  assert.equal(s.cumulativeLost, 2); // 65532 and 2
  assert.equal(s.extendSequence(65535), 65535);
  assert.equal(s.extendSequence(2), 65538);
  // a late packet from before the wrap: counted, highest unchanged
  assert.equal(s.update(65532, 0, 0), 'valid');
  assert.equal(s.extendedHighestSequence, 65540);
  assert.equal(s.cumulativeLost, 1);
});

test('A.1: a large jump is confirmed by the next packet, then the source restarts', () => {
  const s = new ReceiverStatistics(1, 10, { clockRate: 8000, minSequential: 1 });
  s.update(10, 0, 0);
  s.update(11, 0, 0);
  assert.equal(s.update(30000, 0, 0), 'jump');
  assert.equal(s.update(12, 0, 0), 'valid');
  assert.equal(s.update(30000, 0, 0), 'jump');
  assert.equal(s.update(30001, 0, 0), 'restarted');
  assert.equal(s.extendedHighestSequence, 30001);
  assert.equal(s.packetsReceived, 1);
});

test('A.3: fraction lost per report interval and cumulative loss; duplicates make loss negative', () => {
  const s = new ReceiverStatistics(5, 0, { clockRate: 8000, minSequential: 1 });
  for (let seq = 0; seq < 100; seq++) if (seq % 4 !== 1) s.update(seq, seq * 160, seq * 20);
  const b1 = s.makeReportBlock(2000);
  assert.equal(b1.ssrc, 5);
  assert.equal(b1.cumulativeLost, 25);
  assert.equal(b1.fractionLost, 64); // 25 of 100 = 0.25 * 256
  assert.equal(b1.extendedHighestSequence, 99);
  for (let seq = 100; seq < 200; seq++) s.update(seq, seq * 160, seq * 20);
  const b2 = s.makeReportBlock(4000);
  assert.equal(b2.fractionLost, 0);
  assert.equal(b2.cumulativeLost, 25);
  for (let i = 0; i < 30; i++) s.update(199, 199 * 160, 4000);
  assert.equal(s.cumulativeLost, -5);
  assert.equal(s.makeReportBlock(4100).fractionLost, 0);
});

test('A.8: jitter is 0 for a steady stream and follows J += (|D| - J)/16 otherwise', () => {
  const steady = new ReceiverStatistics(1, 0, { clockRate: 8000, minSequential: 1 });
  for (let i = 0; i < 50; i++) steady.update(i, 1000 + i * 160, 5000 + i * 20);
  assert.equal(steady.jitter, 0);
  const s = new ReceiverStatistics(1, 0, { clockRate: 8000, minSequential: 1 });
  // every other packet 10 ms (80 timestamp units) late: |D| = 80 for each packet after the first
  const n = 40;
  for (let i = 0; i <= n; i++) s.update(i, (0xffffff00 + i * 160) >>> 0, i * 20 + (i % 2) * 10);
  assert.ok(Math.abs(s.jitter - 80 * (1 - (15 / 16) ** n)) < 1e-9, String(s.jitter));
  assert.equal(s.makeReportBlock(1000).jitter, Math.floor(s.jitter));
});

test('§6.4.1: LSR and DLSR in the report block, and the RTT the sender computes from them', () => {
  const wallSr = Date.UTC(2026, 0, 1, 12, 0, 0);
  const ntp = ntpFromMs(wallSr);
  assert.ok(Math.abs(msFromNtp(ntp.seconds, ntp.fraction) - wallSr) < 0.001);
  const s = new ReceiverStatistics(1, 0, { clockRate: 8000, minSequential: 1 });
  s.update(0, 0, 0);
  assert.equal(s.makeReportBlock(0).lastSenderReport, 0);
  s.onSenderReport(ntp.seconds, ntp.fraction, 1000);
  const block = s.makeReportBlock(1250); // receiver holds the SR for 250 ms
  assert.equal(block.lastSenderReport, ntpMiddle32(ntp.seconds, ntp.fraction));
  assert.equal(block.delaySinceLastSenderReport, 16384);
  // 20 ms each way: the block reaches the SR's sender 290 ms after it sent the SR
  const rtt = roundTripTimeMs(block, wallSr + 290);
  assert.ok(rtt !== null && Math.abs(rtt - 40) < 0.05, String(rtt));
  assert.equal(roundTripTimeMs({ lastSenderReport: 0, delaySinceLastSenderReport: 0 }, wallSr), null);
});

test('timestamp unwrapper extends across the 32-bit wrap and tolerates late packets', () => {
  const u = new TimestampUnwrapper();
  assert.equal(u.unwrap(0xffffff00), 0xffffff00);
  assert.equal(u.unwrap(0x00000060), 0x100000060);
  assert.equal(u.unwrap(0xffffffa0), 0xffffffa0);
  assert.equal(u.unwrap(0x00000100), 0x100000100);
});
