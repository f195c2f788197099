// Accounts on the running phone engine: added, edited and removed live (no phone restart), each
// registering at its own registrar (in-memory network, manual clock); dial names its account;
// incoming calls and history rows name theirs; validation errors name the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneHandsetEngine } from '../../../src/app/phone-engine.js';
import { startPhone, type Phone } from '../../../src/phone/index.js';
import { HeaderId } from '../../../src/sip/index.js';
import { runEngineCommand, type EngineCommandResult } from '../../../src/ui/index.js';
import { MiniRegistrar } from '../sip/ua/mini-registrar.js';
import { world, type World } from '../../scenario/world.js';

interface Setup {
  w: World;
  phone: Phone;
  engine: PhoneHandsetEngine;
  regA: MiniRegistrar;
  regB: MiniRegistrar;
  /** Runs a command while the clock moves (REGISTERs, un-REGISTERs and calls wait on it). */
  run(name: string, args?: Record<string, unknown>, ms?: number): Promise<EngineCommandResult>;
}

async function setup(t: { after(f: () => Promise<void>): void }): Promise<Setup> {
  const w = world();
  const regA = new MiniRegistrar(w.sip, { host: '192.0.2.1', port: 5070, realm: 'a.example', users: { alice: 'pw-a' }, transports: ['udp', 'tcp'] });
  const regB = new MiniRegistrar(w.sip, { host: '192.0.2.2', port: 5070, realm: 'b.example', users: { bob: 'pw-b' }, transports: ['udp', 'tcp'] });
  await regA.start();
  await regB.start();
  const phone = await w.phone('192.0.2.20');
  const engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 0, now: () => w.clock.now() });
  t.after(async () => {
    await engine.close();
    const closing = phone.close();
    await w.run(3000);
    await closing;
  });
  const run = async (name: string, args: Record<string, unknown> = {}, ms = 500): Promise<EngineCommandResult> => {
    const r = runEngineCommand(engine, name, args);
    await w.run(ms);
    return r;
  };
  return { w, phone, engine, regA, regB, run };
}

const ALICE = { aor: 'sip:alice@a.example', password: 'pw-a', proxy: 'sip:192.0.2.1:5070', transport: 'udp' };
const BOB = { aor: 'sip:bob@b.example', password: 'pw-b', displayName: 'Bob B', proxy: 'sip:192.0.2.2:5070', transport: 'tcp' };

const failure = (r: EngineCommandResult): { field: string | undefined; error: string } => {
  assert.equal(r.ok, false, JSON.stringify(r));
  return r.ok ? { field: undefined, error: '' } : { field: r.field, error: r.error };
};

