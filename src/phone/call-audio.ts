// What a call plays and where its received audio goes: 20 ms frames of 16-bit mono PCM at the
// codec's rate. Sources are pulled once per tick by the pump; sinks receive every frame.
import {
  continuous, parseWav, PcmIteratorSink, sound, ToneSource, WavFileSource, type AudioSource, type ToneSpec,
} from '../media/index.js';

/** Fills one frame; returns false once it has nothing more (the pump then sends silence). */
export interface CallAudioSource {
  read(out: Int16Array, sampleRate: number): boolean;
}

export interface CallAudioSink {
  write(frame: Int16Array, sampleRate: number): void;
}

export const silence: CallAudioSource = { read: (out) => (out.fill(0), true) };

/**
 * A media `AudioSource` opened at the call's rate on first read and opened again if the rate
 * changes (a renegotiated codec): the phone's sources are rate-agnostic, media's are not.
 */
function atCallRate(open: (sampleRate: number) => AudioSource): CallAudioSource {
  let source: AudioSource | undefined;
  return {
    read(out, sampleRate) {
      if (source === undefined || source.sampleRate !== sampleRate) source = open(sampleRate);
      return source.read(out);
    },
  };
}

/** A tone (continuous sine by default, or any ToneSpec: ringback, call waiting ...). */
export function toneSource(spec: ToneSpec | number, levelDbov = -16): CallAudioSource {
  const s = typeof spec === 'number' ? continuous(sound(spec)) : spec;
  return atCallRate((sampleRate) => new ToneSource(s, { sampleRate, levelDbov }));
}

/** WAV file contents, mixed to mono and resampled to the call's rate; `loop` plays it again. */
export function wavSource(file: Buffer, loop = false): CallAudioSource | string {
  const r = parseWav(file);
  if (!r.ok) return `not a WAV file I can read: ${r.error}`;
  return atCallRate((sampleRate) => new WavFileSource(r.value, { sampleRate, loop }));
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

/**
 * Received audio as an async iterator of frames (media's PcmIteratorSink); frames beyond
 * `maxQueued` are dropped, oldest first.
 */
export class PcmTap extends PcmIteratorSink implements CallAudioSink {
  constructor(maxQueued = 250) {
    // The rate is the call's and is not needed to queue frames; 8000 only fills the field.
    super({ sampleRate: 8000, maxQueuedFrames: maxQueued });
  }

  /** Frames dropped because the consumer fell behind. */
  get dropped(): number {
    return this.droppedFrames;
  }
}
