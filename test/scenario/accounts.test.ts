// Several accounts on one Phone: each registers at its own registrar, incoming INVITEs go to the
// account they are addressed to (with that account's policy), outgoing calls use the chosen
// account's identity, credentials and outbound proxy; CANCEL bytes (RFC 3261 §9.1); 3xx target sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest } from '../../src/sip/auth/index.js';
import { HeaderId, type SipMessage } from '../../src/sip/index.js';
import { phoneCommands, type Call, type Phone } from '../../src/phone/index.js';
import { MiniRegistrar } from '../unit/sip/ua/mini-registrar.js';
import { rawPeer, type World as SessionWorld } from '../unit/sip/session/harness.js';
import { world, nextIncoming } from './world.js';

type W = ReturnType<typeof world>;

async function dial(from: Phone, target: string, account?: string): Promise<Call> {
  const c = await from.dial(target, account === undefined ? {} : { account });
  assert.ok(typeof c !== 'string', String(c));
  return c as Call;
}

/** A scripted SIP peer at host:5060 on the scenario's network. */
const peer = (w: W, host: string) => rawPeer({ net: w.sip } as unknown as SessionWorld, host);

async function registrar(w: W, host: string, realm: string, users: Record<string, string>): Promise<MiniRegistrar> {
  const r = new MiniRegistrar(w.sip, { host, port: 5070, realm, users });
  await r.start();
  return r;
}

test('two accounts on one phone: each registers at its registrar, each call rings its own account with its own DND', async () => {
  const w = world();
  const regA = await registrar(w, '192.0.2.1', 'a.example', { alice: 'pw-a' });
  const regB = await registrar(w, '192.0.2.2', 'b.example', { bob: 'pw-b' });
  const phone = await w.phone('192.0.2.20', {
    accounts: [
      { aor: 'sip:alice@a.example', password: 'pw-a', proxy: 'sip:192.0.2.1:5070' },
      { aor: 'sip:bob@b.example', password: 'pw-b', proxy: 'sip:192.0.2.2:5070', dnd: 603 },
    ],
  });
  const registered: string[] = [];
  phone.on('registration', (e, account) => e.type === 'registered' && registered.push(account.id));
  await w.run(1000);
  assert.deepEqual(registered.sort(), ['sip:alice@a.example', 'sip:bob@b.example']);
  assert.deepEqual([...regA.bindings.keys()], ['sip:alice@a.example']);
  assert.deepEqual([...regB.bindings.keys()], ['sip:bob@b.example']);
  assert.match(regA.bindings.get('sip:alice@a.example')!.contact, /^<?sip:alice@192\.0\.2\.20:5060/);
  assert.match(regB.bindings.get('sip:bob@b.example')!.contact, /^<?sip:bob@192\.0\.2\.20:5060/);
  // The proxies (same hosts as the registrars) deliver calls to the registered contacts.
  const proxyA = await w.phone('192.0.2.1');
  const proxyB = await w.phone('192.0.2.2');
  const refused: string[] = [];
  phone.on('refused', (r) => refused.push(`${r.account} ${r.status} ${r.reason}`));
  const ringing = nextIncoming(phone);
  const toAlice = await dial(proxyA, 'sip:alice@192.0.2.20');
  const toBob = await dial(proxyB, 'sip:bob@192.0.2.20');
  await w.run(200);
  const rang = await ringing;
  assert.equal(phone.accountOf(rang)?.id, 'sip:alice@a.example');
  assert.equal(rang.account, 'sip:alice@a.example');
  assert.equal(toAlice.state, 'ringing');
  assert.equal(toBob.end?.status, 603, "bob's DND");
  assert.equal(toBob.end?.reason, 'declined');
  // alice's scanner defense: her contact called from bob's proxy is refused.
  const stray = await dial(proxyB, 'sip:alice@192.0.2.20');
  await w.run(200);
  assert.equal(stray.end?.status, 403);
  assert.deepEqual(refused, ['sip:bob@b.example 603 do not disturb', 'sip:alice@a.example 403 INVITE from 192.0.2.2, not our registrar/proxy']);
  // History rows name the account; refused calls have none.
  assert.deepEqual(phone.history.rows.map((r) => `${r.direction} ${r.account}`), ['incoming sip:alice@a.example']);
  // Turn alice's DND on and bob's off at run time: the policy follows the account.
  phone.accounts[0]!.settings.dnd = 486;
  phone.accounts[1]!.settings.dnd = false;
  rang.reject(486);
  const bobRings = nextIncoming(phone);
  const again = await dial(proxyA, 'sip:alice@192.0.2.20');
  const bobCall = await dial(proxyB, 'sip:bob@192.0.2.20');
  await w.run(200);
  assert.equal(again.end?.status, 486);
  assert.equal((await bobRings).account, 'sip:bob@b.example');
  assert.equal(bobCall.state, 'ringing');
});