test('two accounts added live register at their registrars (the second over TCP, its listener opened then); dial, incoming calls and history name the account; removing one unregisters it', async (t) => {
  const { w, phone, engine, regA, regB, run } = await setup(t);
  assert.deepEqual(engine.snapshot().accounts, []);
  assert.equal(phone.options.stack.transport.listeners().some((l) => l.transport === 'tcp'), false, 'no TCP listener yet');

  const a = await run('account-add', ALICE);
  assert.deepEqual(a, { ok: true, value: 'sip:alice@a.example' });
  const b = await run('account-add', BOB);
  assert.deepEqual(b, { ok: true, value: 'sip:bob@b.example' });
  assert.ok(phone.options.stack.transport.listeners().some((l) => l.transport === 'tcp' && l.address === '192.0.2.20'), 'a TCP listener on the running phone');
  assert.equal(regB.registers.at(-1)?.source.transport, 'tcp', "bob's REGISTERs go over TCP");
  assert.match(regB.bindings.get('sip:bob@b.example')?.contact ?? '', /^<?sip:bob@192\.0\.2\.20:5060;transport=tcp/);
  assert.match(regA.bindings.get('sip:alice@a.example')?.contact ?? '', /^<?sip:alice@192\.0\.2\.20:5060/);
  const views = engine.snapshot().accounts;
  assert.deepEqual(views.map((v) => [v.id, v.transport, v.registration, v.displayName, v.proxy]), [
    ['sip:alice@a.example', 'udp', 'registered', '', 'sip:192.0.2.1:5070'],
    ['sip:bob@b.example', 'tcp', 'registered', 'Bob B', 'sip:192.0.2.2:5070;transport=tcp'],
  ]);
  assert.match(views[0]!.detail, /^registered for \d+ s$/);
  assert.equal(engine.snapshot().settings.transport, 'udp', "the settings' transport is the default account's");

  // Errors name the field, in the text and in `field`.
  const bad = failure(await run('account-add', { aor: 'foo', password: 'x' }));
  assert.equal(bad.field, 'aor');
  assert.match(bad.error, /^aor: "foo" is not a sip: or sips: URI/);
  assert.equal(failure(await run('account-add', { ...ALICE })).field, 'aor', 'the same AOR twice');
  assert.match(failure(await run('account-add', { ...ALICE, aor: 'sip:carol@a.example', proxy: 'http://proxy' })).error, /^proxy: "http:\/\/proxy" is not/);
  assert.equal(failure(await run('account-add', { ...ALICE, aor: 'sip:carol@a.example', password: '' })).field, 'password');
  const clash = failure(await run('account-add', { ...ALICE, aor: 'sip:carol@a.example', proxy: 'sip:192.0.2.1:5070;transport=tcp' }));
  assert.deepEqual(clash, { field: 'transport', error: 'transport: "udp", but the proxy says ;transport=tcp' });
  assert.equal(failure(await run('dial', { uri: 'carol', account: 'sip:nobody@a.example' })).field, 'account');
  assert.equal(failure(await run('account-remove', { account: 'sip:nobody@a.example' })).field, 'account');
  assert.equal(engine.snapshot().accounts.length, 2, 'nothing was added by the failures');

  // An incoming call to bob through bob's proxy shows as bob's; missed, its history row names bob.
  const proxyB = await w.phone('192.0.2.2');
  const toBob = await proxyB.dial('sip:bob@192.0.2.20');
  assert.ok(typeof toBob !== 'string');
  await w.run(200);
  assert.deepEqual(engine.snapshot().calls.map((c) => [c.state, c.account]), [['incoming', 'sip:bob@b.example']]);
  toBob.hangup();
  await w.run(200);
  assert.deepEqual(engine.snapshot().history.map((h) => [h.kind, h.account]), [['missed', 'sip:bob@b.example']]);

  // dial from bob: "carol" in bob's domain, bob's From, through bob's proxy (which refuses INVITEs: 405).
  assert.equal((await run('dial', { uri: 'carol', account: 'sip:bob@b.example' }, 300)).ok, true);
  const invite = regB.received.find((r) => r.request.method === 'INVITE')?.request;
  assert.equal(invite?.requestUriText, 'sip:carol@b.example');
  assert.match(invite?.header(HeaderId.From) ?? '', /^"Bob B" <sip:bob@b\.example>;tag=/);
  // Without an account named: the default one (alice).
  assert.equal((await run('dial', { uri: 'dave' }, 300)).ok, true);
  assert.equal(regA.received.find((r) => r.request.method === 'INVITE')?.request.requestUriText, 'sip:dave@a.example');
  assert.deepEqual(engine.snapshot().history.slice(0, 2).map((h) => [h.kind, h.remoteUri, h.account]), [
    ['outgoing', 'sip:dave@a.example', 'sip:alice@a.example'],
    ['outgoing', 'sip:carol@b.example', 'sip:bob@b.example'],
  ]);

  // Removing the default account unregisters it; bob is left, now the default, and the settings follow him.
  assert.deepEqual(await run('account-remove', { account: 'sip:alice@a.example' }), { ok: true, value: 'sip:alice@a.example' });
  assert.equal(regA.bindings.size, 0, 'alice unregistered');
  assert.equal(regB.bindings.size, 1, 'bob still registered');
  assert.deepEqual(engine.snapshot().accounts.map((v) => [v.id, v.registration]), [['sip:bob@b.example', 'registered']]);
  assert.equal(engine.snapshot().settings.transport, 'tcp');
});

