// Test doubles for the audio blocks: a stream that records what it is sent and says a tone,
// a clock whose timers fire late, and sinks that keep everything.
import { ManualClock, type Clock, type TimerHandle } from '../../../src/util/index.js';
import { continuous, sound, ToneGenerator, type AudioSink, type PumpableStream } from '../../../src/media/index.js';

/** `n` samples of a -16 dBov sine, as ToneGenerator makes them (ramped start). */
export function toneSamples(freq: number, n: number, sampleRate = 8000): Int16Array {
  const out = new Int16Array(n);
  new ToneGenerator(continuous(sound(freq)), { sampleRate }).generate(out);
  return out;
}

export function concat(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** A stream whose peer says `freq` Hz (0 = silence); keeps every frame it is sent with its time. */
export class ToneStream implements PumpableStream {
  readonly sent: { at: number; pcm: Int16Array }[] = [];
  readonly sendFrameSamples: number;
  readonly receiveFrameSamples: number;
  private readonly gen: ToneGenerator | null;
  reads = 0;

  constructor(
    private readonly clock: Clock,
    freq: number,
    readonly sampleRate = 8000,
    ptimeMs = 20,
  ) {
    this.sendFrameSamples = (sampleRate * ptimeMs) / 1000;
    this.receiveFrameSamples = (sampleRate * 20) / 1000;
    this.gen = freq > 0 ? new ToneGenerator(continuous(sound(freq)), { sampleRate }) : null;
  }

  sendAudio(pcm: Int16Array): void {
    if (pcm.length !== this.sendFrameSamples) throw new Error(`sent ${pcm.length} samples, expected ${this.sendFrameSamples}`);
    this.sent.push({ at: this.clock.now(), pcm: pcm.slice() });
  }

  readAudio(): Int16Array {
    this.reads++;
    const out = new Int16Array(this.receiveFrameSamples);
    this.gen?.generate(out);
    return out;
  }

  sentSamples(fromFrame = 0): Int16Array {
    return concat(this.sent.slice(fromFrame).map((s) => s.pcm));
  }
}

/** Keeps copies of every frame written. */
export class CollectingSink implements AudioSink {
  readonly frames: Int16Array[] = [];
  constructor(readonly sampleRate = 8000) {}
  write(frame: Int16Array): void {
    this.frames.push(frame.slice());
  }
  async close(): Promise<void> {}
  samples(fromFrame = 0): Int16Array {
    return concat(this.frames.slice(fromFrame));
  }
}

/** A ManualClock whose timers fire `lateMs(n)` after they are due (n = timer count so far). */
export class LateClock implements Clock {
  readonly manual = new ManualClock();
  private n = 0;
  constructor(private readonly lateMs: (n: number) => number) {}
  now(): number {
    return this.manual.now();
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    return this.manual.setTimer(delayMs + this.lateMs(this.n++), fire);
  }
  clearTimer(handle: TimerHandle): void {
    this.manual.clearTimer(handle);
  }
}
