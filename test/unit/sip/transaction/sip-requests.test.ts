import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/util/index.js';
import { parseMessage, serializeMessage, type SipMessage } from '../../../../src/sip/message/index.js';
import {
  TransactionTable,
  buildAckForNon2xx,
  buildCancel,
  buildTrying,
  type TransactionTableEvent,
} from '../../../../src/sip/transaction/index.js';

function parse(text: string): SipMessage {
  const r = parseMessage(Buffer.from(text.replace(/\n/g, '\r\n')), { datagram: true });
  assert.equal(r.kind, 'ok');
  return (r as { message: SipMessage }).message;
}

const invite = parse(`INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8, SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1
Via: SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKold
Route: <sip:p1.example.com;lr>
Route: <sip:p2.example.com;lr>
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.example.com>
Content-Type: application/sdp
Content-Length: 4

v=0
`);

const busy = parse(`SIP/2.0 486 Busy Here
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8
To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710
CSeq: 314159 INVITE
Content-Length: 0

`);

test('ACK for a non-2xx (§17.1.1.3): Request-URI, top Via only, Route copied, To with the tag, CSeq ACK', () => {
  const ack = buildAckForNon2xx(invite, busy);
  assert.equal(
    serializeMessage(ack).toString(),
    [
      'ACK sip:bob@biloxi.example.com SIP/2.0',
      'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8',
      'Route: <sip:p1.example.com;lr>',
      'Route: <sip:p2.example.com;lr>',
      'Max-Forwards: 70',
      'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
      'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
      'Call-ID: a84b4c76e66710',
      'CSeq: 314159 ACK',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  assert.equal(ack.branch, 'z9hG4bKnashds8');
});

test('CANCEL (§9.1): same branch and CSeq number, To without tag', () => {
  const cancel = buildCancel(invite);
  assert.equal(cancel.method, 'CANCEL');
  assert.equal(cancel.cseq, 314159);
  assert.equal(cancel.branch, 'z9hG4bKnashds8');
  assert.equal(cancel.toTag, undefined);
  assert.equal(cancel.headerAll('Via').length, 1);
  assert.deepEqual(cancel.headerAll('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(cancel.body.length, 0);
});

test('the table runs on real SipMessages: 100 Trying, retransmission absorbed, ACK matched', () => {
  const clock = new ManualClock(0);
  const events: TransactionTableEvent<SipMessage>[] = [];
  const table = new TransactionTable<SipMessage>({ clock, buildAck: buildAckForNon2xx, trying: buildTrying, onEvent: (e) => events.push(e) });
  table.receiveRequest(invite, false);
  clock.advance(0); // the TU did not answer: 100 Trying (§17.2.1)
  assert.deepEqual(events.map((e) => e.type), ['request', 'send']);
  const trying = (events[1] as { message: SipMessage }).message;
  assert.equal(trying.status, 100);
  assert.equal(trying.toTag, undefined);
  const tx = (events[0] as { transaction: Parameters<typeof table.respond>[0] }).transaction;
  table.receiveRequest(invite, false);
  assert.equal(events.length, 3);
  table.respond(tx, busy);
  const ack = buildAckForNon2xx(invite, busy);
  table.receiveRequest(ack, false);
  assert.equal(tx.state, 'confirmed');
  // Client side: the ICT ACKs the 486 itself with the §17.1.1.3 builder.
  const sent: string[] = [];
  const client = new TransactionTable<SipMessage>({
    clock,
    buildAck: buildAckForNon2xx,
    onEvent: (e) => {
      if (e.type === 'send') sent.push(`${e.message.method || e.message.status} ${e.message.cseq}`);
    },
  });
  client.sendRequest(invite, false);
  assert.equal(client.receiveResponse(busy), true);
  assert.deepEqual(sent, ['INVITE 314159', 'ACK 314159']);
});
