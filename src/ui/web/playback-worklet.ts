// Speaker side: a small jitter buffer of engine frames (about 40 ms before playing starts, since
// worklet frames arrive in 10/20/30 ms bursts), mixed with the page's local sounds (keypad tones,
// ringtone) that arrive on the node's input. A test tap can copy out everything rendered.
// Latency test hook (off unless the page asks, see AudioPath.setLatencyMarkers): the start of a
// loud burst after a quiet stretch in the engine's audio is reported with the wall clock of the
// moment it is rendered, so the benchmark can time a marker it sent in RTP.
const PREBUFFER = 640; // 40 ms at 16 kHz
const MAX_QUEUED = 2560; // 160 ms: beyond this the oldest audio is dropped to bound the delay
// Input and output run on the same sound-card clock, so a backlog (a start-up burst, a stall)
// would otherwise stay forever: when the queue never fell below SHRINK_ABOVE for a whole
// window, one frame is dropped.
const WINDOW = 8000; // 0.5 s
const SHRINK_ABOVE = 480; // 30 ms
/** Marker onset: a sample above this level after at least ONSET_QUIET quiet samples. */
const ONSET_LEVEL = 8000;
const ONSET_QUIET = 1600; // 100 ms

/** Wall-clock ms on the same scale as Node's performance.timeOrigin + performance.now(). */
const onsetWallNow = (): number => (globalThis.performance === undefined ? Date.now() : performance.timeOrigin + performance.now());

interface QueuedFrame {
  sequence: number;
  samples: Int16Array;
  read: number;
}

class PlaybackProcessor extends AudioWorkletProcessor {
  private queue: QueuedFrame[] = [];
  private queued = 0;
  private playing = false;
  private gain = 1;
  private tap: Float32Array[] | undefined;
  private underruns = 0;
  private windowLeft = WINDOW;
  private windowMin = Infinity;
  private dropped = 0;
  private markers = false;
  private quiet = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; sequence?: number; samples?: Int16Array; gain?: number; on?: boolean };
      if (m.type === 'frame') {
        this.queue.push({ sequence: m.sequence!, samples: m.samples!, read: 0 });
        this.queued += m.samples!.length;
        while (this.queued > MAX_QUEUED) this.queued -= this.queue.shift()!.samples.length;
      } else if (m.type === 'gain') this.gain = m.gain!;
      else if (m.type === 'markers') this.markers = m.on === true;
      else if (m.type === 'tap-start') this.tap = [];
      else if (m.type === 'tap-read') {
        this.port.postMessage({ type: 'tap', chunks: this.tap ?? [], underruns: this.underruns, dropped: this.dropped });
        this.tap = [];
      } else if (m.type === 'reset') {
        this.queue = [];
        this.queued = 0;
        this.playing = false;
      }
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    const local = inputs[0]?.[0];
    if (!this.playing && this.queued >= PREBUFFER) this.playing = true;
    for (let i = 0; i < out.length; i++) {
      let s = 0;
      if (this.playing) {
        const f = this.queue[0];
        if (f === undefined) {
          // Underrun: play silence and build the cushion up again.
          this.playing = false;
          this.underruns++;
        } else {
          if (f.read === 0) this.port.postMessage({ type: 'rendering', sequence: f.sequence, contextTime: currentTime + i / sampleRate });
          const v = f.samples[f.read++]!;
          if (this.markers) this.watchMarker(v, i);
          s = v / 0x8000;
          this.queued--;
          if (f.read === f.samples.length) this.queue.shift();
        }
      }
      out[i] = (s + (local === undefined ? 0 : local[i]!)) * this.gain;
    }
    if (this.playing) this.trimBacklog(out.length);
    for (let c = 1; c < outputs[0]!.length; c++) outputs[0]![c]!.set(out);
    this.tap?.push(out.slice());
    return true;
  }

  private watchMarker(v: number, i: number): void {
    if (Math.abs(v) < ONSET_LEVEL) {
      this.quiet++;
      return;
    }
    if (this.quiet >= ONSET_QUIET) this.port.postMessage({ type: 'marker', renderedAt: onsetWallNow() + (i * 1000) / sampleRate, contextTime: currentTime + i / sampleRate });
    this.quiet = 0;
  }

  private trimBacklog(rendered: number): void {
    this.windowMin = Math.min(this.windowMin, this.queued);
    this.windowLeft -= rendered;
    if (this.windowLeft > 0) return;
    // Drop a whole waiting frame (not the one playing) when the cushion was always too deep.
    if (this.windowMin > SHRINK_ABOVE && this.queue.length > 1) {
      this.queued -= this.queue.splice(1, 1)[0]!.samples.length;
      this.dropped++;
    }
    this.windowLeft = WINDOW;
    this.windowMin = Infinity;
  }
}

registerProcessor('handset-playback', PlaybackProcessor);
