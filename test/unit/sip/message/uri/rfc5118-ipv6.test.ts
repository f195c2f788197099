import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseUri, type SipUri } from '../../../../../src/sip/message/uri/index.js';
import { sharedDir } from '../../../../support/paths.js';

/** The Request-URI of a torture message: the second word of its first line. */
function requestUri(file: string): string {
  const text = readFileSync(sharedDir('conformance', 'sip-torture-ipv6', file), 'latin1');
  return text.slice(0, text.indexOf('\r\n')).split(' ')[1]!;
}

function sip(text: string): SipUri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  assert.ok(r.value.scheme === 'sip' || r.value.scheme === 'sips');
  return r.value as SipUri;
}

test('RFC 5118 Request-URIs: host, kind and port of each', () => {
  const expected: [string, string, string, number | undefined][] = [
    ['ipv6-good.dat', 'sip:[2001:db8::10]', '[2001:db8::10]', undefined], // §4.1
    ['port-ambiguous.dat', 'sip:[2001:db8::10:5070]', '[2001:db8::10:5070]', undefined], // §4.3: no port
    ['port-unambiguous.dat', 'sip:[2001:db8::10]:5070', '[2001:db8::10]', 5070], // §4.4
    ['ipv6-bug-abnf-3-colons.dat', 'sip:user@[2001:db8:::192.0.2.1]', '[2001:db8:::192.0.2.1]', undefined], // §4.10
    ['ipv6-correct-abnf-2-colons.dat', 'sip:user@[2001:db8::192.0.2.1]', '[2001:db8::192.0.2.1]', undefined],
  ];
  for (const [file, text, host, port] of expected) {
    assert.equal(requestUri(file), text, file);
    const u = sip(text);
    assert.equal(u.host, host, file);
    assert.equal(u.hostKind, 'ipv6', file);
    assert.equal(u.port, port, file);
  }
});

test('RFC 5118 §4.2: an IPv6 address without brackets in the Request-URI is malformed', () => {
  const text = requestUri('ipv6-bad.dat');
  assert.equal(text, 'sip:2001:db8::10');
  assert.deepEqual(parseUri(text), { ok: false, error: 'IPv6 address without [ ] in URI host' });
});

test('RFC 5118: every sip URI in the eleven valid messages parses', () => {
  const files = ['ipv6-good', 'port-ambiguous', 'port-unambiguous', 'via-received-param-with-delim',
    'via-received-param-no-delim', 'ipv6-in-sdp', 'mult-ip-in-header', 'mult-ip-in-sdp', 'ipv4-mapped-ipv6',
    'ipv6-bug-abnf-3-colons', 'ipv6-correct-abnf-2-colons'];
  let count = 0;
  for (const name of files) {
    const text = readFileSync(sharedDir('conformance', 'sip-torture-ipv6', `${name}.dat`), 'latin1');
    // URIs appear as a Request-URI (ends at a space), bare To/From (ends at ';'), or in <...>.
    for (const m of text.matchAll(/<(sips?:[^>]*)>|(?:^|\s)(sips?:[^\s;>]+)/g)) {
      sip(m[1] ?? m[2]!);
      count++;
    }
  }
  assert.ok(count >= 30, `only ${count} URIs found`);
});

test('RFC 5118 §4.9: IPv4-mapped IPv6 references, with a port outside the brackets', () => {
  const u = sip('sip:ted@[::ffff:192.0.2.2]');
  assert.equal(u.host, '[::ffff:192.0.2.2]');
  assert.equal(sip('sip:[::ffff:192.0.2.10]:19823').port, 19823);
});

test('IPv6 references that are not addresses are refused', () => {
  for (const text of [
    'sip:[2001:db8::10', 'sip:[2001:db8::10]x', 'sip:[]', 'sip:[2001:db8:10]', 'sip:[1:2:3:4:5:6:7:8:9]',
    'sip:[1::2::3]', 'sip:[12345::1]', 'sip:[::ffff:192.0.2.256]', 'sip:[fe80::1%25eth0]', 'sip:[::g]',
    'sip:[1:2:3:4:5:6:7:8::]', 'sip:[2001:db8::10]:', 'sip:[1:]', 'sip:[:1]', 'sip:[1.2.3.4]',
  ]) {
    const r = parseUri(text);
    assert.equal(r.ok, false, text);
  }
  for (const text of ['sip:[::]', 'sip:[::1]', 'sip:[1::]', 'sip:[1:2:3:4:5:6:7:8]', 'sip:[1:2:3:4:5:6:1.2.3.4]']) {
    assert.equal(sip(text).hostKind, 'ipv6', text);
  }
});
