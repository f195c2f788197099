// Handset against scripted sipp peers, more of issue 5's list: the RFC 4028 session-timer
// refresh as caller, RFC 4733 DTMF packets checked on the wire, and an incoming INVITE with
// Replaces (RFC 3891) that takes over a call. Scenarios: test/fixtures/peers/sipp/*.xml.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { runSipp, sippFixture, startSippUas } from '../../support/peers/sipp.js';
import { sendDtmf, startPhone, type Call, type Phone } from '../../../src/phone/index.js';
import { sleep } from '../../support/wait.js';

const skip = skipUnless('sipp');
const addressOf = (p: Phone): string => `127.0.0.1:${p.options.stack.localAddress('udp').port}`;
const answered = (c: Call): Promise<void> => new Promise((r) => (c.state === 'active' ? r() : c.once('answered', () => r())));

/** Polls `cond` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(20)) if (cond()) return true;
  return cond();
}

test('session timer: sipp answers Session-Expires 90;refresher=uac, we refresh with UPDATE at about 45 s', { skip, timeout: 75_000 }, async (t) => {
  // No RTP comes back from this sipp: the RTP inactivity timer must not end the call first.
  const phone = await startPhone({ rtpTimeoutMs: 0 });
  t.after(() => phone.close());
  const uas = await startSippUas({ file: sippFixture('session-timer-uas.xml') }, { t, calls: 1, timeoutS: 70 });
  const call = (await phone.dial(uas.uri('sipp'))) as Call;
  const timers: Array<{ intervalS: number; weRefresh: boolean; at: number }> = [];
  call.session.on((e) => {
    if (e.type === 'session-timer') timers.push({ intervalS: e.intervalS, weRefresh: e.weRefresh, at: Date.now() });
  });
  await answered(call);
  // The 2xx of the refresh renews the interval: a second 'session-timer' event.
  assert.ok(await waitFor(() => timers.length >= 2, 55_000), `refresh done: ${JSON.stringify(timers)}`);
  call.hangup();
  assert.equal((await call.whenEnded()).reason, 'local-bye');
  const r = await uas.done;
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  assert.deepEqual(timers.map((x) => [x.intervalS, x.weRefresh]), [[90, true], [90, true]]);
  const invite = r.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE'))!;
  assert.match(invite.text, /^Supported:[^\r]*\btimer\b/im);
  const ok = r.messages.find((m) => m.direction === 'sent' && m.firstLine.startsWith('SIP/2.0 200') && /CSeq: *1 INVITE/i.test(m.text))!;
  const update = r.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('UPDATE'))!;
  assert.ok(update, 'an UPDATE refresh reached sipp');
  // RFC 4028 §10: the refresher refreshes at half the interval (45 s after the 2xx).
  const afterS = (update.timeMs - ok.timeMs) / 1000;
  assert.ok(afterS >= 40 && afterS <= 50, `refresh ${afterS.toFixed(2)} s after the 200`);
  assert.match(update.text, /^Session-Expires: *90;refresher=uac/im, 'the refresh keeps the interval and our refresher role');
  assert.doesNotMatch(update.text, /^Content-Type:/im, 'a refresh UPDATE carries no SDP');
  const bye = r.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('BYE'));
  assert.ok(bye, 'we hung up with BYE');
  t.diagnostic(`refresh UPDATE ${afterS.toFixed(2)} s after the 200`);
});

interface RtpPacket {
  marker: boolean;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
}

/** RFC 3550 §5.1 fixed header (+ CSRCs and extension); undefined for anything shorter or not version 2. */
function parseRtp(b: Buffer): RtpPacket | undefined {
  if (b.length < 12 || b[0]! >> 6 !== 2) return undefined;
  let off = 12 + (b[0]! & 0x0f) * 4;
  if (b[0]! & 0x10) {
    if (b.length < off + 4) return undefined;
    off += 4 + b.readUInt16BE(off + 2) * 4;
  }
  let end = b.length;
  if (b[0]! & 0x20) end -= b[b.length - 1]!;
  if (off > end) return undefined;
  return { marker: (b[1]! & 0x80) !== 0, pt: b[1]! & 0x7f, seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(off, end) };
}

const TE_PT = 101;
const summary = (ps: RtpPacket[]): string =>
  ps.map((p) => `${p.seq}/${p.ts}/${p.payload[0]}${p.marker ? 'M' : ''}${(p.payload[1]! & 0x80) !== 0 ? 'E' : ''}:${p.payload.readUInt16BE(2)}`).join(' ');

