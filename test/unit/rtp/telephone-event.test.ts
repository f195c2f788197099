// RFC 4733 payload, sender and receiver against ../shared/conformance/dtmf-rfc4733 (Table 5, figures 3-5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../support/paths.js';
import {
  TelephoneEventReceiver, TelephoneEventSender, dtmfEventCode, dtmfKey, parseRtpPacket, parseTelephoneEvent, writeTelephoneEvent,
  type TelephoneEventNotice,
} from '../../../src/rtp/index.js';

const dir = (f: string): string => sharedDir('conformance', 'dtmf-rfc4733', f);

interface Row { timeMs: number; marker: boolean; timestamp: number; seq: number; event: number; duration: number; end: boolean }

/** RTP packet rows of Table 5 (CSV fields may be quoted with doubled quotes). */
function table5(): Row[] {
  const lines = readFileSync(dir('table5-event-reporting.csv'), 'utf8').trim().split('\n').slice(1);
  const rows: Row[] = [];
  for (const line of lines) {
    const fields: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
        else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { fields.push(cur); cur = ''; }
      else cur += ch;
    }
    fields.push(cur);
    if (fields[2] === '') continue; // "starts"/"ends" annotation rows
    rows.push({
      timeMs: Number(fields[0]), marker: fields[2] === '1', timestamp: Number(fields[3]), seq: Number(fields[4]),
      event: Number(fields[5]), duration: Number(fields[6]), end: fields[7] === '1',
    });
  }
  return rows;
}

test('figure 3 event packet: RTP header and event payload parse, and the payload writes back identically', () => {
  const bytes = readFileSync(dir('figure3-event-packet.bin'));
  assert.equal(bytes.toString('hex'), readFileSync(dir('figure3-event-packet.hex'), 'utf8').trim());
  const p = parseRtpPacket(bytes);
  assert.ok(p.ok);
  assert.equal(p.value.payloadType, 100);
  assert.equal(p.value.sequenceNumber, 18);
  assert.equal(p.value.timestamp, 11200);
  assert.equal(p.value.ssrc, 0x005234a8);
  const ev = parseTelephoneEvent(p.value.payload);
  assert.deepEqual(ev, { ok: true, value: { event: 1, end: true, volume: 20, duration: 1760 } });
  const out = Buffer.alloc(4);
  writeTelephoneEvent(ev.ok ? ev.value : assert.fail(), out);
  assert.deepEqual(out, p.value.payload);
});

test('figure 4 and 5 packets: RTP headers parse; the event inside the RED packet follows the 5-octet RED header', () => {
  const f4 = parseRtpPacket(readFileSync(dir('figure4-tone-packet.bin')));
  assert.ok(f4.ok);
  assert.deepEqual([f4.value.payloadType, f4.value.sequenceNumber, f4.value.timestamp, f4.value.payload.length], [101, 14, 12800, 8]);
  const f5 = parseRtpPacket(readFileSync(dir('figure5-red-tone-event-packet.bin')));
  assert.ok(f5.ok);
  assert.deepEqual([f5.value.payloadType, f5.value.sequenceNumber, f5.value.timestamp], [102, 18, 12800]);
  assert.deepEqual(parseTelephoneEvent(f5.value.payload, 5), { ok: true, value: { event: 1, end: true, volume: 20, duration: 1760 } });
});

test('payload parse rejects a short payload with a reason', () => {
  assert.deepEqual(parseTelephoneEvent(Buffer.from([1, 2, 3])), { ok: false, error: 'telephone-event payload shorter than 4 octets' });
});

test('DTMF key codes (Table 3) and flash (16, written "!")', () => {
  assert.deepEqual([...'0123456789*#ABCD'].map(dtmfEventCode), [...Array(16).keys()]);
  assert.equal(dtmfEventCode('d'), 15);
  assert.equal(dtmfEventCode('!'), 16);
  assert.equal(dtmfEventCode('E'), undefined);
  assert.equal(dtmfEventCode('12'), undefined);
  assert.equal(dtmfKey(16), '!');
  assert.equal(dtmfKey(11), '#');
  assert.equal(dtmfKey(17), undefined);
  assert.equal(dtmfKey(-1), undefined);
});

test('sender reproduces every packet of Table 5 ("911": M bit, timestamp, sequence, duration, E bit)', () => {
  const sender = new TelephoneEventSender({ clockRate: 8000, volume: 20 });
  const sent: Row[] = [];
  let seq = 1;
  const tickAt = (t: number): void => {
    for (const f of sender.tick(t)) {
      sent.push({ timeMs: t, marker: f.marker, timestamp: f.timestamp, seq: seq++, event: f.payload.event, duration: f.payload.duration, end: f.payload.end });
    }
  };
  // [event, start ms, end ms]; the sender ticks every 50 ms from the event start, and a release
  // that coincides with a tick is seen after that tick's packet (as in the RFC table).
  for (const [event, start, end] of [[9, 0, 200], [1, 880, 1130], [1, 1400, 1620]] as const) {
    sender.start(event, start * 8, start);
    for (let t = start + 50; sender.busy; t += 50) {
      if (t > end) sender.stop(end);
      tickAt(t);
      if (t === end) sender.stop(end);
    }
  }
  assert.deepEqual(sent, table5());
});

test('sender with a fixed duration sends E on all three final packets, same timestamp and duration', () => {
  const s = new TelephoneEventSender();
  s.start(5, 1000, 0, 120);
  const frames = [50, 100, 150, 200, 250].flatMap((t) => s.tick(t));
  assert.deepEqual(frames.map((f) => [f.marker, f.timestamp, f.payload.duration, f.payload.end]), [
    [true, 1000, 400, false], [false, 1000, 800, false], [false, 1000, 960, true], [false, 1000, 960, true], [false, 1000, 960, true],
  ]);
  assert.equal(s.busy, false);
  assert.deepEqual(s.tick(300), []);
});