test('two accounts with the same user name: the INVITE goes to the account whose registrar sent it', async () => {
  const w = world();
  const phone = await w.phone('192.0.2.20', {
    accounts: [
      { aor: 'sip:alice@a.example', proxy: 'sip:192.0.2.1:5070' },
      { aor: 'sip:alice@b.example', proxy: 'sip:192.0.2.2:5070', autoAnswerMs: 0 },
    ],
  });
  const proxyB = await w.phone('192.0.2.2');
  const ringing = nextIncoming(phone);
  const c = await dial(proxyB, 'sip:alice@192.0.2.20');
  await w.run(200);
  assert.equal((await ringing).account, 'sip:alice@b.example');
  assert.equal(c.state, 'active', "b's auto-answer applied");
});

test('accounts added and removed at run time; an outgoing call names its account: its From, credentials and proxy; CANCEL copies the INVITE', async () => {
  const w = world();
  const proxy = await peer(w, '192.0.2.5');
  const phone = await w.phone('192.0.2.20', { account: { aor: 'sip:alice@a.example', proxy: 'sip:192.0.2.1', register: false } });
  const changes: string[][] = [];
  phone.on('accounts', (list) => changes.push(list.map((a) => a.id)));
  const bob = phone.addAccount({ id: 'work', aor: 'sip:bob@b.example', password: 'pw-b', proxy: 'sip:192.0.2.5', register: false, displayName: 'Bob B' });
  assert.equal(bob.id, 'work');
  assert.throws(() => phone.addAccount({ id: 'work', aor: 'sip:x@b.example' }), /exists/);
  assert.equal(typeof (await phone.dial('carol', { account: 'nobody' })), 'string');
  const call = await dial(phone, 'carol', 'work');
  assert.equal(call.remoteUri, 'sip:carol@b.example', "the target resolved in the account's domain");
  await w.run(50);
  const first = proxy.requests('INVITE')[0]!;
  assert.match(first.header(HeaderId.From)!, /^"Bob B" <sip:bob@b\.example>;tag=/);
  assert.equal(first.header(HeaderId.Route), '<sip:192.0.2.5;lr>');
  assert.match(first.header(HeaderId.Contact)!, /^<sip:bob@192\.0\.2\.20:5060/);
  proxy.reply(first, 407, { toTag: 'p1', headers: [['Proxy-Authenticate', 'Digest realm="b.example", nonce="n1", qop="auth", algorithm=MD5']] });
  await w.run(50);
  const invite = proxy.requests('INVITE')[1]!;
  const creds = invite.get(HeaderId.ProxyAuthorization)![0]!.params;
  assert.equal(creds.get('username'), 'bob');
  const expected = computeDigest({
    algorithm: 'MD5', username: 'bob', realm: 'b.example', password: 'pw-b', method: 'INVITE', uri: creds.get('uri') ?? '', nonce: 'n1',
    qop: 'auth', nc: creds.get('nc') ?? '', cnonce: creds.get('cnonce') ?? '',
  }).response;
  assert.equal(creds.get('response'), expected);
  proxy.reply(invite, 180, { toTag: 'b1', headers: [['Contact', '<sip:carol@192.0.2.5>']] });
  await w.run(50);
  assert.equal(call.state, 'ringing');
  call.hangup();
  await w.run(50);
  // RFC 3261 §9.1: same Request-URI, Call-ID, From, To (no tag), CSeq number; the INVITE's top Via only; its Route.
  const cancel = proxy.requests('CANCEL')[0]!;
  const same = (h: HeaderId): void => assert.equal(cancel.header(h), invite.header(h), HeaderId[h]);
  assert.equal(cancel.requestUriText, invite.requestUriText);
  assert.equal(cancel.headerAll(HeaderId.Via).length, 1);
  assert.equal(cancel.headerAll(HeaderId.Via)[0], firstVia(invite));
  for (const h of [HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.Route]) same(h);
  assert.equal(cancel.header(HeaderId.CSeq), `${invite.cseq} CANCEL`);
  // A NICT: retransmitted until its 200.
  await w.run(600);
  assert.equal(proxy.requests('CANCEL').length, 2);
  proxy.reply(cancel, 200, { toTag: 'b1' });
  proxy.reply(invite, 487, { toTag: 'b1' });
  await w.run(5000);
  assert.equal(proxy.requests('CANCEL').length, 2);
  assert.equal(call.end?.reason, 'cancelled');
  assert.deepEqual(phone.history.rows.map((r) => r.account), ['sip:bob@b.example']);
  // Removal: the account is gone, the default account places calls again.
  assert.equal(await phone.removeAccount('work'), true);
  assert.equal(await phone.removeAccount('work'), false);
  assert.deepEqual(changes, [['sip:alice@a.example', 'work'], ['sip:alice@a.example']]);
  assert.deepEqual(phone.accounts.map((a) => a.id), ['sip:alice@a.example']);
});

