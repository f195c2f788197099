// SipStack.sendCancel: RFC 3261 §9.1 CANCEL bytes, its own non-INVITE transaction, the INVITE's flow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, parseMessage, serializeMessage, HeaderId, type SipMessage } from '../../../../src/sip/message/index.js';
import { SipStack } from '../../../../src/sip/ua/index.js';
import { MemoryNetwork, SteppingClock, runFor } from './memory-network.js';

async function setup(kind: 'udp' | 'tcp') {
  const net = new MemoryNetwork(new SteppingClock(0));
  const t = net.transport();
  await t.listen({ transport: kind, address: '192.0.2.1', port: 5060 });
  const stack = new SipStack({ transport: t, clock: net.clock, userAgent: 'Handset/test' });
  const peer = net.transport();
  await peer.listen({ transport: kind, address: '192.0.2.60', port: 5060 });
  const got: Array<{ message: SipMessage; connectionId: string | undefined }> = [];
  peer.onEvent((e) => {
    if (e.kind !== 'message') return;
    const r = parseMessage(e.bytes, { datagram: true });
    if (r.kind === 'ok') got.push({ message: r.message, connectionId: e.connectionId });
  });
  const reply = (to: { message: SipMessage; connectionId: string | undefined }, status: number): void => {
    const via = to.message.topVia!;
    const dest = { transport: kind, host: via.host, port: via.port ?? 5060, ...(to.connectionId === undefined ? {} : { connectionId: to.connectionId }) };
    void peer.send(dest, serializeMessage(createResponse(to.message, status, undefined, { toTag: 'p1' })));
  };
  const invite = stack.sendRequest({
    method: 'INVITE', uri: 'sip:bob@192.0.2.60',
    headers: [
      ['Route', '<sip:192.0.2.60;lr>'], ['Route', '<sip:edge.example;lr>'], ['From', '<sip:alice@example.com>;tag=a1'], ['To', '<sip:bob@example.com>'],
      ['Call-ID', 'c1@192.0.2.1'], ['CSeq', '7 INVITE'], ['Contact', '<sip:alice@192.0.2.1>'],
    ],
  }, { transport: kind, host: '192.0.2.60', port: 5060 }, { response: () => undefined, failed: () => undefined });
  await runFor(net, 10);
  return { net, stack, got, reply, invite };
}

for (const kind of ['udp', 'tcp'] as const) {
  test(`sendCancel over ${kind}: the INVITE's Request-URI, top Via, Route, From, To, Call-ID and CSeq number, on the INVITE's flow`, async () => {
    const s = await setup(kind);
    const inv = s.got.find((g) => g.message.method === 'INVITE')!;
    s.reply(inv, 180);
    await runFor(s.net, 10);
    const responses: number[] = [];
    const sent = s.stack.sendCancel(s.invite, { response: (r) => responses.push(r.status), failed: () => responses.push(-1) }, [['Reason', 'SIP;cause=487']]);
    await runFor(s.net, 10);
    const cancels = s.got.filter((g) => g.message.method === 'CANCEL');
    assert.equal(cancels.length, 1);
    const c = cancels[0]!.message;
    assert.equal(c.requestUriText, 'sip:bob@192.0.2.60');
    assert.deepEqual(c.headerAll(HeaderId.Via), [s.invite.request.header(HeaderId.Via)]);
    assert.equal(c.branch, s.invite.request.branch);
    assert.deepEqual(c.headerAll(HeaderId.Route), ['<sip:192.0.2.60;lr>', '<sip:edge.example;lr>']);
    for (const h of [HeaderId.From, HeaderId.To, HeaderId.CallId]) assert.equal(c.header(h), s.invite.request.header(h));
    assert.equal(c.header(HeaderId.CSeq), '7 CANCEL');
    assert.equal(c.header(HeaderId.Reason), 'SIP;cause=487');
    assert.equal(sent.request.method, 'CANCEL');
    if (kind === 'tcp') assert.equal(cancels[0]!.connectionId, inv.connectionId, 'same connection as the INVITE (§18.1.1)');
    // Its own transaction: the 200 to CANCEL goes to its listener; over UDP it is retransmitted (Timer E) until then.
    await runFor(s.net, 600);
    assert.equal(s.got.filter((g) => g.message.method === 'CANCEL').length, kind === 'udp' ? 2 : 1);
    s.reply(cancels[0]!, 200);
    await runFor(s.net, 10_000);
    assert.deepEqual(responses, [200]);
    assert.equal(s.got.filter((g) => g.message.method === 'CANCEL').length, kind === 'udp' ? 2 : 1);
  });
}

test('sendCancel refuses a request that is not an INVITE (programmer error)', async () => {
  const s = await setup('udp');
  const options = s.stack.sendRequest({ method: 'OPTIONS', uri: 'sip:bob@192.0.2.60', headers: [['From', '<sip:a@x>;tag=1'], ['To', '<sip:b@x>'], ['Call-ID', 'o1'], ['CSeq', '1 OPTIONS']] },
    { transport: 'udp', host: '192.0.2.60', port: 5060 }, { response: () => undefined, failed: () => undefined });
  assert.throws(() => s.stack.sendCancel(options, { response: () => undefined, failed: () => undefined }), /not an INVITE/);
});
