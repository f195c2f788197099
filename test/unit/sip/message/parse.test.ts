// Parser behaviour (RFC 3261 §7, §18.3, §20, §25) and the typed header readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import { HeaderId, headerIdOf, parseDatagram, parseMessage, type SipMessage, type SipUri } from '../../../../src/sip/message/index.js';

const HEAD = 'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport\r\nFrom: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: 5 OPTIONS\r\n';

function ok(text: string | Buffer): SipMessage {
  const r = parseDatagram(typeof text === 'string' ? Buffer.from(text) : text);
  if (r.kind !== 'ok') throw new Error(r.kind === 'malformed' ? r.reason : r.kind);
  return r.message;
}

function request(extra: string, body = ''): SipMessage {
  return ok(`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD}${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

test('compact forms and any case map to the same header', () => {
  for (const [name, id] of [['v', HeaderId.Via], ['VIA', HeaderId.Via], ['i', HeaderId.CallId], ['CALL-id', HeaderId.CallId],
    ['m', HeaderId.Contact], ['l', HeaderId.ContentLength], ['c', HeaderId.ContentType], ['k', HeaderId.Supported],
    ['o', HeaderId.Event], ['u', HeaderId.AllowEvents], ['r', HeaderId.ReferTo], ['b', HeaderId.ReferredBy],
    ['x', HeaderId.SessionExpires], ['e', HeaderId.ContentEncoding], ['s', HeaderId.Subject], ['www-AUTHENTICATE', HeaderId.WwwAuthenticate],
    ['X-Other', HeaderId.Other]] as const) {
    assert.equal(headerIdOf(name), id, name);
  }
  const m = ok('OPTIONS sip:b@example.com SIP/2.0\r\nv: SIP/2.0/TCP h;branch=z9hG4bK1\r\nf: <sip:a@x>;tag=1\r\nT: sip:b@x\r\ni: cid\r\ncseq: 1 OPTIONS\r\nK: timer\r\nL: 0\r\n\r\n');
  assert.equal(m.branch, 'z9hG4bK1');
  assert.equal(m.callId, 'cid');
  assert.deepEqual(m.get(HeaderId.Supported), ['timer']);
  assert.equal(m.nameAt(0), 'v');
});

test('folded values read as one line; repeated lines and comma lists merge in order', () => {
  const m = request('Supported: timer,\r\n  100rel\r\nSupported: path\r\nX-Note: a\r\n\tb\r\nRoute: <sip:p1;lr>, <sip:p2;lr>\r\nRoute: <sip:p3;lr>\r\n');
  assert.deepEqual(m.get(HeaderId.Supported), ['timer', '100rel', 'path']);
  assert.equal(m.header('x-note'), 'a b');
  assert.deepEqual(m.get(HeaderId.Route)!.map((r) => r.uriText), ['sip:p1;lr', 'sip:p2;lr', 'sip:p3;lr']);
  assert.deepEqual(m.headerAll(HeaderId.Route), ['<sip:p1;lr>, <sip:p2;lr>', '<sip:p3;lr>']);
  const unknown = m.headerList().filter((h) => h.name.startsWith('X-'));
  assert.deepEqual(unknown, [{ name: 'X-Note', value: 'a b' }]);
});

test('hot fields: top Via sent-by and branch, tags, CSeq, response method from CSeq', () => {
  const m = request('');
  assert.deepEqual([m.viaHost, m.viaPort, m.branch, m.fromTag, m.toTag, m.cseq, m.method], ['192.0.2.1', 5060, 'z9hG4bKabc', 'f1', undefined, 5, 'OPTIONS']);
  assert.equal(m.topVia!.rport, true);
  const r = ok(`SIP/2.0 486 Busy Here\r\n${HEAD}Content-Length: 0\r\n\r\n`);
  assert.deepEqual([r.isResponse, r.status, r.reason, r.method], [true, 486, 'Busy Here', 'OPTIONS']);
});

test('stream input: incomplete until the whole body is there; leading CRLFs skipped (§7.5)', () => {
  const full = Buffer.from(`\r\n\r\nOPTIONS sip:b@example.com SIP/2.0\r\n${HEAD}Content-Length: 4\r\n\r\nbody`);
  for (let at = 0; at < full.length; at++) assert.equal(parseMessage(full.subarray(0, at)).kind, 'incomplete', `at ${at}`);
  const r = parseMessage(Buffer.concat([full, Buffer.from('NEXT')]));
  assert.equal(r.kind, 'ok');
  if (r.kind === 'ok') {
    assert.equal(r.length, full.length);
    assert.equal(r.message.body.toString(), 'body');
  }
  const short = parseMessage(full.subarray(0, full.length - 2));
  assert.deepEqual(short, { kind: 'incomplete', needed: full.length });
});

test('limits: message size, header count, line length → 513 too large', () => {
  const limits = { maxMessageBytes: 600, maxHeaders: 8, maxLineBytes: 120 };
  const cases = [
    request('', 'x'.repeat(700)),
    request('A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n'),
    request(`X-Long: ${'y'.repeat(200)}\r\n`),
  ];
  for (const m of cases) {
    const bytes = m.buf.subarray(m.startOffset, m.bodyEnd);
    const r = parseDatagram(bytes, limits);
    assert.equal(r.kind, 'malformed');
    if (r.kind === 'malformed') {
      assert.match(r.reason, /^too large/);
      assert.deepEqual(r.response, { status: 513, reason: 'Message Too Large' });
    }
  }
  const big = parseMessage(Buffer.from(`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD}Content-Length: 99999999999999999999\r\n\r\n`));
  assert.equal(big.kind === 'malformed' && big.response?.status, 513);
  assert.equal(parseMessage(Buffer.alloc(70_000, 0x61)).kind, 'malformed'); // no line end within the cap
});

test('malformed start lines and header lines name the fault and the offset', () => {
  const cases: [string, RegExp, number | undefined][] = [
    ['OPTIONS sip:b@example.com SIP/2.0\r\nNo colon here\r\n\r\n', /missing ":"/, 400],
    ['OPTIONS sip:b@example.com SIP/2.0\r\n Via: x\r\n\r\n', /starts with whitespace/, 400],
    ['SIP/2.0 99 Low\r\n\r\n', /Status-Code/, undefined],
    ['SIP/3.0 200 OK\r\n\r\n', /SIP-Version/, undefined],
    [`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD.replace('CSeq: 5 OPTIONS', 'CSeq: 5')}\r\n`, /CSeq/, 400],
    [`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD.replace('Call-ID: c1', 'Call-ID: c 1')}\r\n`, /Call-ID/, 400],
    [`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD.replace('Via: SIP/2.0/UDP', 'Via: SIP/2.0')}\r\n`, /Via/, 400],
  ];
  for (const [text, reason, status] of cases) {
    const r = parseDatagram(Buffer.from(text));
    assert.equal(r.kind, 'malformed', text);
    if (r.kind !== 'malformed') continue;
    assert.match(r.reason, reason);
    assert.equal(r.response?.status, status);
    assert.equal(typeof r.offset, 'number');
  }
});

test('typed headers: dialog, registration and routing', () => {
  const m = request([
    'Contact: "Al" <sip:al@192.0.2.9:5070;transport=tcp>;expires=600;q=0.7;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1, <sip:al2@h>\r\n',
    'Record-Route: <sip:p1.example.com;lr>\r\n', 'Max-Forwards: 70\r\n', 'Expires: 3600\r\n', 'Min-Expires: 60\r\n',
    'Refer-To: <sip:carol@example.com?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n', 'Referred-By: <sip:al@example.com>;cid="x"\r\n',
    'Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only\r\n',
    'P-Asserted-Identity: "Cullen" <sip:fluffy@cisco.com>, <tel:+14085264000>\r\n',
    'Call-Info: <http://wwww.example.com/alice/photo.jpg>;purpose=icon, <http://www.example.com/alice/>;purpose=info\r\n',
    'Alert-Info: <http://www.example.com/sounds/moo.wav>\r\n',
  ].join(''));
  const c = m.get(HeaderId.Contact)!;
  assert.equal(c.wildcard, false);
  const [first, second] = c.contacts;
  assert.deepEqual([first!.displayName, first!.expires, first!.q, first!.instance, first!.regId], ['Al', 600, 0.7, 'urn:uuid:00000000-0000-1000-8000-000A95A0E128', 1]);
  assert.equal((first!.uri as SipUri).port, 5070);
  assert.equal(second!.uriText, 'sip:al2@h');
  assert.equal(m.get(HeaderId.RecordRoute)![0]!.uriText, 'sip:p1.example.com;lr');
  assert.deepEqual([m.get(HeaderId.MaxForwards), m.get(HeaderId.Expires), m.get(HeaderId.MinExpires)], [70, 3600, 60]);
  assert.equal((m.get(HeaderId.ReferTo)!.uri as SipUri).headers[0]!.value, 'abc@h;to-tag=1;from-tag=2');
  assert.equal(m.get(HeaderId.ReferredBy)!.params.get('cid'), 'x');
  assert.deepEqual(m.get(HeaderId.Replaces), { callId: '98732@sip.example.com', toTag: 'ff87ff', fromTag: 'r33th4x0r', earlyOnly: true,
    params: new Map([['from-tag', 'r33th4x0r'], ['to-tag', 'ff87ff'], ['early-only', '']]) });
  assert.deepEqual(m.get(HeaderId.PAssertedIdentity)!.map((p) => p.uri.scheme), ['sip', 'tel']);
  assert.deepEqual(m.get(HeaderId.CallInfo)!.map((i) => i.params.get('purpose')), ['icon', 'info']);
  assert.equal(m.get(HeaderId.AlertInfo)![0]!.uriText, 'http://www.example.com/sounds/moo.wav');
  assert.equal(request('Contact: *\r\nExpires: 0\r\n').get(HeaderId.Contact)!.wildcard, true);
  assert.match(request('Contact: *, <sip:a@b>\r\n').headerError(HeaderId.Contact) ?? '', /Contact/);
  assert.match(request('Contact: <sip:a@b>;expires=99999999999\r\n').headerError(HeaderId.Contact) ?? '', /expires/);
});

test('typed headers: authentication (params map lowercased, values unquoted)', () => {
  const m = request([
    'WWW-Authenticate: Digest realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", qop="auth,auth-int", algorithm=SHA-256, stale=FALSE\r\n',
    'WWW-Authenticate: Digest realm="atlanta.com", nonce="x", algorithm=MD5\r\n',
    'Proxy-Authenticate: Digest REALM="b", nonce="n\\"q", opaque=""\r\n',
    'Authorization: Digest username="bob", realm="biloxi.com", uri="sip:bob@biloxi.com", response="245f2341", nc=00000001, cnonce="0a4f113b", qop=auth\r\n',
    'Proxy-Authorization: Bearer mF_9.B5f-4.1JqM\r\n',
    'Authentication-Info: nextnonce="47364c23432d2e131a5fb210812c", qop=auth, rspauth="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", nc=00000001\r\n',
  ].join(''));
  const www = m.get(HeaderId.WwwAuthenticate)!;
  assert.equal(www.length, 2);
  assert.equal(www[0]!.scheme, 'Digest');
  assert.deepEqual([...www[0]!.params], [['realm', 'atlanta.com'], ['nonce', '84a4cc6f3082121f32b42a2187831a9e'], ['qop', 'auth,auth-int'], ['algorithm', 'SHA-256'], ['stale', 'FALSE']]);
  const pa = m.get(HeaderId.ProxyAuthenticate)![0]!;
  assert.deepEqual([pa.params.get('realm'), pa.params.get('nonce'), pa.params.get('opaque')], ['b', 'n"q', '']);
  assert.equal(m.get(HeaderId.Authorization)![0]!.params.get('nc'), '00000001');
  assert.deepEqual(m.get(HeaderId.ProxyAuthorization)![0], { scheme: 'Bearer', params: new Map(), raw: 'mF_9.B5f-4.1JqM' });
  assert.equal(m.get(HeaderId.AuthenticationInfo)!.get('rspauth'), '6629fae49393a05397450978507c4ef1');
  const two = request('WWW-Authenticate: Digest realm="a", nonce="1", Digest realm="b", nonce="2"\r\n').get(HeaderId.WwwAuthenticate)!;
  assert.deepEqual(two.map((c) => c.params.get('realm')), ['a', 'b']);
});

test('typed headers: events, extensions, session timers, errors', () => {
  const m = request([
    'Event: presence.winfo;id=77\r\n', 'Allow-Events: presence, dialog\r\n',
    'Subscription-State: terminated;reason=timeout;retry-after=30\r\n', 'RSeq: 988789\r\n', 'RAck: 776656 1 INVITE\r\n',
    'Session-Expires: 1800;refresher=uas\r\n', 'Min-SE: 90\r\n', 'Retry-After: 18000;duration=3600\r\n',
    'Reason: SIP ;cause=200 ;text="Call completed elsewhere", Q.850;cause=16\r\n',
    'Warning: 370 devnull "Choose a bigger pipe", 307 isi.edu "Session parameter \'foo\' not understood"\r\n',
    'User-Agent: Softphone Beta1.5\r\n', 'Server: HomeServer v2\r\n', 'Accept: application/sdp;level=1, application/x-private\r\n',
    'Content-Disposition: session;handling=optional\r\n', 'Content-Encoding: gzip\r\n', 'Allow: INVITE, ACK, BYE\r\n',
    'Require: 100rel\r\n', 'Proxy-Require: foo\r\n', 'Unsupported: bar\r\n', 'Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n',
    'Content-Type: Application/SDP; charset=UTF-8\r\n',
  ].join(''));
  assert.deepEqual(m.get(HeaderId.Event), { type: 'presence.winfo', id: '77', params: new Map([['id', '77']]) });
  assert.deepEqual(m.get(HeaderId.AllowEvents), ['presence', 'dialog']);
  const ss = m.get(HeaderId.SubscriptionState)!;
  assert.deepEqual([ss.state, ss.reason, ss.retryAfter, ss.expires], ['terminated', 'timeout', 30, undefined]);
  assert.equal(m.get(HeaderId.RSeq), 988789);
  assert.deepEqual(m.get(HeaderId.RAck), { rseq: 776656, cseq: 1, method: 'INVITE' });
  assert.deepEqual([m.get(HeaderId.SessionExpires)!.seconds, m.get(HeaderId.SessionExpires)!.refresher, m.get(HeaderId.MinSE)!.seconds], [1800, 'uas', 90]);
  assert.deepEqual([m.get(HeaderId.RetryAfter)!.seconds, m.get(HeaderId.RetryAfter)!.duration], [18000, 3600]);
  assert.deepEqual(m.get(HeaderId.Reason)!.map((r) => [r.protocol, r.cause, r.text]), [['SIP', 200, 'Call completed elsewhere'], ['Q.850', 16, undefined]]);
  assert.deepEqual(m.get(HeaderId.Warning)!.map((w) => [w.code, w.agent]), [[370, 'devnull'], [307, 'isi.edu']]);
  assert.deepEqual([m.get(HeaderId.UserAgent), m.get(HeaderId.Server)], ['Softphone Beta1.5', 'HomeServer v2']);
  assert.deepEqual(m.get(HeaderId.Accept)!.map((a) => [a.subtype, a.params.get('level')]), [['sdp', '1'], ['x-private', undefined]]);
  assert.equal(m.get(HeaderId.ContentDisposition)!.params.get('handling'), 'optional');
  assert.deepEqual([m.get(HeaderId.ContentEncoding), m.get(HeaderId.Allow), m.get(HeaderId.Require), m.get(HeaderId.ProxyRequire), m.get(HeaderId.Unsupported)],
    [['gzip'], ['INVITE', 'ACK', 'BYE'], ['100rel'], ['foo'], ['bar']]);
  assert.equal(m.get(HeaderId.Date)!.toISOString(), '2010-11-13T23:29:00.000Z');
  assert.deepEqual([m.get(HeaderId.ContentType)!.type, m.get(HeaderId.ContentType)!.params.get('charset')], ['application', 'UTF-8']);
  // Numbers never overflow; faults name the header and are also reported by headerError.
  const bad = request('Max-Forwards: 300\r\nExpires: 4294967296\r\nRSeq: x\r\nWarning: 1812 overture "In Progress"\r\nRetry-After: 949302838503028349304023988\r\n');
  for (const id of [HeaderId.MaxForwards, HeaderId.Expires, HeaderId.RSeq, HeaderId.Warning, HeaderId.RetryAfter] as const) {
    assert.equal(bad.get(id), undefined);
    assert.ok(bad.headerError(id), `header ${id}`);
  }
  assert.equal(request('Expires: 4294967295\r\n').get(HeaderId.Expires), 4294967295);
});

test('bench corpus parses with the values a softphone needs', () => {
  const reg = ok(readFileSync(sharedDir('bench', 'sip-corpus', '08-register.sip')));
  assert.equal(reg.get(HeaderId.Authorization)![0]!.params.get('response'), 'dfe56131d1958046689d83306477ecc');
  assert.equal(reg.get(HeaderId.Contact)!.contacts[0]!.regId, 1);
  const notify = ok(readFileSync(sharedDir('bench', 'sip-corpus', '10-notify.sip')));
  assert.equal(notify.get(HeaderId.Event)!.type, 'message-summary');
  assert.equal(notify.get(HeaderId.SubscriptionState)!.expires, 3599);
  assert.equal(notify.body.length, 86);
});

test('non-ASCII header bytes: UTF-8 and stray bytes read the same as decoding each value', () => {
  for (const raw of [Buffer.from('Subject: café ☎\r\nX-A: ok\r\n'), Buffer.from([...Buffer.from('X-Bin: a'), 0xff, 0x80, ...Buffer.from('b\r\nSubject: s\r\n')])]) {
    const m = ok(Buffer.concat([Buffer.from(`OPTIONS sip:b@example.com SIP/2.0\r\n${HEAD}`), raw, Buffer.from('Content-Length: 0\r\n\r\n')]));
    assert.equal(m.fromTag, 'f1');
    for (let i = 0; i < m.headerCount; i++) {
      const id = m.idAt(i);
      const direct = m.buf.toString('utf8', m.h[i * 4 + 2]!, m.h[i * 4 + 3]!);
      if (id === HeaderId.Subject) assert.equal(m.get(HeaderId.Subject), direct);
      assert.equal(m.valueAt(i), direct);
    }
  }
});
