// The page as a real phone in Chromium: the phone engine (a Phone on loopback, no account) calls
// baresip and is called by it. Two-way audio is proven by a different tone each way: the page's
// fake microphone (500 Hz, processing off) in baresip's recording, baresip's 1200 Hz in what the
// page's playback worklet rendered. Hold, DTMF and Transfer buttons are checked at the peers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PhoneHandsetEngine } from '../../src/app/phone-engine.js';
import { detectTone } from '../../src/media/index.js';
import { startPhone, toneSource, type Call, type Phone } from '../../src/phone/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { skipUnless, removeTempDir } from '../support/peers/env.js';
import { startBaresip } from '../support/peers/baresip.js';
import { startKamailio } from '../support/peers/kamailio.js';
import { makeToneWav, measureToneInWav } from '../support/peers/audio.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, readTap, soxWav, startServer, startTap, tempDir } from './support/chromium.js';
import { sleep, until } from '../support/wait.js';

const skip = chromiumMissing() ?? skipUnless('baresip', 'sox');
const skipKamailio = chromiumMissing() ?? skipUnless('baresip', 'sox', 'kamailio', 'kamcmd', 'openssl');
const processingOff = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
let browser: Browser;
let server: HandsetServer;
let phone: Phone;
let engine: PhoneHandsetEngine;
let dir: string;
let baresipTone: string;


before(async () => {
  if (skip) return;
  buildUi();
  dir = tempDir('phone-calls');
  // The page's microphone: 500 Hz from the start, long enough for both tests (played once).
  const mic = soxWav(dir, 'mic500.wav', ['synth', '30', 'sine', '500', 'vol', '0.5']);
  baresipTone = makeToneWav(join(dir, 'b1200.wav'), { freqs: [1200], seconds: 20 });
  phone = await startPhone({ host: '127.0.0.1' });
  engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 500 });
  server = await startServer(engine);
  browser = await launchChromium(mic);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  await phone?.close();
  if (dir) removeTempDir(dir);
});

/** How many 20 ms blocks of `xs` are all zero (gaps in what the page played). */
const silentBlocks = (xs: number[], rate: number): number => {
  let n = 0;
  for (let i = 0; i + rate / 50 <= xs.length; i += rate / 50) if (xs.slice(i, i + rate / 50).every((x) => x === 0)) n++;
  return n;
};

/** The strongest half second of `freq` in `xs` (a loaded machine may glitch elsewhere). */
const bestTone = (xs: number[], rate: number, freq: number): number => {
  let best = 0;
  for (let i = 0; i + rate / 2 <= xs.length; i += rate / 10) best = Math.max(best, detectTone(xs.slice(i, i + rate / 2), rate, freq).ratio);
  return best;
};

const liveState = (): string | undefined => engine.snapshot().calls[0]?.state;

