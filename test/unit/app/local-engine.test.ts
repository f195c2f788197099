import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalHandsetEngine } from '../../../src/app/local-engine.js';
import { runEngineCommand, type HandsetStateDelta } from '../../../src/ui/index.js';

test('dialling *43 starts the echo test: a live call whose audio comes back after one second', async () => {
  const engine = new LocalHandsetEngine(() => 1000);
  const deltas: HandsetStateDelta[] = [];
  engine.onChange((d) => deltas.push(d));
  const audio = engine.openAudio({ sampleRate: 8000, frameSamples: 160 });
  assert.ok(audio.process(new Int16Array(160).fill(9)).every((s) => s === 0), 'no call, no sound');
  assert.equal((await runEngineCommand(engine, 'dial', { uri: '*43' })).ok, true);
  const call = engine.snapshot().calls[0]!;
  assert.equal(call.remoteName, 'Echo test');
  assert.equal(call.state, 'active');
  assert.equal(call.answeredAt, 1000);
  assert.equal(deltas.length, 1);
  const out: number[] = [];
  for (let f = 0; f < 60; f++) out.push(...audio.process(new Int16Array(160).fill(f + 1)));
  assert.equal(out[8000 - 1], 0);
  assert.equal(out[8000], 1, 'frame 0 comes back after exactly 8000 samples');
  await runEngineCommand(engine, 'mute', { on: true });
  assert.equal(engine.snapshot().calls[0]!.muted, true);
  await runEngineCommand(engine, 'hangup', {});
  assert.deepEqual(engine.snapshot().calls, []);
  assert.equal((await runEngineCommand(engine, 'redial', {})).ok, true, 'redial repeats *43');
});

test('commands without an engine side say so; validation names the field', async () => {
  const engine = new LocalHandsetEngine();
  const answer = await runEngineCommand(engine, 'answer', {});
  assert.equal(answer.ok, false);
  assert.match(!answer.ok ? answer.error : '', /^answer: not available yet: .*phone core/);
  assert.match((await runEngineCommand(engine, 'dial', { uri: 'sip:bob@example.com' }) as { error: string }).error, /not available yet/);
  assert.deepEqual(await runEngineCommand(engine, 'account-add', { aor: 'sip:alice@example.com', password: '' }), { ok: false, error: 'password is required', field: 'password' });
  assert.deepEqual(await runEngineCommand(engine, 'account-add', { aor: 'sip:alice@example.com', password: 'p', transport: 'sctp' }),
    { ok: false, error: 'transport must be one of udp, tcp, tls, ws, wss', field: 'transport' });
  assert.deepEqual(await runEngineCommand(engine, 'settings-set', { codecOrder: 'PCMU,G729' }),
    { ok: false, error: 'codecOrder: unknown codec "G729" (known: PCMU, PCMA, G722, opus)', field: 'codecOrder' });
  assert.deepEqual(await runEngineCommand(engine, 'settings-set', { forwardMode: 'always' }), { ok: false, error: 'forwardTo is required when forwarding is on', field: 'forwardTo' });
  assert.deepEqual(await runEngineCommand(engine, 'dial', { uri: 42 }), { ok: false, error: 'uri must be a string', field: 'uri' });
  assert.deepEqual(await runEngineCommand(engine, 'dial', {}), { ok: false, error: 'uri is required', field: 'uri' });
  assert.deepEqual(await runEngineCommand(engine, 'hold', { bogus: 1 }), { ok: false, error: 'hold has no argument "bogus"', field: 'bogus' });
  assert.deepEqual(await runEngineCommand(engine, 'nope', {}), { ok: false, error: 'unknown command "nope"' });
  const ok = await runEngineCommand(engine, 'settings-set', { codecOrder: 'PCMA, PCMU', srtp: 'mandatory', forwardMode: 'busy', forwardTo: 'sip:vm@example.com' });
  assert.equal(ok.ok, true);
  assert.deepEqual(engine.snapshot().settings.codecOrder, ['PCMA', 'PCMU']);
  assert.equal(engine.snapshot().settings.srtp, 'mandatory');
});

test('contacts are added, edited and removed (in memory)', async () => {
  const engine = new LocalHandsetEngine();
  assert.deepEqual(await runEngineCommand(engine, 'contact-save', { name: 'Bob', uri: 'bob' }), { ok: false, error: 'uri: "bob" is not a sip: or sips: URI', field: 'uri' });
  const r = await runEngineCommand(engine, 'contact-save', { name: 'Bob', uri: 'sip:bob@example.com' });
  assert.ok(r.ok);
  await runEngineCommand(engine, 'contact-save', { id: r.value as string, name: 'Robert', uri: 'sip:bob@example.com' });
  assert.deepEqual(engine.snapshot().contacts.map((c) => c.name), ['Robert']);
  await runEngineCommand(engine, 'contact-remove', { id: r.value as string });
  assert.deepEqual(engine.snapshot().contacts, []);
});
