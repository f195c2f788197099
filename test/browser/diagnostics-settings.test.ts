// The diagnostics view's SIP ladder and the settings view acting on the running phone, from the
// page in Chromium: the ladder of a call to another Handset holds its INVITE / 180 / 200 /
// ACK / BYE rows (Call-ID taken at the callee); codec order and SRTP saved in the page change the
// offer baresip receives on the next call, with no restart; a transport chosen there re-registers
// the account over it at kamailio.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { PhoneHandsetEngine } from '../../src/app/phone-engine.js';
import { startPhone, type Phone } from '../../src/phone/index.js';
import type { SipTraceEntry } from '../../src/sip/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { skipUnless, removeTempDir } from '../support/peers/env.js';
import { startBaresip } from '../support/peers/baresip.js';
import { startKamailio } from '../support/peers/kamailio.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, soxWav, startServer, tempDir } from './support/chromium.js';
import { sleep, until } from '../support/wait.js';

const skip = chromiumMissing();
const skipBaresip = chromiumMissing() ?? skipUnless('baresip', 'sox');
const skipKamailio = chromiumMissing() ?? skipUnless('kamailio', 'kamcmd', 'openssl');
const processingOff = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
let browser: Browser;
let server: HandsetServer;
let phone: Phone;
let engine: PhoneHandsetEngine;
let dir: string;


before(async () => {
  if (skip) return;
  buildUi();
  dir = tempDir('diagnostics');
  const mic = soxWav(dir, 'mic.wav', ['synth', '30', 'sine', '500', 'vol', '0.5']);
  phone = await startPhone({ host: '127.0.0.1' });
  engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 300 });
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

