import { JitterBuffer, type JitterBufferOptions } from '../../../src/media/jitter-buffer.js';
import { prng } from '../../support/prng.js';
import { ManualClock } from '../../../src/util/index.js';

export { prng };

/** 16-bit little-endian PCM as the payload format, so the buffer is tested without a codec. */
export const decodeL16 = (payload: Buffer): Int16Array => {
  const out = new Int16Array(payload.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = payload.readInt16LE(2 * i);
  return out;
};

/** A voiced-like test signal: 200 Hz fundamental with harmonics. */
export function voiced(n: number, start: number, rate = 8000): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = (start + i) / rate;
    out[i] = Math.round(6000 * Math.sin(2 * Math.PI * 200 * t) + 3000 * Math.sin(2 * Math.PI * 400 * t) + 1500 * Math.sin(2 * Math.PI * 600 * t));
  }
  return out;
}

export interface Scenario {
  durationMs: number;
  /** One-way network delay for packet i (ms). */
  delay: (i: number, rnd: () => number) => number;
  lossRate?: number;
  /** Sender clock error in parts per million (positive: sender runs fast). */
  skewPpm?: number;
  seed?: number;
  /** Receiver's first pull, ms after the sender's first packet left. */
  pullPhaseMs?: number;
  options?: Partial<JitterBufferOptions>;
}

export interface ScenarioResult {
  sent: number;
  lostInNetwork: number;
  late: number;
  concealed: number;
  frames: number;
  /** Mean and max of (playout time - arrival time) over frames played from packets (ms). */
  meanAddedDelayMs: number;
  maxAddedDelayMs: number;
  /** (time, buffered ms, target ms) samples, one per second. */
  levels: { t: number; buffered: number; target: number; excess: number }[];
  jb: JitterBuffer;
}

/** Runs sender → network → jitter buffer → 20 ms playout clock, all on simulated time. */
export function runScenario(s: Scenario): ScenarioResult {
  const rnd = prng(s.seed ?? 1);
  const rate = 8000;
  const frame = 160;
  const jb = new JitterBuffer({ sampleRate: rate, decode: decodeL16, ...s.options });
  const skew = 1 + (s.skewPpm ?? 0) / 1e6;
  const arrivals: { at: number; seq: number; ts: number; payload: Buffer }[] = [];
  const arrivalOf = new Map<number, number>();
  let lostInNetwork = 0;
  let sent = 0;
  const ts0 = 4294967296 - 80000; // wraps 10 s in
  for (let i = 0; (i * 20) / skew < s.durationMs; i++) {
    sent++;
    if (rnd() < (s.lossRate ?? 0)) {
      lostInNetwork++;
      continue;
    }
    const pcm = voiced(frame, i * frame);
    const payload = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    const at = (i * 20) / skew + s.delay(i, rnd);
    const ts = (ts0 + i * frame) >>> 0;
    arrivals.push({ at, seq: i & 0xffff, ts, payload });
    arrivalOf.set(ts, at);
  }
  arrivals.sort((a, b) => a.at - b.at);
  let next = 0;
  let sum = 0;
  let count = 0;
  let max = 0;
  const levels: ScenarioResult['levels'] = [];
  let frames = 0;
  let concealed = 0;
  for (let t = s.pullPhaseMs ?? 7; t < s.durationMs; t += 20) {
    while (next < arrivals.length && arrivals[next]!.at <= t) {
      const a = arrivals[next++]!;
      jb.push({ sequenceNumber: a.seq, timestamp: a.ts, payload: a.payload }, a.at);
    }
    const f = jb.pull(t);
    frames++;
    if (f.kind === 'concealed') concealed++;
    if (f.timestamp !== null) {
      const pktTs = (ts0 + Math.floor((((f.timestamp - ts0) >>> 0) / frame)) * frame) >>> 0;
      const at = arrivalOf.get(pktTs);
      if (at !== undefined) {
        const added = t - at;
        sum += added;
        count++;
        if (added > max) max = added;
      }
    }
    if (frames % 50 === 0) levels.push({ t, buffered: jb.stats.bufferedMs, target: jb.stats.targetDelayMs, excess: jb.stats.excessDelayMs });
  }
  return { sent, lostInNetwork, late: jb.stats.late, concealed, frames, meanAddedDelayMs: sum / count, maxAddedDelayMs: max, levels, jb };
}

export interface ClockedRun {
  durationMs: number;
  /** When packet k reaches the buffer (ms on the clock). */
  arrival: (k: number) => number;
  /** When the caller pulls frame n (ms on the clock); must increase with n. */
  pull: (n: number) => number;
  rate?: number;
  /** Voiced test signal, or digital silence with a little noise (what a muted microphone sends). */
  signal?: 'voiced' | 'silent';
  /** Called after every pull. */
  onPull?: (nowMs: number, jb: JitterBuffer) => void;
}

/**
 * Sender, network and audio callback as timers on a ManualClock (a push and a pull due at the same
 * moment: the push first). Returns, per packet played from the buffer, how long after its arrival its
 * first sample went out (pull time plus its offset in the frame).
 */
export function runOnClock(r: ClockedRun): { jb: JitterBuffer; held: { at: number; ms: number }[] } {
  const rate = r.rate ?? 8000;
  const fs = rate / 50;
  const clock = new ManualClock(0);
  const jb = new JitterBuffer({ sampleRate: rate, decode: decodeL16 });
  const rnd = prng(11);
  const arrivals: number[] = [];
  for (let k = 0; k * 20 < r.durationMs; k++) {
    const at = r.arrival(k);
    arrivals.push(at);
    const pcm = r.signal === 'silent' ? Int16Array.from({ length: fs }, () => Math.round((rnd() - 0.5) * 8)) : voiced(fs, k * fs, rate);
    const packet = { sequenceNumber: k, timestamp: 100_000 + k * fs, payload: Buffer.from(pcm.buffer) };
    clock.setTimer(at, () => jb.push(packet, clock.now()));
  }
  const held: { at: number; ms: number }[] = [];
  const pullAt = (n: number): void => {
    clock.setTimer(r.pull(n) - clock.now(), () => {
      const now = clock.now();
      const f = jb.pull(now);
      if (f.timestamp !== null) {
        // The packet whose first sample falls in this frame, if one does.
        const k = Math.ceil((f.timestamp - 100_000) / fs);
        const offset = 100_000 + k * fs - f.timestamp;
        if (k >= 0 && offset < fs) held.push({ at: now, ms: now + (offset / rate) * 1000 - arrivals[k]! });
      }
      r.onPull?.(now, jb);
      if (r.pull(n + 1) < r.durationMs) pullAt(n + 1);
    });
  };
  pullAt(0);
  clock.advance(r.durationMs);
  return { jb, held };
}
