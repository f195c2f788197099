import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest } from '../../../src/sip/index.js';
import { Account, headerAutoAnswerMs } from '../../../src/phone/index.js';

const invite = (headers: Array<readonly [string, string]> = []) => createRequest({
  method: 'INVITE', uri: 'sip:bob@192.0.2.20',
  headers: [['Via', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1'], ['From', '<sip:a@x>;tag=1'], ['To', '<sip:bob@x>'], ['Call-ID', 'c1'], ['CSeq', '1 INVITE'], ...headers],
});

test('decision table: scanner, forwarding, DND, busy, ring with auto-answer', () => {
  const rows: Array<[string, ConstructorParameters<typeof Account>[0], string, boolean, string]> = [
    ['stranger refused', { aor: 'sip:bob@example.com', proxy: 'sip:192.0.2.1' }, '192.0.2.66', false, 'refuse 403'],
    ['proxy rings', { aor: 'sip:bob@example.com', proxy: 'sip:192.0.2.1' }, '192.0.2.1', false, 'ring'],
    ['no proxy: the AOR host is trusted', { aor: 'sip:bob@192.0.2.5' }, '192.0.2.5', false, 'ring'],
    ['direct calls allowed', { aor: 'sip:bob@example.com', directCalls: true }, '192.0.2.66', false, 'ring'],
    ['forward always beats DND', { aor: 'sip:bob@x', directCalls: true, dnd: 603, forward: { always: 'sip:c@x' } }, '1.2.3.4', false, 'forward sip:c@x'],
    ['DND 603', { aor: 'sip:bob@x', directCalls: true, dnd: 603 }, '1.2.3.4', false, 'reject 603'],
    ['DND 486', { aor: 'sip:bob@x', directCalls: true, dnd: 486 }, '1.2.3.4', false, 'reject 486'],
    ['busy', { aor: 'sip:bob@x', directCalls: true }, '1.2.3.4', true, 'reject 486'],
    ['busy forwarding', { aor: 'sip:bob@x', directCalls: true, forward: { busy: 'sip:c@x' } }, '1.2.3.4', true, 'forward sip:c@x'],
    ['auto-answer', { aor: 'sip:bob@x', directCalls: true, autoAnswerMs: 0 }, '1.2.3.4', false, 'ring auto=0'],
  ];
  for (const [name, settings, source, busy, expected] of rows) {
    const d = new Account(settings).decide(invite(), source, busy);
    const got = d.kind === 'refuse' || d.kind === 'reject' ? `${d.kind} ${d.status}` : d.kind === 'forward' ? `forward ${d.target}` : `ring${d.autoAnswerMs === undefined ? '' : ` auto=${d.autoAnswerMs}`}`;
    assert.equal(got, expected, name);
  }
});

test('header auto-answer: Call-Info answer-after and Alert-Info, only from trusted sources', () => {
  assert.equal(headerAutoAnswerMs(invite([['Call-Info', '<sip:x>;answer-after=3']])), 3000);
  assert.equal(headerAutoAnswerMs(invite([['Alert-Info', '<http://x>;info=alert-autoanswer']])), 0);
  assert.equal(headerAutoAnswerMs(invite([['Alert-Info', 'Auto Answer']])), 0);
  assert.equal(headerAutoAnswerMs(invite([['Call-Info', '<http://x/photo>;purpose=icon']])), undefined);
  const account = new Account({ aor: 'sip:bob@x', directCalls: true, trustedAutoAnswerSources: ['10.0.0.1'] });
  const asked = invite([['Call-Info', '<sip:x>;answer-after=0']]);
  const trusted = account.decide(asked, '10.0.0.1', false);
  const untrusted = account.decide(asked, '10.0.0.2', false);
  assert.ok(trusted.kind === 'ring' && trusted.autoAnswerMs === 0);
  assert.ok(untrusted.kind === 'ring' && untrusted.autoAnswerMs === undefined);
});

test('outbound proxy gets ;lr and the transport parameter is read', () => {
  const a = new Account({ aor: 'sip:bob@x', proxy: 'sip:127.0.0.1:5060;transport=tcp' });
  assert.equal(a.outboundProxy, 'sip:127.0.0.1:5060;transport=tcp;lr');
  assert.equal(a.transport, 'tcp');
  assert.throws(() => new Account({ aor: 'tel:+123' }), /not a sip: URI/);
});
