// Seeded mutation fuzzing (100,000 inputs, fixed seed) over the RFC 4475/5118 corpora and the
// benchmark corpus: the parser, every typed header reader and the validator never throw, and
// no input costs 5 ms or more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import { exercise, mutate, retime, Xorshift32 } from './fuzz-mutator.js';

function seeds(): Buffer[] {
  const out: Buffer[] = [];
  for (const parts of [['conformance', 'sip-torture'], ['conformance', 'sip-torture-ipv6'], ['bench', 'sip-corpus']]) {
    const dir = sharedDir(...parts);
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.dat') || f.endsWith('.sip')) out.push(readFileSync(`${dir}/${f}`));
  }
  return out;
}

test('100,000 mutated messages: no exception, each under 5 ms', () => {
  const corpus = seeds();
  assert.equal(corpus.length, 72);
  const rng = new Xorshift32(20260425);
  const counts: Record<string, number> = { ok: 0, incomplete: 0, malformed: 0 };
  let worst = 0;
  for (let i = 0; i < 100_000; i++) {
    const input = mutate(corpus[rng.below(corpus.length)]!, rng);
    const datagram = (i & 1) === 0;
    const t0 = performance.now();
    let kind: string;
    try {
      kind = exercise(input, datagram);
    } catch (e) {
      assert.fail(`input ${i} threw ${(e as Error).stack}\n${JSON.stringify(input.toString('latin1'))}`);
    }
    let dt = performance.now() - t0;
    if (dt >= 5) dt = retime(input, datagram);
    if (dt > worst) worst = dt;
    assert.ok(dt < 5, `input ${i} took ${dt.toFixed(2)} ms: ${JSON.stringify(input.toString('latin1'))}`);
    counts[kind]!++;
  }
  // The mutations reach every outcome (a fuzzer that only produces garbage tests little).
  assert.ok(counts.ok! > 10_000 && counts.malformed! > 10_000 && counts.incomplete! > 1_000, JSON.stringify(counts));
  assert.ok(worst < 5);
});

test('the mutator is deterministic for a seed', () => {
  const a = new Xorshift32(7);
  const b = new Xorshift32(7);
  const input = Buffer.from('INVITE sip:a@b SIP/2.0\r\n\r\n');
  for (let i = 0; i < 100; i++) assert.deepEqual(mutate(input, a), mutate(input, b));
});
