// The page's audio joined to a call: microphone frames (16 kHz, 20 ms) are resampled to the
// call's codec rate and queued as the call's source; what the call hears is resampled to the
// page's rate and queued for the speaker. Each microphone frame is answered by exactly one
// speaker frame (silence when nothing is queued).
// The headset clocks the talking call: its pump runs on a ManualClock that each microphone frame
// advances by the frame's duration, so the frame is sent and the speaker frame received in the
// same step and RTP timestamps count the headset's samples, whatever the frames' arrival times.
// Conference partners heard beside it stay on their mixer's timer: their queues are short and
// drop their oldest samples when full, so a burst or a clock difference never grows into delay.
import { resampleFrame } from '../media/index.js';
import { silence, type Call, type CallAudioSource } from '../phone/index.js';
import { ManualClock } from '../util/index.js';

/** Reads (of 20 ms frames: half a second) over which a standing backlog is measured. */
const TRIM_WINDOW_READS = 25;

/** A bounded FIFO of samples: pushing past `capacity` drops the oldest. */
export class SampleFifo {
  private readonly ring: Int16Array;
  private start = 0;
  private size = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    this.ring = new Int16Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(samples: Int16Array): void {
    const n = this.ring.length;
    for (let i = 0; i < samples.length; i++) {
      if (this.size === n) {
        this.start = (this.start + 1) % n;
        this.size--;
        this.dropped++;
      }
      this.ring[(this.start + this.size) % n] = samples[i]!;
      this.size++;
    }
  }

  /** Fills `out` from the front; the rest is silence. Returns how many samples were real. */
  read(out: Int16Array): number {
    const n = this.ring.length;
    const take = Math.min(out.length, this.size);
    for (let i = 0; i < take; i++) out[i] = this.ring[(this.start + i) % n]!;
    out.fill(0, take);
    this.start = (this.start + take) % n;
    this.size -= take;
    return take;
  }

  private primed = false;

  /**
   * Whole frames only, like a small jitter buffer: after a start or a run dry, waits until
   * `primeSamples` more than a frame are queued, so a late producer costs one silent frame
   * instead of a frame cut short (a click). Returns whether `out` holds real samples.
   */
  readFrame(out: Int16Array, primeSamples: number): boolean {
    if (!this.primed && this.size < out.length + primeSamples) return (out.fill(0), false);
    if (this.size < out.length) {
      this.primed = false;
      return (out.fill(0), false);
    }
    this.primed = true;
    this.read(out);
    this.trimStanding(primeSamples);
    return true;
  }

  private lowest = Infinity;
  private reads = 0;

  /**
   * Drops a standing backlog: when the queue never fell below `keep` samples after a read for
   * TRIM_WINDOW_READS reads (bursts past, or the producer's clock a little fast), the excess goes.
   */
  private trimStanding(keep: number): void {
    this.lowest = Math.min(this.lowest, this.size);
    if (++this.reads < TRIM_WINDOW_READS) return;
    if (this.lowest > keep) {
      const drop = this.lowest - keep;
      this.start = (this.start + drop) % this.ring.length;
      this.size -= drop;
      this.dropped += drop;
    }
    this.lowest = Infinity;
    this.reads = 0;
  }

  clear(): void {
    this.primed = false;
    this.start = 0;
    this.size = 0;
  }
}

/** Queue limits: enough for the 10/20/30 ms bursts worklets deliver, little more. */
const MIC_QUEUE_MS = 60;
const SPEAKER_QUEUE_MS = 80;
/** Queued beyond one frame before reading starts (and again after running dry). */
const PRIME_MS = 10;
/** Without a microphone frame for this long the talking call goes back to the phone's timer. */
const STALL_MS = 100;

export class CallAudioBridge {
  private call: Call | undefined;
  private detachSource: (() => void) | undefined;
  /** Microphone samples at the call's rate, waiting for the call's 20 ms pump. */
  private mic = new SampleFifo(1);
  /** Per call heard (the talking call, plus the others of a conference): samples at the page's rate. */
  private readonly heard = new Map<Call, { fifo: SampleFifo; off: () => void }>();
  private readonly scratch: Int16Array;
  /** Sums of the queue depths (samples) seen at each frame, for `queueDelayMs`. */
  private micDepth = 0;
  private speakerDepth = 0;
  private frames = 0;
  /** The talking call's pump clock, advanced by the microphone frames (see `process`). */
  private readonly clock = new ManualClock();
  /** Whether the talking call's pump runs on `clock` yet (from the first frame after talkOn). */
  private driving = false;
  private readonly frameMs: number;
  /** Hands the call back to the phone's timer when the frames stop (a suspended page). */
  private stall: NodeJS.Timeout | undefined;

