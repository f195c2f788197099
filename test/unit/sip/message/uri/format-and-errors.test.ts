import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatUri, parseHost, parseUri, parseUriAt, sipUri, uriParam, urisEqual, withUriParam, type Uri,
} from '../../../../../src/sip/message/uri/index.js';

const corpus = [
  'sip:alice@atlanta.com', 'sips:bob:secret@biloxi.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
  'sip:+1-212-555-1212:1234@gateway.com;user=phone', 'sip:alice;day=tuesday@atlanta.com',
  'sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', 'sip:[2001:db8::10]:5070;maddr=[2001:db8::1];ttl=15',
  'sip:%E2%82%AC%F0%9F%98%80@example.com;x=%C3%A9', 'sip:a%FFb@h', 'sip:u@h;a=%3B%3F%3D%26;b?h=%26%3D%3F',
  'tel:+1-201-555-0123;ext=12', 'tel:7042;phone-context=example.com', 'mailto:someone@example.com',
  'sip:user@192.0.2.1:0', 'sip:user@host.example.', 'sip:u@h?x=', 'sip:%25@h;p=%25', 'SIP:a@B',
];

function value(text: string): Uri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.value;
}

test('parse -> format -> parse gives the same value, and the URI equals itself', () => {
  for (const text of corpus) {
    const v = value(text);
    const again = value(formatUri(v));
    assert.deepEqual(again, v, text);
    assert.ok(urisEqual(v, again), text);
  }
});

test('format escapes exactly what the component class does not allow (RFC 3261 §25.1)', () => {
  const u = sipUri({
    user: 'a b@c:d;e', password: 'p:w@', host: 'example.com',
    params: [{ name: 'na me', value: 'v;a=l?u' }, { name: 'lr', value: null }],
    headers: [{ name: 'Subject', value: 'hi & bye=ok?' }],
  });
  assert.equal(formatUri(u), 'sip:a%20b%40c%3Ad;e:p%3Aw%40@example.com;na%20me=v%3Ba%3Dl%3Fu;lr?Subject=hi%20%26%20bye%3Dok?');
  assert.equal(formatUri(sipUri({ user: '€', host: 'h' })), 'sip:%E2%82%AC@h');
  assert.equal(formatUri(sipUri({ user: '%', host: 'h' })), 'sip:%25@h');
  assert.equal(formatUri(sipUri({ user: '\u0000', host: 'h' })), 'sip:%00@h');
});

test('non-UTF-8 escapes survive as one char per octet', () => {
  assert.equal((value('sip:a%FFb@h') as { user: string }).user, 'a\u00ffb');
  assert.equal((value('sip:%E2%82%AC@h') as { user: string }).user, '€');
});

test('malformed URIs: the error names the fault', () => {
  const cases: [string, string][] = [
    ['', 'empty URI'],
    ['sip:', 'empty sip URI'],
    ['alice@atlanta.com', 'missing URI scheme'],
    ['1sip:a@b', 'URI does not start with a scheme'],
    ['sip:@h', 'empty user in URI'],
    ['sip:u@', 'empty host'],
    ['sip:u@h:', 'invalid port'],
    ['sip:u@h:65536', 'invalid port'],
    ['sip:u@h:5060x', "invalid character 'x' after host"],
    ['sip:u@h:123456', 'invalid port'],
    ['sip:u%4@h', 'bad escape in user'],
    ['sip:u%g1@h', 'bad escape in user'],
    ['sip:u@h;a=%', "bad escape in URI parameter 'a'"],
    ['sip:u v@h', 'space in URI (user)'],
    ['sip:u@h o', 'space in URI (host)'],
    ['sip:u\r\n@h', 'control character in URI (user)'],
    ['sip:u@h;;lr', 'empty URI parameter'],
    ['sip:u@h;a=', "empty value of URI parameter 'a'"],
    ['sip:u@h?', 'empty URI header name'],
    ['sip:u@h?a', "URI header 'a' has no '='"],
    ['sip:u@h?a=1&', 'empty URI header name'],
    ['sip:u@h?a=1=2', "invalid character '=' in URI header 'a'"],
    ['sip:u@h;ttl=256', 'invalid ttl parameter'],
    ['sip:u@h;lr;x=1;LR', "duplicate URI parameter 'LR'"],
    ['tel:+1;ext=1;ext=2', "duplicate URI parameter 'ext'"],
    ['sip:u@h;transport=', "empty value of URI parameter 'transport'"],
    ['sip:u@h;transport=a[b', 'invalid transport parameter'],
    ['sip:u@h;method=A/B', 'invalid method parameter'],
    ['sip:u@h;maddr=a..b', 'invalid maddr parameter'],
    ['sip:u@a..b', 'empty label in host'],
    ['sip:u@192.0.2.300', 'invalid IPv4 address in host'],
    ['sip:u@h\u00e9', 'non-ASCII character in URI (host)'],
    ['sip:u<@h', "invalid character '<' in user"],
    ['sip:u:p:q@h', "invalid character ':' in password"],
    ['sip:2001:db8::10', 'IPv6 address without [ ] in URI host'],
    ['sip:[2001:db8::10', 'unterminated IPv6 reference in host'],
    ['sip:[2001:db8::g]', 'invalid IPv6 reference in host'],
    ['mailto:a b', 'space in URI (mailto URI)'],
    ['urn:<x>', "invalid character '<' in urn URI"],
  ];
  for (const [text, reason] of cases) assert.deepEqual(parseUri(text), { ok: false, error: reason }, JSON.stringify(text));
});