test('a phone with no account places direct calls; an account added later rings for its own AOR', async () => {
  const w = world();
  const phone = await w.phone('192.0.2.20');
  const carol = await w.phone('192.0.2.30');
  const ringing = nextIncoming(carol);
  await dial(phone, 'sip:carol@192.0.2.30');
  await w.run(100);
  assert.equal((await ringing).remoteUri, 'sip:handset@192.0.2.20');
  phone.addAccount({ aor: 'sip:zoe@z.example', directCalls: true });
  const zoeRings = nextIncoming(phone);
  await dial(carol, 'sip:zoe@192.0.2.20');
  await w.run(100);
  assert.equal((await zoeRings).account, 'sip:zoe@z.example');
});

test('3xx with three Contacts: tried in q order, the first fails with 404, the second answers, the third is never tried', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const redirector = await peer(w, '192.0.2.20');
  const nobody = await peer(w, '192.0.2.30');
  const carol = await w.phone('192.0.2.40');
  const dave = await peer(w, '192.0.2.50');
  const carolRings = nextIncoming(carol);
  const a = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(50);
  redirector.reply(redirector.requests('INVITE')[0]!, 300, {
    toTag: 'r1',
    reason: 'Multiple Choices',
    headers: [['Contact', '<sip:dave@192.0.2.50>;q=0.1, <sip:nobody@192.0.2.30>;q=0.9'], ['Contact', '<sip:carol@192.0.2.40>;q=0.5']],
  });
  await w.run(50);
  nobody.reply(nobody.requests('INVITE')[0]!, 404, { toTag: 'n1' });
  await w.run(100);
  (await carolRings).answer();
  await w.run(100);
  assert.equal(a.state, 'active');
  assert.equal(a.redirects, 2);
  assert.equal(nobody.requests('INVITE').length, 1);
  assert.equal(dave.requests('INVITE').length, 0);
});

