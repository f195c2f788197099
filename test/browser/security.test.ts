// Another web page in the same browser (holding the handset's cookie) tries to drive the
// handset: a same-site page on another loopback port, and a rebinding-style Host. Nothing gets
// through, and no call is placed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, startServer } from './support/chromium.js';

const skip = chromiumMissing();
let browser: Browser;
let server: HandsetServer;
let engine: LocalHandsetEngine;
let attacker: Server;
let attackerPort: number;

before(async () => {
  if (skip) return;
  buildUi();
  engine = new LocalHandsetEngine();
  server = await startServer(engine);
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerPort = (attacker.address() as AddressInfo).port;
  // rebind.example resolves to 127.0.0.1, as a rebinding attacker's DNS would make it.
  browser = await launchChromium(undefined, ['--host-resolver-rules=MAP rebind.example 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  await server?.close();
  attacker?.close();
});

test('a page on another loopback port cannot call commands, open the WebSocket or read state, even with the cookie present', { skip }, async () => {
  const { context } = await openHandset(browser, server);
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    const results = await page.evaluate(async (target) => {
      const out: Record<string, string> = {};
      const attempt = async (name: string, f: () => Promise<unknown>): Promise<void> => {
        try {
          out[name] = `succeeded: ${String(await f())}`;
        } catch (e) {
          out[name] = `failed: ${(e as Error).name}`;
        }
      };
      await attempt('json-post', () => fetch(`${target}/api/commands/echo-test`, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status));
      await attempt('form-post', () => fetch(`${target}/api/commands/echo-test`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{}' }).then((r) => r.type));
      await attempt('read-state', () => fetch(`${target}/api/state`, { credentials: 'include' }).then((r) => r.text()));
      await attempt('websocket', () => new Promise((resolve, reject) => {
        const ws = new WebSocket(`${target.replace('http', 'ws')}/ws`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => reject(new Error('refused'));
      }));
      return out;
    }, `http://127.0.0.1:${server.port}`);
    assert.match(results['json-post']!, /^failed: TypeError/, 'the preflight is refused (no CORS headers)');
    assert.match(results['read-state']!, /^failed: TypeError/, 'no CORS: the response cannot be read');
    assert.match(results['websocket']!, /^failed/, 'the upgrade is refused');
    // An opaque no-cors POST "succeeds" from the page's point of view; the server refused it.
    assert.deepEqual(engine.snapshot().calls, [], 'no echo test was started');
  } finally {
    await context.close();
  }
});

test('a page loaded as rebind.example (resolving to 127.0.0.1) gets nothing (DNS rebinding)', { skip }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const r = await page.goto(`http://rebind.example:${server.port}/?token=${new URL(server.openUrl).searchParams.get('token')}`);
    assert.equal(r?.status(), 421);
    assert.equal(r?.headers()['set-cookie'], undefined, 'not even the right token opens it');
    assert.match(await page.locator('body').innerText(), /Host is not a loopback address/);
  } finally {
    await context.close();
  }
});
