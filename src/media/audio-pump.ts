/**
 * Drives one call's audio from a clock: every ptime a frame from the source goes to the stream
 * (`sendAudio`), every 20 ms a frame from the stream (`readAudio`) goes to the sink. Both run on
 * FrameTickers (due at start + n × period on the injected clock: no drift from timer lateness).
 */
import type { Clock } from '../util/index.js';
import { resampleFrame, type AudioSink, type AudioSource, type AudioTap } from './audio-device.js';
import { FrameTicker } from './frame-ticker.js';

/** What the pump needs of a stream: MediaStream, EchoTest, or a test double. */
export interface PumpableStream {
  /** Samples `sendAudio` takes per call (one ptime). */
  readonly sendFrameSamples: number;
  /** Samples `readAudio` returns (20 ms). */
  readonly receiveFrameSamples: number;
  sendAudio(pcm: Int16Array): void;
  readAudio(): Int16Array;
}

export interface AudioPumpOptions {
  readonly clock: Clock;
  readonly stream: PumpableStream;
  readonly source: AudioSource;
  readonly sink: AudioSink;
  /** The stream's send period (its negotiated ptime). Default 20. */
  readonly ptimeMs?: number;
  /** Sees what is sent and received (call recording). */
  readonly tap?: AudioTap;
  /** Called once when the source says it has ended (a `--play` file played out). */
  readonly onSourceEnded?: () => void;
  /** After a stall, at most this much is caught up in a burst; the rest is skipped. Default 200. */
  readonly maxCatchUpMs?: number;
}

/** `readAudio` always returns 20 ms (MediaStream's jitter buffer frame). */
export const RECEIVE_FRAME_MS = 20;

export class AudioPump {
  private readonly o: AudioPumpOptions;
  private readonly ptimeMs: number;
  private readonly sendRate: number;
  private readonly receiveRate: number;
  private source: AudioSource;
  private sink: AudioSink;
  private sourceFrame: Int16Array;
  private readonly silence: Int16Array;
  private readonly sendTicker: FrameTicker;
  private readonly receiveTicker: FrameTicker;
  private sourceEnded = false;
  /** Send silence instead of the source (the source is still read, so a live one stays current). */
  muted = false;
  /** Frames sent and received. */
  readonly counters = { sent: 0, received: 0 };

  constructor(options: AudioPumpOptions) {
    this.o = options;
    this.ptimeMs = options.ptimeMs ?? 20;
    this.sendRate = (options.stream.sendFrameSamples * 1000) / this.ptimeMs;
    this.receiveRate = (options.stream.receiveFrameSamples * 1000) / RECEIVE_FRAME_MS;
    this.source = options.source;
    this.sink = options.sink;
    this.sourceFrame = this.frameFor(this.source);
    this.silence = new Int16Array(options.stream.sendFrameSamples);
    const catchUpMs = options.maxCatchUpMs ?? 200;
    this.sendTicker = new FrameTicker(options.clock, this.ptimeMs, () => this.sendOne(), Math.max(1, Math.floor(catchUpMs / this.ptimeMs)));
    this.receiveTicker = new FrameTicker(options.clock, RECEIVE_FRAME_MS, () => this.receiveOne(), Math.max(1, Math.floor(catchUpMs / RECEIVE_FRAME_MS)));
  }

  get running(): boolean {
    return this.sendTicker.running;
  }

  /** Frames skipped after stalls longer than maxCatchUpMs (send, receive). */
  get skipped(): { send: number; receive: number } {
    return { send: this.sendTicker.skipped, receive: this.receiveTicker.skipped };
  }

  /** Starts ticking now: the first frames go out at once. */
  start(): void {
    if (this.running) return;
    this.sendTicker.start();
    this.receiveTicker.start();
  }

  stop(): void {
    this.sendTicker.stop();
    this.receiveTicker.stop();
  }

  /** Switches the microphone mid-call (the old one is not closed: it belongs to the caller). */
  setSource(source: AudioSource): void {
    this.source = source;
    this.sourceFrame = this.frameFor(source);
    this.sourceEnded = false;
  }

  /** Switches the speaker mid-call. */
  setSink(sink: AudioSink): void {
    this.sink = sink;
  }

  private frameFor(source: AudioSource): Int16Array {
    return new Int16Array(Math.round((source.sampleRate * this.ptimeMs) / 1000));
  }

  private sendOne(): void {
    const live = this.source.read(this.sourceFrame);
    if (!live && !this.sourceEnded) {
      this.sourceEnded = true;
      this.o.onSourceEnded?.();
    }
    const frame = this.muted ? this.silence : resampleFrame(this.sourceFrame, this.source.sampleRate, this.sendRate);
    this.o.stream.sendAudio(frame);
    this.o.tap?.local(frame, this.sendRate);
    this.counters.sent++;
  }

  private receiveOne(): void {
    const frame = this.o.stream.readAudio();
    this.o.tap?.remote(frame, this.receiveRate);
    this.sink.write(resampleFrame(frame, this.receiveRate, this.sink.sampleRate));
    this.counters.received++;
  }
}
