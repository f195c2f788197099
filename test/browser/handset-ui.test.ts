// The handset page in real Chromium against a fake engine: accessible names, keypad tones,
// ringing and in-call states (with screenshots), the Answer button and a fake WebHID headset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { detectTone, DtmfDetector } from '../../src/media/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { repoRoot } from '../support/paths.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, readTap, startServer, startTap, type PageGlobals } from './support/chromium.js';
import { FakeEngine, idleState, ringingCall } from './support/fake-engine.js';

const skip = chromiumMissing();
const artifacts = join(repoRoot(), 'test-artifacts');
let browser: Browser;
let server: HandsetServer;
let engine: FakeEngine;
let context: BrowserContext;
let page: Page;

before(async () => {
  if (skip) return;
  buildUi();
  mkdirSync(artifacts, { recursive: true });
  engine = new FakeEngine();
  server = await startServer(engine);
  browser = await launchChromium(undefined, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  ({ context, page } = await openHandset(browser, server));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const FEATURES = ['Call', 'Answer', 'Hang up', 'Mute', 'Hold', 'DND', 'Transfer', 'Flash', 'Conference', 'Redial', 'Record'];
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

test('the token is swapped for a cookie and leaves the address bar', { skip }, async () => {
  assert.equal(new URL(page.url()).search, '');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'handset_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
});

test('every feature key and keypad key has its accessible name', { skip }, async () => {
  for (const name of [...FEATURES, ...KEYS]) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `one button named "${name}"`);
  }
  assert.equal(await page.getByRole('slider', { name: 'Volume' }).count(), 1);
  for (const tab of ['History', 'Contacts', 'Messages', 'Settings', 'Diagnostics']) assert.equal(await page.getByRole('tab', { name: tab }).count(), 1);
  await page.screenshot({ path: join(artifacts, 'handset-idle.png') });
});

test('keypad keys play their DTMF pairs locally (mouse and keyboard)', { skip }, async () => {
  await startTap(page);
  for (const key of ['1', '5', '9']) {
    await page.getByRole('button', { name: key, exact: true }).click();
    await page.waitForTimeout(200);
  }
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('#');
  await page.waitForTimeout(300);
  const tap = await readTap(page);
  const detector = new DtmfDetector({ sampleRate: tap.sampleRate });
  const digits: string[] = [];
  for (const e of detector.process(Int16Array.from(tap.samples))) if (e.type === 'start') digits.push(e.digit);
  assert.deepEqual(digits, ['1', '5', '9', '#']);
  assert.equal(await page.getByLabel('Number to dial').inputValue(), '159#');
  await page.getByLabel('Number to dial').fill('');
});

test('an incoming call shows the banner, rings, notifies, and the Answer key answers it', { skip }, async () => {
  await context.grantPermissions(['notifications'], { origin: new URL(server.openUrl).origin });
  await page.evaluate(() => {
    const g = globalThis as unknown as { Notification: new (t: string, o?: { body?: string }) => unknown; notes: string[] };
    g.notes = [];
    // Record notifications (headless Chromium shows none) while keeping the real API's shape.
    g.Notification = class extends (g.Notification as unknown as { new (t: string, o?: { body?: string }): object }) {
      constructor(title: string, o?: { body?: string }) {
        super(title, o);
        g.notes.push(`${title}: ${o?.body ?? ''}`);
      }
    } as unknown as typeof g.Notification;
  });
  await startTap(page);
  engine.set({ calls: [ringingCall] });
  await page.getByRole('alert').filter({ hasText: 'Incoming call from' }).waitFor();
  // The banner and the notification name the account the call came to (its display name).
  assert.match(await page.locator('#incoming').innerText(), /Incoming call from Bob Example to Alice/);
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { notes: string[] }).notes), ['Incoming call: Bob Example to Alice']);
  await page.waitForTimeout(900);
  const ring = await readTap(page);
  // The warble switches pairs every 50 ms: judge 20 ms windows that hold sound.
  const w = ring.sampleRate / 50;
  const shares: number[] = [];
  for (let i = 0; i + w <= ring.samples.length; i += w) {
    const win = ring.samples.slice(i, i + w);
    if (Math.max(...win.map(Math.abs)) < 1000) continue;
    shares.push([440, 480, 560, 620].reduce((sum, f) => sum + detectTone(win, ring.sampleRate, f).ratio, 0));
  }
  shares.sort((a, b) => a - b);
  assert.ok(shares.length >= 20, `the ringtone played (${shares.length} windows with sound)`);
  const share = shares[shares.length >> 1]!;
  assert.ok(share > 0.7, `the ringtone's tones carry ${share.toFixed(2)} of what played`);
  await page.screenshot({ path: join(artifacts, 'handset-ringing.png') });
  engine.calls.length = 0;
  await page.getByRole('button', { name: 'Answer', exact: true }).click();
  await waitFor(() => engine.calls.some((c) => c.name === 'answer'));
});

