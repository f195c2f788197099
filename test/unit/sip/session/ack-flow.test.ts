// The ACK of a 2xx (RFC 3261 §13.2.2.4): when the dialog's next hop is where the INVITE went it
// takes the INVITE's destination at once, before the call is reported answered; otherwise it is
// located again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack } from '../../../../src/sip/ua/index.js';
import { formatUri, type Uri } from '../../../../src/sip/message/index.js';
import { SessionAgent, defaultLocate, sessionCapabilities, type InviteSession } from '../../../../src/sip/session/index.js';
import { world, sdp, rawPeer, type World } from './harness.js';

/** A caller whose transport notes each send as it is handed over, and whose locate is counted. */
async function caller(w: World, host: string) {
  const transport = w.net.transport();
  await transport.listen({ transport: 'udp', address: host, port: 5060 });
  const handed: string[] = [];
  const send = transport.send.bind(transport);
  transport.send = (d, bytes) => {
    handed.push(`${bytes.toString('latin1', 0, bytes.indexOf('\r\n'))} → ${d.host}:${d.port}`);
    return send(d, bytes);
  };
  const located: string[] = [];
  const stack = new SipStack({ transport, clock: w.clock, capabilities: sessionCapabilities });
  const agent = new SessionAgent({
    stack, identity: `<sip:alice@${host}>`, contactUser: 'alice', random: () => 0.5,
    locate: (uri: Uri) => (located.push(formatUri(uri)), defaultLocate(uri)),
  });
  return { agent, handed, located };
}

/** ACKs handed to the transport when the session reported 'answered'. */
function acksAtAnswer(session: InviteSession, handed: string[]): { acks: number | undefined } {
  const seen: { acks: number | undefined } = { acks: undefined };
  session.on((e) => {
    if (e.type === 'answered') seen.acks = handed.filter((l) => l.startsWith('ACK')).length;
  });
  return seen;
}

for (const contact of ['<sip:bob@192.0.2.20:5060;transport=UDP>', '<sip:other-user@192.0.2.20>']) {
  test(`ACK of a 2xx whose Contact ${contact} is the host we called: sent before 'answered', no location again`, async () => {
    const w = world();
    const alice = await caller(w, '192.0.2.10');
    const peer = await rawPeer(w, '192.0.2.20');
    const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
    const seen = acksAtAnswer(call, alice.handed);
    await w.run(10);
    peer.reply(peer.requests('INVITE')[0]!, 200, { toTag: 't1', headers: [['Contact', contact], ['Content-Type', 'application/sdp']], body: 'a' });
    await w.run(10);
    assert.equal(call.state, 'confirmed');
    assert.equal(seen.acks, 1);
    assert.deepEqual(alice.located, ['sip:bob@192.0.2.20']);
    assert.equal(peer.requests('ACK').length, 1);
  });
}

test('ACK of a 2xx whose Contact is another host: located (after the answer is reported) and sent there', async () => {
  const w = world();
  const alice = await caller(w, '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.20');
  const elsewhere = await rawPeer(w, '192.0.2.30');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const seen = acksAtAnswer(call, alice.handed);
  await w.run(10);
  peer.reply(peer.requests('INVITE')[0]!, 200, { toTag: 't1', headers: [['Contact', '<sip:bob@192.0.2.30>'], ['Content-Type', 'application/sdp']], body: 'a' });
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(seen.acks, 0);
  assert.deepEqual(alice.located, ['sip:bob@192.0.2.20', 'sip:bob@192.0.2.30']);
  assert.equal(peer.requests('ACK').length, 0);
  assert.equal(elsewhere.requests('ACK').length, 1);
});

test('ACK of a retransmitted 2xx is the same ACK again, to the same place', async () => {
  const w = world();
  const alice = await caller(w, '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  await w.run(10);
  const invite = peer.requests('INVITE')[0]!;
  const ok = { toTag: 't1', headers: [['Contact', '<sip:bob@192.0.2.20>'], ['Content-Type', 'application/sdp']] as Array<[string, string]>, body: 'a' };
  peer.reply(invite, 200, ok);
  await w.run(10);
  peer.reply(invite, 200, ok);
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  const acks = peer.requests('ACK');
  assert.equal(acks.length, 2);
  assert.equal(acks[1]!.topVia?.branch, acks[0]!.topVia?.branch);
  assert.deepEqual(alice.located, ['sip:bob@192.0.2.20']);
});
