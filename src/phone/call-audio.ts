// What a call plays and where its received audio goes: 20 ms frames of 16-bit mono PCM at the
// codec's rate. Sources are pulled once per tick by the pump; sinks receive every frame.
import { ToneGenerator, continuous, sound, parseWav, encodeWav, type ToneSpec } from '../media/index.js';
import { downmixToMono, resampleLinear } from '../codecs/index.js';

/** Fills one frame; returns false once it has nothing more (the pump then sends silence). */
export interface CallAudioSource {
  read(out: Int16Array, sampleRate: number): boolean;
}

export interface CallAudioSink {
  write(frame: Int16Array, sampleRate: number): void;
}

export const silence: CallAudioSource = { read: (out) => (out.fill(0), true) };

/** A tone (continuous sine by default, or any ToneSpec: ringback, call waiting ...). */
export function toneSource(spec: ToneSpec | number, levelDbov = -16): CallAudioSource {
  const s = typeof spec === 'number' ? continuous(sound(spec)) : spec;
  let gen: ToneGenerator | undefined;
  let rate = 0;
  return {
    read(out, sampleRate) {
      if (gen === undefined || rate !== sampleRate) {
        gen = new ToneGenerator(s, { sampleRate, levelDbov });
        rate = sampleRate;
      }
      out.fill(0);
      gen.generate(out);
      return !gen.finished;
    },
  };
}

/** WAV file contents, mixed to mono and resampled to the call's rate; `loop` plays it again. */
export function wavSource(file: Buffer, loop = false): CallAudioSource | string {
  const r = parseWav(file);
  if (!r.ok) return `not a WAV file I can read: ${r.error}`;
  const mono = downmixToMono(r.value.samples, r.value.channels);
  let rate = 0;
  let pcm: Int16Array = new Int16Array(0);
  let at = 0;
  return {
    read(out, sampleRate) {
      if (rate !== sampleRate) {
        pcm = r.value.sampleRate === sampleRate ? mono : resampleLinear(mono, r.value.sampleRate, sampleRate);
        rate = sampleRate;
      }
      out.fill(0);
      for (let i = 0; i < out.length; i++) {
        if (at >= pcm.length) {
          if (!loop || pcm.length === 0) return i > 0;
          at = 0;
        }
        out[i] = pcm[at++]!;
      }
      return true;
    },
  };
}

/**
 * PCM frames pushed from outside (a bot, an IVR, a Node stream): queued and played in order,
 * silence when the queue runs dry. `push` returns false past `maxQueuedMs` (back-pressure).
 */
export class PcmFeed implements CallAudioSource {
  private readonly queue: Int16Array[] = [];
  private offset = 0;
  private queued = 0;
  ended = false;
  constructor(readonly maxQueuedSamples = 8000 * 5) {}

  push(pcm: Int16Array): boolean {
    this.queue.push(pcm);
    this.queued += pcm.length;
    return this.queued < this.maxQueuedSamples;
  }

  end(): void {
    this.ended = true;
  }

  read(out: Int16Array): boolean {
    out.fill(0);
    let i = 0;
    while (i < out.length && this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = Math.min(out.length - i, head.length - this.offset);
      out.set(head.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      this.queued -= n;
      if (this.offset >= head.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    return !(this.ended && this.queue.length === 0);
  }

  /** Feeds from an async iterable of frames (any length) until it ends. */
  async pipeFrom(frames: AsyncIterable<Int16Array>): Promise<void> {
    for await (const f of frames) this.push(f);
    this.end();
  }
}

/** Received audio as an async iterator of frames; frames beyond `maxQueued` are dropped (oldest first). */
export class PcmTap implements CallAudioSink, AsyncIterable<Int16Array> {
  private readonly queue: Int16Array[] = [];
  private waiting: ((r: IteratorResult<Int16Array>) => void) | undefined;
  private done = false;
  dropped = 0;
  constructor(readonly maxQueued = 250) {}

  write(frame: Int16Array): void {
    if (this.done) return;
    const copy = frame.slice();
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: copy, done: false });
      return;
    }
    this.queue.push(copy);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
  }

  close(): void {
    this.done = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Int16Array> {
    return {
      next: () => {
        const f = this.queue.shift();
        if (f) return Promise.resolve({ value: f, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/**
 * Call recording (issue 5): local audio on the left channel, remote on the right, one frame
 * pair per tick so both stay aligned. `wav()` gives the file.
 */
export class TwoChannelRecorder {
  private readonly chunks: Int16Array[] = [];
  private frames = 0;
  sampleRate = 8000;

  write(local: Int16Array, remote: Int16Array, sampleRate: number): void {
    this.sampleRate = sampleRate;
    const n = Math.min(local.length, remote.length);
    const both = new Int16Array(n * 2);
    for (let i = 0; i < n; i++) {
      both[2 * i] = local[i]!;
      both[2 * i + 1] = remote[i]!;
    }
    this.chunks.push(both);
    this.frames += n;
  }

  get durationMs(): number {
    return (this.frames * 1000) / this.sampleRate;
  }

  wav(): Buffer {
    const samples = new Int16Array(this.frames * 2);
    let at = 0;
    for (const c of this.chunks) {
      samples.set(c, at);
      at += c.length;
    }
    return encodeWav({ sampleRate: this.sampleRate, channels: 2, samples });
  }
}
