// Handset (the library on real sockets) against scripted sipp peers: hold/INFO/UPDATE as callee,
// 183 + PRACK + INFO DTMF + hold as caller, the CANCEL/200 race, 302 forwarding, scanner defense.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { runSipp, startSippUas } from '../../support/peers/sipp.js';
import { startPhone, sendDtmf, setHold, type Call, type CallEnd, type Phone } from '../../../src/phone/index.js';
import { uacHoldInfoUpdate, uacOfferless, uacScanner, uas183PrackInfoHold, uasCancelRace, uasGlare491, uasRedirect, uacRequire100rel } from './sipp-call-scenarios.js';
import { sleep } from '../../support/wait.js';

const skip = skipUnless('sipp');

const addressOf = (p: Phone): string => `127.0.0.1:${p.options.stack.localAddress('udp').port}`;
const ended = (c: Call): Promise<CallEnd> => c.whenEnded();

async function phoneFor(t: { after(fn: () => unknown): void }, account?: NonNullable<Parameters<typeof startPhone>[0]>['account']): Promise<Phone> {
  const phone = await startPhone(account ? { account } : {});
  t.after(() => phone.close());
  return phone;
}

test('sipp calls handset: hold re-INVITE answered recvonly, INFO DTMF reported, UPDATE resumes, BYE', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const events: string[] = [];
  phone.on('incoming', (call) => {
    call.on('held', (h) => events.push(`held local=${h.local} remote=${h.remote}`));
    call.on('dtmf', (d) => events.push(`dtmf ${d.digit} ${d.via}`));
    call.answer();
  });
  const r = await runSipp({ t, scenario: { xml: uacHoldInfoUpdate }, remote: addressOf(phone), service: 'handset', timeoutS: 20 });
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const answers = r.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200'));
  const toHold = answers.find((m) => /CSeq: 2 INVITE/.test(m.text))!;
  assert.match(toHold.text, /a=recvonly/, 'held: our answer is recvonly (RFC 6337)');
  const toUpdate = answers.find((m) => /CSeq: 4 UPDATE/.test(m.text))!;
  assert.match(toUpdate.text, /a=sendrecv/);
  assert.deepEqual(events, ['held local=false remote=true', 'dtmf 5 info', 'held local=false remote=false']);
  assert.equal(phone.history.rows[0]?.reason, 'remote-bye');
});

test('handset calls sipp: reliable 183 with SDP → PRACK, early media, 200, INFO DTMF, hold sendonly, BYE', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const uas = await startSippUas({ xml: uas183PrackInfoHold }, { t, calls: 1, timeoutS: 20 });
  const call = (await phone.dial(uas.uri('sipp'))) as Call;
  const ringing = new Promise<{ status: number; earlyMedia: boolean }>((r) => call.once('ringing', r));
  const media = new Promise<{ codec: string }>((r) => call.once('media', r));
  await new Promise<void>((r) => call.once('answered', r));
  assert.deepEqual(await ringing, { status: 183, earlyMedia: true });
  assert.equal((await media).codec, 'PCMU');
  assert.equal(sendDtmf(call, phone.options.clock, '7', 'info'), 'info');
  await sleep(300);
  const held = new Promise((r) => call.once('held', r));
  assert.equal(setHold(call, true), true);
  assert.deepEqual(await held, { local: true, remote: false });
  assert.equal(call.media?.negotiated?.direction, 'sendonly');
  call.hangup();
  assert.equal((await ended(call)).reason, 'local-bye');
  const r = await uas.done;
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const sent = r.messages.filter((m) => m.direction === 'received');
  const prack = sent.find((m) => m.firstLine.startsWith('PRACK'))!;
  assert.match(prack.text, /RAck: 1 1 INVITE/i);
  const info = sent.find((m) => m.firstLine.startsWith('INFO'))!;
  assert.match(info.text, /Content-Type: application\/dtmf-relay/i);
  assert.match(info.text, /Signal=7/);
  const hold = sent.filter((m) => m.firstLine.startsWith('INVITE'))[1]!;
  assert.match(hold.text, /a=sendonly/);
});

test('CANCEL race: a 200 that crosses our CANCEL is ACKed and BYEd; the call ends cancelled, not answered', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const uas = await startSippUas({ xml: uasCancelRace }, { t, calls: 1, timeoutS: 20 });
  const call = (await phone.dial(uas.uri('sipp'))) as Call;
  call.once('ringing', () => call.hangup());
  const end = await ended(call);
  assert.equal(end.answered, false);
  const r = await uas.done;
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const got = r.messages.filter((m) => m.direction === 'received').map((m) => m.firstLine.split(' ')[0]);
  assert.deepEqual(got, ['INVITE', 'CANCEL', 'ACK', 'BYE']);
});

