// Microphone side: cuts the input into 20 ms frames of 16-bit PCM and posts them (with their
// sequence number, counted in samples) to the main thread, which sends them to the engine.
// Latency test hook (off unless the page asks, see AudioPath.setLatencyMarkers): every
// `markerEvery` frames one frame is replaced by a loud 1 kHz burst, stamped with the wall clock
// at the moment the frame is complete, so the benchmark can find it in the call's RTP.
const FRAME = 320;
const MARK_HZ = 1000;
const MARK_LEVEL = 0.5;

/** Wall-clock ms on the same scale as Node's performance.timeOrigin + performance.now(). */
const markWallNow = (): number => (globalThis.performance === undefined ? Date.now() : performance.timeOrigin + performance.now());

class CaptureProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME);
  private fill = 0;
  private sequence = 0;
  private markerEvery = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; every?: number };
      if (m.type === 'markers') this.markerEvery = m.every ?? 0;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    const n = input?.length ?? 128;
    for (let i = 0; i < n; i++) {
      const s = input === undefined ? 0 : Math.max(-1, Math.min(1, input[i]!));
      this.frame[this.fill++] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
      if (this.fill === FRAME) {
        const marked = this.markerEvery > 0 && this.sequence % this.markerEvery === 0;
        if (marked) for (let k = 0; k < FRAME; k++) this.frame[k] = Math.round(Math.sin((2 * Math.PI * MARK_HZ * k) / sampleRate) * MARK_LEVEL * 0x7fff);
        const stamp = marked ? { markedAt: markWallNow(), contextTime: currentTime + (i + 1) / sampleRate } : {};
        this.port.postMessage({ sequence: this.sequence++, samples: this.frame, ...stamp }, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('handset-capture', CaptureProcessor);
