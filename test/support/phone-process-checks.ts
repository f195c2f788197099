// Checks for tests that drive phone processes (phone-process.ts): tone presence polled until it
// holds (bounded), calls set up and torn down, event field pickers.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { PhoneProcess, PhoneProcessEvent, ToneReport } from './phone-process.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the tone levels until `ok` holds (at most `withinMs`); the last report either way. */
export async function toneUntil(p: PhoneProcess, freqs: number[], ok: (r: ToneReport) => boolean, o: { lastMs?: number; withinMs?: number; calls?: string[] } = {}): Promise<ToneReport> {
  const end = Date.now() + (o.withinMs ?? 3000);
  const q: { calls?: string[] } = o.calls ? { calls: o.calls } : {};
  for (;;) {
    const r = await p.tone(freqs, o.lastMs ?? 400, q);
    if (ok(r) || Date.now() > end) return r;
    await sleep(100);
  }
}

export const ratio = (r: ToneReport, hz: number): number => r.tones[String(hz)]!.ratio;

/** Asserts `p` hears every tone of `present` (ratio > min) and none of `absent` (ratio < 0.1). */
export async function expectHears(p: PhoneProcess, present: number[], absent: number[] = [], o: { calls?: string[]; min?: number; withinMs?: number } = {}): Promise<void> {
  const min = o.min ?? 0.8;
  const ok = (r: ToneReport) => present.every((hz) => ratio(r, hz) > min) && absent.every((hz) => ratio(r, hz) < 0.1);
  const q: { calls?: string[]; withinMs?: number } = {};
  if (o.calls) q.calls = o.calls;
  if (o.withinMs !== undefined) q.withinMs = o.withinMs;
  const r = await toneUntil(p, [...present, ...absent], ok, q);
  assert.ok(ok(r), `${p.name} should hear ${present.join('+') || 'nothing'}${absent.length ? ` and not ${absent.join('+')}` : ''}: ${JSON.stringify(r)}`);
}

export const onCall = (id: string | undefined) => (e: PhoneProcessEvent) => e.call === id;
export const dialId = async (p: PhoneProcess, target: string): Promise<string> => ((await p.command('dial', target)).data as { call: string }).call;

/** Places a call from → to (auto-answered) and resolves with the call id on each side once both are answered. */
export async function connect(from: PhoneProcess, to: PhoneProcess, target: string): Promise<{ out: string; in: string }> {
  const since = to.mark();
  const fromSince = from.mark();
  const out = await dialId(from, target);
  await from.waitFor('answered', { pred: onCall(out), since: fromSince });
  const inc = await to.waitFor('incoming', { since });
  await to.waitFor('answered', { pred: onCall(inc.call), since });
  return { out, in: inc.call! };
}

/** Hangs up every call of every phone and waits until each has ended. */
export async function hangupAll(phones: PhoneProcess[]): Promise<void> {
  for (const p of phones) {
    const list = (await p.command('calls')).data as Array<{ id: string }>;
    for (const c of list) {
      // (It may have ended meanwhile: the hangup then finds no call.)
      await p.command('hangup', c.id).catch(() => undefined);
      await p.waitFor('ended', { pred: onCall(c.id) }).catch(() => assert.fail(`${p.name}: ${c.id} did not end`));
    }
  }
  for (const p of phones) {
    let left = (await p.command('calls')).data as unknown[];
    for (let i = 0; i < 30 && left.length > 0; i++) {
      await sleep(50);
      left = (await p.command('calls')).data as unknown[];
    }
    assert.deepEqual(left, [], `${p.name} still has calls`);
  }
}

/** Only the named fields of an event. */
export const pickFields = (e: PhoneProcessEvent, ...names: string[]) => Object.fromEntries(names.map((n) => [n, e[n]]));
export const pickDtmf = (e: PhoneProcessEvent) => ({ digit: e['digit'], via: e['via'] });
export const pickHeld = (e: PhoneProcessEvent) => ({ local: e['local'], remote: e['remote'] });
/** Digits received since `since`, as `digit/via`. */
export const digits = (p: PhoneProcess, since: number): string[] => p.events.slice(since).filter((e) => e.event === 'dtmf').map((e) => `${String(e['digit'])}/${String(e['via'])}`);

/** A bare UDP SIP endpoint for requests no Handset would send (scanners, a caller that never ACKs). */
export interface RawSip {
  /** host:port we send from. */
  readonly me: string;
  /** First lines of every message that came back. */
  readonly answers: string[];
  /** Sends a request (`lines` without the blank line; Content-Length is added) to 127.0.0.1:`port`. */
  send(port: number, lines: string[], body?: string): void;
  close(): void;
}

export async function rawSip(host: string): Promise<RawSip> {
  const sock = createSocket('udp4');
  const answers: string[] = [];
  sock.on('message', (m) => answers.push(m.toString('latin1').split('\r\n')[0]!));
  await new Promise<void>((r) => sock.bind(0, host, r));
  return {
    me: `${host}:${sock.address().port}`,
    answers,
    send(port, lines, body = '') {
      sock.send([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'), port, '127.0.0.1');
    },
    close: () => sock.close(),
  };
}
