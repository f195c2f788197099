// Two Handset session agents on real loopback sockets (UDP and TCP): call, re-INVITE, INFO, BYE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextEvent, sdpBody, startPhone } from './phone-under-test.js';

for (const kind of ['udp', 'tcp'] as const) {
  test(`Handset calls Handset over ${kind} on loopback: answer, hold re-INVITE, INFO DTMF, BYE`, async (t) => {
    const alice = await startPhone({}, [kind]);
    const bob = await startPhone({}, [kind]);
    t.after(async () => {
      await alice.close();
      await bob.close();
    });
    const hooks = { createOffer: () => sdpBody(41000), answerOffer: () => sdpBody(41002) };
    const incoming = new Promise<import('../../../src/sip/session/index.js').InviteSession>((resolve) => {
      bob.agent.onIncoming(({ session }) => {
        session.hooks = hooks;
        session.progress(180);
        session.accept();
        resolve(session);
      });
    });
    const target = `sip:bob@127.0.0.1:${bob.port}${kind === 'tcp' ? ';transport=tcp' : ''}`;
    const call = alice.agent.call({ target, offer: sdpBody(41004), hooks });
    await nextEvent(call, 'answered');
    const inc = await incoming;
    if (inc.state !== 'confirmed') await nextEvent(inc, 'answered');
    assert.ok(call.reinvite({ body: sdpBody(41006) }));
    const changed = await nextEvent(call, 'media-changed');
    assert.match(changed.remote.body.toString(), /m=audio 41002/);
    call.sendDtmfInfo('7');
    const dtmf = await nextEvent(inc, 'dtmf-info');
    assert.equal(dtmf.dtmf.signal, '7');
    const byeSeen = nextEvent(inc, 'ended');
    call.bye();
    assert.equal((await byeSeen).reason, 'remote-bye');
    assert.equal(alice.stack.stats.internalErrors + bob.stack.stats.internalErrors, 0);
  });
}
