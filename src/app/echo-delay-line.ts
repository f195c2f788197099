// The echo test's engine side: plays the microphone back after a fixed delay. Clocked by the
// frames it is fed (one out per one in), so it never drifts from the headset's clock.
export class EchoDelayLine {
  private readonly ring: Int16Array;
  private readonly delay: number;
  private position = 0;

  /** `delaySamples` 0 returns each frame as it comes (a pure loop, for latency measurements). */
  constructor(delaySamples: number, private readonly frameSamples: number) {
    if (!Number.isInteger(delaySamples) || delaySamples < 0) throw new RangeError('delaySamples must be a non-negative integer');
    this.delay = delaySamples;
    this.ring = new Int16Array(delaySamples + frameSamples);
  }

  /** Writes `frame` in and returns the frame that was fed `delaySamples` earlier (silence at first). */
  process(frame: Int16Array, out = new Int16Array(this.frameSamples)): Int16Array {
    const n = this.ring.length;
    for (let i = 0; i < frame.length; i++) this.ring[(this.position + i) % n] = frame[i]!;
    const start = (this.position - this.delay + n) % n;
    for (let i = 0; i < out.length; i++) out[i] = this.ring[(start + i) % n]!;
    this.position = (this.position + frame.length) % n;
    return out;
  }
}
