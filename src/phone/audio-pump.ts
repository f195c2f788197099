// Drives one call's audio on the injected clock: every 20 ms a frame from the source goes to
// MediaStream.sendAudio (buffered up to the negotiated ptime) and a frame from readAudio goes to
// the sinks, the recorder and the in-band DTMF detector. In a conference media's ConferenceMixer
// clocks the stream instead and hands each received frame to `hear`.
import type { Clock, TimerHandle } from '../util/index.js';
import { DtmfDetector, type MediaStream } from '../media/index.js';
import { silence, type CallAudioSink, type CallAudioSource, type TwoChannelRecorder } from './call-audio.js';

export const TICK_MS = 20;

export interface PumpHost {
  readonly stream: MediaStream | undefined;
  readonly sampleRate: number;
}

export class AudioPump {
  source: CallAudioSource = silence;
  /** Set while the call is in a conference: our voice as the mixer last read it (the mixer sends). */
  localFrame: (() => Int16Array) | undefined;
  readonly sinks = new Set<CallAudioSink>();
  /** A tone we hear over the peer (call waiting); not sent, not recorded. */
  overlay: CallAudioSource | undefined;
  recorder: TwoChannelRecorder | undefined;
  muted = false;
  /** The last frame sent. */
  private lastLocal = new Int16Array(160);
  /** Clock time a packet last arrived (RTP inactivity). */
  lastPacketAt: number;
  private lastPacketCount = 0;
  private pending = new Int16Array(0);
  private timer: TimerHandle | undefined;
  private detector: DtmfDetector | undefined;
  private next = 0;

  constructor(
    private readonly clock: Clock,
    private readonly host: PumpHost,
    private readonly onInbandDigit: (digit: string) => void,
  ) {
    this.lastPacketAt = clock.now();
  }

  /** Ticking, or fed by a conference mixer. */
  get running(): boolean {
    return this.timer !== undefined || this.localFrame !== undefined;
  }

  start(): void {
    if (this.timer || this.localFrame) return;
    this.lastPacketAt = this.clock.now();
    this.next = this.clock.now() + TICK_MS;
    this.timer = this.clock.setTimer(TICK_MS, () => this.tick());
  }

  stop(): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Turns in-band DTMF detection on the received audio on or off. */
  detectInband(on: boolean): void {
    this.detector = on ? new DtmfDetector({ sampleRate: this.host.sampleRate }) : undefined;
  }

  private tick(): void {
    // Scheduled against absolute instants so a late timer does not slow the media clock down.
    this.next += TICK_MS;
    this.timer = this.clock.setTimer(Math.max(0, this.next - this.clock.now()), () => this.tick());
    const stream = this.host.stream;
    if (stream === undefined) return;
    const rate = this.host.sampleRate;
    const n = (rate * TICK_MS) / 1000;
    const local = this.lastLocal.length === n ? this.lastLocal : (this.lastLocal = new Int16Array(n));
    if (!this.source.read(local, rate)) this.source = silence;
    const out = this.muted ? new Int16Array(n) : local;
    this.send(stream, out);
    this.hear(stream.readAudio(), out);
  }

  /** A received frame: to the sinks (with the overlay), the recorder (beside `sent`) and the DTMF detector. */
  hear(remote: Int16Array, sent: Int16Array): void {
    const rate = this.host.sampleRate;
    let heard = remote;
    if (this.overlay) {
      const t = new Int16Array(remote.length);
      if (!this.overlay.read(t, rate)) this.overlay = undefined;
      heard = addFrames(remote, t);
    }
    for (const s of this.sinks) s.write(heard, rate);
    this.recorder?.write(sent, remote, rate);
    if (this.detector) for (const e of this.detector.process(remote)) if (e.type === 'start') this.onInbandDigit(e.digit);
    const received = this.host.stream?.getStats().packetsReceived ?? this.lastPacketCount;
    if (received !== this.lastPacketCount) {
      this.lastPacketCount = received;
      this.lastPacketAt = this.clock.now();
    }
  }

  /** Sends whole ptimes: 20 ms ticks are gathered when the peer asked for 30 or 40 ms packets. */
  private send(stream: MediaStream, frame: Int16Array): void {
    const want = stream.sendFrameSamples;
    if (want === frame.length && this.pending.length === 0) return stream.sendAudio(frame);
    const joined = new Int16Array(this.pending.length + frame.length);
    joined.set(this.pending);
    joined.set(frame, this.pending.length);
    let at = 0;
    while (joined.length - at >= want) {
      stream.sendAudio(joined.subarray(at, at + want));
      at += want;
    }
    this.pending = joined.slice(at);
  }
}

/** Saturating sum of two frames (the shorter one padded with silence). */
export function addFrames(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! + (b[i] ?? 0);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
