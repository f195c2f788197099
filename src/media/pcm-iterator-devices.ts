/**
 * Call audio for programs (bots, IVRs): a sink that is an async iterator of frames
 * (`for await (const frame of call.audio)`) and a source fed from any AsyncIterable of PCM
 * (Int16Array frames of any length, or s16le Buffers such as a Node stream or a child's stdout).
 * Node streams come for free: `Readable.from(sink)` (object mode) or `Readable.from(sink.bytes())`.
 */
import type { AudioSink, AudioSource } from './audio-device.js';
import { SampleFifo } from './sample-fifo.js';

export type PcmChunk = Int16Array | Buffer;

export interface PcmIteratorSourceOptions {
  readonly sampleRate: number;
  /**
   * Audio queued ahead of the reader, ms (default 200). A non-live producer is paused when this
   * much is waiting; a live one (a capture pipe) is never paused and its oldest audio gives way.
   */
  readonly bufferMs?: number;
  /** The producer runs on its own clock (a sound card): never apply back-pressure to it. */
  readonly live?: boolean;
  /**
   * Called with the sample count after each chunk is queued: lets a capture device be the audio
   * clock (advance a ManualClock by n / rate and run the AudioPump on it), so sending follows
   * the sound card instead of a timer that drifts from it.
   */
  readonly onSamples?: (n: number) => void;
}

export class PcmIteratorSource implements AudioSource {
  readonly sampleRate: number;
  private readonly fifo: SampleFifo;
  private readonly live: boolean;
  private readonly onSamples: ((n: number) => void) | undefined;
  private readonly iterator: AsyncIterator<PcmChunk>;
  private done = false;
  private closed = false;
  private failure: string | null = null;
  private resume: (() => void) | null = null;
  /** Samples of a non-live producer's chunk that did not fit yet. */
  private backlog: Int16Array | null = null;
  /** An odd byte left over from a Buffer chunk, or -1. */
  private carry = -1;

  constructor(producer: AsyncIterable<PcmChunk>, options: PcmIteratorSourceOptions) {
    this.sampleRate = options.sampleRate;
    this.live = options.live ?? false;
    this.onSamples = options.onSamples;
    this.fifo = new SampleFifo(Math.max(1, Math.round(((options.bufferMs ?? 200) * options.sampleRate) / 1000)));
    this.iterator = producer[Symbol.asyncIterator]();
    void this.pull();
  }

  /** Why the producer stopped, if it threw. */
  get error(): string | null {
    return this.failure;
  }

  /** Samples waiting to be read. */
  get buffered(): number {
    return this.fifo.length;
  }

  /** Samples the reader lost because a live producer ran ahead. */
  get overflowed(): number {
    return this.fifo.overflowed;
  }

  private async pull(): Promise<void> {
    try {
      while (!this.closed) {
        if (this.backlog) {
          await new Promise<void>((r) => (this.resume = r));
          continue;
        }
        const next = await this.iterator.next();
        if (next.done || this.closed) break;
        const samples = this.toSamples(next.value);
        this.accept(samples);
        if (samples.length > 0) this.onSamples?.(samples.length);
      }
    } catch (e) {
      this.failure = (e as Error)?.message ?? String(e);
    }
    this.done = true;
  }

  private toSamples(chunk: PcmChunk): Int16Array {
    if (chunk instanceof Int16Array) return chunk;
    let i = 0;
    let first: number | null = null;
    if (this.carry >= 0 && chunk.length > 0) {
      first = (((chunk[0]! << 8) | this.carry) << 16) >> 16;
      this.carry = -1;
      i = 1;
    }
    const pairs = (chunk.length - i) >> 1;
    const out = new Int16Array(pairs + (first === null ? 0 : 1));
    let o = 0;
    if (first !== null) out[o++] = first;
    for (let k = 0; k < pairs; k++) out[o++] = chunk.readInt16LE(i + 2 * k);
    if (i + 2 * pairs < chunk.length) this.carry = chunk[chunk.length - 1]!;
    return out;
  }

  /** A live producer overwrites the oldest audio; any other waits with the rest as a backlog. */
  private accept(samples: Int16Array): void {
    if (this.live) return this.fifo.push(samples);
    const room = this.fifo.capacity - this.fifo.length;
    this.fifo.push(samples, 0, Math.min(room, samples.length));
    if (samples.length > room) this.backlog = samples.subarray(room);
  }

  /** Queued audio into `out` (silence where the producer is behind); false once it has ended and drained. */
  read(out: Int16Array): boolean {
    const got = this.fifo.shift(out);
    const backlog = this.backlog;
    if (backlog) {
      this.backlog = null;
      this.accept(backlog);
      if (!this.backlog) {
        const wake = this.resume;
        this.resume = null;
        wake?.();
      }
    }
    return got > 0 || !this.done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.resume?.();
    // Not awaited: an async generator stuck in its own await would hold close() forever.
    Promise.resolve()
      .then(() => this.iterator.return?.())
      .catch(() => undefined);
  }
}

export interface PcmIteratorSinkOptions {
  readonly sampleRate: number;
  /** Frames kept for a slow consumer before the oldest are dropped (default 50: 1 s of 20 ms). */
  readonly maxQueuedFrames?: number;
}

/** The received audio as an async iterator of frames (copies, one per `write`). One consumer. */
export class PcmIteratorSink implements AudioSink, AsyncIterable<Int16Array> {
  readonly sampleRate: number;
  private readonly maxQueued: number;
  private readonly queue: Int16Array[] = [];
  private waiting: ((r: IteratorResult<Int16Array>) => void) | null = null;
  private closed = false;
  /** Frames dropped because the consumer fell behind. */
  droppedFrames = 0;

  constructor(options: PcmIteratorSinkOptions) {
    this.sampleRate = options.sampleRate;
    this.maxQueued = options.maxQueuedFrames ?? 50;
  }

  write(frame: Int16Array): void {
    if (this.closed) return;
    const copy = frame.slice();
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w({ value: copy, done: false });
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.droppedFrames++;
    }
    this.queue.push(copy);
  }

  /** Ends the iteration once the queued frames have been taken. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.waiting;
    this.waiting = null;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Int16Array> {
    return {
      next: () => {
        const f = this.queue.shift();
        if (f) return Promise.resolve({ value: f, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        if (this.waiting) throw new Error('PcmIteratorSink has one consumer');
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** The same frames as s16le Buffers, for byte streams (`Readable.from(sink.bytes())`, a pipe). */
  async *bytes(): AsyncGenerator<Buffer> {
    for await (const f of this) {
      const b = Buffer.allocUnsafe(f.length * 2);
      for (let i = 0; i < f.length; i++) b.writeInt16LE(f[i]!, i * 2);
      yield b;
    }
  }
}
