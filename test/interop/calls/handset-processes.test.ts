// Three Handsets, each a Phone in its own process (test/support/phone-process.ts), registered at
// kamailio (alice and carol over UDP, bob over TCP) and calling each other through it. Each plays
// its own tone (alice 500 Hz, bob 1200 Hz, carol 2000 Hz); audio is checked in each process on
// what its calls received. The phone's features across processes: digest on INVITE, two-way
// audio, session timers, hold/resume (re-INVITE and UPDATE), 491 glare, DTMF (RFC 4733, INFO both
// types, hook flash, in-band), codec change, a 3-way conference where every party hears the other
// two, blind and attended transfer, REFER refused by policy, call waiting, DND, forwarding (302
// always / no answer, loop limit), reject, CANCEL, busy, 183 ringback with PRACK, mute,
// recording, scanner defense, header auto-answer, a direct SRTP call, RTP inactivity, history.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { detectTone, parseWav } from '../../../src/media/index.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { startPhoneProcess, type PhoneProcess, type PhoneProcessConfig, type PhoneProcessEvent } from '../../support/phone-process.js';
import { connect, dialId, digits, expectHears, hangupAll, onCall, pickDtmf, pickFields, pickHeld, rawSip, sleep, type RawSip } from '../../support/phone-process-checks.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');
const TONE = { alice: 500, bob: 1200, carol: 2000 } as const;
type Name = keyof typeof TONE;