test('3xx target set: a failing last target ends the call with its own status; maxRedirects bounds a chain', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10', { maxRedirects: 2 });
  const redirector = await peer(w, '192.0.2.20');
  const nobody = await peer(w, '192.0.2.30');
  const a = await dial(alice, 'sip:bob@192.0.2.20');
  await w.run(50);
  // The original target again (a loop) and one new one.
  redirector.reply(redirector.requests('INVITE')[0]!, 302, { toTag: 'r1', headers: [['Contact', '<sip:bob@192.0.2.20>, <sip:nobody@192.0.2.30>']] });
  await w.run(50);
  assert.equal(redirector.requests('INVITE').length, 1, 'the tried URI is not tried again');
  nobody.reply(nobody.requests('INVITE')[0]!, 404, { toTag: 'n1' });
  await w.run(50);
  assert.equal(a.end?.status, 404);
  assert.equal(a.end?.reason, 'not-found');
  // p1 → p2 → p3 → p4: with maxRedirects 2 the third 302 is not followed.
  for (const [host, next] of [['192.0.2.61', '192.0.2.62'], ['192.0.2.62', '192.0.2.63'], ['192.0.2.63', '192.0.2.64']]) {
    await w.phone(host!, { account: { aor: `sip:p@${host}`, directCalls: true, forward: { always: `sip:p@${next}` } } });
  }
  const chain = await dial(alice, 'sip:p@192.0.2.61');
  await w.run(500);
  assert.equal(chain.redirects, 2);
  assert.equal(chain.end?.reason, 'redirect-loop');
  assert.equal(chain.end?.text, 'more than 2 redirects');
});

function firstVia(m: SipMessage): string {
  return m.headerAll(HeaderId.Via)[0]!.split(',')[0]!.trim();
}

test('command table: dial names its account; accounts lists them', async () => {
  const w = world();
  const phone = await w.phone('192.0.2.20', { accounts: [{ aor: 'sip:alice@192.0.2.30' }, { id: 'b', aor: 'sip:bob@192.0.2.30' }] });
  const carol = await w.phone('192.0.2.30');
  const run = (name: string, ...args: string[]) => phoneCommands.find((c) => c.name === name)!.run(phone, args);
  const ringing = nextIncoming(carol);
  const r = await run('dial', 'carol', 'b');
  assert.equal(r.message, 'calling sip:carol@192.0.2.30 from sip:bob@192.0.2.30');
  await w.run(100);
  assert.equal((await ringing).remoteUri, 'sip:bob@192.0.2.30');
  assert.equal((await run('dial', 'carol', 'nobody')).message, 'no account "nobody"');
  assert.deepEqual((await run('accounts')).data, [
    { id: 'sip:alice@192.0.2.30', aor: 'sip:alice@192.0.2.30', registration: undefined },
    { id: 'b', aor: 'sip:bob@192.0.2.30', registration: undefined },
  ]);
});

test('removing an account ends its calls and stops its registration; its INVITEs then fall to the default account', async () => {
  const w = world();
  const regB = await registrar(w, '192.0.2.2', 'b.example', { bob: 'pw-b' });
  const phone = await w.phone('192.0.2.20', {
    accounts: [{ aor: 'sip:alice@192.0.2.20', directCalls: true }, { aor: 'sip:bob@b.example', password: 'pw-b', proxy: 'sip:192.0.2.2:5070' }],
  });
  await w.run(500);
  assert.equal(regB.bindings.size, 1);
  const proxyB = await w.phone('192.0.2.2');
  const rings = nextIncoming(phone);
  const toBob = await dial(proxyB, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal((await rings).account, 'sip:bob@b.example');
  const removed = phone.removeAccount('sip:bob@b.example');
  await w.run(500);
  assert.equal(await removed, true);
  assert.equal(toBob.state, 'ended');
  assert.equal(regB.bindings.size, 0, 'unregistered');
  const next = nextIncoming(phone);
  await dial(proxyB, 'sip:bob@192.0.2.20');
  await w.run(100);
  assert.equal((await next).account, 'sip:alice@192.0.2.20', 'no account of that name any more: the default one takes it');
});