test('302 forwarding: the redirect is followed to the second sipp, which answers', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const target = await startSippUas({ builtin: 'uas' }, { t, calls: 1, timeoutS: 20 });
  const first = await startSippUas({ xml: uasRedirect }, { t, calls: 1, timeoutS: 20, keys: { target: target.uri('carol') } });
  const call = (await phone.dial(first.uri('bob'))) as Call;
  await new Promise<void>((r) => call.once('answered', r));
  assert.equal(call.redirects, 1);
  await sleep(300);
  call.hangup();
  await ended(call);
  assert.equal((await first.done).exitCode, 0);
  assert.equal((await target.done).exitCode, 0);
});

test('scanner defense: an INVITE from outside the account proxy gets 403, no ring, no history', { skip, timeout: 60_000 }, async (t) => {
  // The account's proxy is 127.0.0.2: sipp on 127.0.0.1 is a stranger.
  const phone = await phoneFor(t, { aor: 'sip:alice@127.0.0.2', proxy: 'sip:127.0.0.2:5999' });
  let rang = false;
  phone.on('incoming', () => (rang = true));
  const r = await runSipp({ t, scenario: { xml: uacScanner }, remote: addressOf(phone), service: 'alice', timeoutS: 10 });
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  assert.equal(rang, false);
  assert.equal(phone.history.rows.length, 0);
});

test('491 on our hold re-INVITE: retried after the RFC 3261 §14.1 back-off, then held', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const uas = await startSippUas({ xml: uasGlare491 }, { t, calls: 1, timeoutS: 20 });
  const call = (await phone.dial(uas.uri('sipp'))) as Call;
  await new Promise<void>((r) => call.once('answered', r));
  const held = new Promise((r) => call.once('held', r));
  const started = Date.now();
  assert.equal(setHold(call, true), true);
  assert.deepEqual(await held, { local: true, remote: false });
  const waited = Date.now() - started;
  // We own the Call-ID: 2.1 to 4 s (§14.1).
  assert.ok(waited >= 2000 && waited < 5000, `retry after ${waited} ms`);
  call.hangup();
  const r = await uas.done;
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const invites = r.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE'));
  assert.equal(invites.length, 3);
  assert.match(invites[2]!.text, /a=sendonly/);
});

test('offerless INVITE from sipp: our offer in the 200, its answer in the ACK, call up', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t);
  const answered: Call[] = [];
  phone.on('incoming', (call) => {
    call.once('answered', () => answered.push(call));
    call.answer();
  });
  const r = await runSipp({ t, scenario: { xml: uacOfferless }, remote: addressOf(phone), service: 'handset', timeoutS: 20 });
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const ok = r.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && /CSeq: 1 INVITE/.test(m.text))!;
  assert.match(ok.text, /m=audio \d+ RTP\/AVP 0 8 101/);
  assert.equal(answered.length, 1);
  assert.equal(answered[0]!.media?.negotiated?.send.encoding, 'PCMU');
  assert.equal(phone.history.rows[0]?.reason, 'remote-bye');
});

test('PRACK as callee: sipp requires 100rel, our 183 with ringback SDP is reliable, the 200 follows its PRACK without SDP', { skip, timeout: 60_000 }, async (t) => {
  const phone = await phoneFor(t, { aor: 'sip:handset@127.0.0.1', directCalls: true, earlyMediaRingback: true, autoAnswerMs: 500 });
  const r = await runSipp({ t, scenario: { xml: uacRequire100rel }, remote: addressOf(phone), service: 'handset', timeoutS: 20 });
  assert.equal(r.exitCode, 0, r.errors || r.stdout);
  const got = r.messages.filter((m) => m.direction === 'received');
  const p183 = got.find((m) => m.firstLine.startsWith('SIP/2.0 183'))!;
  assert.match(p183.text, /Require: 100rel/i);
  assert.match(p183.text, /RSeq: \d+/i);
  assert.match(p183.text, /m=audio /);
  const ok = got.find((m) => m.firstLine.startsWith('SIP/2.0 200') && /CSeq: 1 INVITE/.test(m.text))!;
  assert.doesNotMatch(ok.text, /m=audio/, 'offer/answer finished in the reliable 183 (RFC 3262 §5)');
  assert.equal(phone.history.rows[0]?.reason, 'remote-bye');
});
