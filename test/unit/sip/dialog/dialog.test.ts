import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, createResponse, formatUri, HeaderId, type SipMessage } from '../../../../src/sip/message/index.js';
import { Dialog, DialogTable } from '../../../../src/sip/dialog/index.js';

const invite = (): SipMessage =>
  createRequest({
    method: 'INVITE',
    uri: 'sip:bob@biloxi.example.com',
    headers: [
      ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8'],
      ['Max-Forwards', '70'],
      ['To', 'Bob <sip:bob@biloxi.example.com>'],
      ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
      ['Call-ID', 'a84b4c76e66710'],
      ['CSeq', '314159 INVITE'],
      ['Contact', '<sip:alice@pc33.atlanta.example.com>'],
      ['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'],
    ],
  });

function uacDialog(status = 200): { d: Dialog; ok: SipMessage } {
  const inv = invite();
  const ok = createResponse(inv, status, undefined, {
    toTag: 'b0b',
    headers: [['Contact', '<sip:bob@192.0.2.4>'], ['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>']],
  });
  const d = Dialog.fromUacResponse(inv, ok);
  assert.ok(d);
  return { d, ok };
}

test('UAC dialog from a 2xx: id, confirmed, route set reversed, remote target (§12.1.2)', () => {
  const { d } = uacDialog();
  assert.deepEqual(d.id, { callId: 'a84b4c76e66710', localTag: '1928301774', remoteTag: 'b0b' });
  assert.equal(d.state, 'confirmed');
  assert.deepEqual(d.routeSet.map((r) => r.text), ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.4');
  assert.equal(d.localSeq, 314159);
  assert.equal(d.remoteSeq, undefined);
});

test('UAC early dialog from 180 becomes confirmed by the 2xx, whose Contact and Record-Route win', () => {
  const inv = invite();
  const ringing = createResponse(inv, 180, undefined, { toTag: 'b0b', headers: [['Contact', '<sip:bob@10.0.0.9>']] });
  const d = Dialog.fromUacResponse(inv, ringing)!;
  assert.equal(d.state, 'early');
  assert.equal(d.routeSet.length, 0);
  d.updateFromResponse(createResponse(inv, 200, undefined, { toTag: 'b0b', headers: [['Contact', '<sip:bob@192.0.2.4>'], ['Record-Route', '<sip:p1.example.com;lr>']] }));
  assert.equal(d.state, 'confirmed');
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.4');
  assert.deepEqual(d.routeSet.map((r) => r.text), ['<sip:p1.example.com;lr>']);
});

test('in-dialog request: tags, CSeq + 1, Route, Request-URI (§12.2.1.1)', () => {
  const { d } = uacDialog();
  const bye = d.createRequest({ method: 'BYE', via: 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKbye' });
  assert.equal(bye.requestUriText, 'sip:bob@192.0.2.4');
  assert.deepEqual(bye.headerAll(HeaderId.Route), ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
  assert.equal(bye.cseq, 314160);
  assert.equal(bye.fromTag, '1928301774');
  assert.equal(bye.toTag, 'b0b');
  assert.equal(bye.header(HeaderId.MaxForwards), '70');
  const ack = d.createRequest({ method: 'ACK', via: 'SIP/2.0/UDP x;branch=z9hG4bKack', cseq: 314159 });
  assert.equal(ack.header(HeaderId.CSeq), '314159 ACK');
  assert.equal(d.localSeq, 314160, 'ACK does not move the local CSeq');
});

test('UAS dialog: remote CSeq checked, lower gets 500, target refresh updates the remote target (§12.2.2)', () => {
  const inv = invite();
  const d = Dialog.fromUasRequest(inv, 'uas1', 'confirmed')!;
  assert.deepEqual(d.routeSet.map((r) => r.text), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(d.remoteSeq, 314159);
  const table = new DialogTable();
  table.add(d);
  const inDialog = (method: string, cseq: number, contact?: string): SipMessage =>
    createRequest({
      method,
      uri: 'sip:bob@192.0.2.4',
      headers: [
        ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK' + method + cseq],
        ['Max-Forwards', '70'],
        ['To', 'Bob <sip:bob@biloxi.example.com>;tag=uas1'],
        ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
        ['Call-ID', 'a84b4c76e66710'],
        ['CSeq', `${cseq} ${method}`],
        ...(contact ? ([['Contact', contact]] as [string, string][]) : []),
      ],
    });
  const m1 = table.match(inDialog('INVITE', 314160, '<sip:alice@192.0.2.99>'));
  assert.equal(m1.kind, 'in-dialog');
  assert.deepEqual(m1.kind === 'in-dialog' && m1.verdict, { accept: true });
  assert.equal(formatUri(d.remoteTarget), 'sip:alice@192.0.2.99');
  const m2 = table.match(inDialog('INFO', 314150));
  assert.deepEqual(m2.kind === 'in-dialog' && m2.verdict, { accept: false, status: 500, reason: 'CSeq Out of Order' });
  // UAS-side requests start the local CSeq.
  const bye = d.createRequest({ method: 'BYE', via: 'SIP/2.0/UDP x;branch=z9hG4bKb' });
  assert.equal(bye.cseq, 1);
  assert.equal(bye.toTag, '1928301774');
  assert.equal(bye.fromTag, 'uas1');
});

test('unknown dialog: 481, ACK silently absorbed; no To tag: out of dialog', () => {
  const table = new DialogTable();
  const mk = (method: string, toTag: string | undefined) =>
    createRequest({
      method,
      uri: 'sip:bob@192.0.2.4',
      headers: [['Via', 'SIP/2.0/UDP h;branch=z9hG4bK9'], ['Max-Forwards', '70'], ['To', `<sip:bob@b.example.com>${toTag ? `;tag=${toTag}` : ''}`], ['From', '<sip:a@a.example.com>;tag=x'], ['Call-ID', 'zz'], ['CSeq', `1 ${method}`]],
    });
  assert.deepEqual(table.match(mk('BYE', 'nope')), { kind: 'unknown-dialog', respond: { status: 481, reason: 'Call/Transaction Does Not Exist' } });
  assert.deepEqual(table.match(mk('ACK', 'nope')), { kind: 'unknown-dialog', respond: undefined });
  assert.deepEqual(table.match(mk('INVITE', undefined)), { kind: 'out-of-dialog' });
});
