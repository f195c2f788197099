// Accounts from the page's settings in Chromium, on one running phone: two accounts added at
// kamailio (the second over TCP) both show "registered" and are in kamailio's location table
// (ul.dump); the dial chooser appears; a bad field is named; removing one unregisters it at
// kamailio while the other stays registered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { PhoneHandsetEngine } from '../../src/app/phone-engine.js';
import { startPhone, type Phone } from '../../src/phone/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { repoRoot } from '../support/paths.js';
import { skipUnless } from '../support/peers/env.js';
import { startKamailio } from '../support/peers/kamailio.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, startServer } from './support/chromium.js';

const skip = chromiumMissing() ?? skipUnless('kamailio', 'kamcmd', 'openssl');
let browser: Browser;
let server: HandsetServer;
let phone: Phone;
let engine: PhoneHandsetEngine;

before(async () => {
  if (skip) return;
  buildUi();
  // No account at start, as `handset serve` without --user: accounts come from the page.
  phone = await startPhone({ host: '127.0.0.1' });
  engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 0 });
  server = await startServer(engine);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  await phone?.close();
});

async function addAccount(form: Locator, fields: { aor: string; password: string; proxy: string; transport: string; displayName?: string }): Promise<void> {
  await form.getByLabel('SIP address').fill(fields.aor);
  await form.getByLabel('Password').fill(fields.password);
  await form.getByLabel('Display name').fill(fields.displayName ?? '');
  await form.getByLabel('Proxy').fill(fields.proxy);
  await form.getByLabel('Transport').selectOption(fields.transport);
  await form.getByRole('button', { name: 'Add account' }).click();
}

const accountRow = (page: Page, aor: string): Locator => page.getByRole('list', { name: 'Accounts' }).locator(`li[data-aor="${aor}"]`);

test('Settings: two accounts added from the page register at kamailio at once (the second over TCP), both in ul.dump; removing one unregisters it', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t, ipv6: false });
  const [alice, bob] = k.users as [{ user: string; password: string }, { user: string; password: string }];
  const aliceAor = `sip:${alice.user}@${k.domain}`;
  const bobAor = `sip:${bob.user}@${k.domain}`;
  const { context, page } = await openHandset(browser, server);
  try {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('No accounts yet').waitFor();
    const form = page.getByRole('form', { name: 'Add account' });

    // A proxy saying TCP with the transport field on UDP: the field is named.
    await addAccount(form, { aor: aliceAor, password: alice.password, proxy: `sip:127.0.0.1:${k.udpPort};transport=tcp`, transport: 'udp' });
    await page.locator('#account-form-transport-error').filter({ hasText: 'transport: "udp", but the proxy says ;transport=tcp' }).waitFor();
    assert.equal(await form.getByLabel('Transport').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(engine.snapshot().accounts, []);

    await addAccount(form, { aor: aliceAor, password: alice.password, proxy: `sip:127.0.0.1:${k.udpPort}`, transport: 'udp', displayName: 'Alice' });
    await accountRow(page, aliceAor).getByText(/\(udp\): registered/).waitFor({ timeout: 10_000 });
    assert.equal(await form.getByLabel('SIP address').inputValue(), '', 'the form is cleared after an add');
    await addAccount(form, { aor: bobAor, password: bob.password, proxy: `sip:127.0.0.1:${k.tcpPort}`, transport: 'tcp' });
    await accountRow(page, bobAor).getByText(/\(tcp\): registered/).waitFor({ timeout: 10_000 });
    await accountRow(page, aliceAor).getByText(/\(udp\): registered/).waitFor();

    const both = await k.waitForBinding((b) => b.some((x) => x.aor === alice.user) && b.some((x) => x.aor === bob.user), 10_000);
    t.diagnostic(`kamailio's bindings: ${both.map((b) => `${b.aor} ${b.socket} ${b.contact}`).join('; ')}`);
    assert.ok(both.some((b) => b.aor === alice.user && b.socket.startsWith('udp:')), 'alice registered over UDP');
    assert.ok(both.some((b) => b.aor === bob.user && b.socket.startsWith('tcp:')), 'bob registered over TCP');
    assert.ok(phone.options.stack.transport.listeners().some((l) => l.transport === 'tcp'), 'the running phone opened a TCP listener for bob');

    // Two accounts: the display names the default with a count, the dial chooser offers both.
    const chooser = page.getByLabel('Call from');
    await chooser.waitFor({ state: 'visible' });
    assert.deepEqual(await chooser.locator('option').allTextContents(), [`Alice <${aliceAor}>`, bobAor]);
    assert.equal(await page.locator('#account-line').innerText(), 'Alice +1');
    await chooser.selectOption(bobAor);
    assert.equal(await page.locator('#account-line').innerText(), `${bobAor} +1`, 'the display names the account the next call goes from');
    await accountRow(page, aliceAor).getByText('default', { exact: true }).waitFor();
    const artifacts = join(repoRoot(), 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'handset-accounts.png') });

    // Edit the default account: a new display name (password left empty: kept); both register
    // anew (re-added in order, so alice stays the default).
    await accountRow(page, aliceAor).getByRole('button', { name: `Edit ${aliceAor}` }).click();
    const edit = page.getByRole('form', { name: 'Edit account' });
    assert.equal(await edit.getByLabel('SIP address').inputValue(), aliceAor);
    assert.equal(await edit.getByLabel('Proxy').inputValue(), `sip:127.0.0.1:${k.udpPort}`);
    await edit.getByLabel('Display name').fill('Alice A');
    await edit.getByRole('button', { name: 'Save account' }).click();
    await page.getByRole('form', { name: 'Add account' }).waitFor();
    await accountRow(page, aliceAor).getByText(/^Alice A <.*\(udp\): registered/).waitFor({ timeout: 10_000 });
    await accountRow(page, bobAor).getByText(/\(tcp\): registered/).waitFor({ timeout: 10_000 });
    assert.deepEqual(engine.snapshot().accounts.map((a) => a.aor), [aliceAor, bobAor], 'the default stays first');
    await k.waitForBinding((b) => b.some((x) => x.aor === alice.user) && b.some((x) => x.aor === bob.user), 10_000);

    await accountRow(page, bobAor).getByRole('button', { name: `Remove ${bobAor}` }).click();
    await k.waitForBinding((b) => !b.some((x) => x.aor === bob.user) && b.some((x) => x.aor === alice.user), 10_000);
    await accountRow(page, bobAor).waitFor({ state: 'detached' });
    await chooser.waitFor({ state: 'hidden' });
    assert.deepEqual(engine.snapshot().accounts.map((a) => [a.aor, a.registration]), [[aliceAor, 'registered']]);
    assert.equal(await page.locator('#registration').innerText(), 'registered');
  } finally {
    await context.close();
  }
});
