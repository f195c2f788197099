import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, hasSession, sessionCookie, type GuardInput } from '../../../src/ui/index.js';

const port = 5679;
const ok = { ok: true };
const rows: [string, Partial<GuardInput>, { ok: boolean; status?: number }][] = [
  ['page load', {}, ok],
  ['localhost', { host: 'localhost:5679' }, ok],
  ['IPv6 loopback', { host: '[::1]:5679' }, ok],
  ['Host in capitals', { host: 'LOCALHOST:5679' }, ok],
  ['no Host', { host: undefined }, { ok: false, status: 421 }],
  ['rebound name', { host: 'attacker.example:5679' }, { ok: false, status: 421 }],
  ['other port', { host: '127.0.0.1:5680' }, { ok: false, status: 421 }],
  ['0.0.0.0', { host: '0.0.0.0:5679' }, { ok: false, status: 421 }],
  ['preflight', { method: 'OPTIONS', origin: 'http://attacker.example' }, { ok: false, status: 405 }],
  ['cross-site fetch metadata', { secFetchSite: 'cross-site' }, { ok: false, status: 403 }],
  ['same-site (other port) fetch metadata', { secFetchSite: 'same-site' }, { ok: false, status: 403 }],
  ['typed address', { secFetchSite: 'none' }, ok],
  ['POST from our page', { method: 'POST', origin: 'http://127.0.0.1:5679' }, ok],
  ['POST without Origin', { method: 'POST' }, { ok: false, status: 403 }],
  ['POST from elsewhere', { method: 'POST', origin: 'http://attacker.example' }, { ok: false, status: 403 }],
  ['POST from another local port', { method: 'POST', origin: 'http://127.0.0.1:8080' }, { ok: false, status: 403 }],
  ['POST with Origin null', { method: 'POST', origin: 'null' }, { ok: false, status: 403 }],
  ['upgrade from our page', { upgrade: true, origin: 'http://localhost:5679' }, ok],
  ['upgrade without Origin', { upgrade: true }, { ok: false, status: 403 }],
  ['upgrade over https origin', { upgrade: true, origin: 'https://127.0.0.1:5679' }, { ok: false, status: 403 }],
];

for (const [name, input, want] of rows) {
  test(`request guard: ${name}`, () => {
    const v = checkRequest({ method: 'GET', host: '127.0.0.1:5679', origin: undefined, secFetchSite: undefined, upgrade: false, ...input }, port);
    assert.equal(v.ok, want.ok);
    if (!v.ok) assert.equal(v.status, want.status);
  });
}

test('the session cookie is checked exactly', () => {
  const token = 'A'.repeat(43);
  const value = sessionCookie(token).split(';')[0]!;
  assert.equal(hasSession(token, value), true);
  assert.equal(hasSession(token, `other=1; ${value}`), true);
  assert.equal(hasSession(token, `${value}x`), false);
  assert.equal(hasSession('B'.repeat(43), value), false);
  assert.equal(hasSession(token, undefined), false);
  assert.equal(hasSession(token, `handset_session=${token}`), false, 'the raw token is not a session');
});
