// Microphone side: cuts the input into 20 ms frames of 16-bit PCM and posts them (with their
// sequence number, counted in samples) to the main thread, which sends them to the engine.
const FRAME = 320;

class CaptureProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME);
  private fill = 0;
  private sequence = 0;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    const n = input?.length ?? 128;
    for (let i = 0; i < n; i++) {
      const s = input === undefined ? 0 : Math.max(-1, Math.min(1, input[i]!));
      this.frame[this.fill++] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
      if (this.fill === FRAME) {
        this.port.postMessage({ sequence: this.sequence++, samples: this.frame }, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('handset-capture', CaptureProcessor);
