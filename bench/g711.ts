// G.711 encode+decode throughput as a multiple of real time (8000 samples/s), ours against the
// `alawmulaw` package in the same run, on 20 ms frames (160 samples) of a speech-like signal.
// Also: per-sample segment computation against the 64 Ki lookup table (why the encoder uses the
// table), and each implementation's differences from the ITU STL reference sweep.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import alawmulaw from 'alawmulaw';
import { linearToAlaw, linearToUlaw, pcmaCodec, pcmuCodec, type AudioCodec } from '../src/codecs/index.js';
import { fmtRate, sharedPath, throughput } from './support.js';

const FRAME = 160;
const SAMPLE_RATE = 8000;

/** One second of 20 ms frames: two tones plus a slow envelope, covering most segments. */
function frames(): Int16Array[] {
  const out: Int16Array[] = [];
  for (let f = 0; f < 50; f++) {
    const x = new Int16Array(FRAME);
    for (let i = 0; i < FRAME; i++) {
      const t = (f * FRAME + i) / SAMPLE_RATE;
      x[i] = Math.round(12000 * Math.sin(2 * Math.PI * 3 * t) * (Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 1830 * t)));
    }
    out.push(x);
  }
  return out;
}

const realTime = (framesPerSecond: number): number => (framesPerSecond * FRAME) / SAMPLE_RATE;

function ours(codec: AudioCodec, input: Int16Array[]): number {
  const enc = codec.createEncoder();
  const dec = codec.createDecoder();
  const payload = Buffer.alloc(FRAME);
  const pcm = new Int16Array(FRAME);
  return throughput(
    input,
    (x) => {
      enc.encode(x, payload);
      return dec.decode(payload, pcm);
    },
    500,
  );
}

function segmentEncode(f: (s: number) => number, input: Int16Array[]): number {
  const payload = Buffer.alloc(FRAME);
  return throughput(
    input,
    (x) => {
      for (let i = 0; i < x.length; i++) payload[i] = f(x[i]!);
      return payload[0];
    },
    500,
  );
}

function stlDiffs(codeFile: string, encode: (x: Int16Array) => Uint8Array): string {
  try {
    const read = (name: string): Int16Array => {
      const b = readFileSync(sharedPath('conformance', 'itu-stl', 'g711', name));
      return Int16Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));
    };
    const src = read('sweep.src');
    const want = read(codeFile);
    const got = encode(src);
    let d = 0;
    for (let i = 0; i < src.length; i++) if (got[i] !== want[i]) d++;
    return `${d}`;
  } catch {
    return 'n/a (no ../shared)';
  }
}

/**
 * Best of three alternating rounds, so a burst of load from elsewhere hits both sides alike.
 * Each rate is also scaled by wall time over this process's CPU time, giving the rate per
 * second of one core actually received, which is what matters on a loaded machine.
 */
function bestOf(fns: (() => number)[]): { wall: number[]; core: number[] } {
  const wall = fns.map(() => 0);
  const core = fns.map(() => 0);
  for (let round = 0; round < 3; round++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const rate = f();
      const c = process.cpuUsage(c0);
      const cpuMs = (c.user + c.system) / 1000;
      wall[i] = Math.max(wall[i]!, rate);
      core[i] = Math.max(core[i]!, cpuMs > 0 ? (rate * (performance.now() - t0)) / cpuMs : rate);
    });
  }
  return { wall, core };
}

export async function run(): Promise<void> {
  const input = frames();
  const line = (label: string, fps: number, perCore: number): void => {
    process.stdout.write(`${label.padEnd(40)} ${fmtRate(realTime(fps))} x real time (${fmtRate(realTime(perCore)).trim()} x per core-second)\n`);
  };
  process.stdout.write(`(load average ${loadavg()[0]!.toFixed(1)}; 20 ms frames, best of 3 alternating rounds)\n`);
  const codecs = bestOf([
    () => ours(pcmuCodec, input),
    () => throughput(input, (x) => alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(x)), 500),
    () => ours(pcmaCodec, input),
    () => throughput(input, (x) => alawmulaw.alaw.decode(alawmulaw.alaw.encode(x)), 500),
  ]);
  const [oursU, libU, oursA, libA] = codecs.wall as [number, number, number, number];
  ['PCMU encode+decode (handset)', 'PCMU encode+decode (alawmulaw)', 'PCMA encode+decode (handset)', 'PCMA encode+decode (alawmulaw)'].forEach((label, i) =>
    line(label, codecs.wall[i]!, codecs.core[i]!),
  );
  process.stdout.write(`ratio handset/alawmulaw: PCMU ${(oursU / libU).toFixed(1)}x, PCMA ${(oursA / libA).toFixed(1)}x (target >= 20,000x real time)\n`);
  const enc = pcmuCodec.createEncoder();
  const buf = Buffer.alloc(FRAME);
  const encoders = bestOf([
    () => segmentEncode(linearToUlaw, input),
    () => throughput(input, (x) => enc.encode(x, buf), 500),
    () => segmentEncode(linearToAlaw, input),
  ]);
  ['PCMU encode only, segment computation', 'PCMU encode only, 64 Ki lookup table', 'PCMA encode only, segment computation'].forEach((label, i) =>
    line(label, encoders.wall[i]!, encoders.core[i]!),
  );
  const toBytes = (f: (s: number) => number) => (x: Int16Array): Uint8Array => Uint8Array.from(x, f);
  process.stdout.write(
    `ITU STL sweep differences (65,536 inputs): handset µ-law ${stlDiffs('sweep-r.u', toBytes(linearToUlaw))}, A-law ${stlDiffs('sweep-r.a', toBytes(linearToAlaw))}; ` +
      `alawmulaw µ-law ${stlDiffs('sweep-r.u', (x) => alawmulaw.mulaw.encode(x))}, A-law ${stlDiffs('sweep-r.a', (x) => alawmulaw.alaw.encode(x))}\n`,
  );
}
