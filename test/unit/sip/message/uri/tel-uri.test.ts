import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, parseUri, uriParam, urisEqual, type Uri } from '../../../../../src/sip/message/uri/index.js';

function uri(text: string): Uri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.value;
}

test('RFC 3966 §6 examples parse', () => {
  assert.deepEqual(uri('tel:+1-201-555-0123'), { scheme: 'tel', number: '+1-201-555-0123', isGlobal: true, params: [] });
  const local = uri('tel:7042;phone-context=example.com');
  assert.deepEqual(local, {
    scheme: 'tel',
    number: '7042',
    isGlobal: false,
    params: [{ name: 'phone-context', value: 'example.com' }],
  });
  const ctx = uri('tel:863-1234;phone-context=+1-914-555');
  assert.equal(uriParam(ctx, 'Phone-Context'), '+1-914-555');
  const ext = uri('tel:+1-212-555-0101;ext=1234;isub=ab');
  assert.equal(uriParam(ext, 'ext'), '1234');
  assert.equal(uriParam(ext, 'isub'), 'ab');
  assert.equal(uriParam(ext, 'nope'), undefined);
  assert.equal(formatUri(ext), 'tel:+1-212-555-0101;ext=1234;isub=ab');
  assert.equal((uri('TEL:+12345') as { number: string }).number, '+12345');
  assert.deepEqual((uri('tel:*21#;phone-context=ims.example') as { number: string }).number, '*21#');
});

test('RFC 3966 §3: malformed tel URIs are refused with a reason', () => {
  const bad: [string, string][] = [
    ['tel:7042', 'local tel number without phone-context'],
    ['tel:+', 'empty telephone number'],
    ['tel:+--', 'empty telephone number'],
    ['tel:+1 212', "space in URI (telephone number)"],
    ['tel:+12a4', "invalid character 'a' in telephone number"],
    ['tel:+1234;;x', 'empty URI parameter'],
    ['tel:+1234;ext=', "empty value of URI parameter 'ext'"],
  ];
  for (const [text, reason] of bad) {
    const r = parseUri(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.equal(r.error, reason, text);
  }
});

test('RFC 3966 §4 comparison: visual separators ignored, parameters all in both, case-insensitive', () => {
  const eq = (a: string, b: string): boolean => urisEqual(uri(a), uri(b)) && urisEqual(uri(b), uri(a));
  assert.ok(eq('tel:+1-201-555-0123', 'tel:+1(201)555.0123'));
  assert.ok(eq('tel:+12015550123', 'tel:+1-201-555-0123'));
  assert.equal(eq('tel:+1-201-555-0123', 'tel:+1-201-555-0124'), false);
  assert.equal(eq('tel:+1234;phone-context=+1', 'tel:1234;phone-context=+1'), false, 'global vs local');
  assert.ok(eq('tel:7042;phone-context=Example.COM', 'tel:70-42;phone-context=example.com'));
  assert.ok(eq('tel:863-1234;phone-context=+1-914-555', 'tel:8631234;phone-context=+1914555'));
  assert.ok(eq('tel:abc;phone-context=x.example', 'tel:ABC;phone-context=x.example'), 'hex digits case-insensitive');
  assert.ok(eq('tel:+1234;ext=1-2;foo=Bar', 'tel:+1234;FOO=bar;ext=12'), 'order, ext separators');
  assert.equal(eq('tel:+1234;foo=bar', 'tel:+1234'), false, 'a parameter only in one URI');
  assert.equal(eq('tel:+1234;foo', 'tel:+1234;foo=x'), false);
});
