import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, parseUri, urisEqual } from '../../../../../src/sip/message/uri/index.js';
import { prng } from '../../../../support/prng.js';

const seeds = [
  'sips:bob:secret@biloxi.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
  'sip:[2001:db8:::192.0.2.1]:5070;maddr=[::1];ttl=15', 'sip:user;par=u%40example.net@example.com',
  'tel:863-1234;phone-context=+1-914-555;ext=7', 'soap.beep://192.0.2.103:3002', 'sip:%00@h;a=%25%34%31',
];
const alphabet = ':;@?&=%[]<>. \r\n\u0000\u00e9\u20ac+-#*0123456789abcfFsipt';

test('50,000 mutated URIs: no throw; whatever parses round-trips and equals itself', () => {
  const rand = prng(0x5eed);
  const pick = (s: string): string => s[Math.floor(rand() * s.length)]!;
  let parsedCount = 0;
  let slowest = 0;
  let slowestText = '';
  for (let n = 0; n < 50_000; n++) {
    let text = seeds[n % seeds.length]!;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (text.length + 1));
      const op = rand();
      if (op < 0.4) text = text.slice(0, at) + pick(alphabet) + text.slice(at);
      else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1);
      else if (op < 0.9) text = text.slice(0, at) + pick(alphabet) + text.slice(at + 1);
      else text = text.slice(0, at) + text.slice(at).repeat(2);
    }
    const t0 = performance.now();
    const r = parseUri(text);
    const took = performance.now() - t0;
    if (took > slowest) [slowest, slowestText] = [took, text];
    if (!r.ok) {
      assert.equal(typeof r.error, 'string');
      assert.ok(r.error.length > 0);
      continue;
    }
    parsedCount++;
    const again = parseUri(formatUri(r.value));
    assert.ok(again.ok, `${JSON.stringify(text)} -> ${formatUri(r.value)}`);
    assert.deepEqual(again.value, r.value, JSON.stringify(text));
    assert.ok(urisEqual(r.value, again.value), JSON.stringify(text));
  }
  // Both outcomes must be exercised, or the mutation is too weak or too strong to mean anything.
  assert.ok(parsedCount > 5_000 && parsedCount < 45_000, `parsed ${parsedCount}`);
  // A GC pause can land in any one parse: time the slowest input again, best of three.
  let again = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    parseUri(slowestText);
    again = Math.min(again, performance.now() - t0);
  }
  assert.ok(again < 5, `slowest input takes ${again.toFixed(2)} ms: ${JSON.stringify(slowestText)}`);
});

test('long inputs are scanned in linear time', () => {
  let params = '';
  for (let n = 0; n < 50_000; n++) params += `;p${n}`;
  const long = 'sip:' + 'a'.repeat(200_000) + '@' + 'b.'.repeat(100_000) + 'c' + params;
  const t0 = performance.now();
  const r = parseUri(long);
  assert.ok(r.ok);
  assert.equal(r.ok && 'params' in r.value ? r.value.params.length : 0, 50_000);
  assert.equal(parseUri(long + ';P7').ok, false, 'duplicate found among many');
  assert.equal(parseUri('sip:[' + ':'.repeat(100_000) + ']').ok, false);
  assert.equal(parseUri('sip:a@h' + '%'.repeat(100_000)).ok, false);
  assert.ok(performance.now() - t0 < 500);
});