test("account-edit and the settings' transport re-register live (the default stays first; not during the account's call); DND and auto-answer act on every account", async (t) => {
  const { w, engine, regA, regB, run } = await setup(t);
  await run('account-add', ALICE);
  await run('account-add', { ...BOB, transport: 'udp', displayName: '' });
  assert.equal(regA.registers.at(-1)?.source.transport, 'udp');

  // The settings' transport moves the default account (alice) to TCP; bob is re-added after her.
  assert.equal((await run('settings-set', { transport: 'tcp' }, 1500)).ok, true);
  assert.equal(regA.registers.at(-1)?.source.transport, 'tcp');
  assert.match(regA.bindings.get('sip:alice@a.example')?.contact ?? '', /;transport=tcp/, 'the UDP binding was replaced (unregistered first)');
  assert.deepEqual(engine.snapshot().accounts.map((v) => [v.id, v.transport, v.registration]), [
    ['sip:alice@a.example', 'tcp', 'registered'],
    ['sip:bob@b.example', 'udp', 'registered'],
  ]);

  // account-edit: a new display name (the password kept) on the second account.
  assert.deepEqual(await run('account-edit', { account: 'sip:bob@b.example', displayName: 'Robert', password: '' }, 1500), { ok: true, value: 'sip:bob@b.example' });
  assert.deepEqual(engine.snapshot().accounts.map((v) => [v.id, v.displayName, v.registration]), [
    ['sip:alice@a.example', '', 'registered'],
    ['sip:bob@b.example', 'Robert', 'registered'],
  ]);
  assert.equal(failure(await run('account-edit', { account: 'sip:bob@b.example', aor: 'sip:alice@a.example' })).field, 'aor', 'an AOR taken by another account');
  assert.equal(failure(await run('account-edit', { account: 'sip:bob@b.example', transport: 'sctp' })).field, 'transport');

  // Auto-answer on: bob's call is answered; editing bob during it is refused, naming the account.
  assert.equal((await run('settings-set', { autoAnswer: true })).ok, true);
  const proxyB = await w.phone('192.0.2.2');
  const toBob = await proxyB.dial('sip:bob@192.0.2.20');
  assert.ok(typeof toBob !== 'string');
  await w.run(300);
  assert.equal(toBob.state, 'active', 'auto-answered through bob');
  const busy = failure(await run('account-edit', { account: 'sip:bob@b.example', displayName: 'Bob' }));
  assert.equal(busy.field, 'account');
  assert.match(busy.error, /hang up first/);
  toBob.hangup();
  await w.run(300);

  // DND on: calls to either account are refused with 486.
  assert.equal((await run('settings-set', { autoAnswer: false, dnd: true })).ok, true);
  const proxyA = await w.phone('192.0.2.1');
  const toAlice = await proxyA.dial('sip:alice@192.0.2.20');
  const again = await proxyB.dial('sip:bob@192.0.2.20');
  assert.ok(typeof toAlice !== 'string' && typeof again !== 'string');
  await w.run(300);
  assert.equal(toAlice.end?.status, 486);
  assert.equal(again.end?.status, 486);
  assert.equal(regB.bindings.size, 1);
});

test('a phone on loopback: account-add opens a TCP listener on its address and port; a registrar elsewhere is refused, naming the field', async (t) => {
  const phone = await startPhone({ host: '127.0.0.1' });
  const engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 0 });
  t.after(async () => {
    await engine.close();
    await phone.close();
  });
  const udp = phone.options.stack.localAddress('udp');
  // A closed loopback port stands in for the registrar: the listener is what counts here.
  const r = await runEngineCommand(engine, 'account-add', { aor: 'sip:alice@127.0.0.1:9', password: 'pw', transport: 'tcp' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(phone.options.stack.localAddress('tcp'), udp, 'TCP on the UDP address and port number');
  assert.equal(engine.snapshot().accounts[0]?.proxy, 'sip:127.0.0.1:9;transport=tcp', 'the transport on a proxy made from the AOR domain');
  const far = await runEngineCommand(engine, 'account-add', { aor: 'sip:bob@example.com', password: 'pw' });
  assert.equal(!far.ok && far.field, 'aor');
  assert.match(!far.ok ? far.error : '', /^aor: example\.com is not on this machine, and the phone listens on 127\.0\.0\.1 only/);
  const viaProxy = await runEngineCommand(engine, 'account-add', { aor: 'sip:bob@example.com', password: 'pw', proxy: 'sip:192.0.2.1' });
  assert.equal(!viaProxy.ok && viaProxy.field, 'proxy');
  assert.equal((await runEngineCommand(engine, 'account-remove', { account: 'sip:alice@127.0.0.1:9' })).ok, true);
  assert.deepEqual(engine.snapshot().accounts, []);
});
