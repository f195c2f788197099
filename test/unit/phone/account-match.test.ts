// Which account a new INVITE is for (Account.matchScore) and a call's 3xx target set (RedirectTargets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest } from '../../../src/sip/index.js';
import { Account } from '../../../src/phone/index.js';
import { RedirectTargets } from '../../../src/phone/redirect-targets.js';

const invite = (uri: string, to: string) => createRequest({
  method: 'INVITE', uri,
  headers: [['Via', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1'], ['From', '<sip:a@x>;tag=1'], ['To', `<${to}>`], ['Call-ID', 'c1'], ['CSeq', '1 INVITE']],
});

test('matchScore: Request-URI = AOR beats contact user; To and the registrar source add; strangers score 0', () => {
  const a = new Account({ aor: 'sip:alice@a.example', proxy: 'sip:192.0.2.1' });
  const b = new Account({ aor: 'sip:alice@B.example', proxy: 'sip:192.0.2.2' });
  const c = new Account({ aor: 'sip:carol@a.example', proxy: 'sip:192.0.2.1' });
  const rows: Array<[string, string, string, [number, number, number]]> = [
    ['contact from registrar A', 'sip:alice@192.0.2.20:5060', 'sip:alice@a.example', [2 + 1 + 1, 2, 1]],
    ['contact from registrar B, To rewritten', 'sip:alice@192.0.2.20', 'sip:alice@192.0.2.20', [2, 2 + 1, 0]],
    ['AOR as Request-URI (host case-insensitive)', 'sip:alice@b.EXAMPLE', 'sip:alice@b.example', [2, 4 + 1, 0]],
    ['nobody of ours from a stranger', 'sip:zed@192.0.2.20', 'sip:zed@192.0.2.20', [0, 0, 0]],
  ];
  for (const [name, ruri, to, [sa, sb, sc]] of rows) {
    const source = name.includes('registrar B') ? '192.0.2.2' : name.includes('registrar A') ? '192.0.2.1' : '192.0.2.99';
    const req = invite(ruri, to);
    assert.deepEqual([a.matchScore(req, source), b.matchScore(req, source), c.matchScore(req, source)], [sa, sb, sc], name);
  }
});

test('identity: display name quoted, AOR without parameters; id defaults to the AOR', () => {
  const a = new Account({ aor: 'sip:alice@a.example;transport=tcp', displayName: 'Alice "A"' });
  assert.equal(a.identity, '"Alice A" <sip:alice@a.example>');
  assert.equal(a.id, 'sip:alice@a.example;transport=tcp');
  assert.equal(new Account({ id: 'w', aor: 'sip:x@y' }).id, 'w');
});

test('RedirectTargets: later 3xx targets first, each URI once (equal by RFC 3261 §19.1.4), tel: skipped', () => {
  const set = new RedirectTargets('sip:bob@192.0.2.20');
  set.add(['sip:c@192.0.2.30', 'sip:BOB@192.0.2.20', 'sip:bob@192.0.2.20', 'tel:+15551234', 'sip:d@192.0.2.40']);
  assert.equal(set.pending, 3, 'bob (tried) skipped; BOB differs (user is case-sensitive)');
  assert.equal(set.next(), 'sip:c@192.0.2.30');
  set.add(['sip:e@192.0.2.50', 'sip:d@192.0.2.40', 'sip:c@192.0.2.30']);
  assert.deepEqual([set.next(), set.next(), set.next(), set.next()], ['sip:e@192.0.2.50', 'sip:BOB@192.0.2.20', 'sip:d@192.0.2.40', undefined]);
});