test('sender splits a long event into 0xFFFF segments (§2.5.1.3): no E, no M, timestamp moves by 0xFFFF', () => {
  const s = new TelephoneEventSender({ maxSegmentDuration: 0xffff });
  s.start(16, 0xfffff000, 0); // flash, with the timestamp wrapping during the event
  const frames = [];
  for (let t = 50; s.busy; t += 50) {
    if (t === 9000) s.stop(t);
    frames.push(...s.tick(t).map((f) => ({ t, ...f })));
  }
  const segmentEnds = frames.filter((f) => f.payload.duration === 0xffff);
  assert.equal(segmentEnds.length, 3, 'segment final report sent three times');
  assert.ok(segmentEnds.every((f) => !f.payload.end && !f.marker && f.timestamp === 0xfffff000));
  const second = frames.filter((f) => f.timestamp === ((0xfffff000 + 0xffff) >>> 0));
  assert.ok(second.length > 0 && second.every((f) => !f.marker));
  const finals = frames.filter((f) => f.payload.end);
  assert.equal(finals.length, 3);
  assert.equal(finals[0]!.payload.duration, 9000 * 8 - 0xffff);
  assert.equal(frames.filter((f) => f.marker).length, 1);
});

function receiveAll(rx: TelephoneEventReceiver, rows: Row[], t0 = 0): TelephoneEventNotice[] {
  const out: TelephoneEventNotice[] = [];
  rows.forEach((r) => {
    out.push(...rx.tick(t0 + r.timeMs), ...rx.receive(r.timestamp, r.marker, { event: r.event, end: r.end, volume: 20, duration: r.duration }, t0 + r.timeMs));
  });
  return out;
}

const digits = (notices: TelephoneEventNotice[]): string[] => notices.filter((n) => n.type === 'begin').map((n) => `${n.event}@${n.timestamp}`);

test('receiver reports Table 5 as exactly three digits 9, 1, 1 with their durations', () => {
  const notices = receiveAll(new TelephoneEventReceiver(), table5());
  assert.deepEqual(digits(notices), ['9@0', '1@7040', '1@11200']);
  assert.deepEqual(notices.filter((n) => n.type === 'end').map((n) => n.type === 'end' && [n.event, n.duration, n.reason]), [
    [9, 1600, 'end-bit'], [1, 2000, 'end-bit'], [1, 1760, 'end-bit'],
  ]);
});

test('receiver: duplicated and reordered packets still give each digit once', () => {
  const rows = table5();
  const messy: Row[] = [];
  for (const r of rows) messy.push(r, r); // every packet twice
  // swap neighbours within each event (reordering), and replay an old packet late
  for (let i = 0; i + 3 < messy.length; i += 4) [messy[i], messy[i + 2]] = [messy[i + 2]!, messy[i]!];
  messy.push(rows[0]!, rows[8]!);
  const notices = receiveAll(new TelephoneEventReceiver(), messy.map((r, i) => ({ ...r, timeMs: i * 10 })));
  assert.deepEqual(digits(notices), ['9@0', '1@7040', '1@11200']);
  assert.equal(notices.filter((n) => n.type === 'end').length, 3);
});

test('receiver: lost end packets end the event on timeout or on the next event', () => {
  const rows = table5().filter((r) => !r.end && !(r.seq === 4 || r.seq === 11));
  const rx = new TelephoneEventReceiver({ timeoutMs: 200 });
  const notices = receiveAll(rx, rows);
  notices.push(...rx.tick(1600 + 199));
  assert.equal(notices.filter((n) => n.type === 'end').length, 2);
  notices.push(...rx.tick(1600 + 200));
  const ends = notices.filter((n) => n.type === 'end');
  assert.deepEqual(ends.map((n) => n.type === 'end' && [n.event, n.timestamp, n.duration, n.reason]), [
    [9, 0, 1200, 'timeout'], [1, 7040, 1600, 'timeout'], [1, 11200, 1600, 'timeout'],
  ]);
  assert.deepEqual(digits(notices), ['9@0', '1@7040', '1@11200']);
  assert.deepEqual(rx.tick(5000), []);
});

test('receiver: a lost first packet (no M bit) still reports the digit; next event ends the previous', () => {
  const rx = new TelephoneEventReceiver();
  const n1 = rx.receive(100, false, { event: 3, end: false, volume: 10, duration: 800 }, 0);
  const n2 = rx.receive(2000, true, { event: 16, end: false, volume: 10, duration: 400 }, 50);
  assert.deepEqual([...n1, ...n2], [
    { type: 'begin', event: 3, timestamp: 100 },
    { type: 'end', event: 3, timestamp: 100, duration: 800, reason: 'next-event' },
    { type: 'begin', event: 16, timestamp: 2000 },
  ]);
});

test('receiver joins the segments of a long event from the sender into one digit', () => {
  const s = new TelephoneEventSender();
  const rx = new TelephoneEventReceiver();
  s.start(0, 0xfffff000, 0);
  const notices: TelephoneEventNotice[] = [];
  for (let t = 50; s.busy; t += 50) {
    if (t === 20000) s.stop(t);
    for (const f of s.tick(t)) notices.push(...rx.receive(f.timestamp, f.marker, f.payload, t));
  }
  assert.deepEqual(notices, [
    { type: 'begin', event: 0, timestamp: 0xfffff000 },
    { type: 'end', event: 0, timestamp: 0xfffff000, duration: 20000 * 8, reason: 'end-bit' },
  ]);
});
