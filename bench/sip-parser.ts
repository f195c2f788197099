// SIP parser throughput on ../shared/bench/sip-corpus (one core): Handset (transaction-layer
// fields only; every header read), JsSIP, SIP.js, the `sip` package and Buffer→string decoding
// as a floor; serialize throughput; and a 1,000,000-input mutation fuzz run.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { HeaderId, parseMessage, serializeMessage, createResponse, type SipMessage, type HeaderTypes } from '../src/sip/message/index.js';
import { exercise, mutate, retime, Xorshift32 } from '../test/unit/sip/message/fuzz-mutator.js';
import { compareThroughput, fmtRate, repoRoot, sharedPath, benchCase } from './support.js';
import type { Parser as SipJsParserType } from 'sip.js/lib/core/messages/parser.js';
import { pathToFileURL } from 'node:url';

// Resolve the reference parsers from the checkout (the compiled bench may run from elsewhere).
const require = createRequire(join(repoRoot(), 'package.json'));
const DATAGRAM = { datagram: true };

function readCorpus(dir: string): Buffer[] {
  return readdirSync(dir).filter((f) => f.endsWith('.sip') || f.endsWith('.dat')).sort().map((f) => readFileSync(join(dir, f)));
}

/** What the transaction layer reads (RFC 3261 §17.1.3, §17.2.3). */
function transactionFields(b: Buffer): unknown {
  const r = parseMessage(b, DATAGRAM);
  if (r.kind !== 'ok') return undefined;
  const m = r.message;
  return m.branch !== undefined && m.viaHost !== undefined && m.viaPort !== 0 && m.callId.length > 0 && m.cseq >= 0
    && m.method.length > 0 && m.status >= 0 && m.fromTag !== '' && m.toTag !== '' ? m : undefined;
}

/** Every header read: typed value for known headers, raw text for extension headers. */
function everyHeader(b: Buffer): unknown {
  const r = parseMessage(b, DATAGRAM);
  if (r.kind !== 'ok') return undefined;
  const m: SipMessage = r.message;
  let n = 0;
  for (let i = 0; i < m.headerCount; i++) {
    const id = m.idAt(i);
    const v = id === HeaderId.Other ? m.valueAt(i) : m.get(id as keyof HeaderTypes) ?? m.valueAt(i);
    if (v !== undefined) n++;
  }
  return n + m.body.length;
}

