import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseUri, urisEqual, type Uri } from '../../../../../src/sip/message/uri/index.js';
import { sharedDir } from '../../../../support/paths.js';

function uri(text: string): Uri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.value;
}

/**
 * The example sets of RFC 3261 §19.1.4, read from the RFC text: blank-line separated groups
 * of URIs (first word of each line) after the given lead-in sentence.
 */
function exampleSets(leadIn: string): string[][] {
  const text = readFileSync(sharedDir('rfc', 'rfc3261.txt'), 'utf8');
  const start = text.indexOf(leadIn);
  assert.ok(start > 0, `lead-in not found: ${leadIn}`);
  const sets: string[][] = [];
  let current: string[] = [];
  for (const line of text.slice(start + leadIn.length).split('\n').slice(1)) {
    const word = line.trim().split(/\s+/)[0] ?? '';
    if (/^sips?:/i.test(word)) current.push(word);
    else if (line.trim() === '') {
      if (current.length > 0) sets.push(current);
      current = [];
    } else break; // the next paragraph ends the list
  }
  return sets;
}

test('RFC 3261 §19.1.4: the URIs within each "equivalent" set are equal (both directions)', () => {
  const sets = exampleSets('The URIs within each of the following sets are equivalent:');
  assert.equal(sets.length, 4);
  assert.deepEqual(sets.map((s) => s.length), [2, 3, 2, 2]);
  for (const set of sets) {
    for (const a of set) for (const b of set) assert.ok(urisEqual(uri(a), uri(b)), `${a} == ${b}`);
  }
});

test('RFC 3261 §19.1.4: the URIs within each "not equivalent" set differ (both directions)', () => {
  const sets = exampleSets('The URIs within each of the following sets are not equivalent:');
  assert.equal(sets.length, 6);
  for (const set of sets) {
    assert.equal(set.length, 2, set.join(' '));
    const [a, b] = set as [string, string];
    assert.equal(urisEqual(uri(a), uri(b)), false, `${a} != ${b}`);
    assert.equal(urisEqual(uri(b), uri(a)), false, `${b} != ${a}`);
  }
});

test('RFC 3261 §19.1.4: equality is not transitive (security=on / off)', () => {
  const plain = uri('sip:carol@chicago.com');
  const on = uri('sip:carol@chicago.com;security=on');
  const off = uri('sip:carol@chicago.com;security=off');
  assert.ok(urisEqual(plain, on));
  assert.ok(urisEqual(plain, off));
  assert.equal(urisEqual(on, off), false);
});

test('RFC 3261 §19.1.4: the other rules, one by one', () => {
  const eq = (a: string, b: string): boolean => urisEqual(uri(a), uri(b)) && urisEqual(uri(b), uri(a));
  assert.equal(eq('sip:alice@atlanta.com', 'sips:alice@atlanta.com'), false, 'SIP and SIPS never equal');
  assert.equal(eq('sip:alice@atlanta.com', 'sip:Alice@atlanta.com'), false, 'user is case-sensitive');
  assert.equal(eq('sip:alice:secret@atlanta.com', 'sip:alice:SECRET@atlanta.com'), false, 'password case-sensitive');
  assert.equal(eq('sip:alice:secret@atlanta.com', 'sip:alice@atlanta.com'), false, 'password only in one');
  assert.equal(eq('sip:alice@atlanta.com', 'sip:atlanta.com'), false, 'user only in one');
  assert.ok(eq('sip:%61lice@atlanta.com', 'sip:alice@atlanta.com'), 'unreserved escaped = unescaped');
  assert.ok(eq('sip:alice@atlanta.com;lr', 'sip:alice@atlanta.com'), 'lr in one URI only is ignored');
  for (const p of ['user=phone', 'ttl=1', 'method=INVITE', 'maddr=239.255.255.1', 'transport=udp']) {
    assert.equal(eq(`sip:alice@atlanta.com;${p}`, 'sip:alice@atlanta.com'), false, `${p} in one URI only`);
  }
  assert.ok(eq('sip:a@h;user=phone;ttl=1;method=invite', 'sip:a@h;METHOD=INVITE;TTL=1;User=Phone'));
  assert.equal(eq('sip:a@h;foo=1', 'sip:a@h;foo=2'), false, 'a param in both must match');
  assert.equal(eq('sip:a@h;foo', 'sip:a@h;foo=1'), false, 'valueless vs valued');
  assert.ok(eq('sip:a@h?x=1&y=2', 'sip:a@h?Y=2&x=1'), 'header order and name case');
  assert.equal(eq('sip:a@h?x=1&x=1', 'sip:a@h?x=1'), false, 'every header must be in both');
  assert.equal(eq('sip:a@h?x=abc', 'sip:a@h?x=ABC'), false, 'header values compared exactly');
  assert.ok(eq('sip:a@[2001:DB8::10]', 'sip:a@[2001:db8:0:0:0:0:0:10]'), 'IPv6 by address value');
  assert.ok(eq('sip:a@[2001:db8:::192.0.2.1]', 'sip:a@[2001:db8::c000:201]'), 'RFC 5118 §4.10 three colons');
  assert.equal(eq('sip:a@[::1]', 'sip:a@[::2]'), false);
  assert.equal(eq('sip:a@h:5060', 'sip:a@h:5070'), false);
  assert.equal(eq('sip:a@h', 'tel:+1234'), false);
  assert.equal(eq('sip:a@h', 'mailto:a@h'), false);
  assert.ok(eq('HTTP://x/y', 'http://x/y'), 'opaque: scheme case-insensitive');
  assert.equal(eq('http://x/y', 'http://x/Y'), false, 'opaque: rest compared exactly');
});
