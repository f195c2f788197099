// One call's audio: media's AudioPump clocks the call's MediaStream (a frame of `source` every
// ptime, a received frame every 20 ms); what it receives goes to the sinks, the recorder and the
// in-band DTMF detector through `hear`. In a conference media's ConferenceMixer clocks the stream
// instead and calls `hear` itself. A renegotiation that builds a new stream rebinds on `start`.
// `drive` hands the ticking to another clock (the web page's microphone frames advancing a
// ManualClock): the headset then clocks the call; the call's own clock keeps its timers.
import type { Clock } from '../util/index.js';
import { AudioPump as MediaAudioPump, DtmfDetector, SampleFifo, type AudioSource, type CallRecorder, type MediaStream } from '../media/index.js';
import { silence, type CallAudioSink, type CallAudioSource } from './call-audio.js';

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
  recorder: CallRecorder | undefined;
  /** Clock time a packet last arrived (RTP inactivity). */
  lastPacketAt: number;
  private lastPacketCount = 0;
  private inner: MediaAudioPump | undefined;
  private bound: MediaStream | undefined;
  private mute = false;
  /** What was sent, kept until the received frame it is recorded beside (ptime may exceed 20 ms). */
  private sent = new SampleFifo(1);
  private sentFrame = new Int16Array(0);
  private detector: DtmfDetector | undefined;
  /** Set while something outside ticks the pump (see `drive`). */
  private driver: Clock | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly host: PumpHost,
    private readonly onInbandDigit: (digit: string) => void,
  ) {
    this.lastPacketAt = clock.now();
  }

  /** Ticking, or fed by a conference mixer. */
  get running(): boolean {
    return this.inner?.running === true || this.localFrame !== undefined;
  }

  /** Mute is local: silence is sent (and recorded), the source keeps its place. */
  get muted(): boolean {
    return this.mute;
  }

  set muted(on: boolean) {
    this.mute = on;
    if (this.inner) this.inner.muted = on;
  }

  /**
   * Ticks the pump on `clock` from now on (undefined: back on the call's clock). The first
   * frames run at once if the call has a stream; then one send per ptime and one receive per
   * 20 ms of `clock`, so RTP timestamps follow whoever advances it.
   */
  drive(clock: Clock | undefined): void {
    if (clock === this.driver) return;
    this.driver = clock;
    if (this.inner === undefined) return;
    this.stop();
    this.start();
  }

  /** Starts on the call's current stream (again on a new one after a renegotiation). */
  start(): void {
    const stream = this.host.stream;
    if (this.localFrame || stream === undefined || (this.inner?.running && this.bound === stream)) return;
    this.stop();
    const rate = this.host.sampleRate;
    const ptimeMs = (stream.sendFrameSamples * 1000) / rate;
    const receiveFrame = (rate * TICK_MS) / 1000;
    this.sent = new SampleFifo(stream.sendFrameSamples + receiveFrame * 2);
    this.sentFrame = new Int16Array(receiveFrame);
    this.lastPacketAt = this.clock.now();
    this.bound = stream;
    this.inner = new MediaAudioPump({
      clock: this.driver ?? this.clock, stream, ptimeMs, source: this.callSource(rate),
      sink: { sampleRate: rate, write: (frame) => this.hearFromPump(frame), close: async () => undefined },
      tap: { local: (frame) => this.sent.push(frame), remote: () => undefined },
    });
    this.inner.muted = this.mute;
    this.inner.start();
  }

  stop(): void {
    this.inner?.stop();
    this.inner = undefined;
    this.bound = undefined;
  }

  /** Turns in-band DTMF detection on the received audio on or off. */
  detectInband(on: boolean): void {
    this.detector = on ? new DtmfDetector({ sampleRate: this.host.sampleRate }) : undefined;
  }

  /** `source` as a media AudioSource at the call's rate; an ended source gives way to silence. */
  private callSource(rate: number): AudioSource {
    return {
      sampleRate: rate,
      read: (out) => {
        if (!this.source.read(out, rate)) this.source = silence;
        return true;
      },
      close: async () => undefined,
    };
  }

  private hearFromPump(remote: Int16Array): void {
    const sent = this.sentFrame.length === remote.length ? this.sentFrame : (this.sentFrame = new Int16Array(remote.length));
    this.sent.shift(sent);
    this.hear(remote, sent);
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
    if (this.recorder) {
      this.recorder.local(sent, rate);
      this.recorder.remote(remote, rate);
    }
    if (this.detector) for (const e of this.detector.process(remote)) if (e.type === 'start') this.onInbandDigit(e.digit);
    const received = this.host.stream?.packetsReceived ?? this.lastPacketCount;
    if (received !== this.lastPacketCount) {
      this.lastPacketCount = received;
      this.lastPacketAt = this.clock.now();
    }
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
