// INVITE sessions against sipp on loopback: Handset as caller (sipp UAS, reliable 183 + PRACK,
// CANCEL) and as callee (sipp UAC).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { runSipp, startSippUas } from '../../support/peers/sipp.js';
import { nextEvent, sdpBody, startPhone } from './phone-under-test.js';
import { cancelUas, prackUas } from './session-scenarios.js';

const skip = skipUnless('sipp');

test('Handset calls sipp UAS: INVITE/180/200/ACK, then BYE', { skip }, async (t) => {
  const uas = await startSippUas({ builtin: 'uas' }, { t, calls: 1, timeoutS: 20 });
  const phone = await startPhone();
  t.after(() => phone.close());
  const call = phone.agent.call({ target: uas.uri('bob'), offer: sdpBody(40000) });
  const answered = await nextEvent(call, 'answered');
  assert.match(answered.remote?.body.toString() ?? '', /^v=0/);
  call.bye();
  const server = await uas.done;
  assert.equal(server.exitCode, 0, server.errors);
  const got = server.messages.filter((m) => m.direction === 'received').map((m) => m.firstLine.split(' ')[0]);
  assert.deepEqual(got, ['INVITE', 'ACK', 'BYE']);
});

test('sipp UAC calls Handset: 180, 200 with SDP, ACK, BYE from sipp', { skip }, async (t) => {
  const phone = await startPhone();
  t.after(() => phone.close());
  const ended = new Promise<string>((resolve) => {
    phone.agent.onIncoming(({ session }) => {
      session.on((e) => {
        if (e.type === 'ended') resolve(e.reason);
      });
      session.progress(180);
      session.accept({ body: sdpBody(40002) });
    });
  });
  const r = await runSipp({ t, scenario: { builtin: 'uac' }, remote: `127.0.0.1:${phone.port}`, calls: 1, timeoutS: 20, service: 'handset' });
  assert.equal(r.exitCode, 0, r.errors + r.stdout.slice(-2000));
  assert.equal(await ended, 'remote-bye');
});

test('sipp UAS with a reliable 183: Handset PRACKs with RAck, then 200/ACK/BYE', { skip }, async (t) => {
  const uas = await startSippUas({ xml: prackUas }, { t, calls: 1, timeoutS: 20 });
  const phone = await startPhone();
  t.after(() => phone.close());
  const call = phone.agent.call({ target: uas.uri('bob'), offer: sdpBody(40004) });
  const early = await nextEvent(call, 'early-media');
  assert.match(early.body.body.toString(), /m=audio 6000/);
  await nextEvent(call, 'answered');
  call.bye();
  const server = await uas.done;
  assert.equal(server.exitCode, 0, server.errors);
  const prack = server.messages.find((m) => m.direction === 'received' && m.firstLine.startsWith('PRACK'))!;
  assert.match(prack.text, /RAck: 1 \d+ INVITE/);
});

test('Handset cancels a ringing call at sipp: CANCEL, 200, 487, ACK', { skip }, async (t) => {
  const uas = await startSippUas({ xml: cancelUas }, { t, calls: 1, timeoutS: 20 });
  const phone = await startPhone();
  t.after(() => phone.close());
  const call = phone.agent.call({ target: uas.uri('bob'), offer: sdpBody(40006) });
  await nextEvent(call, 'progress');
  call.cancel();
  const ended = await nextEvent(call, 'ended');
  assert.equal(ended.reason, 'cancelled');
  assert.equal(ended.status, 487);
  const server = await uas.done;
  assert.equal(server.exitCode, 0, server.errors);
});
