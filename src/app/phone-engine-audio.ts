// The page's audio joined to a call: microphone frames (16 kHz, 20 ms) are resampled to the
// call's codec rate and queued as the call's source; what the call hears is resampled to the
// page's rate and queued for the speaker. Each microphone frame is answered by exactly one
// speaker frame (silence when nothing is queued). Both queues are short and drop their oldest
// samples when full, so a burst or a clock difference never turns into growing delay.
import { resampleFrame } from '../media/index.js';
import { silence, type Call, type CallAudioSource } from '../phone/index.js';

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

  clear(): void {
    this.start = 0;
    this.size = 0;
  }
}

/** Queue limits: enough for the 10/20/30 ms bursts worklets deliver, little more. */
const MIC_QUEUE_MS = 60;
const SPEAKER_QUEUE_MS = 80;

export class CallAudioBridge {
  private call: Call | undefined;
  private detach: (() => void) | undefined;
  /** Microphone samples at the call's rate, waiting for the call's 20 ms pump. */
  private mic = new SampleFifo(1);
  /** Received samples at the page's rate, waiting for the next microphone frame. */
  private readonly speaker: SampleFifo;

  constructor(readonly sampleRate: number, readonly frameSamples: number) {
    this.speaker = new SampleFifo(Math.round((sampleRate * SPEAKER_QUEUE_MS) / 1000));
  }

  /** The call this page talks on, if any. */
  get attached(): Call | undefined {
    return this.call;
  }

  /** One microphone frame in, one speaker frame out, on `call` (undefined: no live call). */
  process(mic: Int16Array, call: Call | undefined): Int16Array {
    if (call !== this.call) this.attach(call);
    const out = new Int16Array(this.frameSamples);
    if (this.call === undefined) return out;
    this.mic.push(resampleFrame(mic, this.sampleRate, this.call.sampleRate));
    this.speaker.read(out);
    return out;
  }

  private attach(call: Call | undefined): void {
    this.detach?.();
    this.detach = undefined;
    this.call = call;
    this.speaker.clear();
    if (call === undefined) return;
    const rate = call.sampleRate;
    this.mic = new SampleFifo(Math.round((rate * MIC_QUEUE_MS) / 1000));
    const mic = this.mic;
    const source: CallAudioSource = { read: (out) => (mic.read(out), true) };
    call.play(source);
    const unlisten = call.listen({ write: (frame, frameRate) => this.speaker.push(resampleFrame(frame, frameRate, this.sampleRate)) });
    this.detach = () => {
      unlisten();
      if (call.pump.source === source) call.play(silence);
    };
  }

  close(): void {
    this.attach(undefined);
  }
}