async function dial(page: Page, uri: string): Promise<void> {
  await page.getByLabel('Number to dial').fill(uri);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

/** Whether `want` appears in `rows` in order (retransmissions may sit between). */
const inOrder = (rows: readonly string[], want: readonly string[]): boolean => {
  let i = 0;
  for (const r of rows) if (r === want[i]) i++;
  return i === want.length;
};

test('Diagnostics: after a call to another Handset the ladder of its Call-ID shows INVITE, 180, 200, ACK, BYE, 200, and RTP statistics showed during the call', { skip, timeout: 30_000 }, async () => {
  const bob = await startPhone({ host: '127.0.0.1' });
  const atBob: SipTraceEntry[] = [];
  bob.options.stack.onTrace((e) => atBob.push(e));
  bob.on('incoming', (c) => setTimeout(() => c.answer(), 300));
  const { context, page } = await openHandset(browser, server, processingOff);
  try {
    const sip = bob.options.stack.localAddress('udp');
    await dial(page, `sip:bob@${sip.host}:${sip.port}`);
    await until('the call is active', () => engine.snapshot().calls[0]?.state === 'active');
    await page.getByRole('tab', { name: 'Diagnostics' }).click();
    // RTP statistics of the live call (refreshed every 300 ms here).
    const callId = engine.snapshot().calls[0]!.id;
    await page.locator('#view-diagnostics tr', { hasText: callId }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Hang up' }).click();
    await until('no calls', () => engine.snapshot().calls.length === 0);

    const invite = atBob.find((e) => e.direction === 'in' && e.firstLine === 'INVITE');
    assert.ok(invite, 'bob received the INVITE');
    const ladder = page.locator(`#view-diagnostics table.ladder[data-call-id="${invite.callId}"]`);
    // A 100 Trying may be absent: a callee whose 180 leaves at once sends none (RFC 3261 §17.2.1).
    const expected = ['INVITE sent', '180 Ringing received', '200 OK received', 'ACK sent', 'BYE sent', '200 OK received'];
    let rows: string[] = [];
    for (const end = Date.now() + 5000; !inOrder(rows, expected) && Date.now() < end; await sleep(100)) {
      rows = await ladder.locator('tr[data-summary]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-summary')} ${tr.querySelector('.wire')!.classList.contains('sent') ? 'sent' : 'received'}`));
    }
    assert.ok(inOrder(rows, expected), `the ladder of ${invite.callId}: ${rows.join(' | ')}`);
    assert.equal(await ladder.locator('caption').textContent(), `Call-ID ${invite.callId} (UDP)`);
    // The peer column names bob's address.
    await ladder.getByRole('columnheader', { name: `${sip.host}:${sip.port}` }).waitFor();
    // Nothing but the start line, Call-ID and CSeq reaches the page.
    assert.doesNotMatch(JSON.stringify(engine.snapshot().ladder), /v=0|application\/sdp|Via:/);
  } finally {
    await context.close();
    await bob.close();
  }
});

test('Settings act on the next call without a restart: codec order PCMA first, then SRTP mandatory, in the offer baresip receives', { skip: skipBaresip, timeout: 45_000 }, async (t) => {
  const b = await startBaresip({ t, sipTrace: true, accounts: [{ aor: 'sip:carol@127.0.0.1', answermode: 'auto', codecs: ['PCMU', 'PCMA'] }] });
  const { context, page } = await openHandset(browser, server, processingOff);
  const offers = (): string[] => b.log().filter((l) => /^m=audio /.test(l.trim())).map((l) => l.trim());
  try {
    await page.getByRole('tab', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Call settings' });
    // The form starts from what the phone does: PCMU,PCMA and no SRTP (startPhone's defaults).
    assert.equal(await form.getByLabel('Codec order').inputValue(), 'PCMU,PCMA');
    assert.equal(await form.getByLabel('SRTP').inputValue(), 'off');
    await form.getByLabel('Codec order').fill('PCMA,PCMU');
    await form.getByRole('button', { name: 'Save call settings' }).click();
    await until('codec order saved', () => engine.snapshot().settings.codecOrder[0] === 'PCMA');

    await dial(page, b.sipUri);
    await b.waitForEvent('CALL_ESTABLISHED', 10_000);
    await until('active', () => engine.snapshot().calls[0]?.state === 'active');
    await page.getByText('PCMA').first().waitFor();
    const first = offers()[0];
    assert.match(first ?? '', /^m=audio \d+ RTP\/AVP 8 0( |$)/, `the offer lists PCMA (8) first: ${first}`);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await b.waitForEvent('CALL_CLOSED', 5000);
    await until('no calls', () => engine.snapshot().calls.length === 0);

    const before = b.log().length;
    await form.getByLabel('SRTP').selectOption('mandatory');
    await form.getByRole('button', { name: 'Save call settings' }).click();
    await until('SRTP saved', () => engine.snapshot().settings.srtp === 'mandatory');
    await dial(page, b.sipUri);
    // baresip has no SRTP here: it may refuse the call (488); the offer is what this checks.
    let second: string[] = [];
    await until('baresip got the second offer', () => (second = b.log().slice(before)).some((l) => /^m=audio /.test(l.trim())), 10_000);
    await sleep(300);
    second = b.log().slice(before);
    const m = second.find((l) => /^m=audio /.test(l.trim()))!.trim();
    assert.match(m, /^m=audio \d+ RTP\/SAVP 8 0( |$)/, `SRTP mandatory offers RTP/SAVP (PCMA still first): ${m}`);
    assert.ok(second.some((l) => /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:/.test(l.trim())), 'the offer carries a=crypto');
    if (engine.snapshot().calls.length > 0) await page.getByRole('button', { name: 'Hang up' }).click();
    await until('no calls', () => engine.snapshot().calls.length === 0);
  } finally {
    // Back to the defaults for the other tests of this file.
    await engine.commands.find((c) => c.name === 'settings-set')!.run({ codecOrder: 'PCMU,PCMA', srtp: 'off' });
    await context.close();
  }
});

test('Settings: choosing TCP re-registers the account over TCP at kamailio (the UDP binding replaced)', { skip: skipKamailio, timeout: 40_000 }, async (t) => {
  const k = await startKamailio({ t, ipv6: false });
  const [alice] = k.users as [{ user: string; password: string }];
  const current = await startPhone({ host: '127.0.0.1', account: { aor: `sip:${alice.user}@${k.domain}`, password: alice.password, proxy: k.proxyUri('udp') } });
  // The phone keeps running: the account is re-added over TCP (a TCP listener opened for it).
  const withAccount = new PhoneHandsetEngine({ phone: current, statsIntervalMs: 0 });
  const accountServer = await startServer(withAccount);
  t.after(async () => {
    await accountServer.close();
    await withAccount.close();
    await current.close();
  });
  const { context, page } = await openHandset(browser, accountServer, processingOff);
  try {
    await k.waitForBinding((b) => b.some((x) => x.aor === alice.user && x.socket.startsWith('udp:')), 10_000);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Call settings' });
    assert.equal(await form.getByLabel('Default transport').inputValue(), 'udp', 'the form starts from the account');
    await form.getByLabel('Default transport').selectOption('tcp');
    await form.getByRole('button', { name: 'Save call settings' }).click();
    const bindings = await k.waitForBinding((b) => b.some((x) => x.aor === alice.user && x.socket.startsWith('tcp:')), 10_000);
    t.diagnostic(`kamailio's bindings for ${alice.user}: ${bindings.filter((b) => b.aor === alice.user).map((b) => `${b.socket} ${b.contact}`).join('; ')}`);
    assert.ok(bindings.filter((b) => b.aor === alice.user).every((b) => b.socket.startsWith('tcp:')), 'the UDP binding is gone (the old registration was removed)');
    await until('registered over TCP', () => withAccount.snapshot().accounts[0]?.transport === 'tcp' && withAccount.snapshot().accounts[0]?.registration === 'registered');
    await page.locator('#view-settings').getByText(/\(tcp\): registered/).waitFor({ timeout: 5000 });
    assert.equal(withAccount.snapshot().settings.transport, 'tcp');
  } finally {
    await context.close();
  }
});
