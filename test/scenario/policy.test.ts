// Incoming-call policy between Handsets: scanner defense, DND, forwarding, busy, auto-answer,
// redirects followed with a loop limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Call, CallEnd } from '../../src/phone/index.js';
import { world, nextIncoming } from './world.js';

const endOf = (c: Call): Promise<CallEnd> => new Promise((r) => c.once('ended', r));

async function dial(from: Awaited<ReturnType<ReturnType<typeof world>['phone']>>, target: string, headers?: Array<readonly [string, string]>): Promise<Call> {
  const c = await from.dial(target, headers ? { headers } : {});
  assert.ok(typeof c !== 'string', String(c));
  return c as Call;
}

test('scanner defense: an INVITE at our contact from a stranger gets 403, no ring, no history row', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20', { account: { aor: 'sip:bob@example.com', proxy: 'sip:192.0.2.1' } });
  let rang = false;
  bob.on('incoming', () => (rang = true));
  const refused: string[] = [];
  bob.on('refused', (r) => refused.push(`${r.status} ${r.source}`));
  const a = await dial(alice, 'sip:bob@192.0.2.20');
  const end = endOf(a);
  await w.run(100);
  assert.equal((await end).status, 403);
  assert.equal(a.end?.reason, 'forbidden');
  assert.equal(rang, false);
  assert.deepEqual(refused, ['403 192.0.2.10']);
  assert.equal(bob.history.rows.length, 0);
  // The proxy's address is trusted: a call from there rings.
  const proxy = await w.phone('192.0.2.1');
  const ringing = nextIncoming(bob);
  await dial(proxy, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal((await ringing).state, 'ringing');
  assert.equal(bob.history.rows.length, 1);
});

test('direct calls allowed: the same INVITE rings', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20', { account: { aor: 'sip:bob@example.com', proxy: 'sip:192.0.2.1', directCalls: true } });
  const ringing = nextIncoming(bob);
  await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal((await ringing).remoteUri, 'sip:handset@192.0.2.10');
});

test('DND rejects with the configured status (603 → declined, 486 → busy)', async () => {
  for (const [status, reason] of [[603, 'declined'], [486, 'busy']] as const) {
    const w = world();
    const alice = await w.phone('192.0.2.10');
    await w.phone('192.0.2.20', { account: { aor: 'sip:bob@192.0.2.20', directCalls: true, dnd: status } });
    const a = await dial(alice, 'sip:bob@192.0.2.20');
    await w.run(100);
    assert.equal(a.end?.status, status);
    assert.equal(a.end?.reason, reason);
  }
});

test('forwarding: unconditional 302 is followed to the target', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  await w.phone('192.0.2.20', { account: { aor: 'sip:bob@192.0.2.20', directCalls: true, forward: { always: 'sip:carol@192.0.2.30' } } });
  const carol = await w.phone('192.0.2.30');
  const ringing = nextIncoming(carol);
  const a = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(100);
  const c = await ringing;
  assert.equal(a.redirects, 1);
  assert.equal(a.state, 'ringing');
  c.answer();
  await w.run(100);
  assert.equal(a.state, 'active');
});

test('forwarding on busy and on no answer; busy without forwarding is 486', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const dave = await w.phone('192.0.2.40');
  const bob = await w.phone('192.0.2.20', { maxLines: 1, account: { aor: 'sip:bob@192.0.2.20', directCalls: true, forward: { busy: 'sip:carol@192.0.2.30', noAnswer: { target: 'sip:carol@192.0.2.30', afterMs: 5000 } } } });
  const carol = await w.phone('192.0.2.30');
  // No answer for 5 s: 302 to carol.
  const toCarol = nextIncoming(carol);
  const first = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(4000);
  assert.equal(first.redirects, 0);
  await w.run(1200);
  assert.equal(first.redirects, 1);
  (await toCarol).answer();
  await w.run(100);
  assert.equal(first.state, 'active');
  // bob busy (one line, in a call with dave): the next call goes to carol.
  const bobRings = nextIncoming(bob);
  await dial(dave, 'sip:bob@192.0.2.20');
  await w.run(100);
  (await bobRings).answer();
  await w.run(100);
  const second = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal(second.redirects, 1);
  // Without busy forwarding: 486.
  bob.account!.settings.forward = undefined;
  const third = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal(third.end?.status, 486);
  assert.equal(third.end?.reason, 'busy');
});

test('redirect loop: a 302 back to a URI already tried is not followed (RFC 3261 §8.1.3.4)', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  await w.phone('192.0.2.20', { account: { aor: 'sip:bob@192.0.2.20', directCalls: true, forward: { always: 'sip:bob@192.0.2.20' } } });
  const a = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(500);
  assert.equal(a.redirects, 0);
  assert.equal(a.end?.reason, 'redirect-loop');
  assert.equal(a.end?.status, 302);
});

test('auto-answer: configured, and by Call-Info answer-after only from a trusted source', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const mallory = await w.phone('192.0.2.66');
  const bob = await w.phone('192.0.2.20', { account: { aor: 'sip:bob@192.0.2.20', directCalls: true, trustedAutoAnswerSources: ['192.0.2.10'] } });
  const header = [['Call-Info', '<sip:192.0.2.10>;answer-after=1']] as const;
  const a = await dial(alice, 'sip:bob@192.0.2.20', [...header]);
  const m = await dial(mallory, 'sip:bob@192.0.2.20', [...header]);
  await w.run(500);
  assert.equal(a.state, 'ringing');
  await w.run(1000);
  assert.equal(a.state, 'active', 'trusted answer-after=1 answered after 1 s');
  assert.equal(m.state, 'ringing', 'untrusted header ignored');
  bob.account!.settings.autoAnswerMs = 0;
  const again = await dial(mallory, 'sip:bob@192.0.2.20');
  void again;
  await w.run(200);
  // Two lines are busy now (alice active, mallory ringing): the third gets 486.
  assert.equal(again.end?.status, 486);
  m.hangup();
  await w.run(100);
  const third = await dial(mallory, 'sip:bob@192.0.2.20');
  await w.run(200);
  assert.equal(third.state, 'active', 'configured auto-answer');
  // Answered at once: the 200 is its first response. The two that rang first got their 180s.
  const from = (p: { from: { address: string } }) => p.from.address === '192.0.2.20';
  assert.equal(w.sip.log.filter((p) => from(p) && p.text.startsWith('SIP/2.0 180')).length, 2);
  assert.equal(third.state, 'active');
});