test('in a call the display shows caller, timer, codec with HD and quality; the keys send their commands', { skip }, async () => {
  const now = Date.now();
  engine.set({
    calls: [
      { ...ringingCall, state: 'active', answeredAt: now - 65_000, codec: 'G722', hd: true, quality: 4 },
      { ...ringingCall, id: 'c2', state: 'held', remoteUri: 'sip:carol@example.com', remoteName: 'Carol', answeredAt: now - 300_000, codec: 'PCMU' },
    ],
    history: [
      { id: 'h1', kind: 'missed', account: 'sip:alice@example.com', remoteUri: 'sip:dave@example.com', remoteName: 'Dave', startedAt: now - 3_600_000, durationSec: 0 },
      { id: 'h2', kind: 'outgoing', account: 'sip:alice@example.com', remoteUri: 'sip:carol@example.com', remoteName: 'Carol', startedAt: now - 7_200_000, durationSec: 184 },
      { id: 'h3', kind: 'incoming', account: 'sip:alice@example.com', remoteUri: 'sip:bob@example.com', remoteName: 'Bob Example', startedAt: now - 86_400_000, durationSec: 42 },
    ],
  });
  await page.getByText('Connected', { exact: true }).waitFor();
  assert.match(await page.locator('#call-timer').innerText(), /^01:0[5-9]$/);
  assert.equal(await page.locator('#hd').isVisible(), true);
  assert.equal(await page.getByRole('img', { name: 'Call quality: 4 of 5' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Line 2: Carol, On hold' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Call back Dave' }).count(), 1);
  await page.screenshot({ path: join(artifacts, 'handset-in-call.png') });
  copyFileSync(join(artifacts, 'handset-in-call.png'), join(artifacts, 'handset.png'));
  engine.calls.length = 0;
  for (const name of ['Mute', 'Hold', 'DND', 'Flash', 'Record', 'Redial', 'Hang up']) await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name: '7', exact: true }).click();
  await waitFor(() => engine.calls.length >= 8);
  assert.deepEqual(engine.calls.map((c) => c.name), ['mute', 'hold', 'dnd', 'flash', 'record', 'redial', 'hangup', 'dtmf']);
  assert.deepEqual(engine.calls[7]!.args, { digits: '7' });
  engine.set({ calls: [], history: [] });
});

test('two accounts: "Call from" sends the chosen account with dial; lines, the banner and history name the account; Call back uses the row\'s', { skip }, async () => {
  const work = { ...idleState.accounts[0]!, id: 'work', aor: 'sip:alice@work.example', displayName: '' };
  engine.set({ accounts: [idleState.accounts[0]!, work] });
  const chooser = page.getByLabel('Call from');
  await chooser.waitFor({ state: 'visible' });
  assert.deepEqual(await chooser.locator('option').allTextContents(), ['Alice <sip:alice@example.com>', 'sip:alice@work.example']);
  await chooser.selectOption('work');
  assert.equal(await page.locator('#account-line').innerText(), 'sip:alice@work.example +1');
  engine.calls.length = 0;
  await page.getByLabel('Number to dial').fill('bob');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await waitFor(() => engine.calls.length >= 1);
  assert.deepEqual(engine.calls[0], { name: 'dial', args: { uri: 'bob', account: 'work' } });

  engine.set({ calls: [{ ...ringingCall, account: 'sip:alice@work.example' }] });
  await page.getByRole('alert').filter({ hasText: 'Incoming call from Bob Example to alice@work.example' }).waitFor();
  await page.getByRole('button', { name: 'Line 1: Bob Example (alice@work.example), Incoming call' }).waitFor();
  engine.set({ calls: [], history: [{ id: 'h1', kind: 'missed', account: 'sip:alice@work.example', remoteUri: 'sip:carol@work.example', remoteName: '', startedAt: Date.now(), durationSec: 0 }] });
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('cell', { name: 'alice@work.example' }).waitFor();
  engine.calls.length = 0;
  await page.getByRole('button', { name: 'Call back sip:carol@work.example' }).click();
  await waitFor(() => engine.calls.length >= 1);
  assert.deepEqual(engine.calls[0], { name: 'dial', args: { uri: 'sip:carol@work.example', account: 'sip:alice@work.example' } });
  engine.set({ accounts: idleState.accounts, calls: [], history: [] });
  await chooser.waitFor({ state: 'hidden' });
});

