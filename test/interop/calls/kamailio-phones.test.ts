// Three Handsets (the library on real sockets) registered at kamailio call each other through
// it: digest on REGISTER and INVITE, two-way audio, hold/resume, DTMF both ways, a 3-way
// conference with audio checked at every party, then a blind transfer with audio after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { detectTone } from '../../../src/media/index.js';
import { blindTransfer, Conference, sendDtmf, setHold, startPhone, toneSource, type Call, type Phone } from '../../../src/phone/index.js';
import { sleep } from '../../support/wait.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

/** The last `ms` of audio a call received. */
function ears(call: Call): { last(ms: number): Int16Array } {
  const frames: Int16Array[] = [];
  call.listen({ write: (f) => void frames.push(f.slice()) });
  return {
    last(ms) {
      const list = frames.slice(-Math.floor(ms / 20));
      const out = new Int16Array(list.length * 160);
      list.forEach((f, i) => out.set(f.subarray(0, 160), i * 160));
      return out;
    },
  };
}

const hears = (pcm: Int16Array, hz: number): number => detectTone(pcm, 8000, hz).ratio;

test('three Handsets through kamailio: call, hold, DTMF, conference, blind transfer', { skip, timeout: 90_000 }, async (t) => {
  const k = await startKamailio({ t });
  const phones: Record<'alice' | 'bob' | 'carol', Phone> = {} as never;
  const tone = { alice: 500, bob: 1200, carol: 1800 };
  for (const [i, name] of (['alice', 'bob', 'carol'] as const).entries()) {
    const u = k.users[i]!;
    const p = await startPhone({ account: { aor: `sip:${u.user}@${k.domain}`, password: u.password, proxy: k.proxyUri('udp') } });
    t.after(() => p.close());
    await new Promise<void>((resolve, reject) => p.on('registration', (e) => (e.type === 'registered' ? resolve() : e.type === 'registration-failed' ? reject(new Error(e.reason)) : undefined)));
    // Everyone answers at once and plays their own tone.
    p.on('incoming', (c) => {
      c.play(toneSource(tone[name]));
      c.answer();
    });
    phones[name] = p;
  }
  const incoming = (p: Phone): Promise<Call> => new Promise((r) => p.once('incoming', r));

  // alice → bob
  const bobRings = incoming(phones.bob);
  const ab = (await phones.alice.dial('bob', { source: toneSource(tone.alice) })) as Call;
  const ba = await bobRings;
  await new Promise<void>((r) => ab.once('answered', r));
  const atAliceFromBob = ears(ab);
  const atBob = ears(ba);
  await sleep(1200);
  assert.ok(hears(atAliceFromBob.last(600), 1200) > 0.8, 'alice hears bob');
  assert.ok(hears(atBob.last(600), 500) > 0.8, 'bob hears alice');

  // hold / resume
  const bobHeld = new Promise((r) => ba.once('held', r));
  assert.ok(setHold(ab, true));
  assert.deepEqual(await bobHeld, { local: false, remote: true });
  await sleep(600);
  assert.ok(hears(atAliceFromBob.last(300), 1200) < 0.1, 'held: bob no longer heard');
  const resumed = new Promise((r) => ba.once('held', r));
  assert.ok(setHold(ab, false));
  assert.deepEqual(await resumed, { local: false, remote: false });

  // DTMF both ways
  const digitAtBob = new Promise((r) => ba.once('dtmf', r));
  const digitAtAlice = new Promise((r) => ab.once('dtmf', r));
  assert.equal(sendDtmf(ab, phones.alice.options.clock, '5'), 'rfc4733');
  assert.equal(sendDtmf(ba, phones.bob.options.clock, '6', 'info'), 'info');
  assert.deepEqual(await digitAtBob, { digit: '5', via: 'rfc4733' });
  assert.deepEqual(await digitAtAlice, { digit: '6', via: 'info' });

  // alice → carol, then a 3-way conference
  const carolRings = incoming(phones.carol);
  const ac = (await phones.alice.dial('carol', { source: toneSource(tone.alice) })) as Call;
  const ca = await carolRings;
  await new Promise<void>((r) => ac.once('answered', r));
  const atCarol = ears(ca);
  const atAliceFromCarol = ears(ac);
  const conf = new Conference(phones.alice.options.clock, [ab, ac]);
  await sleep(1500);
  const bobHearsConf = atBob.last(600);
  const carolHearsConf = atCarol.last(600);
  assert.ok(hears(bobHearsConf, 500) > 0.3 && hears(bobHearsConf, 1800) > 0.3, `bob hears alice and carol: ${hears(bobHearsConf, 500)} ${hears(bobHearsConf, 1800)}`);
  assert.ok(hears(carolHearsConf, 500) > 0.3 && hears(carolHearsConf, 1200) > 0.3, `carol hears alice and bob: ${hears(carolHearsConf, 500)} ${hears(carolHearsConf, 1200)}`);
  assert.ok(hears(atAliceFromBob.last(600), 1200) > 0.8 && hears(atAliceFromCarol.last(600), 1800) > 0.8, 'alice hears both');
  conf.split();
  const carolLeft = ac.whenEnded();
  ac.hangup();
  await carolLeft;

  // blind transfer: bob is sent to carol
  const carolRingsAgain = incoming(phones.carol);
  const transferred = ab.whenEnded();
  assert.ok(blindTransfer(ab, 'sip:carol@127.0.0.1'));
  const cb = await carolRingsAgain;
  assert.equal((await transferred).reason, 'transferred');
  const bc = phones.bob.activeCalls.find((c) => c !== ba)!;
  await new Promise<void>((r) => (bc.state === 'active' ? r() : bc.once('answered', r)));
  bc.play(toneSource(tone.bob));
  const atCarolAfter = ears(cb);
  await sleep(1200);
  assert.ok(hears(atCarolAfter.last(600), 1200) > 0.8, 'carol hears bob after the transfer');
});