test('the page dials baresip: its microphone reaches baresip, baresip reaches its playback; Hold and DTMF act at baresip', { skip, timeout: 45_000 }, async (t) => {
  const b = await startBaresip({ t, playWav: baresipTone, sipTrace: true, accounts: [{ aor: 'sip:bob@127.0.0.1', answermode: 'auto', codecs: ['PCMU'] }] });
  const { context, page } = await openHandset(browser, server, processingOff);
  try {
    await page.getByLabel('Number to dial').fill(b.sipUri);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await b.waitForEvent('CALL_ESTABLISHED', 10_000);
    await until('the call is active', () => liveState() === 'active');
    await page.getByText('PCMU').first().waitFor();
    await startTap(page);
    await sleep(2500);
    const tap = await readTap(page);
    const heard = tap.samples.slice(-tap.sampleRate * 2);
    const r1200 = bestTone(heard, tap.sampleRate, 1200);
    t.diagnostic(`page playback: 1200 Hz ratio ${r1200.toFixed(3)} (best half second of the last two), ${silentBlocks(heard, tap.sampleRate)} of 100 blocks of 20 ms silent, ${tap.underruns} underruns`);
    assert.ok(r1200 > 0.8, `the page's playback carries baresip's 1200 Hz (${r1200}; state ${liveState()})`);

    const q = engine.audioQueueDelayMs();
    assert.ok(q !== undefined && q.frames > 50, 'the page sent microphone frames');
    // The queues stay short: under their caps (60 and 80 ms).
    t.diagnostic(`engine audio queues: microphone ${q.mic.toFixed(1)} ms (+0-20 ms to the pump's tick), speaker ${q.speaker.toFixed(1)} ms, over ${q.frames} frames`);
    assert.ok(q.mic < 60 && q.speaker < 80);
    await page.getByRole('button', { name: '5', exact: true }).click();
    const dtmf = await b.waitForEvent('CALL_DTMF_START', 5000);
    assert.equal(dtmf.param, '5', 'baresip received the key as DTMF');

    await page.getByRole('button', { name: 'Hold', exact: true }).click();
    await until('held', () => liveState() === 'held');
    assert.ok(b.log().some((l) => /a=sendonly/.test(l)), 'the hold re-INVITE offers sendonly');
    await page.getByRole('button', { name: 'Hold', exact: true }).click();
    await until('resumed', () => liveState() === 'active');
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    // Mute is local (no SIP); what the peer then hears is checked in test/unit/app/phone-engine.test.ts.
    await until('muted', () => engine.snapshot().calls[0]?.muted === true);

    await page.getByRole('button', { name: 'Hang up' }).click();
    await b.waitForEvent('CALL_CLOSED', 5000);
    await until('no calls', () => engine.snapshot().calls.length === 0);
  } finally {
    await context.close();
  }
  await b.stop({ keepDir: true });
  t.after(() => removeTempDir(b.dir));
  const rec = b.recordings().dec[0];
  assert.ok(rec, 'baresip wrote a recording');
  const m = measureToneInWav(rec, 500);
  t.diagnostic(`baresip's recording: 500 Hz ratio ${m.ratio.toFixed(3)}`);
  assert.ok(m.ratio > 0.8, `baresip heard the page's 500 Hz: ${JSON.stringify(m)}`);
});

test('baresip calls the page: the banner rings, the Answer button answers, Hang up ends it', { skip, timeout: 30_000 }, async (t) => {
  const b = await startBaresip({ t, playWav: baresipTone, accounts: [{ aor: 'sip:alice@127.0.0.1', codecs: ['PCMU'] }] });
  const { context, page } = await openHandset(browser, server, processingOff);
  try {
    const sip = phone.options.stack.localAddress('udp');
    const dial = await b.command('dial', `sip:handset@${sip.host}:${sip.port}`);
    assert.equal(dial.ok, true, String(dial.data));
    await until('ringing', () => liveState() === 'incoming');
    const answer = page.getByRole('button', { name: 'Answer', exact: true });
    await answer.waitFor();
    await answer.click();
    await b.waitForEvent('CALL_ESTABLISHED', 10_000);
    await until('active', () => liveState() === 'active');
    await startTap(page);
    await sleep(1500);
    const tap = await readTap(page);
    assert.ok(bestTone(tap.samples, tap.sampleRate, 1200) > 0.8, `the answered call is heard (${bestTone(tap.samples, tap.sampleRate, 1200)})`);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await b.waitForEvent('CALL_CLOSED', 5000);
    await until('no calls', () => engine.snapshot().calls.length === 0);
    assert.equal(engine.snapshot().history[0]?.kind, 'incoming');
  } finally {
    await context.close();
  }
});

test('with an account: the page shows the registration at kamailio and dials "bob", who answers through kamailio with two-way audio', { skip: skipKamailio, timeout: 40_000 }, async (t) => {
  const k = await startKamailio({ t, ipv6: false });
  const [alice, bob] = k.users as [{ user: string; password: string }, { user: string; password: string }];
  const b = await startBaresip({ t, playWav: baresipTone, accounts: [{ aor: `sip:${bob.user}@${k.domain}`, password: bob.password, registrar: k.proxyUri('udp'), answermode: 'auto', codecs: ['PCMU'] }] });
  await b.waitForRegistration(10_000);
  const registered = await startPhone({ host: '127.0.0.1', account: { aor: `sip:${alice.user}@${k.domain}`, password: alice.password, proxy: k.proxyUri('udp') } });
  const withAccount = new PhoneHandsetEngine({ phone: registered, statsIntervalMs: 0 });
  const accountServer = await startServer(withAccount);
  t.after(async () => {
    await accountServer.close();
    await withAccount.close();
    await registered.close();
  });
  const { context, page } = await openHandset(browser, accountServer, processingOff);
  try {
    await page.locator('#registration').filter({ hasText: 'registered' }).waitFor({ timeout: 10_000 });
    assert.equal(withAccount.snapshot().accounts[0]?.registration, 'registered');
    await page.getByLabel('Number to dial').fill(bob.user);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const established = await b.waitForEvent('CALL_ESTABLISHED', 10_000);
    assert.match(String(established.peeruri), new RegExp(`sip:${alice.user}@`), 'baresip sees alice calling');
    await until('active', () => withAccount.snapshot().calls[0]?.state === 'active');
    await startTap(page);
    await sleep(2000);
    const tap = await readTap(page);
    const r = bestTone(tap.samples, tap.sampleRate, 1200);
    assert.ok(r > 0.8, `the page hears bob's 1200 Hz through kamailio: ratio ${r}, ${tap.underruns} underruns`);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await b.waitForEvent('CALL_CLOSED', 5000);
  } finally {
    await context.close();
  }
  await b.stop({ keepDir: true });
  t.after(() => removeTempDir(b.dir));
  const m = measureToneInWav(b.recordings().dec[0]!, 500);
  assert.ok(m.ratio > 0.8, `bob heard the page's 500 Hz through kamailio: ${JSON.stringify(m)}`);
});

