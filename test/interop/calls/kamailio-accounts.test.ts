// One Handset hosting two kamailio users (two accounts on one Phone, one SIP port): a second
// Handset calls each AOR and the right account rings, each account's DND applies to its own
// calls, and a call placed from the second account carries its identity and passes kamailio's
// INVITE digest with its credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { startPhone, type Account, type Call, type Phone } from '../../../src/phone/index.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

const incoming = (p: Phone): Promise<Call> => new Promise((r) => p.once('incoming', r));
const answered = (c: Call): Promise<void> => new Promise((r) => c.once('answered', () => r()));
const ended = (c: Call) => c.whenEnded();

test('two kamailio users on one Handset: each AOR rings its own account, with its own DND and identity', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const [alice, bob, carol] = k.users as [typeof k.users[0], typeof k.users[0], typeof k.users[0]];
  const aor = (u: { user: string }): string => `sip:${u.user}@${k.domain}`;
  const shared = await startPhone({
    accounts: [
      { aor: aor(alice), password: alice.password, proxy: k.proxyUri('udp') },
      { aor: aor(bob), password: bob.password, proxy: k.proxyUri('udp') },
    ],
  });
  t.after(() => shared.close());
  const registered = new Set<string>();
  await new Promise<void>((resolve, reject) => shared.on('registration', (e, account: Account) => {
    if (e.type === 'registration-failed') reject(new Error(`${account.id}: ${e.reason}`));
    if (e.type === 'registered') registered.add(account.id);
    if (registered.size === 2) resolve();
  }));
  const caller = await startPhone({ account: { aor: aor(carol), password: carol.password, proxy: k.proxyUri('udp') } });
  t.after(() => caller.close());
  await new Promise<void>((resolve, reject) => caller.on('registration', (e) => (e.type === 'registered' ? resolve() : e.type === 'registration-failed' ? reject(new Error(e.reason)) : undefined)));

  // carol → alice, then carol → bob: each rings its own account on the one phone.
  for (const u of [alice, bob]) {
    const rings = incoming(shared);
    const out = (await caller.dial(u.user)) as Call;
    const call = await rings;
    assert.equal(call.account, aor(u), `${u.user}'s account rings`);
    assert.equal(shared.accountOf(call)?.id, aor(u));
    const up = answered(out);
    assert.ok(call.answer());
    await up;
    out.hangup();
    await ended(call);
  }
  assert.deepEqual(shared.history.rows.map((r) => r.account), [aor(alice), aor(bob)]);

  // alice on DND (603): her calls are declined, bob's still ring.
  shared.accounts[0]!.settings.dnd = 603;
  const declined = (await caller.dial(alice.user)) as Call;
  assert.equal((await ended(declined)).status, 603);
  const rings = incoming(shared);
  const toBob = (await caller.dial(bob.user)) as Call;
  assert.equal((await rings).account, aor(bob));
  toBob.hangup();
  await ended(toBob);

  // bob's account calls carol: kamailio challenges the INVITE, bob's credentials answer it, carol sees bob.
  const carolRings = incoming(caller);
  const fromBob = (await shared.dial(carol.user, { account: aor(bob) })) as Call;
  const atCarol = await carolRings;
  assert.equal(atCarol.remoteUri, aor(bob));
  const up = answered(fromBob);
  atCarol.answer();
  await up;
  fromBob.hangup();
  await ended(atCarol);
});