test('a telephony headset (fake WebHID device): hook switch answers and hangs up, mute toggles, LEDs follow', { skip }, async () => {
  engine.set({ calls: [ringingCall] });
  await page.getByRole('alert').filter({ hasText: 'Incoming call from' }).waitFor();
  engine.calls.length = 0;
  // Report 1: bit 0 hook switch (absolute), bit 1 phone mute (relative). Output report 2: bit 0 off-hook LED, bit 1 mute LED, bit 2 ring LED.
  await page.evaluate(async () => {
    const listeners: ((e: { reportId: number; data: DataView }) => void)[] = [];
    const sent: number[][] = [];
    const device = {
      opened: false, productName: 'Fake Headset',
      collections: [{
        usagePage: 0x0b, usage: 0x05,
        inputReports: [{ reportId: 1, items: [
          { usages: [0x000b0020], reportSize: 1, reportCount: 1, isAbsolute: true },
          { usages: [0x000b002f], reportSize: 1, reportCount: 1, isAbsolute: false },
          { usages: [], reportSize: 6, reportCount: 1, isAbsolute: true },
        ] }],
        outputReports: [{ reportId: 2, items: [{ usages: [0x00080017, 0x00080009, 0x00080018], reportSize: 1, reportCount: 3, isAbsolute: true }] }],
      }],
      async open() { this.opened = true; },
      async sendReport(_id: number, data: Uint8Array) { sent.push([_id, ...data]); },
      addEventListener(_t: string, l: (e: { reportId: number; data: DataView }) => void) { listeners.push(l); },
      press(byte: number) { for (const l of listeners) l({ reportId: 1, data: new DataView(new Uint8Array([byte]).buffer) }); },
      sent,
    };
    (globalThis as unknown as { fakeHid: unknown }).fakeHid = device;
    await (globalThis as unknown as PageGlobals).handsetTest!.attachHid(device);
  });
  const sent = (): Promise<number[][]> => page.evaluate(() => (globalThis as unknown as { fakeHid: { sent: number[][] } }).fakeHid.sent);
  const press = (byte: number): Promise<void> => page.evaluate((b) => (globalThis as unknown as { fakeHid: { press(b: number): void } }).fakeHid.press(b), byte);
  assert.deepEqual((await sent()).at(-1), [2, 0b100], 'ring LED while ringing');
  await press(0b01); // lift the hook
  await waitFor(() => engine.calls.some((c) => c.name === 'answer'));
  engine.set({ calls: [{ ...ringingCall, state: 'active', answeredAt: Date.now() }] });
  await waitFor(async () => JSON.stringify((await sent()).at(-1)) === JSON.stringify([2, 0b001]));
  await press(0b11); // mute button pressed while off hook
  await waitFor(() => engine.calls.some((c) => c.name === 'mute'));
  engine.set({ calls: [{ ...ringingCall, state: 'active', answeredAt: Date.now(), muted: true }] });
  await waitFor(async () => JSON.stringify((await sent()).at(-1)) === JSON.stringify([2, 0b011]));
  await press(0b00); // hang up on the hook
  await waitFor(() => engine.calls.some((c) => c.name === 'hangup'));
  assert.deepEqual(engine.calls.map((c) => c.name), ['answer', 'mute', 'hangup']);
  engine.set(idleState);
});

test('settings: the chosen microphone and processing switches are remembered across a reload', { skip }, async () => {
  await page.getByRole('tab', { name: 'Messages' }).click();
  await page.getByText('No messages: messaging needs the phone core').waitFor();
  await page.getByRole('tab', { name: 'Settings' }).click();
  const mic = page.getByLabel('Microphone');
  await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('#audio-settings-inputDevice option').length > 1);
  const options = await mic.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
  const chosen = options.at(-1)!;
  assert.notEqual(chosen, '', 'Chromium lists its fake microphones');
  await mic.selectOption(chosen);
  await page.getByLabel('Noise suppression').uncheck();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).handsetTest?.connected() === true);
  await page.getByRole('tab', { name: 'Settings' }).click();
  assert.equal(await page.getByLabel('Noise suppression').isChecked(), false);
  assert.equal(await page.getByLabel('Echo cancellation').isChecked(), true);
  await page.waitForFunction((id) => (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('#audio-settings-inputDevice')?.value === id, chosen);
  assert.equal(await page.getByLabel('Speaker').count(), 1);
  assert.deepEqual(errors, [], 'the page loads under its CSP without errors or warnings');
  await page.getByRole('tab', { name: 'History' }).click();
});

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