test('parseUriAt reads a URI inside a longer text without copying it first', () => {
  const line = 'INVITE sip:bob@biloxi.com;transport=tcp SIP/2.0';
  const r = parseUriAt(line, 7, line.indexOf(' SIP/'));
  assert.ok(r.ok);
  assert.equal(formatUri(r.value), 'sip:bob@biloxi.com;transport=tcp');
  const header = 'To: <sip:a@b>;tag=1';
  const t = parseUriAt(header, 5, header.indexOf('>'));
  assert.ok(t.ok);
  assert.deepEqual(t.value, { scheme: 'sip', user: 'a', host: 'b', hostKind: 'domain', params: [], headers: [] });
  assert.throws(() => parseUriAt('sip:a@b', 3, 99), RangeError);
});

test('sipUri builder, uriParam and withUriParam', () => {
  const u = sipUri({ user: 'alice', host: '2001:db8::1', port: 5060, params: { transport: 'tcp', lr: null } });
  assert.equal(u.host, '[2001:db8::1]');
  assert.equal(u.hostKind, 'ipv6');
  assert.equal(formatUri(u), 'sip:alice@[2001:db8::1]:5060;transport=tcp;lr');
  assert.equal(sipUri({ host: '192.0.2.1' }).hostKind, 'ipv4');
  assert.equal(sipUri({ host: 'Example.COM', scheme: 'sips' }).hostKind, 'domain');
  assert.equal(uriParam(u, 'TRANSPORT'), 'tcp');
  assert.equal(uriParam(u, 'lr'), null);
  assert.equal(uriParam(u, 'maddr'), undefined);
  assert.equal(uriParam(value('mailto:x@y'), 'x'), undefined);
  const v = withUriParam(u, 'Transport', 'udp');
  assert.equal(formatUri(v), 'sip:alice@[2001:db8::1]:5060;lr;Transport=udp');
  assert.equal(formatUri(u), 'sip:alice@[2001:db8::1]:5060;transport=tcp;lr', 'original untouched');
  assert.equal(formatUri(withUriParam(u, 'lr', undefined)), 'sip:alice@[2001:db8::1]:5060;transport=tcp');
  assert.throws(() => sipUri({ host: 'bad host' }), RangeError);
  assert.throws(() => sipUri({ host: 'h', port: 70000 }), RangeError);
});

test('parseHost reads hosts outside URIs (Via sent-by, received)', () => {
  const via = 'SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bK';
  assert.deepEqual(parseHost(via, 12, 27), { ok: true, value: { host: '[2001:db8::9:1]', hostKind: 'ipv6' } });
  assert.deepEqual(parseHost('192.0.2.200', 0, 11), { ok: true, value: { host: '192.0.2.200', hostKind: 'ipv4' } });
  assert.deepEqual(parseHost('x', 0, 0), { ok: false, error: 'empty host' });
  assert.equal(parseHost('2001:db8::9:255', 0, 15).ok, false, 'a bare IPv6 address is not a host');
});

test('bare known parameter names are other-params by the grammar', () => {
  assert.equal(uriParam(value('sip:a@h;transport'), 'transport'), null);
});