export async function run(): Promise<void> {
  const corpus = readCorpus(sharedPath('bench', 'sip-corpus'));
  const strings = corpus.map((b) => b.toString('utf8'));
  const meanSize = Math.round(corpus.reduce((a, b) => a + b.length, 0) / corpus.length);
  process.stdout.write(`corpus: ${corpus.length} messages, mean ${meanSize} bytes (../shared/bench/sip-corpus)\n`);

  const jssip = require('jssip/lib/Parser.js') as { parseMessage(s: string, ua: unknown): unknown };
  const sipPkg = require('sip') as { parse(s: string): unknown };
  const sipJs = (await import(pathToFileURL(require.resolve('sip.js/lib/core/messages/parser.js')).href)) as { Parser: typeof SipJsParserType };
  const SipJsParser = sipJs.Parser;
  const quiet = { error() {}, warn() {}, log() {}, debug() {} } as unknown as Parameters<typeof SipJsParser.parseMessage>[1];

  for (const s of strings) {
    if (!jssip.parseMessage(s, undefined) || !sipPkg.parse(s) || !SipJsParser.parseMessage(s, quiet)) throw new Error('a reference parser failed on the corpus');
  }
  const rates = compareThroughput([
    benchCase('Buffer→string decoding (floor)', corpus, (b: Buffer) => b.toString('utf8')),
    benchCase('Handset: transaction fields', corpus, transactionFields),
    benchCase('Handset: every header', corpus, everyHeader),
    benchCase('sip 0.0.6 (sip.parse)', strings, (s: string) => sipPkg.parse(s)),
    benchCase('JsSIP 3.13.8 (Parser.parseMessage)', strings, (s: string) => jssip.parseMessage(s, undefined)),
    benchCase('SIP.js 0.21.2 (Parser.parseMessage)', strings, (s: string) => SipJsParser.parseMessage(s, quiet)),
  ], 12000);
  process.stdout.write('\nparse throughput (msgs per CPU-second, one core)\n');
  for (const [name, r] of rates) process.stdout.write(`  ${name.padEnd(38)} ${fmtRate(r)}\n`);
  const rate = (prefix: string): number => [...rates].find(([k]) => k.startsWith(prefix))![1];
  const txn = rate('Handset: transaction');
  const all = rate('Handset: every');
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
  process.stdout.write('\nHandset ratios            vs sip   vs JsSIP   vs SIP.js   vs decoding\n');
  for (const [name, v, targets] of [['transaction fields', txn, '(targets: >=2x sip, >=25x JsSIP)'], ['every header', all, '(targets: >=1x sip, >=10x JsSIP)']] as const) {
    process.stdout.write(`  ${name.padEnd(22)} ${ratio(v, rate('sip')).padStart(7)} ${ratio(v, rate('JsSIP')).padStart(9)} ${ratio(v, rate('SIP.js')).padStart(11)} ${ratio(v, rate('Buffer')).padStart(12)}   ${targets}\n`);
  }

  const parsed = corpus.map((b) => (parseMessage(b, DATAGRAM) as { message: SipMessage }).message);
  const requests = parsed.filter((m) => m.isRequest);
  process.stdout.write('\nserialize throughput (msgs per CPU-second)\n');
  const ser = compareThroughput([
    benchCase('serializeMessage (parsed, untouched)', parsed, serializeMessage),
    benchCase('createResponse(request, 200) + serialize', requests, (m: SipMessage) => serializeMessage(createResponse(m, 200, 'OK', { toTag: 'x1' }))),
  ], 2000);
  for (const [name, r] of ser) process.stdout.write(`  ${name.padEnd(42)} ${fmtRate(r)}\n`);

}

/** 1,000,000 mutated inputs over the torture corpora and the bench corpus: no exception, each < 5 ms. */
export function fuzz(): void {
  const benchCorpus = readCorpus(sharedPath('bench', 'sip-corpus'));
  const seeds = [
    ...readCorpus(sharedPath('conformance', 'sip-torture')),
    ...readCorpus(sharedPath('conformance', 'sip-torture-ipv6')),
    ...benchCorpus,
  ];
  const rng = new Xorshift32(0x5eed2);
  const total = 1_000_000;
  let worstRaw = 0;
  let worst = 0;
  let retimed = 0;
  let thrown = 0;
  const counts = { ok: 0, incomplete: 0, malformed: 0 };
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const input = mutate(seeds[rng.below(seeds.length)]!, rng);
    const datagram = (i & 1) === 0;
    const t0 = performance.now();
    try {
      counts[exercise(input, datagram)]++;
    } catch (e) {
      thrown++;
      if (thrown === 1) process.stdout.write(`exception on input ${i}: ${(e as Error).stack}\n`);
    }
    let dt = performance.now() - t0;
    if (dt > worstRaw) worstRaw = dt;
    // Slow once: time it again, so a pause of the machine or the collector is not taken for a
    // slow input.
    if (dt >= 1) {
      retimed++;
      dt = retime(input, datagram);
    }
    if (dt > worst) worst = dt;
  }
  const secs = (performance.now() - start) / 1000;
  process.stdout.write(`\nfuzz: ${total.toLocaleString('en-US')} mutated inputs (parse, read every header, validate, serialize) in ${secs.toFixed(1)} s; ` +
    `exceptions ${thrown}; ok ${counts.ok}, incomplete ${counts.incomplete}, malformed ${counts.malformed}\n` +
    `  slowest input ${worst.toFixed(3)} ms (limit 5 ms; ${retimed} inputs over 1 ms re-timed, fastest of up to 50 runs); slowest single measurement ${worstRaw.toFixed(2)} ms\n`);
  if (worst >= 5 || thrown > 0) process.exitCode = 1;
}
