/**
 * Call recording: one stereo WAV, our side (what we send) on the left and the peer (what we
 * hear) on the right, started and stopped on demand during a call. It is an `AudioTap`: the
 * pump or the mixer feeds both sides as frames pass, at whatever rates they run; the recorder
 * resamples to its own rate and lines the two sides up sample for sample.
 */
import { ok, err, type Result } from '../util/index.js';
import { resampleFrame, type AudioTap } from './audio-device.js';
import { SampleFifo } from './sample-fifo.js';
import { WavFileRecorder } from './wav-file-recorder.js';

export interface CallRecorderOptions {
  /** Rate of the file (default 8000, the narrowband call rate). */
  readonly sampleRate?: number;
  /**
   * How far one side may run ahead before the other is taken as silent (a side that stops
   * coming: hold, a stalled stream). Default 200 ms.
   */
  readonly maxSkewMs?: number;
}

export class CallRecorder implements AudioTap {
  readonly sampleRate: number;
  private readonly maxSkew: number;
  private readonly left: SampleFifo;
  private readonly right: SampleFifo;
  private file: WavFileRecorder | null = null;
  /** The path being opened while start() awaits the file. */
  private opening: string | null = null;
  private block = new Int16Array(0);
  private leftScratch = new Int16Array(0);
  private rightScratch = new Int16Array(0);

  constructor(options: CallRecorderOptions = {}) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.maxSkew = Math.round(((options.maxSkewMs ?? 200) * this.sampleRate) / 1000);
    this.left = new SampleFifo(this.maxSkew + this.sampleRate);
    this.right = new SampleFifo(this.maxSkew + this.sampleRate);
  }

  get recording(): boolean {
    return this.file !== null;
  }

  /** The open file's path, or null. */
  get path(): string | null {
    return this.file?.path ?? null;
  }

  /** Starts a new recording into `path` (truncating it). An error if one is already running. */
  async start(path: string): Promise<Result<void>> {
    if (this.file || this.opening) return err(`already recording to ${this.file?.path ?? this.opening}`);
    this.opening = path;
    const file = await WavFileRecorder.open(path, { sampleRate: this.sampleRate, channels: 2 });
    this.opening = null;
    if (!file.ok) return file;
    this.left.clear();
    this.right.clear();
    this.file = file.value;
    return ok(undefined);
  }

  /** Writes what is queued (the lagging side padded with silence) and finishes the file. */
  async stop(): Promise<void> {
    const file = this.file;
    if (!file) return;
    const n = Math.max(this.left.length, this.right.length);
    this.left.pushSilence(n - this.left.length);
    this.right.pushSilence(n - this.right.length);
    this.emit();
    this.file = null;
    await file.close();
  }

  /** The first write error of the current file, if any. */
  get error(): string | null {
    return this.file?.error ?? null;
  }

  local(frame: Int16Array, sampleRate: number): void {
    if (!this.file) return;
    this.left.push(resampleFrame(frame, sampleRate, this.sampleRate));
    this.balance(this.left, this.right);
    this.emit();
  }

  remote(frame: Int16Array, sampleRate: number): void {
    if (!this.file) return;
    this.right.push(resampleFrame(frame, sampleRate, this.sampleRate));
    this.balance(this.right, this.left);
    this.emit();
  }

  private balance(ahead: SampleFifo, behind: SampleFifo): void {
    const lag = ahead.length - behind.length;
    if (lag > this.maxSkew) behind.pushSilence(lag - this.maxSkew);
  }

  /** Interleaves what both sides have. */
  private emit(): void {
    const n = Math.min(this.left.length, this.right.length);
    if (n === 0 || !this.file) return;
    if (this.block.length < n * 2) {
      this.block = new Int16Array(n * 2);
      this.leftScratch = new Int16Array(n);
      this.rightScratch = new Int16Array(n);
    }
    const l = this.leftScratch;
    const r = this.rightScratch;
    this.left.shift(l, 0, n);
    this.right.shift(r, 0, n);
    const out = this.block.subarray(0, n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i] = l[i]!;
      out[2 * i + 1] = r[i]!;
    }
    this.file.write(out);
  }
}