/**
 * Handset calls sipp and sends "12#" by RFC 4733; a plain UDP socket stands in as sipp's media
 * port (sipp's SDP answer points there) and collects the RTP. Returns the packets and the
 * telephone-event packets grouped by RTP timestamp (one event per timestamp, §2.5.1.1).
 */
async function captureDtmf(t: TestContext): Promise<{ packets: RtpPacket[]; groups: RtpPacket[][] }> {
  const media = createSocket('udp4');
  const packets: RtpPacket[] = [];
  media.on('message', (b) => {
    const p = parseRtp(b);
    if (p) packets.push(p);
  });
  await new Promise<void>((r) => media.bind(0, '127.0.0.1', r));
  t.after(() => media.close());
  const phone = await startPhone();
  t.after(() => phone.close());
  const uas = await startSippUas({ file: sippFixture('dtmf-uas.xml') }, { t, calls: 1, timeoutS: 30, keys: { rtp_port: media.address().port, te_pt: TE_PT } });
  const call = (await phone.dial(uas.uri('sipp'))) as Call;
  await answered(call);
  // Some audio first, so the events are seen after ordinary RTP from the same stream.
  assert.ok(await waitFor(() => packets.some((p) => p.pt === 0), 3000), 'PCMU audio arrives');
  assert.equal(sendDtmf(call, phone.options.clock, '12#'), 'rfc4733');
  const events = () => packets.filter((p) => p.pt === TE_PT);
  // Three digits, each ending with E packets (then 200 ms for the last retransmissions).
  const endedEvents = () => new Set(events().filter((p) => p.payload.length >= 4 && (p.payload[1]! & 0x80) !== 0).map((p) => p.ts)).size;
  assert.ok(await waitFor(() => endedEvents() >= 3, 5000), `three ended events: ${summary(events())}`);
  await sleep(200);
  call.hangup();
  await call.whenEnded();
  const r = await uas.done;
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const offer = r.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE'))!;
  assert.match(offer.text, new RegExp(`^a=rtpmap:${TE_PT} telephone-event/8000`, 'im'), 'the PT we decode is the one offered and answered');
  const byTs = new Map<number, RtpPacket[]>();
  for (const p of events()) byTs.set(p.ts, [...(byTs.get(p.ts) ?? []), p]);
  t.diagnostic(summary(events()));
  return { packets, groups: [...byTs.values()] };
}

test('RFC 4733 DTMF "12#" to sipp: telephone-event packets seen on the wire follow §2.5', { skip, timeout: 60_000 }, async (t) => {
  const { packets, groups } = await captureDtmf(t);
  assert.equal(new Set(packets.map((p) => p.ssrc)).size, 1, 'audio and events share one SSRC');
  assert.deepEqual(groups.map((g) => g[0]!.payload[0]), [1, 2, 11], 'events 1, 2, # (11) in order, one timestamp each');
  for (const g of groups) {
    const code = g[0]!.payload[0];
    const shape = `event ${code}: ${summary(g)}`;
    assert.ok(g.every((p) => p.payload.length === 4 && p.payload[0] === code), `${shape}: one event per timestamp, 4-byte payloads`);
    assert.equal(g[0]!.marker, true, `${shape}: marker on the first packet (§2.5.1.2)`);
    assert.ok(g.slice(1).every((p) => !p.marker), `${shape}: marker only on the first packet`);
    const ended = g.map((p) => (p.payload[1]! & 0x80) !== 0);
    const firstEnd = ended.indexOf(true);
    const durations = g.map((p) => p.payload.readUInt16BE(2));
    assert.ok(firstEnd > 0 && ended.slice(firstEnd).every(Boolean), `${shape}: updates, then nothing but E packets`);
    // §2.5.1.4: the final report goes out three times with one duration. As in RFC 4733 Table 5,
    // an update sent with the final duration just as the key ended counts as the first copy: then
    // only two copies carry E.
    const finals = durations.slice(-3);
    assert.ok(finals.every((d) => d === finals[0]), `${shape}: the final report repeats one duration`);
    const eCount = g.length - firstEnd;
    assert.ok(eCount === 3 || (eCount === 2 && durations[firstEnd - 1] === durations[firstEnd]), `${shape}: three final copies (§2.5.1.4, Table 5)`);
    const updates = durations.slice(0, g.length - 2);
    for (let i = 1; i < updates.length; i++) assert.ok(updates[i]! > updates[i - 1]!, `${shape}: durations grow until the final report`);
    // 100 ms per digit at 8 kHz: about 800 timestamp units.
    assert.ok(finals[0]! >= 640 && finals[0]! <= 1200, `${shape}: final duration about 800 units`);
    assert.ok(g.every((p, i) => i === 0 || ((p.seq - g[i - 1]!.seq) & 0xffff) === 1), `${shape}: consecutive sequence numbers`);
  }
  // The events sit in the stream's timeline: later digits start at later timestamps.
  const step = (a: RtpPacket[], b: RtpPacket[]): number => (b[0]!.ts - a[0]!.ts) >>> 0;
  assert.ok(step(groups[0]!, groups[1]!) > 0 && step(groups[0]!, groups[1]!) < 0x80000000, 'timestamps advance between events');
  assert.ok(step(groups[1]!, groups[2]!) > 0 && step(groups[1]!, groups[2]!) < 0x80000000, 'timestamps advance between events');
});