  constructor(readonly sampleRate: number, readonly frameSamples: number) {
    this.scratch = new Int16Array(frameSamples);
    this.frameMs = (frameSamples * 1000) / sampleRate;
  }

  /** The call this page talks on, if any. */
  get attached(): Call | undefined {
    return this.call;
  }

  /**
   * One microphone frame in, one speaker frame out. The microphone goes to `call` (undefined: no
   * live call); the speaker frame mixes what `call` and the `alsoHeard` calls (a conference) receive.
   */
  process(mic: Int16Array, call: Call | undefined, alsoHeard: readonly Call[] = []): Int16Array {
    this.talkOn(call);
    this.listen(call === undefined ? [] : [call, ...alsoHeard]);
    const out = new Int16Array(this.frameSamples);
    if (this.call === undefined) return out;
    this.mic.push(resampleFrame(mic, this.sampleRate, this.call.sampleRate));
    // The pump's first frames run as it starts on the clock (taking this frame); later frames advance it.
    if (this.driving) this.clock.advance(this.frameMs);
    else {
      this.driving = true;
      this.call.pump.drive(this.clock);
    }
    if (this.stall) this.stall.refresh();
    else (this.stall = setTimeout(() => this.release(), STALL_MS)).unref();
    this.frames++;
    this.micDepth += (this.mic.length / this.call.sampleRate) * this.sampleRate;
    for (const [c, { fifo }] of this.heard) {
      this.speakerDepth += fifo.length / this.heard.size;
      // The talking call just received in step with this frame: no priming to wait for.
      if (c === this.call ? fifo.read(this.scratch) === 0 : !fifo.readFrame(this.scratch, (this.sampleRate * PRIME_MS) / 1000)) continue;
      for (let i = 0; i < out.length; i++) {
        const v = out[i]! + this.scratch[i]!;
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    return out;
  }

  /**
   * Mean time a sample waits in each queue (ms) after the talking call's pump has run on the
   * frame: microphone frame in → sent, and received frame → returned to the page.
   */
  queueDelayMs(): { mic: number; speaker: number; frames: number } {
    const ms = (depth: number): number => (this.frames === 0 ? 0 : (depth / this.frames / this.sampleRate) * 1000);
    return { mic: ms(this.micDepth), speaker: ms(this.speakerDepth), frames: this.frames };
  }

  /** Sends the microphone to `call` from now on (the previous call gets silence). */
  talkOn(call: Call | undefined): void {
    if (call === this.call) return;
    this.detachSource?.();
    this.detachSource = undefined;
    this.call = call;
    this.driving = false;
    if (call === undefined) return;
    const size = Math.round((call.sampleRate * MIC_QUEUE_MS) / 1000);
    this.mic = new SampleFifo(size);
    // Reads whichever queue is current: a conference keeps the source it found on its first call.
    // Driven by our frames the pump takes what the frame brought; on a timer it waits for whole frames.
    const source: CallAudioSource = {
      read: (out, rate) => (this.driving && this.call === call ? this.mic.read(out) : this.mic.readFrame(out, (rate * PRIME_MS) / 1000), true),
    };
    call.play(source);
    this.detachSource = () => {
      call.pump.drive(undefined);
      if (call.pump.source === source) call.play(silence);
    };
  }

  /** Keeps one sink (and queue) on each call in `calls`, and none on the others. */
  private listen(calls: readonly Call[]): void {
    for (const [c, h] of this.heard) {
      if (!calls.includes(c)) {
        h.off();
        this.heard.delete(c);
      }
    }
    for (const c of calls) {
      if (this.heard.has(c)) continue;
      const fifo = new SampleFifo(Math.round((this.sampleRate * SPEAKER_QUEUE_MS) / 1000));
      const off = c.listen({ write: (frame, frameRate) => fifo.push(resampleFrame(frame, frameRate, this.sampleRate)) });
      this.heard.set(c, { fifo, off });
    }
  }

  private release(): void {
    this.stall = undefined;
    if (!this.driving) return;
    this.driving = false;
    this.call?.pump.drive(undefined);
  }

  close(): void {
    clearTimeout(this.stall);
    this.stall = undefined;
    this.talkOn(undefined);
    this.listen([]);
  }
}