for (const attended of [false, true]) {
  test(`${attended ? 'attended' : 'blind'} Transfer from the page: the other Handset is connected to baresip and the page drops out`, { skip, timeout: 30_000 }, async (t) => {
    const carol = await startBaresip({ t, sipTrace: true, accounts: [{ aor: 'sip:carol@127.0.0.1', answermode: 'auto', codecs: ['PCMU'] }] });
    const bob = await startPhone({ host: '127.0.0.1' });
    t.after(() => bob.close());
    const bobCalls: Call[] = [];
    bob.on('call', (c) => bobCalls.push(c));
    bob.on('incoming', (c) => {
      c.play(toneSource(1200));
      c.answer();
    });
    const { context, page } = await openHandset(browser, server, processingOff);
    try {
      const bobSip = bob.options.stack.localAddress('udp');
      await page.getByLabel('Number to dial').fill(`sip:bob@${bobSip.host}:${bobSip.port}`);
      await page.getByRole('button', { name: 'Call', exact: true }).click();
      await until('talking to bob', () => liveState() === 'active');
      await page.getByRole('button', { name: 'Transfer', exact: true }).click();
      await page.getByLabel('Transfer to').fill(carol.sipUri);
      if (attended) {
        await page.getByLabel('Attended (consult first)').check();
        await page.getByRole('button', { name: 'Transfer now' }).click();
        // The consultation call: bob on hold, carol answers.
        await carol.waitForEvent('CALL_ESTABLISHED', 10_000);
        await until('consulting carol', () => engine.snapshot().calls.some((c) => c.state === 'active' && c.remoteUri === carol.sipUri) && engine.snapshot().calls.some((c) => c.state === 'held'));
      }
      await page.getByRole('button', { name: 'Transfer now' }).click();
      // bob places the new call to carol (with Replaces when attended), and the page's calls end.
      await until('bob calls carol', () => bobCalls.some((c) => c.direction === 'outgoing' && c.state === 'active'), 10_000);
      const transferred = bobCalls.find((c) => c.direction === 'outgoing')!;
      assert.equal(transferred.remoteUri, carol.sipUri);
      assert.equal(carol.log().some((l) => /^Replaces:/i.test(l.trim())), attended, 'carol got an INVITE with Replaces exactly when the transfer was attended');
      await until('the page dropped out', () => engine.snapshot().calls.length === 0, 10_000);
      const first = bobCalls.find((c) => c.direction === 'incoming')!;
      assert.equal((await first.whenEnded()).reason, 'transferred', "bob ended the page's leg once the new call was answered");
      transferred.hangup();
    } finally {
      await context.close();
    }
  });
}

test('the echo test still works behind the phone engine: Echo test plays the microphone back after about a second', { skip, timeout: 20_000 }, async () => {
  const { context, page } = await openHandset(browser, server, processingOff);
  try {
    await startTap(page);
    await page.getByRole('button', { name: 'Echo test' }).click();
    await page.getByText('Echo test', { exact: true }).first().waitFor();
    await sleep(2500);
    const tap = await readTap(page);
    const r = bestTone(tap.samples, tap.sampleRate, 500);
    assert.ok(r > 0.8, `the page's 500 Hz came back: ${r}`);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await until('no calls', () => engine.snapshot().calls.length === 0);
  } finally {
    await context.close();
  }
});
