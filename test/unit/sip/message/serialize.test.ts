// Serializer, edits and the request/response builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import {
  addHeader, createRequest, createResponse, HeaderId, parseDatagram, removeHeader, serializeMessage, setBody, setHeader,
  type SipMessage,
} from '../../../../src/sip/message/index.js';

function parse(b: Buffer | string): SipMessage {
  const r = parseDatagram(typeof b === 'string' ? Buffer.from(b) : b);
  if (r.kind !== 'ok') throw new Error(r.kind === 'malformed' ? r.reason : r.kind);
  return r.message;
}

/** The meaning of a message: start line, every header (name id + unfolded value), body. */
function meaning(m: SipMessage): unknown {
  return {
    start: [m.isRequest, m.method, m.requestUriText, m.status, m.reason],
    headers: m.headerList().filter((h) => h.name.toLowerCase() !== 'content-length' && h.name !== 'l' && h.name !== 'L'),
    body: m.body.toString('latin1'),
    hot: [m.callId, m.cseq, m.fromTag, m.toTag, m.branch],
  };
}

test('parse → serialize → parse keeps the meaning for every accepted corpus message', () => {
  let n = 0;
  for (const parts of [['conformance', 'sip-torture'], ['conformance', 'sip-torture-ipv6'], ['bench', 'sip-corpus']]) {
    const dir = sharedDir(...parts);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.dat') && !f.endsWith('.sip')) continue;
      const r = parseDatagram(readFileSync(`${dir}/${f}`));
      if (r.kind !== 'ok') continue;
      const again = parse(serializeMessage(r.message));
      assert.deepEqual(meaning(again), meaning(r.message), f);
      n++;
    }
  }
  assert.ok(n >= 50);
});

test('untouched headers are written back byte for byte; Content-Length follows the body', () => {
  const src = readFileSync(sharedDir('conformance', 'sip-torture', 'wsinv.dat'));
  const out = serializeMessage(parse(src));
  assert.deepEqual(out, src); // folds, odd spacing and case all kept
  const noLength = parse('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\nhello');
  assert.match(serializeMessage(noLength).toString(), /\r\nContent-Length: 5\r\n\r\nhello$/);
});

test('edits: set, add at top, remove, body', () => {
  const m = parse(readFileSync(sharedDir('bench', 'sip-corpus', '01-invite.sip')));
  addHeader(m, HeaderId.Via, 'SIP/2.0/TCP proxy.test;branch=z9hG4bKtop', 'top');
  assert.equal(m.branch, 'z9hG4bKtop');
  assert.equal(m.get(HeaderId.Via)!.length, 2);
  setHeader(m, 'Max-Forwards', '69');
  assert.equal(m.get(HeaderId.MaxForwards), 69);
  setHeader(m, HeaderId.CSeq, '314160 INVITE');
  assert.equal(m.cseq, 314160);
  assert.equal(removeHeader(m, 'Proxy-Authorization'), 1);
  assert.equal(m.has(HeaderId.ProxyAuthorization), false);
  addHeader(m, 'X-Custom', 'one');
  setBody(m, 'v=0\r\n', 'application/sdp');
  const again = parse(serializeMessage(m));
  assert.equal(again.branch, 'z9hG4bKtop');
  assert.equal(again.header(HeaderId.Via), 'SIP/2.0/TCP proxy.test;branch=z9hG4bKtop');
  assert.equal(again.get(HeaderId.MaxForwards), 69);
  assert.equal(again.cseq, 314160);
  assert.equal(again.header('x-custom'), 'one');
  assert.equal(again.body.toString(), 'v=0\r\n');
  assert.equal(again.get(HeaderId.ContentLength), 5);
  assert.equal(again.fromTag, '1928301774');
});

test('createRequest and createResponse (RFC 3261 §8.2.6.2)', () => {
  const req = createRequest({
    method: 'INVITE',
    uri: 'sip:bob@lab.test',
    headers: [
      ['Via', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa1;rport'],
      ['Via', 'SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa2'],
      ['Max-Forwards', '70'],
      ['From', '"Alice" <sip:alice@lab.test>;tag=f1'],
      ['To', '<sip:bob@lab.test>'],
      ['Call-ID', 'c1@lab.test'],
      ['CSeq', '7 INVITE'],
      ['Timestamp', '54'],
    ],
    body: 'v=0\r\n',
  });
  assert.equal(req.get(HeaderId.ContentLength), 5);
  assert.equal(req.branch, 'z9hG4bKa1');
  const trying = createResponse(req, 100);
  assert.equal(trying.reason, 'Trying');
  assert.equal(trying.toTag, undefined);
  assert.equal(trying.header('Timestamp'), '54');
  const ok = createResponse(req, 200, 'OK', { toTag: 't9', headers: [['Contact', '<sip:bob@10.0.0.3>']], body: 'v=0\r\n' });
  const wire = serializeMessage(ok).toString();
  assert.match(wire, /^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/UDP 10\.0\.0\.1:5060;branch=z9hG4bKa1;rport\r\nVia: SIP\/2\.0\/UDP 10\.0\.0\.2;branch=z9hG4bKa2\r\n/);
  assert.equal(ok.toTag, 't9');
  assert.equal(ok.fromTag, 'f1');
  assert.equal(ok.callId, 'c1@lab.test');
  assert.deepEqual([ok.cseq, ok.method], [7, 'INVITE']);
  assert.equal(ok.get(HeaderId.Contact)!.contacts[0]!.uriText, 'sip:bob@10.0.0.3');
  assert.equal(ok.has('Timestamp'), false);
  assert.throws(() => createRequest({ method: 'OPTIONS', uri: 'sip:a@b', headers: [['Via', 'x\r\ny']] }), /CR\/LF/);
});

test('setHeader with as many lines in place (Via stamping) keeps the other fields\' parsed values; other shapes still read right', () => {
  const m = parse('INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 4 INVITE\r\nContact: <sip:a@10.0.0.1>\r\n\r\n');
  const from = m.get(HeaderId.From);
  const contact = m.get(HeaderId.Contact);
  assert.equal(m.topVia?.host, 'a');
  setHeader(m, HeaderId.Via, ['SIP/2.0/UDP a;branch=z9hG4bK1;received=10.0.0.9', 'SIP/2.0/UDP b;branch=z9hG4bK2']);
  assert.equal(m.get(HeaderId.From), from);
  assert.equal(m.get(HeaderId.Contact), contact);
  assert.equal(m.topVia?.params.get('received'), '10.0.0.9');
  assert.equal(m.branch, 'z9hG4bK1');
  assert.equal(m.fromTag, '1');
  assert.match(serializeMessage(m).toString(), /^INVITE sip:b@h SIP\/2\.0\r\nVia: SIP\/2\.0\/UDP a;branch=z9hG4bK1;received=10\.0\.0\.9\r\nVia: SIP\/2\.0\/UDP b;branch=z9hG4bK2\r\nFrom: /);
  // Fewer lines: the table shifts, every value is read again.
  setHeader(m, HeaderId.Via, 'SIP/2.0/UDP c;branch=z9hG4bK3');
  assert.deepEqual(m.headerAll(HeaderId.Via), ['SIP/2.0/UDP c;branch=z9hG4bK3']);
  assert.equal(m.get(HeaderId.Contact)?.contacts[0]?.uri.scheme, 'sip');
  assert.equal(m.header(HeaderId.Contact), '<sip:a@10.0.0.1>');
  assert.equal(m.cseq, 4);
});
