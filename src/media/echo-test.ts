/**
 * The built-in echo test (*43): what you say comes back after a fixed delay (about a second),
 * silence before. It is a stream like a call's MediaStream, so the same AudioPump (or the web
 * handset's frame-for-frame loop) drives it: `sendAudio` takes the microphone, `readAudio`
 * returns the audio sent `delayMs` earlier. Clocked by the frames it is given, so it never
 * drifts from the device that feeds it.
 */
import type { PumpableStream } from './audio-pump.js';
import { SampleFifo } from './sample-fifo.js';

export interface EchoTestOptions {
  readonly sampleRate: number;
  /** Default 1000. 0 = a pure loop (latency measurements). */
  readonly delayMs?: number;
  /** Frame length of `sendAudio` and `readAudio`, ms (default 20). */
  readonly frameMs?: number;
}

export class EchoTest implements PumpableStream {
  readonly sampleRate: number;
  readonly delaySamples: number;
  readonly sendFrameSamples: number;
  readonly receiveFrameSamples: number;
  private readonly fifo: SampleFifo;
  private readonly out: Int16Array;

  constructor(options: EchoTestOptions) {
    const delayMs = options.delayMs ?? 1000;
    if (!(delayMs >= 0) || !(options.sampleRate > 0)) throw new RangeError(`echo test ${delayMs} ms at ${options.sampleRate} Hz`);
    this.sampleRate = options.sampleRate;
    this.delaySamples = Math.round((delayMs * options.sampleRate) / 1000);
    this.sendFrameSamples = this.receiveFrameSamples = Math.round(((options.frameMs ?? 20) * options.sampleRate) / 1000);
    // Room for the delay plus a second of feeder/reader skew before the oldest gives way.
    this.fifo = new SampleFifo(this.delaySamples + options.sampleRate + this.sendFrameSamples);
    this.out = new Int16Array(this.receiveFrameSamples);
    this.reset();
  }

  /** Starts over: the next `delayMs` of output are silence. */
  reset(): void {
    this.fifo.clear();
    this.fifo.pushSilence(this.delaySamples);
  }

  /** Takes microphone audio (any length). */
  sendAudio(pcm: Int16Array): void {
    this.fifo.push(pcm);
  }

  /** The next frame of delayed audio; silence where nothing was sent. Reused between calls. */
  readAudio(): Int16Array {
    this.fifo.shift(this.out);
    return this.out;
  }

  /** One frame in, the frame from `delayMs` ago out (into `out`, default a new array). */
  process(frame: Int16Array, out = new Int16Array(frame.length)): Int16Array {
    this.fifo.push(frame);
    this.fifo.shift(out);
    return out;
  }
}