test('Handset processes through kamailio: every call feature across processes', { skip, timeout: 120_000 }, async (t) => {
  const k = await startKamailio({ t });
  const names: Name[] = ['alice', 'bob', 'carol'];
  const started = await Promise.all(names.map((name, i) => {
    const u = k.users[i]!;
    // bob registers and talks to kamailio over TCP, the others over UDP.
    const proxy = k.proxyUri(name === 'bob' ? 'tcp' : 'udp');
    const config: PhoneProcessConfig = { account: { aor: `sip:${u.user}@${k.domain}`, password: u.password, proxy, autoAnswerMs: 0 }, toneHz: TONE[name] };
    // carol sends her 1xx reliably and requires 100rel of the phones she calls (RFC 3262),
    // detects digits sent as audio, and ends a call after 3 s without RTP.
    // She offers SDES-SRTP and takes it when offered (srtp optional).
    if (name === 'carol') Object.assign(config, { prack: 'required', inbandDtmf: true, rtpTimeoutMs: 3000, srtp: 'optional' });
    return startPhoneProcess(name, config, t);
  }));
  const [alice, bob, carol] = started as [PhoneProcess, PhoneProcess, PhoneProcess];
  const all = [alice, bob, carol];
  assert.equal(new Set(all.map((p) => p.pid)).size, 3, 'three processes');
  const registers = (p: PhoneProcess) => p.events.filter((e) => e.event === 'sip' && e['line'] === 'REGISTER').map((e) => e['transport']);
  assert.deepEqual([...new Set(registers(alice)), ...new Set(registers(bob))], ['udp', 'tcp'], 'alice registers over UDP, bob over TCP');
  // Timer H (RFC 3261 §13.3.1.4): eve, a phone with no account, answers an INVITE whose ACK never
  // comes; 64*T1 = 32 s later the call ends with no-ack. It runs beside everything else.
  const eve = await startPhoneProcess('eve', { toneHz: 300 }, t);
  const noAck = await rawSip('127.0.0.1');
  t.after(() => noAck.close());
  const e0 = eve.mark();
  const offer = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
  const eveUri = `sip:eve@127.0.0.1:${eve.sip.port!}`;
  noAck.send(eve.sip.port!, [
    `INVITE ${eveUri} SIP/2.0`, `Via: SIP/2.0/UDP ${noAck.me};branch=z9hG4bK-noack-${Date.now()}`, 'Max-Forwards: 70',
    `From: <sip:ghost@${noAck.me}>;tag=g1`, `To: <${eveUri}>`, `Call-ID: noack-${Date.now()}@127.0.0.1`, 'CSeq: 1 INVITE',
    `Contact: <sip:ghost@${noAck.me}>`, 'Content-Type: application/sdp',
  ], offer);
  const ghost = (await eve.waitFor('incoming', { since: e0 })).call!;
  await eve.command('answer', ghost);
  const ghostAnsweredAt = Date.now();

  const sub = (name: string, fn: (t: TestContext) => Promise<void>) => t.test(name, async (st) => {
    try {
      await fn(st);
    } finally {
      await hangupAll(all);
    }
  });

  await sub('call with two-way audio, hold/resume, DTMF, media change', async (st) => {
    const [a0, b0] = [alice.mark(), bob.mark()];
    const ab = await connect(alice, bob, 'bob');
    await expectHears(alice, [TONE.bob], [TONE.alice]);
    await expectHears(bob, [TONE.alice], [TONE.bob]);
    // kamailio challenged the INVITE (407) and the digest retry went through.
    const sipLines = alice.events.slice(a0).filter((e) => e.event === 'sip').map((e) => `${String(e['direction'])} ${String(e['line']).split(' ')[0]!} ${String(e['cseq'])}`);
    assert.deepEqual(sipLines.slice(0, 4), ['out INVITE 1 INVITE', 'in 407 1 INVITE', 'out ACK 1 ACK', 'out INVITE 2 INVITE']);
    // RFC 4028: both ends agree on the interval, exactly one refreshes.
    const timers = [await alice.waitFor('session-timer', { since: a0, pred: onCall(ab.out) }), await bob.waitFor('session-timer', { since: b0, pred: onCall(ab.in) })];
    assert.equal(timers[0]!['intervalS'], timers[1]!['intervalS']);
    assert.equal(timers.filter((x) => x['weRefresh'] === true).length, 1, JSON.stringify(timers));

    await st.test('hold and resume by re-INVITE (alice holds bob)', async () => {
      const [a0, b0] = [alice.mark(), bob.mark()];
      await alice.command('hold', ab.out);
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a0 })), { local: true, remote: false });
      assert.deepEqual(pickHeld(await bob.waitFor('held', { since: b0 })), { local: false, remote: true });
      assert.equal((await bob.waitFor('offer-answer', { since: b0 }))['method'], 'INVITE');
      await expectHears(alice, [], [TONE.bob]);
      const [a1, b1] = [alice.mark(), bob.mark()];
      await alice.command('resume', ab.out);
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a1 })), { local: false, remote: false });
      assert.deepEqual(pickHeld(await bob.waitFor('held', { since: b1 })), { local: false, remote: false });
      await expectHears(alice, [TONE.bob]);
      await expectHears(bob, [TONE.alice]);
    });

    await st.test('hold and resume by UPDATE (bob holds alice)', async () => {
      const [a0, b0] = [alice.mark(), bob.mark()];
      assert.equal(await bob.request({ op: 'hold', hold: true, method: 'UPDATE', call: ab.in }), true);
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a0 })), { local: false, remote: true });
      assert.deepEqual(pickHeld(await bob.waitFor('held', { since: b0 })), { local: true, remote: false });
      assert.equal((await alice.waitFor('offer-answer', { since: a0 }))['method'], 'UPDATE');
      await expectHears(bob, [], [TONE.alice]);
      const a1 = alice.mark();
      assert.equal(await bob.request({ op: 'hold', hold: false, method: 'UPDATE', call: ab.in }), true);
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a1 })), { local: false, remote: false });
      await expectHears(bob, [TONE.alice]);
    });

    await st.test('DTMF: RFC 4733 both ways, INFO (dtmf-relay and dtmf), hook flash', async () => {
      const [a0, b0] = [alice.mark(), bob.mark()];
      assert.equal(await alice.request({ op: 'dtmf', digits: '1#', mode: 'rfc4733', call: ab.out }), 'rfc4733');
      assert.equal(await bob.request({ op: 'dtmf', digits: '7', mode: 'rfc4733', call: ab.in }), 'rfc4733');
      await bob.waitFor('dtmf', { since: b0, pred: (e) => e['digit'] === '#' });
      await alice.waitFor('dtmf', { since: a0, pred: (e) => e['digit'] === '7' });
      assert.deepEqual(digits(bob, b0), ['1/rfc4733', '#/rfc4733']);
      assert.deepEqual(digits(alice, a0), ['7/rfc4733']);
      const [a1, b1] = [alice.mark(), bob.mark()];
      assert.equal(await bob.request({ op: 'dtmf', digits: '9*', mode: 'info', call: ab.in }), 'info');
      assert.equal(await alice.request({ op: 'dtmf', digits: '4', mode: 'info-dtmf', call: ab.out }), 'info');
      await alice.waitFor('dtmf', { since: a1, pred: (e) => e['digit'] === '*' });
      await bob.waitFor('dtmf', { since: b1, pred: (e) => e['digit'] === '4' });
      assert.deepEqual(digits(alice, a1), ['9/info', '*/info']);
      assert.deepEqual(digits(bob, b1), ['4/info']);
      const b2 = bob.mark();
      assert.equal(await alice.request({ op: 'flash', mode: 'info', call: ab.out }), 'info');
      assert.equal((await bob.waitFor('dtmf', { since: b2 }))['digit'], 'hf');
      const b3 = bob.mark();
      assert.equal(await alice.request({ op: 'flash', mode: 'rfc4733', call: ab.out }), 'rfc4733');
      assert.deepEqual(pickDtmf(await bob.waitFor('dtmf', { since: b3 })), { digit: '!', via: 'rfc4733' });
    });

    await st.test('media change: re-INVITE to PCMA, UPDATE back to PCMU, audio after each', async () => {
      const [a0, b0] = [alice.mark(), bob.mark()];
      assert.equal(await alice.request({ op: 'reoffer', method: 'INVITE', codecs: ['PCMA'], call: ab.out }), true);
      assert.equal(String((await alice.waitFor('media', { since: a0, pred: (e) => e['codec'] === 'PCMA' }))['direction']), 'sendrecv');
      await bob.waitFor('media', { since: b0, pred: (e) => e['codec'] === 'PCMA' });
      assert.equal((await bob.waitFor('offer-answer', { since: b0 }))['method'], 'INVITE');
      await expectHears(alice, [TONE.bob]);
      await expectHears(bob, [TONE.alice]);
      const [a1, b1] = [alice.mark(), bob.mark()];
      assert.equal(await bob.request({ op: 'reoffer', method: 'UPDATE', codecs: ['PCMU'], call: ab.in }), true);
      await bob.waitFor('media', { since: b1, pred: (e) => e['codec'] === 'PCMU' });
      await alice.waitFor('media', { since: a1, pred: (e) => e['codec'] === 'PCMU' });
      assert.equal((await alice.waitFor('offer-answer', { since: a1 }))['method'], 'UPDATE');
      await expectHears(alice, [TONE.bob]);
      await expectHears(bob, [TONE.alice]);
    });

    await st.test('glare: both hold at once; 491 and retry (RFC 3261 §14.1) end with both held', async (gt) => {
      const [a1, b1] = [alice.mark(), bob.mark()];
      // When one offer lands before the other leaves, that side may not offer until the exchange
      // is over (§14.1: no re-INVITE while another INVITE transaction is in progress): it tries again.
      const hold = async (p: PhoneProcess, call: string): Promise<void> => {
        for (let i = 0; i < 50 && !(await p.request<boolean>({ op: 'hold', hold: true, method: 'INVITE', call })); i++) await sleep(100);
      };
      await Promise.all([hold(alice, ab.out), hold(bob, ab.in)]);
      const both = (e: PhoneProcessEvent) => e['local'] === true && e['remote'] === true;
      await alice.waitFor('held', { since: a1, pred: both, timeoutMs: 6000 });
      await bob.waitFor('held', { since: b1, pred: both, timeoutMs: 6000 });
      const glare = [alice, bob].map((p, i) => p.events.slice([a1, b1][i]).filter((e) => e.event === 'sip' && e['direction'] === 'in' && String(e['line']).startsWith('491')).length);
      gt.diagnostic(`491 received: alice ${glare[0]!}, bob ${glare[1]!}`);
      // Each side's own offer goes through in the end (the Call-ID owner, alice, waits 2.1-4 s).
      const sent = (e: PhoneProcessEvent) => e['direction'] === 'sent';
      await alice.waitFor('offer-answer', { since: a1, pred: sent, timeoutMs: 6000 });
      await bob.waitFor('offer-answer', { since: b1, pred: sent, timeoutMs: 6000 });
      await sleep(100);
      const exchanges = [...alice.events.slice(a1), ...bob.events.slice(b1)].filter((e) => e.event === 'offer-answer');
      gt.diagnostic(`offer/answer: ${JSON.stringify(exchanges.map((e) => [e['direction'], e['localVersion'], e['local'], e['remoteVersion'], e['remote']]))}`);
      // RFC 3264 §8: each SDP a side sends has a version one above its previous one, never lower.
      await gt.test('a retried offer after 491 is newer than the answer given meanwhile (RFC 3264 §8)', () => {
        for (const [p, since] of [[alice, a1], [bob, b1]] as const) {
          const versions = p.events.slice(since).filter((e) => e.event === 'offer-answer').map((e) => Number(e['localVersion']));
          assert.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]!), `${p.name} sent SDP versions ${versions.join(', ')}`);
        }
      });
      const last = (p: PhoneProcess, since: number) => p.events.slice(since).filter((e) => e.event === 'held').at(-1)!;
      assert.deepEqual([pickHeld(last(alice, a1)), pickHeld(last(bob, b1))], [{ local: true, remote: true }, { local: true, remote: true }]);
      const [a2, b2] = [alice.mark(), bob.mark()];
      await alice.command('resume', ab.out);
      await bob.waitFor('held', { since: b2, pred: (e) => e['remote'] === false });
      await bob.command('resume', ab.in);
      const none = (e: PhoneProcessEvent) => e['local'] === false && e['remote'] === false;
      await alice.waitFor('held', { since: a2, pred: none });
      await bob.waitFor('held', { since: b2, pred: none });
      await expectHears(alice, [TONE.bob]);
      await expectHears(bob, [TONE.alice]);
    });

    const [a2, b2] = [alice.mark(), bob.mark()];
    await alice.command('hangup', ab.out);
    assert.equal((await alice.waitFor('ended', { since: a2, pred: onCall(ab.out) }))['reason'], 'local-bye');
    assert.equal((await bob.waitFor('ended', { since: b2, pred: onCall(ab.in) }))['reason'], 'remote-bye');
    // The history row of each side, completed at the end.
    const row = async (p: PhoneProcess, id: string) => ((await p.command('history')).data as Array<Record<string, unknown>>).find((r) => r['callId'] === id)!;
    const [ra, rb] = [await row(alice, ab.out), await row(bob, ab.in)];
    assert.deepEqual([ra['direction'], ra['reason'], typeof ra['answeredAt'], typeof ra['endedAt']], ['outgoing', 'local-bye', 'number', 'number']);
    assert.deepEqual([rb['direction'], rb['reason'], rb['account']], ['incoming', 'remote-bye', `sip:bob@${k.domain}`]);
  });

  await sub('3-way conference: each party hears the other two', async () => {
    const ab = await connect(alice, bob, 'bob');
    const ac = await connect(alice, carol, 'carol');
    assert.equal(await alice.request({ op: 'conference', calls: [ab.out, ac.out] }), true);
    // Two tones mixed: each holds about half the power.
    await expectHears(bob, [TONE.alice, TONE.carol], [TONE.bob], { min: 0.25 });
    await expectHears(carol, [TONE.alice, TONE.bob], [TONE.carol], { min: 0.25 });
    await expectHears(alice, [TONE.bob, TONE.carol], [TONE.alice], { min: 0.25 });
    // Each of alice's calls still hears its own peer alone.
    await expectHears(alice, [TONE.bob], [TONE.carol], { calls: [ab.out] });
    await expectHears(alice, [TONE.carol], [TONE.bob], { calls: [ac.out] });
    await alice.request({ op: 'split' });
    await expectHears(bob, [TONE.alice], [TONE.carol]);
    await expectHears(carol, [TONE.alice], [TONE.bob]);
  });

  await sub('blind transfer: bob sends alice to carol', async () => {
    const ab = await connect(alice, bob, 'bob');
    const [a0, b0, c0] = [alice.mark(), bob.mark(), carol.mark()];
    await bob.command('transfer', 'carol', ab.in);
    assert.match(String((await alice.waitFor('transferred', { since: a0, pred: onCall(ab.out) }))['target']), /^sip:carol@/);
    const atCarol = await carol.waitFor('incoming', { since: c0 });
    assert.match(String(atCarol['from']), /^sip:alice@/);
    const ac = await alice.waitFor('answered', { since: a0, pred: (e) => e.call !== ab.out });
    assert.equal((await bob.waitFor('ended', { since: b0, pred: onCall(ab.in) }))['reason'], 'transferred');
    assert.equal((await alice.waitFor('ended', { since: a0, pred: onCall(ab.out) }))['reason'], 'transferred');
    assert.ok(bob.events.slice(b0).some((e) => e.event === 'transfer-progress' && e['status'] === 200), 'bob saw NOTIFY 200');
    await expectHears(alice, [TONE.carol], [TONE.bob], { calls: [ac.call!] });
    await expectHears(carol, [TONE.alice], [], { calls: [atCarol.call!] });
  });

  await sub('attended transfer: bob consults carol, then REFER with Replaces', async () => {
    const ab = await connect(alice, bob, 'bob');
    await bob.command('hold', ab.in);
    await alice.waitFor('held', { pred: (e) => e.call === ab.out && e['remote'] === true });
    const bc = await connect(bob, carol, 'carol');
    await expectHears(carol, [TONE.bob]);
    const [a0, b0, c0] = [alice.mark(), bob.mark(), carol.mark()];
    await bob.command('attended-transfer', ab.in, bc.out);
    const ac = await alice.waitFor('answered', { since: a0, pred: (e) => e.call !== ab.out, timeoutMs: 8000 });
    const ca = await carol.waitFor('incoming', { since: c0 });
    assert.match(String(ca['from']), /^sip:alice@/);
    assert.equal((await carol.waitFor('ended', { since: c0, pred: onCall(bc.in) }))['reason'], 'replaced');
    assert.equal((await bob.waitFor('ended', { since: b0, pred: onCall(bc.out) }))['reason'], 'transferred');
    assert.equal((await bob.waitFor('ended', { since: b0, pred: onCall(ab.in) }))['reason'], 'transferred');
    assert.equal((await alice.waitFor('ended', { since: a0, pred: onCall(ab.out) }))['reason'], 'transferred');
    await expectHears(alice, [TONE.carol], [TONE.bob], { calls: [ac.call!] });
    await expectHears(carol, [TONE.alice], [TONE.bob], { calls: [ca.call!] });
  });

  await sub('call waiting: carol calls bob during alice↔bob, waiting tone, swap both ways', async () => {
    await bob.request({ op: 'set', account: { autoAnswerMs: null } });
    try {
      const a0 = alice.mark();
      const b0 = bob.mark();
      const abOut = await dialId(alice, 'bob');
      const abIn = (await bob.waitFor('incoming', { since: b0 })).call!;
      await bob.command('answer', abIn);
      await alice.waitFor('answered', { since: a0, pred: onCall(abOut) });
      await expectHears(bob, [TONE.alice]);
      const [b1, c1] = [bob.mark(), carol.mark()];
      const cbOut = await dialId(carol, 'bob');
      const cbIn = (await bob.waitFor('incoming', { since: b1 })).call!;
      await carol.waitFor('ringing', { since: c1, pred: onCall(cbOut) });
      // The US waiting tone (440 Hz, 300 ms) over what bob hears from alice.
      await sleep(400);
      const waiting = await bob.tone([440], 1000, { calls: [abIn], windowMs: 200 });
      assert.ok(waiting.tones['440']!.dbov > -35, `bob hears the waiting tone: ${JSON.stringify(waiting)}`);
      const a2 = alice.mark();
      await bob.command('swap', cbIn);
      await carol.waitFor('answered', { since: c1, pred: onCall(cbOut) });
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a2, pred: onCall(abOut) })), { local: false, remote: true });
      await expectHears(bob, [TONE.carol], [TONE.alice]);
      await expectHears(carol, [TONE.bob]);
      // (alice still hears bob's call: sendonly hold lets the holder send, RFC 6337 §5.3.)
      const [a3, c3] = [alice.mark(), carol.mark()];
      await bob.command('swap', abIn);
      assert.deepEqual(pickHeld(await carol.waitFor('held', { since: c3, pred: onCall(cbOut) })), { local: false, remote: true });
      assert.deepEqual(pickHeld(await alice.waitFor('held', { since: a3, pred: onCall(abOut) })), { local: false, remote: false });
      await expectHears(bob, [TONE.alice], [TONE.carol]);
      await expectHears(alice, [TONE.bob]);
      await expectHears(carol, [TONE.bob]);
    } finally {
      await bob.request({ op: 'set', account: { autoAnswerMs: 0 } });
    }
  });

  await sub('DND as the caller sees it: 486 busy, then 603 declined', async () => {
    try {
      for (const [status, reason] of [[486, 'busy'], [603, 'declined']] as const) {
        await carol.request({ op: 'set', account: { dnd: status } });
        const [a0, c0] = [alice.mark(), carol.mark()];
        const call = await dialId(alice, 'carol');
        const end = await alice.waitFor('ended', { since: a0, pred: onCall(call) });
        assert.deepEqual([end['reason'], end['status'], end['answered']], [reason, status, false]);
        assert.equal((await carol.waitFor('refused', { since: c0 }))['status'], status);
        assert.ok(!carol.events.slice(c0).some((e) => e.event === 'incoming' || e.event === 'call'), 'carol never rang');
      }
    } finally {
      await carol.request({ op: 'set', account: { dnd: null } });
    }
  });

  await sub('forwarding (302) as the caller sees it: always, and on no answer', async () => {
    try {
      await bob.request({ op: 'set', account: { forward: { always: 'carol' } } });
      const [a0, b0, c0] = [alice.mark(), bob.mark(), carol.mark()];
      const call = await dialId(alice, 'bob');
      const answered = await alice.waitFor('answered', { since: a0, pred: onCall(call) });
      assert.equal(answered['redirects'], 1);
      assert.equal((await bob.waitFor('refused', { since: b0 }))['status'], 302);
      assert.ok(!bob.events.slice(b0).some((e) => e.event === 'incoming'), 'bob never rang');
      const atCarol = await carol.waitFor('incoming', { since: c0 });
      await expectHears(alice, [TONE.carol], [TONE.bob], { calls: [call] });
      await expectHears(carol, [TONE.alice], [], { calls: [atCarol.call!] });
      await hangupAll(all);

      await bob.request({ op: 'set', account: { forward: { noAnswer: { target: 'carol', afterMs: 600 } }, autoAnswerMs: null } });
      const [a1, b1, c1] = [alice.mark(), bob.mark(), carol.mark()];
      const call2 = await dialId(alice, 'bob');
      const rang = await bob.waitFor('incoming', { since: b1 });
      await alice.waitFor('ringing', { since: a1, pred: onCall(call2) });
      assert.equal((await alice.waitFor('answered', { since: a1, pred: onCall(call2) }))['redirects'], 1);
      assert.ok(Number((await bob.waitFor('ended', { since: b1, pred: onCall(rang.call) }))['status']) === 302, 'bob ended its ringing call with 302');
      await carol.waitFor('incoming', { since: c1 });
      await expectHears(alice, [TONE.carol], [], { calls: [call2] });
    } finally {
      await bob.request({ op: 'set', account: { forward: null, autoAnswerMs: 0 } });
    }
  });

  await sub('3xx loop: bob forwards to himself, alice gives up with redirect-loop', async () => {
    try {
      await bob.request({ op: 'set', account: { forward: { always: 'bob' } } });
      const a0 = alice.mark();
      const call = await dialId(alice, 'bob');
      const end = await alice.waitFor('ended', { since: a0, pred: onCall(call) });
      assert.deepEqual([end['reason'], end['answered']], ['redirect-loop', false]);
    } finally {
      await bob.request({ op: 'set', account: { forward: null } });
    }
  });

  await sub('refusals: reject 603 by the user, CANCEL while ringing, 486 when no line is free, forwarding on busy', async () => {
    await bob.request({ op: 'set', account: { autoAnswerMs: null } });
    try {
      const [a0, b0] = [alice.mark(), bob.mark()];
      const c1 = await dialId(alice, 'bob');
      const r1 = (await bob.waitFor('incoming', { since: b0 })).call!;
      await alice.waitFor('ringing', { since: a0, pred: onCall(c1) });
      await bob.command('reject', r1, '603');
      const e1 = await alice.waitFor('ended', { since: a0, pred: onCall(c1) });
      assert.deepEqual([e1['reason'], e1['status'], e1['answered']], ['declined', 603, false]);
      assert.equal((await bob.waitFor('ended', { since: b0, pred: onCall(r1) }))['reason'], 'rejected');

      const [a1, b1] = [alice.mark(), bob.mark()];
      const c2 = await dialId(alice, 'bob');
      const r2 = (await bob.waitFor('incoming', { since: b1 })).call!;
      await alice.waitFor('ringing', { since: a1, pred: onCall(c2) });
      await alice.command('hangup', c2);
      assert.equal((await alice.waitFor('ended', { since: a1, pred: onCall(c2) }))['reason'], 'cancelled');
      assert.equal((await bob.waitFor('ended', { since: b1, pred: onCall(r2) }))['reason'], 'remote-cancelled');
    } finally {
      await bob.request({ op: 'set', account: { autoAnswerMs: 0 } });
    }
    // Two lines in use (the default): a third INVITE is refused busy before it rings.
    await connect(alice, bob, 'bob');
    await connect(alice, bob, 'bob');
    const [b2, c2] = [bob.mark(), carol.mark()];
    const c3 = await dialId(carol, 'bob');
    const e3 = await carol.waitFor('ended', { since: c2, pred: onCall(c3) });
    assert.deepEqual([e3['reason'], e3['status']], ['busy', 486]);
    assert.equal((await bob.waitFor('refused', { since: b2 }))['status'], 486);
    assert.ok(!bob.events.slice(b2).some((e) => e.event === 'incoming'), 'bob never rang');
    // Forwarding on busy: bob sends carol on to alice (302), who is busy too (two lines with bob).
    try {
      await bob.request({ op: 'set', account: { forward: { busy: 'alice' } } });
      const [a3, b3, c3] = [alice.mark(), bob.mark(), carol.mark()];
      const c4 = await dialId(carol, 'bob');
      const e4 = await carol.waitFor('ended', { since: c3, pred: onCall(c4) });
      assert.deepEqual([e4['reason'], e4['status']], ['busy', 486]);
      assert.deepEqual(pickFields(await bob.waitFor('refused', { since: b3 }), 'status', 'reason'), { status: 302, reason: 'forwarded (busy)' });
      assert.equal((await alice.waitFor('refused', { since: a3 }))['status'], 486);
    } finally {
      await bob.request({ op: 'set', account: { forward: null } });
    }
  });

  await sub('early media: 183 with ringback (PRACKed), answer; mute; two-channel recording', async () => {
    await carol.request({ op: 'set', account: { autoAnswerMs: null, earlyMediaRingback: true } });
    const dir = makeTempDir('procs-rec');
    try {
      const [a0, c0] = [alice.mark(), carol.mark()];
      const ac = await dialId(alice, 'carol');
      const ring = await alice.waitFor('ringing', { since: a0, pred: onCall(ac) });
      assert.deepEqual([ring['status'], ring['earlyMedia']], [183, true]);
      // US ringback (440 + 480 Hz) as early media from carol.
      await expectHears(alice, [440, 480], [TONE.carol], { calls: [ac], min: 0.3 });
      const ca = (await carol.waitFor('incoming', { since: c0 })).call!;
      const sip = (p: PhoneProcess, since: number, dir: string, line: string) => p.events.slice(since).some((e) => e.event === 'sip' && e['direction'] === dir && e['line'] === line);
      assert.ok(sip(alice, a0, 'out', 'PRACK') && sip(carol, c0, 'in', 'PRACK'), 'the 183 went reliably (RFC 3262): alice PRACKed it');
      await carol.command('answer', ca);
      await alice.waitFor('answered', { since: a0, pred: onCall(ac) });
      await expectHears(alice, [TONE.carol], [440], { calls: [ac] });
      await expectHears(carol, [TONE.alice]);

      await alice.command('mute', ac);
      await expectHears(carol, [], [TONE.alice]);
      await alice.command('unmute', ac);
      await expectHears(carol, [TONE.alice]);

      const path = join(dir, 'carol.wav');
      await carol.command('record', path, ca);
      await sleep(800);
      const done = await carol.command('stop-recording', ca);
      assert.equal((done.data as { path: string }).path, path);
      const wav = parseWav(readFileSync(path));
      assert.ok(wav.ok, 'the recording parses');
      const { channels, samples, sampleRate } = wav.value;
      assert.equal(channels, 2);
      const channel = (k: number) => Int16Array.from({ length: Math.floor(samples.length / 2) }, (_v, i) => samples[i * 2 + k]!).subarray(-sampleRate / 2);
      assert.ok(detectTone(channel(0), sampleRate, TONE.carol).ratio > 0.8, 'left: what carol sent');
      assert.ok(detectTone(channel(1), sampleRate, TONE.alice).ratio > 0.8, 'right: what carol heard');
    } finally {
      removeTempDir(dir);
      await carol.request({ op: 'set', account: { autoAnswerMs: 0, earlyMediaRingback: null } });
    }
  });

  await sub('scanner defense: an INVITE straight to carol, not from kamailio, never rings; out-of-dialog REFER refused', async () => {
    const rowsBefore = ((await carol.command('history')).data as unknown[]).length;
    const c0 = carol.mark();
    // From another loopback address: the defense trusts the registrar's host (127.0.0.1 here),
    // any port of it, so a stranger must come from elsewhere.
    const scanner = await rawSip('127.0.0.2');
    const neighbour = await rawSip('127.0.0.1');
    try {
      const uri = `sip:carol@127.0.0.1:${carol.sip.port!}`;
      const request = (raw: RawSip, method: string, extra: string[]) => raw.send(carol.sip.port!, [
        `${method} ${uri} SIP/2.0`, `Via: SIP/2.0/UDP ${raw.me};branch=z9hG4bK-${method}-${Date.now()}`, 'Max-Forwards: 70',
        `From: <sip:100@${raw.me}>;tag=scan1`, `To: <${uri}>`, `Call-ID: ${method}-${Date.now()}@127.0.0.1`, `CSeq: 1 ${method}`,
        `Contact: <sip:100@${raw.me}>`, 'User-Agent: friendly-scanner', ...extra,
      ]);
      request(scanner, 'INVITE', []);
      assert.equal((await carol.waitFor('refused', { since: c0 }))['status'], 403);
      // RFC 3515 §2.4.2 leaves it to policy: a REFER outside a dialog is refused.
      request(neighbour, 'REFER', ['Refer-To: <sip:bob@127.0.0.1>']);
      await sleep(300);
      assert.ok(scanner.answers.length > 0 && scanner.answers.every((a) => /^SIP\/2\.0 (403|100)\b/.test(a)), `only 403 came back: ${scanner.answers.join(' | ')}`);
      assert.match(neighbour.answers.join(' | '), /^SIP\/2\.0 403\b/);
      assert.ok(!carol.events.slice(c0).some((e) => e.event === 'incoming' || e.event === 'call'), 'carol never rang');
      assert.equal(((await carol.command('history')).data as unknown[]).length, rowsBefore, 'no history row');
    } finally {
      scanner.close();
      neighbour.close();
    }
  });

  await sub('auto-answer asked for by Call-Info answer-after: only from a trusted source', async () => {
    try {
      await bob.request({ op: 'set', account: { autoAnswerMs: null, trustedAutoAnswerSources: ['127.0.0.1'] } });
      const headers: Array<[string, string]> = [['Call-Info', '<sip:127.0.0.1>;answer-after=0']];
      const [a0, b0] = [alice.mark(), bob.mark()];
      const c1 = await alice.request<string>({ op: 'dial', target: 'bob', headers });
      await alice.waitFor('answered', { since: a0, pred: onCall(c1) });
      await bob.waitFor('answered', { since: b0 });
      await hangupAll(all);
      await bob.request({ op: 'set', account: { trustedAutoAnswerSources: null } });
      const [a1, b1] = [alice.mark(), bob.mark()];
      const c2 = await alice.request<string>({ op: 'dial', target: 'bob', headers });
      await bob.waitFor('incoming', { since: b1 });
      await sleep(500);
      assert.ok(!alice.events.slice(a1).some((e) => e.event === 'answered'), 'an untrusted answer-after is ignored: bob still rings');
      await alice.command('hangup', c2);
    } finally {
      await bob.request({ op: 'set', account: { autoAnswerMs: 0, trustedAutoAnswerSources: null } });
    }
  });

  await sub('REFER refused by policy: the transfer fails, the call stays up', async () => {
    try {
      await alice.request({ op: 'set', account: {}, phone: { referPolicy: 'reject' } });
      const ab = await connect(alice, bob, 'bob');
      const b0 = bob.mark();
      await bob.command('transfer', 'carol', ab.in);
      const p = await bob.waitFor('transfer-progress', { since: b0, pred: (e) => e['final'] === true });
      assert.equal(p['status'], 603);
      await sleep(200);
      assert.ok(!bob.events.slice(b0).some((e) => e.event === 'ended'), 'bob keeps the call');
      await expectHears(bob, [TONE.alice]);
    } finally {
      await alice.request({ op: 'set', account: {}, phone: { referPolicy: 'accept' } });
    }
  });

  await sub('in-band DTMF: a digit alice sends as audio is detected by carol', async () => {
    const ac = await connect(alice, carol, 'carol');
    await expectHears(carol, [TONE.alice]);
    const c0 = carol.mark();
    // 5 = 770 + 1336 Hz, 200 ms.
    await alice.request({ op: 'play', hz: [770, 1336], onMs: 200, call: ac.out });
    assert.deepEqual(pickDtmf(await carol.waitFor('dtmf', { since: c0 })), { digit: '5', via: 'inband' });
  });

  await sub('a direct call with SDES-SRTP: a Handset with no account calls carol at her address', async () => {
    // dave insists on SDES-SRTP; carol takes it.
    const dave = await startPhoneProcess('dave', { toneHz: 800, srtp: 'mandatory' }, t);
    await carol.request({ op: 'set', account: { directCalls: true } });
    try {
      const [d0, c0] = [dave.mark(), carol.mark()];
      const call = await dialId(dave, `sip:carol@127.0.0.1:${carol.sip.port!}`);
      await dave.waitFor('answered', { since: d0, pred: onCall(call) });
      const inc = await carol.waitFor('incoming', { since: c0 });
      assert.match(String(inc['from']), /^sip:handset@127\.0\.0\.1/);
      const srtp = (e: PhoneProcessEvent) => typeof e['srtp'] === 'string';
      const suite = String((await dave.waitFor('media', { since: d0, pred: srtp }))['srtp']);
      assert.match(suite, /^(AEAD_AES|AES_CM)/);
      assert.equal((await carol.waitFor('media', { since: c0, pred: srtp }))['srtp'], suite);
      await expectHears(dave, [TONE.carol]);
      await expectHears(carol, [800], [], { calls: [inc.call!] });
      await hangupAll([dave, carol]);
    } finally {
      await carol.request({ op: 'set', account: { directCalls: null } });
      await dave.close();
    }
  });

  await sub('RTP inactivity: bob freezes (SIGSTOP), carol ends the call after 3 s without RTP', async () => {
    const bc = await connect(bob, carol, 'carol');
    await expectHears(carol, [TONE.bob]);
    const [b0, c0] = [bob.mark(), carol.mark()];
    bob.signal('SIGSTOP');
    try {
      const end = await carol.waitFor('ended', { since: c0, pred: onCall(bc.in), timeoutMs: 7000 });
      assert.equal(end['reason'], 'rtp-timeout');
    } finally {
      bob.signal('SIGCONT');
    }
    assert.equal((await bob.waitFor('ended', { since: b0, pred: onCall(bc.out), timeoutMs: 8000 }))['reason'], 'remote-bye');
  });

  await t.test('Timer H: the 2xx never ACKed ends the call with no-ack after 64*T1, the 2xx resent meanwhile', async () => {
    const end = await eve.waitFor('ended', { pred: onCall(ghost), timeoutMs: Math.max(1000, 40_000 - (Date.now() - ghostAnsweredAt)) });
    assert.equal(end['reason'], 'no-ack');
    const waited = Number(end.at) - ghostAnsweredAt;
    assert.ok(waited > 30_000 && waited < 36_000, `ended ${waited} ms after the answer`);
    assert.ok(noAck.answers.filter((a) => a.startsWith('SIP/2.0 200')).length >= 5, `200 resent: ${noAck.answers.join(' | ')}`);
  });
});