test('RFC 4733 §2.3.5: no event report with duration 0 (only states may carry it)', { skip, timeout: 60_000 }, async (t) => {
  const { groups } = await captureDtmf(t);
  assert.equal(groups.length, 3);
  for (const g of groups) assert.ok(g.every((p) => p.payload.readUInt16BE(2) > 0), `event ${g[0]!.payload[0]}: ${summary(g)}`);
});

test('INVITE with Replaces from a second sipp takes over the first sipp call; the old dialog gets a BYE', { skip, timeout: 60_000 }, async (t) => {
  const phone = await startPhone({ rtpTimeoutMs: 0 });
  t.after(() => phone.close());
  const incoming: Call[] = [];
  phone.on('incoming', (c) => {
    incoming.push(c);
    if (c.state === 'ringing') c.answer();
  });
  const dir = makeTempDir('replaces-ids');
  t.after(() => removeTempDir(dir));
  const idFile = join(dir, 'dialog.txt');
  const first = await startSippUas({ file: sippFixture('replaces-first-uac.xml') }, { t, remote: addressOf(phone), service: 'handset', calls: 1, timeoutS: 20, keys: { idfile: idFile } });
  // sipp's exec writes the line with a shell redirection: wait for the whole line.
  const ids = (): string => (existsSync(idFile) ? readFileSync(idFile, 'utf8') : '');
  assert.ok(await waitFor(() => ids().endsWith('\n'), 10_000), 'the first sipp call is up and wrote its dialog ids');
  const [callId, toTag, fromTag] = ids().trim().split(/\s+/);
  assert.ok(callId && toTag && fromTag, `dialog ids: ${ids()}`);
  assert.equal(incoming.length, 1);
  const old = incoming[0]!;
  await answered(old);
  // RFC 3891 §6.1: to-tag is the recipient's (our) tag, from-tag the other party's.
  const replaces = `${callId};to-tag=${toTag};from-tag=${fromTag}`;
  const second = await runSipp({ t, scenario: { file: sippFixture('replaces-second-uac.xml') }, remote: addressOf(phone), service: 'handset', timeoutS: 20, keys: { replaces } });
  assert.equal(second.exitCode, 0, second.errors || second.stdout);
  const r1 = await first.done;
  assert.equal(r1.exitCode, 0, r1.errors || r1.stdout);
  const bye = r1.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('BYE'));
  assert.ok(bye, 'the replaced dialog got a BYE');
  assert.match(bye.text, new RegExp(`^Call-ID: *${callId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'im'));
  const ok2 = second.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && /CSeq: *1 INVITE/i.test(m.text));
  assert.ok(ok2 && /m=audio \d+ RTP\/AVP/.test(ok2.text), 'the INVITE with Replaces was answered with SDP');
  // The BYE to the old dialog comes after the new call was answered (RFC 3891 §3).
  assert.ok(bye.timeMs >= ok2.timeMs - 1, 'BYE after the 200 of the replacing INVITE');
  assert.equal((await old.whenEnded()).reason, 'replaced');
  assert.equal(incoming.length, 2);
  assert.equal(incoming[1]!.session.replaces, old.session);
  assert.equal((await incoming[1]!.whenEnded()).reason, 'remote-bye');
});
