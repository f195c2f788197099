// createResponse builds its message directly (no text → parse → serialise round trip): it must
// equal, byte for byte and getter for getter, what writing the text and parsing it gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import {
  createResponse, formatUri, HeaderId, type NameAddr, parseDatagram, reasonPhrase, serializeMessage, setHeader, type HeaderLines, type ResponseInit, type SipMessage,
} from '../../../../src/sip/message/index.js';

/** The response as text (RFC 3261 §8.2.6.2 copy rules), parsed back: the reference. */
function viaText(req: SipMessage, status: number, reason: string, init: ResponseInit): SipMessage {
  let text = `SIP/2.0 ${status} ${reason}\r\n`;
  for (const v of req.headerAll(HeaderId.Via)) text += `Via: ${v}\r\n`;
  const tag = init.toTag !== undefined && status !== 100 && req.toTag === undefined ? `;tag=${init.toTag}` : '';
  text += `From: ${req.header(HeaderId.From)}\r\nTo: ${req.header(HeaderId.To)}${tag}\r\nCall-ID: ${req.callId}\r\nCSeq: ${req.cseq} ${req.method}\r\n`;
  const ts = req.header(HeaderId.Timestamp);
  if (status === 100 && ts !== undefined) text += `Timestamp: ${ts}\r\n`;
  for (const [n, v] of init.headers ?? []) if (n.toLowerCase() !== 'content-length' && n !== 'l') text += `${n}: ${v}\r\n`;
  const body = Buffer.from(init.body ?? '');
  const r = parseDatagram(Buffer.concat([Buffer.from(`${text}Content-Length: ${body.length}\r\n\r\n`), body]));
  assert.equal(r.kind, 'ok');
  return (r as { message: SipMessage }).message;
}

/** Name-addr values hold ranges into their source bytes: compare what they read as. */
function nameAddr(v: NameAddr | undefined): unknown {
  return v && { display: v.displayName, uri: formatUri(v.uri), tag: v.tag, params: [...v.params] };
}

function view(m: SipMessage): unknown {
  return {
    wire: serializeMessage(m).toString('latin1'),
    start: [m.isRequest, m.isResponse, m.method, m.status, m.reason, m.cseq, m.callId, m.requestUriText],
    hot: [m.fromTag, m.toTag, m.branch, m.viaHost, m.viaPort, m.headerCount],
    headers: m.headerList(),
    ids: Array.from({ length: m.headerCount }, (_, i) => m.idAt(i)),
    typed: [m.get(HeaderId.Via), nameAddr(m.get(HeaderId.From)), nameAddr(m.get(HeaderId.To)), m.get(HeaderId.CSeq),
      m.get(HeaderId.Contact)?.contacts.map(nameAddr), m.get(HeaderId.ContentType), m.get(HeaderId.ContentLength), m.get(HeaderId.Allow),
      m.header(HeaderId.Timestamp)],
    body: m.body.toString('latin1'),
  };
}

const extras: HeaderLines = [
  ['Contact', '<sip:handset@127.0.0.1:5060;transport=udp>'], ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
  ['Supported', 'replaces, timer'], ['Content-Type', 'application/sdp'], ['Server', 'Handset/0.1'], ['X-Odd', 'a  b'],
];
const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const cases: Array<[number, string | undefined, ResponseInit]> = [
  [100, undefined, {}],
  [180, undefined, { toTag: 'a1b2', headers: extras.slice(0, 1) }],
  [200, undefined, { toTag: 'a1b2', headers: extras, body: sdp }],
  [200, 'OK', { toTag: 'x', headers: [['Content-Length', '99'], ['l', '3']] }],
  [486, 'Busy Here', { toTag: 'x', headers: [['Warning', '399 handset "busy"'], ['Retry-After', '30']] }],
  [603, '', { toTag: 'x' }],
];

test('direct response build equals the text round trip for corpus and torture requests', () => {
  let n = 0;
  for (const parts of [['bench', 'sip-corpus'], ['conformance', 'sip-torture'], ['conformance', 'sip-torture-ipv6']]) {
    const dir = sharedDir(...parts);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.dat') && !f.endsWith('.sip')) continue;
      const r = parseDatagram(readFileSync(`${dir}/${f}`));
      if (r.kind !== 'ok' || !r.message.isRequest || r.message.method === 'ACK') continue;
      for (const stamp of [false, true]) {
        const req: SipMessage = r.message;
        if (stamp) setHeader(req, HeaderId.Via, [`SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK${n};rport=5090;received=127.0.0.1`, ...req.headerAll(HeaderId.Via).slice(1)]);
        for (const [status, reason, init] of cases) {
          let built: SipMessage;
          try {
            built = createResponse(req, status, reason, init);
          } catch {
            // A request the text round trip cannot answer either (e.g. a torture Via).
            assert.throws(() => viaText(req, status, reason ?? reasonPhrase(status), init));
            continue;
          }
          assert.deepEqual(view(built), view(viaText(req, status, reason ?? reasonPhrase(status), init)), `${f} ${status}`);
          n++;
        }
      }
    }
  }
  assert.ok(n >= 200, `only ${n} responses compared`);
});

test('a built response edited afterwards is serialised from its edits, not the bytes it was built with', () => {
  const r = parseDatagram(readFileSync(sharedDir('bench', 'sip-corpus', '01-invite.sip')));
  assert.equal(r.kind, 'ok');
  const res = createResponse((r as { message: SipMessage }).message, 200, 'OK', { toTag: 't', headers: extras.slice(0, 2) });
  const before = serializeMessage(res).toString('latin1');
  setHeader(res, HeaderId.Contact, '<sip:other@127.0.0.1>');
  const after = serializeMessage(res).toString('latin1');
  assert.equal(after, before.replace('<sip:handset@127.0.0.1:5060;transport=udp>', '<sip:other@127.0.0.1>'));
  assert.equal(res.get(HeaderId.Contact)?.contacts[0]?.uri.scheme, 'sip');
  assert.equal(res.header(HeaderId.Contact), '<sip:other@127.0.0.1>');
});
