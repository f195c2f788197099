// INVITE sessions against sipp on loopback: Handset as caller (sipp UAS, reliable 183 + PRACK,
// CANCEL) and as callee (sipp UAC).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { runSipp, startSippUas } from '../../support/peers/sipp.js';
import { nextEvent, sdpBody, startPhone } from './phone-under-test.js';
import { cancelUas, glareUas, midCallUac, prackUac, prackUas } from './session-scenarios.js';

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

test('sipp UAC mid-call: INFO DTMF, re-INVITE hold, UPDATE, REFER with NOTIFY sipfrag, BYE', { skip }, async (t) => {
  const phone = await startPhone();
  t.after(() => phone.close());
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => {
    phone.agent.onIncoming(({ session }) => {
      session.hooks = { createOffer: () => sdpBody(40010), answerOffer: () => sdpBody(40010) };
      session.on((e) => {
        if (e.type === 'dtmf-info') seen.push(`dtmf ${e.dtmf.signal}`);
        if (e.type === 'media-changed') seen.push(`${e.method} ${/a=(sendonly|sendrecv)/.exec(e.remote.body.toString())?.[1]}`);
        if (e.type === 'refer') {
          seen.push(`refer ${e.refer.referToUri}`);
          const progress = e.refer.accept();
          setTimeout(() => progress.notify(200, 'OK'), 50);
        }
        if (e.type === 'ended') {
          seen.push(e.reason);
          resolve();
        }
      });
      session.accept({ body: sdpBody(40010) });
    });
  });
  const r = await runSipp({ t, scenario: { xml: midCallUac }, remote: `127.0.0.1:${phone.port}`, calls: 1, timeoutS: 20, service: 'handset' });
  assert.equal(r.exitCode, 0, r.errors + r.stdout.slice(-3000));
  await done;
  assert.deepEqual(seen, ['dtmf 5', 'INVITE sendonly', 'UPDATE sendrecv', 'refer sip:carol@127.0.0.1:5999', 'remote-bye']);
  const notifies = r.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('NOTIFY'));
  assert.match(notifies[0]!.text, /Event: refer\r\n[\s\S]*SIP\/2\.0 100 Trying/);
  assert.match(notifies[1]!.text, /Subscription-State: terminated;reason=noresource[\s\S]*SIP\/2\.0 200 OK/);
});

test('491 from sipp: Handset (Call-ID owner) retries its re-INVITE 2.1-4 s later', { skip }, async (t) => {
  const uas = await startSippUas({ xml: glareUas }, { t, calls: 1, timeoutS: 20 });
  const phone = await startPhone();
  t.after(() => phone.close());
  const call = phone.agent.call({ target: uas.uri('bob'), offer: sdpBody(40012) });
  await nextEvent(call, 'answered');
  call.reinvite({ body: sdpBody(40012) });
  const changed = await nextEvent(call, 'media-changed', 10_000);
  assert.match(changed.remote.body.toString(), /a=sendonly/);
  call.bye();
  const server = await uas.done;
  assert.equal(server.exitCode, 0, server.errors);
  const invites = server.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE'));
  const gap = invites[2]!.timeMs - invites[1]!.timeMs;
  assert.ok(gap >= 2100 && gap <= 4100, `retry after ${gap} ms`);
});

test('sipp UAC requires 100rel: Handset sends a reliable 183, waits for the PRACK, then its 200', { skip }, async (t) => {
  const phone = await startPhone();
  t.after(() => phone.close());
  const ended = new Promise<string>((resolve) => {
    phone.agent.onIncoming(({ session }) => {
      session.on((e) => {
        if (e.type === 'ended') resolve(e.reason);
      });
      session.progress(183, { body: sdpBody(40014) });
      session.accept();
    });
  });
  const r = await runSipp({ t, scenario: { xml: prackUac }, remote: `127.0.0.1:${phone.port}`, calls: 1, timeoutS: 20, service: 'handset' });
  assert.equal(r.exitCode, 0, r.errors + r.stdout.slice(-3000));
  assert.equal(await ended, 'remote-bye');
  const got = r.messages.filter((m) => m.direction === 'received').map((m) => /CSeq: (\d+ \w+)/.exec(m.text)?.[1] + ' ' + m.firstLine.split(' ')[1]);
  assert.deepEqual(got.filter((l) => !l.endsWith('100')), ['1 INVITE 183', '2 PRACK 200', '1 INVITE 200', '3 BYE 200']);
  const p183 = r.messages.find((m) => m.direction === 'received' && m.firstLine.includes(' 183 '))!;
  assert.match(p183.text, /Require: 100rel/);
});
