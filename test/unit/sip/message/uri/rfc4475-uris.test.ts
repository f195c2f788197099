import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatUri, parseUri, uriParam, type SipUri, type Uri } from '../../../../../src/sip/message/uri/index.js';
import { sharedDir } from '../../../../support/paths.js';

/** The torture message as text; asserts the URI under test really is in it. */
function fixture(name: string, ...uris: string[]): string {
  const text = readFileSync(sharedDir('conformance', 'sip-torture', `${name}.dat`), 'latin1');
  for (const u of uris) assert.ok(text.includes(u), `${u} not in ${name}.dat`);
  return text;
}

function requestUri(name: string): string {
  const text = fixture(name);
  return text.slice(0, text.indexOf('\r\n')).split(' ')[1]!;
}

function parsed(text: string): Uri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.value;
}

const sip = (text: string): SipUri => parsed(text) as SipUri;

test('esc01 (RFC 4475 §3.1.1.3): escapes undone once, in user parts and Contact params', () => {
  const ruri = requestUri('esc01');
  assert.equal(ruri, 'sip:sips%3Auser%40example.com@example.net');
  const r = sip(ruri);
  assert.equal(r.user, 'sips:user@example.com');
  assert.equal(r.host, 'example.net');
  assert.equal(formatUri(r), ruri);
  const to = 'sip:%75se%72@example.com';
  const from = 'sip:I%20have%20spaces@example.net';
  const contact = 'sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31';
  fixture('esc01', to, from, contact);
  assert.equal(sip(to).user, 'user');
  assert.equal(sip(from).user, 'I have spaces');
  const c = sip(contact);
  assert.equal(c.user, 'caller');
  assert.deepEqual(c.params, [{ name: 'lr', value: null }, { name: 'name', value: 'value%41' }]);
  assert.equal(uriParam(c, 'LR'), null);
  assert.equal(formatUri(c), 'sip:caller@host5.example.net;lr;name=value%2541');
});

test('escnull (RFC 4475 §3.1.1.4): %00 does not cut the user name', () => {
  const aor = 'sip:null-%00-null@example.com';
  fixture('escnull', aor, '<sip:%00@host5.example.com>', '<sip:%00%00@host5.example.com>');
  assert.equal(sip(aor).user, 'null-\u0000-null');
  assert.equal(sip(aor).user!.length, 11);
  assert.equal(sip('sip:%00@host5.example.com').user, '\u0000');
  assert.equal(sip('sip:%00%00@host5.example.com').user, '\u0000\u0000');
  assert.equal(formatUri(sip(aor)), aor);
});

test('semiuri (RFC 4475 §3.1.1.9): ";" inside the user part', () => {
  const r = sip(requestUri('semiuri'));
  assert.equal(r.user, 'user;par=u@example.net');
  assert.equal(r.host, 'example.com');
  assert.deepEqual(r.params, []);
  assert.equal(formatUri(r), 'sip:user;par=u%40example.net@example.com');
});

test('intmeth (RFC 4475 §3.1.1.2): every unreserved and user-unreserved char in user and password', () => {
  const r = sip(requestUri('intmeth'));
  assert.equal(r.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(r.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert.equal(r.host, 'example.com');
  assert.equal(formatUri(r), requestUri('intmeth'));
});

test('escruri (RFC 4475 §3.1.2.11) and regescrt (§3.3.14): escaped Route header in a URI', () => {
  const ruri = requestUri('escruri');
  assert.equal(ruri, 'sip:user@example.com?Route=%3Csip:example.com%3E');
  // Syntactically a URI with a header; refusing headers in a Request-URI is the message layer's call.
  assert.deepEqual(sip(ruri).headers, [{ name: 'Route', value: '<sip:example.com>' }]);
  const contact = 'sip:user@example.com?Route=%3Csip:sip.example.com%3E';
  fixture('regescrt', `<${contact}>`);
  const c = sip(contact);
  assert.deepEqual(c.headers, [{ name: 'Route', value: '<sip:sip.example.com>' }]);
  assert.equal(formatUri(c), contact, 'kept escaped when written back');
});

test('unkscm, novelsc, unksm2 (RFC 4475 §3.3.2-4): other schemes kept opaque', () => {
  assert.deepEqual(parsed(requestUri('unkscm')), { scheme: 'nobodyKnowsThisScheme', value: 'totallyopaquecontent' });
  assert.deepEqual(parsed(requestUri('novelsc')), { scheme: 'soap.beep', value: '//192.0.2.103:3002' });
  fixture('unksm2', 'isbn:2983792873', '<http://www.example.com>', '<name:John_Smith>');
  assert.deepEqual(parsed('isbn:2983792873'), { scheme: 'isbn', value: '2983792873' });
  assert.deepEqual(parsed('http://www.example.com'), { scheme: 'http', value: '//www.example.com' });
  assert.deepEqual(parsed('name:John_Smith'), { scheme: 'name', value: 'John_Smith' });
  assert.equal(formatUri(parsed(requestUri('unkscm'))), requestUri('unkscm'));
});

test('cparam02, wsinv, mpart01: URI params without values, ports', () => {
  fixture('cparam02', '<sip:+19725552222@gw1.example.net;unknownparam>');
  const c = sip('sip:+19725552222@gw1.example.net;unknownparam');
  assert.equal(c.user, '+19725552222');
  assert.equal(uriParam(c, 'unknownparam'), null);
  const w = sip(requestUri('wsinv'));
  assert.deepEqual(w.params, [{ name: 'unknownparam', value: null }]);
  fixture('wsinv', '<sip:services.example.com;lr;unknownwith=value;unknown-no-value>');
  const route = sip('sip:services.example.com;lr;unknownwith=value;unknown-no-value');
  assert.equal(route.user, undefined);
  assert.deepEqual(route.params.map((p) => [p.name, p.value]), [['lr', null], ['unknownwith', 'value'], ['unknown-no-value', null]]);
  fixture('mpart01', '<sip:127.0.0.1:5080>');
  const m = sip('sip:127.0.0.1:5080');
  assert.deepEqual([m.host, m.hostKind, m.port, m.user], ['127.0.0.1', 'ipv4', 5080, undefined]);
});

test('lwsruri, ltgtruri (RFC 4475 §3.1.2.7-8): LWS and <> are not part of a URI', () => {
  fixture('lwsruri', 'sip:user@example.com; lr SIP/2.0');
  assert.deepEqual(parseUri('sip:user@example.com; lr'), { ok: false, error: 'space in URI (URI parameter name)' });
  fixture('ltgtruri', '<sip:user@example.com>');
  assert.equal(parseUri('<sip:user@example.com>').ok, false);
  assert.equal(parseUri('sip:user@example.com>').ok, false);
});
