// Smoke test of the linphonec harness: it starts, answers console commands, and registers to
// kamailio with digest (the binding shows in ul.dump).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { startLinphonec } from '../../support/peers/linphonec.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl', 'linphonec');

test('linphonec starts, takes commands and registers to kamailio', { skip }, async (t) => {
  const k = await startKamailio({ t });
  const carol = k.users[2]!;
  const l = await startLinphonec({
    t,
    identity: `sip:${carol.user}@${k.domain}`,
    registrar: k.proxyUri('udp'),
    user: carol.user,
    password: carol.password,
  });
  await l.waitForRegistration(5000);
  const out = await l.command('proxy list');
  assert.ok(out.some((x) => x.includes(`identity: sip:${carol.user}@${k.domain}`)), out.join('\n'));
  const bindings = await k.dumpUsrloc();
  assert.equal(bindings.length, 1);
  assert.equal(bindings[0]!.aor, carol.user);
  assert.equal(bindings[0]!.contact, `sip:${carol.user}@127.0.0.1:${l.sipPort};transport=udp`);
  assert.match(bindings[0]!.userAgent, /Linphonec/);
});
